"""The column contracts shared by annotation, the store and the exports, in one place."""

from __future__ import annotations

__all__ = [
    "CSV_SENTENCE_COLUMNS",
    "SENTENCE_COLUMNS",
    "VIEW_SENTENCE_COLUMNS",
    "EXPORT_SENTENCE_COLUMNS",
    "MENTION_COLUMNS",
    "QUOTE_COLUMNS",
    "ATTRIBUTION_COLUMNS",
    "ANNOTATION_SENTENCE_COLUMNS",
    "ANNOTATION_MENTION_COLUMNS",
]

#: ``sentences.csv`` columns promised to users' scripts (DESIGN.md), in order.
CSV_SENTENCE_COLUMNS = [
    "doc_id", "paragraph", "sentence", "sentence_id", "start", "end", "text", "topics",
    "actors", "speaker", "source", "reviewed",
]
#: ``Annotations.sentences``: the automatic layer.
SENTENCE_COLUMNS = [
    "doc_id", "paragraph", "sentence", "sentence_id", "start", "end", "text", "topics",
    "actors", "speaker", "statement_type", "speaker_rule", "source", "reviewed", "quote",
]
#: Added by attribution (issue 11): how sure the speaker decision is, and the furniture
#: kind of the sentence's paragraph (``""`` for body text).
ATTRIBUTION_COLUMNS = ["confidence", "furniture"]
#: ``Annotations.sentences`` as annotate() returns them.
ANNOTATION_SENTENCE_COLUMNS = SENTENCE_COLUMNS + ATTRIBUTION_COLUMNS
#: ``Store.view()`` sentences: the automatic layer with corrections, and the analyst's note.
VIEW_SENTENCE_COLUMNS = SENTENCE_COLUMNS + ["note"]
#: ``sentences.csv`` as written: the contract first, then the extra columns.
EXPORT_SENTENCE_COLUMNS = CSV_SENTENCE_COLUMNS + [
    c for c in VIEW_SENTENCE_COLUMNS if c not in CSV_SENTENCE_COLUMNS
]
#: ``mentions.csv`` and ``Annotations.mentions`` (DESIGN.md).
MENTION_COLUMNS = ["doc_id", "sentence_id", "start", "end", "surface", "kind", "key", "rule"]
#: ``Annotations.mentions``: each mention with its confidence (1.0 for a term as written).
ANNOTATION_MENTION_COLUMNS = MENTION_COLUMNS + ["confidence"]
#: ``Annotations.quotes``: one row per quoted passage.
QUOTE_COLUMNS = ["doc_id", "sentence_id", "start", "end", "text", "speaker"]
