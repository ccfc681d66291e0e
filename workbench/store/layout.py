"""How the store keeps the automatic layer since schema migration 9, and reading it back.

- A document has an integer key ``doc`` beside its ``doc_id``; its text is kept once, in
  ``documents.text``. A sentence's ``text`` and a mention's ``surface`` are NULL where they
  are the document's text between their offsets (``text[start:end]`` with
  ``0 <= start <= end``), the string otherwise.
- Repeated strings (``topics, actors, speaker, statement_type, furniture`` of a sentence;
  ``kind, key, rule`` of a mention) are ids of the ``strings`` table (:class:`Strings`); a
  sentence's ``speaker_rule`` and ``quote``, which seldom repeat, are kept as text.
- ``sentences`` is keyed by ``(doc, paragraph, sentence)`` and ``auto_mentions`` by
  ``(doc, start, mention_id)`` (WITHOUT ROWID): both are stored in the view's order.
- A sentence id ``"{doc_id}:{h}"`` is kept as ``id_suffix = h``; an id that does not start
  with its document's ``doc_id:`` is kept whole (``id_whole = 1``, a partial index finds it).
  :func:`locate` and :func:`locate_many` find sentences by id.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..columns import MENTION_COLUMNS, VIEW_SENTENCE_COLUMNS

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "AUTO_CODES",
    "SENTENCE_ID",
    "SENTENCE_TEXT",
    "Strings",
    "locate",
    "locate_many",
    "auto_values",
    "coded",
    "document_ranges",
    "mention_columns",
    "range_documents",
    "sentence_columns",
    "view_frames",
]

#: SQL: the sentence id of ``sentences s`` joined with ``documents d``.
SENTENCE_ID = "CASE s.id_whole WHEN 0 THEN d.doc_id || ':' || s.id_suffix ELSE s.id_suffix END"
#: SQL: the text of ``sentences s`` joined with ``documents d`` (for one row at a time:
#: SQLite walks the document's text to the offset).
SENTENCE_TEXT = 'coalesce(s.text, substr(d.text, s.start + 1, s."end" - s.start))'
#: SQL: a sentence's automatic values as ids (``confidence`` a number), in the order of
#: :data:`~workbench.store.journal.AUTO_FIELDS`.
AUTO_CODES = "s.topics, s.actors, s.speaker, s.statement_type, s.speaker_rule, s.furniture, s.confidence"


class Strings:
    """The ``strings`` table read once and kept: id → value (the table only grows).

    An id not yet seen (another process added it) reloads the table; :meth:`clear` drops
    what was read (the store calls it when a write transaction rolls back).
    """

    def __init__(self) -> None:
        self._table: list[str | None] = []

    def clear(self) -> None:
        """Forget what was read."""
        self._table = []

    def table(self, conn: sqlite3.Connection, wanted: Iterable[int]) -> list[str | None]:
        """A list whose item ``i`` is the value of id ``i`` (None for ids not in use), holding
        every id in ``wanted``."""
        known = self._table
        if any(i >= len(known) or known[i] is None for i in wanted):
            values = dict(conn.execute("SELECT id, value FROM strings"))
            known = [None] * (max(values, default=0) + 1)
            for i, v in values.items():
                known[i] = v
            self._table = known
        return known

    @staticmethod
    def ids(conn: sqlite3.Connection, values: Iterable[str]) -> dict[str, int]:
        """``{value: id}`` for ``values``, adding those the table lacks (inside a write transaction)."""
        known = {v: i for i, v in conn.execute("SELECT id, value FROM strings")}
        missing = sorted(set(values) - known.keys())
        if missing:
            conn.executemany("INSERT INTO strings(value) VALUES (?)", [(v,) for v in missing])
            known = {v: i for i, v in conn.execute("SELECT id, value FROM strings")}
        return known


def _candidates(sentence_id: str) -> list[tuple[str, str]]:
    """Every ``(doc_id, suffix)`` a sentence id may be made of (split at each ``:``)."""
    return [(sentence_id[:i], sentence_id[i + 1:]) for i, ch in enumerate(sentence_id) if ch == ":"]


def locate(conn: sqlite3.Connection, sentence_id: str) -> tuple[int, int, int] | None:
    """``(doc, paragraph, sentence)`` of the stored sentence ``sentence_id``, or None."""
    for doc_id, suffix in _candidates(sentence_id):
        row = conn.execute(
            "SELECT s.doc, s.paragraph, s.sentence FROM documents d JOIN sentences s ON s.doc = d.doc "
            "WHERE d.doc_id = ? AND s.id_suffix = ? AND s.id_whole = 0", (doc_id, suffix),
        ).fetchone()
        if row is not None:
            return row
    return conn.execute(
        "SELECT doc, paragraph, sentence FROM sentences WHERE id_suffix = ? AND id_whole = 1", (sentence_id,),
    ).fetchone()


def locate_many(conn: sqlite3.Connection, sentence_ids: Iterable[str]) -> dict[str, tuple[int, int, int]]:
    """``{sentence_id: (doc, paragraph, sentence)}`` for those of ``sentence_ids`` the store holds."""
    wanted = set(sentence_ids)
    by_doc: dict[str, dict[str, str]] = {}
    for sid in wanted:
        for doc_id, suffix in _candidates(sid):
            by_doc.setdefault(doc_id, {})[suffix] = sid
    found: dict[str, tuple[int, int, int]] = {}
    names = list(by_doc)
    for i in range(0, len(names), 500):
        chunk = names[i:i + 500]
        docs = dict(conn.execute(
            f"SELECT doc, doc_id FROM documents WHERE doc_id IN ({','.join('?' * len(chunk))})", chunk))
        if not docs:
            continue
        for doc, suffix, paragraph, sentence in conn.execute(
            f"SELECT doc, id_suffix, paragraph, sentence FROM sentences WHERE id_whole = 0 "
            f"AND doc IN ({','.join('?' * len(docs))})", list(docs),
        ):
            sid = by_doc[docs[doc]].get(suffix)
            if sid is not None:
                found[sid] = (doc, paragraph, sentence)
    rest = list(wanted - found.keys())
    for i in range(0, len(rest), 500):
        chunk = rest[i:i + 500]
        for suffix, *key in conn.execute(
            f"SELECT id_suffix, doc, paragraph, sentence FROM sentences WHERE id_whole = 1 "
            f"AND id_suffix IN ({','.join('?' * len(chunk))})", chunk,
        ):
            found[suffix] = tuple(key)
    return found


def auto_values(codes: Sequence[Any], strings: Sequence[str]) -> tuple:
    """A sentence's automatic values from :data:`AUTO_CODES` (ids looked up in ``strings``)."""
    topics, actors, speaker, statement_type, speaker_rule, furniture, confidence = codes
    return (strings[topics], strings[actors], strings[speaker], strings[statement_type], speaker_rule,
            strings[furniture], confidence)


def coded(codes: Sequence[Any]) -> tuple[int, ...]:
    """The ids of ``strings`` among :data:`AUTO_CODES`."""
    return (codes[0], codes[1], codes[2], codes[3], codes[5])


def _texts(texts: dict[int, str], docs: list[int], starts: list[int], ends: list[int],
           stored: list[str | None]) -> list[str]:
    """Each row's text: as stored, or (NULL) its document's text from start to end."""
    return [texts[d][a:b] if t is None else t for d, a, b, t in zip(docs, starts, ends, stored, strict=True)]


#: Rows read from SQLite at once by :func:`sentence_columns` and :func:`mention_columns`.
_ROWS = 20_000


def document_ranges(conn: sqlite3.Connection, size: int) -> list[tuple[str, str]]:
    """The stored ``doc_id`` values in order, cut into ranges of ``size`` documents: ``(first, last)``
    of each (what :func:`sentence_columns` and :func:`mention_columns` read at once)."""
    doc_ids = [r[0] for r in conn.execute("SELECT doc_id FROM documents ORDER BY doc_id")]
    return [(doc_ids[i], doc_ids[min(i + size, len(doc_ids)) - 1]) for i in range(0, len(doc_ids), size)]


def range_documents(conn: sqlite3.Connection, between: tuple[str, str]
                    ) -> tuple[dict[int, str], dict[int, str]]:
    """``{doc: doc_id}`` and ``{doc: text}`` of the documents whose ``doc_id`` is in ``between``
    (``(first, last)``)."""
    rows = conn.execute("SELECT doc, doc_id, text FROM documents WHERE doc_id BETWEEN ? AND ?",
                        between).fetchall()
    return {doc: doc_id for doc, doc_id, _ in rows}, {doc: text for doc, _, text in rows}


def sentence_columns(conn: sqlite3.Connection, strings: Strings, names: dict[int, str], texts: dict[int, str],
                     between: tuple[str, str]) -> dict[str, list]:
    """The stored sentences of the documents whose ``doc_id`` is in ``between`` (``(first,
    last)``), in the view's order: ``doc_id, paragraph, sentence, sentence_id, start, end,
    text``, the automatic values (``topics`` … ``speaker_rule``, ``quote``, ``furniture``,
    ``confidence``) and ``_key`` (``(doc, paragraph, sentence)``); ``names`` maps ``doc`` to
    its ``doc_id`` and ``texts`` to its text. Read :data:`_ROWS` rows at a time."""
    cursor = conn.execute(
        'SELECT s.doc, s.paragraph, s.sentence, s.id_suffix, s.id_whole, s.start, s."end", s.text, '
        "s.topics, s.actors, s.speaker, s.statement_type, s.speaker_rule, s.quote, s.furniture, s.confidence "
        "FROM documents d JOIN sentences s ON s.doc = d.doc WHERE d.doc_id BETWEEN ? AND ? "
        "ORDER BY d.doc_id, s.paragraph, s.sentence", between,
    )
    coded = ("topics", "actors", "speaker", "statement_type")
    out: dict[str, list] = {name: [] for name in (
        "doc_id", "paragraph", "sentence", "sentence_id", "start", "end", "text", *coded, "speaker_rule",
        "quote", "furniture", "confidence", "_key")}
    while rows := cursor.fetchmany(_ROWS):
        (docs, paragraphs, numbers, suffixes, whole, starts, ends, stored, *codes, quotes, furniture,
         confidence) = (list(c) for c in zip(*rows, strict=True))
        del rows
        doc_ids = [names[d] for d in docs]  # one string per doc_id, not one per row
        speaker_rule = codes.pop()
        table = strings.table(conn, {c for column in (*codes, furniture) for c in set(column)})
        out["doc_id"] += doc_ids
        out["paragraph"] += paragraphs
        out["sentence"] += numbers
        out["sentence_id"] += [s if w else f"{d}:{s}"
                               for d, s, w in zip(doc_ids, suffixes, whole, strict=True)]
        out["start"] += starts
        out["end"] += ends
        out["text"] += _texts(texts, docs, starts, ends, stored)
        for name, column in zip(coded, codes, strict=True):
            out[name] += [table[c] for c in column]
        out["speaker_rule"] += speaker_rule
        out["quote"] += quotes
        out["furniture"] += [table[c] for c in furniture]
        out["confidence"] += confidence
        out["_key"] += zip(docs, paragraphs, numbers, strict=True)
    return out


def mention_columns(conn: sqlite3.Connection, strings: Strings, names: dict[int, str], texts: dict[int, str],
                    sentence_ids: dict[tuple[int, int, int], str], between: tuple[str, str]
                    ) -> dict[str, list]:
    """The stored mentions of the documents whose ``doc_id`` is in ``between``, in the view's
    order (``MENTION_COLUMNS``); ``sentence_ids`` maps ``(doc, paragraph, sentence)`` to the
    sentence's id, ``names`` ``doc`` to its ``doc_id`` and ``texts`` to its text. Read
    :data:`_ROWS` rows at a time."""
    cursor = conn.execute(
        'SELECT m.doc, m.paragraph, m.sentence, m.start, m."end", m.surface, m.kind, m.key, '
        "m.rule, m.confidence FROM documents d JOIN auto_mentions m ON m.doc = d.doc "
        "WHERE d.doc_id BETWEEN ? AND ? ORDER BY d.doc_id, m.start, m.mention_id", between,
    )
    out: dict[str, list] = {name: [] for name in (
        "doc_id", "sentence_id", "start", "end", "surface", "kind", "key", "rule", "confidence")}
    while rows := cursor.fetchmany(_ROWS):
        docs, paragraphs, numbers, starts, ends, stored, kinds, keys, rules, confidence = (
            list(c) for c in zip(*rows, strict=True))
        del rows
        doc_ids = [names[d] for d in docs]  # one string per doc_id, not one per row
        table = strings.table(conn, {c for column in (kinds, keys, rules) for c in set(column)})
        out["doc_id"] += doc_ids
        out["sentence_id"] += [sentence_ids[k] for k in zip(docs, paragraphs, numbers, strict=True)]
        out["start"] += starts
        out["end"] += ends
        out["surface"] += _texts(texts, docs, starts, ends, stored)
        out["kind"] += [table[c] for c in kinds]
        out["key"] += [table[c] for c in keys]
        out["rule"] += [table[c] for c in rules]
        out["confidence"] += confidence
    return out


def view_frames(data: dict[str, list], mentions: dict[str, list]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:meth:`Store.view`'s two frames, with their dtypes, from the sentences' and the mentions'
    columns (each list taken out of its dict as it is converted, so it can be freed)."""
    import pandas as pd

    def column(values: list, dtype: str) -> pd.Series:
        return pd.Series(values).astype(dtype)

    numbers = {"paragraph": "int64", "sentence": "int64", "start": "int64", "end": "int64",
               "reviewed": "bool", "confidence": "float64"}
    sentences = pd.DataFrame({c: column(data.pop(c, []), numbers.get(c, "str"))
                              for c in VIEW_SENTENCE_COLUMNS})
    numbers = {"start": "int64", "end": "int64", "confidence": "float64"}
    found = pd.DataFrame({c: column(mentions.pop(c, []), numbers.get(c, "str")) for c in MENTION_COLUMNS})
    return sentences, found
