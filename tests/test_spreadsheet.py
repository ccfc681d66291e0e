"""Tests for workbench/spreadsheet.py: reading what spreadsheets save, guarding what we write."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.spreadsheet import neutralise_cell, neutralise_formulas, spreadsheet_csv, unneutralise


@pytest.mark.parametrize(("text", "expected"), [
    ("doc_id,topics\na,ukraine\n", (",", "doc_id,topics\na,ukraine\n", 0)),
    ("doc_id;topics;note\na;;ملاحظة\n", (";", "doc_id;topics;note\na;;ملاحظة\n", 0)),
    ("doc_id\ttopics\n", ("\t", "doc_id\ttopics\n", 0)),
    ("doc_id\na\n", (",", "doc_id\na\n", 0)),  # one column: ","
    ("\ufeffdoc_id;topics\n", (";", "doc_id;topics\n", 0)),  # a BOM is ignored
    ("sep=;\ndoc_id;topics\n", (";", "doc_id;topics\n", 1)),  # Excel's hint line
    ("SEP=,\r\ndoc_id;x,y\n", (",", "doc_id;x,y\n", 1)),  # the hint wins over the header
    ('"sep=;"\ndoc_id;topics\n', (";", "doc_id;topics\n", 1)),  # quoted, as re-saved
    ("sep=;;;;\ndoc_id;topics\n", (";", "doc_id;topics\n", 1)),  # padded to the row width
])
def test_spreadsheet_csv_finds_the_delimiter_and_skips_the_hint(text, expected):
    assert spreadsheet_csv(text) == expected


@pytest.mark.parametrize("cell, expected", [
    ('=HYPERLINK("http://x","انقر")', '\'=HYPERLINK("http://x","انقر")'),
    ("+1+2", "'+1+2"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("-ابدأ", "'-ابدأ"),
    ("-1+2", "'-1+2"),       # starts like a number but is a formula
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("-3", "-3"),            # numbers stay numbers
    ("-2.5", "-2.5"),
    ("قال = أعلن", "قال = أعلن"),
    ("", ""),
    ("'=1", "''=1"),         # a ' the reader would take for the guard gets one more
    ("'-3", "'-3"),          # ... but not before a plain number
    ("'قال", "'قال"),
])
def test_neutralise_formulas_cells(cell, expected):
    frame = pd.DataFrame({"text": [cell], "n": [-5]})
    out = neutralise_formulas(frame)
    assert out["text"].tolist() == [expected]
    assert out["n"].tolist() == [-5] and out["n"].dtype == "int64"
    assert frame["text"].tolist() == [cell]  # input untouched


@pytest.mark.parametrize("written, read", [
    ("'=1+1", "=1+1"), ("'+1", "+1"), ("'-ابدأ", "-ابدأ"), ("'@x", "@x"), ("'\t=1", "\t=1"),
    ("''=1", "'=1"),
    ("'-3", "'-3"),  # the export never guards a number, so this ' is the analyst's
    ("'قال", "'قال"), ("'", "'"), ("=1", "=1"), ("", ""),
])
def test_unneutralise_takes_off_only_the_guard(written, read):
    assert unneutralise(written) == read


@given(st.text(alphabet=st.sampled_from("'=+-@\t\r0123456789.,eE قال")))
def test_unneutralise_inverts_neutralise_exactly(value):
    assert unneutralise(neutralise_cell(value)) == value


def test_column_names_are_neutralised_and_non_text_left_alone():
    frame = pd.DataFrame({"=x": ["a"], "n": [1.5]})
    out = neutralise_formulas(frame)
    assert list(out.columns) == ["'=x", "n"] and neutralise_cell(3) == 3 and neutralise_cell(None) is None
