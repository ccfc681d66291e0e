"""The SQLite store: documents, automatic runs and the analyst's corrections journal.

One file the analyst can copy; :class:`Store` opens it. Where things are:

- ``schema.py``: the tables, every migration, :data:`SCHEMA_VERSION`;
- ``journal.py``: the journal's fields and entries, and how they replay over the
  automatic layer (pure Python, no SQL);
- ``sqlite.py``: the :class:`Store` class; ``runs.py`` saves an automatic run and
  ``review.py`` answers the review panel (queues, one sentence, progress);
- ``corrections_csv.py``: :func:`import_corrections`, importing an edited spreadsheet.

Everything public is importable from here: ``from workbench.store import Store``.
"""

from __future__ import annotations

from ..columns import MENTION_COLUMNS, VIEW_SENTENCE_COLUMNS
from .corrections_csv import CorrectionsImportError, import_corrections
from .journal import ACTIONS, ANNOTATED_FIELDS, FIELDS, JOURNAL_COLUMNS, CorrectionError, Entry
from .review import QUEUES
from .safety import StoreWriteError
from .schema import MIGRATIONS, SCHEMA_VERSION, StoreError
from .sqlite import Store

SENTENCE_COLUMNS = VIEW_SENTENCE_COLUMNS  # the columns of Store.view().sentences (kept from before issue 12)

__all__ = [
    "SENTENCE_COLUMNS",
    "Store",
    "StoreError",
    "StoreWriteError",
    "CorrectionError",
    "CorrectionsImportError",
    "import_corrections",
    "Entry",
    "FIELDS",
    "ACTIONS",
    "ANNOTATED_FIELDS",
    "JOURNAL_COLUMNS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "QUEUES",
    "VIEW_SENTENCE_COLUMNS",
    "MENTION_COLUMNS",
]
