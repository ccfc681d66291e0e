"""The codebook's terms as the benchmark sees them, without the workbench's matcher.

The generator plants these terms and states the truth about them; the peers are built
from them. Everything here reads ``workbench/data/codebook.toml`` directly and uses its
own small letter folding, so that the truth does not depend on the engine it measures.

Words are compared *folded*: diacritics and tatweel removed, ``أ إ آ ٱ`` → ``ا``,
``ى`` → ``ي``, ``ة`` → ``ه``, and a plain written article ``ال`` taken off (``أل``/``إل``
begin the word itself: ``ألمانيا``). A ``+`` word also takes an inflection ending, a ``*``
word any continuation (the codebook header's rules).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

__all__ = [
    "CODEBOOK",
    "ON",
    "Labels",
    "Term",
    "Lexicon",
    "fold",
    "strip_marks",
    "key_form",
    "lexicon",
    "word_keys",
    "word_reads",
    "nested_items",
    "INFLECTIONS",
    "PROCLITICS",
]

CODEBOOK = Path(__file__).resolve().parent.parent / "workbench" / "data" / "codebook.toml"
#: The week the generated documents are dated in (1–7 December 2021): no role title of
#: the default codebook changes hands in it, so titles resolve the same on every day.
ON = dt.date(2021, 12, 4)

Labels = frozenset  # of (kind, key), kind "topic" or "actor"

DIACRITICS = "".join(chr(c) for c in range(0x064B, 0x0653)) + "\u0670"
TATWEEL = "\u0640"
_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", **{ch: None for ch in DIACRITICS + TATWEEL}}
)
_MARKS = str.maketrans({ch: None for ch in DIACRITICS + TATWEEL})
#: Inflection endings of a ``+`` word (folded: ة → ه), longest first.
INFLECTIONS = ("تين", "تان", "ين", "ون", "ات", "ان", "ه", "ا")
#: Proclitic letters a word may carry (folded), longest first: conjunction, preposition,
#: article, and their combinations (ل + ال is written لل).
PROCLITICS = tuple(
    sorted(
        {c + p + a for c in ("", "و", "ف") for p in ("", "ب", "ك", "ل") for a in ("", "ال")}
        | {c + "لل" for c in ("", "و", "ف")},
        key=len,
        reverse=True,
    )
)


def strip_marks(word: str) -> str:
    """``word`` without diacritics and tatweel."""
    return word.translate(_MARKS)


def fold(word: str) -> str:
    """``word`` with diacritics and tatweel removed and alef, ya and teh marbuta folded."""
    return word.translate(_FOLD)


@cache
def key_form(word: str) -> str:
    """The folded form a codebook word is compared in: a written plain ``ال`` taken off."""
    plain = strip_marks(word)
    f = fold(plain)
    if plain.startswith("ال") and len(f) >= 4:
        return f[2:]
    return f


@dataclass(frozen=True)
class Term:
    """One codebook term (a topic term, actor alias or role title).

    ``words`` are the words as written without markers, ``modes`` their match mode
    (``exact``, ``inflected`` for ``+``, ``prefix`` for ``*``); ``labels`` the
    ``(kind, key)`` pairs the term stands for; ``role`` whether it is a role title,
    ``gentilic`` whether it is a state's one-word inflected alias (روسي+).
    """

    written: str
    words: tuple[str, ...]
    modes: tuple[str, ...]
    labels: Labels
    role: bool = False
    gentilic: bool = False

    @property
    def plain(self) -> str:
        return " ".join(self.words)

    def kinds(self) -> set[str]:
        return {k for k, _ in self.labels}

    def keys_of(self, kind: str) -> frozenset:
        return frozenset(lab for lab in self.labels if lab[0] == kind)


def _in_force(role: dict, on: dt.date) -> bool:
    start, end = role.get("from"), role.get("to")
    return (start is None or start <= on) and (end is None or on < end)


def _split(term: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    words, modes = [], []
    for w in term.split():
        mode = {"+": "inflected", "*": "prefix"}.get(w[-1], "exact")
        words.append(w.rstrip("+*"))
        modes.append(mode)
    return tuple(words), tuple(modes)


@dataclass(eq=False)
class Lexicon:
    """The codebook read for the benchmark.

    Attributes
    ----------
    terms : list of Term
        Every term in force on ``on`` (role titles of other periods left out), one per
        written form, with all the labels that form stands for.
    date_blind : dict
        plain term → labels, role titles standing for every holder they ever had (what a
        dictionary matcher that ignores dates knows).
    exclusions : dict
        plain exclusion phrase → labels it cancels.
    verbs, sources : tuple of str
        Reporting verb forms and source cues (as written).
    title_words, former_words : tuple of str
        The ``[matching]`` words (title words may end in ``*``).
    """

    terms: list[Term]
    date_blind: dict[str, Labels]
    exclusions: dict[str, Labels]
    exclusion_modes: dict[str, tuple[str, ...]]
    verbs: tuple[str, ...]
    sources: tuple[str, ...]
    title_words: tuple[str, ...]
    former_words: tuple[str, ...]
    actor_types: dict[str, str]
    names: dict[str, tuple[str, ...]]  # actor id -> names (name_ar first) as written
    titles: dict[str, tuple[str, ...]]  # actor id -> role titles in force
    earlier: dict[str, tuple[str, ...]]  # role title -> actors who held it before ``on``

    def labels(self) -> dict[str, Labels]:
        """plain term → labels, role titles resolved on the benchmark's week."""
        return {t.plain: t.labels for t in self.terms}

    def reads_as_term_word(self, word: str) -> bool:
        """Whether ``word``, with any proclitic taken off, reads as a word of a codebook term.

        Used to keep the generator's ordinary words clear of the codebook: such a word
        could join a planted term into a longer phrase or be a match of its own.
        """
        return not _words(self).isdisjoint(word_keys(word))

    def starting_with(self, reading: tuple[str, str]) -> list[Term]:
        """Terms whose first word is read by ``reading`` (a ``(mode, key)`` of :func:`word_keys`)."""
        return _by_first(self).get(reading, [])


@cache
def word_keys(word: str) -> frozenset:
    """Every ``(mode, key)`` a word as written reads as.

    The word is folded, any proclitic may be taken off and the article is optional; then
    ``("exact", stem)``, ``("inflected", stem)`` and the stem without an ending, and
    ``("prefix", p)`` for every beginning ``p`` of two letters or more. A codebook word
    ``w`` written with ``mode`` matches the word when ``(mode, key_form(w))`` is among them.
    """
    f = fold(strip_marks(word))
    stems = set()
    for c in PROCLITICS + ("",):
        if f.startswith(c) and len(f) - len(c) >= 2:
            rest = f[len(c) :]
            stems.add(rest)
            if rest.startswith("ال") and len(rest) >= 4:
                stems.add(rest[2:])
    out = set()
    for st in stems:
        out.add(("exact", st))
        out.add(("inflected", st))
        for e in INFLECTIONS:
            if st.endswith(e) and len(st) - len(e) >= 2:
                out.add(("inflected", st[: -len(e)]))
        for k in range(2, len(st) + 1):
            out.add(("prefix", st[:k]))
    return frozenset(out)


def _by_first(lex: Lexicon) -> dict[tuple[str, str], list[Term]]:
    cached = getattr(lex, "_first_cache", None)
    if cached is None:
        cached = defaultdict(list)
        for t in lex.terms:
            cached[(t.modes[0], key_form(t.words[0]))].append(t)
        object.__setattr__(lex, "_first_cache", dict(cached))
    return lex._first_cache


def _words(lex: Lexicon) -> frozenset:
    """``(mode, key)`` of every codebook word: terms, exclusions, title and former words,
    role titles of every period, reporting verbs and source cues."""
    cached = getattr(lex, "_words_cache", None)
    if cached is not None:
        return cached
    table = set()
    for t in lex.terms:
        table.update(zip(t.modes, map(key_form, t.words), strict=True))
    for phrase, modes in lex.exclusion_modes.items():
        table.update(zip(modes, map(key_form, phrase.split()), strict=True))
    for w in lex.title_words + lex.former_words:
        table.add(("prefix" if w.endswith("*") else "exact", key_form(w.rstrip("*"))))
    for w in [*lex.date_blind, *lex.verbs, *lex.sources]:
        table.update(("exact", key_form(part)) for part in w.split())
    # a number inside a name (القناة 12 العبرية) reads only with the name's words around it
    out = frozenset((m, k) for m, k in table if len(k) >= 2 and not k.isdigit())
    object.__setattr__(lex, "_words_cache", out)
    return out


@lru_cache(maxsize=4)
def lexicon(path: str = str(CODEBOOK), on: dt.date = ON) -> Lexicon:
    """Read the codebook at ``path`` for the benchmark (cached)."""
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    labels: dict[str, set] = defaultdict(set)
    blind: dict[str, set] = defaultdict(set)
    modes: dict[str, tuple[str, ...]] = {}
    role_terms: set[str] = set()
    gentilic_terms: set[str] = set()
    excl: dict[str, set] = defaultdict(set)
    excl_modes: dict[str, tuple[str, ...]] = {}
    names: dict[str, tuple[str, ...]] = {}
    titles: dict[str, list[str]] = defaultdict(list)
    earlier: dict[str, list[str]] = defaultdict(list)

    def add(written: str, lab: tuple[str, str], *, dated: bool = True) -> str:
        words, ms = _split(written)
        plain = " ".join(words)
        modes[plain] = ms
        blind[plain].add(lab)
        if dated:
            labels[plain].add(lab)
        return plain

    for topic in data.get("topics", []):
        for term in topic.get("terms", []):
            add(term, ("topic", topic["key"]))
        for term in topic.get("exclude", []):
            words, ms = _split(term)
            excl[" ".join(words)].add(("topic", topic["key"]))
            excl_modes[" ".join(words)] = ms
    actor_types = {}
    for actor in data.get("actors", []):
        aid = actor["id"]
        actor_types[aid] = actor.get("type", "")
        written = [n for n in [actor.get("name_ar", "")] + list(actor.get("aliases", [])) if n]
        names[aid] = tuple(" ".join(_split(n)[0]) for n in written)
        for name in written:
            plain = add(name, ("actor", aid))
            if actor.get("type") == "state" and len(name.split()) == 1 and name.endswith("+"):
                gentilic_terms.add(plain)
        for role in actor.get("roles", []):
            live = _in_force(role, on)
            for title in role.get("titles", []):
                plain = add(title, ("actor", aid), dated=live)
                role_terms.add(plain)
                if live:
                    titles[aid].append(plain)
                elif role.get("to") is not None and role["to"] <= on:
                    earlier[plain].append(aid)
        for term in actor.get("exclude", []):
            words, ms = _split(term)
            excl[" ".join(words)].add(("actor", aid))
            excl_modes[" ".join(words)] = ms
    terms = [
        Term(p, p.split(), modes[p], frozenset(v), p in role_terms, p in gentilic_terms)
        for p, v in sorted(labels.items())
    ]
    terms = [Term(t.written, tuple(t.words), t.modes, t.labels, t.role, t.gentilic) for t in terms]
    att = data.get("attribution", {})
    match = data.get("matching", {})
    return Lexicon(
        terms=terms,
        date_blind={p: frozenset(v) for p, v in blind.items()},
        exclusions={p: frozenset(v) for p, v in excl.items()},
        exclusion_modes=excl_modes,
        verbs=tuple(f for v in data.get("verbs", []) for f in v.get("forms", [])),
        sources=tuple(att.get("source_cues", [])),
        title_words=tuple(match.get("title_words", [])),
        former_words=tuple(match.get("former_words", [])),
        actor_types=actor_types,
        names=names,
        titles={k: tuple(dict.fromkeys(v)) for k, v in titles.items()},
        earlier={k: tuple(dict.fromkeys(v)) for k, v in earlier.items()},
    )


# --- the truth inside a phrase ----------------------------------------------------------------


def word_reads(text_word: str, term_word: str, mode: str) -> bool:
    """Whether a word as written reads as a codebook word (any proclitic, article optional)."""
    return (mode, key_form(term_word)) in word_keys(text_word)


def _title_word(lex: Lexicon, word: str) -> bool:
    return any(
        word_reads(word, t.rstrip("*"), "prefix" if t.endswith("*") else "exact") for t in lex.title_words
    )


def nested_items(
    lex: Lexicon, words: Sequence[str], own: frozenset = frozenset(), cancelled: frozenset = frozenset()
) -> list[tuple[int, int, frozenset]]:
    """The truth inside a phrase: ``(i, j, labels)`` for its words ``[i, j)`` (cached).

    ``own`` are the labels of the phrase itself (it counts whole for their kinds);
    ``cancelled`` labels that may not appear (an exclusion's). Other kinds come from the
    longest terms inside the phrase, a gentilic right after a title word or right before
    a person's name left out, a role title followed by a "former" word left out.
    """
    return list(_nested(lex, tuple(words), frozenset(own), frozenset(cancelled)))


@lru_cache(maxsize=200_000)
def _nested(
    lex: Lexicon, words: tuple[str, ...], own: frozenset, cancelled: frozenset
) -> tuple[tuple[int, int, frozenset], ...]:
    n = len(words)
    out: list[tuple[int, int, frozenset]] = []
    for kind in ("topic", "actor"):
        mine = frozenset(lab for lab in own if lab[0] == kind)
        if mine:
            out.append((0, n, mine))
            continue
        cands: dict[tuple[int, int], set] = {}
        for a in range(n):
            for reading in word_keys(words[a]):
                for t in lex.starting_with(reading):
                    labs = t.keys_of(kind) - cancelled
                    m = len(t.words)
                    if (
                        not labs
                        or a + m > n
                        or not all(word_reads(words[a + k], t.words[k], t.modes[k]) for k in range(1, m))
                    ):
                        continue
                    if (
                        kind == "actor"
                        and t.gentilic
                        and ((a and _title_word(lex, words[a - 1])) or _before_person(lex, words, a + 1))
                    ):
                        continue
                    if (
                        kind == "actor"
                        and t.role
                        and a + m < n
                        and any(word_reads(words[a + m], f, "exact") for f in lex.former_words)
                    ):
                        continue  # a title followed by السابق names nobody
                    cands.setdefault((a, a + m), set()).update(labs)
        taken: set[int] = set()
        for (a, b), labs in sorted(cands.items(), key=lambda kv: (kv[0][0] - kv[0][1], kv[0][0])):
            if taken.isdisjoint(range(a, b)):
                taken.update(range(a, b))
                out.append((a, b, frozenset(labs)))
    return tuple(sorted(out))


def _before_person(lex: Lexicon, words: Sequence[str], at: int) -> bool:
    for aid, names in lex.names.items():
        if lex.actor_types.get(aid) != "person":
            continue
        for name in names:
            parts = name.split()
            if at + len(parts) <= len(words) and all(
                word_reads(words[at + k], parts[k], "exact") for k in range(len(parts))
            ):
                return True
    return False
