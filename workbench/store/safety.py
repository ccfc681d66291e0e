"""Keeping the store file whole and saying plainly when it cannot be written.

- :class:`StoreWriteError`: a write that did not happen, with the reason in plain words
  (``reason`` is ``"locked"``, ``"read-only"``, ``"disk full"``, ``"disk error"`` or
  ``"damaged"``); :func:`write_error` turns SQLite's error into one.
- :func:`check_schema`: opening a store compares its tables, views, triggers and indexes
  with what this workbench's migrations create, so a file changed outside the workbench
  (a trigger of its own, a view in place of a table) is refused before anything runs.
- :func:`backup`: a complete single-file copy through SQLite's online backup API, safe
  while notebooks read and write the store.
- :func:`checkpoint` and :class:`IdleCheckpoint`: folding the write-ahead log into the
  store file once writes pause (a quarter of a second after the last one) and on close,
  so that even a plain copy of the file holds every correction.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from functools import cache
from pathlib import Path

from . import schema
from .schema import StoreError

__all__ = [
    "StoreWriteError",
    "IdleCheckpoint",
    "write_error",
    "check_schema",
    "backup",
    "checkpoint",
    "compact",
    "REASONS",
]

#: Why a write may fail, as :attr:`StoreWriteError.reason` says it.
REASONS = {
    "locked": "another program held the store for longer than the timeout",
    "read-only": "the file or its folder may not be written to",
    "disk full": "no space left on the disk",
    "disk error": "the disk failed to write",
    "damaged": "the file is not a sound SQLite database",
}
_BY_CODE = {
    5: "locked",
    6: "locked",
    8: "read-only",
    13: "disk full",
    10: "disk error",
    14: "disk error",
    11: "damaged",
    26: "damaged",
}


class StoreWriteError(StoreError):
    """A write to the store that did not happen; nothing of it was saved.

    Attributes
    ----------
    reason : str
        One of :data:`REASONS`: ``"locked"``, ``"read-only"``, ``"disk full"``,
        ``"disk error"``, ``"damaged"``.
    path : pathlib.Path
        The store file.
    """

    def __init__(self, message: str, *, reason: str, path: Path):
        super().__init__(message)
        self.reason = reason
        self.path = path


def write_error(exc: sqlite3.Error, *, path: Path, timeout: float) -> StoreWriteError | None:
    """The :class:`StoreWriteError` for SQLite's ``exc``, or None when it is another kind
    of error (a constraint, a bug) that must not be dressed up."""
    code = getattr(exc, "sqlite_errorcode", None)
    reason = _BY_CODE.get(code & 0xFF) if isinstance(code, int) else None
    if reason is None:
        text = str(exc).lower()
        reason = next(
            (
                r
                for key, r in (
                    ("locked", "locked"),
                    ("readonly", "read-only"),
                    ("disk is full", "disk full"),
                    ("disk i/o", "disk error"),
                )
                if key in text
            ),
            None,
        )
    if reason is None:
        return None
    where = f"the store {str(path)!r}"
    message = {
        "locked": f"{where} stayed locked by another program (a notebook or a `workbench` command writing to "
        f"it) for more than {timeout:g} s; try again when it has finished",
        "read-only": f"{where} is read-only (the file or its folder may not be written to); make it writable "
        "(chmod u+w), or copy it somewhere you may write",
        "disk full": f"the disk holding {where} is full; free some space and try again",
        "disk error": f"the disk holding {where} failed to write ({exc}); check the disk, then try again",
        "damaged": f"{where} is damaged ({exc}); open a backup (`workbench backup` makes them)",
    }[reason]
    return StoreWriteError(f"nothing was saved: {message}", reason=reason, path=path)


# --------------------------------------------------------------------------- the schema

_SPACE = re.compile(r"\s+")


def _normal(sql: str | None) -> str:
    return _SPACE.sub(" ", sql or "").strip()


def _objects(conn: sqlite3.Connection) -> dict[str, tuple[str, object]]:
    """name -> (type, shape): a table's columns as ``PRAGMA table_info`` gives them (so the
    SQLite version that rewrote its SQL on ALTER TABLE does not matter), else the SQL."""
    found: dict[str, tuple[str, object]] = {}
    for kind, name, sql in conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ):
        if kind == "table":
            found[name] = (kind, tuple(conn.execute("SELECT * FROM pragma_table_info(?)", (name,))))
        else:
            found[name] = (kind, _normal(sql))
    return found


@cache
def _expected(version: int, migrations: tuple[tuple[str, ...], ...]) -> dict[str, tuple[str, object]]:
    """What the first ``version`` migrations create (see :func:`_objects`)."""
    conn = sqlite3.connect(":memory:")
    try:
        for statements in migrations[:version]:
            for statement in statements:
                conn.execute(statement)
        return _objects(conn)
    finally:
        conn.close()


def check_schema(conn: sqlite3.Connection, *, version: int, where: str) -> None:
    """Refuse a store whose schema is not what this workbench made at ``version``.

    Every table, view and trigger must be one the migrations create, the same (a table's
    columns, a view's or trigger's SQL), and every index they create must be there;
    indexes of its own are allowed (they run no code). Raises :class:`StoreError` naming
    what differs.
    """
    expected = _expected(version, tuple(tuple(m) for m in schema.MIGRATIONS))
    problems = []
    actual = _objects(conn)
    for name, (kind, shape) in actual.items():
        want = expected.get(name)
        if want is None:
            if kind != "index":
                problems.append(f"it has {kind} {name!r}, which no workbench store has")
        elif want[0] != kind:
            problems.append(f"{name!r} is a {kind}, not the workbench's {want[0]}")
        elif want[1] != shape:
            problems.append(f"its {kind} {name!r} differs from the workbench's")
    problems += [
        f"its {kind} {name!r} is missing" for name, (kind, _) in expected.items() if name not in actual
    ]
    if problems:
        shown = "; ".join(problems[:3]) + (f"; and {len(problems) - 3} more" if len(problems) > 3 else "")
        raise StoreError(
            f"{where} was changed outside the workbench: {shown}; open a backup (`workbench backup` "
            "makes them) or a copy made before the change"
        )


# --------------------------------------------------------------------------- copies


def checkpoint(conn: sqlite3.Connection, *, mode: str = "PASSIVE") -> None:
    """Fold the write-ahead log into the store file as far as readers allow (never fails)."""
    try:
        conn.execute(f"PRAGMA wal_checkpoint({mode})").fetchall()
    except sqlite3.Error:
        pass  # a read-only store, or a reader holding the log: the next checkpoint goes on


def compact(conn: sqlite3.Connection, *, timeout: float) -> bool:
    """Rewrite the store file without its free pages (``VACUUM``), unless another connection
    is using it (then nothing happens: SQLite reuses the free pages as the store grows).

    ``timeout`` is the connection's usual busy timeout (seconds), restored afterwards.
    Returns whether the file was compacted.
    """
    conn.execute("PRAGMA busy_timeout = 0")  # never wait for others: compacting can wait
    try:
        conn.execute("VACUUM")
        return True
    except sqlite3.Error:
        return False
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")


class IdleCheckpoint:
    """Checkpoint a store ``delay`` seconds after its last write, from a timer thread.

    Each write calls :meth:`wrote`, which starts the wait again, so a burst of clicks
    costs one checkpoint after it, never one per click. The checkpoint runs on a
    connection of its own, so it never waits for, or shows up in, the store's.
    """

    def __init__(self, path: Path, *, delay: float = 0.25):
        self._path, self._delay = path, delay
        self._timer: threading.Timer | None = None
        self._guard = threading.Lock()
        self._closed = False

    def wrote(self) -> None:
        """A write was committed: checkpoint once the store is idle."""
        with self._guard:
            if self._timer is not None:
                self._timer.cancel()
            if not self._closed:
                self._timer = threading.Timer(self._delay, self._run)
                self._timer.daemon = True
                self._timer.start()

    def _run(self) -> None:
        with self._guard:
            if self._closed:
                return
        try:  # mode=rw: never create a file that is gone meanwhile
            conn = sqlite3.connect(f"{self._path.resolve().as_uri()}?mode=rw", uri=True, timeout=1.0)
        except (sqlite3.Error, OSError):
            return
        try:
            checkpoint(conn)
        finally:
            conn.close()

    def close(self) -> None:
        """No more checkpoints (the store closes its connection itself)."""
        with self._guard:
            self._closed = True
            if self._timer is not None:
                self._timer.cancel()


def backup(conn: sqlite3.Connection, dest: Path, *, source: Path) -> Path:
    """Copy the store open on ``conn`` into the new file ``dest`` with SQLite's backup API.

    The copy is written next to ``dest`` and renamed into place when whole; it is a
    single file (no write-ahead log beside it). Raises :class:`StoreError` when ``dest``
    is the store itself, already exists, or its folder does not.
    """
    dest = Path(dest)
    if dest.exists() and os.path.samefile(dest, source):
        raise StoreError(f"{str(dest)!r} is the store itself; name a new file or a folder for the backup")
    if dest.exists():
        raise StoreError(
            f"{str(dest)!r} already exists; name a new file, or a folder to put a dated backup in"
        )
    if not dest.parent.is_dir():
        raise StoreError(f"cannot write the backup {str(dest)!r}: folder {str(dest.parent)!r} does not exist")
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    try:
        copy = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.backup(copy)  # all pages in one step, under one read lock: one consistent snapshot
            copy.execute("PRAGMA journal_mode = DELETE")
            if copy.execute("PRAGMA integrity_check").fetchone() != ("ok",):
                raise StoreError(f"the backup of {str(source)!r} failed its integrity check; try again")
        finally:
            copy.close()
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, dest)
    finally:
        if tmp.exists():
            tmp.unlink()
    return dest
