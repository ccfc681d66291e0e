"""Reading a codebook TOML file and checking it: every problem with its file, line and key.

:func:`workbench.codebook.load_codebook` calls :func:`read_codebook_file` and
:func:`validate`; this module knows the file's tables and fields, how terms are written
(:func:`parse_term`) and what makes a codebook unusable, and returns plain data that
``codebook.py`` turns into :class:`~workbench.codebook.Codebook` objects. Actors may be
written with the field names topics use (``key``, ``label_ar``, ``label_en``) or with
the older ``id``, ``name_ar``, ``name_en``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import itertools
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from .checks import choice_problem

__all__ = [
    "ACTOR_TYPES",
    "CodebookError",
    "TERM_MARKERS",
    "ATTRIBUTION_LISTS",
    "parse_term",
    "term_variants",
    "read_codebook_file",
    "validate",
]

ACTOR_TYPES = {
    "person": "a named person",
    "institution": "an office or ministry (the Kremlin, the White House)",
    "state": "a country, id = ISO 3166-1 alpha-3 in lower case",
    "organisation": "an international organisation (NATO, the EU) or a company",
    "media": "a news outlet or agency (an outlet named after a state is not that state)",
}
#: A word ending in one of these matches more than itself (see the codebook header).
TERM_MARKERS = {"+": "inflected", "*": "prefix"}

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


_OPTIONAL_WORD = re.compile(r"\[([^\[\]\s]+)\]")


def term_variants(term: str) -> list[str]:
    """The phrases a term with optional words stands for, the longest first.

    A word in square brackets may be there or not: ``"التوازن [العسكري] الاستراتيجي"``
    stands for ``"التوازن العسكري الاستراتيجي"`` and ``"التوازن الاستراتيجي"``.

    Parameters
    ----------
    term : str
        A term as written in the codebook.

    Returns
    -------
    list of str
        One phrase per choice (just ``[term]`` when it has no brackets).

    Raises
    ------
    ValueError
        A bracket that holds no single word, or a term that is only optional words.
    """
    if "[" not in term and "]" not in term:
        return [term]
    words = term.split()
    choices: list[list[str]] = [[]]
    for word in words:
        m = _OPTIONAL_WORD.fullmatch(word)
        if m:
            choices = [c + [m.group(1)] for c in choices] + [list(c) for c in choices]
        elif "[" in word or "]" in word:
            raise ValueError(f"{word!r}: an optional word is one word in square brackets, e.g. "
                             "'التوازن [العسكري] الاستراتيجي'")
        else:
            choices = [c + [word] for c in choices]
    if all(_OPTIONAL_WORD.fullmatch(w) for w in words):
        raise ValueError("a term needs a word outside square brackets")
    return list(dict.fromkeys(" ".join(c) for c in choices if c))


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
    """Letters and digits of ``word`` once normalised (marks and tatweel do not count);
    a lower bound once it reaches ``_MIN_WORD``."""
    # normalising drops tatweel and marks (never letters or digits) and may expand a
    # ligature: a word with enough letters besides tatweel has them once normalised too
    plain = sum(ch.isalnum() for ch in word) - word.count("\u0640")
    if plain >= _MIN_WORD:
        return plain
    return sum(ch.isalnum() for ch in normalize(word).text)


# --- where things are in the file -------------------------------------------------------


class _Locator:
    """Find the line of a table, field or value in the raw TOML text (tomllib has none).

    Each lookup costs about the lines it passes, once: entries are indexed by name, field
    lines are remembered, and the values of one list are searched from where the previous
    one was found, so validating a codebook takes time linear in its size.
    """

    _HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(#.*)?$")

    def __init__(self, raw: str):
        self.lines = raw.split("\n")
        self.headers: list[tuple[int, str, bool]] = []  # (line index, name, is array)
        for i, line in enumerate(self.lines):
            m = self._HEADER.match(line)
            if m:
                self.headers.append((i, m.group(1).replace(" ", ""), line.strip().startswith("[[")))
        self._arrays: dict[str, list[int]] = {}  # name -> indices into headers of its [[name]]
        for k, (_, name, is_array) in enumerate(self.headers):
            if is_array:
                self._arrays.setdefault(name, []).append(k)
        self._fields: dict[tuple, int | None] = {}
        self._cursors: dict[tuple, int] = {}  # (range, first line) -> line of the last value found

    def entry(self, name: str, index: int, within: tuple[int, int] | None = None) -> tuple[int, int] | None:
        """Line range (start, end) of the ``index``-th ``[[name]]`` (inside ``within``)."""
        lo, hi = within or (0, len(self.lines))
        ks = self._arrays.get(name, [])
        first = bisect.bisect_left(ks, lo, key=lambda k: self.headers[k][0])
        if first + index >= len(ks) or self.headers[ks[first + index]][0] >= hi:
            return None
        k = ks[first + index]
        start = self.headers[k][0]
        j = k + 1
        while j < len(self.headers) and self.headers[j][1].startswith(name + "."):
            j += 1  # its own sub-tables ([[actors.roles]] of an actor)
        end = self.headers[j][0] if j < len(self.headers) else len(self.lines)
        return start, min(end, hi)

    def table(self, name: str) -> tuple[int, int] | None:
        """Line range of the single table ``[name]``."""
        for i, (line, hname, is_array) in enumerate(self.headers):
            if hname == name and not is_array:
                end = self.headers[i + 1][0] if i + 1 < len(self.headers) else len(self.lines)
                return line, end
        return None

    def field(self, rng: tuple[int, int] | None, name: str) -> int | None:
        """1-based line of ``name = …`` inside ``rng`` (else of the range's header)."""
        key = (rng, name)
        if key not in self._fields:
            self._fields[key] = self._find_field(rng, name)
        return self._fields[key]

    def _find_field(self, rng: tuple[int, int] | None, name: str) -> int | None:
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
        it lies inside ``rng``, so a term is not found in a label above its list; for the
        next value of the same list, at the line this one was found on.
        """
        lo, hi = rng or (0, len(self.lines))
        if fallback is not None and lo < fallback <= hi:
            lo = fallback - 1
        at = self._cursors.get((rng, fallback), lo)
        quoted = (f'"{value}"', f"'{value}'")
        for i in itertools.chain(range(at, hi), range(lo, at)):  # onwards first, then the lines before
            line = self.lines[i]
            if quoted[0] in line or quoted[1] in line:
                self._cursors[(rng, fallback)] = i
                return i + 1
        for i in range(lo, hi):  # written with escapes, say: the first line holding it bare
            if value in self.lines[i]:
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
    "topics": {"key": str, "label_ar": str, "label_en": str, "terms": list, "exclude": list,
               "context": list},
    "actors": {"key": str, "type": str, "label_ar": str, "label_en": str, "aliases": list,
               "roles": list, "exclude": list},
    "actors.roles": {"titles": list, "from": object, "to": object},
    "statement_types": {"key": str, "label_ar": str, "label_en": str, "cues": list},
    "verbs": {"forms": list, "type": str, "root": str, "form": int, "past": str, "present": str,
              "participle": str, "tenses": list, "relay": str, "then": list, "object": str},
    "attribution": {"source_cues": list, "subject_stops": list, "verb_openers": list,
                    "not_subjects": list, "subject_window": int, "anonymous_heads": list,
                    "media_heads": list, "statement_nouns": list, "clause_openers": list,
                    "prepositions": list, "formulas": list, "framing": list, "descriptors": list,
                    "state_heads": list},
    "matching": {"title_words": list, "former_words": list},
}
_REQUIRED = {
    "codebook": (),
    "topics": ("key", "label_ar", "label_en", "terms"),
    "actors": ("key", "type", "label_ar", "label_en"),
    "actors.roles": ("titles", "from"),
    "statement_types": ("key", "label_ar", "label_en", "cues"),
    "verbs": (),
    "attribution": (),
    "matching": (),
}
#: List fields that must not be empty, and those that hold codebook terms. A topic's
#: ``terms`` may be empty: a topic coded by hand only (a starting codebook imported from a
#: QDA program has such topics until the analyst writes their terms).
_NON_EMPTY = {"terms", "titles", "cues", "forms"}
_MAY_BE_EMPTY = {("topics", "terms")}
_TERM_LISTS = {"terms", "exclude", "context", "aliases", "titles", "cues", "forms", "source_cues",
               "subject_stops", "verb_openers", "not_subjects", "title_words", "former_words",
               "anonymous_heads", "media_heads", "statement_nouns", "clause_openers",
               "prepositions", "formulas", "framing", "descriptors", "state_heads", "then"}
#: The word lists of ``[attribution]`` (all its fields but ``subject_window``).
ATTRIBUTION_LISTS = ("source_cues", "subject_stops", "verb_openers", "not_subjects",
                     "anonymous_heads", "media_heads", "statement_nouns", "clause_openers",
                     "prepositions", "formulas", "framing", "descriptors", "state_heads")
#: Older names of actor fields, still read: old name -> the name topics share.
_OLD_NAMES = {"actors": {"id": "key", "name_ar": "label_ar", "name_en": "label_en"}}
#: String fields that hold a codebook term (an actor's Arabic name is matched like an alias).
_TERM_STRINGS = {"actors": {"label_ar"}, "verbs": {"past", "present", "participle", "object"}}
_TYPE_NAMES = {str: "a string", list: "a list", int: "a whole number", object: "a date"}


class _Checker:
    """Collect problems with their lines while walking the parsed codebook."""

    def __init__(self, path: str, raw: str):
        self.path = path
        self.loc = _Locator(raw)
        self.problems: list[tuple[int | None, str, str]] = []
        self.seen_keys: dict[str, dict[str, int]] = {}

    def add(self, line: int | None, where: str, message: str) -> None:
        self.problems.append((line, where, message))

    def fields(self, section: str, data: Any, rng, where: str) -> dict | None:
        """Check one table's fields: unknown, missing, wrong type, empty lists, bad terms.

        Returns the table with its fields under their current names (``key`` for an
        actor's ``id``), or None when it has a problem.
        """
        if not isinstance(data, dict):
            self.add(rng[0] + 1 if rng else None, where, f"expected a table, got {type(data).__name__}")
            return None
        allowed, old = _FIELDS[section], _OLD_NAMES.get(section, {})
        out = {}
        for name, value in data.items():
            line = self.loc.field(rng, name)
            field = old.get(name, name)
            if field != name and field in data:
                self.add(line, where, f"{name!r} and {field!r} are the same field; keep {field!r}")
            elif field not in allowed:
                close = difflib.get_close_matches(name, [*allowed, *old], n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                self.add(line, where, f"unknown field {name!r}{hint}; allowed fields: {', '.join(allowed)}")
            elif self.value(section, name, allowed[field], value, rng, where, line):
                out[field] = value
        written = {old.get(n, n) for n in data}
        shown = {new: name for name, new in old.items()} if any(n in old for n in data) else {}
        for field in _REQUIRED[section]:
            if field not in written:
                self.add(
                    rng[0] + 1 if rng else None,
                    where,
                    f"required field {shown.get(field, field)!r} is missing",
                )
        return out if len(out) == len(data) and written >= set(_REQUIRED[section]) else None

    def value(
        self, section: str, name: str, want: type, value: Any, rng, where: str, line: int | None
    ) -> bool:
        """Check one field's value (``name`` as written in the file); True when it is good."""
        field = _OLD_NAMES.get(section, {}).get(name, name)
        if want is int and (not isinstance(value, int) or isinstance(value, bool)):
            self.add(line, where, f"{name!r} must be {_TYPE_NAMES[int]}, not {value!r}")
        elif want in (str, list) and not isinstance(value, want):
            self.add(
                line, where, f"{name!r} must be {_TYPE_NAMES[want]}, not {type(value).__name__} {value!r}"
            )
        elif want is str and not value.strip():
            self.add(line, where, f"{name!r} is empty; give it a value")
        elif want is str and field in _TERM_STRINGS.get(section, ()):
            return self.terms([value], rng, where, name, entry=name)
        elif want is list and field in _NON_EMPTY and not value and (section, field) not in _MAY_BE_EMPTY:
            self.add(line, where, f"{name!r} is an empty list; give at least one entry or remove the entry")
        elif want is list and field in _TERM_LISTS:
            return self.terms(value, rng, where, name)
        else:
            return True
        return False

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
                for variant in term_variants(value):
                    parse_term(variant)
            except ValueError as exc:
                self.add(line, where, f"{entry} {value!r}: {exc}")
                ok = False
                continue
            if value in seen:
                self.add(line, where, f"{name} entry {value!r} is listed twice; keep one")
                ok = False
            seen.add(value)
        return ok

    def top_level(self, data: dict) -> None:
        """Report tables a codebook does not have."""
        for name in data:
            if name not in _TOP:
                close = difflib.get_close_matches(name, list(_TOP), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                line = (self.loc.anywhere(rf"^\s*\[*\s*{re.escape(name)}\b")
                        or self.loc.anywhere(rf"^\s*{re.escape(name)}\s*="))
                self.add(line, "", f"unknown table {name!r}{hint}; a codebook has: {', '.join(_TOP)}")

    def entries(self, data: dict, section: str, what: str) -> Iterator[tuple[dict, Any, str]]:
        """``(entry, line range, where)`` for each good ``[[section]]`` entry, fields under
        their current names; the key is checked (form, duplicates) on every entry."""
        items = data.get(section, [])
        if not isinstance(items, list):
            self.add(self.loc.anywhere(rf"^\s*{section}\s*="), section,
                     f"{section!r} must be a list of tables ([[{section}]])")
            return
        seen = self.seen_keys.setdefault(what, {})
        for i, item in enumerate(items):
            rng = self.loc.entry(section, i)
            idfield = "id" if isinstance(item, dict) and "id" in item and "key" not in item else "key"
            key = item.get(idfield) if isinstance(item, dict) else None
            if rng is None and isinstance(key, str):
                line = self.loc.anywhere(rf"^\s*{idfield}\s*=\s*[\"']{re.escape(key)}[\"']")
                rng = (line - 1, line) if line else None
            where = f"{what} {key!r}" if isinstance(key, str) else f"{what} #{i + 1}"
            if isinstance(key, str):
                line = self.loc.field(rng, idfield)
                if not _KEY_RE.match(key):
                    self.add(
                        line,
                        where,
                        f"{idfield} {key!r} must be lower-case ASCII letters, digits and _, "
                        "starting with a letter",
                    )
                elif key in seen:
                    self.add(
                        line,
                        where,
                        f"duplicate {idfield} {key!r} (first at line {seen[key]}); give each "
                        f"{what} its own {idfield}",
                    )
                else:
                    seen[key] = line or 0
            checked = self.fields(section, item, rng, where)
            if checked:
                yield checked, rng, where

    def actors(self, data: dict) -> list[dict]:
        """The good actors, their roles as ``(titles, start, end)``; names and titles that
        name two actors are problems."""
        if not data.get("actors"):
            self.add(None, "", "no actors; add at least one [[actors]] table")
        actors: list[dict] = []
        alias_owner: dict[str, tuple[str, int | None]] = {}
        titles: dict[str, list[tuple[str, _Span, int | None]]] = {}
        for item, rng, where in self.entries(data, "actors", "actor"):
            problem = choice_problem("type", item["type"], ACTOR_TYPES)
            if problem:
                self.add(self.loc.field(rng, "type"), where, problem)
                continue
            roles = self.roles(item, rng, where, titles)
            actor = {"aliases": (), "exclude": (), **item, "roles": roles}
            for name in dict.fromkeys((actor["label_ar"], *actor["aliases"])):
                norm = _normal_form(name)
                line = self.loc.value(rng, name, rng[0] + 1 if rng else None)
                if norm in alias_owner and alias_owner[norm][0] != actor["key"]:
                    other, oline = alias_owner[norm]
                    self.add(
                        line,
                        where,
                        f"alias {name!r} also names actor {other!r} (line {oline}); an alias "
                        "must name one actor — use a dated role for titles",
                    )
                alias_owner.setdefault(norm, (actor["key"], line))
            actors.append(actor)
        self.overlapping_titles(titles, alias_owner)
        return actors

    def roles(self, item: dict, rng, where: str, titles: dict) -> list[tuple]:
        """An actor's good roles as ``(titles, start, end)``; each title noted in ``titles``."""
        roles = []
        for j, r in enumerate(item.get("roles", [])):
            rrng = self.loc.entry("actors.roles", j, within=rng) if rng else None
            rwhere = f"{where}, role #{j + 1}"
            if not self.fields("actors.roles", r, rrng, rwhere):
                continue
            start = self.date(r["from"], self.loc.field(rrng, "from"), rwhere, "from")
            end = self.date(r["to"], self.loc.field(rrng, "to"), rwhere, "to") if "to" in r else None
            if start is None or ("to" in r and end is None):
                continue
            if end is not None and end <= start:
                self.add(self.loc.field(rrng, "to"), rwhere, f"'to' = {end} is not after 'from' = {start}")
                continue
            role = _Span(tuple(r["titles"]), start, end)
            roles.append(role)
            for t in role.titles:
                line = self.loc.value(rrng, t, self.loc.field(rrng, "titles"))
                titles.setdefault(_normal_form(t), []).append((item["key"], role, line))
        return [tuple(role) for role in roles]

    def overlapping_titles(self, titles: dict, alias_owner: dict) -> None:
        """A role title may name one actor at a time, and no title may be an alias."""
        for norm, holders in titles.items():
            for a in range(len(holders)):
                for b in range(a + 1, len(holders)):
                    (ida, ra, _), (idb, rb, lineb) = holders[a], holders[b]
                    overlap = (ra.end is None or rb.start < ra.end) and (rb.end is None or ra.start < rb.end)
                    if overlap and not (ida == idb and ra == rb):
                        self.add(
                            lineb,
                            f"actor {idb!r}",
                            f"role title {norm!r} ({rb.period}) overlaps the same "
                            f"title for actor {ida!r} ({ra.period}); make the dates meet without overlapping",
                        )
            if norm in alias_owner:
                self.add(
                    holders[0][2],
                    f"actor {holders[0][0]!r}",
                    f"role title {norm!r} is also an alias of "
                    f"actor {alias_owner[norm][0]!r}; use it in one place only",
                )

    def verbs(self, data: dict, statement_types: dict[str, str]) -> list[dict]:
        """The good reporting verbs, their forms written out; a form listed twice is a problem
        (a form generated twice, as يدعون of دعا and of ادعى, stays with the first verb)."""
        verbs: list[dict] = []
        forms: dict[str, int | None] = {}
        items = data.get("verbs", [])
        for i, item in enumerate(items if isinstance(items, list) else []):
            rng = self.loc.entry("verbs", i)
            where = f"verb #{i + 1}" + _verb_label(item)
            if not self.fields("verbs", item, rng, where):
                continue
            vtype = item.get("type", "")
            problem = choice_problem("type", vtype, statement_types) if vtype != "" else None
            if problem:
                self.add(self.loc.field(rng, "type"), where, f"{problem} or left out")
                continue
            try:
                written = _verb_forms(item)
            except ValueError as exc:
                self.add(rng[0] + 1 if rng else None, where, str(exc))
                continue
            keep = []
            for f, tense in written:
                norm = _normal_form(f)
                if norm in forms:
                    if tense:
                        continue
                    line = self.loc.value(rng, f, self.loc.field(rng, "forms"))
                    self.add(line, where, f"verb form {f!r} is already listed (line {forms[norm]}); keep one")
                forms.setdefault(norm, self.loc.field(rng, "forms" if not tense else "root"))
                keep.append((f, tense))
            verbs.append({"forms": tuple(f for f, _ in keep), "type": vtype,
                          "tenses": tuple(t for _, t in keep), "relay": item.get("relay", ""),
                          "then": tuple(item.get("then", ()))})
        return verbs

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


def _verb_label(item: Any) -> str:
    """`` (قال)`` for a verb entry: its past, root or first form, when it has one."""
    if not isinstance(item, dict):
        return ""
    for name in ("past", "root"):
        if isinstance(item.get(name), str):
            return f" ({item[name]})"
    forms = item.get("forms")
    return f" ({forms[0]})" if isinstance(forms, list) and forms and isinstance(forms[0], str) else ""


_VERB_TENSES = ("past", "present", "participle")


def _verb_forms(item: dict) -> list[tuple[str, str]]:
    """The written forms of a ``[[verbs]]`` entry, each with its tense (``""`` as listed).

    Raises ValueError for an entry that gives neither a root and form, nor past, present
    and participle, nor forms, and for a bad root, form or tense.
    """
    from .verbs import VerbParts, conjugate, principal_parts

    parts = None
    if "root" in item or "form" in item:
        if "root" not in item or "form" not in item:
            raise ValueError("give both 'root' and 'form' (e.g. root = \"وضح\", form = 4)")
        parts = principal_parts(item["root"], item["form"])
    given = {k: item[k] for k in _VERB_TENSES if k in item}
    if given:
        if parts is None and len(given) < 3:
            raise ValueError("without 'root' and 'form', give all of 'past', 'present' and 'participle'")
        parts = VerbParts(*(given.get(t, getattr(parts, t, "")) for t in _VERB_TENSES))
    forms = conjugate(parts) if parts is not None else []
    tenses = item.get("tenses")
    if tenses is not None:
        bad = [t for t in tenses if t not in _VERB_TENSES]
        if bad:
            raise ValueError(f"'tenses' holds {bad[0]!r}; tenses are {', '.join(_VERB_TENSES)}")
        forms = [(f, t) for f, t in forms if t in tenses]
    forms += [(f, "") for f in item.get("forms", ())]
    if not forms:
        raise ValueError("a verb needs 'root' and 'form', or 'past', 'present' and 'participle', or 'forms'")
    obj = item.get("object", "")
    return list(dict.fromkeys((f"{f} {obj}" if obj else f, t) for f, t in forms))


def _normal_form(term: str) -> str:
    from .text import normalize

    return " ".join(normalize(w).text for w in term.split())




class _Span(NamedTuple):
    """A role's titles and dates while checking that titles do not overlap."""

    titles: tuple[str, ...]
    start: str
    end: str | None

    @property
    def period(self) -> str:
        return f"{self.start or ''}..{self.end or ''}"


def read_codebook_file(path: Path) -> bytes:
    """The bytes of a codebook file; :class:`CodebookError` when there is none."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CodebookError(str(path), [(None, "", "no such file; check the path or leave it out for the "
                                                    "default codebook")]) from None
    except IsADirectoryError:
        raise CodebookError(str(path), [(None, "", "is a folder; name the codebook's .toml file")]) from None


_MAX_DEPTH = 20
#: Strings and comments (whose brackets do not nest), and the brackets that do.
_NESTING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}]|\n')


def _too_deep(raw: str) -> int | None:
    """The line where brackets first nest more than ``_MAX_DEPTH`` deep."""
    depth, line = 0, 1
    for m in _NESTING.finditer(raw):
        token = m.group()
        if token == "\n":
            line += 1
        elif token in "[{":
            depth += 1
            if depth > _MAX_DEPTH:
                return line
        elif token in "]}":
            depth -= 1
        else:
            line += token.count("\n")
    return None


def parse_codebook(path: str, raw_bytes: bytes) -> tuple[str, dict]:
    """Decode and parse a codebook file: ``(text, TOML data)``, or :class:`CodebookError`."""
    try:
        raw = raw_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CodebookError(path, [(None, "", f"not UTF-8 text (bad byte at offset {exc.start}); "
                                              "save it as UTF-8")]) from None
    try:
        return raw, tomllib.loads(raw)
    except RecursionError:
        message = (f"lists or tables are nested more than {_MAX_DEPTH} deep; a codebook needs at most 3 "
                   "levels (a list of terms inside an entry)")
        raise CodebookError(path, [(_too_deep(raw), "", message)]) from None
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(m.group(1)) if m else None
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        if m:
            msg += f" (column {m.group(2)})"
        raise CodebookError(path, [(line, "", f"not valid TOML: {msg}")]) from None


def validate(path: str, raw: str, data: dict) -> dict[str, Any]:
    """Check a parsed codebook; return its parts as plain data, or raise every problem.

    Parameters
    ----------
    path : str
        The file, named in messages.
    raw : str
        Its text (to find the line of each problem).
    data : dict
        What ``tomllib`` read from it.

    Returns
    -------
    dict
        ``meta`` (the ``[codebook]`` table), ``topics``, ``actors`` (fields under the names
        topics use; ``roles`` as ``(titles, start, end)``), ``statement_types``, ``verbs``
        (lists of dicts), ``attribution`` and ``matching`` (dicts).

    Raises
    ------
    CodebookError
        With every problem found, each with its line and key.
    """
    ck = _Checker(path, raw)
    ck.top_level(data)
    meta = ck.fields("codebook", data.get("codebook", {}), ck.loc.table("codebook"), "[codebook]") or {}
    statement_types = [item for item, _, _ in ck.entries(data, "statement_types", "statement type")]
    if not data.get("topics"):
        ck.add(None, "", "no topics; add at least one [[topics]] table")
    topics = [{"exclude": (), "context": (), **item} for item, _, _ in ck.entries(data, "topics", "topic")]
    actors = ck.actors(data)
    verbs = ck.verbs(data, {s["key"]: s["label_en"] for s in statement_types})
    attribution = ck.fields("attribution", data.get("attribution", {}), ck.loc.table("attribution"),
                            "[attribution]") or {}
    window = attribution.get("subject_window", 6)
    if not 1 <= window <= 30:
        ck.add(ck.loc.field(ck.loc.table("attribution"), "subject_window"), "[attribution]",
               f"'subject_window' = {window} must be between 1 and 30")
    matching = ck.fields("matching", data.get("matching", {}), ck.loc.table("matching"), "[matching]") or {}
    if ck.problems:
        raise CodebookError(path, ck.problems)
    return {"meta": meta, "topics": topics, "actors": actors, "statement_types": statement_types,
            "verbs": verbs, "attribution": attribution, "matching": matching}
