"""The benchmark's generator: its truth, its ordinary words, its determinism (fast)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import corpus  # noqa: E402
from terms import key_form, lexicon, word_keys  # noqa: E402


@pytest.fixture(scope="module")
def small():
    return corpus.generate(60, seed=3)


@pytest.mark.parametrize(
    "clitic, word, expected",
    [
        ("ل", "الكرملين", "للكرملين"),
        ("فل", "الكرملين", "فللكرملين"),
        ("وب", "الكرملين", "وبالكرملين"),
        ("وب", "روسيا", "وبروسيا"),
        ("و", "الكرملين", "والكرملين"),
    ],
)
def test_attach_writes_lam_before_the_article_once(clitic, word, expected):
    assert corpus.attach(clitic, word) == expected


@pytest.mark.parametrize(
    "written, term_word, mode, reads",
    [
        ("للكرملين", "الكرملين", "exact", True),
        ("كرملين", "الكرملين", "exact", True),
        ("للأوكرانيين", "أوكراني", "inflected", True),
        ("أوكرانيين", "أوكراني", "exact", False),
        ("اتفاقيات", "اتفاق", "prefix", True),
        ("ألمانيا", "ألمانيا", "exact", True),
        ("مانيا", "ألمانيا", "exact", False),
        ("بيلاروسيا", "روسيا", "exact", False),
        ("بـأوكرانيا", "أوكرانيا", "exact", True),
        ("روسـيا", "روسيا", "exact", True),
        ("رُوسِيا", "روسيا", "exact", True),
        ("زيلينسكى", "زيلينسكي", "exact", True),
        ("فروسية", "روسي", "inflected", True),  # the trap: ف + روسية reads as a gentilic
    ],
)
def test_word_keys_reads_words_as_the_codebook_header_says(written, term_word, mode, reads):
    assert ((mode, key_form(term_word)) in word_keys(written)) is reads


def _items(phrase, own=frozenset(), cancelled=frozenset()):
    return [
        (i, j, sorted(labs)) for i, j, labs in corpus.nested_items(lexicon(), phrase.split(), own, cancelled)
    ]


@pytest.mark.parametrize(
    "phrase, own, cancelled, expected",
    [
        (
            "وزير الخارجية الأوكراني",
            {("actor", "kuleba")},
            set(),
            [(0, 3, [("actor", "kuleba")]), (2, 3, [("topic", "ukraine")])],
        ),
        ("نظيره الأميركي", set(), set(), []),
        ("نظيره الأوكراني", set(), set(), [(1, 2, [("topic", "ukraine")])]),
        ("الرئيس الأمريكي السابق دونالد ترامب", set(), set(), [(3, 5, [("actor", "trump")])]),
        (
            "الرئيسين الروسي فلاديمير بوتين والأميركي جو بايدن",
            set(),
            set(),
            [(2, 4, [("actor", "putin")]), (5, 7, [("actor", "biden")])],
        ),
        ("منتخب إيران", set(), {("topic", "iran"), ("actor", "irn")}, []),
        (
            "المتحدث باسم الكرملين دميتري بيسكوف",
            set(),
            set(),
            [(0, 3, [("actor", "peskov")]), (3, 5, [("actor", "peskov")])],
        ),
    ],
)
def test_nested_items_follow_the_codebook_rules(phrase, own, cancelled, expected):
    assert _items(phrase, frozenset(own), frozenset(cancelled)) == expected


def test_truth_offsets_point_into_the_text(small):
    texts = {d: t for d, t, _ in small.texts}
    for m in small.mentions:
        surface = texts[m.doc_id][m.start : m.end]
        assert surface and surface == surface.strip() and "\n" not in surface, m
        first = surface.split()[0]
        assert m.form in corpus.FORMS
        assert word_keys(first), m
    for g in small.negatives:
        assert texts[g.doc_id][g.start : g.end] == g.surface
    for s in small.statements:
        sentence = texts[s.doc_id][s.start : s.end]
        assert sentence.endswith(".") or s.start == 0, sentence  # a body sentence or the title


def test_a_trap_is_true_for_the_key_it_does_mention(small):
    # بيلاروسيا is not Russia (the negative) but it is Belarus, a codebook actor: true
    texts = {d: t for d, t, _ in small.texts}
    traps = [g for g in small.negatives if g.category == "trap" and g.surface == "الحدود مع بيلاروسيا"]
    assert traps
    truth = {(m.doc_id, m.start, m.end, m.key) for m in small.mentions}
    for g in traps:
        start = g.start + texts[g.doc_id][g.start : g.end].index("بيلاروسيا")
        assert (g.doc_id, start, g.end, "blr") in truth
        assert not any(d == g.doc_id and a < g.end and g.start < b and k == "rus" for d, a, b, k in truth)


def test_every_form_construction_and_negative_occurs(small):
    assert {m.form for m in small.mentions} == set(corpus.FORMS)
    assert {s.construction for s in small.statements} == {
        "said",
        "said_before",
        "carried",
        "headline",
        "according",
        "via",
        "unknown",
    }
    assert {g.category for g in small.negatives} == {
        "trap",
        "title_gentilic",
        "before_name",
        "former",
        "exclusion",
    }
    assert {s.speaker for s in small.statements if s.construction == "unknown"} == {""}


def test_ordinary_sentences_hold_no_codebook_word():
    # في، على، من … are words of codebook phrases too, but never next to the phrase's other words
    gen = corpus.default_generator()
    lex = lexicon()
    rng = random.Random(11)
    for _ in range(400):
        piece = gen.filler(rng)
        assert not piece.mentions and not piece.negatives
        words = [
            w
            for w in piece.text.replace("،", " ").split()
            if w not in corpus.FUNCTION_WORDS and w[1:] not in corpus.FUNCTION_WORDS
        ]
        bad = [w for w in words if lex.reads_as_term_word(w)]
        assert not bad, piece.text


def test_documents_depend_only_on_seed_and_position(small):
    again = corpus.generate(60, seed=3)
    assert again.texts == small.texts and again.mentions == small.mentions
    head = corpus.generate(10, seed=3)
    assert head.texts == small.texts[:10]
    assert head.statements == small.head(10).statements
    assert corpus.generate(10, seed=4).texts != head.texts


def test_save_and_load_round_trip(small, tmp_path):
    back = corpus.GeneratedCorpus.load(small.save(tmp_path / "c.json"))
    assert back.texts == small.texts
    assert (back.mentions, back.statements, back.negatives) == (
        small.mentions,
        small.statements,
        small.negatives,
    )


def test_documents_build_as_the_workbench_reads_them(small, tmp_path):
    import workbench as wb

    folder = small.head(5).write(tmp_path / "texts")
    loaded = wb.load_corpus(folder)
    built = small.head(5).corpus()
    assert [d.text for d in loaded] == [d.text for d in built] == [t for _, t, _ in small.texts[:5]]
    assert [d.date for d in loaded] == [date for _, _, date in small.texts[:5]]
