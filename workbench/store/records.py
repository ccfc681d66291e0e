"""What the store remembers of the files it exchanged: the exports it wrote, the edited
files it imported, and what each annotation run did to each document.

:class:`Records` is part of :class:`~workbench.store.Store` (mixed into it); it uses the
store through ``transaction`` and ``query``. An export records whose view it was
(``annotator``), the run it was taken from, and the cells it wrote for the columns an
analyst may edit, so that :func:`~workbench.store.import_corrections` compares an edited
file with exactly what it held when it left the store.
"""

from __future__ import annotations

import hashlib
import json
import os
import zlib
from typing import Any

import pandas as pd

from ..columns import EDITABLE_COLUMNS
from .journal import now

__all__ = ["Records", "ExportCells", "EXPORT_COLUMNS", "DOCUMENT_CHANGE_COLUMNS"]

#: Columns of :meth:`Records.exports`.
EXPORT_COLUMNS = ["id", "as_of", "time", "out_dir", "annotator", "run_id", "has_cells"]
#: Columns of :meth:`Records.document_changes`.
DOCUMENT_CHANGE_COLUMNS = ["run_id", "doc_id", "proposed", "change", "path", "previous_path"]


def _cell(value: Any) -> str:
    """An exported cell as text (``reviewed`` as ``"true"`` / ``"false"``)."""
    return str(value).lower() if isinstance(value, bool) else str(value)


_BOOLS = {True: "true", False: "false"}


def _cells(values: list) -> list[str]:
    """A column's exported cells as text (:func:`_cell`): a column of text as it is."""
    types = set(map(type, values))
    if types <= {str}:
        return values
    if types <= {bool}:
        return list(map(_BOOLS.__getitem__, values))
    return list(map(_cell, values))


#: Rows of exported cells encoded at once by :func:`_encoded`.
_CELL_ROWS = 20_000


class ExportCells:
    """The exported cells of the editable columns, encoded as they come, a batch of rows at a
    time (:meth:`add`): the JSON list of rows ``[sentence_id, *editable cells]``, its SHA-256
    and its compressed bytes (:meth:`result`), the same whatever the batches."""

    def __init__(self) -> None:
        self._sha, self._packer = hashlib.sha256(), zlib.compressobj(6)
        self._parts: list[bytes] = []
        self._rows = 0

    def _feed(self, text: str) -> None:
        raw = text.encode("utf-8")
        self._sha.update(raw)
        self._parts.append(self._packer.compress(raw))

    def add(self, sentence_ids: list[str], columns: list[list]) -> None:
        """Add rows: their sentence ids and the columns of :data:`EDITABLE_COLUMNS`, in order."""
        if not sentence_ids:
            return
        rows = list(zip(sentence_ids, *map(_cells, columns), strict=True))  # tuples: JSON lists
        text = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
        self._feed(("[" if self._rows == 0 else ",") + text[1:-1])
        self._rows += len(rows)

    def result(self) -> tuple[str, bytes]:
        """``(sha256, compressed JSON)`` of all the rows added."""
        self._feed("[]" if self._rows == 0 else "]")
        self._parts.append(self._packer.flush())
        return self._sha.hexdigest(), b"".join(self._parts)


def _encoded(sentences: pd.DataFrame) -> tuple[str, bytes]:
    """The exported cells (:class:`ExportCells`) of a sentences frame, :data:`_CELL_ROWS` rows at a time."""
    # column by column as Python lists: iterating a frame's rows costs a pandas call per cell
    ids = sentences["sentence_id"].tolist()
    columns = [sentences[name].tolist() for name in EDITABLE_COLUMNS]
    cells = ExportCells()
    for first in range(0, len(ids), _CELL_ROWS):
        cells.add(ids[first:first + _CELL_ROWS], [c[first:first + _CELL_ROWS] for c in columns])
    return cells.result()


class Records:
    """The exports, imports and document changes of a :class:`~workbench.store.Store`."""

    transaction: Any
    query: Any

    def record_export(
        self,
        as_of: int,
        *,
        out_dir: str | os.PathLike,
        annotator: str | None = None,
        run_id: int | None = None,
        sentences: pd.DataFrame | None = None,
        cells: tuple[str, bytes] | None = None,
    ) -> int:
        """Note that an export of the view at ``as_of`` was written (see :meth:`exports`).

        Parameters
        ----------
        as_of : int
            The journal position the export's ``sentences.csv`` carries.
        out_dir : str or os.PathLike
            The folder it was written to.
        annotator : str, optional
            Whose corrections the exported view held (None: everyone's).
        run_id : int, optional
            The latest automatic run when the view was taken.
        sentences : pandas.DataFrame, optional
            The exported sentences (``sentence_id`` and the editable columns as the view
            gives them): kept, so an untouched export imports as nothing.
        cells : tuple, optional
            Instead of ``sentences``: their cells as :meth:`ExportCells.result` gives them.

        Returns
        -------
        int
            The export's id.
        """
        with self.transaction() as conn:
            sha = None
            if sentences is not None:
                cells = _encoded(sentences)
            if cells is not None:
                sha, blob = cells
                conn.execute("INSERT OR IGNORE INTO export_cells(sha256, cells) VALUES (?, ?)", (sha, blob))
            return int(
                conn.execute(
                    "INSERT INTO exports(as_of, time, out_dir, annotator, run_id, cells) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (int(as_of), now(), str(out_dir), annotator, run_id, sha),
                ).lastrowid
            )

    def exports(self) -> pd.DataFrame:
        """The exports written from this store, oldest first.

        Returns
        -------
        pandas.DataFrame
            Columns ``id, as_of`` (int64), ``time, out_dir, annotator`` (None: everyone's
            view), ``run_id`` (Int64), ``has_cells`` (bool: what it wrote is kept). Empty
            for exports made before the store had schema version 3; ``annotator``,
            ``run_id`` and cells are unknown for those before version 8.
        """
        rows = self.query(
            "SELECT id, as_of, time, out_dir, annotator, run_id, cells IS NOT NULL FROM exports ORDER BY id"
        )
        frame = pd.DataFrame.from_records(rows, columns=EXPORT_COLUMNS)
        return frame.astype({"id": "int64", "as_of": "int64", "run_id": "Int64", "has_cells": "bool"})

    def exported_cells(self, export_id: int) -> dict[str, dict[str, str]] | None:
        """What one export wrote in the editable columns: sentence id → column → cell (as
        the view gives it; ``reviewed`` as ``"true"`` / ``"false"``), or None when unknown."""
        rows = self.query(
            "SELECT c.cells FROM exports e JOIN export_cells c ON c.sha256 = e.cells WHERE e.id = ?",
            (int(export_id),),
        )
        if not rows:
            return None
        cells = json.loads(zlib.decompress(rows[0][0]).decode("utf-8"))
        return {sid: dict(zip(EDITABLE_COLUMNS, values, strict=True)) for sid, *values in cells}

    def imports(self) -> pd.DataFrame:
        """The edited files :func:`import_corrections` imported, oldest first.

        Returns
        -------
        pandas.DataFrame
            Columns ``sha256`` (of the file's bytes), ``path``, ``annotator``, ``time``,
            ``n_entries`` (int64: journal entries the file made).
        """
        rows = self.query("SELECT sha256, path, annotator, time, n_entries FROM imports ORDER BY id")
        frame = pd.DataFrame.from_records(rows, columns=["sha256", "path", "annotator", "time", "n_entries"])
        return frame.astype({"n_entries": "int64"})

    def record_import(
        self, sha256: str, *, path: str | os.PathLike, annotator: str, time: str, n_entries: int
    ) -> None:
        """Note that an edited file was imported (see :meth:`imports`).

        Parameters
        ----------
        sha256 : str
            Of the file's bytes.
        path : str or os.PathLike
            The file.
        annotator : str
            Who imported it.
        time : str
            When (as its journal entries say).
        n_entries : int
            How many journal entries it made.
        """
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO imports(sha256, path, annotator, time, n_entries) VALUES (?, ?, ?, ?, ?)",
                (sha256, str(path), annotator, time, int(n_entries)),
            )

    def document_changes(self, run_id: int | None = None) -> pd.DataFrame:
        """What an annotation run did to each document it annotated.

        Parameters
        ----------
        run_id : int, optional
            The run (default: the latest).

        Returns
        -------
        pandas.DataFrame
            Columns ``run_id`` (int64), ``doc_id`` (the id the store gave it),
            ``proposed`` (the id its corpus proposed), ``change`` (``added``, ``kept``,
            ``updated``: its text changed, ``moved``: the same text at a new path),
            ``path`` and ``previous_path`` (the path it had before; ``""`` for an added one).
        """
        if run_id is None:
            run_id = (self.query("SELECT max(run_id) FROM runs")[0][0]) or 0
        rows = self.query(
            "SELECT run_id, doc_id, proposed, change, path, previous_path FROM document_changes "
            "WHERE run_id = ? ORDER BY rowid",
            (int(run_id),),
        )
        return pd.DataFrame.from_records(rows, columns=DOCUMENT_CHANGE_COLUMNS).astype({"run_id": "int64"})
