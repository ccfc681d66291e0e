"""Tests for workbench/widgets.py: the review panel driven headless.

Widgets are set and buttons clicked from Python, as the browser would; the store's
journal is read back to check what was written.
"""

from __future__ import annotations

import html
import re
from types import SimpleNamespace

import pandas as pd
import pytest
from test_store import CODEBOOK, annotations, make_annotations, sid

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


def status(panel: ReviewPanel) -> str:
    """The status line as the analyst reads it."""
    return html.unescape(re.sub(r"<[^>]+>", "", panel.status.value))


def actors(panel: ReviewPanel) -> list[str]:
    """The actors the evidence list shows for the sentence (each with its remove button)."""
    return [
        key
        for (kind, key), button in panel.evidence_buttons.items()
        if kind == "actor" and button.description == "remove"
    ]


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
    record = {
        "text": "قال بوتين",
        "mentions": [M_PUTIN],
        "title": "<i>قمة</i>",
        "prev_text": "a<b",
        "next_text": "",
        "doc_id": "d",
        "paragraph": 1,
        "sentence": 0,
        "sentence_id": "d:1",
    }
    out = sentence_html(record)
    assert out.startswith(
        '<div dir="rtl" lang="ar" class="wb-review-text" style="font-family: \'Noto Naskh Arabic\''
    )
    assert '<span dir="auto">&lt;i&gt;قمة&lt;/i&gt;</span>' in out
    assert (
        '<div class="wb-prev-text" style="color: #595959; font-size: 0.95em;">'
        '<span dir="rtl">a&lt;b</span></div>'
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
    assert panel.topic_toggles["ukraine"].description == "أوكرانيا (Ukraine) [1]"  # key 1 toggles it
    assert actors(panel) == ["putin", "biden"]
    assert panel.actor_box.options[:4] == ("بوتين", "putin", "بايدن", "biden")
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
    assert (panel.speaker.value, panel.statement_type.value, actors(panel)) == (
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


# ------------------------------------------------------------------------- every change is journaled at once


def _toggle(name, value):
    return lambda p: setattr(p.topic_toggles[name], "value", value)


@pytest.mark.parametrize(
    "index, change, expected",
    [
        (1, _toggle("iran", True), ("topics", "add", "iran")),
        (1, _toggle("ukraine", False), ("topics", "remove", "ukraine")),
        (1, lambda p: p.add_actor("بوتين"), ("actors", "add", "putin")),
        (0, lambda p: p.evidence_buttons[("actor", "putin")].click(), ("actors", "remove", "putin")),
        (1, lambda p: p.evidence_buttons[("topic", "ukraine")].click(), ("topics", "remove", "ukraine")),
        (1, lambda p: p.evidence_buttons[("speaker", "kremlin")].click(), ("speaker", "set", "")),
        (2, lambda p: p.accept_button.click(), ("reviewed", "set", "true")),
        (1, lambda p: setattr(p.speaker, "value", "putin"), ("speaker", "set", "putin")),
        (1, lambda p: setattr(p.speaker, "value", ""), ("speaker", "set", "")),
        (1, lambda p: setattr(p.statement_type, "value", "concern"), ("statement_type", "set", "concern")),
        (2, lambda p: setattr(p.note, "value", "تحقق من المصدر"), ("note", "set", "تحقق من المصدر")),
        (2, lambda p: setattr(p.reviewed, "value", True), ("reviewed", "set", "true")),
    ],
)
def test_each_change_writes_one_journal_entry(store, panel, index, change, expected):
    panel.jump.value = str(index + 1)
    change(panel)
    assert journal(store) == [("huda", sid(store, "a", index), *expected)]


def test_evidence_list_names_each_decision_and_takes_it_back(store, panel):
    panel.jump.value = "2"  # automatic: topic ukraine, actor kremlin, speaker kremlin (rule قال)
    lines = [re.sub(r"<[^>]+>", "", c.children[1].value) for c in panel.evidence.children]
    assert [html.unescape(line) for line in lines] == [
        "topic أوكرانيا (Ukraine): matched by the automatic pass",
        "actor الكرملين (Kremlin): matched «\u2068الكرملين\u2069» (\u2068الكرملين\u2069)",
        "speaker الكرملين (Kremlin): rule \u2068قال\u2069 · confidence 1.00",
    ]
    panel.evidence_buttons[("actor", "kremlin")].click()
    assert panel.evidence_buttons[("actor", "kremlin")].description == "restore"
    panel.evidence_buttons[("actor", "kremlin")].click()
    assert journal(store) == [
        ("huda", sid(store, "a", 1), "actors", "remove", "kremlin"),
        ("huda", sid(store, "a", 1), "actors", "add", "kremlin"),
    ]
    assert status(panel) == "Saved: the actor الكرملين (Kremlin) added."


def test_toggles_show_automatic_versus_corrected(store, panel):
    panel.jump.value = "2"  # automatic topics: ukraine
    assert toggles(panel)["ukraine"] == (True, "info", "check")
    panel.topic_toggles["ukraine"].value = False
    panel.topic_toggles["cyber"].value = True
    assert toggles(panel) == {
        "ukraine": (False, "danger", "pencil"),
        "minsk": (False, "", ""),
        "iran": (False, "", ""),
        "cyber": (True, "success", "pencil"),
    }
    assert panel.topic_toggles["cyber"].tooltip == "السيبراني (Cyber): automatic off, now on (corrected)"
    assert panel.automatic.value.endswith(
        ">Corrected; the automatic annotation had topics: أوكرانيا (Ukraine).</div>"
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
    assert status(panel) == "Undone: the topic مينسك (Minsk) added."
    frame = store.journal()
    assert frame[["id", "field", "action", "value"]].values.tolist() == [
        [1, "topics", "add", "minsk"],
        [2, "topics", "set", ""],
    ]
    assert frame["reverts"].tolist() == [pd.NA, 1]
    panel.undo_button.click()
    assert status(panel) == "Nothing to undo: huda has no change left to take back."
    assert len(store.journal()) == 2


def test_reset_button_brings_back_automatic_values(store, panel):
    panel.jump.value = "2"
    panel.topic_toggles["iran"].value = True
    panel.speaker.value = "putin"
    panel.note.value = "تبقى"
    panel.reset_button.click()
    assert toggles(panel)["iran"] == (False, "", "") and panel.speaker.value == "kremlin"
    assert panel.note.value == "تبقى"
    assert journal(store)[3:] == [
        ("huda", sid(store, "a", 1), "topics", "set", "ukraine"),
        ("huda", sid(store, "a", 1), "speaker", "set", "kremlin"),
    ]


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
    panel._journal([("actors", "add", "nobody")])
    assert "unknown actor key 'nobody'" in status(panel) and "wb-error" in panel.status.value
    assert actors(panel) == ["putin", "biden"]  # the panel shows what the store holds
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


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({"queue": "unreviewed"}, [("a", 0), ("a", 2), ("a", 3), ("b", 0), ("b", 1)]),
        ({"queue": "topic", "topic": "ukraine"}, [("a", 1)]),
        ({"queue": "topic", "topic": "iran"}, [("a", 2), ("b", 1)]),
        ({"queue": "disagreements"}, [("b", 1)]),
        ({"queue": "annotator_disagreements", "other_annotator": "omar"}, [("a", 2), ("b", 1)]),
        # a3's speaker was carried over (confidence 0.7): it comes first
        ({"queue": "least_certain"}, [("a", 3), ("a", 0), ("a", 1), ("a", 2), ("b", 0), ("b", 1)]),
    ],
)
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
    assert all(
        w.disabled for w in (panel.reviewed, panel.note, panel.actor_box, *panel.topic_toggles.values())
    )
    panel.other_annotator.value = "omar"
    assert panel.queue_ids == [sid(store, "b", 1)] and not panel.reviewed.disabled


@pytest.mark.parametrize(
    "typed, shown, queue, status",
    [
        ("3", ("a", 3), "unreviewed", ""),
        ("9", ("a", 0), "unreviewed", "There is no sentence number 9 in this queue (it has 5)."),
        ("@b:1", ("b", 1), "unreviewed", ""),
        ("@a:1", ("a", 1), "all", "Showing {sid} among all sentences: it is not in the queue chosen before."),
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
        assert "This store has no sentences yet" in panel.sentence_display.value
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
    sentences = pd.DataFrame(
        {
            "doc_id": doc_col,
            "paragraph": para_col,
            "sentence": 0,
            "sentence_id": [f"{d}:{p:010x}" for d, p in zip(doc_col, para_col, strict=True)],
            "start": [p * 20 for p in para_col],
            "end": [p * 20 + 15 for p in para_col],
            "text": [f"قال بوتين {p}" for p in para_col],
            "topics": ["ukraine" if p % 3 == 0 else "" for p in para_col],
            "actors": "putin",
            "speaker": "",
            "statement_type": "",
            "speaker_rule": "",
        }
    )
    mentions = pd.DataFrame(
        {
            "doc_id": doc_col,
            "sentence_id": sentences["sentence_id"],
            "start": sentences["start"] + 4,
            "end": sentences["start"] + 9,
            "surface": "بوتين",
            "kind": "actor",
            "key": "putin",
            "rule": "بوتين",
        }
    )
    documents = pd.DataFrame(
        {
            "doc_id": doc_ids,
            "path": "",
            "title": [f"عنوان {d}" for d in doc_ids],
            "date": "",
            "outlet": "",
            "url": "",
            "content_hash": "",
        }
    )
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
    assert reads_text and all("WHERE s.doc = " in s for s in reads_text)  # by document and position
    reads_mentions = [s for s in statements if "FROM auto_mentions" in s]
    assert reads_mentions and all("WHERE m.doc = " in s and "AND m.sentence = " in s for s in reads_mentions)


def test_sentence_gone_after_reannotation(store, panel):
    """A sentence whose text changed since the panel read it is dropped from the queue
    with a message; undoing its correction still journals the reverting entry."""
    gone = sid(store, "a", 1)
    panel.jump.value = "2"
    panel.topic_toggles["iran"].value = True
    texts = {"a": make_annotations().corpus["a"].text.replace("مهمة", "مهمة جدا"), "b": "هجمات القرصنة"}
    store.save_annotations(make_annotations(texts, codebook=CODEBOOK))
    panel.undo_button.click()
    assert (
        status(panel)
        == f"Undone: the topic إيران (Iran) added, on {gone}, a sentence no longer in the store."
    )
    assert gone not in panel.queue_ids and panel.sentence_id == panel.queue_ids[1]
    assert store.journal()[["sentence_id", "field", "reverts"]].values.tolist()[-1] == [gone, "topics", 1]
    panel.next_button.click()  # the queue read before re-annotation still has b's old sentences
    panel.next_button.click()
    assert panel.sentence_id in store.sentence_ids()


# --------------------------------------------------------------------------- the keyboard


def key(code: str, **extra) -> dict:
    """A keydown as the panel's key listener sends it."""
    return {
        "event": "keydown",
        "type": "keydown",
        "code": code,
        "key": code[-1].lower(),
        "repeat": False,
        "ctrlKey": False,
        "altKey": False,
        "metaKey": False,
        "shiftKey": False,
        **extra,
    }


@pytest.mark.parametrize(
    "codes, index, expected",
    [
        (["Digit3"], 0, [("topics", "add", "iran")]),
        (["Numpad1"], 1, [("topics", "remove", "ukraine")]),
        (["Digit3", "Digit3"], 0, [("topics", "add", "iran"), ("topics", "remove", "iran")]),
        (["KeyA"], 0, [("reviewed", "set", "true")]),
        (["Enter"], 1, [("reviewed", "set", "true")]),
        (["KeyJ", "KeyK", "ArrowDown", "ArrowUp", "KeyN"], 0, []),
        (["Digit9", "Digit0", "KeyX"], 0, []),  # no topic 9, no action for 0 or X
        (["Digit1"], 0, [("topics", "add", "ukraine")]),
    ],
)
def test_each_shortcut_journals_exactly_what_it_says(store, panel, codes, index, expected):
    panel.jump.value = str(index + 1)
    for code in codes:
        panel._on_key(key(code))
    assert journal(store) == [("huda", sid(store, "a", index), *e) for e in expected]


def test_keyboard_alone_reviews_accepts_corrects_undoes_and_moves_on(store, panel):
    panel._on_key(key("KeyA"))  # accept sentence 1 as it stands
    assert panel.sentence_id == sid(store, "a", 1) and status(panel).startswith("Accepted sentence 1 of 6")
    panel._on_key(key("Digit4"))  # correct a topic
    panel._on_key(key("KeyU"))  # undo it
    panel._on_key(key("KeyA"))
    panel._on_key(key("KeyK"))  # back
    assert panel.sentence_id == sid(store, "a", 1)
    assert journal(store) == [
        ("huda", sid(store, "a", 0), "reviewed", "set", "true"),
        ("huda", sid(store, "a", 1), "topics", "add", "cyber"),
        ("huda", sid(store, "a", 1), "topics", "set", "ukraine"),
        ("huda", sid(store, "a", 1), "reviewed", "set", "true"),
    ]
    assert panel.progress_label.value == "2 / 6 reviewed · 2 of 6 in queue"


def test_modified_and_repeated_keys_are_left_alone(store, panel):
    panel._on_key(key("KeyA", ctrlKey=True))
    panel._on_key(key("Digit1", repeat=True))
    panel._on_key(key("KeyU", altKey=True))
    assert journal(store) == [] and panel.sentence_id == sid(store, "a", 0)
    assert "1 … 9" in panel.shortcuts.value and "accept" in panel.shortcuts.value


# --------------------------------------------------------------------------- the actor box


@pytest.mark.parametrize(
    "typed, added",
    [
        ("kremlin", "kremlin"),
        ("الكرملين", "kremlin"),
        ("ساكي", "psaki"),
        ("Psaki", "psaki"),
        (" PSAKI ", "psaki"),
    ],
)
def test_actor_box_takes_ids_and_names_on_enter(store, panel, typed, added):
    panel.actor_box.value = typed  # typing journals nothing
    assert journal(store) == []
    panel._on_actor_message(panel.actor_box, {"event": "submit"}, [])  # Enter
    assert journal(store) == [("huda", sid(store, "a", 0), "actors", "add", added)]
    assert added in actors(panel) and panel.actor_box.value == ""


def test_actor_box_takes_the_codebooks_aliases(tmp_path):
    import workbench as wb

    with Store(tmp_path / "seed.sqlite") as store:
        store.save_annotations(wb.annotate(wb.load_corpus("seeds")))
        panel = ReviewPanel(store, annotator="huda")  # the default codebook annotated it: its aliases count
        without = next(
            i for i in panel.queue_ids if not {"putin", "psaki"} & set(store.sentence_record(i)["actors"])
        )
        panel.show(without)
        panel.add_actor("بوتن")  # an alias of putin
        panel.add_actor("جين بساكي")  # an alias of psaki
        assert journal(store) == [
            ("huda", without, "actors", "add", "putin"),
            ("huda", without, "actors", "add", "psaki"),
        ]
        assert "بوتن" in panel.actor_box.options


@pytest.mark.parametrize(
    "typed, message",
    [
        (
            "مجهول",
            "No actor in the codebook is called 'مجهول'. Type an actor id (such as putin), an Arabic or "
            "English name, or an alias",
        ),
        ("بوتين", "بوتين (Putin) is already among this sentence's actors."),
    ],
)
def test_actor_box_says_plainly_what_it_cannot_add(store, panel, typed, message):
    panel.actor_box.value = typed
    panel._on_actor_message(panel.actor_box, {"event": "submit"}, [])
    assert status(panel).startswith(message)
    assert journal(store) == []


def test_backspace_in_the_empty_actor_box_removes_nothing(store, panel):
    panel.actor_box.value = "ب"
    panel.actor_box.value = ""  # Backspace, and again in the empty box
    panel._on_key(key("Backspace"))
    assert journal(store) == [] and actors(panel) == ["putin", "biden"]


def test_undo_with_a_pending_edit_undoes_the_last_journaled_change_only(store, panel):
    panel.topic_toggles["iran"].value = True
    panel.actor_box.value = "الكرملين"  # typed, not added
    panel.undo_button.click()
    assert journal(store) == [
        ("huda", sid(store, "a", 0), "topics", "add", "iran"),
        ("huda", sid(store, "a", 0), "topics", "set", ""),
    ]
    assert actors(panel) == ["putin", "biden"] and panel.actor_box.value == ""
    panel.undo_button.click()  # the undo entry is not itself undone, and nothing pending comes back
    assert len(journal(store)) == 2 and status(panel).startswith("Nothing to undo")


def test_one_undo_takes_a_whole_reset_back(store, panel):
    panel.jump.value = "2"
    panel.topic_toggles["iran"].value = True
    panel.speaker.value = "putin"
    panel.reset_button.click()
    assert status(panel) == "Reset to the automatic annotation (2 journal entries; one undo takes it back)."
    panel.undo_button.click()
    assert (toggles(panel)["iran"][0], panel.speaker.value) == (True, "putin")
    assert len(journal(store)) == 6


# --------------------------------------------------------------------------- empty queues, failed writes


def test_an_empty_queue_says_so_and_shows_nothing_of_the_sentence_before(store, panel):
    panel.jump.value = "2"
    panel.note.value = "ملاحظة"
    assert toggles(panel)["ukraine"][0] and panel.speaker.value == "kremlin"
    panel.queue.value = "disagreements"  # the note is no disagreement: the queue is empty
    assert panel.sentence_id is None
    assert (
        "This queue is empty: no correction differs from the automatic annotation."
        in panel.sentence_display.value
    )
    assert toggles(panel) == {k: (False, "", "") for k in ("ukraine", "minsk", "iran", "cyber")}
    assert (panel.speaker.value, panel.statement_type.value, panel.note.value, panel.reviewed.value) == (
        "",
        "",
        "",
        False,
    )
    assert panel.evidence.children == ()
    for code in ("Digit1", "KeyA", "KeyJ", "KeyU"):
        panel._on_key(key(code))
    assert [e[2] for e in journal(store)] == ["note", "note"]  # the note, then U undid it


@pytest.fixture
def locked(store):
    """A panel on the store, waiting 0.2 s for writers, and another writer that holds the
    store locked until the test lets go (``release()``)."""
    import sqlite3

    other = sqlite3.connect(store.path, timeout=0.1, isolation_level=None)
    impatient = Store(store.path, timeout=0.2)
    panel = ReviewPanel(impatient, annotator="huda")
    other.execute("BEGIN IMMEDIATE")
    yield SimpleNamespace(panel=panel, release=lambda: other.in_transaction and other.execute("ROLLBACK"))
    if other.in_transaction:
        other.execute("ROLLBACK")
    other.close()
    impatient.close()


def test_a_failed_write_rolls_back_says_why_and_keeps_the_note(store, locked):
    panel = locked.panel
    panel.topic_toggles["iran"].value = True
    assert toggles(panel)["iran"] == (False, "", "")  # back to what the store holds
    assert status(panel).startswith("Not saved: another program is writing to the store")
    assert status(panel).endswith("Try again in a moment. The panel shows what the store holds.")
    assert "wb-error" in panel.status.value
    panel.note.value = "لا تضيع"
    assert panel.note.value == "لا تضيع" and panel.save_note_button.layout.display == ""
    panel._on_key(key("KeyA"))
    assert panel.sentence_id == sid(store, "a", 0)  # accepting failed: the sentence stays
    panel.undo_button.click()
    assert status(panel).startswith("Not saved:")
    assert journal(store) == []
    locked.release()
    panel.save_note_button.click()  # the typed note, tried again
    assert journal(store) == [("huda", sid(store, "a", 0), "note", "set", "لا تضيع")]
    assert panel.save_note_button.layout.display == "none" and status(panel) == "Saved: the note saved."


def test_a_store_write_error_is_a_write_failure_the_status_line_words(store):
    """The store's own error for a failed write (here: no room for one more page, as on a full
    disk) is one the panel catches: the status line says why, the typed note stays for a retry."""
    from workbench.review_html import WRITE_FAILURES
    from workbench.store import StoreWriteError

    assert StoreWriteError in WRITE_FAILURES
    panel = ReviewPanel(store, annotator="huda")
    pages = store.query("PRAGMA page_count")[0][0]
    store.query(f"PRAGMA max_page_count = {pages}")
    note = "ملاحظة طويلة " * 20_000
    panel.note.value = note
    panel.save_note_button.click()
    assert status(panel) == (f"Not saved: the disk holding the store ({store.path}) is full. Free some "
                             "space, then try again. The panel shows what the store holds.")
    assert "wb-error" in panel.status.value and journal(store) == []
    assert panel.note.value == note and panel.save_note_button.layout.display == ""
    store.query(f"PRAGMA max_page_count = {10 * pages}")
    panel.save_note_button.click()  # the same note, once there is room
    assert journal(store) == [("huda", sid(store, "a", 0), "note", "set", note)]
    assert status(panel) == "Saved: the note saved."


def test_live_views_are_drawn_again_after_each_change(store, panel):
    views = {name: panel.live_view(name) for name in ("journal", "agreement", "progress")}
    drawn = {name: len(view.outputs) for name, view in views.items()}
    before = str(views["progress"].outputs)
    panel.reviewed.value = True
    assert all(len(view.outputs) == drawn[name] == 1 for name, view in views.items())
    assert str(views["progress"].outputs) != before and "huda" in str(views["journal"].outputs)
