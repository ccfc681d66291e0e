"""Tests for workbench/phrases.py: the token tests attribution asks of a scanned document.

The sentence is written for the test; none is taken from an article.
"""

import pytest

from workbench.codebook import load_codebook
from workbench.corpus import build_document
from workbench.matching import DocumentMatcher
from workbench.phrases import DocumentView, FormFlags

SENTENCE = "لكنه أكد في مقابلة بالكرملين أن الوزير الذي وصل، قال للصحفيين إن وكالة تاس مصادر."


@pytest.fixture(scope="module")
def dm():
    return DocumentMatcher(load_codebook())


def view(dm, text: str, forms: FormFlags | None = None) -> DocumentView:
    d = dm.scan(build_document("t", text, date="2023-03-01"))
    return DocumentView(dm, d, dm.actors(d), [False] * len(d.words), forms=forms)


@pytest.mark.parametrize(
    "k, word, head, prepositional, definite, kinds, pronoun_before",
    [
        (0, "لكنه", "", False, False, ["opener"], False),
        (1, "أكد", "", False, False, [], True),  # لكنه carries the subject
        (2, "في", "", False, False, ["preposition"], False),
        (3, "مقابلة", "", False, True, [], False),  # definite by the word after it
        (4, "بالكرملين", "", True, True, [], False),
        (5, "أن", "", False, True, ["stop"], False),
        (6, "الوزير", "descriptor", False, True, [], False),
        (8, "وصل", "", False, False, [], False),
        (11, "للصحفيين", "", True, True, ["nosubj"], False),
        (12, "إن", "", False, False, ["stop"], False),
        (13, "وكالة", "media", False, False, [], False),
        (15, "مصادر", "anonymous", False, False, [], False),
    ],
)
def test_token_tests_read_the_words_patterns(dm, k, word, head, prepositional, definite, kinds,
                                             pronoun_before):
    x = view(dm, SENTENCE)
    assert x.words[k] == word
    assert x.is_word(k)
    assert x.head(k) == head
    assert x.prepositional(k) == prepositional
    assert x.definite(k) == definite
    kinds_here = [kind for kind in ("stop", "clause", "preposition", "opener", "nosubj", "formula")
                  if x.has(k, kind)]
    assert kinds_here == kinds
    assert x.pronoun_before(k) == pronoun_before


@pytest.mark.parametrize("k", [-1, 9, 16, 17])
def test_punctuation_and_the_ends_are_no_words(dm, k):
    x = view(dm, SENTENCE)  # 9 is the comma, 16 the full stop, 17 past the end
    assert not x.is_word(k)
    assert x.head(k) == ""
    assert not x.has(k, "stop")


def test_a_word_forms_flags_are_made_once_and_shared_by_documents(dm):
    forms = FormFlags(dm)
    first = view(dm, SENTENCE, forms)
    assert first.head(6) == "descriptor"
    made = len(forms)
    assert "الوزير" in forms
    again = view(dm, "وصل الوزير.", forms)
    assert again.head(1) == "descriptor" and again.definite(1)
    assert len(forms) == made  # both words were read in the first document


def test_a_phrase_of_several_words_counts_where_it_starts(dm):
    x = view(dm, "وتحدث على لسان الوزير أمس، نقلا عن مصادر في إطار الزيارة.")
    assert x.phrases["source"] == {1: 3, 6: 8}  # على لسان، نقلا عن
    assert [k for k in range(len(x.words)) if x.has(k, "source")] == [1, 6]
    assert (x.kind_end(1, "source"), x.kind_end(6, "source"), x.kind_end(7, "source")) == (3, 8, None)
