"""Codebooks: the topics, actors and reporting cues of the automatic annotation.

A codebook is a TOML file analysts can edit without touching code; the default one is
``workbench/data/codebook.toml`` and its header explains how terms are written. Loading
validates everything and reports every problem at once, each with the file, the line and
the key it concerns (the checks are in ``codebook_validation.py``)::

    cb = load_codebook()                    # the default codebook
    cb = load_codebook("my_codebook.toml")  # an edited copy
    cb.topic_keys, cb.actor_ids, cb.hash

Tables, charts, the store and the review panel need less of a codebook: its keys in order
and their labels, a :class:`CodebookSummary`. ``Codebook.summary()`` gives it,
``Store.codebook()`` gives the one of the latest run, and :func:`summary_of` takes any
of a Codebook, a CodebookSummary or a Store.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .checks import check_choice
from .codebook_validation import (
    ACTOR_TYPES,
    ATTRIBUTION_LISTS,
    TERM_MARKERS,
    CodebookError,
    parse_codebook,
    parse_term,
    read_codebook_file,
    term_variants,
    validate,
)

__all__ = [
    "CodebookError",
    "UnknownKeyError",
    "Topic",
    "Role",
    "Actor",
    "StatementType",
    "Verb",
    "Codebook",
    "CodebookEntry",
    "CodebookSummary",
    "CodebookLike",
    "summary_of",
    "default_summary",
    "load_codebook",
    "parse_term",
    "term_variants",
    "CONTEXT_SENTENCES",
    "DEFAULT_CODEBOOK",
    "ACTOR_TYPES",
    "TERM_MARKERS",
]

#: The default codebook shipped with the package.
DEFAULT_CODEBOOK = Path(__file__).parent / "data" / "codebook.toml"
#: A topic's ``context`` terms count in an article that raises the topic by its own terms
#: in this many sentences or more.
CONTEXT_SENTENCES = 2

_LABEL_LANGS = {"ar": "label_ar", "en": "label_en"}
_KINDS = {"topic": "topics", "actor": "actors", "statement_type": "statement_types"}


class UnknownKeyError(CodebookError, KeyError):
    """A topic key, actor id or statement type that the codebook does not define."""

    def __str__(self) -> str:  # KeyError would quote the whole message
        return self.args[0]


# --- the codebook's parts ---------------------------------------------------------------


@dataclass(frozen=True)
class Topic:
    """A topic: ``terms`` raise it, ``exclude`` phrases cancel a term inside them, and
    ``context`` terms (الحرب، المعاهدة) raise it only in an article that raises it by its
    own terms in :data:`CONTEXT_SENTENCES` sentences or more."""

    key: str
    label_ar: str
    label_en: str
    terms: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    context: tuple[str, ...] = ()


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
    """A person, institution, state or organisation and the words that name it.

    ``key`` is the actor id; ``label_ar`` (its Arabic name, matched like an alias) and
    ``label_en`` are named as a topic's are. ``id``, ``name_ar`` and ``name_en`` read the
    same values under the names the codebook file used first.
    """

    key: str
    type: str
    label_ar: str
    label_en: str
    aliases: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    exclude: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        """The actor id: ``key``."""
        return self.key

    @property
    def name_ar(self) -> str:
        """The Arabic name: ``label_ar``."""
        return self.label_ar

    @property
    def name_en(self) -> str:
        """The English name: ``label_en``."""
        return self.label_en

    @property
    def names(self) -> tuple[str, ...]:
        """The Arabic name followed by the aliases (without repeats)."""
        return tuple(dict.fromkeys((self.label_ar, *self.aliases)))


@dataclass(frozen=True)
class StatementType:
    """A kind of statement (concern, support …) and the cue words that signal it."""

    key: str
    label_ar: str
    label_en: str
    cues: tuple[str, ...]


@dataclass(frozen=True)
class Verb:
    """One reporting verb: its written forms, their tenses and the statement type it gives.

    Attributes
    ----------
    forms : tuple of str
        Every written form (generated from ``root`` and ``form`` or the principal parts,
        and those listed as ``forms``); a two-word verb (``أعاد التأكيد``) is a phrase.
    type : str
        The statement type the verb gives (``""``: none, from the cue words instead).
    tenses : tuple of str
        The tense of each form: ``past``, ``present``, ``participle`` or ``""`` (a form
        listed as written).
    relay : str
        ``"عن"`` for a verb whose speaker is named after that word (نقل X عن Y: Y).
    then : tuple of str
        Words one of which must follow the verb for it to report (علّق على).
    """

    forms: tuple[str, ...]
    type: str = ""
    tenses: tuple[str, ...] = ()
    relay: str = ""
    then: tuple[str, ...] = ()


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
    anonymous_heads, media_heads, statement_nouns, clause_openers, prepositions, formulas,
    framing, descriptors, state_heads : tuple of str
        More ``[attribution]`` lists: heads of anonymous sources (مصادر، مسؤول), of media
        (وكالة، صحيفة), statement nouns (البيان), words that open a new clause (فيما),
        prepositions that open a phrase which is never a subject (خلال، مع), set phrases
        that report nothing (يذكر أن), phrases that frame the statement before them (جاء
        ذلك), nouns that refer back to a person named earlier (الدبلوماسي) and nouns for a
        state's government (الحكومة), after which a gentilic is the state speaking.
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
    anonymous_heads: tuple[str, ...] = ()
    media_heads: tuple[str, ...] = ()
    statement_nouns: tuple[str, ...] = ()
    clause_openers: tuple[str, ...] = ()
    prepositions: tuple[str, ...] = ()
    formulas: tuple[str, ...] = ()
    framing: tuple[str, ...] = ()
    descriptors: tuple[str, ...] = ()
    state_heads: tuple[str, ...] = ()
    subject_window: int = 6
    title_words: tuple[str, ...] = ()
    former_words: tuple[str, ...] = ()
    hash: str = ""
    _index: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._index.update(
            topic={t.key: t for t in self.topics},
            actor={a.key: a for a in self.actors},
            statement_type={s.key: s for s in self.statement_types},
        )

    @property
    def topic_keys(self) -> list[str]:
        """Topic keys in codebook order."""
        return [t.key for t in self.topics]

    @property
    def topics_without_terms(self) -> list[str]:
        """Keys of topics with no terms yet: coded by hand only, never raised automatically."""
        return [t.key for t in self.topics if not t.terms]

    @property
    def actor_ids(self) -> list[str]:
        """Actor ids in codebook order."""
        return [a.key for a in self.actors]

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
            Arabic or English labels.

        Returns
        -------
        dict
            key → label, in codebook order.
        """
        return self.summary().labels(kind, lang=lang)

    def summary(self) -> CodebookSummary:
        """Keys in order and labels: what tables, charts and the store need (cached)."""
        if "summary" not in self._index:
            self._index["summary"] = CodebookSummary(
                name=self.name,
                hash=self.hash,
                topics=tuple(CodebookEntry(t.key, t.label_ar, t.label_en) for t in self.topics),
                actors=tuple(CodebookEntry(a.key, a.label_ar, a.label_en, a.type) for a in self.actors),
                statement_types=tuple(
                    CodebookEntry(s.key, s.label_ar, s.label_en) for s in self.statement_types
                ),
            )
        return self._index["summary"]


# --- the summary: keys in order and labels ----------------------------------------------


@dataclass(frozen=True)
class CodebookEntry:
    """One topic, actor or statement type as tables and charts show it.

    ``type`` is the actor's type (``person``, ``state`` …), ``""`` for topics and
    statement types. Labels are ``""`` when unknown.
    """

    key: str
    label_ar: str = ""
    label_en: str = ""
    type: str = ""


@dataclass(frozen=True)
class CodebookSummary:
    """A codebook's keys in codebook order and their labels: the one codebook shape.

    Attributes
    ----------
    name, hash : str
        The codebook's name and content hash (``""`` when none).
    topics, actors, statement_types : tuple of CodebookEntry
        In codebook order.
    run_id : int or None
        For :meth:`Store.codebook`, the run whose codebook it is (None otherwise, and for
        a store with no run).
    """

    name: str = ""
    hash: str = ""
    topics: tuple[CodebookEntry, ...] = ()
    actors: tuple[CodebookEntry, ...] = ()
    statement_types: tuple[CodebookEntry, ...] = ()
    run_id: int | None = None

    @property
    def topic_keys(self) -> list[str]:
        """Topic keys in codebook order."""
        return [e.key for e in self.topics]

    @property
    def actor_ids(self) -> list[str]:
        """Actor ids in codebook order."""
        return [e.key for e in self.actors]

    @property
    def statement_type_keys(self) -> list[str]:
        """Statement type keys in codebook order."""
        return [e.key for e in self.statement_types]

    @property
    def is_empty(self) -> bool:
        """True when it has no topics and no actors (a store with nothing annotated)."""
        return not (self.topics or self.actors)

    def keys(self, kind: str) -> list[str]:
        """Keys of ``kind`` (``"topics"``, ``"actors"`` or ``"statement_types"``) in order."""
        check_choice("kind", kind, _PLURALS)
        return [e.key for e in getattr(self, kind)]

    def labels(self, kind: str, *, lang: str = "en") -> dict[str, str]:
        """Labels by key (see :meth:`Codebook.labels`); ``""`` where there is none."""
        check_choice("kind", kind, _KINDS)
        check_choice("lang", lang, _LABEL_LANGS)
        return {e.key: (e.label_ar if lang == "ar" else e.label_en) for e in getattr(self, _KINDS[kind])}

    @functools.cached_property
    def by_key(self) -> dict[str, CodebookEntry]:
        """Every topic, actor and statement type by key (a topic first when keys clash)."""
        out: dict[str, CodebookEntry] = {}
        for entry in (*self.topics, *self.actors, *self.statement_types):
            out.setdefault(entry.key, entry)
        return out

    def summary(self) -> CodebookSummary:
        """Itself, so that a Codebook and a summary can be used alike."""
        return self

    def to_json(self) -> str:
        """The keys, labels and actor types as the store keeps them in ``runs.codebook``."""
        return json.dumps({
            **{kind: self.keys(kind) for kind in _PLURALS},
            "labels": {kind: {e.key: {lang: getattr(e, f"label_{lang}") for lang in ("ar", "en")
                                      if getattr(e, f"label_{lang}")}
                              for e in getattr(self, kind) if e.label_ar or e.label_en}
                       for kind in _PLURALS},
            "actor_types": {e.key: e.type for e in self.actors if e.type},
        }, ensure_ascii=False)

    @classmethod
    def from_json(
        cls, text: str, *, name: str = "", hash: str = "", run_id: int | None = None
    ) -> CodebookSummary:
        """Read what :meth:`to_json` wrote (stores written before actor types were kept
        have no ``actor_types``: their actors' type is ``""``)."""
        data = json.loads(text)
        labels = data.get("labels", {})
        types = {"actors": data.get("actor_types", {})}

        def entries(kind: str) -> tuple[CodebookEntry, ...]:
            return tuple(
                CodebookEntry(
                    key,
                    labels.get(kind, {}).get(key, {}).get("ar", ""),
                    labels.get(kind, {}).get(key, {}).get("en", ""),
                    types.get(kind, {}).get(key, ""),
                )
                for key in data.get(kind, [])
            )

        return cls(name=name, hash=hash, topics=entries("topics"), actors=entries("actors"),
                   statement_types=entries("statement_types"), run_id=run_id)


_PLURALS = {"topics": "topic keys", "actors": "actor ids", "statement_types": "statement types"}


class StoredCodebook(Protocol):
    """Anything that knows the codebook it was annotated with (a :class:`~workbench.store.Store`)."""

    def codebook(self) -> CodebookSummary: ...


#: What every ``codebook=`` parameter of tables, charts and exports accepts.
CodebookLike = Codebook | CodebookSummary | StoredCodebook


def summary_of(codebook: CodebookLike | None) -> CodebookSummary | None:
    """The :class:`CodebookSummary` of a Codebook, a summary or a Store.

    Parameters
    ----------
    codebook : Codebook, CodebookSummary, Store or None
        A loaded codebook, a summary, or a store (the codebook of its latest run).

    Returns
    -------
    CodebookSummary or None
        None for None.

    Raises
    ------
    TypeError
        For anything else, saying what to pass.
    """
    if codebook is None or isinstance(codebook, CodebookSummary):
        return codebook
    if isinstance(codebook, Codebook):
        return codebook.summary()
    if callable(getattr(codebook, "codebook", None)):
        return codebook.codebook()
    raise TypeError(
        f"`codebook` must be a Codebook (load_codebook()), a CodebookSummary or a Store, not "
        f"{type(codebook).__name__}"
    )


@functools.lru_cache(maxsize=1)
def default_summary() -> CodebookSummary:
    """The summary of the default codebook (``workbench/data/codebook.toml``)."""
    return load_codebook().summary()


# --- loading ----------------------------------------------------------------------------

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
        or duplicate keys, empty term lists (a topic's ``terms`` may be empty: see
        :attr:`Codebook.topics_without_terms`), bad terms, bad or overlapping dates. The
        message lists every problem with the file, line and key.
    """
    p = Path(path) if path is not None else DEFAULT_CODEBOOK
    raw_bytes = read_codebook_file(p)
    cache_key = (str(p.resolve()), hashlib.sha1(raw_bytes).hexdigest())
    if cache_key not in _CACHE:
        raw, data = parse_codebook(str(p), raw_bytes)
        _CACHE[cache_key] = _build(str(p), validate(str(p), raw, data), data)
    return _CACHE[cache_key]


def _build(path: str, parts: dict, data: dict) -> Codebook:
    """A Codebook from :func:`codebook_validation.validate`'s parts."""
    meta, attr, matching = parts["meta"], parts["attribution"], parts["matching"]
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    return Codebook(
        path=path,
        name=meta.get("name", Path(path).stem),
        version=meta.get("version", ""),
        description=meta.get("description", ""),
        topics=tuple(
            Topic(t["key"], t["label_ar"], t["label_en"], tuple(t["terms"]), tuple(t["exclude"]),
                  tuple(t["context"]))
            for t in parts["topics"]
        ),
        actors=tuple(
            Actor(
                a["key"],
                a["type"],
                a["label_ar"],
                a["label_en"],
                tuple(a["aliases"]),
                tuple(Role(*r) for r in a["roles"]),
                tuple(a["exclude"]),
            )
            for a in parts["actors"]
        ),
        statement_types=tuple(
            StatementType(s["key"], s["label_ar"], s["label_en"], tuple(s["cues"]))
            for s in parts["statement_types"]
        ),
        verbs=tuple(Verb(v["forms"], v["type"], v["tenses"], v["relay"], v["then"]) for v in parts["verbs"]),
        **{name: tuple(attr.get(name, ())) for name in ATTRIBUTION_LISTS},
        subject_window=attr.get("subject_window", 6),
        title_words=tuple(matching.get("title_words", ())),
        former_words=tuple(matching.get("former_words", ())),
        hash=hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16],
    )
