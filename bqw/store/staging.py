"""Outputs built aside and moved into place only once the archive has committed (docs/workspace.md).

A run (bqw run, bqw merge) writes every output into a staging folder beside its final place —
``out/.bqw-staging-<pid>-<token>/`` holding the same tree as out/ (``2026-10/…``, ``退回/…``), on
the same file system, so that moving a file into place is a rename. Then:

1. inside the archive transaction, each file's place is checked (not a folder, not read-only) and
   the staging folder is recorded in the archive (table ``staged_outputs``), so it commits or rolls
   back with the run's data and document numbers;
2. the archive commits;
3. each staged file is renamed into place (atomically, one at a time), then the record is deleted
   and the folder removed. A rename that fails all the same (on Windows, a file open in Excel)
   leaves the folder recorded and is reported (`Staging.failed`); the next run moves the rest.

Killed or failed before the commit, the archive has rolled back, the folder is not recorded, and
nothing has reached out/: the folder is removed at once (a failure) or by the next run (a kill).
Killed during step 3, the archive still records the folder: the next bqw run or bqw merge on that
archive finishes the moves before anything else (`recover`). So out/ only ever shows what a
committed run wrote, and a document number in out/ is one the archive keeps.
"""

from __future__ import annotations

import errno
import os
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path

from bqw.core.atomic import pid_alive
from bqw.core.faults import fault_point

PREFIX = ".bqw-staging-"  # hidden: never taken for an output, nor read as a submission
TABLE = """CREATE TABLE IF NOT EXISTS staged_outputs(
    folder TEXT PRIMARY KEY,    -- the staging folder (absolute)
    base TEXT NOT NULL,         -- where its files go: base/<their path inside the folder>
    created_at TEXT NOT NULL)"""


def owner_pid(name: str, prefix: str) -> int | None:
    """The PID in a name made by this module or bqw.documents.render: <prefix><pid>-<token>."""
    pid, dash, _token = name[len(prefix):].partition("-")
    return int(pid) if name.startswith(prefix) and dash and pid.isdigit() else None


class Staging:
    """The staging folder of one run, for outputs under `base` (see the module docstring)."""

    def __init__(self, base):
        self.base = Path(os.path.abspath(base))
        self.root = self.base / f"{PREFIX}{os.getpid()}-{uuid.uuid4().hex[:12]}"
        self.recorded = False
        self.failed: OSError | None = None  # a move that failed after the commit (publish)

    @contextmanager
    def transaction(self, archive):
        """The archive transaction of a run that writes outputs (steps 1-3 of the module docstring):
        the caller writes its outputs into this staging folder inside it; when it ends, the places
        are checked and the folder recorded, the archive commits, and the files are moved into
        place. Failed or killed before the commit, nothing reaches its place; an OSError naming a
        staged file names its final place instead."""
        try:
            with archive.transaction():
                yield self
                self.record(archive)
                fault_point("merge-before-commit")
        except BaseException as e:
            self.discard()
            if isinstance(e, OSError) and (named := self.named_as_final(e)) is not None:
                raise named from e  # the user knows out/2026-10/…, not the staging folder
            raise
        fault_point("merge-committed")
        self.publish(archive)

    def path(self, final) -> Path:
        """Where to write `final` (a file or folder under `base`) now; it is moved there after the commit."""
        return self.root / Path(os.path.abspath(final)).relative_to(self.base)

    def final(self, staged) -> Path:
        """The place of a staged file once moved."""
        return self.base / Path(staged).relative_to(self.root)

    def record(self, archive) -> None:
        """Inside the archive transaction: the staged outputs commit (or roll back) with it. A place
        they cannot go (a read-only folder, a folder of that name) fails the run here, before the commit."""
        if not self.root.exists():
            return  # nothing written
        self._check_places()
        if archive.path == ":memory:":
            return  # no archive to agree with (--no-archive)
        from bqw.store.archive import now

        archive.db.execute(TABLE)
        archive.db.execute("INSERT INTO staged_outputs(folder, base, created_at) VALUES (?,?,?)",
                           (str(self.root), str(self.base), now()))
        self.recorded = True

    def named_as_final(self, error: OSError) -> OSError | None:
        """`error` naming the place the user knows (out/2026-10/…) instead of the staged file; None
        when it names no staged file."""
        name = error.filename
        if not isinstance(name, (str, os.PathLike)):
            return None
        try:
            final = self.base / Path(os.path.abspath(name)).relative_to(self.root)
        except ValueError:
            return None
        return OSError(error.errno, error.strerror or str(error), str(final))

    def _check_places(self) -> None:
        for staged in self.root.rglob("*"):
            if not staged.is_file() or staged.name.startswith(".bqw-"):
                continue
            target = self.final(staged)
            if target.is_dir():
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
            folder = target.parent
            while not folder.exists() and folder != folder.parent:
                folder = folder.parent
            if not os.access(folder, os.W_OK | os.X_OK):
                read_only = hasattr(os, "statvfs") and os.statvfs(folder).f_flag & os.ST_RDONLY
                code = errno.EROFS if read_only else errno.EACCES
                raise OSError(code, os.strerror(code), str(target))

    def publish(self, archive) -> list[Path]:
        """After the commit: move every staged file into place, then forget the folder. A move that
        fails all the same (a file held open on Windows) is kept in `failed`, and the folder stays
        recorded: the next run moves the rest."""
        try:
            moved = _move_all(self.root, self.base)
        except OSError as e:
            named = self.named_as_final(e)
            if not self.recorded:  # no archive keeps it for a next run (--no-archive): a plain failure
                self.discard()
                if named is None:
                    raise
                raise named from e
            self.failed = named or e
            return []
        if self.recorded:
            archive.db.execute("DELETE FROM staged_outputs WHERE folder=?", (str(self.root),))
        shutil.rmtree(self.root, ignore_errors=True)
        return moved

    def discard(self) -> None:
        """The run failed before its commit: none of its outputs may reach their place."""
        shutil.rmtree(self.root, ignore_errors=True)


def _move_all(root: Path, base: Path) -> list[Path]:
    """Rename each file under `root` to the same place under `base` (in order: a rerun after a kill
    finds the files not yet moved where they were)."""
    moved = []
    if not root.is_dir():
        return moved
    for staged in sorted(p for p in root.rglob("*") if p.is_file()):
        if staged.name.startswith(".bqw-"):
            continue  # a temporary file of an interrupted write, not an output
        target = base / staged.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_file():  # a replaced output keeps the permissions it was given
            os.chmod(staged, target.stat().st_mode & 0o7777)
        try:
            os.replace(staged, target)
        except OSError as e:
            if e.errno != errno.EXDEV:
                raise
            _copy_across(staged, target)  # a folder under out/ that is a link to another disk
        moved.append(target)
        fault_point("outputs-moving")
    return moved


def _copy_across(staged: Path, target: Path) -> None:
    from bqw.core.atomic import atomic_path

    with atomic_path(target) as tmp:
        shutil.copyfile(staged, tmp)
    staged.unlink()


def recover(archive, base) -> list[Path]:
    """Before a run writes outputs: finish the moves of runs killed after their commit (recorded in
    `archive`), and remove the staging folders under `base` of runs killed before it. The caller
    holds the archive's lock, so no recorded folder is still being written."""
    moved: list[Path] = []
    db = archive.db
    if archive.path != ":memory:" and db.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='staged_outputs'").fetchone():
        for folder, to in db.execute("SELECT folder, base FROM staged_outputs ORDER BY created_at").fetchall():
            moved += _move_all(Path(folder), Path(to))
            db.execute("DELETE FROM staged_outputs WHERE folder=?", (folder,))
            shutil.rmtree(folder, ignore_errors=True)
    base = Path(base)
    if base.is_dir():
        for folder in base.glob(PREFIX + "*"):
            pid = owner_pid(folder.name, PREFIX)
            if pid is not None and pid != os.getpid() and not pid_alive(pid):
                shutil.rmtree(folder, ignore_errors=True)  # rolled back with its run: never an output
    return moved
