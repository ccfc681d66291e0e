"""Term matching: the codebook compiled to patterns, found in a document's tokens.

How it decides, in the order it happens:

**Matching.** Every word of the text is normalised (:func:`workbench.text.normalize`:
hamza on alef, alef maqsura, teh marbuta, diacritics, tatweel) and split into possible
proclitics and stem: the conjunctions و ف, the prepositions ب ك ل and the article ال,
alone or together (وال، بال، لل، وبال، وللـ …). A codebook word matches a stem exactly,
with an inflection ending (``+``: ة ا ان ين ون ات تان تين) or as its beginning (``*``);
phrases match word by word with only white space between. Each distinct word form is
analysed once per run and remembered. When a form matches words of one kind both with
fewer and with more letters taken off as clitics, the reading with fewer wins (بحث is
"discussion", not ب + حث). A match's span covers its whole words as written, clitics
included, so ``text[start:end]`` is exactly the surface.

**Choosing among matches.** ``exclude`` phrases cancel their topic's (or actor's)
matches inside them. Overlapping matches of one kind keep the longest (a role title
"المتحدثة باسم البيت الأبيض" is Psaki, not the White House). Role titles count only
when the document's date lies in the role's period; a title followed by a "former" word
(السابق) names nobody. In an undated document a title with one holder names that holder,
and one with several holders names the holder whose name is nearest in the same document
(the rule then ends in ``~undated``); with no holder named it names nobody. A state
gentilic (الروسي، الأميركية) is a mention of the state except inside a person's title:
right after a title word (الرئيسين الروسي …، نظيره الأميركي) or right before a person's
name.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial
from itertools import chain, compress, islice, repeat
from operator import attrgetter, itemgetter, le, sub
from typing import TYPE_CHECKING, NamedTuple

from . import text as _text
from .codebook import CONTEXT_SENTENCES, Codebook
from .term_matcher import REPORTING_KINDS, Matcher, Patterns, Term, cue_entry

if TYPE_CHECKING:  # pragma: no cover
    from .corpus import Document

__all__ = ["Matcher", "Match", "Term", "Patterns", "DocMatches", "DocumentMatcher", "longest_first",
           "QUOTE_MARKS"]


class Match(NamedTuple):
    """A codebook term found in a document: tokens ``[i, j)``, code points ``[start, end)``;
    ``confidence`` is 1.0 for a term as written, lower for a near-miss spelling."""

    kind: str
    key: str
    rule: str
    i: int
    j: int
    start: int
    end: int
    confidence: float = 1.0


#: Quotation marks that may stand between the words of a phrase (اتفاق "مينسك").
QUOTE_MARKS = frozenset('"«»“”„‹›\'')
_WORD = attrgetter("word")
_START, _END = attrgetter("start"), attrgetter("end")
#: A Match from a tuple of all its fields (tuple.__new__: no Python-level __new__ call).
_new_match = partial(tuple.__new__, Match)
#: Mention confidence of a near-miss spelling of a name (بادين for بايدن).
NEAR_MISS_CONFIDENCE = 0.5
#: ... of a role title in an undated document: one holder, or the holder named nearest.
UNDATED_ONE_HOLDER_CONFIDENCE = 0.9
UNDATED_NEAREST_CONFIDENCE = 0.7
#: ... of a topic's context term (الحرب in an article about Ukraine).
CONTEXT_TERM_CONFIDENCE = 0.8
_STARTS = attrgetter("starts")
_FIRST = itemgetter(0)


# --- per document -------------------------------------------------------------------------


_I, _J = attrgetter("i"), attrgetter("j")


def longest_first(matches: list[Match]) -> list[Match]:
    """Keep non-overlapping matches, longer spans first, then earlier ones."""
    if all(map(le, map(_J, matches), map(_I, islice(matches, 1, None)))):
        return list(matches)  # in order and apart: all are kept
    taken: set[int] = set()
    kept = []
    for m in sorted([m for m in matches if m.j - m.i > 1], key=lambda m: (m.i - m.j, m.i)):
        span = range(m.i, m.j)
        if taken.isdisjoint(span):
            taken.update(span)
            kept.append(m)
    for m in sorted([m for m in matches if m.j - m.i == 1], key=_I):
        if m.i not in taken:
            taken.add(m.i)
            kept.append(m)
    kept.sort(key=_I)
    return kept


def _sentence_tokens(sentences: list, starts: list[int], count: int) -> tuple[list, list[int]]:
    """``(lo, hi)`` tokens of each sentence and the sentence of every token (0 for a token
    outside every sentence)."""
    los = list(map(bisect_left, repeat(starts), map(_START, sentences)))
    his = list(map(bisect_left, repeat(starts), map(_END, sentences), los))
    sizes = list(map(sub, his, los))
    if sum(sizes) == count and los[:1] in ([], [0]) and los[1:] == his[:-1]:  # one after another
        numbers = chain.from_iterable(map(repeat, range(len(sizes)), sizes))
        return list(zip(los, his, strict=True)), list(numbers)
    tok_sentence = [0] * count
    for n, (lo, hi) in enumerate(zip(los, his, strict=True)):
        tok_sentence[lo:hi] = [n] * (hi - lo)
    return list(zip(los, his, strict=True)), tok_sentence


def _phrase_end(pats: list, words: list[str], k: int, rest: tuple[int, ...], breaks: set[int]) -> int | None:
    """Where a phrase ends whose words from token ``k`` on have patterns ``rest`` (quotation
    marks between them; None: it does not go on here)."""
    n = len(pats)
    for p in rest:
        while k < n and not pats[k].word and words[k] in QUOTE_MARKS and k not in breaks:
            k += 1
        if k >= n or p not in pats[k] or k in breaks:
            return None
        k += 1
    return k


@dataclass
class DocMatches:
    """Working state for one document: tokens, their patterns and the term matches."""

    doc: Document
    words: list  # tokens as written
    starts: list  # their code-point offsets
    ends: list
    pats: list
    hits: dict = field(default_factory=lambda: defaultdict(list))  # kind -> [(tid, i, j)]
    cues_at: list = field(default_factory=list)  # sorted token indices of statement cues
    cue_keys: list = field(default_factory=list)  # their statement types
    cue_words: list = field(default_factory=list)  # the cue terms as written
    reporting_at: dict = field(default_factory=lambda: defaultdict(list))  # i -> [(kind, term, j)]
    reporting_pos: list = field(default_factory=list)  # sorted keys of reporting_at
    gentilics: list = field(default_factory=list)  # state gentilics inside titles (not the state)
    bounds: list = field(default_factory=list)  # (lo, hi) tokens of each sentence
    tok_sentence: list = field(default_factory=list)  # the sentence of every token
    is_word: list = field(default_factory=list)  # whether each token is a word (not punctuation)


class DocumentMatcher:
    """A :class:`Matcher` with what choosing among a document's matches needs.

    Parameters
    ----------
    codebook : Codebook
        A validated codebook.
    """

    def __init__(self, codebook: Codebook):
        self.cb = codebook
        self.m = Matcher(codebook)
        self.topic_order = {k: n for n, k in enumerate(codebook.topic_keys)}
        self.actor_order = {k: n for n, k in enumerate(codebook.actor_ids)}
        self.actor_type = {a.id: a.type for a in codebook.actors}
        self.holders: dict[str, set[str]] = defaultdict(set)  # role title -> actor ids
        for t in self.m.terms:
            if t.role is not None:
                self.holders[t.written].add(t.key)
        self._facts: list[tuple] = []  # see _term_facts
        #: term id -> (statement type, term as written) of each cue (see cue_entry)
        self._cue_of = {tid: e for tid, t in enumerate(self.m.terms) if (e := cue_entry(t)) is not None}
        #: (id of a token's patterns, id of the next word's) -> the terms that may begin there
        #: (see _plan; made again when a near miss adds terms)
        self._plans: dict[tuple[int, int], tuple] = {}
        self._plans_for = len(self.m.terms)

    def scan(self, doc: Document) -> DocMatches:
        """Tokenise a document and find every codebook term in it.

        Parameters
        ----------
        doc : Document
            The document.

        Returns
        -------
        DocMatches
            Its tokens, their patterns, the sentence of every token, and the term
            matches by kind (a phrase never runs across a sentence).
        """
        m = self.m
        words, starts, ends = _text.token_lists(doc.text, with_numpy=True)
        pats = m.token_patterns(words)
        if len(m.terms) != self._plans_for:  # a near miss added terms: phrases begin anew
            self._plans.clear()
            self._plans_for = len(m.terms)
        d = DocMatches(doc, words, starts, ends, pats)
        d.is_word = list(map(_WORD, pats))
        d.bounds, d.tok_sentence = _sentence_tokens(doc.sentences, starts, len(words))
        breaks, n, plans = {lo for lo, _ in d.bounds}, len(pats), self._plans
        hits, reporting_at = d.hits, d.reporting_at
        cues: list[tuple[int, str, str]] = []
        for i in compress(range(n), map(_STARTS, pats)):  # the tokens that begin a term
            pm = pats[i]
            plan = None
            if pm.by_next and (k := i + 1) < n:
                following = pats[k]
                while not following.word and words[k] in QUOTE_MARKS and k not in breaks:
                    k += 1  # a quotation mark inside a phrase (اتفاق "مينسك")
                    if k == n:
                        break
                    following = pats[k]
                if k < n and k not in breaks and not pm.follow.isdisjoint(following):
                    plan = plans.get((id(pm), id(following)))
                    if plan is None:
                        plan = plans[id(pm), id(following)] = self._plan(pm, following)
            if not plan:  # only the token's one-word terms begin here
                for kind, tid in pm.routes:
                    hits[kind].append((tid, i, i + 1))
                if pm.reports:
                    reporting_at[i] = [(kind, term, i + 1) for kind, term in pm.reports]
                if pm.cues:
                    cues += [(i, key, written) for key, written in pm.cues]
                continue
            for tid, kind, term, cue, rest in plan:
                if rest is None:
                    j = i + 1
                elif not rest:
                    j = k + 1
                elif (j := _phrase_end(pats, words, k + 1, rest, breaks)) is None:
                    continue
                hits[kind].append((tid, i, j))
                if term is not None:
                    reporting_at[i].append((kind, term, j))
                if cue is not None:
                    cues.append((i, *cue))
        d.reporting_pos = sorted(reporting_at)
        if cues:
            cues.sort()
            d.cues_at, d.cue_keys, d.cue_words = (list(c) for c in zip(*cues, strict=True))
        return d

    def _plan(self, pm: Patterns, following: Patterns) -> tuple:
        """The terms that may begin at a token with patterns ``pm`` when the next word has
        patterns ``following``, in the order :meth:`Matcher.phrases_at` gives them: ``(term
        id, kind, the term if it reports a statement, its cue entry, the patterns of its words
        after the next one)``, the last None for a one-word term; empty when no phrase goes on
        there (then only the token's one-word terms begin there)."""
        by_next = pm.by_next
        if by_next.keys().isdisjoint(following):
            return ()
        found = [(pos, tid, None) for pos, tid in pm.singles]
        for pid in following:  # the terms whose second word the next token is
            found += by_next.get(pid, ())
        found.sort(key=_FIRST)  # (each place in the token's starts comes once)
        terms, cue_of = self.m.terms, self._cue_of
        return tuple((tid, terms[tid].kind, terms[tid] if terms[tid].kind in REPORTING_KINDS else None,
                      cue_of.get(tid), rest) for _, tid, rest in found)

    def has_at(self, d: DocMatches, i: int, kind: str) -> bool:
        """Whether token ``i`` starts a one-word term of ``kind``."""
        return 0 <= i < len(d.pats) and self.m.has(d.pats[i], kind)

    def _term_facts(self) -> list[tuple]:
        """Per term id: key, rule, role, mention confidence, gentilic flag and the rule of a
        dated role (made once per term; near misses add terms as they are found)."""
        facts, terms = self._facts, self.m.terms
        for t in terms[len(facts):]:
            confidence = NEAR_MISS_CONFIDENCE if t.rule.startswith("fuzzy:") else 1.0
            dated = f"{t.rule}@{t.role.period}" if t.role is not None else t.rule
            facts.append((t.key, t.rule, t.role, confidence, t.gentilic, dated))
        return facts

    def topics(self, d: DocMatches) -> list[Match]:
        """The document's topic matches, exclusions applied, longest first; context terms
        where the article raises their topic by its own terms in enough sentences."""
        found = d.hits["topic"]
        if not found:
            return []
        facts = self._term_facts()
        excl = [(facts[t][0], i, j) for t, i, j in d.hits["topic_x"]]
        starts, ends = d.starts, d.ends
        cands = []
        for tid, i, j in found:
            key, rule = facts[tid][:2]
            if excl and any(k == key and a <= i and j <= b for k, a, b in excl):
                continue
            cands.append(_new_match(("topic", key, rule, i, j, starts[i], ends[j - 1], 1.0)))
        if d.hits["topic_c"]:
            raised: dict[str, set[int]] = defaultdict(set)
            for m in cands:
                raised[m.key].add(d.tok_sentence[m.i])
            for tid, i, j in d.hits["topic_c"]:
                key, rule = facts[tid][:2]
                if len(raised.get(key, ())) >= CONTEXT_SENTENCES:
                    cands.append(_new_match(("topic", key, rule, i, j, starts[i], ends[j - 1],
                                             CONTEXT_TERM_CONFIDENCE)))
        return longest_first(cands)

    def actors(self, d: DocMatches) -> list[Match]:
        """The document's actor matches: exclusions, dated and undated roles, titles."""
        found = d.hits["actor"]
        if not found:
            return []
        date, facts, terms_all = d.doc.date, self._term_facts(), self.m.terms
        starts, ends, pats = d.starts, d.ends, d.pats
        excl = [(facts[t][0], i, j) for t, i, j in d.hits["actor_x"]]
        cands: list[Match] = []
        gentilic: set[int] = set()  # id() of the matches that are a state's gentilic
        roles_undated: dict[tuple[int, int], list[Term]] = defaultdict(list)
        for tid, i, j in found:
            key, rule, role, confidence, is_gentilic, dated = facts[tid]
            if excl and any(k == key and a <= i and j <= b for k, a, b in excl):
                continue
            if role is not None:
                if (j < len(pats) and "former" in pats[j].kinds) or (i and "title" in pats[i - 1].kinds):
                    continue  # an earlier holder; or another office (نائب وزير الخارجية)
                if date is None:
                    roles_undated[(i, j)].append(terms_all[tid])
                    continue
                if not role.applies(date):
                    continue
                rule = dated
            m = _new_match(("actor", key, rule, i, j, starts[i], ends[j - 1], confidence))
            cands.append(m)
            if is_gentilic:
                gentilic.add(id(m))
        if roles_undated:
            cands += self._undated_roles(d, cands, roles_undated)
        kept = longest_first(cands)
        if not gentilic:
            return kept
        # a state gentilic inside a person's title is not the state
        person_starts = {m.i for m in kept if self.actor_type[m.key] == "person"}
        words = d.words
        dropped_ends: set[int] = set()
        out = []
        for m in kept:
            if id(m) in gentilic:
                prev = m.i - 1
                after = m.j + 1 if m.j < len(words) and words[m.j] in "،," else m.j
                if (self.has_at(d, prev, "title") or prev + 1 in dropped_ends or m.j in person_starts
                        or after in person_starts):
                    dropped_ends.add(m.j)
                    d.gentilics.append(m)
                    continue
            out.append(m)
        return out

    def _undated_roles(self, d: DocMatches, cands: list, roles_undated: dict) -> list:
        """Role titles of an undated document: the one holder, or the holder named nearest."""
        starts, ends = d.starts, d.ends
        named: dict[str, list[int]] = defaultdict(list)
        for mt in cands:
            named[mt.key].append(mt.i)
        out = []
        for (i, j), terms in roles_undated.items():
            by_actor = {t.key: t for t in sorted(terms, key=lambda t: t.role.start or "")}
            holders = self.holders[terms[0].written]
            if len(holders) == 1:
                choice, confidence = next(iter(by_actor)), UNDATED_ONE_HOLDER_CONFIDENCE
            else:
                near = [(min(abs(p - i) for p in named[a]), self.actor_order[a])
                        for a in by_actor if named[a]]
                if not near:
                    continue
                choice, confidence = self.cb.actor_ids[min(near)[1]], UNDATED_NEAREST_CONFIDENCE
            term = by_actor[choice]
            rule = f"{term.rule}@{term.role.period}~undated"
            out.append(Match("actor", choice, rule, i, j, starts[i], ends[j - 1], confidence))
        return out

    # attribution -----------------------------------------------------------------------
