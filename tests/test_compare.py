"""Tests for workbench/compare.py: the comparison tables an export writes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import workbench as wb
from workbench import compare
from workbench.store import Store

OUTLETS = Path(__file__).parent / "data" / "outlets"


def test_comparison_tables_count_the_view_given_instead_of_reading_it_again(tmp_path):
    with Store(tmp_path / "outlets.sqlite") as store:
        store.save_annotations(wb.annotate(wb.load_corpus(OUTLETS / "articles")))
        sentences, mentions = store.view()
        read = compare.comparison_tables(store)
        given = compare.comparison_tables(store, view=(sentences, mentions))
        first = store.documents().iloc[0]
        doc = first["doc_id"]
        one = (sentences[sentences["doc_id"] == doc], mentions[mentions["doc_id"] == doc])
        only_one = compare.comparison_tables(store, view=one)
    assert list(given) == list(compare.COMPARISON_TABLES)
    for name in read:
        pd.testing.assert_frame_equal(given[name], read[name])
    assert only_one["outlet_quotation"]["outlet"].tolist() == [first["outlet"]]
    assert len(read["outlet_quotation"]) == 7
