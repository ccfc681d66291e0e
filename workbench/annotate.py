"""Automatic annotation: topics, actors and who said what, each with its evidence.

``annotate(corpus)`` matches the codebook's terms on normalised tokens and returns tidy
tables. The work is done in two modules, each with its rules in its docstring:

- :mod:`workbench.matching` — the codebook compiled to patterns, the terms found in each
  document's tokens, and the choice among overlapping, excluded and dated matches;
- :mod:`workbench.attribution` — who is speaking in each sentence, and the rule that
  says why (``speaker_rule``).

This module runs them document by document and builds the tables.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import text as _text
from .attribution import Attributor
from .codebook import Codebook, load_codebook
from .columns import MENTION_COLUMNS, QUOTE_COLUMNS, SENTENCE_COLUMNS
from .matching import DocumentMatcher, Match, Matcher

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .corpus import Corpus, Document

__all__ = [
    "Annotations",
    "Matcher",
    "Match",
    "annotate",
    "SENTENCE_COLUMNS",
    "MENTION_COLUMNS",
    "QUOTE_COLUMNS",
    "PROGRESS_THRESHOLD",
]

#: ``progress=None`` shows a progress bar from this many documents on.
PROGRESS_THRESHOLD = 200
#: Separator between several quotations of one sentence in the ``quote`` column.
QUOTE_SEPARATOR = " | "


@dataclass
class Annotations:
    """The result of :func:`annotate`.

    Attributes
    ----------
    sentences : pandas.DataFrame
        One row per sentence: ``doc_id, paragraph, sentence, sentence_id, start, end, text,
        topics, actors, speaker, statement_type, speaker_rule, source, reviewed, quote``.
        ``topics`` and ``actors`` are ``;``-joined keys in codebook order (``""`` when
        none); ``source`` is ``"auto"``, ``reviewed`` is ``False``; ``quote`` holds the
        quoted words in the sentence (several joined by ``" | "``).
    mentions : pandas.DataFrame
        One row per matched span: ``doc_id, sentence_id, start, end, surface, kind, key,
        rule`` with offsets into the document text and ``surface == text[start:end]``.
    documents : pandas.DataFrame
        ``Corpus.documents_frame()`` of the annotated documents.
    codebook : Codebook
        The codebook used.
    quotes : pandas.DataFrame
        One row per quotation (its words without the quote marks): ``doc_id,
        sentence_id, start, end, text, speaker``.
    corpus : Corpus or None
        The annotated corpus, so that the store can keep each document's full text.
    """

    sentences: pd.DataFrame
    mentions: pd.DataFrame
    documents: pd.DataFrame
    codebook: Codebook
    quotes: pd.DataFrame
    corpus: Corpus | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        return (f"<Annotations: {len(self.documents)} documents, {len(self.sentences)} sentences, "
                f"{len(self.mentions)} mentions, codebook {self.codebook.name!r}>")


class _Annotator:
    """The compiled codebook and the attribution that serve one run (cached)."""

    def __init__(self, codebook: Codebook):
        self.dm = DocumentMatcher(codebook)
        self.attributor = Attributor(self.dm)


_MATCHERS: dict[str, _Annotator] = {}


def _annotator(codebook: Codebook) -> _Annotator:
    key = f"{codebook.path}:{codebook.hash}"
    if key not in _MATCHERS:
        _MATCHERS.clear()  # keep one: a matcher's cache grows with the vocabulary
        _MATCHERS[key] = _Annotator(codebook)
    return _MATCHERS[key]


def _annotate_document(an: _Annotator, doc: Document, rows: list, mention_rows: list,
                       quote_rows: list) -> None:
    dm = an.dm
    d = dm.scan(doc)
    starts, words, bounds, tok_sentence = d.starts, d.words, d.bounds, d.tok_sentence
    topics = dm.topics(d)
    actors = dm.actors(d)
    actor_at = {a.i: a for a in actors}
    actor_end = {a.j: a for a in actors}

    # quotations, per paragraph
    quoted = [False] * len(words)
    quotes: list[tuple[int, int]] = []
    for p in doc.paragraphs:
        for s, e in _text.quote_spans(p.text):
            qs, qe = p.start + s + 1, p.start + e
            if qe > qs:
                quotes.append((qs, qe))
            for k in range(bisect.bisect_left(starts, qs), bisect.bisect_left(starts, qe)):
                quoted[k] = True

    topics_by: dict[int, set] = defaultdict(set)
    actors_by: dict[int, set] = defaultdict(set)
    doc_id, text, sents = doc.doc_id, doc.text, doc.sentences
    for mt in sorted(topics + actors, key=lambda m: (m.start, m.kind != "topic", m.end)):
        n = tok_sentence[mt.i]
        (topics_by if mt.kind == "topic" else actors_by)[n].add(mt.key)
        mention_rows.append((doc_id, sents[n].sentence_id, mt.start, mt.end,
                             text[mt.start:mt.end], mt.kind, mt.key, mt.rule))
    quotes_by: dict[int, list[tuple[int, int]]] = defaultdict(list)
    sent_starts = [s.start for s in sents]
    for qs, qe in quotes:
        quotes_by[max(bisect.bisect_right(sent_starts, qs) - 1, 0)].append((qs, qe))

    previous = ""
    topic_rank, actor_rank = dm.topic_order.__getitem__, dm.actor_order.__getitem__
    for n, s in enumerate(sents):
        lo, hi = bounds[n]
        speaker, stype, rule = an.attributor.attribute(d, lo, hi, actor_at, actor_end, quoted, previous)
        previous = speaker
        in_quotes = quotes_by.get(n, ())
        topics_n, actors_n = topics_by.get(n), actors_by.get(n)
        rows.append((
            doc_id, s.paragraph, s.sentence, s.sentence_id, s.start, s.end, s.text,
            ";".join(sorted(topics_n, key=topic_rank)) if topics_n else "",
            ";".join(sorted(actors_n, key=actor_rank)) if actors_n else "",
            speaker, stype, rule, "auto", False,
            QUOTE_SEPARATOR.join(text[a:b] for a, b in in_quotes) if in_quotes else "",
        ))
        for a, b in in_quotes:
            quote_rows.append((doc_id, s.sentence_id, a, b, text[a:b], speaker))


def annotate(
    corpus: Corpus | Iterable[Document],
    *,
    codebook: Codebook | str | None = None,
    progress: bool | None = None,
) -> Annotations:
    """Annotate a corpus: topics and actors of each sentence, and who said what.

    Parameters
    ----------
    corpus : Corpus or iterable of Document
        What :func:`workbench.load_corpus` returns (or some of its documents).
    codebook : Codebook, str or Path, optional
        The codebook, or the path of a TOML codebook; ``None`` uses the default one.
    progress : bool, optional
        Show a progress bar; ``None`` shows one from ``PROGRESS_THRESHOLD`` (200)
        documents on.

    Returns
    -------
    Annotations
        ``sentences`` (columns ``doc_id, paragraph, sentence, sentence_id, start, end,
        text, topics, actors, speaker, statement_type, speaker_rule, source, reviewed,
        quote``), ``mentions`` (``doc_id, sentence_id, start, end, surface, kind, key,
        rule``), ``documents`` (``Corpus.documents_frame()``), ``quotes`` (``doc_id,
        sentence_id, start, end, text, speaker``) and the ``codebook``.

    Raises
    ------
    CodebookError
        When the codebook file is missing or invalid.
    """
    import pandas as pd

    from .corpus import Corpus

    if type(corpus).__module__.startswith("dask.bag"):  # a dask.bag.Bag: same result, on Dask
        from .partitions import run_bag

        return run_bag(corpus, codebook=codebook, annotate=annotate)
    if not isinstance(codebook, Codebook):
        codebook = load_codebook(codebook)
    if not isinstance(corpus, Corpus):
        corpus = Corpus(corpus)
    an = _annotator(codebook)
    docs: Iterable = corpus
    if progress or (progress is None and len(corpus) >= PROGRESS_THRESHOLD):
        from tqdm.auto import tqdm

        docs = tqdm(corpus, total=len(corpus), desc="annotating", unit="doc")
    rows: list = []
    mention_rows: list = []
    quote_rows: list = []
    for doc in docs:
        _annotate_document(an, doc, rows, mention_rows, quote_rows)
    ints = {"paragraph": "int64", "sentence": "int64", "start": "int64", "end": "int64"}
    sentences = pd.DataFrame(rows, columns=SENTENCE_COLUMNS).astype(ints | {"reviewed": "bool"})
    mentions = pd.DataFrame(mention_rows, columns=MENTION_COLUMNS).astype({"start": "int64", "end": "int64"})
    quotes = pd.DataFrame(quote_rows, columns=QUOTE_COLUMNS).astype({"start": "int64", "end": "int64"})
    return Annotations(sentences, mentions, corpus.documents_frame(), codebook, quotes, corpus)
