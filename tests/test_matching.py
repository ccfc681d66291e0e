"""Near misses of names (workbench.matching): exactly one slip away, looked up as written."""

from __future__ import annotations

import pytest

from workbench import text
from workbench.codebook import load_codebook
from workbench.matching import Matcher


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
