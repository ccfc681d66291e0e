"""Writing files so that an interrupted write never leaves a half-written one, and
opening the zip archives users give (workbooks, REFI-QDA projects) without unpacking a bomb."""

from __future__ import annotations

import os
import secrets
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["FORMATS", "write_atomically", "unpacking_problem", "MAX_UNPACKED", "MAX_RATIO"]

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
