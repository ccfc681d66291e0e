"""The current view read a range of documents at a time: the automatic layer of each range
with the journal replayed over its rows (:meth:`Store.view_batches`, which
:meth:`Store.view` joins into two frames and an export writes as it reads).

A batch is two dicts of columns (lists), ``sentences`` with the columns of
:data:`~workbench.columns.VIEW_SENTENCE_COLUMNS` and ``mentions`` with
:data:`~workbench.columns.MENTION_COLUMNS`, in the view's order (documents by ``doc_id``);
each document's sentences and mentions are in the same batch.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from . import layout
from .journal import AUTO_FIELDS, Entry, replay

__all__ = ["BATCH_DOCUMENTS", "Batch", "view_batches", "joined"]

#: ``(sentences, mentions)``: column name to the list of its values.
Batch = tuple[dict[str, list], dict[str, list]]

#: Documents read at once by :func:`view_batches` (about 25,000 sentences of news articles).
BATCH_DOCUMENTS = 1000


def view_batches(conn: sqlite3.Connection, strings: layout.Strings, touched: Mapping[str, list[Entry]],
                 order: Mapping[str, Sequence[str]], *, documents: int = BATCH_DOCUMENTS) -> Iterator[Batch]:
    """``(sentences, mentions)`` columns of ``documents`` documents at a time, read inside the
    caller's snapshot; ``touched`` holds the journal entries in effect by sentence id
    (:func:`~workbench.store.journal.by_sentence`), replayed over their rows in journal order."""
    for between in layout.document_ranges(conn, documents):
        names, texts = layout.range_documents(conn, between)
        data = layout.sentence_columns(conn, strings, names, texts, between)
        keys = data.pop("_key")
        ids = dict(zip(keys, data["sentence_id"], strict=True))
        found = layout.mention_columns(conn, strings, names, texts, ids, between)
        del names, texts, keys, ids
        n = len(data["doc_id"])
        data["source"] = ["auto"] * n
        data["reviewed"] = [False] * n
        data["note"] = [""] * n
        if touched:
            for i, sid in enumerate(data["sentence_id"]):
                entries = touched.get(sid)
                if entries:
                    current = replay({k: data[k][i] for k in AUTO_FIELDS}, entries, order)
                    for key, value in current.items():
                        data[key][i] = value
        yield data, found


def joined(batches: Iterator[Batch]) -> Batch:
    """All the batches' columns joined: one ``(sentences, mentions)`` pair of dicts of lists."""
    data: dict[str, list[Any]] = {}
    found: dict[str, list[Any]] = {}
    for sentences, mentions in batches:
        for into, columns in ((data, sentences), (found, mentions)):
            for name, values in columns.items():
                into.setdefault(name, []).extend(values)
    return data, found
