"""The codebook compiled to patterns, and word forms analysed against them (the first
half of :mod:`workbench.matching`, whose docstring says how matching decides).

Every distinct word form of a corpus is normalised and analysed once: its proclitics taken
off, its stem looked up exactly, with an inflection ending or as a prefix, or as a near miss
of a name. New forms are learnt a document at a time: one translation normalises them all,
one C-level pattern (:class:`~workbench.form_filter.FormFilter`) sets aside those nothing
can match, and only the rest are analysed in Python.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from itertools import compress, repeat
from operator import attrgetter, is_
from typing import NamedTuple

from . import text as _text
from .codebook import Codebook, Role, Verb, parse_term, term_variants
from .form_filter import FormFilter
from .slips import slips as _slips

__all__ = ["Matcher", "Term", "Patterns", "REPORTING_KINDS", "cue_entry"]

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
_STARTS = attrgetter("starts")
#: Kinds of term that report a statement (a verb, a source cue): scan() indexes them by token.
REPORTING_KINDS = frozenset({"verb", "source"})


class Patterns(dict):
    """Pattern id → proclitic letters taken off, for one word form; ``starts`` lists the
    reported terms (term id, their other pattern ids) that begin with one of them."""

    __slots__ = ("starts", "kinds", "singles", "by_next", "routes", "reports", "cues", "word", "follow")


#: The patterns of the many word forms that match nothing (one shared, empty object).
_NO_PATTERNS = Patterns()
_NO_PATTERNS.starts = ()
_NO_PATTERNS.kinds = frozenset()
_NO_PATTERNS.singles = ()
_NO_PATTERNS.by_next = {}
_NO_PATTERNS.routes = _NO_PATTERNS.reports = _NO_PATTERNS.cues = ()
_NO_PATTERNS.follow = frozenset()
_NO_PATTERNS.word = True  # whether the token is a word (has a letter or digit), not punctuation
#: What the word cache answers for a token not analysed yet (see _WordCache).
_PENDING = Patterns()


class _NormalForms(dict):
    """Word as written → its normalised form, made when first asked for."""

    __slots__ = ()

    def __missing__(self, word: str) -> str:
        form = self[word] = _text.normalized_text(word)
        return form


class _WordCache(dict):
    """Token as written → its patterns; a token not seen before answers ``_PENDING`` and
    is listed in ``missing`` (in the order met), so a look-up of many tokens stays in C."""

    __slots__ = ("missing",)

    def __missing__(self, token: str) -> Patterns:
        self.missing.append(token)
        return _PENDING


class _WordTests(dict):
    """Token → whether it is a word (has a letter or digit), made when first asked for."""

    __slots__ = ()

    def __missing__(self, token: str) -> bool:
        known = self[token] = _ALNUM.search(token) is not None
        return known


#: A letter or digit (what str.isalnum() says of a character: a word character but "_").
_ALNUM = re.compile(r"[^\W_]")


def cue_entry(term: Term) -> tuple[str, str] | None:
    """``(statement type, term as written)`` of a statement cue or of a reporting verb that
    has a type (مضيفا ... محذرا); None for any other term."""
    if term.kind == "cue" or (term.kind == "verb" and term.key):
        return term.key, term.written
    return None


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
        self._word_cache = _WordCache()  # word as written -> its patterns
        self._word_cache.missing = []
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
        #: first words of names of several words (a near miss of a later word makes a term
        #: that begins with them), and the word forms analysed so far that hold each
        self._name_firsts = frozenset(t.pids[0] for t in self.terms if t.kind == "actor"
                                      and len(t.pids) > 1 and t.rule.startswith("alias:"))
        self._holding: dict[int, dict[int, Patterns]] = defaultdict(dict)
        self._made: dict[tuple[int, ...], tuple] = {}  # pattern ids -> what _complete adds
        near = set(self._near_index()) | set(self._near_word_index())
        self._filter = FormFilter(_PROCLITICS, exact=self._exact, inflected=self._inflected,
                                  endings=_INFLECTIONS, prefix=self._prefix, near=near)

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
                result.word = True
                self._complete(result)
            self._form_cache[form] = result
            return result
        result = Patterns((pid, n) for pid, n in found.items()
                           if pid not in self._single or n == best[self._pid_group[pid]])
        result.word = True
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
            if first:  # what _complete made for these patterns has one term more
                self._made = {pids: made for pids, made in self._made.items() if first.isdisjoint(pids)}
                # and the word forms analysed before now that hold them begin one more term
                holding = {id(pm): pm for p in first for pm in self._holding.get(p, {}).values()}
                for pm in holding.values():
                    self._complete(pm)
            return pid, n
        return None

    def _word(self, word: str) -> Patterns:
        """The patterns of a token as written (cached: analysed once per distinct token)."""
        if self.is_word(word):
            found = self.analyse(self.normal_form(word))
        else:
            found = Patterns((pid, 0) for pid in self._punct.get(word, ()))
            found.word = False
            self._complete(found)
        self._word_cache[word] = found
        return found

    def _complete(self, pm: Patterns) -> None:
        """Add what find() and has() read to a word form's patterns (the same for every form
        with the same pattern ids: made once for them, again when a near miss adds terms)."""
        for pid in self._name_firsts.intersection(pm):
            self._holding[pid][id(pm)] = pm
        pids = tuple(pm)
        made = self._made.get(pids)
        if made is None:
            made = self._made[pids] = self._facts_of(pids)
        pm.starts, pm.kinds, pm.singles, pm.by_next, pm.routes, pm.reports, pm.cues, pm.follow = made

    def _facts_of(self, pids: tuple[int, ...]) -> tuple:
        starts = tuple(e for pid in pids for e in self._first_entries.get(pid, ()))
        kinds = frozenset(k for pid in pids for k in self._single_kinds.get(pid, ()))
        # for find(): the one-word terms, and the longer ones by the pattern of their second
        # word, each with its place in ``starts`` (the order find() reports them in)
        singles = tuple((pos, tid) for pos, (tid, rest) in enumerate(starts) if not rest)
        by_next: dict[int, list[tuple[int, int, tuple[int, ...]]]] = {}
        for pos, (tid, rest) in enumerate(starts):
            if rest:
                by_next.setdefault(rest[0], []).append((pos, tid, rest[1:]))
        # where scan() files the one-word terms: (kind, term id) of each, (kind, term) of those
        # that report a statement, (statement type, term as written) of the cues
        ones = [self.terms[tid] for _, tid in singles]
        routes = tuple((t.kind, tid) for t, (_, tid) in zip(ones, singles, strict=True))
        reports = tuple((t.kind, t) for t in ones if t.kind in REPORTING_KINDS)
        cues = tuple(e for t in ones if (e := cue_entry(t)) is not None)
        # the patterns a phrase that begins here may go on with (one look tells most tokens)
        return starts, kinds, singles, by_next, routes, reports, cues, frozenset(by_next)

    def token_patterns(self, words: Sequence[str]) -> list[Patterns]:
        """For each token (as written), the pattern ids it matches (see :meth:`analyse`)."""
        cache = self._word_cache
        pats = list(map(cache.__getitem__, words))  # C-level; new tokens answer _PENDING
        if cache.missing:
            new = list(dict.fromkeys(cache.missing))  # in the order they first occur
            cache.missing.clear()
            self._learn(new)
            for k in compress(range(len(pats)), map(is_, pats, repeat(_PENDING))):
                pats[k] = cache[words[k]]
        return pats

    def _learn(self, new: list[str]) -> None:
        """Analyse tokens not seen before (in the order they first occur), at once: their
        normal forms in one translation, the forms nothing can match set aside by one
        C-level test (:class:`FormFilter`), the others analysed in the order of their tokens
        (a near miss adds a term: the order keeps the terms' order)."""
        is_word = self._is_word
        texts = [w for w in new if is_word[w]]
        if len(texts) < len(new):
            for w in set(new).difference(texts):
                self._word(w)  # punctuation
        if not texts:
            return
        # one translation for all: no token holds a line break, and none is made by normalising
        forms = _text.normalized_text("\n".join(texts)).split("\n")
        self._norm_cache.update(zip(texts, forms, strict=True))
        fresh = set(forms).difference(self._form_cache)
        if fresh:
            maybe = self._filter.candidates(fresh)
            self._form_cache.update(dict.fromkeys(fresh.difference(maybe), _NO_PATTERNS))
            for f in dict.fromkeys(f for f in forms if f in maybe):
                self.analyse(f)
        self._word_cache.update(zip(texts, map(self._form_cache.__getitem__, forms), strict=True))

    def may_match(self, form: str) -> bool:
        """Whether a normalised form may match anything (:class:`FormFilter`); False means
        :meth:`analyse` finds nothing in it."""
        return self._filter.may_match(form)

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
        for i in compress(range(len(pats)), map(_STARTS, pats)):  # the tokens that begin a term
            pm = pats[i]
            found = self.phrases_at(pats, i, breaks, quotes) if pm.by_next else None
            if found is None:
                out += [(tid, i, i + 1) for _, tid in pm.singles]
            else:
                out += [(tid, i, j) for _, tid, j in found]
        return out

    def phrases_at(self, pats: list[Patterns], i: int, breaks, quotes) -> list[tuple[int, int, int]] | None:
        """The terms that begin at token ``i`` when a phrase is among them: ``(place in the
        token's starts, term id, end)`` in that order; None when no phrase goes on there
        (then only the token's one-word terms begin there)."""
        n = len(pats)
        k = i + 1
        while k < n and k in quotes and k not in breaks:
            k += 1
        if k >= n or k in breaks:
            return None
        by_next = pats[i].by_next
        following = pats[k]
        if by_next.keys().isdisjoint(following):
            return None
        found = [(pos, tid, i + 1) for pos, tid in pats[i].singles]
        for pid in following:  # the terms whose second word this token is
            for pos, tid, rest in by_next.get(pid, ()):
                j = self._phrase_end(pats, k + 1, rest, breaks, quotes)
                if j is not None:
                    found.append((pos, tid, j))
        found.sort()
        return found

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
