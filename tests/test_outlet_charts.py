"""Tests for workbench/outlet_charts.py: outlet tables in, Axes out, Arabic drawn right."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from conftest import tick_texts
from test_outlets import DOCUMENTS, SENTENCES, A, B, C

from workbench import outlet_charts as oc
from workbench import outlets, reuse, tables

pytestmark = pytest.mark.usefixtures("close_figures")  # conftest: every figure closed, rcParams kept
_ticks = tick_texts


def _cells(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def test_outlet_topics_heatmap_of_shares():
    ax = oc.plot_outlet_topics(SENTENCES, documents=DOCUMENTS, labels="en")
    # shares of each outlet's sentences: A 3 ukraine, 1 iran of 5; B 1 iran of 2; C 3 ukraine, 2 cyber of 3
    assert _ticks(ax.get_yticklabels()) == [A, B, C]
    assert _ticks(ax.get_xticklabels()) == ["Ukraine", "Iran", "Cyber"]
    np.testing.assert_allclose(ax.images[0].get_array(),
                               [[3 / 5, 1 / 5, 0], [0, 1 / 2, 0], [2 / 3, 0, 2 / 3]])
    assert _cells(ax) == ["60%", "20%", "0%", "0%", "50%", "0%", "67%", "0%", "67%"]
    assert not ax.xaxis_inverted()


def test_outlet_topics_right_to_left_for_arabic_and_counts():
    ax = oc.plot_outlet_topics(SENTENCES, documents=DOCUMENTS, labels="ar", value="sentences")
    assert ax.xaxis_inverted() and ax.yaxis.get_ticks_position() == "right"
    assert _ticks(ax.get_xticklabels()) == ["أوكرانيا", "إيران", "الأمن السيبراني"]  # logical order
    assert ax.get_title(loc="right") == "ما تغطيه كل وسيلة (عدد الجمل)"
    assert _cells(ax) == ["3", "1", "0", "0", "1", "0", "2", "0", "2"]


def test_outlet_topics_from_the_table_equals_from_sentences():
    table = tables.topic_counts(SENTENCES, by="outlet", documents=DOCUMENTS)
    a = oc.plot_outlet_topics(table).images[0].get_array()
    b = oc.plot_outlet_topics(SENTENCES, documents=DOCUMENTS).images[0].get_array()
    np.testing.assert_array_equal(a, b)


def test_speaker_shares_heatmap_and_top():
    ax = oc.plot_speaker_shares(SENTENCES, documents=DOCUMENTS, labels="en")
    assert _ticks(ax.get_xticklabels()) == ["Dmitry Peskov", "Antony Blinken", "US State Department",
                                            "Ukraine"]
    np.testing.assert_allclose(ax.images[0].get_array(),
                               [[2 / 3, 1 / 3, 0, 0], [0.5, 0, 0.5, 0], [0, 0, 0, 1]])
    ax = oc.plot_speaker_shares(SENTENCES, documents=DOCUMENTS, labels="en", top=1)
    assert _ticks(ax.get_xticklabels()) == ["Dmitry Peskov"]  # three statements, the most
    ax = oc.plot_speaker_shares(SENTENCES, documents=DOCUMENTS, labels="ar", by="type")
    assert _ticks(ax.get_xticklabels()) == ["شخص", "مؤسسة", "دولة"]


def test_statement_types_heatmap_rows_are_outlet_and_speaker():
    ax = oc.plot_statement_types(SENTENCES, documents=DOCUMENTS, labels="en")
    assert _ticks(ax.get_yticklabels()) == [f"{A} · Dmitry Peskov", f"{A} · Antony Blinken",
                                            f"{B} · Dmitry Peskov", f"{B} · US State Department",
                                            f"{C} · Ukraine"]
    assert _ticks(ax.get_xticklabels()) == ["Warning or threat", "Announcement", "no type"]
    np.testing.assert_array_equal(ax.images[0].get_array(),
                                  [[0, 1, 1], [1, 0, 0], [0, 0, 1], [0, 0, 1], [0, 1, 0]])


def test_quotation_bars():
    ax = oc.plot_quotation(SENTENCES, documents=DOCUMENTS, labels="en")
    widths = [round(p.get_width(), 4) for p in ax.patches]
    assert widths == [round(1 / 3, 4), 1.0, 0.0, round(2 / 3, 4), 0.0, 1.0]  # quoted, then paraphrased
    assert _cells(ax) == ["1", "2", "2", "1"]  # the counts inside the non-empty bars
    assert _ticks(ax.get_yticklabels()) == [A, B, C]
    ax = oc.plot_quotation(SENTENCES, documents=DOCUMENTS, labels="ar")
    assert ax.xaxis_inverted() and [t.get_text() for t in ax.get_legend().get_texts()] == [
        "اقتباس مباشر", "نقل بتصرف"]


def test_keyness_bars_show_ranked_features_only():
    table = outlets.keyness(SENTENCES, documents=DOCUMENTS, feature="topic", min_expected=0)
    ax = oc.plot_keyness(table, outlet=A, labels="en")
    part = table[table["outlet"] == A]
    assert _ticks(ax.get_yticklabels()) == ["Ukraine", "Iran", "Cyber"]
    np.testing.assert_allclose([p.get_width() for p in ax.patches], part["chi2"].to_numpy())
    flagged = outlets.keyness(SENTENCES, documents=DOCUMENTS, feature="topic", min_expected=1.5)
    ax = oc.plot_keyness(flagged, outlet=A, labels="en")
    assert _ticks(ax.get_yticklabels()) == ["Ukraine"]  # iran and cyber are small
    ax = oc.plot_keyness(SENTENCES, documents=DOCUMENTS, outlet=A, feature="topic", min_expected=0,
                         labels="ar")
    assert _ticks(ax.get_yticklabels()) == ["أوكرانيا", "إيران", "الأمن السيبراني"]
    assert ax.yaxis.get_ticks_position() == "right" and not ax.xaxis_inverted()
    assert ax.get_title(loc="right") == f"ما تبرزه {A} مقارنة ببقية الوسائل"


def test_coverage_lines():
    ax = oc.plot_coverage(SENTENCES, documents=DOCUMENTS, labels="en")
    assert _ticks(ax.get_xticklabels()) == ["2022-01-10", "2022-01-17"]
    lines = {line.get_label(): line.get_ydata().tolist() for line in ax.get_lines()}
    assert lines == {"Ukraine": [3, 1], "Iran": [1, 1], "Cyber": [2, 0]}
    ax = oc.plot_coverage(SENTENCES, documents=DOCUMENTS, key="ukraine", labels="en")
    assert {line.get_label(): line.get_ydata().tolist() for line in ax.get_lines()} == {
        A: [2, 1], B: [0, 0], C: [1, 0]}
    ax = oc.plot_coverage(SENTENCES, documents=DOCUMENTS, outlet=A, labels="ar")
    assert {line.get_label(): line.get_ydata().tolist() for line in ax.get_lines()} == {
        "أوكرانيا": [2, 1], "إيران": [0, 1], "الأمن السيبراني": [0, 0]}
    assert ax.xaxis_inverted()  # time runs from right to left
    assert ax.get_title(loc="right") == f"التغطية عبر الزمن — {A}"


def test_shared_passages_heatmap():
    texts = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["وكالة", "صحيفة"],
                          "text": ["عنوان\n" + SENTENCES_TEXT, "عنوان آخر\n" + SENTENCES_TEXT]})
    found = reuse.find_reuse(texts)
    ax = oc.plot_shared_passages(found, labels="ar")
    assert _ticks(ax.get_yticklabels()) == ["صحيفة", "وكالة"]
    assert _cells(ax) == ["1", "1", "1", "1"]
    assert ax.images[0].get_array().mask.tolist() == [[True, False], [False, True]]  # diagonal greyed


SENTENCES_TEXT = " ".join(SENTENCES["text"].tolist()[:4])


@pytest.mark.parametrize(
    "draw",
    [lambda: oc.plot_outlet_topics(tables.topic_counts(SENTENCES, by="outlet", documents=DOCUMENTS),
                                   reused="once"),
     lambda: oc.plot_speaker_shares(outlets.speaker_shares(SENTENCES, documents=DOCUMENTS), reused="once"),
     lambda: oc.plot_quotation(outlets.quotation_shares(SENTENCES, documents=DOCUMENTS), reused="once"),
     lambda: oc.plot_coverage(outlets.coverage_over_time(SENTENCES, documents=DOCUMENTS), reused="once")],
)
def test_a_table_counted_already_refuses_reused_once(draw):
    with pytest.raises(ValueError, match="reused='once' applies when the chart counts from sentences"):
        draw()


def test_reused_once_from_marked_sentences():
    marked = SENTENCES.assign(reuse_cluster=0, reused_copy=[False] * 6 + [True] + [False] * 3)
    ax = oc.plot_speaker_shares(marked, documents=DOCUMENTS, labels="en", reused="once")
    np.testing.assert_allclose(ax.images[0].get_array()[1], [0, 0, 1, 0])  # B: the copy left out


def test_save_outlet_charts(tmp_path):
    written = oc.save_outlet_charts(SENTENCES, tmp_path / "charts", documents=DOCUMENTS, dpi=50)
    names = ["outlet_topics", "speaker_shares", "speaker_types", "statement_types", "quotation",
             "coverage", "keyness_01", "keyness_02", "keyness_03"]
    assert written == [tmp_path / "charts" / f"{n}.{f}" for n in names for f in ("png", "svg")]
    assert all(p.stat().st_size > 1000 for p in written)
    assert plt.get_fignums() == []
