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

__all__ = ["Records", "EXPORT_COLUMNS", "DOCUMENT_CHANGE_COLUMNS"]

#: Columns of :meth:`Records.exports`.
EXPORT_COLUMNS = ["id", "as_of", "time", "out_dir", "annotator", "run_id", "has_cells"]
#: Columns of :meth:`Records.document_changes`.
DOCUMENT_CHANGE_COLUMNS = ["run_id", "doc_id", "proposed", "change", "path", "previous_path"]


def _cell(value: Any) -> str:
    """An exported cell as text (``reviewed`` as ``"true"`` / ``"false"``)."""
    return str(value).lower() if isinstance(value, bool) else str(value)


#: Rows of exported cells encoded at once by :func:`_encoded`.
_CELL_ROWS = 20_000


def _encoded(sentences: pd.DataFrame) -> tuple[str, bytes]:
    """The exported cells of the editable columns, compressed, and their SHA-256 (of the JSON
    list of rows ``[sentence_id, *editable cells]``), encoded :data:`_CELL_ROWS` rows at a time."""
    # column by column as Python lists: iterating a frame's rows costs a pandas call per cell
    ids = sentences["sentence_id"].tolist()
    columns = [sentences[name].tolist() for name in EDITABLE_COLUMNS]
    sha, packer = hashlib.sha256(), zlib.compressobj(6)
    out = []
    for first in range(0, max(len(ids), 1), _CELL_ROWS):
        rows = [[sid, *map(_cell, values)] for sid, *values in zip(
            ids[first:first + _CELL_ROWS], *(c[first:first + _CELL_ROWS] for c in columns), strict=True)]
        text = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
        if len(ids) > _CELL_ROWS:  # the list's brackets once, around all the rows
            text = ("[" if first == 0 else ",") + text[1:-1] + ("]" if first + _CELL_ROWS >= len(ids) else "")
        raw = text.encode("utf-8")
        sha.update(raw)
        out.append(packer.compress(raw))
    out.append(packer.flush())
    return sha.hexdigest(), b"".join(out)


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

        Returns
        -------
        int
            The export's id.
        """
        with self.transaction() as conn:
            sha = None
            if sentences is not None:
                sha, blob = _encoded(sentences)
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
