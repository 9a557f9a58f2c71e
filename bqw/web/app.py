"""The bqw serve application: `create_app(cfg)` on a workspace (docs/serve.md).

Routes: the JSON API (bqw.web.api) and the pages (bqw.web.pages). Middleware: the office's session in a
signed cookie (HttpOnly, SameSite=Lax, secret from serve.db), and headers that keep pages out of frames
and caches. A refusal anywhere is a Chinese sentence with its status — JSON under /api, /login, /logout
and /healthz, a page elsewhere; an unexpected error is logged with its traceback to the workspace log and
answered 500 with a Chinese sentence, never the traceback.
"""

from __future__ import annotations

import os
from contextlib import asynccontextmanager
from datetime import date

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse

from bqw.web import api, auth
from bqw.web.service import ServiceError

JSON_PATHS = ("/api/", "/login", "/logout", "/healthz")
# The pages load only their own CSS and script (no CDN, nothing inline): a policy that says so stops a
# script smuggled into a page from running, and forms from posting elsewhere.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
           (b"referrer-policy", b"no-referrer"), (b"content-security-policy", CSP.encode())]
HTTP_ZH = {400: "请求无法识别", 404: "没有这个页面", 405: "不支持这种请求方式", 413: "上传的内容太大"}
HEADINGS = {404: "找不到页面", 405: "无法完成", 500: "服务器出错"}


class SecurityHeaders:
    """Plain ASGI: every response gets HEADERS."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def sending(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                present = {name.lower() for name, _value in headers}
                message["headers"] = headers + [h for h in HEADERS if h[0] not in present]
            await send(message)

        await self.app(scope, receive, sending)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(JSON_PATHS)


def _refusal(request: Request, status: int, message: str):
    """JSON under JSON_PATHS; elsewhere the pages' own error page (layout, lang="zh-CN"), so that a mistyped
    address or an unexpected error looks like the rest of the site."""
    if _wants_json(request):
        return api.error(status, message)
    from bqw.web import pages

    try:
        return pages.error_page(request, status, message, heading=HEADINGS.get(status, "无法完成"))
    except Exception:  # noqa: BLE001 — the page itself failed (a broken template): a bare sentence still answers
        from html import escape

        return HTMLResponse(f"<!doctype html><html lang='zh-CN'><meta charset='utf-8'><title>{status}</title>"
                            f"<p>{escape(message)}</p></html>", status_code=status)


async def _service_error(request: Request, e: ServiceError):
    return _refusal(request, e.status, e.message)


async def _http_error(request: Request, e: HTTPException):
    return _refusal(request, e.status_code, HTTP_ZH.get(e.status_code, "请求未能完成"))


async def _internal_error(request: Request, e: Exception):
    import traceback

    from bqw.jobs.routine import log_line

    try:
        log_line(request.app.state.cfg, f"serve: {request.method} {request.url.path}: 内部错误："
                                        f"{type(e).__name__}: {e}", "".join(traceback.format_exception(e)))
    except OSError:
        pass
    return _refusal(request, 500, "服务器内部错误，详细信息已写入运行日志，请联系办公室")


WORKER_THREADS = 200  # checks and submissions run in threads; a queued confirmation holds one while it waits


@asynccontextmanager
async def _lifespan(app):
    """More worker threads than anyio's 40: confirmations waiting for their batch (bqw.web.batching) must not
    leave a check or a page without a thread."""
    import anyio.to_thread

    anyio.to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
    yield


def create_app(cfg, as_of: date | None = None) -> Starlette:
    """The application on workspace `cfg`; `as_of` pins “today” (tests, make serve on the samples' month).
    BQW_SERVE_HTTPS=1 marks the cookie Secure (behind nginx with TLS)."""
    from bqw.web import pages

    secret = auth.Credentials(cfg.root).secret()
    middleware = [
        Middleware(SecurityHeaders),
        Middleware(SessionMiddleware, secret_key=secret, session_cookie="bqw_session",
                   max_age=auth.SESSION_HOURS * 3600, same_site="lax",
                   https_only=os.environ.get("BQW_SERVE_HTTPS") == "1"),
    ]
    app = Starlette(routes=api.routes + pages.routes, middleware=middleware, lifespan=_lifespan,
                    exception_handlers={ServiceError: _service_error, HTTPException: _http_error,
                                        Exception: _internal_error})
    app.state.cfg = cfg
    app.state.as_of = as_of
    app.state.limiter = auth.RateLimiter()
    return app
