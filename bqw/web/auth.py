"""Who is asking, for bqw serve (docs/serve.md): submitters' tokens, the office's password and session,
CSRF tokens, a rate limit on failed attempts, and the upload limits.

serve.db (SQLite, the workspace's root) holds the web's credentials only: per submitter the sha256 of
their token (the token itself is printed once by `bqw serve links` and never stored) and whether it is
revoked; the office password's argon2 hash; the secret that signs session cookies (made once). The data
lives in the archive alone; logins, ok or failed, are written to the archive's event log.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
import threading
import time
from collections import defaultdict, deque
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from bqw.web.service import ServiceError

DB_NAME = "serve.db"
MAX_FILES = 10  # files in one request
FORM_OVERHEAD = 64 * 1024  # bytes of a multipart body beside the files (boundaries, headers, fields)
FAILURES_PER_MINUTE = 10  # failed logins or tokens from one address before 429
SESSION_HOURS = 8
OFFICE_KEY = "office"  # the session's key saying the office logged in
CSRF_KEY = "csrf"
PASSWORD_KEY = "pw"  # the password_mark the session was started under

SCHEMA = """
CREATE TABLE IF NOT EXISTS tokens(
    name TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, revoked INTEGER NOT NULL DEFAULT 0,
    issued_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class AuthError(ServiceError):
    """A refused credential: 401 (none or unknown), 403 (revoked, not yours), 429 (too many failures)."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass
class TokenState:
    name: str
    issued_at: str
    revoked: bool


class Credentials:
    """serve.db of a workspace."""

    def __init__(self, root: Path):
        self.path = Path(root) / DB_NAME

    def _db(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.executescript(SCHEMA)
        return db

    def issue(self, name: str) -> str:
        """A new token for `name` (any earlier one stops working); returned once, stored hashed."""
        from bqw.store.archive import now

        token = secrets.token_urlsafe(24)
        with closing(self._db()) as db:
            db.execute("INSERT OR REPLACE INTO tokens(name, token_hash, revoked, issued_at) VALUES (?,?,0,?)",
                       (name, _hash(token), now()))
        return token

    def revoke(self, name: str) -> bool:
        with closing(self._db()) as db:
            return db.execute("UPDATE tokens SET revoked=1 WHERE name=?", (name,)).rowcount > 0

    def tokens(self) -> dict[str, TokenState]:
        with closing(self._db()) as db:
            return {n: TokenState(n, at, bool(r)) for n, at, r in
                    db.execute("SELECT name, issued_at, revoked FROM tokens ORDER BY name")}

    def owner(self, token: str) -> TokenState | None:
        with closing(self._db()) as db:
            row = db.execute("SELECT name, issued_at, revoked FROM tokens WHERE token_hash=?",
                             (_hash(token),)).fetchone()
        return TokenState(row[0], row[1], bool(row[2])) if row else None

    def _setting(self, key: str) -> str | None:
        with closing(self._db()) as db:
            row = db.execute("SELECT value FROM settings WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_password(self, password: str) -> None:
        from argon2 import PasswordHasher

        with closing(self._db()) as db:
            db.execute("INSERT OR REPLACE INTO settings VALUES ('password', ?)", (PasswordHasher().hash(password),))

    def has_password(self) -> bool:
        return self._setting("password") is not None

    def check_password(self, password: str) -> bool:
        from argon2 import PasswordHasher
        from argon2.exceptions import InvalidHashError, VerificationError

        stored = self._setting("password")
        if stored is None or not password:
            return False
        try:
            return PasswordHasher().verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False

    def password_mark(self) -> str | None:
        """A short digest of the stored password hash: a session started under another password is over."""
        stored = self._setting("password")
        return hashlib.sha256(stored.encode()).hexdigest()[:16] if stored else None

    def secret(self) -> str:
        """The cookie-signing secret, made on first use and kept (sessions survive a restart)."""
        with closing(self._db()) as db:
            db.execute("INSERT OR IGNORE INTO settings VALUES ('secret', ?)", (secrets.token_urlsafe(32),))
            return db.execute("SELECT value FROM settings WHERE key='secret'").fetchone()[0]


class RateLimiter:
    """Failed attempts per client address in the last `window` seconds (in memory: a restart forgets)."""

    def __init__(self, limit: int = FAILURES_PER_MINUTE, window: float = 60.0):
        self.limit, self.window = limit, window
        self._failures: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str) -> deque:
        found = self._failures[key]
        while found and found[0] <= time.monotonic() - self.window:
            found.popleft()
        return found

    def check(self, key: str) -> None:
        with self._lock:
            if len(self._recent(key)) >= self.limit:
                raise AuthError(429, "尝试次数过多，请一分钟后再试")

    def fail(self, key: str) -> None:
        with self._lock:
            self._recent(key).append(time.monotonic())


def client(request) -> str:
    return request.client.host if request.client else "?"


def _state(request):
    return request.app.state


# --- submitters ------------------------------------------------------------------------------------

def submitter_for(cfg, token: str, request) -> str:
    """The submitter a token belongs to; AuthError 401 (no or unknown token), 403 (revoked), 429."""
    limiter: RateLimiter = _state(request).limiter
    ip = client(request)
    limiter.check(ip)
    found = Credentials(cfg.root).owner(token) if token else None
    if found is None:
        limiter.fail(ip)
        raise AuthError(401, "链接无效或令牌不对：请使用办公室发给您的报送链接" if token else
                        "缺少令牌：请在请求头写明 Authorization: Bearer <令牌>，或使用办公室发给您的报送链接")
    if found.revoked:
        limiter.fail(ip)
        raise AuthError(403, "这个报送链接已被办公室停用，请向办公室索取新的链接")
    return found.name


def bearer(request) -> str:
    """The token of `Authorization: Bearer <token>`, "" when there is none."""
    kind, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if kind.lower() == "bearer" else ""


# --- the office ------------------------------------------------------------------------------------

def is_office(request) -> bool:
    """A session of the office's, younger than SESSION_HOURS and started under the password in force
    (`bqw serve passwd` ends every session)."""
    started = request.session.get(OFFICE_KEY)
    if not (isinstance(started, (int, float)) and time.time() - started < SESSION_HOURS * 3600):
        return False
    return request.session.get(PASSWORD_KEY) == Credentials(_state(request).cfg.root).password_mark()


def login(request, cfg, password: str) -> None:
    """Start the office's session when the password is right; every attempt goes to the event log."""
    limiter: RateLimiter = _state(request).limiter
    ip = client(request)
    limiter.check(ip)
    credentials = Credentials(cfg.root)
    if not credentials.has_password():
        raise AuthError(401, "办公室尚未设置密码：请在服务器上运行 bqw serve passwd")
    ok = credentials.check_password(password)
    log_event(cfg, "login" if ok else "login-failed", f"办公室登录{'成功' if ok else '失败'}（{ip}）")
    if not ok:
        limiter.fail(ip)
        raise AuthError(401, "密码不对")
    request.session.clear()  # a new session on login: a cookie planted before it is worth nothing
    request.session[OFFICE_KEY] = int(time.time())
    request.session[PASSWORD_KEY] = credentials.password_mark()
    request.session[CSRF_KEY] = secrets.token_urlsafe(24)


def logout(request) -> None:
    request.session.clear()


def log_event(cfg, event: str, reason: str) -> None:
    """An event in the archive's log (logins); one that cannot be written (the archive busy for long) goes
    to the workspace log instead, and never stops the request."""
    from bqw.store.archive import Archive

    try:
        with Archive(cfg.archive) as store:
            store.start_run("serve")
            store.event(event, reason=reason)
    except Exception as e:  # noqa: BLE001 — see docstring
        from bqw.jobs.routine import log_line

        log_line(cfg, f"serve: {reason}（未能写入归档：{type(e).__name__}: {e}）")


# --- CSRF ------------------------------------------------------------------------------------------

def csrf_token(request) -> str:
    """This session's CSRF token (made on first use), for a hidden field of every form."""
    token = request.session.get(CSRF_KEY)
    if not token:
        token = request.session[CSRF_KEY] = secrets.token_urlsafe(24)
    return token


def require_csrf(request, form) -> None:
    """A form POST must carry the session's CSRF token (field `csrf`); AuthError 403 otherwise."""
    sent = str(form.get("csrf") or "") if form is not None else ""
    token = request.session.get(CSRF_KEY) or ""
    if not sent or not token or not hmac.compare_digest(sent, token):
        raise AuthError(403, "页面已过期或来源不明（缺少校验码），请刷新页面后重新提交")


# --- uploads ---------------------------------------------------------------------------------------

@dataclass
class Upload:
    filename: str
    data: bytes


class _TooBig(Exception):
    pass


async def read_uploads(request, cfg, field: str = "file") -> tuple[list[Upload], object]:
    """The files of a multipart form (every `field` part) and the form: at most MAX_FILES, each at most the
    reading limit (docs/limits.md); refused (ServiceError 413) before more than that is read — by the
    declared Content-Length, then by counting while the body streams in."""
    from starlette.exceptions import HTTPException
    from starlette.requests import Request

    limit = cfg.make_limits().max_file_bytes
    most = MAX_FILES * limit + FORM_OVERHEAD
    too_big = ServiceError(413, f"上传的文件太大：每个文件不超过 {limit // (1024 * 1024)} MB，"
                                f"一次最多 {MAX_FILES} 个")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > most:
        raise too_big
    seen = 0

    async def receive():
        nonlocal seen
        message = await request.receive()
        seen += len(message.get("body", b""))
        if seen > most:
            raise _TooBig
        return message

    try:
        form = await Request(request.scope, receive).form(max_files=MAX_FILES, max_fields=20)
    except _TooBig:
        raise too_big from None
    except HTTPException as e:
        raise ServiceError(413 if "files" in str(e.detail).lower() else 400,
                           f"一次最多上传 {MAX_FILES} 个文件" if "files" in str(e.detail).lower()
                           else "上传的内容无法识别，请用页面或 multipart/form-data 上传") from None
    uploads = []
    for part in form.getlist(field):
        if isinstance(part, str):
            continue
        data = await part.read(limit + 1)
        if len(data) > limit:
            raise ServiceError(413, f"文件“{part.filename}”超过 {limit // (1024 * 1024)} MB，不能上传")
        uploads.append(Upload(part.filename or "", data))
    return uploads, form
