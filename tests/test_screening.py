"""Screening article text: visual order, NUL bytes and bidi overrides are reported by name.

The sentences here are written for these tests; the visual-order cases are those
sentences with their characters reversed, as a PDF viewer in visual order pastes them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import workbench as wb
from workbench.corpus import load_corpus

ROOT = Path(__file__).resolve().parents[1]

LOGICAL = [
    "اجتماع طارئ للحكومة بشأن أزمة المياه",
    "عقدت الحكومة اجتماعا طارئا في العاصمة لمناقشة أزمة المياه التي تضرب المدن الجنوبية.",
    "وقال المتحدث باسم الوزارة إن الخطة الجديدة ستبدأ في الشهر المقبل وتشمل حفر آبار جديدة.",
    "وأضاف أن المفاوضات مع الدول المجاورة لم تصل إلى اتفاق حتى الآن بسبب الخلاف على الحصص.",
    "وأشارت التقارير إلى أن الأمطار هذا العام كانت أقل من المعدل في معظم المناطق الزراعية.",
]
#: the same lines as a viewer in visual order shows them, copied character by character
REVERSED = [line[::-1] for line in LOGICAL]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_visual_order_text_in_plain_letters_is_reported_not_annotated(tmp_path):
    write(tmp_path / "pasted.txt", "\n".join(REVERSED))
    write(tmp_path / "typed.txt", "\n".join(LOGICAL))
    corpus = load_corpus(tmp_path)
    assert [d.doc_id for d in corpus] == ["typed"]
    assert [Path(p.path).name for p in corpus.problems] == ["pasted.txt"]
    message = corpus.problems[0].message
    assert message.startswith("skipped: 5 of its 5 Arabic paragraphs read backwards")
    assert "visual-order text" in message and "allow_visual_order=True" in message
    kept = load_corpus(tmp_path, allow_visual_order=True)
    assert [d.doc_id for d in kept] == ["pasted", "typed"] and kept["pasted"].problems


def test_one_reversed_paragraph_is_named_by_line_and_the_article_kept(tmp_path):
    lines = [*LOGICAL[:3], REVERSED[3], LOGICAL[4]]
    f = write(tmp_path / "mixed.txt", "\n".join(lines))
    corpus = load_corpus(tmp_path)
    assert [d.doc_id for d in corpus] == ["mixed"]
    assert [(p.path, p.message) for p in corpus.problems] == [
        (
            str(f),
            "line 4 reads backwards, as text copied from a PDF in visual order does; "
            "re-extract that paragraph in logical order",
        )
    ]


@pytest.mark.parametrize("folder", [ROOT / "seeds", ROOT / "tests" / "data" / "articles"])
def test_real_articles_in_logical_order_are_not_taken_for_visual_order(folder):
    corpus = load_corpus(folder)
    assert [p for p in corpus.problems if "backwards" in p.message] == []


@pytest.mark.parametrize(
    "text",
    [
        "قمة",  # too short to tell
        "لا لا لا",  # a real word that ends like a reversed article
        "Summit talks on water shortages end without agreement.",
        "\n".join(LOGICAL[1:3]),
    ],
)
def test_short_latin_and_logical_texts_are_not_flagged(tmp_path, text):
    write(tmp_path / "a.txt", text)
    assert load_corpus(tmp_path).problems == []


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "عنوان\nقال بو\x00تين إن القمة\x00 نجحت.",
            "2 × U+0000 NULL (first at line 2, column 7): a NUL is not text (a faulty conversion leaves "
            "them); it is kept in the text and ignored when terms are matched — remove it from the file",
        ),
        (
            "عنوان\n\u202eنص مقلوب\u202c هنا.",
            "1 × U+202E RIGHT-TO-LEFT OVERRIDE (first at line 2, column 1): text after it is shown in a "
            "forced direction, so what you see is not the order it is stored in; check the line against "
            "the source",
        ),
        (
            "عنوان\nنص \u202dabc\u202c هنا.",
            "1 × U+202D LEFT-TO-RIGHT OVERRIDE (first at line 2, column 4): text after it is shown in a "
            "forced direction, so what you see is not the order it is stored in; check the line against "
            "the source",
        ),
    ],
)
def test_nul_and_bidi_overrides_are_reported_by_name(tmp_path, text, message):
    f = write(tmp_path / "a.txt", text)
    corpus = load_corpus(tmp_path)
    assert [d.doc_id for d in corpus] == ["a"]  # reported, still annotated
    assert [(p.path, p.message) for p in corpus.problems] == [(str(f), message)]
    assert [(p.path, p.message) for p in corpus["a"].problems] == [(str(f), message)]


def test_a_nul_inside_a_word_does_not_break_its_match(tmp_path):
    write(tmp_path / "a.txt", "عنوان\nقال بو\x00تين إن القمة نجحت.")
    write(tmp_path / "b.txt", "عنوان\nقال بوتين إن القمة نجحت.")
    mentions = wb.annotate(load_corpus(tmp_path)).mentions
    keys = {doc: sorted(group["key"]) for doc, group in mentions.groupby("doc_id")}
    assert keys["a"] == keys["b"] and "putin" in keys["a"]
    putin = mentions[(mentions["doc_id"] == "a") & (mentions["key"] == "putin")].iloc[0]
    assert (putin["start"], putin["end"], putin["surface"]) == (10, 16, "بو\x00تين")
