"""Which files are submissions: input arguments (files, folders walked recursively, globs) expanded,
and the files no reader should open (Office lock files, other extensions, hidden files) told apart —
the one place that decides it, for the CLI, bqw run, merge and the reader."""

from __future__ import annotations

import glob
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from bqw.io.book import SUPPORTED_EXTS

LOCK_FILE = "Excel/WPS 临时锁定文件（~$ 开头）"
NOT_A_SPREADSHEET = "不是表格文件"


def real_path(path) -> Path:
    """`path` with its links followed and made absolute, never raising for a link that loops (Python 3.11's
    Path.resolve raises RuntimeError there, later versions OSError): the loop is left as written."""
    return Path(os.path.realpath(path))


def is_lock_file(path: Path) -> bool:
    """Excel/WPS owner files: “~$名称.xlsx” (and WPS “.~名称.xlsx”)."""
    return path.name.startswith("~$") or path.name.startswith(".~")


def skip_reason(path: Path) -> str | None:
    """Why a file named for merging is no submission (LOCK_FILE, NOT_A_SPREADSHEET), or None to read it."""
    if is_lock_file(path):
        return LOCK_FILE
    if path.suffix.lower() not in SUPPORTED_EXTS:
        return NOT_A_SPREADSHEET
    return None


def _hidden(path: Path, root: Path) -> bool:
    """Dot files and folders found inside a folder (.DS_Store, ._x.xlsx from macOS, .git)."""
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def collect_inputs(paths) -> tuple[list[Path], list[Path], list[Path]]:
    """(spreadsheet files in a stable order, paths that do not exist, other files found in folders).

    A file named explicitly is always returned as a file, whatever its extension (it gets a clear
    message when read); other files found while walking a folder are listed apart, to be noted
    and skipped.
    """
    files, missing, others = [], [], []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if _hidden(f, p) or (f.is_dir() and f.suffix.lower() not in SUPPORTED_EXTS):
                    continue
                (files if f.suffix.lower() in SUPPORTED_EXTS else others).append(f)
        elif p.exists() or p.is_symlink():  # a dangling link gets the reader's message, not “找不到”
            files.append(p)
        elif any(ch in str(p) for ch in "*?["):
            files.extend(sorted(Path(g) for g in glob.glob(str(p), recursive=True)))
        else:
            missing.append(p)
    return _unique(files), missing, _unique(others)


def _unique(paths: list[Path]) -> list[Path]:
    seen, out = set(), []
    for f in paths:
        if f not in seen:
            seen.add(f)
            out.append(f)
    return out


# --- what a command must not write over (docs/cli.md “输出文件”) ------------------------------------

@dataclass(frozen=True)
class Clash:
    """An output that would be written over an input, or into a folder being read."""

    output: Path
    input: Path  # as the user (or bqw.toml) named it
    label: str  # what the input is: 输入文件, 输入文件夹, 工作区的收件箱 …
    inside: bool  # the output lies inside `input`, a folder; else it is `input` itself

    def message(self, option: str) -> str:
        if self.inside:
            return (f"{option} 指定的输出 {self.output} 位于{self.label} {self.input} 中：写在这里的文件会被当作"
                    "上报的台账读入，请把输出放到这个文件夹之外")
        return (f"{option} 指定的输出 {self.output} 就是{self.label} {self.input}：bqw 不会覆盖它读取的文件，"
                "请另选输出文件")


class Protected:
    """The files and folders a command reads: nothing may be written over one of them or inside the folders.

    Paths are compared by identity (device and inode, as os.path.samefile), so a path spelled with
    “..”, through a link, or in another letter case on Windows and macOS is the same path.
    """

    def __init__(self):
        self._ids: dict[tuple[int, int], tuple[Path, str, bool]] = {}

    def add(self, path, label: str | None = None) -> Protected:
        """Protect `path` (missing paths are skipped); label says what it is, by default 输入文件/输入文件夹."""
        if path is None:
            return self
        try:
            st = os.stat(path)
        except (OSError, ValueError):  # missing, a glob pattern (its files, as collect_inputs reads them)
            if any(ch in str(path) for ch in "*?["):
                for found in glob.glob(str(path), recursive=True):
                    self.add(found, label)
            return self
        folder = stat.S_ISDIR(st.st_mode)
        self._ids.setdefault((st.st_dev, st.st_ino),
                             (Path(path), label or ("输入文件夹" if folder else "输入文件"), folder))
        return self

    def clash(self, output) -> Clash | None:
        """The input that `output` would overwrite or lie inside, else None."""
        output = Path(output)
        here = real_path(output)  # links followed, “..” after a link taken from the link's target
        for i, candidate in enumerate((here, *here.parents)):
            try:
                st = os.stat(candidate)
            except (OSError, ValueError):
                continue  # not created yet
            found = self._ids.get((st.st_dev, st.st_ino))
            if found is not None and (i == 0 or found[2]):
                path, label, _folder = found
                return Clash(output, path, label, inside=i > 0)
        return None

    def written_over(self, output) -> bool:
        """Whether writing `output` would replace something protected (it exists and is, or is inside, one)."""
        return os.path.lexists(output) and self.clash(output) is not None


def cannot_replace(path) -> str | None:
    """Why bqw must not replace the existing `path` with a file (None: it may, or nothing is there).

    Read-only is the file's own mark (no write permission bits, as Windows' read-only attribute
    appears), not only what the process may do: root may write anything, yet a file its owner
    marked read-only is not bqw's to replace.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None  # nothing there, or a dangling link: the link is replaced, nothing else
    except OSError as e:
        return f"无法访问（{e.strerror}）"
    if stat.S_ISDIR(st.st_mode):
        return "是一个文件夹"
    if not stat.S_ISREG(st.st_mode):
        return "不是普通文件（是设备、管道等特殊文件）"
    if not st.st_mode & 0o222 or not os.access(path, os.W_OK):
        return "是只读文件"
    folder = Path(os.path.abspath(path)).parent
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"所在的文件夹 {folder} 不允许写入"
    return None
