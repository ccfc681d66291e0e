"""A deterministic generator of varied Arabic news documents for the benchmarks.

Documents are made from the sentences of real articles (``seeds/`` and, when it exists,
``tests/data/articles/``): sentences are re-sampled, a share of their words get random
proclitics (و ف ب ل ك ال and combinations), digits are replaced by random numbers, extra
numbers are inserted, and paragraphs come in random order. Codebook terms are *planted*
at known offsets, bare or with proclitics attached, so that a matcher's recall can be
counted exactly against the places the generator put them.

Planted terms are set off by commas (``، وللكرملين،``) so that they never merge with a
neighbouring word into a longer codebook phrase (``الرئيس`` + ``الروسي``): every planted
occurrence is a true occurrence of its key and of nothing longer.

Document ``i`` depends only on ``(seed, i)``, so the first 100 documents of a
1,000-document corpus are the 100-document corpus: sizes are nested.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.corpus import Corpus, build_document, load_corpus
from workbench.text import tokens

__all__ = [
    "Term",
    "Planted",
    "GeneratedCorpus",
    "PROCLITICS",
    "DEFINITE_PROCLITICS",
    "attach",
    "source_sentences",
    "generate",
]

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (ROOT / "seeds", ROOT / "tests" / "data" / "articles")

#: Proclitics attached to words that do not start with the article.
PROCLITICS = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك", "فك")
#: Proclitics before a word that starts with the article (ل + ال is written لل).
DEFINITE_PROCLITICS = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك", "فك")
#: Share of planted terms written with a proclitic (the rest are bare, as a control).
CLITIC_SHARE = 0.6
#: Share of ordinary words given a random proclitic (varies word forms).
WORD_CLITIC_SHARE = 0.12
#: Share of ordinary indefinite words given the article (alone or with a proclitic).
WORD_ARTICLE_SHARE = 0.05


@dataclass(frozen=True)
class Term:
    """A codebook term the generator may plant.

    ``keys`` are the ``(kind, key)`` pairs the term stands for (``("topic", "ukraine")``,
    ``("actor", "ukr")``); ``kind`` names the kinds, ``"actor/topic"`` for both.
    ``definite`` says whether the term starts with the article ``ال`` (which decides how
    ``ل`` attaches).
    """

    kind: str
    keys: tuple[tuple[str, str], ...]
    text: str

    @property
    def definite(self) -> bool:
        return self.text.startswith("ال")


@dataclass(frozen=True)
class Planted:
    """One occurrence the generator put in a document: ``text[start:end] == surface``."""

    doc_id: str
    start: int
    end: int
    surface: str
    term: str
    kind: str
    keys: tuple[tuple[str, str], ...]
    clitic: str


@dataclass
class GeneratedCorpus:
    """Generated documents with the terms planted in them.

    Attributes
    ----------
    texts : list of (doc_id, text, date)
        The documents, dated 1–7 December 2021 (a week in which no role title of the
        default codebook changes hands).
    planted : list of Planted
        Every planted term occurrence, in document order.
    """

    texts: list[tuple[str, str, str]]
    planted: list[Planted]

    def __len__(self) -> int:
        return len(self.texts)

    def corpus(self) -> Corpus:
        """The documents as a :class:`workbench.corpus.Corpus` (no files written)."""
        return Corpus(
            build_document(doc_id, text, path=f"{doc_id}.txt", date=date, outlet="bench")
            for doc_id, text, date in self.texts
        )

    def write(self, folder: str | Path) -> Path:
        """Write one ``.txt`` per document and a ``metadata.csv`` into ``folder``."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for doc_id, text, _ in self.texts:
            (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        with open(folder / "metadata.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["doc_id", "date", "outlet", "url", "title"])
            for doc_id, _, date in self.texts:
                w.writerow([doc_id, date, "bench", "", ""])
        return folder


def attach(clitic: str, word: str) -> str:
    """Write ``clitic`` before ``word`` the way Arabic spells it (ل + ال → لل).

    Examples
    --------
    >>> attach("ل", "الكرملين")
    'للكرملين'
    >>> attach("وب", "بوتين")
    'وببوتين'
    """
    if clitic.endswith("ل") and word.startswith("ال"):
        return clitic + word[1:]
    return clitic + word


def source_sentences(sources: Iterable[Path] = SOURCES) -> list[str]:
    """The sentences of every article under ``sources`` (folders that exist)."""
    folders = [p for p in sources if p.is_dir()]
    corpus = load_corpus(folders, on_error="report")
    return [s.text for d in corpus for s in d.sentences]


def _is_word(token: str) -> bool:
    return token[0].isalpha()


def _vary(sentence: str, rng: random.Random) -> str:
    """Random proclitics on some words, fresh numbers for digits, an extra number."""
    out: list[str] = []
    pos = 0
    for tok in tokens(sentence):
        out.append(sentence[pos:tok.start])
        word = tok.text
        if word.isdigit():
            word = str(rng.randint(1, 10 ** min(len(word) + 1, 6)))
        elif _is_word(word) and len(word) > 2 and word[0] not in "وف":
            r = rng.random()
            if r < WORD_CLITIC_SHARE:
                word = attach(rng.choice(PROCLITICS), word)
            elif r < WORD_CLITIC_SHARE + WORD_ARTICLE_SHARE and not word.startswith("ال"):
                word = attach(rng.choice(("",) + DEFINITE_PROCLITICS), "ال" + word)
        out.append(word)
        pos = tok.end
    out.append(sentence[pos:])
    text = "".join(out)
    if rng.random() < 0.3:
        cut = [i for i, ch in enumerate(text) if ch == " "]
        if cut:
            i = rng.choice(cut)
            text = f"{text[:i]} {rng.randint(2, 99999)}{text[i:]}"
    return text


def _plant_point(sentence: str, rng: random.Random) -> int | None:
    """A space between two words of ``sentence`` to plant a term at (None if none)."""
    spaces = [i for i, ch in enumerate(sentence) if ch == " " and i > 0 and sentence[i - 1].isalpha()]
    return rng.choice(spaces) if spaces else None


def _document(
    doc_id: str,
    pool: Sequence[str],
    terms: Sequence[Term],
    rng: random.Random,
    *,
    plant_rate: float,
) -> tuple[str, list[Planted]]:
    n_sent = rng.randint(8, 30)
    sents = [_vary(rng.choice(pool), rng) for _ in range(n_sent)]
    # paragraphs of 1–4 sentences, in random order; the first sentence is the title
    title, body = sents[0].rstrip(".،"), sents[1:]
    paras: list[list[str]] = []
    while body:
        k = rng.randint(1, 4)
        paras.append(body[:k])
        body = body[k:]
    rng.shuffle(paras)

    pieces: list[str] = []
    planted: list[Planted] = []
    pos = 0

    def emit(s: str) -> None:
        nonlocal pos
        pieces.append(s)
        pos += len(s)

    def emit_sentence(s: str) -> None:
        if terms and rng.random() < plant_rate:
            at = _plant_point(s, rng)
            if at is not None:
                term = rng.choice(terms)
                clitic = ""
                if rng.random() < CLITIC_SHARE:
                    clitic = rng.choice(DEFINITE_PROCLITICS if term.definite else PROCLITICS)
                surface = attach(clitic, term.text)
                emit(s[:at] + "، ")
                planted.append(
                    Planted(doc_id, pos, pos + len(surface), surface, term.text, term.kind, term.keys, clitic)
                )
                emit(surface + "،")
                emit(s[at:])
                return
        emit(s)

    emit_sentence(title)
    for para in paras:
        emit("\n\n")
        for j, s in enumerate(para):
            if j:
                emit(" ")
            emit_sentence(s)
    emit("\n")
    return "".join(pieces), planted


def generate(
    n_docs: int,
    *,
    terms: Sequence[Term] = (),
    seed: int = 0,
    plant_rate: float = 0.5,
    sources: Iterable[Path] = SOURCES,
    pool: Sequence[str] | None = None,
) -> GeneratedCorpus:
    """Make ``n_docs`` varied Arabic documents with codebook terms planted in them.

    Parameters
    ----------
    n_docs : int
        How many documents.
    terms : sequence of Term, default ()
        Terms to plant (none: documents only).
    seed : int, default 0
        Document ``i`` depends only on ``(seed, i)``.
    plant_rate : float, default 0.5
        Chance that a sentence gets one planted term.
    sources : iterable of Path
        Folders of articles whose sentences are re-sampled.
    pool : sequence of str, optional
        The sentences to re-sample (overrides ``sources``).

    Returns
    -------
    GeneratedCorpus
        ``texts`` as ``(doc_id, text, date)`` and the ``planted`` occurrences.
    """
    if pool is None:
        pool = source_sentences(sources)
    if not pool:
        raise ValueError("no source sentences: put articles in seeds/ or pass pool=")
    texts: list[tuple[str, str, str]] = []
    planted: list[Planted] = []
    for i in range(n_docs):
        rng = random.Random(f"{seed}:{i}")
        doc_id = f"gen{seed}_{i:06d}"
        text, p = _document(doc_id, pool, terms, rng, plant_rate=plant_rate)
        date = f"2021-12-{rng.randint(1, 7):02d}"
        texts.append((doc_id, text, date))
        planted.extend(p)
    return GeneratedCorpus(texts, planted)
