"""Tests for workbench/table_view.py: interactive tables, escaped and right to left.

What the browser makes of them (pages, search, percentages, widths) is checked in
tests/test_browser.py; here the HTML and the DataTables options are checked.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from workbench.table_view import header_html, show_table, table_html


@pytest.mark.parametrize(
    "name, expected",
    [
        ("اتفاقات مينسك (Minsk agreements)", "<bdi>اتفاقات مينسك</bdi> <bdi>(Minsk agreements)</bdi>"),
        ("topic_ar", "<bdi>topic_ar</bdi>"),
        ("Minsk (agreements)", "<bdi>Minsk (agreements)</bdi>"),  # no Arabic: one part
        ("<b>قمة</b> (<i>x</i>)", "<bdi>&lt;b&gt;قمة&lt;/b&gt;</bdi> <bdi>(&lt;i&gt;x&lt;/i&gt;)</bdi>"),
        (3, "<bdi>3</bdi>"),
    ],
)
def test_header_html_isolates_each_language(name, expected):
    assert header_html(name) == expected


def options(out: str) -> dict:
    """The DataTables arguments itables wrote into the page."""
    found = re.search(r"let dt_args = (\{.*?\});\n", out, flags=re.DOTALL)
    args = json.loads(found.group(1))
    args["data"] = json.loads(args.pop("data_json"))
    return args


def test_table_html_escapes_every_cell_and_reads_right_to_left():
    frame = pd.DataFrame({"text": ['<script>alert(1)</script> & "قال"', "بوتين"], "n": [1, 2]})
    out = table_html(frame)
    assert out.startswith('<div dir="rtl" lang="ar" class="wb-table">')
    assert "<script>alert(1)" not in out
    args = options(out)
    assert args["data"] == [["&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;قال&quot;", 1], ["بوتين", 2]]
    assert (args["pageLength"], args["lengthMenu"], args["scrollX"]) == (10, [10, 25, 50, 100], True)
    assert "dt_src_b64" not in out and "_itables_" in out and "cdn" not in out.lower()


def test_long_text_is_cut_and_shares_are_percentages():
    frame = pd.DataFrame(
        {"doc_id": ["a", "b"], "text": ["ق" * 81, "قصير"], "share": [0.5, 0.125], "topic_share": [0.1, 0.2]}
    )
    args = options(table_html(frame, page_length=25))
    defs = args["columnDefs"]
    assert [d["targets"] for d in defs] == [[1], [2, 3], [0, 1], [2, 3]]
    assert [d.get("type") for d in defs] == [None, None, "string", "num"]  # no type guessed from rows
    assert defs[0]["className"] == "wb-text" and "slice(0, 80)" in defs[0]["render"]
    assert "(100 * data).toFixed(1) + '%'" in defs[1]["render"]
    assert args["data"][0][2:] == [0.5, 0.1]  # the data stays a fraction: sorting is numeric
    assert args["pageLength"] == 25
    chosen = options(table_html(frame, percent=["topic_share"], truncate=100))["columnDefs"]
    renders = [(d["targets"], d.get("render", "")) for d in chosen]
    assert [t for t, render in renders if "toFixed(1)" in render or "slice" in render] == [[3]]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["<b>قال</b>", None, "a & b"], ["&lt;b&gt;قال&lt;/b&gt;", "", "a &amp; b"]),
        (["نص\0فيه صفر", "'"], ["نص\0فيه صفر", "&#x27;"]),  # a NUL in the text: escaped one by one
        ([], []),
    ],
)
def test_text_columns_are_escaped_whole(values, expected):
    args = options(table_html(pd.DataFrame({"t": pd.Series(values, dtype=object)})))
    assert [row[0] for row in args["data"]] == expected


def test_a_meaningful_index_becomes_columns_and_the_input_is_not_changed():
    frame = pd.DataFrame({"n": [1, 2]}, index=pd.Index(["أ", "ب"], name="topic"))
    before = frame.copy()
    args = options(table_html(frame))
    assert args["data"] == [["أ", 1], ["ب", 2]]
    pd.testing.assert_frame_equal(frame, before)


def test_show_table_carries_the_offline_library_once_per_kernel():
    import workbench.table_view as table_view

    table_view._loaded_in_this_kernel = False
    first, second = show_table(pd.DataFrame({"x": [1]})), show_table(pd.DataFrame({"x": [2]}))
    assert "dt_src_b64" not in first.data and "injectModule" in first.data and len(first.data) > 500_000
    assert "injectModule" not in second.data and len(second.data) < 20_000


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"page_length": 0}, "`page_length` value = 0 is invalid"),
    ],
)
def test_bad_options(bad, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        table_html(pd.DataFrame({"x": [1]}), **bad)
    with pytest.raises(TypeError, match="needs a pandas DataFrame, not list"):
        table_html([1])
