"""Codebooks: the topics, actors and reporting cues of the automatic annotation.

A codebook is a TOML file analysts can edit without touching code; the default one is
``workbench/data/codebook.toml`` and its header explains how terms are written. Loading
validates everything and reports every problem at once, each with the file, the line and
the key it concerns::

    cb = load_codebook()                    # the default codebook
    cb = load_codebook("my_codebook.toml")  # an edited copy
    cb.topic_keys, cb.actor_ids, cb.hash
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .checks import check_choice, choice_problem

__all__ = [
    "CodebookError",
    "UnknownKeyError",
    "Topic",
    "Role",
    "Actor",
    "StatementType",
    "Verb",
    "Codebook",
    "load_codebook",
    "parse_term",
    "DEFAULT_CODEBOOK",
    "ACTOR_TYPES",
    "TERM_MARKERS",
]

#: The default codebook shipped with the package.
DEFAULT_CODEBOOK = Path(__file__).parent / "data" / "codebook.toml"

ACTOR_TYPES = {
    "person": "a named person",
    "institution": "an office or ministry (the Kremlin, the White House)",
    "state": "a country, id = ISO 3166-1 alpha-3 in lower case",
    "organisation": "an international organisation (NATO, the EU)",
}
#: A word ending in one of these matches more than itself (see the codebook header).
TERM_MARKERS = {"+": "inflected", "*": "prefix"}
_LABEL_LANGS = {"ar": "label_ar / name_ar", "en": "label_en / name_en"}
_KINDS = {"topic": "topics", "actor": "actors", "statement_type": "statement_types"}

_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
#: A term needs a word this long (letters or digits, normalised): the matcher's shortest
#: word (``_MIN_STEM`` in workbench/matching.py).
_MIN_WORD = 2


class CodebookError(ValueError):
    """A codebook that cannot be used as it is; the message names file, line and key.

    Attributes
    ----------
    path : str
        The codebook file.
    problems : list of tuple
        ``(line, where, message)`` for each problem; ``line`` is ``None`` when it cannot
        be told.
    """

    def __init__(
        self,
        path: str,
        problems: list[tuple[int | None, str, str]],
        advice: str = "Fix the codebook file and load it again.",
    ):
        self.path = path
        self.problems = problems
        lines = []
        for line, where, message in problems:
            loc = f"{path}, line {line}" if line else str(path)
            lines.append(f"{loc}: {where}: {message}" if where else f"{loc}: {message}")
        if len(lines) == 1:
            text = lines[0]
        else:
            text = f"{path}: {len(lines)} problems in the codebook:\n  " + "\n  ".join(lines)
        super().__init__(f"{text}\n{advice}" if advice else text)


class UnknownKeyError(CodebookError, KeyError):
    """A topic key, actor id or statement type that the codebook does not define."""

    def __str__(self) -> str:  # KeyError would quote the whole message
        return self.args[0]


# --- the codebook's parts ---------------------------------------------------------------


@dataclass(frozen=True)
class Topic:
    """A topic: ``terms`` raise it, ``exclude`` phrases cancel a term inside them."""

    key: str
    label_ar: str
    label_en: str
    terms: tuple[str, ...]
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Role:
    """Titles that name an actor between ``start`` (inclusive) and ``end`` (exclusive).

    Dates are ISO strings (``YYYY-MM-DD``); ``None`` leaves that side open.
    """

    titles: tuple[str, ...]
    start: str | None = None
    end: str | None = None

    def applies(self, date: str) -> bool:
        """Whether the role holds on ``date`` (an ISO date string)."""
        return (self.start is None or self.start <= date) and (self.end is None or date < self.end)

    @property
    def period(self) -> str:
        """``"2021-01-20..2025-01-20"``; an open side is left empty (``"2019-05-20.."``)."""
        return f"{self.start or ''}..{self.end or ''}"


@dataclass(frozen=True)
class Actor:
    """A person, institution, state or organisation and the words that name it."""

    id: str
    type: str
    name_ar: str
    name_en: str
    aliases: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    exclude: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """``name_ar`` followed by the aliases (without repeats)."""
        return tuple(dict.fromkeys((self.name_ar, *self.aliases)))


@dataclass(frozen=True)
class StatementType:
    """A kind of statement (concern, support …) and the cue words that signal it."""

    key: str
    label_ar: str
    label_en: str
    cues: tuple[str, ...]


@dataclass(frozen=True)
class Verb:
    """Forms of one reporting verb and the statement type it gives (``""``: none)."""

    forms: tuple[str, ...]
    type: str = ""


@dataclass(frozen=True)
class Codebook:
    """A validated codebook.

    Attributes
    ----------
    path : str
        The file it was loaded from.
    name, version, description : str
        From the ``[codebook]`` table.
    topics, actors, statement_types, verbs : tuple
        In file order; that order is the order of keys in annotation tables.
    source_cues, subject_stops, verb_openers, not_subjects : tuple of str
        Attribution word lists (``[attribution]``).
    subject_window : int
        How many words after a reporting verb its subject may start.
    title_words, former_words : tuple of str
        ``[matching]``: words for a person's office, after which a state gentilic is
        part of the title ("نظيره الأميركي"), and words after a role title that mean an
        earlier holder ("الرئيس الأميركي السابق").
    hash : str
        16 hex digits identifying the content (not the formatting or comments).
    """

    path: str
    name: str
    version: str
    description: str
    topics: tuple[Topic, ...]
    actors: tuple[Actor, ...]
    statement_types: tuple[StatementType, ...] = ()
    verbs: tuple[Verb, ...] = ()
    source_cues: tuple[str, ...] = ()
    subject_stops: tuple[str, ...] = ()
    verb_openers: tuple[str, ...] = ()
    not_subjects: tuple[str, ...] = ()
    subject_window: int = 6
    title_words: tuple[str, ...] = ()
    former_words: tuple[str, ...] = ()
    hash: str = ""
    _index: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._index.update(
            topic={t.key: t for t in self.topics},
            actor={a.id: a for a in self.actors},
            statement_type={s.key: s for s in self.statement_types},
        )

    @property
    def topic_keys(self) -> list[str]:
        """Topic keys in codebook order."""
        return [t.key for t in self.topics]

    @property
    def actor_ids(self) -> list[str]:
        """Actor ids in codebook order."""
        return [a.id for a in self.actors]

    def _lookup(self, kind: str, key: str):
        table = self._index[kind]
        if key in table:
            return table[key]
        close = difflib.get_close_matches(str(key), list(table), n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise UnknownKeyError(
            self.path,
            [(None, "", f"{kind} {key!r} is not in this codebook; known: {', '.join(table)}.{hint}")],
            advice=f"Use one of the known keys, or add {key!r} to the codebook.",
        )

    def topic(self, key: str) -> Topic:
        """The topic with ``key``; :class:`UnknownKeyError` names the known keys."""
        return self._lookup("topic", key)

    def actor(self, actor_id: str) -> Actor:
        """The actor with ``actor_id``; :class:`UnknownKeyError` names the known ids."""
        return self._lookup("actor", actor_id)

    def statement_type(self, key: str) -> StatementType:
        """The statement type with ``key``; :class:`UnknownKeyError` names the known keys."""
        return self._lookup("statement_type", key)

    def labels(self, kind: str, *, lang: str = "en") -> dict[str, str]:
        """Labels by key, for tables and charts.

        Parameters
        ----------
        kind : {"topic", "actor", "statement_type"}
            Which keys.
        lang : {"ar", "en"}, default "en"
            Arabic or English labels (actors: ``name_ar`` / ``name_en``).

        Returns
        -------
        dict
            key → label, in codebook order.
        """
        check_choice("kind", kind, _KINDS)
        check_choice("lang", lang, _LABEL_LANGS)
        items = {"topic": self.topics, "actor": self.actors, "statement_type": self.statement_types}[kind]
        if kind == "actor":
            return {a.id: (a.name_ar if lang == "ar" else a.name_en) for a in items}
        return {i.key: (i.label_ar if lang == "ar" else i.label_en) for i in items}


# --- terms ------------------------------------------------------------------------------


def parse_term(term: str) -> list[tuple[str, str]]:
    """Split a codebook term into words and their match mode.

    Parameters
    ----------
    term : str
        A term as written in the codebook, e.g. ``"اتفاق* مينسك"`` or ``"أوكراني+"``.

    Returns
    -------
    list of tuple
        ``(word, mode)`` with ``mode`` one of ``"exact"``, ``"inflected"`` (``+``),
        ``"prefix"`` (``*``) or ``"punct"`` for a punctuation character that must appear
        as written (``"جان-بيير"``).

    Raises
    ------
    ValueError
        For an empty term, a marker that does not end a word of two letters or more,
        or a term without any word of two letters or digits (punctuation alone, one
        letter): the matcher never matches a word shorter than two letters, so such a
        term would never match, or match everywhere.
    """
    from .text import normalize, tokens

    parts: list[tuple[str, str]] = []
    for chunk in term.split():
        mode = "exact"
        if chunk[-1] in TERM_MARKERS:
            mode = TERM_MARKERS[chunk[-1]]
            chunk = chunk[:-1]
        toks = [t.text for t in tokens(chunk)]
        if not toks:
            raise ValueError(f"a marker {'+' if mode == 'inflected' else '*'} must follow a word")
        for k, tok in enumerate(toks):
            is_word = any(ch.isalnum() for ch in tok)
            if not is_word and tok in TERM_MARKERS:
                raise ValueError(f"the marker {tok!r} may only end a word")
            last = k == len(toks) - 1
            word_mode = mode if last else "exact"
            if not is_word:
                if word_mode != "exact":
                    raise ValueError(f"a marker must follow a word, not {tok!r}")
                parts.append((tok, "punct"))
            else:
                if word_mode != "exact" and len(tok) < 2:
                    raise ValueError(f"the word before a marker needs two letters or more, not {tok!r}")
                parts.append((tok, word_mode))
    if not parts:
        raise ValueError("the term is empty")
    if not any(mode != "punct" and _letters(word, normalize) >= _MIN_WORD for word, mode in parts):
        raise ValueError(
            "the term has no word of two letters or digits, so it can never "
            "match (one letter or punctuation alone is never matched); write the whole word "
            "or phrase, or remove the entry"
        )
    return parts


def _letters(word: str, normalize) -> int:
    """Letters and digits of ``word`` once normalised (marks and tatweel do not count)."""
    return sum(ch.isalnum() for ch in normalize(word).text)


# --- where things are in the file -------------------------------------------------------


class _Locator:
    """Find the line of a table, field or value in the raw TOML text (tomllib has none)."""

    _HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(#.*)?$")

    def __init__(self, raw: str):
        self.lines = raw.split("\n")
        self.headers: list[tuple[int, str, bool]] = []  # (line index, name, is array)
        for i, line in enumerate(self.lines):
            m = self._HEADER.match(line)
            if m:
                self.headers.append((i, m.group(1).replace(" ", ""), line.strip().startswith("[[")))

    def entry(self, name: str, index: int, within: tuple[int, int] | None = None) -> tuple[int, int] | None:
        """Line range (start, end) of the ``index``-th ``[[name]]`` (inside ``within``)."""
        lo, hi = within or (0, len(self.lines))
        found = [h for h in self.headers if h[1] == name and h[2] and lo <= h[0] < hi]
        if index >= len(found):
            return None
        start = found[index][0]
        later = [h[0] for h in self.headers if h[0] > start and not h[1].startswith(name + ".")]
        end = min([l for l in later if l < hi] + [hi])
        return start, end

    def table(self, name: str) -> tuple[int, int] | None:
        """Line range of the single table ``[name]``."""
        for i, (line, hname, is_array) in enumerate(self.headers):
            if hname == name and not is_array:
                end = self.headers[i + 1][0] if i + 1 < len(self.headers) else len(self.lines)
                return line, end
        return None

    def field(self, rng: tuple[int, int] | None, name: str) -> int | None:
        """1-based line of ``name = …`` inside ``rng`` (else of the range's header)."""
        if rng is None:
            return self.anywhere(rf"^\s*{re.escape(name)}\s*=")
        pat = re.compile(rf"^\s*\"?{re.escape(name)}\"?\s*=")
        for i in range(rng[0], rng[1]):
            if pat.match(self.lines[i]):
                return i + 1
        return rng[0] + 1

    def value(self, rng: tuple[int, int] | None, value: str, fallback: int | None) -> int | None:
        """1-based line where the string ``value`` is written inside ``rng``.

        The search starts at ``fallback`` (the line of the field holding the value) when
        it lies inside ``rng``, so a term is not found in a label above its list.
        """
        lo, hi = rng or (0, len(self.lines))
        if fallback is not None and lo < fallback <= hi:
            lo = fallback - 1
        for quoted in (f'"{value}"', f"'{value}'", value):
            for i in range(lo, hi):
                if quoted in self.lines[i]:
                    return i + 1
        return fallback

    def anywhere(self, pattern: str) -> int | None:
        rx = re.compile(pattern)
        for i, line in enumerate(self.lines):
            if rx.search(line):
                return i + 1
        return None


# --- validation -------------------------------------------------------------------------

_TOP = {
    "codebook": "name, version and description of the codebook",
    "topics": "the topics ([[topics]])",
    "actors": "the actors ([[actors]])",
    "statement_types": "kinds of statements ([[statement_types]])",
    "verbs": "reporting verbs ([[verbs]])",
    "attribution": "source cues and subject search ([attribution])",
    "matching": "title and 'former' words for actor matching ([matching])",
}
_FIELDS = {
    "codebook": {"name": str, "version": str, "description": str},
    "topics": {"key": str, "label_ar": str, "label_en": str, "terms": list, "exclude": list},
    "actors": {"id": str, "type": str, "name_ar": str, "name_en": str, "aliases": list,
               "roles": list, "exclude": list},
    "actors.roles": {"titles": list, "from": object, "to": object},
    "statement_types": {"key": str, "label_ar": str, "label_en": str, "cues": list},
    "verbs": {"forms": list, "type": str},
    "attribution": {"source_cues": list, "subject_stops": list, "verb_openers": list,
                    "not_subjects": list, "subject_window": int},
    "matching": {"title_words": list, "former_words": list},
}
_REQUIRED = {
    "codebook": (),
    "topics": ("key", "label_ar", "label_en", "terms"),
    "actors": ("id", "type", "name_ar", "name_en"),
    "actors.roles": ("titles", "from"),
    "statement_types": ("key", "label_ar", "label_en", "cues"),
    "verbs": ("forms",),
    "attribution": (),
    "matching": (),
}
#: List fields that must not be empty, and those that hold codebook terms.
_NON_EMPTY = {"terms", "titles", "cues", "forms"}
_TERM_LISTS = {"terms", "exclude", "aliases", "titles", "cues", "forms", "source_cues",
               "subject_stops", "verb_openers", "not_subjects", "title_words", "former_words"}
#: String fields that hold a codebook term (``name_ar`` is matched like an alias).
_TERM_STRINGS = {"name_ar"}
_TYPE_NAMES = {str: "a string", list: "a list", int: "a whole number", object: "a date"}


class _Checker:
    """Collect problems with their lines while walking the parsed codebook."""

    def __init__(self, path: str, raw: str):
        self.path = path
        self.loc = _Locator(raw)
        self.problems: list[tuple[int | None, str, str]] = []

    def add(self, line: int | None, where: str, message: str) -> None:
        self.problems.append((line, where, message))

    def fields(self, section: str, data: Any, rng, where: str) -> dict | None:
        """Check one table's fields: unknown, missing, wrong type, empty lists, bad terms."""
        if not isinstance(data, dict):
            self.add(rng[0] + 1 if rng else None, where, f"expected a table, got {type(data).__name__}")
            return None
        allowed = _FIELDS[section]
        ok = True
        for name, value in data.items():
            line = self.loc.field(rng, name)
            if name not in allowed:
                close = difflib.get_close_matches(name, list(allowed), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                self.add(line, where, f"unknown field {name!r}{hint}; allowed fields: {', '.join(allowed)}")
                ok = False
                continue
            want = allowed[name]
            if want is int and (not isinstance(value, int) or isinstance(value, bool)):
                self.add(line, where, f"{name!r} must be {_TYPE_NAMES[int]}, not {value!r}")
                ok = False
            elif want in (str, list) and not isinstance(value, want):
                self.add(line, where, f"{name!r} must be {_TYPE_NAMES[want]}, not {type(value).__name__} {value!r}")
                ok = False
            elif want is str and not value.strip():
                self.add(line, where, f"{name!r} is empty; give it a value")
                ok = False
            elif want is str and name in _TERM_STRINGS:
                ok &= self.terms([value], rng, where, name, entry=name)
            elif want is list and name in _NON_EMPTY and not value:
                self.add(line, where, f"{name!r} is an empty list; give at least one entry or remove the entry")
                ok = False
            elif want is list and name in _TERM_LISTS:
                ok &= self.terms(value, rng, where, name)
        for name in _REQUIRED[section]:
            if name not in data:
                self.add(rng[0] + 1 if rng else None, where, f"required field {name!r} is missing")
                ok = False
        return data if ok else None

    def terms(self, values: list, rng, where: str, name: str, *, entry: str = "") -> bool:
        """Check the terms of list ``name``; ``entry`` names a single-term field instead."""
        entry = entry or f"{name} entry"
        ok = True
        seen: set[str] = set()
        for value in values:
            if not isinstance(value, str):
                self.add(self.loc.field(rng, name), where, f"{name!r} holds {value!r}, which is not a string")
                ok = False
                continue
            line = self.loc.value(rng, value, self.loc.field(rng, name))
            try:
                parse_term(value)
            except ValueError as exc:
                self.add(line, where, f"{entry} {value!r}: {exc}")
                ok = False
                continue
            if value in seen:
                self.add(line, where, f"{name} entry {value!r} is listed twice; keep one")
                ok = False
            seen.add(value)
        return ok

    def date(self, value: Any, line: int | None, where: str, name: str) -> str | None:
        if isinstance(value, dt.datetime):
            self.add(line, where, f"{name!r} = {value} has a time; write the date only, e.g. 2021-01-20")
            return None
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip()).isoformat()
            except ValueError:
                pass
        self.add(line, where, f"{name!r} = {value!r} is not a date; write it as YYYY-MM-DD, e.g. 2021-01-20")
        return None


def _normal_form(term: str) -> str:
    from .text import normalize

    return " ".join(normalize(w).text for w in term.split())


def _validate(path: str, raw: str, data: dict) -> Codebook:
    ck = _Checker(path, raw)
    loc = ck.loc
    for name in data:
        if name not in _TOP:
            close = difflib.get_close_matches(name, list(_TOP), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            ck.add(loc.anywhere(rf"^\s*\[*\s*{re.escape(name)}\b") or loc.anywhere(rf"^\s*{re.escape(name)}\s*="),
                   "", f"unknown table {name!r}{hint}; a codebook has: {', '.join(_TOP)}")

    meta = data.get("codebook", {})
    meta = ck.fields("codebook", meta, loc.table("codebook"), "[codebook]") or {}

    # statement types first: verbs refer to them
    stypes: list[StatementType] = []
    seen_keys: dict[str, dict[str, int]] = {"topic": {}, "statement type": {}, "actor": {}}

    def entries(section: str, what: str, idfield: str):
        items = data.get(section, [])
        if not isinstance(items, list):
            ck.add(loc.anywhere(rf"^\s*{section}\s*="), section, f"{section!r} must be a list of tables ([[{section}]])")
            return
        for i, item in enumerate(items):
            rng = loc.entry(section, i)
            key = item.get(idfield) if isinstance(item, dict) else None
            if rng is None and isinstance(key, str):
                line = loc.anywhere(rf"^\s*{idfield}\s*=\s*[\"']{re.escape(key)}[\"']")
                rng = (line - 1, line) if line else None
            where = f"{what} {key!r}" if isinstance(key, str) else f"{what} #{i + 1}"
            if isinstance(key, str):
                line = loc.field(rng, idfield)
                if not _KEY_RE.match(key):
                    ck.add(line, where, f"{idfield} {key!r} must be lower-case ASCII letters, digits and _, starting with a letter")
                elif key in seen_keys[what]:
                    ck.add(line, where, f"duplicate {idfield} {key!r} (first at line {seen_keys[what][key]}); give each {what} its own {idfield}")
                else:
                    seen_keys[what][key] = line or 0
            yield item, rng, where

    for item, rng, where in entries("statement_types", "statement type", "key"):
        if ck.fields("statement_types", item, rng, where):
            stypes.append(StatementType(item["key"], item["label_ar"], item["label_en"], tuple(item["cues"])))
    stype_keys = {s.key: s.label_en for s in stypes}  # in codebook order, for messages

    topics: list[Topic] = []
    if not data.get("topics"):
        ck.add(None, "", "no topics; add at least one [[topics]] table")
    for item, rng, where in entries("topics", "topic", "key"):
        if ck.fields("topics", item, rng, where):
            topics.append(Topic(item["key"], item["label_ar"], item["label_en"], tuple(item["terms"]),
                                tuple(item.get("exclude", ()))))

    actors: list[Actor] = []
    if not data.get("actors"):
        ck.add(None, "", "no actors; add at least one [[actors]] table")
    alias_owner: dict[str, tuple[str, int | None]] = {}
    titles: dict[str, list[tuple[str, Role, int | None]]] = {}
    for i, (item, rng, where) in enumerate(entries("actors", "actor", "id")):
        if not ck.fields("actors", item, rng, where):
            continue
        problem = choice_problem("type", item["type"], ACTOR_TYPES)
        if problem:
            ck.add(loc.field(rng, "type"), where, problem)
            continue
        roles: list[Role] = []
        for j, r in enumerate(item.get("roles", [])):
            rrng = loc.entry("actors.roles", j, within=rng) if rng else None
            rwhere = f"{where}, role #{j + 1}"
            if not ck.fields("actors.roles", r, rrng, rwhere):
                continue
            start = ck.date(r["from"], loc.field(rrng, "from"), rwhere, "from")
            end = ck.date(r["to"], loc.field(rrng, "to"), rwhere, "to") if "to" in r else None
            if start is None or ("to" in r and end is None):
                continue
            if end is not None and end <= start:
                ck.add(loc.field(rrng, "to"), rwhere, f"'to' = {end} is not after 'from' = {start}")
                continue
            role = Role(tuple(r["titles"]), start, end)
            roles.append(role)
            for t in role.titles:
                titles.setdefault(_normal_form(t), []).append((item["id"], role, loc.value(rrng, t, loc.field(rrng, "titles"))))
        actor = Actor(item["id"], item["type"], item["name_ar"], item["name_en"],
                      tuple(item.get("aliases", ())), tuple(roles), tuple(item.get("exclude", ())))
        for name in actor.names:
            norm = _normal_form(name)
            line = loc.value(rng, name, rng[0] + 1 if rng else None)
            if norm in alias_owner and alias_owner[norm][0] != actor.id:
                other, oline = alias_owner[norm]
                ck.add(line, where, f"alias {name!r} also names actor {other!r} (line {oline}); an alias must name one actor — use a dated role for titles")
            alias_owner.setdefault(norm, (actor.id, line))
        actors.append(actor)

    for norm, holders in titles.items():
        for a in range(len(holders)):
            for b in range(a + 1, len(holders)):
                (ida, ra, _), (idb, rb, lineb) = holders[a], holders[b]
                overlap = (ra.end is None or rb.start < ra.end) and (rb.end is None or ra.start < rb.end)
                if overlap and not (ida == idb and ra == rb):
                    ck.add(lineb, f"actor {idb!r}", f"role title {norm!r} ({rb.period}) overlaps the same title for actor {ida!r} ({ra.period}); make the dates meet without overlapping")
        if norm in alias_owner:
            ck.add(holders[0][2], f"actor {holders[0][0]!r}", f"role title {norm!r} is also an alias of actor {alias_owner[norm][0]!r}; use it in one place only")

    verbs: list[Verb] = []
    verb_forms: dict[str, int | None] = {}
    for i, item in enumerate(data.get("verbs", []) if isinstance(data.get("verbs", []), list) else []):
        rng = loc.entry("verbs", i)
        where = f"verb #{i + 1}" + (f" ({item['forms'][0]})" if isinstance(item, dict) and item.get("forms") and isinstance(item["forms"], list) else "")
        if not ck.fields("verbs", item, rng, where):
            continue
        vtype = item.get("type", "")
        problem = choice_problem("type", vtype, stype_keys) if vtype != "" else None
        if problem:
            ck.add(loc.field(rng, "type"), where, f"{problem} or left out")
            continue
        for f in item["forms"]:
            norm = _normal_form(f)
            line = loc.value(rng, f, loc.field(rng, "forms"))
            if norm in verb_forms:
                ck.add(line, where, f"verb form {f!r} is already listed (line {verb_forms[norm]}); keep one")
            verb_forms.setdefault(norm, line)
        verbs.append(Verb(tuple(item["forms"]), vtype))

    attr = data.get("attribution", {})
    attr = ck.fields("attribution", attr, loc.table("attribution"), "[attribution]") or {}
    window = attr.get("subject_window", 6)
    if not 1 <= window <= 30:
        ck.add(loc.field(loc.table("attribution"), "subject_window"), "[attribution]",
               f"'subject_window' = {window} must be between 1 and 30")

    matching = data.get("matching", {})
    matching = ck.fields("matching", matching, loc.table("matching"), "[matching]") or {}

    if ck.problems:
        raise CodebookError(path, ck.problems)

    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    return Codebook(
        path=path,
        name=meta.get("name", Path(path).stem),
        version=meta.get("version", ""),
        description=meta.get("description", ""),
        topics=tuple(topics),
        actors=tuple(actors),
        statement_types=tuple(stypes),
        verbs=tuple(verbs),
        source_cues=tuple(attr.get("source_cues", ())),
        subject_stops=tuple(attr.get("subject_stops", ())),
        verb_openers=tuple(attr.get("verb_openers", ())),
        not_subjects=tuple(attr.get("not_subjects", ())),
        subject_window=window,
        title_words=tuple(matching.get("title_words", ())),
        former_words=tuple(matching.get("former_words", ())),
        hash=hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16],
    )


_CACHE: dict[tuple[str, str], Codebook] = {}


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Load and validate a TOML codebook.

    Parameters
    ----------
    path : str or Path, optional
        The codebook file; ``None`` loads the default one (``workbench/data/codebook.toml``).

    Returns
    -------
    Codebook
        The validated codebook; ``Codebook.hash`` identifies its content.

    Raises
    ------
    CodebookError
        When the file is missing or not TOML, or has unknown tables or fields, missing
        or duplicate keys, empty term lists, bad terms, bad or overlapping dates. The
        message lists every problem with the file, line and key.
    """
    p = Path(path) if path is not None else DEFAULT_CODEBOOK
    try:
        raw_bytes = p.read_bytes()
    except FileNotFoundError:
        raise CodebookError(str(p), [(None, "", "no such file; check the path or leave it out for the default codebook")]) from None
    except IsADirectoryError:
        raise CodebookError(str(p), [(None, "", "is a folder; name the codebook's .toml file")]) from None
    cache_key = (str(p.resolve()), hashlib.sha1(raw_bytes).hexdigest())
    if cache_key in _CACHE:
        return _CACHE[cache_key]
    try:
        raw = raw_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CodebookError(str(p), [(None, "", f"not UTF-8 text (bad byte at offset {exc.start}); save it as UTF-8")]) from None
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(m.group(1)) if m else None
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        if m:
            msg += f" (column {m.group(2)})"
        raise CodebookError(str(p), [(line, "", f"not valid TOML: {msg}")]) from None
    codebook = _validate(str(p), raw, data)
    _CACHE[cache_key] = codebook
    return codebook
