"""A workspace built as make demo builds out/演示工作区 (bqw init + the samples' 名单), in tmp_path, and the
bqw serve app on it (starlette's TestClient): tokens issued for a few leaders, the office's password set."""

from __future__ import annotations

import shutil
import warnings
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
MONTH = SAMPLES / "2026-10"
AS_OF = date(2026, 10, 31)
PASSWORD = "办公室口令-2026-测试"


def sample(leader: str, mark: str = "") -> Path:
    """The samples' October visit ledger of `leader` (mark: “（更正）”)."""
    found = [p for p in MONTH.iterdir() if p.stem.endswith(f"-{leader}{mark}") and not p.name.startswith("~$")]
    assert len(found) == 1, found
    return found[0]


def make_workspace(folder: Path) -> Path:
    from bqw.jobs.config import init

    init(folder, town="平安镇", year=2026)
    shutil.copy(next((SAMPLES / "assignments").glob("*.xlsx")), folder / "名单" / "镇领导挂点联系村安排表.xlsx")
    shutil.copy(next((SAMPLES / "roster").glob("*.xlsx")), folder / "名单" / "指挥部成员名单.xlsx")
    return folder


class Site:
    """The app on a workspace, with a client and a token per leader in `tokens`."""

    def __init__(self, folder: Path):
        from bqw.jobs.config import load, resolve
        from bqw.web.app import create_app
        from bqw.web.auth import Credentials

        self.root = make_workspace(folder)
        self.cfg = resolve(load(self.root))
        credentials = Credentials(self.root)
        self.tokens = {name: credentials.issue(name) for name in ("洪文泽", "李明", "黄丽娟", "张国华")}
        credentials.set_password(PASSWORD)
        self.app = create_app(self.cfg, as_of=AS_OF)
        with warnings.catch_warnings():  # starlette 1.x would rather have httpx2; httpx is what is installed
            warnings.simplefilter("ignore")
            from starlette.testclient import TestClient

            self.client = TestClient(self.app)

    def bearer(self, name: str) -> dict:
        return {"Authorization": f"Bearer {self.tokens[name]}"}

    def check(self, name: str, path: Path, filename: str | None = None, token: str | None = None):
        headers = {"Authorization": f"Bearer {token}"} if token is not None else self.bearer(name)
        return self.client.post("/api/check", headers=headers,
                                files={"file": (filename or path.name, path.read_bytes())})

    def submit(self, name: str, pending: str):
        return self.client.post("/api/submit", headers=self.bearer(name), data={"pending": pending})

    def check_and_submit(self, name: str, path: Path):
        found = self.check(name, path)
        assert found.status_code == 200, found.text
        return self.submit(name, found.json()["files"][0]["pending"])

    def login(self):
        answer = self.client.post("/login", data={"password": PASSWORD})
        assert answer.status_code == 200, answer.text
        return answer.json()["csrf"]

    def archive(self):
        from bqw.store.archive import Archive

        return Archive(self.cfg.archive)


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()}
