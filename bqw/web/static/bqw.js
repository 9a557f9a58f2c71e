// bqw serve: enhancements only. Every page works with JavaScript off: the form posts and the server
// answers with a page. With JavaScript, files can be dropped onto the upload box, and a progress bar
// shows while they are sent; the answer still replaces the page as a plain post would.
(function () {
  "use strict";
  var form = document.querySelector("form[data-upload]");
  if (!form || !window.XMLHttpRequest || !window.FormData) { return; }
  var input = form.querySelector("input[type=file]");
  var drop = form.querySelector(".drop");
  var bar = form.querySelector("progress");
  var status = form.querySelector("[data-status]");

  if (drop && input) {
    if (status) { status.textContent = "也可以把文件拖到这里。"; }  // said only where dropping works
    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      drop.addEventListener(name, function () { drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (e) {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        if (status) { status.textContent = "已选择 " + e.dataTransfer.files.length + " 个文件"; }
      }
    });
  }

  form.addEventListener("submit", function (e) {
    if (!input || !input.files.length) { return; }  // the server says what is missing
    e.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    if (bar) { bar.hidden = false; bar.value = 0; }
    xhr.upload.addEventListener("progress", function (ev) {
      if (bar && ev.lengthComputable) { bar.max = ev.total; bar.value = ev.loaded; }
      if (status) { status.textContent = ev.lengthComputable && ev.loaded >= ev.total ? "正在检查…" : "正在上传…"; }
    });
    xhr.addEventListener("load", function () {
      // The answer is a whole page (results or an error): show it as a plain post would.
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.addEventListener("error", function () {
      if (status) { status.textContent = "上传失败，请检查网络后重试"; }
      if (bar) { bar.hidden = true; }
    });
    xhr.send(new FormData(form));
  });
}());
