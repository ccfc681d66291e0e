"""Near misses of names, one slip away (workbench.matching); the longest of overlapping matches; the
sentence of every token."""

from __future__ import annotations

import pytest

from workbench import text
from workbench.codebook import load_codebook
from workbench.corpus import build_document
from workbench.matching import DocumentMatcher, Match, Matcher, longest_first


@pytest.fixture(scope="module")
def matcher():
    return Matcher(load_codebook(None))


def _rules(m: Matcher, word: str) -> list[tuple[str, int]]:
    found = m.analyse(text.normalized_text(word))
    return sorted((m.terms[t].rule, n) for pid, n in found.items() for t in m.by_first.get(pid, ()))


@pytest.mark.parametrize(
    "word, expected",
    [
        ("بادين", [("fuzzy:بايدن", 0)]),  # two neighbouring letters swapped
        ("لفاروف", [("fuzzy:لافروف", 0)]),  # ... the first two
        ("لافرف", [("fuzzy:لافروف", 0)]),  # a long vowel left out inside
        ("لافرووف", [("fuzzy:لافروف", 0)]),  # ... or added inside
        ("بيصكوف", [("fuzzy:بيسكوف", 0)]),  # a similar letter (س ص)
        ("وبادين", [("fuzzy:بايدن", 1)]),  # with a proclitic taken off
        ("بايدن", [("alias:بايدن", 0)]),  # as written: no near miss
        ("بيسكوفي", []),  # ي added at the end makes an adjective
        ("ابايدن", []),  # a letter added before the first
        ("بايدنن", []),  # a letter added that is no long vowel
        ("بيشكوف", []),  # a dot slip counts only inside a name of several words
        ("بدانين", []),  # two slips
    ],
)
def test_a_one_word_name_matches_one_slip_away(matcher, word, expected):
    assert _rules(matcher, word) == expected


@pytest.mark.parametrize(
    "phrase, rule",
    [
        ("وول ستريب جورنال", "fuzzy:وول ستريت جورنال"),  # a dot slip (ب for ت) in a word of a name
        ("وول ستريط جورنال", "fuzzy:وول ستريت جورنال"),  # a similar letter (ت ط)
    ],
)
def test_a_word_of_a_longer_name_matches_one_slip_or_dot_away(matcher, phrase, rule):
    words = phrase.split()
    pats = matcher.token_patterns(words)
    found = {matcher.terms[tid].rule for tid, i, j in matcher.find(pats) if (i, j) == (0, len(words))}
    assert rule in found


def _m(i: int, j: int, key: str = "k") -> Match:
    return Match("actor", key, "alias:x", i, j, i, j)


@pytest.mark.parametrize(
    "spans, kept",
    [
        ([(0, 1), (1, 3), (5, 6)], [(0, 1), (1, 3), (5, 6)]),  # apart: all kept, in order
        ([(0, 1), (0, 2), (1, 2)], [(0, 2)]),  # a name's words inside the name
        ([(2, 3), (0, 1), (0, 3)], [(0, 3)]),
        ([(0, 2), (1, 3), (4, 5)], [(0, 2), (4, 5)]),  # same length: the earlier
        ([(3, 4), (0, 2), (1, 4)], [(1, 4)]),  # the longer, wherever it stands
        ([(1, 2), (0, 1)], [(0, 1), (1, 2)]),  # out of order: sorted
    ],
)
def test_longest_first_keeps_the_longer_then_the_earlier_match(spans, kept):
    assert [(m.i, m.j) for m in longest_first([_m(i, j) for i, j in spans])] == kept


def test_of_two_matches_on_one_word_the_first_is_kept():
    assert [m.key for m in longest_first([_m(0, 1, "a"), _m(0, 1, "b"), _m(2, 3, "c")])] == ["a", "c"]


@pytest.mark.parametrize(
    "text_, words, sentence, bounds",
    [
        ("قال لافروف. وأضاف «أن»", ["قال", "لافروف", ".", "وأضاف", "«", "أن", "»"], [0, 0, 0, 1, 1, 1, 1],
         [(0, 3), (3, 7)]),
        ("عنوان\nقال بوتين إن الحوار مستمر", ["عنوان", "قال", "بوتين", "إن", "الحوار", "مستمر"],
         [0, 1, 1, 1, 1, 1], [(0, 1), (1, 6)]),
    ],
)
def test_scan_gives_every_token_its_sentence_and_whether_it_is_a_word(text_, words, sentence, bounds):
    d = DocumentMatcher(load_codebook(None)).scan(build_document("t", text_, date="2022-03-01"))
    assert d.words == words
    assert d.tok_sentence == sentence
    assert d.bounds == bounds
    assert d.is_word == [any(ch.isalnum() for ch in w) for w in words]
