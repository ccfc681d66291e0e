"""Tests for how workbench.annotate builds its tables: corpus-wide columns made once at the end."""

import importlib
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from workbench.annotate import annotate
from workbench.corpus import build_document, load_corpus
from workbench.text import QUOTE_MARKS, mark_positions, quotations

ROOT = Path(__file__).resolve().parents[1]
annotate_module = importlib.import_module("workbench.annotate")  # the package exports the function
_keys_joined = annotate_module._keys_joined


def _reacts(c: str) -> bool:
    """Whether text.quotations reads ``c`` as a mark: alone or paired with itself around a
    word, or with a known mark, it changes what is found (against a letter in its place)."""
    probes = [f"{c}كلمة{c}", f"{c}كلمة", f"كلمة{c}", f"«أ{c}ب»"]
    probes += [f"{m}كلمة{c}" for m in QUOTE_MARKS] + [f"{c}كلمة{m}" for m in QUOTE_MARKS]
    return any(quotations(t) != quotations(t.replace(c, "ت")) for t in probes)


def test_quotation_characters_are_every_character_quotations_reacts_to():
    # the prefilter skips paragraphs without these characters: a mark text.quotations learns
    # later must be added to QUOTE_MARKS, or quotations in it would be missed
    candidates = [chr(i) for i in range(sys.maxunicode + 1)
                  if unicodedata.category(chr(i))[0] in "PS"]
    assert sorted(c for c in candidates if _reacts(c)) == sorted(QUOTE_MARKS)


@pytest.mark.parametrize("text, expected", [
    ("قال «نعم» و«لا»", [4, 8, 11, 14]),
    ("بلا علامات", []),
    ('"أ" (ب)', [0, 2, 4, 6]),
])
def test_positions_of_quotation_marks(text, expected):
    assert mark_positions(text, 0, len(text)) == expected


@pytest.mark.parametrize("rows, ranks, count, expected", [
    ([], [], 3, ["", "", ""]),
    # repeats are one, keys in codebook order whatever the order of the mentions
    ([2, 0, 2, 2, 0], [1, 2, 0, 1, 2], 4, ["c", "", "a;b", ""]),
    ([1], [0], 2, ["", "a"]),
])
def test_keys_joined_per_sentence(rows, ranks, count, expected):
    out = _keys_joined(np.asarray(rows, dtype=np.int64), np.asarray(ranks, dtype=np.int64),
                       {"a": 0, "b": 1, "c": 2}, count)
    assert list(out) == expected


@pytest.fixture(scope="module")
def several():
    return annotate(load_corpus([ROOT / "seeds", ROOT / "tests" / "data" / "articles"],
                                near_duplicates=None), progress=False)


def test_sentence_keys_are_those_of_its_mentions_in_codebook_order(several):
    order = {"topic": {k: n for n, k in enumerate(several.codebook.topic_keys)},
             "actor": {k: n for n, k in enumerate(several.codebook.actor_ids)}}
    expected = {("topic", s): "" for s in several.sentences.sentence_id}
    expected.update({("actor", s): "" for s in several.sentences.sentence_id})
    for (kind, sid), keys in several.mentions.groupby(["kind", "sentence_id"])["key"]:
        expected[kind, sid] = ";".join(sorted(set(keys), key=order[kind].__getitem__))
    sents = several.sentences
    got = {("topic", s): t for s, t in zip(sents.sentence_id, sents.topics, strict=True)}
    got.update({("actor", s): a for s, a in zip(sents.sentence_id, sents.actors, strict=True)})
    assert got == expected
    assert several.sentences.topics.str.contains(";").any()  # several keys in one sentence occur


def test_mentions_are_in_document_order_topics_first_at_one_start(several):
    m = several.mentions
    docs = {d: n for n, d in enumerate(several.documents.doc_id)}
    keys = list(zip(m.doc_id.map(docs), m.start, m.kind != "topic", m.end, strict=True))
    assert keys == sorted(keys)
    assert m.doc_id.nunique() > 1
    surfaces = {d.doc_id: d.text for d in several.corpus}
    assert all(surfaces[d][a:b] == s for d, a, b, s in zip(m.doc_id, m.start, m.end, m.surface, strict=True))


def test_each_sentence_has_its_own_documents_fields_and_its_paragraphs_furniture():
    text = ("عنوان الخبر\n\nقال الوزير «نعم» ثم «ربما» اليوم.\n\nشارك المقال:\n\n"
            "وقال الوزير إن الحوار مستمر.")
    docs = [build_document("a", text), build_document("b", "عنوان آخر\n\nوقال الوزير «لا».")]
    ann = annotate(docs, progress=False)
    s = ann.sentences
    assert list(s.doc_id) == ["a"] * len(docs[0].sentences) + ["b"] * len(docs[1].sentences)
    assert list(s.sentence_id) == [x.sentence_id for d in docs for x in d.sentences]
    assert list(s.text) == [x.text for d in docs for x in d.sentences]
    assert list(s.quote) == ["", "نعم | ربما", "", "", "", "لا"]
    assert ann.quotes.text.tolist() == ["نعم", "ربما", "لا"]
    assert ann.quotes.sentence_id.tolist() == [s.sentence_id[k] for k in (1, 1, 5)]
    share = s.text.str.startswith("شارك")
    assert set(s.furniture[share]) == {"share"} and set(s.furniture[~share]) == {""}
    assert str(s.topics.dtype) == str(s.quote.dtype) == str(s.furniture.dtype) == "str"


def test_an_empty_corpus_gives_empty_tables_with_every_column():
    ann = annotate([], progress=False)
    assert len(ann.sentences) == len(ann.mentions) == len(ann.quotes) == 0
    assert list(ann.sentences.columns)[:3] == ["doc_id", "paragraph", "sentence"]
