"""The public names of the version before issue 12's restructuring are still importable."""

from __future__ import annotations

import importlib

import pytest

from workbench import columns, display, store
from workbench.codebook import load_codebook

# every name in an ``__all__`` at 0f67776^ (before issue 12) that later steps had dropped
KEPT = [  # (workbench.export the module: the package exports the function of that name)
    (store, "SENTENCE_COLUMNS", columns.VIEW_SENTENCE_COLUMNS),
    (importlib.import_module("workbench.export"), "EXPORT_MENTION_COLUMNS", columns.MENTION_COLUMNS),
]


@pytest.mark.parametrize(("module", "name", "value"), KEPT, ids=[n for _, n, _ in KEPT])
def test_column_lists_kept(module, name, value):
    assert name in module.__all__
    assert getattr(module, name) == value


def test_codebook_entries_lists_the_codebook_in_order():
    codebook = load_codebook()
    entries = display.codebook_entries(codebook)
    assert set(entries) == {"topics", "actors", "statement_types", "other"}
    assert [key for key, _, _ in entries["topics"]] == [t.key for t in codebook.topics]
    assert [key for key, _, _ in entries["actors"]] == [a.id for a in codebook.actors]
    first = codebook.topics[0]
    assert entries["topics"][0] == (first.key, first.label_ar, first.label_en)
    assert entries["other"] == ()
    assert display.codebook_entries() == entries  # None: the default codebook
