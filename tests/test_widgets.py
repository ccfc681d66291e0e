"""Tests for workbench/widgets.py: the review panel driven headless.

Widgets are set and buttons clicked from Python, as the browser would; the store's
journal is read back to check what was written.
"""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest
from conftest import CODEBOOK, annotations, make_annotations, sid

from workbench.annotate import Annotations
from workbench.store import Store
from workbench.widgets import ReviewPanel, highlight_html, sentence_html

MALICIOUS = (
    "عنوان <b>خبر</b>\n"
    "قال بوتين <script>alert(1)</script> أمس. ثم <img src=x onerror=alert(1)> ظهر بايدن. "
    'وانتهى "الاجتماع" & غادر.'
)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "store.sqlite") as store:
        store.save_annotations(make_annotations(codebook=CODEBOOK))
        yield store


@pytest.fixture
def panel(store):
    return ReviewPanel(store, annotator="huda")


def journal(store: Store) -> list[tuple]:
    frame = store.journal()
    return list(
        frame[["annotator", "sentence_id", "field", "action", "value"]].itertuples(index=False, name=None)
    )


def toggles(panel: ReviewPanel) -> dict[str, tuple[bool, str, str]]:
    return {k: (b.value, b.button_style, b.icon) for k, b in panel.topic_toggles.items()}


# --------------------------------------------------------------------------- HTML helpers

M_PUTIN = {"rel_start": 4, "rel_end": 9, "kind": "actor", "key": "putin", "rule": "بوتين"}
M_TOPIC = {"rel_start": 0, "rel_end": 9, "kind": "topic", "key": "ukraine", "rule": 'قال "بوتين"'}
ACTOR_STYLE = "background: #bae0ff; color: inherit; padding: 0 1px;"
TOPIC_STYLE = "background: #ffe58f; color: inherit; padding: 0 1px;"
BOTH_STYLE = "background: #d9f7be; color: inherit; padding: 0 1px;"


@pytest.mark.parametrize(
    "text, mentions, expected",
    [
        ("قال بوتين", [], "قال بوتين"),
        ("قال بوتين", [M_PUTIN], f'قال <mark title="actor putin: بوتين" style="{ACTOR_STYLE}">بوتين</mark>'),
        # overlapping spans are cut at every boundary: well-formed, one mark per piece
        (
            "قال بوتين",
            [M_TOPIC, M_PUTIN],
            f'<mark title="topic ukraine: قال &quot;بوتين&quot;" style="{TOPIC_STYLE}">قال </mark>'
            f'<mark title="topic ukraine: قال &quot;بوتين&quot; | actor putin: بوتين" '
            f'style="{BOTH_STYLE}">بوتين</mark>',
        ),
        # offsets outside the sentence are clipped, empty spans dropped
        (
            "وبوتين",
            [
                {"rel_start": 1, "rel_end": 40, "kind": "actor", "key": "putin", "rule": "بوتين"},
                {"rel_start": 3, "rel_end": 3, "kind": "topic", "key": "x", "rule": ""},
            ],
            f'و<mark title="actor putin: بوتين" style="{ACTOR_STYLE}">بوتين</mark>',
        ),
        # untrusted text and rules are escaped, inside and outside marks
        (
            "<b>بوتين</b>",
            [{"rel_start": 3, "rel_end": 8, "kind": "actor", "key": "putin", "rule": '"><script>'}],
            f'&lt;b&gt;<mark title="actor putin: &quot;&gt;&lt;script&gt;" '
            f'style="{ACTOR_STYLE}">بوتين</mark>&lt;/b&gt;',
        ),
        # start / end are used when rel_start / rel_end are missing
        (
            "أ & ب",
            [{"start": 0, "end": 1, "kind": "topic", "key": "t", "rule": ""}],
            f'<mark title="topic t" style="{TOPIC_STYLE}">أ</mark> &amp; ب',
        ),
    ],
)
def test_highlight_html(text, mentions, expected):
    assert highlight_html(text, mentions) == expected


def test_sentence_html_is_rtl_escaped_with_context():
    record = {"text": "قال بوتين", "mentions": [M_PUTIN], "title": "<i>قمة</i>", "prev_text": "a<b",
              "next_text": "", "doc_id": "d", "paragraph": 1, "sentence": 0, "sentence_id": "d:1"}
    out = sentence_html(record)
    assert out.startswith(
        '<div dir="rtl" lang="ar" class="wb-review-text" style="font-family: \'Noto Naskh Arabic\''
    )
    assert '<span dir="auto">&lt;i&gt;قمة&lt;/i&gt;</span>' in out
    assert (
        '<div class="wb-prev-text" style="color: #595959; font-size: 0.95em;"><span '
        'dir="rtl">a&lt;b</span></div>'
        in out
    )
    assert "wb-next-text" not in out  # no next sentence, no empty line
    assert '<mark title="actor putin: بوتين"' in out
    assert "d · paragraph 1 · sentence 0 · d:1" in out


def test_page_furniture_is_shown_greyed_with_its_kind():
    body = sentence_html({"text": "قال بوتين", "furniture": ""})
    caption = sentence_html({"text": "<b>بوتين</b> (أ ف ب)", "furniture": "caption"})
    assert 'class="wb-sentence"' in body and "wb-furniture" not in body
    assert 'class="wb-sentence wb-furniture"' in caption and "color: #8c8c8c; opacity: 0.75;" in caption
    assert "page furniture: caption (left out of counts and charts)" in caption
    assert "&lt;b&gt;بوتين&lt;/b&gt;" in caption  # still escaped


def test_the_panel_shows_a_furniture_sentence_greyed(store):
    panel = ReviewPanel(store, annotator="huda")
    panel.show(sid(store, "a", 2))  # marked as furniture in the automatic layer
    assert "wb-furniture" in panel.sentence_display.value
    panel.show(sid(store, "a", 1))
    assert "wb-furniture" not in panel.sentence_display.value


# --------------------------------------------------------------------------- malicious article


def test_malicious_article_is_shown_as_text(tmp_path):
    with Store(tmp_path / "evil.sqlite") as store:
        ann = make_annotations(
            {"x": MALICIOUS},
            auto={("x", 1): {"actors": "putin"}, ("x", 2): {"actors": "biden"}},
            codebook=CODEBOOK,
        )
        store.save_annotations(ann)
        panel = ReviewPanel(store, annotator="huda")
        shown = []
        for _ in panel.queue_ids:
            shown.append(panel.sentence_display.value)
            panel.next()
    everything = "".join(shown)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown[1]  # the sentence itself
    assert "&lt;img src=x onerror=alert(1)&gt;" in shown[1]  # as the next sentence
    assert "&lt;img src=x onerror=alert(1)&gt;" in shown[2]
    assert "&lt;b&gt;خبر&lt;/b&gt;" in shown[0]  # the document title
    assert "&quot;الاجتماع&quot; &amp; غادر" in shown[3]
    assert not re.search(r"<(script|img|b)[\s>]", everything, flags=re.IGNORECASE)


# --------------------------------------------------------------------------- showing a record


def test_panel_shows_first_sentence_without_writing(store, panel):
    assert panel.sentence_id == sid(store, "a", 0)
    assert panel.queue_ids == [
        sid(store, d, i) for d, i in (("a", 0), ("a", 1), ("a", 2), ("a", 3), ("b", 0), ("b", 1))
    ]
    assert toggles(panel) == {k: (False, "", "") for k in ("ukraine", "minsk", "iran", "cyber")}
    assert panel.topic_toggles["ukraine"].description == "أوكرانيا (Ukraine)"
    assert panel.actors.value == ["putin", "biden"]
    assert panel.actors.allowed_tags == ["putin", "biden", "kremlin", "psaki"]
    assert (panel.speaker.value, panel.statement_type.value, panel.reviewed.value, panel.note.value) == (
        "",
        "",
        False,
        "",
    )
    assert panel.progress_label.value == "0 / 6 reviewed · 1 of 6 in queue"
    assert '<mark title="actor putin: بوتين"' in panel.sentence_display.value
    assert journal(store) == []


def test_panel_displays_its_box(panel):
    bundle = panel._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == panel.widget.model_id


def test_navigation_never_writes_to_the_journal(store):
    second = sid(store, "a", 1)
    store.correct(second, "note", "set", "ملاحظة", annotator="huda")
    store.correct(second, "reviewed", "set", True, annotator="huda")
    store.correct(second, "topics", "add", "iran", annotator="huda")
    before = journal(store)
    panel = ReviewPanel(store, annotator="huda")
    panel.next_button.click()
    assert (panel.note.value, panel.reviewed.value, panel.topic_toggles["iran"].value) == (
        "ملاحظة",
        True,
        True,
    )
    assert (panel.speaker.value, panel.statement_type.value, panel.actors.value) == (
        "kremlin",
        "announcement",
        ["kremlin"],
    )
    for _ in range(7):
        panel.next_button.click()
    for _ in range(7):
        panel.previous_button.click()
    panel.jump.value = "4"
    panel.jump.value = second
    panel.queue.value = "unreviewed"
    panel.queue.value = "all"
    panel.annotator_name.value = "omar"
    assert journal(store) == before


# ------------------------------------------------------------------- every change is journaled at once


def _toggle(name, value):
    return lambda p: setattr(p.topic_toggles[name], "value", value)


@pytest.mark.parametrize("index, change, expected", [
    (1, _toggle("iran", True), ("topics", "add", "iran")),
    (1, _toggle("ukraine", False), ("topics", "remove", "ukraine")),
    (1, lambda p: setattr(p.actors, "value", ["kremlin", "putin"]), ("actors", "add", "putin")),
    (0, lambda p: setattr(p.actors, "value", ["biden"]), ("actors", "remove", "putin")),
    (1, lambda p: setattr(p.speaker, "value", "putin"), ("speaker", "set", "putin")),
    (1, lambda p: setattr(p.speaker, "value", ""), ("speaker", "set", "")),
    (1, lambda p: setattr(p.statement_type, "value", "concern"), ("statement_type", "set", "concern")),
    (2, lambda p: setattr(p.note, "value", "تحقق من المصدر"), ("note", "set", "تحقق من المصدر")),
    (2, lambda p: setattr(p.reviewed, "value", True), ("reviewed", "set", "true")),
])
def test_each_change_writes_one_journal_entry(store, panel, index, change, expected):
    panel.jump.value = str(index + 1)
    change(panel)
    assert journal(store) == [("huda", sid(store, "a", index), *expected)]


def test_actor_tags_replaced_at_once_journal_each_difference(store, panel):
    panel.actors.value = ["kremlin", "psaki"]
    assert journal(store) == [
        ("huda", sid(store, "a", 0), "actors", *e)
        for e in (("remove", "putin"), ("remove", "biden"), ("add", "kremlin"), ("add", "psaki"))
    ]
    assert panel.actors.value == ["kremlin", "psaki"]


def test_toggles_show_automatic_versus_corrected(store, panel):
    panel.jump.value = "2"  # automatic topics: ukraine
    assert toggles(panel)["ukraine"] == (True, "info", "check")
    panel.topic_toggles["ukraine"].value = False
    panel.topic_toggles["cyber"].value = True
    assert toggles(panel) == {"ukraine": (False, "danger", "pencil"), "minsk": (False, "", ""),
                              "iran": (False, "", ""), "cyber": (True, "success", "pencil")}
    assert panel.topic_toggles["cyber"].tooltip == "السيبراني (Cyber): automatic off, now on (corrected)"
    assert panel.automatic.value.endswith(
        ">corrected; the automatic annotation had topics: أوكرانيا (Ukraine)</div>"
    )
    panel.topic_toggles["ukraine"].value = True
    panel.topic_toggles["cyber"].value = False
    assert toggles(panel)["ukraine"] == (True, "info", "check") and toggles(panel)["cyber"] == (False, "", "")
    assert len(journal(store)) == 4


def test_reviewed_tick_moves_progress(store, panel):
    panel.reviewed.value = True
    panel.next_button.click()
    panel.reviewed.value = True
    assert (panel.progress.value, panel.progress.max) == (2, 6)
    assert panel.progress_label.value == "2 / 6 reviewed · 2 of 6 in queue"
    panel.reviewed.value = False
    assert panel.progress_label.value == "1 / 6 reviewed · 2 of 6 in queue"


def test_undo_button_reverts_latest_and_shows_its_sentence(store, panel):
    first = sid(store, "a", 0)
    panel.topic_toggles["minsk"].value = True
    panel.next_button.click()
    panel.undo_button.click()
    assert panel.sentence_id == first
    assert toggles(panel)["minsk"] == (False, "", "")
    assert (
        panel.status.value == '<span style="color: #389e0d;">undone #1: topics add &#x27;minsk&#x27;</span>'
    )
    frame = store.journal()
    assert frame[["id", "field", "action", "value"]].values.tolist() == [
        [1, "topics", "add", "minsk"],
        [2, "topics", "set", ""],
    ]
    assert frame["reverts"].tolist() == [pd.NA, 1]
    panel.undo_button.click()
    assert panel.status.value == '<span style="color: #389e0d;">nothing to undo for huda</span>'
    assert len(store.journal()) == 2


def test_reset_button_brings_back_automatic_values(store, panel):
    panel.jump.value = "2"
    panel.topic_toggles["iran"].value = True
    panel.speaker.value = "putin"
    panel.note.value = "تبقى"
    panel.reset_button.click()
    assert toggles(panel)["iran"] == (False, "", "") and panel.speaker.value == "kremlin"
    assert panel.note.value == "تبقى"
    assert journal(store)[3:] == [("huda", sid(store, "a", 1), "topics", "set", "ukraine"),
                                  ("huda", sid(store, "a", 1), "speaker", "set", "kremlin")]


def test_reset_makes_this_annotators_view_automatic(store):
    """Another annotator's later entry must not stop this annotator's reset."""
    first = sid(store, "a", 0)
    panel = ReviewPanel(store, annotator="huda")
    panel.topic_toggles["iran"].value = True
    store.correct(first, "topics", "remove", "iran", annotator="omar")
    panel.reset_button.click()
    assert store.sentence_record(first, annotator="huda")["topics"] == []
    assert toggles(panel)["iran"] == (False, "", "")


def test_rejected_correction_is_reported_and_nothing_written(store, panel):
    panel.actors.allowed_tags = [*panel.actors.allowed_tags, "nobody"]
    panel.actors.value = ["putin", "biden", "nobody"]
    assert "unknown actor key &#x27;nobody&#x27;" in panel.status.value
    assert panel.actors.value == ["putin", "biden"]  # the widget shows what the store holds
    assert journal(store) == []


# --------------------------------------------------------------------------- queues, jumping, annotators


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (
            {"annotator": ""},
            "`annotator` value = '' is invalid; give a non-empty name, e.g. annotator='huda'",
        ),
        (
            {"annotator": "huda", "queue": "later"},
            "`queue` value = 'later' is invalid; value must be one of "
            "{'all', 'unreviewed', 'topic', 'disagreements', 'annotator_disagreements', 'least_certain'}",
        ),
        ({"annotator": "huda", "queue": "topic"}, "`topic` value = None is invalid for queue='topic'"),
        (
            {"annotator": "huda", "queue": "topic", "topic": "mars"},
            "`topic` value = 'mars' is invalid for queue='topic'",
        ),
        ({"annotator": "huda", "queue": "annotator_disagreements"}, "needs `other_annotator=`"),
    ],
)
def test_bad_arguments_are_clear_errors(store, kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        ReviewPanel(store, **kwargs)


@pytest.mark.parametrize("kwargs, expected", [
    ({"queue": "unreviewed"}, [("a", 0), ("a", 2), ("a", 3), ("b", 0), ("b", 1)]),
    ({"queue": "topic", "topic": "ukraine"}, [("a", 1)]),
    ({"queue": "topic", "topic": "iran"}, [("a", 2), ("b", 1)]),
    ({"queue": "disagreements"}, [("b", 1)]),
    ({"queue": "annotator_disagreements", "other_annotator": "omar"}, [("a", 2), ("b", 1)]),
    # a3's speaker was carried over (confidence 0.7): it comes first
    ({"queue": "least_certain"}, [("a", 3), ("a", 0), ("a", 1), ("a", 2), ("b", 0), ("b", 1)]),
])
def test_queues(store, kwargs, expected):
    store.correct(sid(store, "a", 1), "reviewed", "set", True, annotator="huda")
    store.correct(sid(store, "b", 1), "topics", "add", "iran", annotator="huda")
    store.correct(sid(store, "a", 2), "topics", "remove", "iran", annotator="omar")
    panel = ReviewPanel(store, annotator="huda", **kwargs)
    assert panel.queue_ids == [sid(store, d, i) for d, i in expected]
    assert panel.sentence_id == panel.queue_ids[0]
    assert panel.progress_label.value == f"1 / 6 reviewed · 1 of {len(expected)} in queue"


def test_queue_dropdowns_switch_queue(store, panel):
    store.correct(sid(store, "b", 1), "topics", "add", "iran", annotator="omar")
    assert panel.queue_topic.layout.display == "none" and panel.other_annotator.layout.display == "none"
    panel.queue.value = "topic"
    assert panel.queue_topic.layout.display == ""
    panel.queue_topic.value = "cyber"
    assert panel.queue_ids == [sid(store, "b", 0)] and panel.sentence_id == sid(store, "b", 0)
    panel.queue.value = "annotator_disagreements"
    assert panel.queue_ids == [] and panel.sentence_id is None
    assert all(w.disabled for w in (panel.reviewed, panel.note, panel.actors, *panel.topic_toggles.values()))
    panel.other_annotator.value = "omar"
    assert panel.queue_ids == [sid(store, "b", 1)] and not panel.reviewed.disabled


@pytest.mark.parametrize(
    "typed, shown, queue, status",
    [
        ("3", ("a", 3), "unreviewed", ""),
        ("9", ("a", 0), "unreviewed", "there is no sentence number 9 in this queue (it has 5)"),
        ("@b:1", ("b", 1), "unreviewed", ""),
        (
            "@a:1",
            ("a", 1),
            "all",
            "showing {sid} in the queue of all sentences (it is not in the queue chosen before)",
        ),
        ("a:nope", ("a", 0), "unreviewed", "unknown sentence_id 'a:nope': no such sentence in store"),
    ],
)
def test_jump(store, typed, shown, queue, status):
    store.correct(sid(store, "a", 1), "reviewed", "set", True, annotator="huda")
    panel = ReviewPanel(store, annotator="huda", queue="unreviewed")
    if typed.startswith("@"):
        doc, index = typed[1:].split(":")
        typed = sid(store, doc, int(index))
    panel.jump.value = typed
    assert (panel.sentence_id, panel.queue.value, panel.jump.value) == (sid(store, *shown), queue, "")
    assert status.format(sid=panel.sentence_id) in html.unescape(panel.status.value)


def test_annotator_name_switches_whose_corrections(store, panel):
    first = sid(store, "a", 0)
    store.correct(first, "topics", "add", "cyber", annotator="omar")
    assert panel.topic_toggles["cyber"].value is False  # huda's view
    panel.annotator_name.value = "omar"
    assert panel.topic_toggles["cyber"].value is True
    panel.note.value = "من عمر"
    panel.annotator_name.value = "  "
    assert panel.annotator_name.value == "omar" and "invalid" in panel.status.value
    assert journal(store) == [
        ("omar", first, "topics", "add", "cyber"),
        ("omar", first, "note", "set", "من عمر"),
    ]


def test_empty_store(tmp_path):
    with Store(tmp_path / "empty.sqlite") as store:
        panel = ReviewPanel(store, annotator="huda")
        assert panel.sentence_id is None and panel.topic_toggles == {}
        assert "no sentences yet" in panel.sentence_display.value
        assert panel.progress_label.value == "0 / 0 reviewed · queue is empty"
        panel.next_button.click()
        panel.undo_button.click()
        assert journal(store) == []


# --------------------------------------------------------------------------- a large store


def bulk_annotations(n_docs: int, per_doc: int) -> Annotations:
    """``n_docs * per_doc`` sentences as annotate() shapes them, built column-wise."""
    doc_ids = [f"d{i:04d}" for i in range(n_docs)]
    doc_col = [d for d in doc_ids for _ in range(per_doc)]
    para_col = [p for _ in doc_ids for p in range(per_doc)]
    sentences = pd.DataFrame({
        "doc_id": doc_col, "paragraph": para_col, "sentence": 0,
        "sentence_id": [f"{d}:{p:010x}" for d, p in zip(doc_col, para_col, strict=True)],
        "start": [p * 20 for p in para_col], "end": [p * 20 + 15 for p in para_col],
        "text": [f"قال بوتين {p}" for p in para_col],
        "topics": ["ukraine" if p % 3 == 0 else "" for p in para_col], "actors": "putin",
        "speaker": "", "statement_type": "", "speaker_rule": "",
    })
    mentions = pd.DataFrame({
        "doc_id": doc_col, "sentence_id": sentences["sentence_id"], "start": sentences["start"] + 4,
        "end": sentences["start"] + 9, "surface": "بوتين", "kind": "actor", "key": "putin", "rule": "بوتين",
    })
    documents = pd.DataFrame({"doc_id": doc_ids, "path": "", "title": [f"عنوان {d}" for d in doc_ids],
                              "date": "", "outlet": "", "url": "", "content_hash": ""})
    return annotations(sentences, mentions, documents)


def traced_panel(store: Store) -> tuple[ReviewPanel, list[str]]:
    statements: list[str] = []
    store._conn.set_trace_callback(statements.append)
    try:
        panel = ReviewPanel(store, annotator="huda")
        panel.next_button.click()
        panel.topic_toggles["iran"].value = True
    finally:
        store._conn.set_trace_callback(None)
    return panel, statements


def test_panel_on_100000_sentences_reads_only_what_it_shows(tmp_path):
    with Store(tmp_path / "small.sqlite") as small:
        small.save_annotations(bulk_annotations(2, 3))
        _, small_statements = traced_panel(small)
    with Store(tmp_path / "big.sqlite") as big:
        big.save_annotations(bulk_annotations(1000, 100))
        assert big.sentence_count() == 100_000
        panel, statements = traced_panel(big)
        assert panel.sentence_id == "d0000:0000000001"
        assert "<span dir=\"rtl\">قال بوتين 2</span>" in panel.sentence_display.value
        assert panel.progress_label.value == "0 / 100000 reviewed · 2 of 100000 in queue"
        assert journal(big) == [("huda", "d0000:0000000001", "topics", "add", "iran")]
    # the same statements whatever the store's size: nothing is read per sentence
    normalise = lambda sql: re.sub(r"'[^']*'", "?", sql)  # noqa: E731
    assert [normalise(s) for s in statements] == [normalise(s) for s in small_statements]
    # texts and mentions are read only for the sentence shown and its neighbours
    reads_text = [s for s in statements if re.search(r"\btext\b", s) and "FROM sentences" in s]
    assert reads_text and all("WHERE s.sentence_id = " in s or "WHERE doc_id = " in s for s in reads_text)
    reads_mentions = [s for s in statements if "FROM auto_mentions" in s]
    assert reads_mentions and all("WHERE sentence_id = " in s for s in reads_mentions)


def test_sentence_gone_after_reannotation(store, panel):
    """A sentence whose text changed since the panel read it is dropped from the queue
    with a message; undoing its correction still journals the reverting entry."""
    gone = sid(store, "a", 1)
    panel.jump.value = "2"
    panel.topic_toggles["iran"].value = True
    texts = {"a": make_annotations().corpus["a"].text.replace("مهمة", "مهمة جدا"), "b": "هجمات القرصنة"}
    store.save_annotations(make_annotations(texts, codebook=CODEBOOK))
    panel.undo_button.click()
    assert panel.status.value.endswith(
        f"undone #1: topics add &#x27;iran&#x27; on {gone}, a sentence no longer in the store</span>"
    )
    assert gone not in panel.queue_ids and panel.sentence_id == panel.queue_ids[1]
    assert store.journal()[["sentence_id", "field", "reverts"]].values.tolist()[-1] == [gone, "topics", 1]
    panel.next_button.click()  # the queue read before re-annotation still has b's old sentences
    panel.next_button.click()
    assert panel.sentence_id in store.sentence_ids()
