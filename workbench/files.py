"""Writing files so that an interrupted write never leaves a half-written one, and
opening the zip archives users give (workbooks, REFI-QDA projects) without unpacking a bomb.

:func:`write_atomically` writes one file through a temporary file; :func:`new_folder` and
:func:`swap_in` write a whole folder of files (an export) beside the old one and swap it
in at once, so the folder a reader opens is always one whole export.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import secrets
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = [
    "FORMATS", "write_atomically", "new_folder", "swap_in", "clean_strays", "unpacking_problem",
    "MAX_UNPACKED", "MAX_RATIO",
]

#: The most an archive's members may unpack to, together (a sentences sheet of 100,000
#: sentences is about 100 MB).
MAX_UNPACKED = 2 << 30
#: How many times its packed size a large member (over 32 MiB) may unpack to: the XML of
#: spreadsheets and QDA projects packs about 10 to 1, a zip bomb a thousand to one.
MAX_RATIO = 100
_LARGE = 32 << 20

#: Formats of :func:`workbench.export.export` (here, so that the command line lists them
#: without importing pandas).
FORMATS = {
    "csv": "sentences.csv, mentions.csv, the tables and manifest.json",
    "xlsx": "one Excel workbook: README, sentences, mentions, documents and the tables",
    "qdpx": "a REFI-QDA project (MAXQDA, ATLAS.ti, NVivo …): articles, codes, codings, notes",
    "qdc": "the codebook as a REFI-QDA codebook",
}


def write_atomically(
    path: str | os.PathLike,
    write: Callable[[Any], None],
    *,
    binary: bool = False,
    encoding: str = "utf-8",
    newline: str | None = None,
) -> Path:
    """Write a file through a temporary file in the same folder, then rename it over ``path``.

    Parameters
    ----------
    path : str or os.PathLike
        The file to (over)write.
    write : callable
        Called with the open file handle; writes the content.
    binary : bool, default False
        Open the handle in binary mode (``encoding`` and ``newline`` are then unused).
    encoding : str, default "utf-8"
        The text encoding.
    newline : str, optional
        As for :func:`open`.

    Returns
    -------
    pathlib.Path
        ``path``. On any error the old file (if any) is left as it was and the temporary
        file is removed.
    """
    path = Path(path)
    tmp = str(path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    # os.open with mode 0o666 gives the file the usual permissions (umask applied),
    # unlike tempfile.mkstemp's 0o600
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        options = {} if binary else {"encoding": encoding, "newline": newline}
        with os.fdopen(fd, "wb" if binary else "w", **options) as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


# --------------------------------------------------------------------------- whole folders

#: ``.{name}.{kind}-{pid}-{token}``: a folder being written, or the old one being removed.
_WORK = re.compile(r"^\.(?P<name>.+)\.(?P<kind>new|old)-(?P<pid>\d+)-[0-9a-f]+$")
_STRAY_FILE = re.compile(r"^\..+\.(?P<pid>\d+)\.[0-9a-f]+\.tmp$")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_strays(folder: Path) -> list[Path]:
    """Remove what killed writers left: half-written folders beside ``folder`` and
    temporary files inside it, of processes that are gone. Returns what was removed.

    A folder swapped out but not yet removed is removed too; when ``folder`` itself is
    missing because a writer died between its two renames, the new folder it had
    finished (it holds its manifest) is put in its place.
    """
    removed: list[Path] = []
    parent = folder.parent
    if parent.is_dir():
        for entry in sorted(parent.iterdir()):
            m = _WORK.match(entry.name)
            if not m or m["name"] != folder.name or _alive(int(m["pid"])):
                continue
            if m["kind"] == "new" and not folder.exists() and (entry / "manifest.json").exists():
                os.rename(entry, folder)  # finished, but the writer died before swapping it in
                continue
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    if folder.is_dir():
        for entry in folder.iterdir():
            m = _STRAY_FILE.match(entry.name)
            if m and not _alive(int(m["pid"])):
                entry.unlink(missing_ok=True)
                removed.append(entry)
    return removed


def new_folder(folder: Path) -> Path:
    """An empty folder beside ``folder`` to write its next content into (see :func:`swap_in`)."""
    work = folder.parent / f".{folder.name}.new-{os.getpid()}-{secrets.token_hex(4)}"
    work.mkdir()
    return work


def _link(source: Path, dest: Path) -> None:
    """``dest`` as a hard link of ``source`` (a copy where links are not possible); folders too."""
    def link(a: str, b: str) -> None:
        try:
            os.link(a, b)
        except OSError:
            shutil.copy2(a, b)

    if source.is_dir() and not source.is_symlink():
        shutil.copytree(source, dest, symlinks=True, copy_function=link)
    elif source.is_symlink():
        os.symlink(os.readlink(source), dest)
    else:
        link(str(source), str(dest))


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False if unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(a))


def swap_in(work: Path, folder: Path, *, keep_others: bool = True) -> Path:
    """Put the folder ``work`` (from :func:`new_folder`) in the place of ``folder``, whole.

    Files in the old folder that ``work`` does not have are linked across first (unless
    ``keep_others`` is False), so what else the analyst keeps there stays. The old folder
    is then exchanged with the new one in one step where the system can (Linux), else by
    two renames (a writer killed between them leaves the new folder for
    :func:`clean_strays` to put in place). Returns ``folder``.
    """
    if not folder.exists():
        os.rename(work, folder)
        return folder
    if keep_others:  # linked, not moved: if this process dies now, the old folder still has them
        for entry in folder.iterdir():
            if not (work / entry.name).exists() and not _STRAY_FILE.match(entry.name):
                _link(entry, work / entry.name)
    if _exchange(work, folder):
        shutil.rmtree(work, ignore_errors=True)  # now the old content
        return folder
    old = folder.parent / f".{folder.name}.old-{os.getpid()}-{secrets.token_hex(4)}"
    os.rename(folder, old)
    os.rename(work, folder)
    shutil.rmtree(old, ignore_errors=True)
    return folder


def unpacking_problem(archive: zipfile.ZipFile) -> str | None:
    """Why the members of a zip archive must not be unpacked (it is a zip bomb), or None.

    Parameters
    ----------
    archive : zipfile.ZipFile
        The open archive; only its directory is read (a member never yields more than the
        size the directory gives it).

    Returns
    -------
    str or None
        The problem, naming the member, for the caller's error message.
    """
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if info.file_size > _LARGE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            return (
                f"{info.filename} would unpack from {info.compress_size:,} to {info.file_size:,} bytes "
                f"({info.file_size // max(info.compress_size, 1):,} times as much)"
            )
    if total > MAX_UNPACKED:
        return f"its files would unpack to {total:,} bytes, more than the {MAX_UNPACKED:,} read at most"
    return None
