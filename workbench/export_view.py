"""``sentences.csv`` and ``mentions.csv`` written as the store's view is read, a range of
documents at a time (:meth:`Store.view_batches`), and what the export's tables need kept
from them: the key columns of every sentence of body text (no text, no sentence id), those
with a speaker (the statements table's, with their text) and the topic mentions in them.

The files hold the bytes ``write_csv`` writes for the view's frames: the same columns,
values, formula guard (:func:`workbench.spreadsheet.neutralise_values`) and CSV dialect.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .columns import EDITABLE_COLUMNS, EXPORT_SENTENCE_COLUMNS, MENTION_COLUMNS
from .spreadsheet import neutralise_cell, neutralise_values

__all__ = ["SENTENCE_FILE_COLUMNS", "CsvRows", "ViewTables", "write_view"]

#: The columns of ``sentences.csv``: the view's, then the journal position.
SENTENCE_FILE_COLUMNS = [*EXPORT_SENTENCE_COLUMNS, "as_of"]
#: Columns of the view that are numbers or bools (never guarded against formulas).
_NUMBERS = frozenset({"paragraph", "sentence", "start", "end", "reviewed", "confidence", "as_of"})
#: What the tables other than statements read of a sentence (``sentence_id`` kept as the row's number).
_KEY_COLUMNS = ("doc_id", "paragraph", "topics", "actors", "speaker", "statement_type")
#: What the statements table reads of a sentence with a speaker.
_STATEMENT_COLUMNS = ("doc_id", "paragraph", "sentence_id", "speaker", "speaker_rule", "statement_type",
                      "quote", "topics", "text")
#: What the topic counts read of a topic mention.
_MENTION_KEYS = ("doc_id", "kind", "key")


@dataclass
class ViewTables:
    """What an export keeps of the view it wrote: frames for the tables, rows, cells."""

    keys: pd.DataFrame  # every sentence of body text: _KEY_COLUMNS and sentence_id (its row number)
    spoken: pd.DataFrame  # those with a speaker: _STATEMENT_COLUMNS
    topic_mentions: pd.DataFrame  # the topic mentions in them: _MENTION_KEYS
    rows: dict[str, int]  # rows written in sentences.csv and mentions.csv


class CsvRows:
    """A CSV file written a batch of rows at a time as ``write_csv`` writes a frame (UTF-8
    with a BOM, CRLF, minimal quoting): each batch made into text at once, then written."""

    def __init__(self, handle: Any, columns: list[str]) -> None:
        self.handle = handle
        self.handle.write("\ufeff")  # the BOM (the file is opened as plain UTF-8, whose encoder is C)
        self.write([[neutralise_cell(c) for c in columns]])

    def write(self, rows: Iterable[Sequence]) -> None:
        """Write rows (their text cells already made spreadsheet-safe)."""
        self.handle.write(self.text(rows))

    @staticmethod
    def text(rows: Iterable[Sequence]) -> str:
        """Rows as CSV text (their text cells already made spreadsheet-safe)."""
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerows(rows)
        return buffer.getvalue()


class _ViewFile(CsvRows):
    """``sentences.csv`` or ``mentions.csv``: a batch of the view's columns at a time."""

    def __init__(self, handle: Any, columns: list[str]) -> None:
        super().__init__(handle, columns)
        self.columns, self.rows = columns, 0

    def add(self, batch: dict[str, list]) -> None:
        values = [batch[c] if c in _NUMBERS else neutralise_values(batch[c]) for c in self.columns]
        self.write(zip(*values, strict=True))
        self.rows += len(values[0])


def _frame(columns: dict[str, list], numbers: Iterable[str] = ()) -> pd.DataFrame:
    """A frame of ``columns`` with the view's dtypes (text ``str``, ``numbers`` int64)."""
    return pd.DataFrame({c: pd.Series(v).astype("int64" if c in numbers else "str")
                         for c, v in columns.items()})


def _body(furniture: list) -> list[int]:
    """The rows that are body text, not page furniture (as ``without_furniture`` decides:
    a ``furniture`` cell that is empty once stripped)."""
    return [i for i, f in enumerate(furniture) if not (str(f).strip() if f == f and f is not None else "")]


def write_view(store: Any, folder: Path, *, annotator: str | None, as_of: int, cells: Any) -> ViewTables:
    """Write ``sentences.csv`` and ``mentions.csv`` of the view at ``as_of`` into ``folder``
    (inside the caller's snapshot), adding each batch's editable cells to ``cells``
    (:class:`~workbench.store.records.ExportCells`); returns what the tables need, page
    furniture left out (the tables leave it out: ``without_furniture``)."""
    keys: dict[str, list] = {c: [] for c in (*_KEY_COLUMNS, "sentence_id")}
    spoken: dict[str, list] = {c: [] for c in _STATEMENT_COLUMNS}
    topic: dict[str, list] = {c: [] for c in _MENTION_KEYS}
    options = {"encoding": "utf-8", "newline": ""}
    with open(folder / "sentences.csv", "w", **options) as s_handle, \
            open(folder / "mentions.csv", "w", **options) as m_handle:
        sentences, mentions = _ViewFile(s_handle, SENTENCE_FILE_COLUMNS), _ViewFile(m_handle, MENTION_COLUMNS)
        for data, found in store.view_batches(annotator=annotator, as_of=as_of):
            first, n = sentences.rows, len(data["doc_id"])
            data["as_of"] = [as_of] * n
            sentences.add(data)
            mentions.add(found)
            cells.add(data["sentence_id"], [data[c] for c in EDITABLE_COLUMNS])
            body = _body(data["furniture"])
            for c in _KEY_COLUMNS:
                keys[c] += [data[c][i] for i in body]
            keys["sentence_id"] += [first + i for i in body]
            speaker = data["speaker"]
            with_speaker = [i for i in body if isinstance(speaker[i], str) and speaker[i].strip()]
            for c in _STATEMENT_COLUMNS:
                spoken[c] += [data[c][i] for i in with_speaker]
            in_body = {data["sentence_id"][i] for i in body}
            topics = [i for i, (kind, sid) in enumerate(zip(found["kind"], found["sentence_id"], strict=True))
                      if kind == "topic" and sid in in_body]
            for c in _MENTION_KEYS:
                topic[c] += [found[c][i] for i in topics]
            del data, found, in_body
    return ViewTables(keys=_frame(keys, ("paragraph", "sentence_id")), spoken=_frame(spoken, ("paragraph",)),
                      topic_mentions=_frame(topic),
                      rows={"sentences": sentences.rows, "mentions": mentions.rows})
