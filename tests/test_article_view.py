"""Tests for workbench/article_view.py: the whole article with stripes, driven headless.

Clicks are sent as ipyevents sends them (the clicked element's class names); the browser
test clicks for real.
"""

from __future__ import annotations

import re

import pytest
from test_store import CODEBOOK, make_annotations, sid
from test_widgets import MALICIOUS

from workbench.article_view import ArticleView, article_html, legend_html, sentence_row, topic_colors
from workbench.store import Store
from workbench.widgets import ReviewPanel

TOPICS = ["ukraine", "minsk", "iran", "cyber"]
SUMMARY = CODEBOOK.summary()


def record(**values):
    base = {
        "sentence_id": "d:1",
        "doc_id": "d",
        "paragraph": 1,
        "text": "قال الكرملين إن أوكرانيا مهمة",
        "topics": ["ukraine"],
        "actors": ["kremlin"],
        "speaker": "kremlin",
        "reviewed": False,
        "speaker_rule": "verb=قال subject=الكرملين",
        "auto": {
            "topics": ["ukraine"],
            "actors": ["kremlin"],
            "speaker": "kremlin",
            "speaker_rule": "verb=قال subject=الكرملين",
        },
        "mentions": [
            {
                "rel_start": 16,
                "rel_end": 24,
                "kind": "topic",
                "key": "ukraine",
                "rule": "أوكرانيا",
                "surface": "أوكرانيا",
            }
        ],
    }
    base.update(values)
    return base


def stripes(row: str) -> list[tuple[str, str]]:
    """(classes, title) of each stripe of a row, right to left."""
    return re.findall(r'<span class="wb-av-stripe ([^"]*)"(?: style="[^"]*")?(?: title="([^"]*)")?>', row)


@pytest.mark.parametrize(
    "values, expected",
    [
        (
            {},
            [
                ("wb-s-3", "أوكرانيا (Ukraine): أوكرانيا (أوكرانيا)"),
                ("wb-s-3", ""),
                ("wb-s-3", ""),
                ("wb-s-3", ""),
            ],
        ),
        (
            {"topics": ["ukraine", "iran"]},
            [
                ("wb-s-3", "أوكرانيا (Ukraine): أوكرانيا (أوكرانيا)"),
                ("wb-s-3", ""),
                ("wb-s-3 wb-av-manual", "إيران (Iran): added by hand"),
                ("wb-s-3", ""),
            ],
        ),
        (
            {"topics": []},
            [
                (
                    "wb-s-3 wb-av-removed",
                    "أوكرانيا (Ukraine): removed by hand (automatic: أوكرانيا (أوكرانيا))",
                ),
                ("wb-s-3", ""),
                ("wb-s-3", ""),
                ("wb-s-3", ""),
            ],
        ),
    ],
)
def test_one_stripe_per_topic_with_its_evidence(values, expected):
    assert (
        stripes(
            sentence_row(record(**values), 3, topics=TOPICS, colors=topic_colors(TOPICS), codebook=SUMMARY)
        )
        == expected
    )


@pytest.mark.parametrize(
    "values, shown, title",
    [
        ({}, "الكرملين", "speaker الكرملين (Kremlin): verb=قال subject=الكرملين"),
        (
            {"confidence": 0.85},
            "الكرملين · 0.8",
            "speaker الكرملين (Kremlin): verb=قال subject=الكرملين · confidence 0.85",
        ),
        (
            {"speaker": "putin"},
            "✎ بوتين",
            "speaker putin set by hand (automatic: kremlin, verb=قال subject=الكرملين)",
        ),
        (
            {"speaker": "", "auto": {"speaker": "", "speaker_rule": ""}, "reviewed": True},
            "✓ ",
            "no speaker · reviewed",
        ),
    ],
)
def test_speaker_mark_says_who_how_and_how_sure(values, shown, title):
    row = sentence_row(record(**values), 0, topics=TOPICS, colors=topic_colors(TOPICS), codebook=SUMMARY)
    found = re.search(r'<span class="wb-av-speaker wb-s-0[^"]*" title="([^"]*)">([^<]*)</span>', row)
    assert (found[2], found[1]) == (shown, title)


def test_rows_are_escaped_furniture_greyed_and_marks_carry_the_sentence():
    row = sentence_row(
        record(
            text="<img src=x onerror=alert(1)> أوكرانيا",
            furniture="caption",
            mentions=[
                {"rel_start": 29, "rel_end": 37, "kind": "topic", "key": "ukraine", "rule": '"><script>'}
            ],
        ),
        5,
        topics=TOPICS,
        colors=topic_colors(TOPICS),
        codebook=SUMMARY,
        selected=True,
    )
    assert row.startswith(
        '<div class="wb-av-row wb-s-5 wb-av-furniture wb-av-selected" data-sentence-id="d:1">'
    )
    assert "&lt;img src=x onerror=alert(1)&gt;" in row and "<img" not in row and "<script>" not in row
    assert '<mark class="wb-s-5" title="topic ukraine: &quot;&gt;&lt;script&gt;"' in row


def test_article_html_groups_paragraphs_in_reading_order():
    records = [
        record(sentence_id=f"d:{i}", paragraph=p, text=t, mentions=[])
        for i, (p, t) in enumerate([(0, "عنوان"), (1, "أولى"), (1, "ثانية"), (2, "ثالثة")])
    ]
    out = article_html(
        records, topics=TOPICS, codebook=SUMMARY, title="<b>قمة</b>", selected="d:2", style=False
    )
    assert (
        '<div class="wb-article" dir="rtl" lang="ar">'
        '<div class="wb-av-title" dir="auto">&lt;b&gt;قمة&lt;/b&gt;</div>'
        in out
    )
    assert re.findall(r'<div class="wb-av-para">|wb-av-text wb-s-\d" dir="auto">([^<]*)<', out) == [
        "",
        "عنوان",
        "",
        "أولى",
        "ثانية",
        "",
        "ثالثة",
    ]
    assert out.count('<div class="wb-av-para">') == 3 and out.count("wb-av-selected") == 1
    assert out.count("<div") == out.count("</div>")


def test_legend_names_every_topic_colour_and_mark():
    legend = legend_html(TOPICS, codebook=SUMMARY)
    for color in topic_colors(TOPICS).values():
        assert f'style="background: {color};"></span><bdi>' in legend
    assert "<bdi>أوكرانيا (Ukraine)</bdi>" in legend and "<bdi>مينسك (Minsk)</bdi>" in legend
    for words in (
        "added by hand",
        "removed by hand",
        "topic term",
        "actor",
        "speaker · confidence",
        "speaker set by hand",
        "reviewed",
        "page furniture",
    ):
        assert words in legend


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "store.sqlite") as store:
        store.save_annotations(make_annotations(codebook=CODEBOOK))
        yield store


def test_view_shows_the_panels_document_and_a_click_opens_the_sentence(store):
    panel = ReviewPanel(store, annotator="huda")
    view = ArticleView(store, panel=panel)
    assert view.doc_id == "a" and view.sentence_ids == store.sentence_ids(doc_id="a")
    assert view.body.value.count("wb-av-row") == 4 and view.body.value.count("wb-av-selected") == 1
    view._on_click({"event": "click", "target": {"tagName": "MARK", "id": "", "className": "wb-s-2"}})
    assert panel.sentence_id == sid(store, "a", 2)
    rows = re.findall(r'<div class="wb-av-row wb-s-(\d)([^"]*)"', view.body.value)
    # the store's a2 is page furniture ("other"): greyed
    assert rows == [("0", ""), ("1", ""), ("2", " wb-av-furniture wb-av-selected"), ("3", "")]
    view._on_click({"event": "click", "target": {"tagName": "DIV", "id": "", "className": "wb-av-legend"}})
    assert panel.sentence_id == sid(store, "a", 2)  # a click outside a sentence does nothing
    assert store.journal().empty


def test_a_correction_in_the_panel_shows_in_the_view_at_once(store):
    panel = ReviewPanel(store, annotator="huda")
    view = ArticleView(store, panel=panel)
    before = view.body.value
    panel.topic_toggles["cyber"].value = True
    row = re.search(r'<div class="wb-av-row wb-s-0.*?</div>', view.body.value)[0]
    assert ("wb-s-0 wb-av-manual", "السيبراني (Cyber): added by hand") in stripes(row)
    assert view.body.value.replace(row, "") == before.replace(
        re.search(r'<div class="wb-av-row wb-s-0.*?</div>', before)[0], ""
    )  # only that line changed
    panel.jump.value = "5"  # b's first sentence: the view follows to document b
    assert view.doc_id == "b" and "wb-av-selected" in view.body.value.split("wb-av-row")[1]


def test_choosing_a_document_and_a_view_without_panel(store):
    view = ArticleView(store, doc_id="b")
    assert view.sentence_ids == store.sentence_ids(doc_id="b")
    view.documents.value = "a"
    assert view.sentence_ids == store.sentence_ids(doc_id="a")
    view.open_sentence(sid(store, "a", 1))
    assert view.body.value.count("wb-av-selected") == 1 and store.journal().empty


def test_malicious_article_in_the_view(tmp_path):
    with Store(tmp_path / "evil.sqlite") as store:
        store.save_annotations(
            make_annotations({"x": MALICIOUS}, auto={("x", 1): {"actors": "putin"}}, codebook=CODEBOOK)
        )
        value = ArticleView(store).body.value
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in value and "&lt;b&gt;خبر&lt;/b&gt;" in value
    assert not re.search(r"<(script|img|b)[\s>]", value)
