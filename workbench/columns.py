"""The column contracts shared by annotation, the store and the exports, in one place."""

from __future__ import annotations

__all__ = [
    "CSV_SENTENCE_COLUMNS",
    "SENTENCE_COLUMNS",
    "VIEW_SENTENCE_COLUMNS",
    "EXPORT_SENTENCE_COLUMNS",
    "MENTION_COLUMNS",
    "QUOTE_COLUMNS",
    "EDITABLE_COLUMNS",
    "LABELLED_COLUMNS",
    "LABEL_COLUMNS",
]

#: ``sentences.csv`` columns promised to users' scripts (DESIGN.md), in order.
CSV_SENTENCE_COLUMNS = [
    "doc_id", "paragraph", "sentence", "sentence_id", "start", "end", "text", "topics",
    "actors", "speaker", "source", "reviewed",
]
#: ``Annotations.sentences``: the automatic layer. ``confidence`` is how sure the speaker
#: decision is (0 to 1), ``furniture`` the kind of page furniture the sentence's
#: paragraph is (``""`` for body text).
SENTENCE_COLUMNS = [
    "doc_id", "paragraph", "sentence", "sentence_id", "start", "end", "text", "topics",
    "actors", "speaker", "statement_type", "speaker_rule", "source", "reviewed", "quote",
    "confidence", "furniture",
]
#: ``Store.view()`` sentences: the automatic layer with corrections, and the analyst's note.
VIEW_SENTENCE_COLUMNS = SENTENCE_COLUMNS + ["note"]
#: ``sentences.csv`` as written: the contract first, then the extra columns.
EXPORT_SENTENCE_COLUMNS = CSV_SENTENCE_COLUMNS + [
    c for c in VIEW_SENTENCE_COLUMNS if c not in CSV_SENTENCE_COLUMNS
]
#: ``mentions.csv`` and ``Annotations.mentions`` (DESIGN.md); ``confidence`` is 1.0 for
#: a term as written, lower for a near-miss spelling or a topic taken from context.
MENTION_COLUMNS = ["doc_id", "sentence_id", "start", "end", "surface", "kind", "key", "rule", "confidence"]
#: ``Annotations.quotes``: one row per quoted passage.
QUOTE_COLUMNS = ["doc_id", "sentence_id", "start", "end", "text", "speaker"]
#: Columns of ``sentences.csv`` (and the workbook's sentences sheet) that the spreadsheet
#: import reads back as corrections.
EDITABLE_COLUMNS = ["topics", "actors", "speaker", "statement_type", "note", "reviewed", "furniture"]
#: Key columns of the workbook's sentences sheet, and the codebook part their keys are in:
#: each has ``{column}_ar`` and ``{column}_en`` beside it, the labels of its keys (shown,
#: never imported).
LABELLED_COLUMNS = {"topics": "topics", "actors": "actors", "speaker": "actors",
                    "statement_type": "statement_types"}
LABEL_COLUMNS = [f"{column}_{lang}" for column in LABELLED_COLUMNS for lang in ("ar", "en")]
