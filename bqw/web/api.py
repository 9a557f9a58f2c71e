"""The JSON API of bqw serve, for scripts and the pages' progressive enhancement (docs/serve.md):

  GET  /healthz                      {"ok": true, "bqw_version": …}
  POST /api/check    Bearer token    multipart `file` (up to MAX_FILES): bqw validate --format json's
                                     dict, each file with its `pending` id and whether it may be submitted
  POST /api/submit   Bearer token    `pending` (form or JSON): the receipt
  GET  /api/board?period=YYYY-MM     the office's session: every expected submitter's state
  POST /login                        `password` (form or JSON): the office's session cookie
  POST /logout                       the session's CSRF token (`csrf` field or X-CSRF-Token header)

A refusal is `{"error": "中文…"}` with its status (bqw.web.service.ServiceError); never a traceback.
The work runs in the thread pool: a check reads a workbook, a submission waits for the archive's lock.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bqw.web import auth, service, submitting
from bqw.web.service import ServiceError


def _cfg(request: Request):
    return request.app.state.cfg


def _as_of(request: Request):
    from datetime import date

    return getattr(request.app.state, "as_of", None) or date.today()


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers={"Cache-Control": "no-store"})


def answer(data: dict, status: int = 200) -> JSONResponse:
    from bqw.output.jsontext import with_version

    return JSONResponse(with_version(data), status_code=status, headers={"Cache-Control": "no-store"})


def _submitter(request: Request) -> str:
    return auth.submitter_for(_cfg(request), auth.bearer(request), request)


async def _fields(request: Request) -> dict:
    """A small form or JSON object's fields."""
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            body = await request.json()
        except ValueError:
            raise ServiceError(400, "请求内容不是有效的 JSON") from None
        if not isinstance(body, dict):
            raise ServiceError(400, "请求内容应为 JSON 对象，如 {\"pending\": \"…\"}")
        return body
    return dict(await request.form(max_files=0, max_fields=20))


async def healthz(request: Request) -> JSONResponse:
    return answer({"ok": True})


async def check(request: Request) -> JSONResponse:
    cfg = _cfg(request)
    who = _submitter(request)
    uploads, _form = await auth.read_uploads(request, cfg)
    if not uploads:
        raise ServiceError(422, "没有收到文件：请用 multipart/form-data 的 file 字段上传")
    files = []
    for upload in uploads:
        result = await run_in_threadpool(service.check, cfg, upload.data, upload.filename, who)
        files.append(result.report["files"][0] | {
            "pending": result.pending, "submittable": result.submittable, "refusal": result.refusal,
            "file_submitter": result.file_submitter, "errors": result.errors, "warnings": result.warnings})
    return answer({"submitter": who, "files": files})


async def submit(request: Request) -> JSONResponse:
    cfg = _cfg(request)
    who = _submitter(request)
    pending = str((await _fields(request)).get("pending") or "")
    receipt = await run_in_threadpool(submitting.submit, cfg, pending, who, _as_of(request))
    return answer(receipt.to_dict())


async def board(request: Request) -> JSONResponse:
    if not auth.is_office(request):
        raise auth.AuthError(401, "请先以办公室身份登录（POST /login）")
    found = await run_in_threadpool(service.board, _cfg(request), request.query_params.get("period") or None,
                                    _as_of(request))
    return answer(found.to_dict())


async def login(request: Request) -> JSONResponse:
    password = str((await _fields(request)).get("password") or "")
    await run_in_threadpool(auth.login, request, _cfg(request), password)
    return answer({"ok": True, "csrf": auth.csrf_token(request)})


async def logout(request: Request) -> JSONResponse:
    fields = await _fields(request)
    if request.headers.get("x-csrf-token"):
        fields["csrf"] = request.headers["x-csrf-token"]
    auth.require_csrf(request, fields)
    auth.logout(request)
    return answer({"ok": True})


routes = [
    Route("/healthz", healthz, name="healthz"),
    Route("/api/check", check, methods=["POST"], name="api_check"),
    Route("/api/submit", submit, methods=["POST"], name="api_submit"),
    Route("/api/board", board, name="api_board"),
    Route("/login", login, methods=["POST"], name="api_login"),
    Route("/logout", logout, methods=["POST"], name="api_logout"),
]
