"""What the review panel reads: the review queues, one sentence's record, the progress.

:class:`ReviewQueries` is part of :class:`~workbench.store.Store`; it reads the store
through the store's methods (``query``, ``snapshot``, ``entries``, ``auto_row``, ``key_order``) and
the helpers of ``layout.py``, which know how sentences are keyed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..checks import check_choice
from .journal import ANNOTATED_FIELDS, AUTO_FIELDS, by_sentence, effective, keys_of, replay
from .layout import AUTO_CODES, SENTENCE_ID, SENTENCE_TEXT, Strings, auto_values, coded, locate, locate_many

__all__ = ["QUEUES", "ReviewQueries"]

#: The review queues :meth:`Store.sentence_ids` knows, and how the review panel names them.
QUEUES = {
    "all": "all sentences",
    "unreviewed": "not yet reviewed",
    "topic": "by topic",
    "disagreements": "automatic vs manual disagreements",
    "annotator_disagreements": "disagreements with another annotator",
    "least_certain": "least certain first",
}


class ReviewQueries:
    """The review panel's reads of a :class:`~workbench.store.Store` (mixed into it)."""

    path: Any
    _conn: Any
    _strings: Strings

    def _one(self, sql: str, params: Sequence[Any] = ()) -> tuple | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def sentence_ids(self, *, queue: str = "all",
                     topic: str | None = None, annotator: str | None = None,
                     other: str | None = None, doc_id: str | None = None) -> list[str]:
        """Sentence ids of a review queue, in document order.

        Parameters
        ----------
        queue : str, default "all"
            ``"all"``, ``"unreviewed"``, ``"topic"`` (needs ``topic``), ``"disagreements"``
            (automatic vs corrected topics, actors, speaker or statement type) or
            ``"annotator_disagreements"`` (needs ``annotator`` and ``other``), or
            ``"least_certain"``: every sentence, the least sure speaker decision first
            (ascending ``confidence``; a speaker set by hand counts as sure).
        topic : str, optional
            The topic key for the ``"topic"`` queue.
        annotator : str, optional
            Whose corrections define the current values (default: everyone's).
        other : str, optional
            The annotator compared with ``annotator`` in ``"annotator_disagreements"``.
        doc_id : str, optional
            Only this document's sentences.

        Returns
        -------
        list of str
            The queue's sentence ids, ordered by ``doc_id``, paragraph and sentence
            (``least_certain``: by confidence first, then so).
        """
        check_choice("queue", queue, QUEUES)
        if queue == "topic" and topic is None:
            raise ValueError("the 'topic' queue needs `topic=`, e.g. topic='ukraine'")
        if queue == "annotator_disagreements" and (annotator is None or other is None):
            raise ValueError("the 'annotator_disagreements' queue needs `annotator=` and `other=`")
        where, params = ("", []) if doc_id is None else (" WHERE d.doc_id = ?", [doc_id])
        in_order = " ORDER BY d.doc_id, s.paragraph, s.sentence"
        joined = f" FROM documents d JOIN sentences s ON s.doc = d.doc{where}{in_order}"
        if queue == "all":
            return [r[0] for r in self.query(f"SELECT {SENTENCE_ID}{joined}", params)]
        with self.snapshot():
            rows = self.query(f"SELECT {SENTENCE_ID}, {AUTO_CODES}{joined}", params)
            strings = self._strings.table(self._conn, {c for r in rows for c in coded(r[1:])})
        order = self.key_order()
        mine = by_sentence(self.entries(annotator=annotator))
        theirs = by_sentence(self.entries(annotator=other)) if queue == "annotator_disagreements" else {}

        def auto(row: tuple) -> dict[str, Any]:
            return dict(zip(AUTO_FIELDS, auto_values(row[1:], strings), strict=True))

        def now_(row: tuple, grouped: dict) -> dict[str, Any]:
            """The row's values after ``grouped``'s entries (only rows with entries are asked)."""
            return replay(auto(row), grouped[row[0]], order)

        def differ(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
            return any(a[f] != b[f] for f in ANNOTATED_FIELDS)

        # a row without entries has its automatic values, is not reviewed and agrees with itself
        if queue == "least_certain":  # a stable sort: document order among equals
            sure = [(now_(r, mine)["confidence"] if r[0] in mine else float(r[7]), r[0]) for r in rows]
            return [sid for _, sid in sorted(sure, key=lambda pair: pair[0])]
        keep = {
            "unreviewed": lambda r: r[0] not in mine or not now_(r, mine)["reviewed"],
            "topic": lambda r: topic in keys_of(now_(r, mine)["topics"] if r[0] in mine else strings[r[1]]),
            "disagreements": lambda r: r[0] in mine and differ(now_(r, mine), auto(r)),
            "annotator_disagreements": lambda r: (r[0] in mine or r[0] in theirs) and differ(
                now_(r, mine) if r[0] in mine else auto(r), now_(r, theirs) if r[0] in theirs else auto(r)),
        }[queue]
        return [r[0] for r in rows if keep(r)]

    def sentence_record(self, sentence_id: str, *, annotator: str | None = None) -> dict[str, Any]:
        """Everything the review panel shows for one sentence, read with indexed queries.

        Parameters
        ----------
        sentence_id : str
            The sentence.
        annotator : str, optional
            Whose corrections define the current values (default: everyone's).

        Returns
        -------
        dict
            ``sentence_id, doc_id, paragraph, sentence, start, end, text, title,
            prev_text, next_text`` (``""`` at the document's edges), current values
            ``topics, actors`` (lists of keys), ``speaker, statement_type, speaker_rule,
            note, reviewed, source, furniture, confidence``; ``auto`` (dict of the automatic
            ``topics, actors`` as lists, ``speaker, statement_type, speaker_rule``); ``mentions``
            (list of dicts ``start, end`` in document offsets, ``rel_start, rel_end`` in the sentence's
            text, ``surface, kind, key, rule``); ``n_corrections`` (entries in effect).
        """
        with self.snapshot():
            key = locate(self._conn, sentence_id)
            if key is None:
                raise KeyError(
                    f"unknown sentence_id {sentence_id!r}: no such sentence in store {str(self.path)!r}"
                )
            doc, paragraph, sentence = key
            doc_id, start, end, text, title = self._one(
                f'SELECT d.doc_id, s.start, s."end", {SENTENCE_TEXT}, d.title FROM sentences s '
                "JOIN documents d ON d.doc = s.doc WHERE s.doc = ? AND s.paragraph = ? AND s.sentence = ?",
                key)
            prev = self._one(
                f"SELECT {SENTENCE_TEXT} FROM sentences s JOIN documents d ON d.doc = s.doc "
                "WHERE s.doc = ? AND (s.paragraph, s.sentence) < (?, ?) "
                "ORDER BY s.paragraph DESC, s.sentence DESC LIMIT 1", key)
            nxt = self._one(
                f"SELECT {SENTENCE_TEXT} FROM sentences s JOIN documents d ON d.doc = s.doc "
                "WHERE s.doc = ? AND (s.paragraph, s.sentence) > (?, ?) "
                "ORDER BY s.paragraph, s.sentence LIMIT 1", key)
            auto = self.auto_row(sentence_id)
            entries = effective(self.entries(annotator=annotator, sentence_ids=[sentence_id]))
            current = replay(auto, entries, self.key_order())
            found = self.query(
                'SELECT m.start, m."end", '
                'coalesce(m.surface, substr(d.text, m.start + 1, m."end" - m.start)), '
                "m.kind, m.key, m.rule FROM auto_mentions m JOIN documents d ON d.doc = m.doc "
                "WHERE m.doc = ? AND m.paragraph = ? AND m.sentence = ? ORDER BY m.start, m.mention_id", key)
            strings = self._strings.table(self._conn, {c for m in found for c in m[3:]})
        mentions = [
            {"start": m[0], "end": m[1], "rel_start": m[0] - start, "rel_end": m[1] - start,
             "surface": m[2], "kind": strings[m[3]], "key": strings[m[4]], "rule": strings[m[5]]}
            for m in found
        ]
        return {
            "sentence_id": sentence_id, "doc_id": doc_id, "paragraph": paragraph, "sentence": sentence,
            "start": start, "end": end, "text": text, "title": title,
            "prev_text": prev[0] if prev else "", "next_text": nxt[0] if nxt else "",
            "topics": keys_of(current["topics"]), "actors": keys_of(current["actors"]),
            "speaker": current["speaker"], "statement_type": current["statement_type"],
            "speaker_rule": current["speaker_rule"], "note": current["note"],
            "reviewed": current["reviewed"], "source": current["source"],
            "furniture": current["furniture"], "confidence": current["confidence"],
            "auto": {"topics": keys_of(auto["topics"]), "actors": keys_of(auto["actors"]),
                     "speaker": auto["speaker"], "statement_type": auto["statement_type"],
                     "speaker_rule": auto["speaker_rule"]},
            "mentions": mentions, "n_corrections": len(entries),
        }

    def progress(self, *, annotator: str | None = None) -> tuple[int, int]:
        """How many sentences are ticked as reviewed, and how many there are.

        Parameters
        ----------
        annotator : str, optional
            Count only this annotator's ticks (default: everyone's, the latest tick of a
            sentence deciding).

        Returns
        -------
        tuple of (int, int)
            ``(reviewed, total)``; ticks on sentences that no longer exist (orphans) do
            not count.
        """
        last: dict[str, bool] = {}
        for e in effective(self.entries(annotator=annotator, field="reviewed")):
            last[e.sentence_id] = e.value == "true"
        ticked = [sid for sid, flag in last.items() if flag]
        with self.snapshot():  # orphaned sentences do not count
            return len(locate_many(self._conn, ticked)), self.sentence_count()
