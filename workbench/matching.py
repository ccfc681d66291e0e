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

import bisect
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import compress
from operator import attrgetter
from typing import TYPE_CHECKING, NamedTuple

from . import text as _text
from .codebook import CONTEXT_SENTENCES, Codebook, Role, Verb, parse_term, term_variants
from .slips import slips as _slips

if TYPE_CHECKING:  # pragma: no cover
    from .corpus import Document

__all__ = ["Matcher", "Match", "Term", "Patterns", "DocMatches", "DocumentMatcher", "longest_first",
           "QUOTE_MARKS"]

_ARTICLE = "ال"
_CONJUNCTIONS = ("", "و", "ف")
_PREPOSITIONS = ("", "ب", "ك", "ل")
#: Endings a ``+`` word may take (after normalisation: ة → ه).
_INFLECTIONS = ("", "ه", "ا", "ان", "ين", "ون", "ات", "تان", "تين")
_INFLECTION_SET = frozenset(_INFLECTIONS)
_MAX_INFLECTION = max(map(len, _INFLECTIONS))
_MIN_STEM = 2
#: Names shorter than this are never matched as near misses (too many words lie near them).
_NEAR_MIN = 5
#: The shortest word of a name of several words that a near miss is looked for in.
_NEAR_WORD_MIN = 4


def _proclitics() -> tuple[str, ...]:
    out = set()
    for c in _CONJUNCTIONS:
        for p in _PREPOSITIONS:
            for a in ("", _ARTICLE):
                out.add(c + p + a)
                if p == "ل" and a:
                    # ل + ال is written لل; but before a name whose own first letters are
                    # ال/أل (ألمانيا، ألبانيا) the ال stays: لألمانيا
                    out.add(c + "لل")
    # A codebook word written with a plain ال that is not the article (الكتروني for
    # إلكتروني) is stored without it (see Matcher._pattern), so the article in front of
    # it adds a second ال: الالكترونية، بالالكترونية.
    out |= {c + _ARTICLE for c in out if c.endswith((_ARTICLE, "لل"))}
    return tuple(sorted(out, key=len))


_PROCLITICS = _proclitics()
_PROCLITIC_SET = frozenset(_PROCLITICS)
_MAX_PROCLITIC = max(map(len, _PROCLITICS))
_VERB_PROCLITICS = frozenset(_CONJUNCTIONS)


# --- compiled codebook ------------------------------------------------------------------


class Term(NamedTuple):
    """A codebook entry compiled to pattern ids; ``kind`` says what it is for."""

    kind: str  # topic, topic_x, actor, actor_x, cue, verb, source, stop, opener, nosubj, title, former
    key: str  # topic key, actor id, statement type, verb type ...
    rule: str  # evidence: "term:أوكرانيا", "alias:بوتين", "role:الرئيس الأميركي" ...
    pids: tuple[int, ...]
    written: str  # the term as written in the codebook
    role: Role | None = None
    gentilic: bool = False  # a one-word inflected alias of a state
    verb: Verb | None = None  # the reporting verb a verb form belongs to
    tense: str = ""  # past, present, participle or "" (a verb form as listed)


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


_GROUP = {"topic_x": "topic", "topic_c": "topic", "actor_x": "actor"}
#: Kinds of one-word terms that find() reports (the others are only looked up in place).
_REPORTED = frozenset({"topic", "topic_x", "topic_c", "actor", "actor_x", "cue", "verb", "source", "formula",
                       "framing", "clause"})
#: Attribution word lists of the codebook and the kind of term each becomes.
_WORD_LISTS = (("source", "source_cues"), ("stop", "subject_stops"), ("opener", "verb_openers"),
               ("nosubj", "not_subjects"), ("anonymous", "anonymous_heads"), ("media", "media_heads"),
               ("statement", "statement_nouns"), ("clause", "clause_openers"),
               ("preposition", "prepositions"), ("formula", "formulas"), ("framing", "framing"),
               ("descriptor", "descriptors"), ("state_head", "state_heads"), ("title", "title_words"),
               ("former", "former_words"))
#: Quotation marks that may stand between the words of a phrase (اتفاق "مينسك").
QUOTE_MARKS = frozenset('"«»“”„‹›\'')
#: A quotation mark in a text: each is a token of its own.
_QUOTE_RE = re.compile("[" + re.escape("".join(sorted(QUOTE_MARKS))) + "]")
_STARTS = attrgetter("starts")
#: Mention confidence of a near-miss spelling of a name (بادين for بايدن).
NEAR_MISS_CONFIDENCE = 0.5
#: ... of a role title in an undated document: one holder, or the holder named nearest.
UNDATED_ONE_HOLDER_CONFIDENCE = 0.9
UNDATED_NEAREST_CONFIDENCE = 0.7
#: ... of a topic's context term (الحرب in an article about Ukraine).
CONTEXT_TERM_CONFIDENCE = 0.8


class Patterns(dict):
    """Pattern id → proclitic letters taken off, for one word form; ``starts`` lists the
    reported terms (term id, their other pattern ids) that begin with one of them."""

    __slots__ = ("starts", "kinds", "singles", "by_next")


#: The patterns of the many word forms that match nothing (one shared, empty object).
_NO_PATTERNS = Patterns()
_NO_PATTERNS.starts = ()
_NO_PATTERNS.kinds = frozenset()
_NO_PATTERNS.singles = ()
_NO_PATTERNS.by_next = {}


class _NormalForms(dict):
    """Word as written → its normalised form, made when first asked for."""

    __slots__ = ()

    def __missing__(self, word: str) -> str:
        form = self[word] = _text.normalized_text(word)
        return form


class _WordTests(dict):
    """Token → whether it is a word (has a letter or digit), made when first asked for."""

    __slots__ = ()

    def __missing__(self, token: str) -> bool:
        known = self[token] = any(ch.isalnum() for ch in token)
        return known


class Matcher:
    """A codebook compiled for matching, with a cache of analysed word forms.

    One matcher serves a whole corpus: each distinct word form is normalised and analysed
    once (``forms_analysed`` counts them), however often it occurs.

    Parameters
    ----------
    codebook : Codebook
        A validated codebook.
    """

    def __init__(self, codebook: Codebook):
        self.codebook = codebook
        self._patterns: dict[tuple, int] = {}
        self._exact: dict[str, list[tuple[int, str, bool]]] = defaultdict(list)
        self._inflected: dict[str, list[tuple[int, str, bool]]] = defaultdict(list)
        self._prefix: dict[str, list[tuple[int, str, bool]]] = defaultdict(list)
        self._punct: dict[str, list[int]] = defaultdict(list)
        self._prefix_lengths: tuple[int, ...] = ()  # ascending
        self._pid_group: list[str] = []
        self._single: set[int] = set()  # patterns that are a whole one-word term
        self.terms: list[Term] = []
        self.by_first: dict[int, list[int]] = defaultdict(list)
        #: pattern id -> ((term id, the term's other pattern ids), ...) in term order
        self._first_entries: dict[int, tuple[tuple[int, tuple[int, ...]], ...]] = {}
        #: pattern id -> kinds of the one-word terms it is
        self._single_kinds: dict[int, frozenset[str]] = {}
        self._norm_cache = _NormalForms()
        #: the normalised form of a word as written (cached; a known word is looked up in C)
        self.normal_form = self._norm_cache.__getitem__
        self._form_cache: dict[str, dict[int, int]] = {}
        self._clitic_cache: dict[str, tuple[int, ...]] = {}
        self._word_cache: dict[str, dict[int, int]] = {}  # word as written -> its patterns
        self._is_word = _WordTests()
        #: whether a token is a word (has a letter or digit) rather than punctuation (cached)
        self.is_word = self._is_word.__getitem__
        self.verb_types: dict[str, str] = {}
        self._near: dict[str, frozenset[tuple[str, str]]] | None = None
        self._near_words: dict[str, frozenset[tuple[int, int]]] | None = None
        self._compile()

    # compile ---------------------------------------------------------------------------

    def _pattern(self, word: str, mode: str, group: str, verb: bool) -> int:
        if mode == "punct":
            key = (word, mode, group, verb)
        else:
            norm = _text.normalize(word).text
            # The article is optional in matching, so it is taken off a codebook word —
            # but only a plain ال as written: أل/إل/آل begin the word itself (ألمانيا،
            # إلكتروني، إلغاء), and without them the rest would match other words (ماني).
            written = _text.normalize(word, alef=False).text
            if written.startswith(_ARTICLE) and len(norm) - 2 >= _MIN_STEM:
                norm = norm[2:]
            key = (norm, mode, group, verb)
        if key in self._patterns:
            return self._patterns[key]
        pid = len(self._pid_group)
        self._patterns[key] = pid
        self._pid_group.append(group)
        stem = key[0]
        if mode == "punct":
            self._punct[stem].append(pid)
        elif mode == "exact":
            self._exact[stem].append((pid, group, verb))
        elif mode == "inflected":
            self._inflected[stem].append((pid, group, verb))
        else:
            self._prefix[stem].append((pid, group, verb))
            self._prefix_lengths = tuple(sorted({*self._prefix_lengths, len(stem)}))
        return pid

    def _add(self, kind: str, key: str, rule_kind: str, written: str, *, role: Role | None = None,
             gentilic: bool = False, verb: Verb | None = None, tense: str = "") -> None:
        group = _GROUP.get(kind, kind)
        for variant in term_variants(written):
            # a verb's first word takes only و ف; the words after it (أعاد التأكيد) any clitic
            pids = tuple(self._pattern(w, m, group, kind == "verb" and n == 0)
                         for n, (w, m) in enumerate(parse_term(variant)))
            tid = len(self.terms)
            self.terms.append(Term(kind, key, f"{rule_kind}:{written}", pids, written, role, gentilic,
                                   verb, tense))
            self.by_first[pids[0]].append(tid)
            if len(pids) == 1:
                self._single.add(pids[0])

    def _compile(self) -> None:
        cb = self.codebook
        for t in cb.topics:
            for term in t.terms:
                self._add("topic", t.key, "term", term)
            for term in t.exclude:
                self._add("topic_x", t.key, "exclude", term)
            for term in t.context:
                self._add("topic_c", t.key, "context", term)
        for a in cb.actors:
            for name in a.names:
                gentilic = a.type == "state" and len(name.split()) == 1 and name.endswith("+")
                self._add("actor", a.id, "alias", name, gentilic=gentilic)
            for role in a.roles:
                for title in role.titles:
                    self._add("actor", a.id, "role", title, role=role)
            for term in a.exclude:
                self._add("actor_x", a.id, "exclude", term)
        for s in cb.statement_types:
            for cue in s.cues:
                self._add("cue", s.key, "cue", cue)
        for v in cb.verbs:
            for form, tense in zip(v.forms, v.tenses or [""] * len(v.forms), strict=True):
                self._add("verb", v.type, "verb", form, verb=v, tense=tense)
        for kind, name in _WORD_LISTS:
            for w in getattr(cb, name):
                self._add(kind, "", kind, w)
        # What find() reports. One-word function words (stop, opener, title, …) are looked
        # up in the token's patterns where attribution needs them, not reported as matches.
        self._first_entries = {}
        for pid, tids in self.by_first.items():
            entries = tuple((tid, self.terms[tid].pids[1:]) for tid in tids
                            if len(self.terms[tid].pids) > 1 or self.terms[tid].kind in _REPORTED)
            if entries:
                self._first_entries[pid] = entries
        kinds: dict[int, set[str]] = defaultdict(set)
        for t in self.terms:
            if len(t.pids) == 1:
                kinds[t.pids[0]].add(t.kind)
        self._single_kinds = {pid: frozenset(k) for pid, k in kinds.items()}
        # a stem matches a pattern only when it begins with it: with its first three letters
        # (or all of a two-letter pattern)
        stems = [stem for table in (self._exact, self._inflected, self._prefix) for stem in table]
        self._heads = frozenset(stem[:3] for stem in stems)

    # analyse ---------------------------------------------------------------------------

    @property
    def forms_analysed(self) -> int:
        """How many distinct word forms have been analysed so far."""
        return len(self._form_cache)

    def _clitic_ends(self, form: str) -> tuple[int, ...]:
        """Each ``n`` (ascending, at most _MAX_PROCLITIC) with ``form[:n]`` a proclitic or
        nothing (cached by the form's first letters)."""
        head = form[:_MAX_PROCLITIC]
        ends = self._clitic_cache.get(head)
        if ends is None:
            ends = self._clitic_cache[head] = tuple(n for n in range(len(head) + 1)
                                                    if head[:n] in _PROCLITIC_SET)
        return ends

    def analyse(self, form: str) -> Patterns:
        """Pattern ids a normalised word form matches, each with the clitic length used.

        Parameters
        ----------
        form : str
            A normalised word.

        Returns
        -------
        dict
            pattern id → number of proclitic letters taken off. Among one-word terms of
            one kind, only the readings with the fewest letters taken off are kept.
        """
        cached = self._form_cache.get(form)
        if cached is not None:
            return cached
        found: dict[int, int] = {}
        best: dict[str, int] = {}
        heads = self._heads
        # a proclitic must leave a stem of _MIN_STEM letters; a shorter word (a digit, as
        # in "مينسك 2") can still be a word of a phrase, with nothing taken off
        limit = max(0, min(len(form) - _MIN_STEM, _MAX_PROCLITIC))
        for n in self._clitic_ends(form):
            if n > limit:
                break
            clitic = form[:n]  # at most one proclitic of each length can fit, shortest first
            stem = form[n:]
            if stem[:3] not in heads and stem[:2] not in heads:
                continue  # no pattern starts the way this stem does
            hits: list[tuple[int, str, bool]] = list(self._exact.get(stem, ()))
            size = len(stem)
            inflected = self._inflected
            for k in range(min(size - _MIN_STEM, _MAX_INFLECTION) + 1):
                # at most one ending of each length fits, shortest first (the order of _INFLECTIONS)
                if k == 0:
                    hits.extend(inflected.get(stem, ()))
                elif stem[size - k:] in _INFLECTION_SET:
                    hits.extend(inflected.get(stem[: size - k], ()))
            for k in self._prefix_lengths:
                if k > size:
                    break
                hits.extend(self._prefix.get(stem[:k], ()))
            for pid, group, verb in hits:
                if verb and clitic not in _VERB_PROCLITICS:
                    continue
                if pid not in found or n < found[pid]:
                    found[pid] = n
                if pid in self._single and n < best.get(group, 99):
                    best[group] = n
        if not found:
            near = self._near_miss_term(form)
            result = _NO_PATTERNS if near is None else Patterns({near[0]: near[1]})
            if near is not None:
                self._complete(result)
            self._form_cache[form] = result
            return result
        result = Patterns((pid, n) for pid, n in found.items()
                           if pid not in self._single or n == best[self._pid_group[pid]])
        self._complete(result)
        self._form_cache[form] = result
        return result

    # near misses -------------------------------------------------------------------------

    def _near_index(self) -> dict[str, frozenset[tuple[str, str]]]:
        """Words one slip away from a one-word person name of five letters or more →
        ``(name, actor id)`` of each such name."""
        if self._near is None:
            index: dict[str, set[tuple[str, str]]] = defaultdict(set)
            for a in self.codebook.actors:
                if a.type != "person":
                    continue
                for name in a.names:
                    if " " in name or name[-1] in "+*":
                        continue
                    norm = _text.normalize(name).text
                    if len(norm) < _NEAR_MIN:
                        continue
                    for word in _slips(norm):
                        index[word].add((norm, a.id))
            self._near = {word: frozenset(hits) for word, hits in index.items()}
        return self._near

    def _near_miss_term(self, form: str) -> tuple[int, int] | None:
        """A term for a word one slip away from a person's name (بادين for بايدن), or None.

        The slip is two neighbouring letters swapped, a long vowel (ا و ي) left out or added
        inside the word, or one letter written for a similar one (ت ط، س ص، ك ق …). The word gets a pattern
        of its own, reported as an actor with the rule ``fuzzy:<name>``.
        """
        index = self._near_index()
        if not index:
            return None
        for n in self._clitic_ends(form):
            if n > len(form) - _NEAR_MIN:
                break
            found = index.get(form[n:])
            if found is not None and len({actor for _, actor in found}) == 1:
                name, actor = min(found)
                pid = len(self._pid_group)
                self._pid_group.append("actor")
                self._single.add(pid)
                tid = len(self.terms)
                self.terms.append(Term("actor", actor, f"fuzzy:{name}", (pid,), name))
                self.by_first[pid].append(tid)
                self._first_entries[pid] = ((tid, ()),)
                self._single_kinds[pid] = frozenset({"actor"})
                return pid, n
        return self._near_miss_in_name(form)

    def _near_word_index(self) -> dict[str, frozenset[tuple[int, int]]]:
        """Words one slip (or one dot) away from a word (four letters or more) of an actor's
        name of several words → ``(term id, position in the name)`` of each such word."""
        if self._near_words is None:
            stems = {pid: key[0] for key, pid in self._patterns.items() if key[1] in ("exact", "inflected")}
            index: dict[str, set[tuple[int, int]]] = defaultdict(set)
            for tid, term in enumerate(self.terms):
                if term.kind != "actor" or len(term.pids) < 2 or not term.rule.startswith("alias:"):
                    continue
                for k, pid in enumerate(term.pids):
                    word = stems.get(pid, "")
                    if len(word) >= _NEAR_WORD_MIN:
                        for near in _slips(word, dots=True):
                            index[near].add((tid, k))
            self._near_words = {near: frozenset(hits) for near, hits in index.items()}
        return self._near_words

    def _near_miss_in_name(self, form: str) -> tuple[int, int] | None:
        """A word one slip (or one dot) away from a word of one actor's name of several
        words: each such name with this word in its place becomes a term of its own, rule
        ``fuzzy:<name>``; its other words must be as written."""
        index = self._near_word_index()
        for n in self._clitic_ends(form):
            if n > len(form) - _NEAR_WORD_MIN:
                break
            found = index.get(form[n:], ())
            if len({self.terms[tid].key for tid, _ in found}) != 1:
                continue
            pid = len(self._pid_group)
            self._pid_group.append("actor")
            first = set()
            for tid, k in sorted(found):
                old = self.terms[tid]
                pids = old.pids[:k] + (pid,) + old.pids[k + 1:]
                new = len(self.terms)
                self.terms.append(Term(old.kind, old.key, f"fuzzy:{old.written}", pids, old.written))
                self.by_first[pids[0]].append(new)
                self._first_entries[pids[0]] = (*self._first_entries.get(pids[0], ()), (new, pids[1:]))
                first.add(pids[0])
            first.discard(pid)
            if first:  # word forms analysed before now begin one more term
                for cache in (self._form_cache, self._word_cache):
                    for pm in cache.values():
                        if pm is not _NO_PATTERNS and not first.isdisjoint(pm):
                            self._complete(pm)
            return pid, n
        return None

    def _word(self, word: str) -> Patterns:
        """The patterns of a token as written (cached: analysed once per distinct token)."""
        if self.is_word(word):
            found = self.analyse(self.normal_form(word))
        else:
            found = Patterns((pid, 0) for pid in self._punct.get(word, ()))
            self._complete(found)
        self._word_cache[word] = found
        return found

    def _complete(self, pm: Patterns) -> None:
        """Add what find() and has() read to a word form's patterns."""
        pm.starts = tuple(e for pid in pm for e in self._first_entries.get(pid, ()))
        pm.kinds = frozenset(k for pid in pm for k in self._single_kinds.get(pid, ()))
        # for find(): the one-word terms, and the longer ones by the pattern of their second
        # word, each with its place in ``starts`` (the order find() reports them in)
        pm.singles = tuple((pos, tid) for pos, (tid, rest) in enumerate(pm.starts) if not rest)
        by_next: dict[int, list[tuple[int, int, tuple[int, ...]]]] = {}
        for pos, (tid, rest) in enumerate(pm.starts):
            if rest:
                by_next.setdefault(rest[0], []).append((pos, tid, rest[1:]))
        pm.by_next = by_next

    def token_patterns(self, words: Sequence[str]) -> list[Patterns]:
        """For each token (as written), the pattern ids it matches (see :meth:`analyse`)."""
        cache = self._word_cache
        try:
            return list(map(cache.__getitem__, words))  # C-level when every form is known
        except KeyError:
            pass
        for w in [w for w in dict.fromkeys(words) if w not in cache]:  # new forms, in the order
            self._word(w)  # they first occur
        return list(map(cache.__getitem__, words))

    def find(self, pats: list[Patterns], *, breaks: set[int] | frozenset[int] = frozenset(),
             quotes: set[int] | frozenset[int] = frozenset()) -> list[tuple[int, int, int]]:
        """All term matches in a token sequence: ``(term id, i, j)`` for tokens ``[i, j)``.

        Parameters
        ----------
        pats : list
            :meth:`token_patterns` of the tokens.
        breaks : set of int, optional
            Tokens that begin a sentence: a phrase never runs across one.
        quotes : set of int, optional
            Tokens that are quotation marks: a phrase may have them between its words
            (اتفاق "مينسك"), and then spans them.

        Returns
        -------
        list of tuple
            ``(term id, i, j)`` in token order.
        """
        out = []
        n = len(pats)
        for i in compress(range(n), map(_STARTS, pats)):  # the tokens that begin a term
            pm = pats[i]
            by_next = pm.by_next
            if by_next:
                k = i + 1
                while k < n and k in quotes and k not in breaks:
                    k += 1
                if k < n and k not in breaks:
                    found = [(pos, tid, i + 1) for pos, tid in pm.singles]
                    for pid in pats[k]:  # the terms whose second word this token is
                        for pos, tid, rest in by_next.get(pid, ()):
                            j = self._phrase_end(pats, k + 1, rest, breaks, quotes)
                            if j is not None:
                                found.append((pos, tid, j))
                    found.sort()
                    out += [(tid, i, j) for _, tid, j in found]
                    continue
            out += [(tid, i, i + 1) for _, tid in pm.singles]
        return out

    @staticmethod
    def _phrase_end(pats: list[Patterns], k: int, rest: tuple[int, ...], breaks, quotes) -> int | None:
        """Where a phrase ends whose words after ``k - 1`` have patterns ``rest`` (None: it
        does not go on here)."""
        n = len(pats)
        for p in rest:
            while k < n and k in quotes and k not in breaks:
                k += 1
            if k >= n or p not in pats[k] or k in breaks:
                return None
            k += 1
        return k

    def has(self, pm: dict[int, int], kind: str) -> bool:
        """Whether a token with patterns ``pm`` is a one-word term of ``kind``."""
        return kind in pm.kinds


# --- per document -------------------------------------------------------------------------


def longest_first(matches: list[Match]) -> list[Match]:
    """Keep non-overlapping matches, longer spans first, then earlier ones."""
    taken: set[int] = set()
    kept = []
    for m in sorted(matches, key=lambda m: (m.i - m.j, m.i)):
        if m.j - m.i == 1:
            if m.i in taken:
                continue
            taken.add(m.i)
        else:
            span = range(m.i, m.j)
            if not taken.isdisjoint(span):
                continue
            taken.update(span)
        kept.append(m)
    kept.sort(key=lambda m: m.i)
    return kept


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
        words, starts, ends = _text.token_lists(doc.text)
        d = DocMatches(doc, words, starts, ends, self.m.token_patterns(words))
        d.is_word = list(map(self.m.is_word, words))
        # the sentence of every token (every token lies inside a sentence)
        tok_sentence = [0] * len(words)
        for n, s in enumerate(doc.sentences):
            lo = bisect.bisect_left(starts, s.start)
            hi = bisect.bisect_left(starts, s.end, lo)
            d.bounds.append((lo, hi))
            tok_sentence[lo:hi] = [n] * (hi - lo)
        d.tok_sentence = tok_sentence
        terms = self.m.terms
        quotes = {bisect.bisect_left(starts, q.start()) for q in _QUOTE_RE.finditer(doc.text)}
        for tid, i, j in self.m.find(d.pats, breaks={lo for lo, _ in d.bounds}, quotes=quotes):
            term = terms[tid]
            d.hits[term.kind].append((tid, i, j))
            if term.kind in ("verb", "source"):
                d.reporting_at[i].append((term.kind, term, j))
        d.reporting_pos = sorted(d.reporting_at)
        # a cue: a statement type's cue, or a verb that has a type (مضيفا ... محذرا)
        typed = [(t, i) for t, i, _ in d.hits["cue"]] + [(t, i) for t, i, _ in d.hits["verb"] if terms[t].key]
        for i, key, written in sorted((i, terms[t].key, terms[t].written) for t, i in typed):
            d.cues_at.append(i)
            d.cue_keys.append(key)
            d.cue_words.append(written)
        return d

    def has_at(self, d: DocMatches, i: int, kind: str) -> bool:
        """Whether token ``i`` starts a one-word term of ``kind``."""
        return 0 <= i < len(d.pats) and self.m.has(d.pats[i], kind)

    def topics(self, d: DocMatches) -> list[Match]:
        """The document's topic matches, exclusions applied, longest first; context terms
        where the article raises their topic by its own terms in enough sentences."""
        terms = self.m.terms
        excl = [(terms[t].key, i, j) for t, i, j in d.hits["topic_x"]]
        starts, ends = d.starts, d.ends
        cands = []
        for tid, i, j in d.hits["topic"]:
            term = terms[tid]
            if excl and any(k == term.key and a <= i and j <= b for k, a, b in excl):
                continue
            cands.append(Match("topic", term.key, term.rule, i, j, starts[i], ends[j - 1]))
        if d.hits["topic_c"]:
            raised: dict[str, set[int]] = defaultdict(set)
            for m in cands:
                raised[m.key].add(d.tok_sentence[m.i])
            for tid, i, j in d.hits["topic_c"]:
                term = terms[tid]
                if len(raised.get(term.key, ())) >= CONTEXT_SENTENCES:
                    cands.append(Match("topic", term.key, term.rule, i, j, starts[i], ends[j - 1],
                                       CONTEXT_TERM_CONFIDENCE))
        return longest_first(cands)

    def actors(self, d: DocMatches) -> list[Match]:
        """The document's actor matches: exclusions, dated and undated roles, titles."""
        date = d.doc.date
        terms_all = self.m.terms
        starts, ends = d.starts, d.ends
        excl = [(terms_all[t].key, i, j) for t, i, j in d.hits["actor_x"]]
        cands: list[tuple[Match, Term]] = []
        roles_undated: dict[tuple[int, int], list[Term]] = defaultdict(list)
        for tid, i, j in d.hits["actor"]:
            term = terms_all[tid]
            if excl and any(k == term.key and a <= i and j <= b for k, a, b in excl):
                continue
            if term.role is not None:
                if self.has_at(d, j, "former") or self.has_at(d, i - 1, "title"):
                    continue  # an earlier holder; or another office (نائب وزير الخارجية)
                if date is None:
                    roles_undated[(i, j)].append(term)
                    continue
                if not term.role.applies(date):
                    continue
                rule = f"{term.rule}@{term.role.period}"
                cands.append((Match("actor", term.key, rule, i, j, starts[i], ends[j - 1]), term))
            else:
                confidence = NEAR_MISS_CONFIDENCE if term.rule.startswith("fuzzy:") else 1.0
                cands.append((Match("actor", term.key, term.rule, i, j, starts[i], ends[j - 1], confidence),
                              term))
        if roles_undated:
            cands += self._undated_roles(d, cands, roles_undated)
        terms_of = {id(mt): term for mt, term in cands}
        kept = longest_first([mt for mt, _ in cands])
        # a state gentilic inside a person's title is not the state
        person_starts = {m.i for m in kept if self.actor_type[m.key] == "person"}
        words = d.words
        dropped_ends: set[int] = set()
        out = []
        for m in kept:
            term = terms_of[id(m)]
            if term.gentilic:
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
        for mt, _term in cands:
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
            out.append((Match("actor", choice, rule, i, j, starts[i], ends[j - 1], confidence), term))
        return out

    # attribution -----------------------------------------------------------------------
