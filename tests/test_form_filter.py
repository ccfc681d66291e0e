"""The first, C-level test of new word forms (workbench.form_filter): it must never set
aside a form the full analysis matches, and it sets aside most words that match nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workbench import text
from workbench.codebook import load_codebook
from workbench.form_filter import FormFilter, trie_pattern
from workbench.term_matcher import Matcher

DATA = Path(__file__).parent / "data" / "articles"


@pytest.fixture(scope="module")
def matcher():
    return Matcher(load_codebook(None))


@pytest.mark.parametrize(
    "words, matching, not_matching",
    [
        (["ب", "بال", "ك"], ["ب", "بال", "ك"], ["", "با", "بالا", "ل"]),
        (["", "و"], ["", "و"], ["ف", "وو"]),
        (["a.b", "a"], ["a.b", "a"], ["axb", "a."]),  # characters are escaped
        ([], [], ["", "ب"]),
    ],
)
def test_a_trie_pattern_matches_exactly_its_words(words, matching, not_matching):
    pattern = re.compile(trie_pattern(words))
    assert [w for w in matching if pattern.fullmatch(w)] == matching
    assert [w for w in not_matching if pattern.fullmatch(w)] == []


def test_the_filter_keeps_stems_with_their_clitics_endings_and_continuations():
    f = FormFilter(["", "و", "بال"], exact=["روسيا"], inflected=["روسي"], endings=["", "ه", "ين"],
                   prefix=["اتفاق"], near=["بادين"])
    kept = ["روسيا", "وروسيا", "بالروسيه", "روسيين", "روسي", "اتفاقيه", "بالاتفاق", "وبادين"]
    dropped = ["روسين", "روسيات", "فروسيا", "ورو", "اتفا", "بادينا", "كتاب", ""]
    assert f.candidates(kept + dropped) == set(kept)
    assert [f.may_match(w) for w in kept] == [True] * len(kept)
    assert [f.may_match(w) for w in dropped] == [False] * len(dropped)


#: Proclitics, endings and continuations a codebook word is written with in the test below.
CLITICS = ["", "و", "ف", "ب", "ل", "ال", "لل", "بال", "وبال", "وللال", "والال"]
ENDINGS = ["", "ة", "ا", "ان", "ين", "ات", "تين", "ية", "ي"]


def test_no_codebook_word_with_clitics_and_endings_that_the_analysis_matches_is_set_aside(matcher):
    words = {w for t in matcher.terms for w in t.written.replace("+", " ").replace("*", " ").split()}
    forms = {text.normalized_text(c + w + e) for w in words for c in CLITICS for e in ENDINGS}
    assert len(forms) > 100_000
    set_aside = [f for f in forms if not matcher.may_match(f)]
    assert [f for f in set_aside if matcher.analyse(f)] == []
    assert len(set_aside) > len(forms) / 10  # (the test would be empty if nothing were set aside)


def test_a_form_of_an_article_the_analysis_matches_is_never_set_aside(matcher):
    words = {w for path in sorted(DATA.glob("*.txt")) for w in text.token_lists(path.read_text("utf-8"))[0]}
    forms = {text.normalized_text(w) for w in words if any(ch.isalnum() for ch in w)}
    # near misses of names, with clitics, as an analyst's articles may spell them
    forms |= {c + w for c in ("", "و", "ل", "بال") for w in ("بادين", "لافرف", "بيصكوف", "ستريب")}
    matched = {f for f in forms if matcher.analyse(f)}
    kept = {f for f in forms if matcher.may_match(f)}
    assert matched and matched <= kept
    assert len(kept - matched) < len(forms - matched) / 4  # it sets aside most words that match nothing
