"""Tests for workbench/near_duplicates.py: whole articles posted twice, sketched block by block."""

import random

import numpy as np
import pytest

from workbench import near_duplicates as nd
from workbench import similar_sets
from workbench.reuse_articles import Vocabulary, read_articles

WORDS = ("افتتح الوزير معرضا للكتاب في العاصمة صباح الأحد وسط حضور كبير من الناشرين والقراء "
         "وقال المنظمون إن الدورة الجديدة تضم أجنحة لدور نشر من عشرين بلدا وتستمر عشرة أيام "
         "وأضاف مدير المعرض أن برنامج الندوات يتناول الترجمة والكتاب الرقمي وحقوق المؤلفين "
         "وشهد اليوم الأول توقيع روايات لكتاب شباب ونقاشا حول أسعار الورق والطباعة").split()


def _article(rng: random.Random) -> str:
    """Paragraphs of sentences of the words above, some longer than a unit (30 words)."""
    paragraphs = []
    for _ in range(rng.randint(1, 4)):
        sentences = [" ".join(rng.choices(WORDS, k=rng.choice([3, 8, 14, 45])))
                     + rng.choice([".", "؟", "!", "،"]) for _ in range(rng.randint(1, 3))]
        paragraphs.append(" ".join(sentences))
    return "\n".join(paragraphs)


def _near_copy(text: str, rng: random.Random, share: float) -> str:
    words = text.split(" ")
    for at in rng.sample(range(len(words)), int(len(words) * share)):
        words[at] = rng.choice(WORDS)
    return " ".join(words)


def _articles(n: int = 40, seed: int = 5) -> dict[str, str]:
    rng = random.Random(seed)
    out = {}
    for k in range(n):
        out[f"a{k:02d}"] = text = _article(rng)
        if k % 3 == 0:
            out[f"a{k:02d}-copy"] = _near_copy(text, rng, rng.choice([0.0, 0.03, 0.1, 0.3]))
    out["short"], out["empty"], out["marks"] = "كلمة واحدة", "", "«» ، . ؟"
    return out


@pytest.mark.parametrize("row", [(0, 0, 0), (1, 2, 3), (2**21 - 1, 0, 2**20), (7, 7, 7),
                                 (123456, 654321, 99)])
def test_tuple_hashes_are_pythons(row):
    columns = [np.array([v], np.uint64) for v in row]
    assert nd.tuple_hashes(*columns).tolist() == [hash(row) & 0xFFFFFFFFFFFFFFFF]


def test_tuple_hashes_of_many_rows_are_pythons():
    rng = random.Random(2)
    rows = [tuple(rng.randrange(2**21) for _ in range(3)) for _ in range(2000)]
    columns = [np.array(c, np.uint64) for c in zip(*rows, strict=True)]
    assert nd.tuple_hashes(*columns).tolist() == [hash(r) & 0xFFFFFFFFFFFFFFFF for r in rows]


@pytest.mark.parametrize("block_chars", [1, 200, 1 << 20])  # every article alone, a few, all at once
def test_shingles_made_in_blocks_are_those_of_each_article(monkeypatch, block_chars):
    monkeypatch.setattr(nd, "_BLOCK_CHARS", block_chars)
    monkeypatch.setattr(nd, "_BLOCK_TOKENS", max(1, block_chars // 4))
    texts = list(_articles().values())
    docs, vocab = read_articles(dict(enumerate(texts)))
    expected = [nd._word_shingles(a.ids, a.para, vocab) for a in docs]
    assert sum(map(len, expected)) > 500
    token_ids = nd._TokenIds(Vocabulary())
    numbers = list(range(len(texts)))
    from_texts = [set(m.tolist()) for _, ms in nd._text_blocks(texts, token_ids)(numbers) for m in ms]
    assert from_texts == expected
    assert token_ids.vocab.forms == vocab.forms  # the same ids, in the same order
    from_articles = [set(m.tolist()) for _, ms in nd._article_blocks(docs, vocab)(numbers) for m in ms]
    assert from_articles == expected
    some = numbers[::5]
    assert [set(m.tolist()) for _, ms in nd._text_blocks(texts, token_ids)(some) for m in ms] == [
        expected[k] for k in some]


def test_sketches_made_block_by_block_are_datasketchs(monkeypatch):
    monkeypatch.setattr(nd, "_BLOCK_CHARS", 300)
    texts = list(_articles().values())
    docs, vocab = read_articles(dict(enumerate(texts)))
    sets = [nd._word_shingles(a.ids, a.para, vocab) for a in docs]
    sizes, matrix, numbers = nd._sketches(nd._text_blocks(texts, nd._TokenIds(Vocabulary())), len(texts), 64)
    assert sizes == [len(s) for s in sets]
    assert numbers == [k for k, s in enumerate(sets) if len(s) >= 4]
    bits = nd._id_bits(vocab)
    hashed = [[nd._shingle_hash(m, bits, (1 << bits) - 1) & 0xFFFFFFFF for m in sets[k]] for k in numbers]
    assert matrix.tolist() == [s.hashvalues.tolist() for s in similar_sets.minhashes(hashed, 64)]


@pytest.mark.parametrize("threshold", [0.5, 0.8, 1.0])
def test_pairs_from_sketches_are_those_of_the_sets(monkeypatch, threshold):
    monkeypatch.setattr(nd, "_BLOCK_CHARS", 500)
    articles = _articles()
    docs, vocab = read_articles(articles)
    found = [(a.doc_id, "", a.date, a.outlet) for a in docs]
    sets = [nd._word_shingles(a.ids, a.para, vocab) for a in docs]
    expected = nd._pairs(sets, found, threshold=threshold, method="minhash", num_perm=128,
                         bits=nd._id_bits(vocab))
    assert len(expected) >= 5
    assert nd.near_duplicate_pairs(articles, threshold=threshold, method="minhash") == expected
    assert nd.near_duplicates_of(docs, vocab, threshold=threshold, method="minhash") == expected


def test_auto_compares_exactly_when_few_articles_have_shingles(monkeypatch):
    monkeypatch.setattr(similar_sets, "EXACT_BELOW", 30)
    # more than 30 articles, fewer than 30 of them with shingles: as similar_pairs decides, exact
    articles = {k: (v if k < "a10" or k in ("a30", "a30-copy") else "") for k, v in _articles().items()}
    exact = nd.near_duplicate_pairs(articles, method="exact", threshold=0.5)
    assert len(articles) >= 30 and exact
    assert nd.near_duplicate_pairs(articles, threshold=0.5) == exact


def test_a_vocabulary_too_large_to_pack_is_compared_as_sets(monkeypatch):
    articles = _articles()
    expected = nd.near_duplicate_pairs(articles, method="minhash", threshold=0.5)
    monkeypatch.setattr(nd, "_BITS", 3)  # ids of 3 bits: more than 7 forms do not fit
    monkeypatch.setattr(nd, "_MASK", 7)
    texts = list(articles.values())
    found = [(k, "", "", "") for k in articles]
    packed_anyway = nd._sketched_pairs(nd._text_blocks(texts, nd._TokenIds(Vocabulary())), found,
                                       threshold=0.5, method="minhash", num_perm=128)
    assert packed_anyway != expected  # what packing too few bits would give
    assert nd.near_duplicate_pairs(articles, method="minhash", threshold=0.5) == expected
