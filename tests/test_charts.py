"""Tests for workbench/charts.py: DataFrame (or store) in, Axes out, Arabic drawn right."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from conftest import (  # the hand-made corpus
    CODEBOOK_FORMS,
    MARKED,
    MENTIONS,
    SENTENCES,
    TABLES_CODEBOOK,
    TEXTS,
    tick_texts,
)

from workbench import charts, display, tables
from workbench.codebook import CodebookEntry, CodebookSummary

AR = ["أوكرانيا", "اتفاقات مينسك", "إيران", "الأمن السيبراني"]
EN = ["Ukraine", "Minsk agreements", "Iran", "Cyber"]
BOTH = [f"{a} ({e})" for a, e in zip(AR, EN, strict=True)]


pytestmark = pytest.mark.usefixtures("close_figures")  # conftest: every figure closed, rcParams kept
_ticks = tick_texts


def _presentation_forms(text: str) -> bool:
    return any("\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff" for ch in text)


# ------------------------------------------------------------------ topic counts


@pytest.mark.parametrize(("labels", "names"), [("ar", AR), ("en", EN), ("both", BOTH)])
def test_topic_counts_bars_and_labels(labels: str, names: list[str]) -> None:
    ax = charts.plot_topic_counts(SENTENCES, labels=labels, codebook=TABLES_CODEBOOK)
    assert _ticks(ax.get_yticklabels()) == names  # logical text: matplotlib shapes it
    assert [p.get_width() for p in ax.patches] == [4, 1, 2, 0]
    assert [t.get_text() for t in ax.texts] == ["4", "1", "2", "0"]
    assert ax.yaxis_inverted()  # first topic on top
    assert ax.get_yticklabels()[0].get_fontfamily()[0] == display.arabic_font()


def test_topic_counts_right_to_left_for_arabic() -> None:
    ax = charts.plot_topic_counts(SENTENCES, labels="ar", codebook=TABLES_CODEBOOK)
    assert ax.xaxis_inverted() and ax.yaxis.get_ticks_position() == "right"
    assert ax.get_title(loc="right") == "المواضيع"
    ax = charts.plot_topic_counts(SENTENCES, labels="ar", direction="ltr", codebook=TABLES_CODEBOOK)
    assert not ax.xaxis_inverted() and ax.yaxis.get_ticks_position() == "left"
    ax = charts.plot_topic_counts(SENTENCES, labels="en", codebook=TABLES_CODEBOOK)
    assert not ax.xaxis_inverted() and ax.get_title() == "Topics"


def test_topic_counts_fallback_reshapes_every_label() -> None:
    with display.assume_shaping(False):
        ax = charts.plot_topic_counts(SENTENCES, labels="ar", codebook=TABLES_CODEBOOK)
    shown = _ticks(ax.get_yticklabels())
    assert shown == [display.for_matplotlib(n, shapes=False) for n in AR]
    assert all(_presentation_forms(s) for s in shown)
    assert ax.get_title(loc="right") == display.for_matplotlib("المواضيع", shapes=False)


@pytest.mark.parametrize(
    ("value", "widths", "texts"),
    [("mentions", [4, 1, 2, 0], ["4", "1", "2", "0"]),
     ("share", [4 / 6, 1 / 6, 2 / 6, 0], ["67%", "17%", "33%", "0%"])],
)
def test_topic_counts_values(value: str, widths: list[float], texts: list[str]) -> None:
    ax = charts.plot_topic_counts(SENTENCES, mentions=MENTIONS, value=value, codebook=TABLES_CODEBOOK)
    assert [p.get_width() for p in ax.patches] == pytest.approx(widths)
    assert [t.get_text() for t in ax.texts] == texts


def test_topic_counts_from_grouped_table_draws_a_bar_per_group() -> None:
    table = tables.topic_counts(SENTENCES, by="doc_id", codebook=TABLES_CODEBOOK)
    ax = charts.plot_topic_counts(table, codebook=TABLES_CODEBOOK)
    assert [p.get_width() for p in ax.patches] == [3, 1, 1, 0, 1, 0, 1, 0]
    assert _ticks(ax.get_legend().get_texts()) == ["a", "b"]


def test_dollar_signs_are_not_mathtext() -> None:
    codebook = CodebookSummary(topics=(CodebookEntry("a", "خطة $5 مليار $", "Plan $5bn $"),))
    s = SENTENCES.assign(topics="a")
    ax = charts.plot_topic_counts(s, labels="ar", codebook=codebook)
    label = ax.get_yticklabels()[0]
    assert label.get_text() == r"خطة \$5 مليار \$"
    ax.figure.canvas.draw()  # would raise if parsed as mathtext with Arabic inside
    assert not label._preprocess_math(label.get_text())[1]


def test_draws_on_the_given_axes_only() -> None:
    fig, ax = plt.subplots()
    assert charts.plot_topic_counts(SENTENCES, ax=ax, codebook=TABLES_CODEBOOK) is ax
    assert charts.plot_cooccurrence(SENTENCES, ax=ax, codebook=TABLES_CODEBOOK) is ax
    assert plt.get_fignums() == [fig.number]
    new = charts.plot_topic_counts(SENTENCES, codebook=TABLES_CODEBOOK)
    assert new.figure is not fig and len(plt.get_fignums()) == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"labels": "fr"}, "`labels` value = 'fr' is invalid; value must be one of {'ar', 'en', 'both'}"),
        ({"direction": "up"}, "`direction` value = 'up' is invalid"),
        ({"value": "words"}, "`value` value = 'words' is invalid"),
        ({"value": "mentions"}, "plot_topic_counts(value='mentions') needs mentions="),
    ],
)
def test_topic_counts_errors(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError) as err:
        charts.plot_topic_counts(SENTENCES, **kwargs)
    assert message in str(err.value)


def test_empty_data_says_so() -> None:
    empty = SENTENCES.assign(topics="", speaker="")
    assert [t.get_text() for t in charts.plot_topic_counts(empty, labels="en").texts] == ["No data"]
    ax = charts.plot_speaker_by_topic(empty, labels="ar")
    assert [t.get_text() for t in ax.texts] == ["لا توجد تصريحات منسوبة"]


# ------------------------------------------------------------------ dispersion


def test_dispersion_marks_each_mention_at_its_place() -> None:
    ax = charts.plot_topic_dispersion(SENTENCES, mentions=MENTIONS, codebook=TABLES_CODEBOOK, labels="en")
    marks = ax.collections[0].get_offsets()
    topics = MENTIONS[MENTIONS["kind"] == "topic"]
    lengths = {d: SENTENCES[SENTENCES["doc_id"] == d]["end"].max() for d in TEXTS}
    assert lengths == {d: len(t) for d, t in TEXTS.items()}
    expected_x = [(s + e) / 2 / lengths[d] for d, s, e in topics[["doc_id", "start", "end"]].values]
    expected_y = [["ukraine", "minsk", "iran", "cyber"].index(k) for k in topics["key"]]
    assert np.allclose(marks[:, 0], expected_x)
    assert marks[:, 1].tolist() == expected_y
    assert _ticks(ax.get_yticklabels()) == EN
    assert ax.get_title() == "Where each topic is mentioned (2 articles)"


def test_furniture_is_left_out_of_charts() -> None:
    sentences = SENTENCES.assign(furniture=["", "", "", "", "caption", ""])  # b's first line is a caption
    caption = sentences["sentence_id"][4]
    ax = charts.plot_topic_dispersion(sentences, mentions=MENTIONS, codebook=TABLES_CODEBOOK)
    kept = MENTIONS[(MENTIONS["kind"] == "topic") & (MENTIONS["sentence_id"] != caption)]
    assert len(ax.collections[0].get_offsets()) == len(kept) == 6
    counts = charts.plot_topic_counts(sentences, codebook=TABLES_CODEBOOK)
    plain = charts.plot_topic_counts(SENTENCES[SENTENCES["sentence_id"] != caption], codebook=TABLES_CODEBOOK)
    assert [p.get_width() for p in counts.patches] == [p.get_width() for p in plain.patches]


def test_dispersion_one_document_from_mentions_and_lengths() -> None:
    ax = charts.plot_topic_dispersion(MENTIONS, doc_id="b", lengths={"b": 100}, labels="ar")
    marks = ax.collections[0].get_offsets()
    b = MENTIONS[(MENTIONS["doc_id"] == "b") & (MENTIONS["kind"] == "topic")]
    assert np.allclose(marks[:, 0], ((b["start"] + b["end"]) / 2 / 100).tolist())
    assert ax.xaxis_inverted()  # Arabic: the article starts on the right
    assert _ticks(ax.get_yticklabels())[0] in AR


def test_dispersion_needs_lengths_for_bare_mentions() -> None:
    with pytest.raises(ValueError, match="no length for document 'a'"):
        charts.plot_topic_dispersion(MENTIONS)


@pytest.mark.parametrize("name", [n for n in charts.__all__ if n.startswith("plot_")])
def test_plot_options_are_keyword_only(name: str) -> None:
    import inspect

    params = list(inspect.signature(getattr(charts, name)).parameters.values())
    assert params[0].name == "data"
    assert [p.name for p in params[1:] if p.kind is not p.KEYWORD_ONLY] == []


def test_dispersion_mentions_is_keyword_only() -> None:
    with pytest.raises(TypeError, match="positional argument"):
        charts.plot_topic_dispersion(SENTENCES, MENTIONS)


# ------------------------------------------------------------------ heatmaps


def test_speaker_by_topic_heatmap() -> None:
    ax = charts.plot_speaker_by_topic(SENTENCES, labels="both", codebook=TABLES_CODEBOOK)
    assert _ticks(ax.get_yticklabels()) == [
        "فلاديمير بوتين (Vladimir Putin)", "جو بايدن (Joe Biden)", "جين ساكي (Jen Psaki)"]
    assert _ticks(ax.get_xticklabels()) == BOTH
    image = ax.images[0].get_array()
    assert image.tolist() == [[1, 0, 0, 0], [0, 0, 1, 0], [1, 0, 0, 0]]
    assert [t.get_text() for t in ax.texts] == ["1", "0", "0", "0", "0", "0", "1", "0",
                                                "1", "0", "0", "0"]


def test_speaker_by_topic_from_table_equals_from_sentences() -> None:
    table = tables.speaker_by_topic(SENTENCES, codebook=TABLES_CODEBOOK)
    a = charts.plot_speaker_by_topic(table, codebook=TABLES_CODEBOOK)
    b = charts.plot_speaker_by_topic(SENTENCES, codebook=TABLES_CODEBOOK)
    assert a.images[0].get_array().tolist() == b.images[0].get_array().tolist()
    assert _ticks(a.get_yticklabels()) == _ticks(b.get_yticklabels()) == [
        "Vladimir Putin", "Joe Biden", "Jen Psaki"]


@pytest.mark.parametrize(
    ("unit", "cells"),
    [
        ("sentence", [[4, 1, 0, 0], [1, 1, 0, 0], [0, 0, 2, 0], [0, 0, 0, 0]]),
        ("paragraph", [[4, 1, 1, 0], [1, 1, 0, 0], [1, 0, 2, 0], [0, 0, 0, 0]]),
    ],
)
def test_cooccurrence_matrix(unit: str, cells: list[list[int]]) -> None:
    ax = charts.plot_cooccurrence(SENTENCES, unit=unit, labels="ar", codebook=TABLES_CODEBOOK)
    assert [int(t.get_text()) for t in ax.texts] == [c for row in cells for c in row]
    shade = ax.images[0].get_array()
    assert shade.mask.diagonal().all()  # the diagonal is shaded apart
    assert _ticks(ax.get_xticklabels()) == AR and ax.xaxis_inverted()


# ------------------------------------------------------------------ image: what is drawn


def test_chart_label_pixels_match_native_matplotlib() -> None:
    # The tick label the workbench drew, redrawn alone, is pixel-identical to
    # matplotlib drawing the logical label itself, and differs from the
    # reshaped + reordered string a shaping matplotlib would draw reversed.
    import arabic_reshaper
    from bidi import get_display
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    ax = charts.plot_topic_counts(SENTENCES, labels="ar", codebook=TABLES_CODEBOOK)
    tick = ax.get_yticklabels()[3]

    def render(text: str) -> np.ndarray:
        fig = Figure(figsize=(3, 1), dpi=100)
        FigureCanvasAgg(fig)
        fig.text(0.5, 0.5, text, ha="center", va="center", fontproperties=tick.get_fontproperties())
        fig.canvas.draw()
        return np.asarray(fig.canvas.buffer_rgba()).copy()

    drawn = render(tick.get_text())
    assert np.array_equal(drawn, render("الأمن السيبراني"))
    assert not np.array_equal(drawn, render(get_display(arabic_reshaper.reshape("الأمن السيبراني"),
                                                        base_dir="R")))


# ------------------------------------------------------------------ counting reused passages once


def test_charts_count_a_reused_passage_once() -> None:
    ax = charts.plot_topic_counts(MARKED, labels="en", codebook=TABLES_CODEBOOK, reused="once")
    assert [p.get_width() for p in ax.patches] == [3, 1, 2, 0]
    ax = charts.plot_topic_dispersion(MARKED, mentions=MENTIONS, codebook=TABLES_CODEBOOK, reused="once")
    assert len(ax.collections[0].get_offsets()) == (MENTIONS["kind"] == "topic").sum() - 1  # b:10 left out
    ax = charts.plot_speaker_by_topic(MARKED, labels="en", codebook=TABLES_CODEBOOK, reused="once")
    assert _ticks(ax.get_yticklabels()) == ["Vladimir Putin", "Joe Biden"]
    ax = charts.plot_cooccurrence(MARKED, codebook=TABLES_CODEBOOK, reused="once")
    assert ax.texts[0].get_text() == "3"  # ukraine with itself: 4 sentences, one a copy


def test_a_store_is_marked_with_its_own_reuse(tmp_path) -> None:
    from pathlib import Path

    import workbench as wb

    corpus = wb.load_corpus(Path(__file__).parent / "data" / "outlets" / "articles")
    with wb.Store(tmp_path / "outlets.sqlite") as store:
        store.save_annotations(wb.annotate(corpus))
        every = charts.plot_topic_counts(store, labels="en", reused="all")
        once = charts.plot_topic_counts(store, labels="en", reused="once")
        sentences, _ = store.view()
    marked = wb.reuse.mark_reused(sentences, wb.reuse.find_reuse(corpus))
    expected = tables.topic_counts(marked, by=None, reused="once")["sentences"].tolist()
    assert [p.get_width() for p in once.patches] == expected
    assert sum(p.get_width() for p in once.patches) < sum(p.get_width() for p in every.patches)


@pytest.mark.parametrize(
    "draw",
    [lambda: charts.plot_topic_counts(tables.topic_counts(SENTENCES, by=None), reused="once"),
     lambda: charts.plot_speaker_by_topic(tables.speaker_by_topic(SENTENCES), reused="once"),
     lambda: charts.plot_cooccurrence(tables.cooccurrence(SENTENCES), reused="once"),
     lambda: charts.plot_topic_dispersion(MENTIONS, lengths={"a": 200, "b": 200}, reused="once")],
)
def test_a_table_counted_already_refuses_reused_once(draw) -> None:
    with pytest.raises(ValueError, match="reused='once' applies when the chart counts from sentences"):
        draw()


# ------------------------------------------------------------------ files


def test_save_all_writes_png_and_svg(tmp_path) -> None:
    written = charts.save_all(SENTENCES, MENTIONS, tmp_path / "charts", codebook=TABLES_CODEBOOK, dpi=60)
    names = ["topic_counts", "topic_dispersion", "speaker_by_topic", "cooccurrence",
             "cooccurrence_paragraph"]
    assert written == [tmp_path / "charts" / f"{n}.{f}" for n in names for f in ("png", "svg")]
    assert sorted(p.name for p in (tmp_path / "charts").iterdir()) == sorted(p.name for p in written)
    for path in written:
        if path.suffix == ".png":
            assert plt.imread(path).shape[2] == 4
        else:
            assert path.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert plt.get_fignums() == []  # every figure closed


def test_save_all_needs_mentions(tmp_path) -> None:
    with pytest.raises(ValueError, match="save_all needs the mentions frame"):
        charts.save_all(SENTENCES, None, tmp_path)


@pytest.mark.parametrize("form", CODEBOOK_FORMS)
def test_charts_take_order_and_labels_from_the_codebook_given(relabelled, form: str) -> None:
    ann, store = relabelled
    codebook = CODEBOOK_FORMS[form](ann, store)
    ax = charts.plot_topic_counts(ann.sentences, labels="en", codebook=codebook)
    assert _ticks(ax.get_yticklabels()) == ["Hacking & ransomware", "Ukraine"]
    ax = charts.plot_topic_dispersion(ann.sentences, mentions=ann.mentions, labels="en", codebook=codebook)
    assert _ticks(ax.get_yticklabels()) == ["Hacking & ransomware", "Ukraine"]
    ax = charts.plot_cooccurrence(ann.sentences, labels="en", codebook=codebook)
    assert _ticks(ax.get_xticklabels()) == ["Hacking & ransomware", "Ukraine"]


def test_save_all_from_a_store_uses_its_codebook(relabelled, tmp_path) -> None:
    _, store = relabelled
    with matplotlib.rc_context({"svg.fonttype": "none"}):  # text as text, to read it back
        written = charts.save_all(store, None, tmp_path, labels="en", dpi=60)
    svg = (tmp_path / "topic_counts.svg").read_text(encoding="utf-8")
    assert len(written) == 10
    assert "Hacking &amp; ransomware" in svg and ">Cyber<" not in svg


# ------------------------------------------------------------------ the seed article
# Hand counts from reading the seed (see tests/test_tables.py): sentences per topic
# 10/2/2/1/2, mentions 13/3/2/1/2; statements Putin 2, Biden 2, Psaki 1, Kremlin 1,
# White House 3.


@pytest.fixture(scope="module")
def seed():
    from pathlib import Path

    import workbench as wb

    return wb.annotate(wb.load_corpus(Path(__file__).parents[1] / "seeds"))


def test_seed_charts(seed) -> None:
    s, m, cb = seed.sentences, seed.mentions, seed.codebook
    ax = charts.plot_topic_counts(s, mentions=m, value="mentions", labels="ar", codebook=cb)
    assert [p.get_width() for p in ax.patches] == [13, 3, 2, 1, 2]
    assert _ticks(ax.get_yticklabels()) == AR[:2] + ["إيران", "الأمن السيبراني",
                                                      "الاستقرار الاستراتيجي"]
    ax = charts.plot_topic_dispersion(s, mentions=m, labels="ar", codebook=cb)
    rows = ax.collections[0].get_offsets()[:, 1].tolist()
    assert [rows.count(i) for i in range(5)] == [13, 3, 2, 1, 2]
    ax = charts.plot_speaker_by_topic(s, labels="en", codebook=cb)
    assert _ticks(ax.get_yticklabels()) == ["Vladimir Putin", "Joe Biden", "Jen Psaki",
                                            "Kremlin", "White House"]
    assert ax.images[0].get_array()[:, :2].tolist() == [[2, 1], [2, 0], [1, 0], [1, 1], [3, 0]]


def test_seed_charts_from_a_store(seed, tmp_path) -> None:
    from workbench.store import Store

    store = Store(tmp_path / "seed.sqlite")
    try:
        store.save_annotations(seed)
        written = charts.save_all(store, None, tmp_path / "charts", labels="ar", dpi=60)
        ax = charts.plot_topic_counts(store, labels="ar")  # the store's own codebook labels
    finally:
        store.close()
    assert len(written) == 10 and all(p.stat().st_size > 500 for p in written)
    assert _ticks(ax.get_yticklabels())[0] == "أوكرانيا"
