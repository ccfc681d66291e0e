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
import operator
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from sys import intern
from typing import TYPE_CHECKING

from . import text as _text
from .attribution import REFERS_BACK, Attributor
from .codebook import Codebook, load_codebook
from .collector import collector_paused
from .columns import MENTION_COLUMNS, QUOTE_COLUMNS, SENTENCE_COLUMNS
from .furniture import dateline_prefix, paragraph_furniture
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
        topics, actors, speaker, statement_type, speaker_rule, source, reviewed, quote,
        confidence, furniture`` (how sure the speaker decision is, and the kind of page
        furniture the paragraph is, ``""`` for body text).
        ``topics`` and ``actors`` are ``;``-joined keys in codebook order (``""`` when
        none); ``source`` is ``"auto"``, ``reviewed`` is ``False``; ``quote`` holds the
        quoted words in the sentence (several joined by ``" | "``).
    mentions : pandas.DataFrame
        One row per matched span: ``doc_id, sentence_id, start, end, surface, kind, key,
        rule, confidence`` with offsets into the document text and ``surface ==
        text[start:end]``.
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


#: A quotation of this many words or fewer whose words are all codebook names or terms is a
#: name in quotes ("الناتو"، "رويترز"، "صفقة الحبوب"), not a statement.
NAME_QUOTE_WORDS = 4
#: How many body paragraphs after the title may open with a dateline (موسكو - (أ ف ب) -).
DATELINE_PARAGRAPHS = 3


def _quotations(an: _Annotator, doc: Document, d, names: list) -> tuple[list[bool], list, set[int]]:
    """Quoted tokens, the quotations ``(start, end)`` and the sentences inside a quotation
    that began in an earlier paragraph. ``names`` are the actor and topic matches: a short
    quotation of names only is not a quotation."""
    starts, words = d.starts, d.words
    is_word = an.dm.m.is_word
    named = [False] * len(words)
    for m in names:
        named[m.i:m.j] = [True] * (m.j - m.i)
    quoted = [False] * len(words)
    quotes: list[tuple[int, int]] = []
    regions: list[tuple[int, int]] = []
    continued: set[int] = set()
    open_before = False
    for p in doc.paragraphs:
        found = _text.quotations(p.text)
        for s, e in found.spans:
            qs, qe = p.start + s + 1, p.start + e
            a, b = bisect.bisect_left(starts, qs), bisect.bisect_left(starts, qe)
            inside = [k for k in range(a, b) if is_word(words[k])]
            if inside and len(inside) <= NAME_QUOTE_WORDS and all(named[k] for k in inside):
                continue  # a name in quotes
            if qe > qs:
                quotes.append((qs, qe))
            regions.append((a, b))
        if found.open_from is not None:
            regions.append((bisect.bisect_left(starts, p.start + found.open_from + 1),
                            bisect.bisect_left(starts, p.end)))
        if open_before and found.closes_at is not None:
            end = bisect.bisect_left(starts, p.start + found.closes_at)
            regions.append((bisect.bisect_left(starts, p.start), end))
            continued.update(n for n, s in enumerate(doc.sentences)
                             if s.paragraph == p.paragraph and s.start < p.start + found.closes_at)
        open_before = found.open_from is not None or (open_before and found.closes_at is None
                                                      and not found.spans)
    for a, b in regions:
        quoted[a:b] = [True] * (b - a)
    return quoted, quotes, continued


#: The most tokens a line of names and titles (a caption) has.
_NAMES_LINE = 30


def _names_only(an: _Annotator, d, covered: list[bool], lo: int, hi: int) -> bool:
    """Whether the words of tokens ``[lo, hi)`` are names (one at least), titles and و."""
    m, dm, words = an.dm.m, an.dm, d.words
    named = False
    for k in range(lo, hi):
        if not m.is_word(words[k]):
            continue
        if covered[k]:
            named = True
        elif not (dm.has_at(d, k, "title") or dm.has_at(d, k, "descriptor")
                  or m.normal_form(words[k]) == "و"):
            return False
    return named


def _page(an: _Annotator, doc: Document, d, actors: list) -> tuple[list[str], dict[int, int], set]:
    """The furniture kind of each paragraph, where a dateline glued to a paragraph ends
    (paragraph → first token after it), and the tokens of those datelines. Which tokens
    are names, and where the reporting verbs are, is looked at only for the paragraphs
    the furniture rules ask about (short lines)."""
    starts, paragraphs, reporting = d.starts, doc.paragraphs, d.reporting_pos
    covered: list[bool] = []

    def span(k: int) -> tuple[int, int]:
        p = paragraphs[k]
        return bisect.bisect_left(starts, p.start), bisect.bisect_left(starts, p.end)

    def names_only(k: int) -> bool:
        lo, hi = span(k)
        # a caption of names is a short line: longer paragraphs are not looked at word by word
        if hi - lo > _NAMES_LINE:
            return False
        if not covered:
            covered.extend([False] * len(d.words))
            for a in actors + d.gentilics:
                covered[a.i:a.j] = [True] * (a.j - a.i)
        return _names_only(an, d, covered, lo, hi)

    def reports(k: int) -> bool:
        lo, hi = span(k)
        r = bisect.bisect_left(reporting, lo)
        return r < len(reporting) and reporting[r] < hi

    furniture = paragraph_furniture([p.text for p in paragraphs], outlet=doc.outlet,
                                    names_only=names_only, reports=reports)
    body_from: dict[int, int] = {}
    prefix_tokens: set[int] = set()
    person_like = {"person", "institution", "organisation"}
    looked = 0
    for p in paragraphs[1:]:
        if furniture[p.paragraph]:
            continue
        if looked == DATELINE_PARAGRAPHS:
            break
        looked += 1
        offset, colon = dateline_prefix(p.text)
        if not offset:
            continue
        lo = bisect.bisect_left(starts, p.start)
        cut = bisect.bisect_left(starts, p.start + offset)
        if any(lo <= a.i < cut and an.dm.actor_type[a.key] in person_like for a in actors):
            continue
        if colon and not any(kind == "verb" for kind, _, _ in d.reporting_at.get(cut, ())):
            continue
        body_from[p.paragraph] = cut
        prefix_tokens.update(range(lo, cut))
    return furniture, body_from, prefix_tokens


#: Mention confidence of a topic a statement takes from the same speaker's statement before it.
CONTEXT_TOPIC_CONFIDENCE = 0.6
#: How many paragraphs back that statement may be, and how many topics it may raise (a
#: statement that lists several issues says nothing of which one the next goes on with).
CONTEXT_PARAGRAPHS = 2
CONTEXT_MAX_TOPICS = 1


#: Rules of decisions that take no topic from the statement before (a frame, a list line).
_NO_CONTEXT_RULES = ("frame=", "bullet ", "quote carried")


def _context_topics(an: _Annotator, doc: Document, d, decisions: list, topics: list,
                    furniture: list[str]) -> list:
    """Topics of statements that name none, from the same speaker's statement just before.

    A speaker who goes on (``وأضاف …``، ``وتابع بيسكوف …``) usually goes on about the same
    issue; a sentence that opens with a phrase of its own (``وفي مسألة الطاقة، قال …``)
    turns to another. Each such topic is a mention on the cue word, with the rule
    ``context:<sentence_id>`` of the statement it comes from and a lower confidence.
    """
    by_sentence: dict[int, list] = defaultdict(list)
    for t in topics:
        by_sentence[d.tok_sentence[t.i]].append(t.key)
    last: dict[str, tuple[list, int, str]] = {}
    out = []
    for n, s in enumerate(doc.sentences):
        speaker, at = decisions[n].speaker, decisions[n].at
        if not speaker or furniture[s.paragraph]:
            continue
        keys = by_sentence.get(n)
        if keys:
            last[speaker] = last[""] = (keys, s.paragraph, s.sentence_id)
            continue
        if REFERS_BACK in decisions[n].rule and speaker not in last and "" in last:
            last[speaker] = last[""]  # "وقال المسؤول": the official goes on with the statement before
        lo = d.bounds[n][0]
        nxt = lo + 1 < len(d.words) and not an.dm.m.is_word(d.words[lo])
        fronted = an.dm.has_at(d, lo, "preposition") or (nxt and an.dm.has_at(d, lo + 1, "preposition"))
        if fronted:
            last.pop(speaker, None)  # the speaker turns to another matter
            continue
        before = last.get(speaker)
        if (before is None or s.paragraph - before[1] > CONTEXT_PARAGRAPHS or at < 0
                or len(set(before[0])) > CONTEXT_MAX_TOPICS
                or decisions[n].rule.startswith(_NO_CONTEXT_RULES) or s.text.rstrip().endswith(":")):
            continue
        last[speaker] = (before[0], s.paragraph, before[2])
        for key in dict.fromkeys(before[0]):
            out.append(Match("topic", key, f"context:{before[2]}", at, at + 1, d.starts[at], d.ends[at],
                             CONTEXT_TOPIC_CONFIDENCE))
    return out


class _Tables:
    """The three output tables, built column by column while documents are annotated.

    A sentence's own fields are read from its :class:`~workbench.corpus.Sentence` at the
    end; what annotation adds is kept per column (no row tuples, no per-document objects
    held for the whole corpus)."""

    def __init__(self) -> None:
        self.sentences: list = []  # the corpus's Sentence objects, in order
        self.added: dict[str, list] = {c: [] for c in _ADDED_COLUMNS}
        self.mentions: dict[str, list] = {c: [] for c in MENTION_COLUMNS}
        self.quotes: dict[str, list] = {c: [] for c in QUOTE_COLUMNS}

    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """``sentences``, ``mentions`` and ``quotes`` as DataFrames (the lists are emptied)."""
        sents, n = self.sentences, len(self.sentences)
        columns: dict[str, list] = {}
        for c in SENTENCE_COLUMNS:
            if c in self.added:
                columns[c] = self.added.pop(c)
            elif c == "source":
                columns[c] = ["auto"] * n
            elif c == "reviewed":
                columns[c] = [False] * n
            else:
                get = operator.attrgetter(c)
                columns[c] = [get(x) for x in sents]
        self.sentences = []
        ints = {"paragraph": "int64", "sentence": "int64", "start": "int64", "end": "int64"}
        offsets = {"start": "int64", "end": "int64"}
        return (_frame(columns, SENTENCE_COLUMNS, ints | {"reviewed": "bool", "confidence": "float64"}),
                _frame(self.mentions, MENTION_COLUMNS, offsets | {"confidence": "float64"}),
                _frame(self.quotes, QUOTE_COLUMNS, offsets))


#: The sentence columns annotation decides (the others are the sentence's own).
_ADDED_COLUMNS = ("topics", "actors", "speaker", "statement_type", "speaker_rule", "quote", "confidence",
                  "furniture")


def _frame(columns: dict[str, list], names: list[str], dtypes: dict[str, str]) -> pd.DataFrame:
    """A DataFrame of equal-length column lists, each list let go once it is converted."""
    import numpy as np
    import pandas as pd

    if not columns[names[0]]:  # no rows: the same empty frame as from no row tuples
        return pd.DataFrame([], columns=names).astype(dtypes)
    data = {}
    for c in names:
        values = columns.pop(c)
        data[c] = np.asarray(values, dtype=dtypes[c]) if c in dtypes else pd.Series(values)
        del values
    return pd.DataFrame(data, columns=names, copy=False)


def _mention_columns(an: _Annotator, doc: Document, d, found: list, out: _Tables
                     ) -> tuple[dict[int, set], dict[int, set]]:
    """Add a document's mentions to the table; the topic and actor keys of each sentence."""
    topics_by: dict[int, set] = defaultdict(set)
    actors_by: dict[int, set] = defaultdict(set)
    if not found:
        return topics_by, actors_by
    found.sort(key=lambda m: (m.start, m.kind != "topic", m.end))
    kinds, keys, rules, firsts, _, starts, ends, confidences = zip(*found, strict=True)
    tok_sentence, sents, text = d.tok_sentence, doc.sentences, doc.text
    numbers = [tok_sentence[i] for i in firsts]
    for n, kind, key in zip(numbers, kinds, keys, strict=True):
        (topics_by if kind == "topic" else actors_by)[n].add(key)
    cols = out.mentions
    cols["doc_id"].extend([doc.doc_id] * len(found))
    cols["sentence_id"].extend([sents[n].sentence_id for n in numbers])
    cols["start"].extend(starts)
    cols["end"].extend(ends)
    cols["surface"].extend([intern(text[a:b]) for a, b in zip(starts, ends, strict=True)])
    cols["kind"].extend(kinds)
    cols["key"].extend(keys)
    cols["rule"].extend(rules)
    cols["confidence"].extend(confidences)
    return topics_by, actors_by


def _joined(by: dict[int, set], count: int, rank) -> list[str]:
    """``;``-joined keys of each of ``count`` sentences, in codebook order (``""``: none)."""
    out = [""] * count
    for n, keys in by.items():
        out[n] = ";".join(sorted(keys, key=rank))
    return out


def _annotate_document(an: _Annotator, doc: Document, out: _Tables) -> None:
    dm = an.dm
    d = dm.scan(doc)
    actors = dm.actors(d)
    furniture, body_from, prefix = _page(an, doc, d, actors)
    if prefix:  # a dateline is neither a speaker nor a topic
        actors = [a for a in actors if a.i not in prefix]
    topics = [t for t in dm.topics(d) if t.i not in prefix]
    quoted, quotes, continued = _quotations(an, doc, d, actors + topics)
    decisions = an.attributor.document(d, actors, quoted=quoted, furniture=furniture,
                                       body_from=body_from, continued=continued)
    topics += _context_topics(an, doc, d, decisions, topics, furniture)
    topics_by, actors_by = _mention_columns(an, doc, d, topics + actors, out)

    doc_id, text, sents = doc.doc_id, doc.text, doc.sentences
    count = len(sents)
    quote_col = [""] * count
    if quotes:
        quotes_by: dict[int, list[tuple[int, int]]] = defaultdict(list)
        sent_starts = [s.start for s in sents]
        for qs, qe in quotes:
            quotes_by[max(bisect.bisect_right(sent_starts, qs) - 1, 0)].append((qs, qe))
        rows = []
        for n in sorted(quotes_by):
            spans = quotes_by[n]
            quote_col[n] = QUOTE_SEPARATOR.join(text[a:b] for a, b in spans)
            rows += [(doc_id, sents[n].sentence_id, a, b, text[a:b], decisions[n].speaker) for a, b in spans]
        for c, values in zip(QUOTE_COLUMNS, zip(*rows, strict=True), strict=True):
            out.quotes[c].extend(values)
    added = out.added
    out.sentences.extend(sents)
    added["topics"].extend(_joined(topics_by, count, dm.topic_order.__getitem__))
    added["actors"].extend(_joined(actors_by, count, dm.actor_order.__getitem__))
    if count:
        speakers, types, rules, confidences, _ = zip(*decisions, strict=True)
        added["speaker"].extend(speakers)
        added["statement_type"].extend(types)
        added["speaker_rule"].extend(map(intern, rules))
        added["confidence"].extend(confidences)
    added["quote"].extend(quote_col)
    added["furniture"].extend([furniture[s.paragraph] for s in sents])


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
        quote, confidence, furniture``), ``mentions`` (``doc_id, sentence_id, start, end,
        surface, kind, key, rule, confidence``), ``documents`` (``Corpus.documents_frame()``),
        ``quotes`` (``doc_id,
        sentence_id, start, end, text, speaker``) and the ``codebook``.

    Raises
    ------
    CodebookError
        When the codebook file is missing or invalid.
    """
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
    tables = _Tables()
    with collector_paused():  # annotating makes no reference cycles: nothing for it to free
        for doc in docs:
            _annotate_document(an, doc, tables)
        sentences, mentions, quotes = tables.frames()
    return Annotations(sentences, mentions, corpus.documents_frame(), codebook, quotes, corpus)
