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
from itertools import compress
from operator import itemgetter
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
    quotation of names only is not a quotation. Only paragraphs with a quotation mark are
    looked at."""
    starts, words = d.starts, d.words
    quoted = [False] * len(words)
    text = doc.text
    marks = _text.mark_positions(text, 0, len(text))
    if not marks:
        return quoted, [], set()
    paragraphs = doc.paragraphs
    para_starts = [p.start for p in paragraphs]
    marked = sorted({bisect.bisect_right(para_starts, i) - 1 for i in marks} - {-1})
    is_word = d.is_word
    named: list[bool] | None = None
    quotes: list[tuple[int, int]] = []
    regions: list[tuple[int, int]] = []
    continued: set[int] = set()
    open_before = False
    for p in (paragraphs[k] for k in marked):
        found = _text.quotations(p.text)
        for s, e in found.spans:
            qs, qe = p.start + s + 1, p.start + e
            a, b = bisect.bisect_left(starts, qs), bisect.bisect_left(starts, qe)
            if 0 < is_word[a:b].count(True) <= NAME_QUOTE_WORDS:
                if named is None:
                    named = _covered(names, len(words))
                if all(compress(named[a:b], is_word[a:b])):
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


def _covered(matches: list, count: int) -> list[bool]:
    """Whether each of ``count`` tokens is inside one of the matches."""
    out = [False] * count
    for m in matches:
        out[m.i:m.j] = [True] * (m.j - m.i)
    return out


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


_SPEAKER = itemgetter(0)
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
    if not topics:  # no statement before raises a topic to carry
        return []
    by_sentence: dict[int, list] = defaultdict(list)
    for t in topics:
        by_sentence[d.tok_sentence[t.i]].append(t.key)
    speaking = list(compress(range(len(decisions)), map(_SPEAKER, decisions)))
    if all(n in by_sentence for n in speaking):  # every statement names its own topics
        return []
    last: dict[str, tuple[list, int, str]] = {}
    out = []
    sents = doc.sentences
    for n in speaking:
        s, dec = sents[n], decisions[n]
        speaker, at = dec.speaker, dec.at
        if furniture[s.paragraph]:
            continue
        keys = by_sentence.get(n)
        if keys:
            last[speaker] = last[""] = (keys, s.paragraph, s.sentence_id)
            continue
        if speaker not in last:
            if not (REFERS_BACK in dec.rule and "" in last):
                continue  # nothing to go on with (and nothing to forget)
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
                or dec.rule.startswith(_NO_CONTEXT_RULES) or s.text.rstrip().endswith(":")):
            continue
        last[speaker] = (before[0], s.paragraph, before[2])
        for key in dict.fromkeys(before[0]):
            out.append(Match("topic", key, f"context:{before[2]}", at, at + 1, d.starts[at], d.ends[at],
                             CONTEXT_TOPIC_CONFIDENCE))
    return out


#: The sentence columns that are the sentence's own, read from its Sentence.
_OWN_COLUMNS = ("doc_id", "paragraph", "sentence", "sentence_id", "start", "end", "text")
#: The sentence columns of the speaker decision (the first fields of a Decision, in order).
_DECISION_COLUMNS = ("speaker", "statement_type", "speaker_rule", "confidence")
#: The mention columns read from a Match (its fields 0, 1, 2, 5, 6, 7).
_MATCH_COLUMNS = {"kind": 0, "key": 1, "rule": 2, "start": 5, "end": 6, "confidence": 7}


class _Tables:
    """The three output tables, kept as flat corpus-wide column lists while documents are
    annotated and made into frames, with array operations, once at the end.

    Each document's values are moved into the columns as soon as it is annotated, while
    its objects are fresh in memory, by C-level transposition (``zip``, ``map``), never a
    Python loop over its rows; what needs the whole corpus (the order of the mentions, the
    keys of each sentence, the furniture of each sentence) is done on arrays at the end."""

    def __init__(self, topic_order: dict[str, int], actor_order: dict[str, int]) -> None:
        self.order = {"topic": topic_order, "actor": actor_order}
        self.sentences: dict[str, list] = {c: [] for c in _OWN_COLUMNS + _DECISION_COLUMNS}
        self.furniture: list[str] = []  # the furniture kind of every paragraph of the corpus
        self.counts: list[tuple[int, int, int]] = []  # (sentences, paragraphs, matches) of each document
        self.mentions: dict[str, list] = {c: [] for c in MENTION_COLUMNS}
        self.numbers: list[int] = []  # the sentence (within its document) of each mention
        self.quote_rows: list[int] = []  # corpus-wide sentence rows with quotations, and their text
        self.quote_texts: list[str] = []
        self.quotes: dict[str, list] = {c: [] for c in QUOTE_COLUMNS}

    def add(self, doc: Document, d, decisions: list, furniture: list[str], found: list,
            quotes: list[tuple[int, int]]) -> None:
        """Record one annotated document (``found``: its topic and actor matches)."""
        sents, cols = doc.sentences, self.sentences
        if quotes:
            self._quotations(doc, decisions, quotes)
        self.counts.append((len(sents), len(furniture), len(found)))
        self.furniture += furniture
        # a Sentence's fields are the own columns, in order (strict: a new field fails here); its
        # text slot may hold the whole document's text, so the texts are cut from it (in C)
        own = list(zip(*sents, strict=True)) or [()] * len(_OWN_COLUMNS)
        if own[0]:
            own[6] = list(map(doc.text.__getitem__, map(slice, own[4], own[5])))
        for c, values in zip(_OWN_COLUMNS, own, strict=True):
            cols[c] += values
        if decisions:
            speakers, types, rules, confidences = list(zip(*decisions, strict=True))[:4]
            cols["speaker"] += speakers
            cols["statement_type"] += types
            cols["speaker_rule"] += map(intern, rules)
            cols["confidence"] += confidences
        if found:
            fields, m, text = list(zip(*found, strict=True)), self.mentions, doc.text
            for c, k in _MATCH_COLUMNS.items():
                m[c] += fields[k]
            numbers = list(map(d.tok_sentence.__getitem__, fields[3]))
            self.numbers += numbers
            m["doc_id"] += [doc.doc_id] * len(found)
            m["sentence_id"] += map(own[3].__getitem__, numbers)
            m["surface"] += map(intern, map(text.__getitem__, map(slice, fields[5], fields[6])))

    def _quotations(self, doc: Document, decisions: list, quotes: list[tuple[int, int]]) -> None:
        """The quotes table's rows and the ``quote`` column of one document's sentences."""
        doc_id, text, sents = doc.doc_id, doc.text, doc.sentences
        base = len(self.sentences["doc_id"])
        quotes_by: dict[int, list[tuple[int, int]]] = defaultdict(list)
        sent_starts = [s.start for s in sents]
        for qs, qe in quotes:
            quotes_by[max(bisect.bisect_right(sent_starts, qs) - 1, 0)].append((qs, qe))
        rows = []
        for n in sorted(quotes_by):
            spans = quotes_by[n]
            self.quote_rows.append(base + n)
            self.quote_texts.append(QUOTE_SEPARATOR.join(text[a:b] for a, b in spans))
            rows += [(doc_id, sents[n].sentence_id, a, b, text[a:b], decisions[n].speaker) for a, b in spans]
        for c, values in zip(QUOTE_COLUMNS, zip(*rows, strict=True), strict=True):
            self.quotes[c].extend(values)

    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """``sentences``, ``mentions`` and ``quotes`` as DataFrames (the lists are emptied)."""
        import numpy as np

        columns: dict[str, object] = self.sentences
        n = len(columns["doc_id"])
        self.sentences = {}
        counts = np.asarray(self.counts, dtype=np.int64).reshape(-1, 3)
        paragraph_base = np.repeat(np.cumsum(counts[:, 1]) - counts[:, 1], counts[:, 0])
        furniture = np.asarray(self.furniture, dtype=object)
        columns["furniture"] = furniture[paragraph_base + np.asarray(columns["paragraph"], dtype=np.int64)]
        columns["source"] = np.full(n, "auto", dtype=object)
        columns["reviewed"] = np.zeros(n, dtype=bool)
        quote = np.full(n, "", dtype=object)
        quote[self.quote_rows] = np.asarray(self.quote_texts, dtype=object)
        columns["quote"] = quote
        mentions, keyed = self._mentions(counts)
        for kind, name in (("topic", "topics"), ("actor", "actors")):
            columns[name] = _keys_joined(*keyed[kind], self.order[kind], n)
        ints = {"paragraph": "int64", "sentence": "int64", "start": "int64", "end": "int64"}
        offsets = {"start": "int64", "end": "int64"}
        return (_frame(columns, SENTENCE_COLUMNS, ints | {"reviewed": "bool", "confidence": "float64"}),
                _frame(mentions, MENTION_COLUMNS, offsets | {"confidence": "float64"}),
                _frame(self.quotes, QUOTE_COLUMNS, offsets))

    def _mentions(self, counts) -> tuple[dict, dict]:
        """The mentions table's columns, in document order and within a document by start
        (topics first), end; and for topics and actors the corpus-wide sentence row and the
        codebook rank of the key of each mention."""
        import numpy as np
        import pandas as pd

        cols, self.mentions = self.mentions, {}
        kinds = np.asarray(cols["kind"], dtype=object)
        starts, ends = np.asarray(cols["start"], dtype=np.int64), np.asarray(cols["end"], dtype=np.int64)
        is_topic = kinds == "topic"
        order = np.lexsort((ends, ~is_topic, starts, np.repeat(np.arange(len(counts)), counts[:, 2])))
        keys = np.asarray(cols["key"], dtype=object)
        rows = np.asarray(self.numbers, dtype=np.int64) + np.repeat(
            np.cumsum(counts[:, 0]) - counts[:, 0], counts[:, 2])
        self.numbers = []
        keyed = {}
        for kind, chosen in (("topic", is_topic), ("actor", ~is_topic)):
            codes, uniques = pd.factorize(keys[chosen])
            rank = self.order[kind]
            keyed[kind] = rows[chosen], np.asarray([rank[k] for k in uniques], dtype=np.int64)[codes]
        out = {"start": starts[order], "end": ends[order], "kind": kinds[order], "key": keys[order],
               "confidence": np.asarray(cols.pop("confidence"), dtype=np.float64)[order]}
        for c in ("doc_id", "sentence_id", "surface", "rule"):
            out[c] = np.asarray(cols.pop(c), dtype=object)[order]
        return out, keyed


def _keys_joined(rows, ranks, order: dict[str, int], count: int):
    """The ``;``-joined keys of each of ``count`` sentences in codebook order (``""``: none),
    from the sentence row and the key's rank of each mention (repeats are one)."""
    import numpy as np

    out = np.full(count, "", dtype=object)
    if not len(rows):
        return out
    width = max(order.values(), default=0) + 1
    pairs = np.sort(rows * width + ranks)  # by row, then rank
    pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]]  # each pair once
    pair_rows, pair_ranks = np.divmod(pairs, width)
    names = np.empty(width, dtype=object)
    for key, n in order.items():
        names[n] = ";" + key
    first = np.flatnonzero(np.r_[True, pair_rows[1:] != pair_rows[:-1]])
    joined = np.add.reduceat(names[pair_ranks], first)
    out[pair_rows[first]] = [s[1:] for s in joined]
    return out


def _frame(columns: dict, names: list[str], dtypes: dict[str, str]) -> pd.DataFrame:
    """A DataFrame of equal-length columns (lists or arrays), each let go once it is converted."""
    import numpy as np
    import pandas as pd

    if not len(columns[names[0]]):  # no rows: the same empty frame as from no row tuples
        return pd.DataFrame([], columns=names).astype(dtypes)
    data = {}
    for c in names:
        values = columns.pop(c)
        if c in dtypes:
            data[c] = np.asarray(values, dtype=dtypes[c])
        else:  # text: told, not inferred (as fast from a list as from an array of objects)
            data[c] = pd.Series(np.asarray(values, dtype=object), dtype="str", copy=False)
        del values
    return pd.DataFrame(data, columns=names, copy=False)


def _annotate_document(an: _Annotator, doc: Document, out: _Tables) -> None:
    dm = an.dm
    d = dm.scan(doc)
    actors = dm.actors(d)
    furniture, body_from, prefix = _page(an, doc, d, actors)
    if prefix:  # a dateline is neither a speaker nor a topic
        actors = [a for a in actors if a.i not in prefix]
    topics = dm.topics(d)
    if prefix:
        topics = [t for t in topics if t.i not in prefix]
    quoted, quotes, continued = _quotations(an, doc, d, actors + topics)
    decisions = an.attributor.document(d, actors, quoted=quoted, furniture=furniture,
                                       body_from=body_from, continued=continued)
    topics += _context_topics(an, doc, d, decisions, topics, furniture)
    out.add(doc, d, decisions, furniture, topics + actors, quotes)


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
    tables = _Tables(an.dm.topic_order, an.dm.actor_order)
    with collector_paused():  # annotating makes no reference cycles: nothing for it to free
        for doc in docs:
            _annotate_document(an, doc, tables)
        sentences, mentions, quotes = tables.frames()
        documents = corpus.documents_frame()
    return Annotations(sentences, mentions, documents, codebook, quotes, corpus)
