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


def test_save_outlet_charts_counting_once_needs_marked_sentences_or_the_reuse(tmp_path):
    with pytest.raises(ValueError, match="reused='once' needs the sentences marked with their reuse"):
        oc.save_outlet_charts(SENTENCES, tmp_path / "charts", documents=DOCUMENTS, reused="once")
    marked = SENTENCES.assign(reuse_cluster=0, reused_copy=[False] * 6 + [True] + [False] * 3)
    written = oc.save_outlet_charts(marked, tmp_path / "charts", documents=DOCUMENTS, reused="once", dpi=30)
    assert len(written) == 18


def test_save_outlet_charts(tmp_path):
    written = oc.save_outlet_charts(SENTENCES, tmp_path / "charts", documents=DOCUMENTS, dpi=50)
    names = ["outlet_topics", "speaker_shares", "speaker_types", "statement_types", "quotation",
             "coverage", "keyness_01", "keyness_02", "keyness_03"]
    assert written == [tmp_path / "charts" / f"{n}.{f}" for n in names for f in ("png", "svg")]
    assert all(p.stat().st_size > 1000 for p in written)
    assert plt.get_fignums() == []


# ------------------------------------------------------------------ many outlets, long names

#: Twenty outlets, some with long names, as an analyst's corpus has them (invented names).
MANY = ["وكالة المدار للأنباء", "صحيفة الأفق", "الرائد نت", "منبر الخليج", "صوت الشمال",
        "المرآة اليومية", "نافذة الشرق", "جريدة الصباح الجديد", "قناة النهار الإخبارية",
        "موقع البوابة", "الوطن العربي اليوم", "شبكة الأخبار المستقلة", "صحيفة الرأي",
        "إذاعة المدينة", "مجلة الأسبوع السياسي", "البيان", "موقع الحدث", "الشروق",
        "صحيفة الجزيرة العربية الدولية للأخبار والتحليلات", "وكالة الأنباء الرسمية"]
SPEAKERS = ["peskov", "blinken", "us_state_department", "ukr", "lavrov", "stoltenberg", "macron", "iran"]
KINDS = ["concern", "warning", "appeal", "discussion", ""]


def _many_outlets():
    """Sentences of 20 outlets, three articles each, every speaker quoted in each outlet."""
    rows, docs = [], []
    for o, outlet in enumerate(MANY):
        for d in range(3):
            doc_id = f"o{o:02d}_{d}"
            docs.append((doc_id, outlet, f"2022-02-{1 + 7 * d + o % 7:02d}"))
            for k, speaker in enumerate(SPEAKERS):
                for n in range(1 + (o + k + d) % 5):
                    rows.append((doc_id, "قال المتحدث إن الحوار مستمر حول أوكرانيا.", "ukraine;iran"
                                 if n % 2 else "minsk", speaker, speaker, KINDS[(o + n) % len(KINDS)], ""))
    frame = pd.DataFrame(rows, columns=["doc_id", "text", "topics", "actors", "speaker", "statement_type",
                                        "quote"])
    frame.insert(1, "paragraph", frame.groupby("doc_id").cumcount())
    frame.insert(2, "sentence_id", frame["doc_id"] + ":" + frame["paragraph"].astype(str))
    return frame, pd.DataFrame(docs, columns=["doc_id", "outlet", "date"])


def _outside(ax) -> list[str]:
    """Texts of the chart drawn (partly) outside its figure, heatmap cells under 0.3 in wide,
    cell values wider than their cell."""
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    width, height = fig.bbox.width, fig.bbox.height
    ticks = [label for axis, limits in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim()))
             for tick in axis.get_major_ticks() if min(limits) <= tick.get_loc() <= max(limits)
             for label in (tick.label1, tick.label2)]  # the ticks drawn: inside the view
    legend = ax.get_legend().get_texts() if ax.get_legend() is not None else []
    texts = [t for t in [*ax.get_children(), *ticks, *legend]
             if isinstance(t, matplotlib.text.Text) and t.get_visible() and t.get_text()]
    bad = []
    for t in texts:
        box = t.get_window_extent(renderer)
        if box.x0 < -1 or box.y0 < -1 or box.x1 > width + 1 or box.y1 > height + 1:
            bad.append(f"outside: {t.get_text()[:40]!r} {box.x0:.0f}..{box.x1:.0f} of {width:.0f}")
    if ax.images:
        columns = ax.images[0].get_array().shape[1]
        cell = ax.get_window_extent(renderer).width / columns
        if cell < 0.3 * fig.dpi:
            bad.append(f"cells {cell / fig.dpi:.2f} in wide")
        bad += [f"wider than its cell: {t.get_text()!r}" for t in ax.texts
                if t.get_window_extent(renderer).width > cell - 2]
    return bad


@pytest.mark.parametrize("labels", ["ar", "both"])  # "en" is laid out as "both"
@pytest.mark.parametrize("chart", ["outlet_topics", "speaker_shares", "speaker_types", "statement_types",
                                   "shared_passages", "quotation", "keyness", "coverage"])
def test_twenty_outlets_with_long_names_fit_their_charts(chart, labels):
    sentences, documents = _many_outlets()
    common = {"documents": documents, "labels": labels}
    draw = {
        "outlet_topics": lambda: oc.plot_outlet_topics(sentences, **common),
        "speaker_shares": lambda: oc.plot_speaker_shares(sentences, **common),
        "speaker_types": lambda: oc.plot_speaker_shares(sentences, by="type", **common),
        "statement_types": lambda: oc.plot_statement_types(sentences, **common),
        "shared_passages": lambda: oc.plot_shared_passages(
            pd.DataFrame({"outlet": MANY, **{o: [(i * j) % 31 for j in range(20)]
                                              for i, o in enumerate(MANY)}}), labels=labels),
        "quotation": lambda: oc.plot_quotation(sentences, **common),
        "keyness": lambda: oc.plot_keyness(sentences, outlet=MANY[18], feature="speaker", min_expected=0,
                                           **common),
        "coverage": lambda: oc.plot_coverage(sentences, outlet=MANY[18], **common),
    }[chart]
    assert _outside(draw()) == []


@pytest.mark.parametrize("top_share", [0.183, 0.0175, 0.62, 1.0])
def test_the_colour_bar_of_shares_says_each_tick_exactly(top_share):
    # a tall chart (twenty outlets) has a tall colour bar, ticked finely
    table = pd.DataFrame({"outlet": [o for o in MANY for _ in range(2)],
                          "speaker": ["peskov", "blinken"] * 20, "statements": 1,
                          "share": [top_share, 0.0] + [top_share / 3, 0.01] * 19})
    ax = oc.plot_speaker_shares(table, labels="en")
    bar = ax.images[0].colorbar
    ax.figure.canvas.draw()
    pairs = [(round(100 * v, 6), float(t.get_text().replace("−", "-").rstrip("%")))
             for v, t in zip(bar.ax.get_yticks(), bar.ax.get_yticklabels(), strict=True)
             if 0 <= v <= top_share]
    assert len(pairs) >= 3
    assert [shown for _, shown in pairs] == [value for value, _ in pairs]  # 12.5% is not "12%"


def test_with_both_languages_a_title_naming_an_outlet_gives_each_language_its_own_line():
    # on one line the bidi algorithm mixes the English words, the Arabic name and the Arabic title
    ax = oc.plot_keyness(SENTENCES, documents=DOCUMENTS, outlet=A, feature="topic", min_expected=0,
                         labels="both")
    assert ax.get_title() == f"What {A} stresses against the others\nما تبرزه {A} مقارنة ببقية الوسائل"
    assert ax.get_xlabel() == "χ² (positive: more than expected)\nχ² (موجب: أكثر من المتوقع)"
    ax = oc.plot_coverage(SENTENCES, documents=DOCUMENTS, outlet=A, labels="both")
    assert ax.get_title() == f"Coverage over time — {A}\nالتغطية عبر الزمن — {A}"


@pytest.mark.parametrize("labels, title, why", [
    ("en", f"What {A} stresses against the others", "Counts too small to rank"),
    ("ar", f"ما تبرزه {A} مقارنة ببقية الوسائل", "أعداد أصغر من أن ترتب"),
])
def test_a_keyness_chart_with_nothing_ranked_still_names_its_outlet(labels, title, why):
    # every feature of the small frame is below min_expected: the chart says whose it is and why
    ax = oc.plot_keyness(SENTENCES, documents=DOCUMENTS, outlet=A, feature="topic", labels=labels)
    assert title in (ax.get_title(), ax.get_title(loc="right"))
    assert _cells(ax) == [why]
