"""The pages of bqw serve: server-rendered HTML that works without JavaScript (docs/serve.md).

A submitter's pages live under their link, /u/<token>/…: every request proves who is asking by the token
(bqw.web.auth), so a revoked link stops at once and no cookie is needed to upload from WeChat's browser.
The office's pages (/office/…) need the logged-in session. Forms carry the session's CSRF token.

The pages do no work of their own: checking, submitting, the board and rejection are bqw.web.service's,
the same functions the JSON API calls; a refusal there (ServiceError) becomes a plain Chinese error page
with its status. Submission text reaches the page only through Jinja's autoescape.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote

import jinja2
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from bqw.web import auth, preview, service, submitting
from bqw.web.service import ServiceError

HERE = Path(__file__).parent
# autoescape always on, whatever a template's name: every value shown may come from a submitted sheet
templates = Jinja2Templates(env=jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")),
                                                   autoescape=True))

STATUS_CLASS = {"按时报送": "on-time", "逾期报送": "late", "未报送": "missing", "未到报送时限": "not-due",
                "rejected": "rejected", "superseded": "superseded", "current": "current"}
OFFICE = "办公室"
# what the board lists of out/<period>/, in this order: (title, test on the file name)
FILE_GROUPS = (("合并台账", lambda n: n.endswith(".xlsx") and "（合并）" in n),
               ("统计表", lambda n: n.endswith(".xlsx") and "（合并）" not in n),
               ("通报和简报", lambda n: n.endswith(".docx")))


@dataclass
class FileGroup:
    title: str
    names: list[str]


# --- shared ----------------------------------------------------------------------------------------

def _cfg(request: Request):
    return request.app.state.cfg


def _as_of(request: Request) -> date:
    """Today, or the day the app was started with (tests and `make serve` pin it to the samples' month)."""
    return getattr(request.app.state, "as_of", None) or date.today()


def _site(request: Request) -> str:
    return f"{_cfg(request).town}“百千万工程”台账报送"


def page(request: Request, name: str, status: int = 200, **context) -> Response:
    context.setdefault("who", "")
    response = templates.TemplateResponse(request, name, {"site": _site(request), **context}, status_code=status)
    response.headers["Cache-Control"] = "no-store"  # a phone's back button must not show another's page
    return response  # Referrer-Policy and the rest: bqw.web.app.HEADERS, on every response


def error_page(request: Request, status: int, message: str, back: str | None = None,
               heading: str = "无法完成") -> Response:
    """The one error page: a Chinese sentence, the status, never a traceback."""
    return page(request, "error.html", status, heading=heading, message=message, back=back)


def _csrf_failed(request: Request, form) -> Response | None:
    try:
        auth.require_csrf(request, form)
    except auth.AuthError as e:
        return error_page(request, e.status, e.message, heading="页面已过期")
    return None


# --- a submitter's pages ---------------------------------------------------------------------------

def _submitter(request: Request) -> str:
    """The name the link's token belongs to; raises AuthError (401/403/429) otherwise."""
    return auth.submitter_for(_cfg(request), request.path_params["token"], request)


def _base(request: Request) -> str:
    return str(request.url_for("upload", token=request.path_params["token"])).rstrip("/")


def submitter_page(handler):
    """Run `handler(request, submitter)` for a valid token; a refusal is an error page."""
    async def endpoint(request: Request) -> Response:
        try:
            who = _submitter(request)
        except auth.AuthError as e:
            return error_page(request, e.status, e.message, heading="链接无效")
        try:
            return await handler(request, who)
        except ServiceError as e:
            return error_page(request, e.status, e.message, back=_base(request))
    endpoint.__name__ = handler.__name__
    return endpoint


@submitter_page
async def upload(request: Request, who: str) -> Response:
    return _upload_page(request, who)


def _upload_page(request: Request, who: str, message: str = "", status: int = 200) -> Response:
    from bqw.jobs.routine import current_period

    limits = _cfg(request).make_limits()
    return page(request, "upload.html", status, who=f"报送人：{who}", submitter=who, base=_base(request),
                csrf=auth.csrf_token(request), message=message, period=current_period(_as_of(request)),
                max_files=auth.MAX_FILES, max_mb=limits.max_file_mb)


@submitter_page
async def check(request: Request, who: str) -> Response:
    cfg = _cfg(request)
    try:
        uploads, form = await auth.read_uploads(request, cfg)
    except ServiceError as e:
        return _upload_page(request, who, e.message, e.status)
    if (refused := _csrf_failed(request, form)) is not None:
        return refused
    if not uploads:
        return _upload_page(request, who, "请先选择要上传的台账文件", 422)
    items = []
    for upload_file in uploads:
        try:
            result = await run_in_threadpool(service.check, cfg, upload_file.data, upload_file.filename, who)
        except ServiceError as e:  # this file refused (its type, its size): the others are still checked
            name = upload_file.filename.replace("\\", "/").rsplit("/", 1)[-1]
            items.append({"filename": name, "refusal": e.message, "unread": True})
            continue
        items.append(await run_in_threadpool(_result_item, cfg, result))
    return page(request, "results.html", who=f"报送人：{who}", items=items, base=_base(request),
                csrf=auth.csrf_token(request))


def _result_item(cfg, result: service.CheckResult) -> dict:
    from bqw.ledgers import KIND_ZH

    file = result.report["files"][0]
    path = service.pending_dir(cfg) / result.pending / result.file_name
    return {"pending": result.pending, "filename": result.file_name, "file": file,
            "kind_zh": KIND_ZH.get(file["kind"] or "", ""), "errors": result.errors, "warnings": result.warnings,
            "submittable": result.submittable, "refusal": result.refusal,
            "preview": preview.build(path, file["findings"], cfg.make_limits())}


@submitter_page
async def annotated_copy(request: Request, who: str) -> Response:
    path = await run_in_threadpool(service.annotated, _cfg(request), request.path_params["pending"], who)
    return _download(path)


@submitter_page
async def submit(request: Request, who: str) -> Response:
    form = await request.form()
    if (refused := _csrf_failed(request, form)) is not None:
        return refused
    receipt = await run_in_threadpool(submitting.submit, _cfg(request), str(form.get("pending") or ""), who,
                                      _as_of(request))
    return page(request, "receipt.html", who=f"报送人：{who}", receipt=receipt, base=_base(request))


@submitter_page
async def history(request: Request, who: str) -> Response:
    rows = [_submission_row(s) for s in await run_in_threadpool(service.submissions_of, _cfg(request), who)]
    return page(request, "history.html", who=f"报送人：{who}", heading="我的报送记录", submissions=rows,
                back=_base(request), office=False)


@submitter_page
async def template(request: Request, who: str) -> Response:
    from bqw.jobs.routine import current_period

    period = (request.query_params.get("period") or "").strip() or current_period(_as_of(request))
    return _download(await run_in_threadpool(service.blank_template, _cfg(request), who, period))


def _submission_row(s: service.SubmissionView, office: bool = False) -> dict:
    return {"id": s.id, "time": s.arrived_at.replace("T", " ")[:19], "file": s.file_name, "kind": s.kind_title,
            "period": s.period, "rows": s.rows, "quarantined": s.held, "status": s.status_zh,
            "status_class": STATUS_CLASS.get(s.status, ""), "reason": s.reason,
            "can_reject": office and s.status == "current"}


def _download(path: Path) -> Response:
    """A file as an attachment; the Chinese name survives every browser (RFC 5987 filename*)."""
    response = FileResponse(path)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(path.name)}"
    response.headers["Cache-Control"] = "no-store"
    return response


# --- the office's pages ----------------------------------------------------------------------------

def office_page(handler):
    """Run `handler(request)` for the logged-in office; else to the login page."""
    async def endpoint(request: Request) -> Response:
        if not auth.is_office(request):
            return RedirectResponse(request.url_for("office_login"), status_code=303)
        try:
            return await handler(request)
        except ServiceError as e:
            return error_page(request, e.status, e.message, back=str(request.url_for("office_board")))
    endpoint.__name__ = handler.__name__
    return endpoint


async def office_login(request: Request) -> Response:
    if request.method == "GET":
        return page(request, "login.html", who=OFFICE, csrf=auth.csrf_token(request), message="")
    form = await request.form()
    if (refused := _csrf_failed(request, form)) is not None:
        return refused
    try:
        await run_in_threadpool(auth.login, request, _cfg(request), str(form.get("password") or ""))
    except auth.AuthError as e:
        return page(request, "login.html", e.status, who=OFFICE, csrf=auth.csrf_token(request), message=e.message)
    return RedirectResponse(request.url_for("office_board"), status_code=303)


async def office_logout(request: Request) -> Response:
    form = await request.form()
    if (refused := _csrf_failed(request, form)) is not None:
        return refused
    auth.logout(request)
    return RedirectResponse(request.url_for("office_login"), status_code=303)


@office_page
async def office_board(request: Request) -> Response:
    from bqw.core.periods import Period
    from bqw.ledgers import KIND_ZH

    cfg = _cfg(request)
    board = await run_in_threadpool(service.board, cfg, request.query_params.get("period") or None, _as_of(request))
    entries = [{"submitter": e.submitter, "kind_zh": KIND_ZH.get(e.kind, "问题整改三张清单"), "status": e.status,
                "status_class": STATUS_CLASS.get(e.status, ""), "first": e.arrived, "rows": e.rows,
                "quarantined": e.held, "findings": e.findings, "days_late": e.days_late} for e in board.entries]
    month = Period.parse(board.period)
    return page(request, "board.html", who=OFFICE, period=board.period, period_zh=month.label,
                previous=month.previous().key, next=month.next().key,
                as_of=board.as_of, counts=board.totals, entries=entries, files=period_files(cfg, board.period),
                csrf=auth.csrf_token(request))


def period_files(cfg, period: str) -> list[FileGroup]:
    """The period's workbooks and documents bqw run wrote into out/<period>/, grouped for the board."""
    folder = cfg.out / period
    names = sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    names = [n for n in names if not n.startswith(("~$", ".~", "."))]
    groups = [FileGroup(title, [n for n in names if test(n)]) for title, test in FILE_GROUPS]
    return [g for g in groups if g.names]


@office_page
async def office_file(request: Request) -> Response:
    from bqw.core.periods import Period

    cfg = _cfg(request)
    period, name = request.path_params["period"], request.path_params["name"]
    try:
        key = Period.parse(period).key
    except (ValueError, TypeError):
        key = None
    # only a name the board lists: never a path the client made up
    listed = {n for g in period_files(cfg, key) for n in g.names} if key == period else set()
    if name not in listed:
        return error_page(request, 404, f"没有这个文件：{name}", back=str(request.url_for("office_board")))
    return _download(cfg.out / key / name)


@office_page
async def office_submitter(request: Request) -> Response:
    name = request.path_params["name"]
    found = await run_in_threadpool(service.submissions_of, _cfg(request), name)
    rows = [_submission_row(s, office=True) for s in found]
    return page(request, "history.html", who=OFFICE, heading=f"{name}的报送记录", submissions=rows,
                back=str(request.url_for("office_board")), office=True, submitter=name)


@office_page
async def office_reject(request: Request) -> Response:
    cfg, who, number = _cfg(request), request.path_params["name"], request.path_params["submission"]
    back = str(request.url_for("office_submitter", name=who))
    found = await run_in_threadpool(service.submissions_of, cfg, who)
    view = next((s for s in found if s.id == number and s.status == "current"), None)
    if view is None:
        return error_page(request, 404, f"没有可退回的报送（编号 {number}）：不存在，或已被替换、已退回", back=back)
    if request.method == "GET":
        return page(request, "reject.html", who=OFFICE, submission={**_submission_row(view), "submitter": who},
                    back=back, csrf=auth.csrf_token(request))
    form = await request.form()
    if (refused := _csrf_failed(request, form)) is not None:
        return refused
    await run_in_threadpool(service.reject, cfg, number, str(form.get("reason") or ""), OFFICE, _as_of(request))
    return RedirectResponse(back, status_code=303)


async def home(request: Request) -> Response:
    return RedirectResponse(request.url_for("office_board"), status_code=303)


routes = [
    Route("/", home, name="home"),
    Route("/u/{token}", upload, name="upload"),
    Route("/u/{token}/check", check, methods=["POST"], name="check"),
    Route("/u/{token}/annotated/{pending}", annotated_copy, name="annotated"),
    Route("/u/{token}/submit", submit, methods=["POST"], name="submit"),
    Route("/u/{token}/history", history, name="history"),
    Route("/u/{token}/template", template, name="template"),
    Route("/office/login", office_login, methods=["GET", "POST"], name="office_login"),
    Route("/office/logout", office_logout, methods=["POST"], name="office_logout"),
    Route("/office", office_board, name="office_board"),
    Route("/office/submitter/{name}", office_submitter, name="office_submitter"),
    Route("/office/submitter/{name}/reject/{submission:int}", office_reject, methods=["GET", "POST"],
          name="office_reject"),
    Route("/office/files/{period}/{name}", office_file, name="office_file"),
    Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static"),
]
