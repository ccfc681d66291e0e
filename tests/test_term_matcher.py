"""New word forms learnt a document at a time (workbench.term_matcher): the same patterns as
one word at a time, near misses made in the order their words first occur."""

from __future__ import annotations

import pytest

from workbench.codebook import load_codebook
from workbench.term_matcher import Matcher

#: Words as an article writes them: clitics, inflections, near misses, punctuation, repeats.
WORDS = ["وقال", "بادين", "،", "إن", "الروسية", "بوتين", "«", "بيصكوف", "»", "وبالأمم", "المتحدة",
         "كتابنا", "بادين", "لافرف", "وول", "ستريب", "جورنال", "."]


def _shape(m: Matcher, pats) -> list:
    return [(dict(p), p.word, sorted(p.kinds), [m.terms[t].rule for t, _ in p.starts]) for p in pats]


def test_a_batch_of_new_words_gets_what_one_word_at_a_time_gets():
    batch, single = Matcher(load_codebook(None)), Matcher(load_codebook(None))
    together = batch.token_patterns(WORDS)
    alone = [single.token_patterns([w])[0] for w in WORDS]
    assert _shape(batch, together) == _shape(single, alone)
    assert [t.rule for t in batch.terms] == [t.rule for t in single.terms]
    assert [p.word for p in together] == [w not in "،«».," for w in WORDS]


@pytest.mark.parametrize(
    "words, fuzzy",
    [
        (["بيصكوف", "قال", "بادين", "لافرف"], ["fuzzy:بيسكوف", "fuzzy:بايدن", "fuzzy:لافروف"]),
        # each form its own term: وبادين and بادين
        (["لافرف", "وبادين", "بيصكوف", "بادين"],
         ["fuzzy:لافروف", "fuzzy:بايدن", "fuzzy:بيسكوف", "fuzzy:بايدن"]),
    ],
)
def test_near_miss_terms_are_added_in_the_order_their_words_first_occur(words, fuzzy):
    m = Matcher(load_codebook(None))
    before = len(m.terms)
    m.token_patterns(words)
    assert [t.rule for t in m.terms[before:]] == fuzzy


def test_a_word_met_again_is_not_analysed_again():
    m = Matcher(load_codebook(None))
    first = m.token_patterns(WORDS)
    analysed = m.forms_analysed
    again = m.token_patterns(list(reversed(WORDS)))
    assert m.forms_analysed == analysed
    assert again == list(reversed(first))


def test_a_token_is_a_word_when_it_has_a_letter_or_digit():
    m = Matcher(load_codebook(None))
    chars = [chr(cp) for cp in [*range(0x2000), *range(0xFB50, 0xFF00)]]
    assert [m.is_word(ch) for ch in chars] == [ch.isalnum() for ch in chars]
    tokens = ("ًـ", "«", "_", "ً", "x_", "...")
    assert [m.is_word(t) for t in tokens] == [True, False, False, False, True, False]
