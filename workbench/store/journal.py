"""The corrections journal in pure Python: its fields, its entries, and how they replay.

The journal is append-only. Each entry sets, adds or removes one value of one sentence:

- ``topics`` / ``actors``: ``add`` or ``remove`` one key, or ``set`` the whole list;
- ``speaker``, ``statement_type``, ``note``, ``reviewed``, ``furniture``: ``set`` only
  (``""`` clears; ``furniture`` is a kind of page furniture or ``""`` for body text).

An undo is an entry of its own whose ``reverts`` is the id of the entry it undoes; the
entries *in effect* are those that are neither undo entries nor undone
(:func:`effective`). A row's current values are its automatic values with the entries in
effect applied in journal order (:func:`replay`); its ``source`` is ``"manual"`` when
any of them touched it. Nothing here reads or writes SQLite (see ``sqlite.py``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..checks import check_annotator, check_choice, one_of
from ..codebook import CodebookSummary
from ..furniture import FURNITURE_KINDS

__all__ = [
    "ACTIONS",
    "ANNOTATED_FIELDS",
    "AUTO_FIELDS",
    "FIELDS",
    "JOURNAL_COLUMNS",
    "MANUAL_CONFIDENCE",
    "CorrectionError",
    "Entry",
    "as_bool",
    "by_sentence",
    "check_entry",
    "checked_value",
    "effective",
    "keys_of",
    "now",
    "ordered",
    "replay",
]


class CorrectionError(ValueError):
    """A correction that cannot be journaled (unknown sentence, field, action or key)."""


#: Journal fields and the actions each accepts.
FIELDS: dict[str, tuple[str, ...]] = {
    "topics": ("add", "remove", "set"),
    "actors": ("add", "remove", "set"),
    "speaker": ("set",),
    "statement_type": ("set",),
    "note": ("set",),
    "reviewed": ("set",),
    "furniture": ("set",),
}
ACTIONS = ("add", "remove", "set")
#: Fields that hold automatic values (what ``reset_to_automatic`` restores).
ANNOTATED_FIELDS = ("topics", "actors", "speaker", "statement_type", "furniture")
#: The automatic layer of a sentence, as the store keeps it (``confidence`` is a number).
AUTO_FIELDS = ("topics", "actors", "speaker", "statement_type", "speaker_rule", "furniture", "confidence")
#: The confidence of a speaker an analyst set by hand.
MANUAL_CONFIDENCE = 1.0
#: Columns of :meth:`Store.journal`.
JOURNAL_COLUMNS = ["id", "time", "annotator", "sentence_id", "field", "action", "value", "reverts"]

_TRUE = {"true", "1", "yes", "y", "x", "✓", "✔", "نعم"}
_FALSE = {"false", "0", "no", "n", "", "لا"}


@dataclass(frozen=True)
class Entry:
    """One journal entry as stored (``reverts``: the entry an undo reverts, else None)."""

    id: int
    annotator: str
    sentence_id: str
    field: str
    action: str
    value: str
    reverts: int | None


def now() -> str:
    """The time stamp of a new entry: UTC, ISO 8601, milliseconds."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def keys_of(value: str) -> list[str]:
    """The keys of a stored ``;``-joined cell (``""``: none)."""
    return [k for k in value.split(";") if k]


def ordered(keys: Iterable[str], order: Sequence[str]) -> str:
    """Join keys with ``;`` in codebook order; keys the codebook lacks go last, sorted."""
    rank = {k: i for i, k in enumerate(order)}
    unique = set(keys)
    return ";".join(sorted(unique, key=lambda k: (rank.get(k, len(rank)), k)))


def as_bool(value: Any) -> bool | None:
    """A ``reviewed`` value as a bool: True/False, 1/0, or words a spreadsheet writes
    (``TRUE``, ``yes``, ``✓``, ``نعم`` …); None when it is none of them."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def effective(entries: Iterable[Entry]) -> list[Entry]:
    """Entries in journal order that are in effect: not undo entries, not undone."""
    entries = list(entries)
    undone = {e.reverts for e in entries if e.reverts is not None}
    return sorted(
        (e for e in entries if e.reverts is None and e.id not in undone), key=lambda e: e.id
    )


def by_sentence(entries: Iterable[Entry]) -> dict[str, list[Entry]]:
    """The entries in effect, grouped by sentence, each group in journal order."""
    grouped: dict[str, list[Entry]] = defaultdict(list)
    for e in effective(entries):
        grouped[e.sentence_id].append(e)
    return grouped


def replay(
    auto: Mapping[str, Any], entries: Iterable[Entry], order: Mapping[str, Sequence[str]]
) -> dict[str, Any]:
    """Apply entries in effect (in journal order) to one row's automatic values.

    Parameters
    ----------
    auto : mapping
        The row's automatic ``topics, actors, speaker, statement_type, speaker_rule,
        furniture`` (missing ones are ``""``) and ``confidence`` (missing: 1.0).
    entries : iterable of Entry
        The entries in effect for the row (:func:`effective`), oldest first.
    order : mapping
        ``{"topics": [...], "actors": [...]}``: key lists are kept in this order.

    Returns
    -------
    dict
        ``topics, actors, speaker, statement_type, speaker_rule, furniture, confidence,
        note, reviewed, source``; ``speaker_rule`` is ``"manual"`` and ``confidence``
        :data:`MANUAL_CONFIDENCE` when the entries changed the speaker.
    """
    row: dict[str, Any] = {field: auto.get(field, "") or "" for field in AUTO_FIELDS}
    confidence = auto.get("confidence")
    row["confidence"] = 1.0 if confidence in (None, "") else float(confidence)
    row.update(note="", reviewed=False, source="auto")
    for e in entries:
        row["source"] = "manual"
        if e.field in ("topics", "actors"):
            keys = keys_of(row[e.field])
            if e.action == "add":
                keys.append(e.value)
            elif e.action == "remove":
                keys = [k for k in keys if k != e.value]
            else:
                keys = keys_of(e.value)
            row[e.field] = ordered(keys, order.get(e.field, ()))
        elif e.field == "reviewed":
            row["reviewed"] = e.value == "true"
        else:
            row[e.field] = e.value
    if row["speaker"] != (auto.get("speaker", "") or ""):
        row["speaker_rule"] = "manual"
        row["confidence"] = MANUAL_CONFIDENCE
    return row


def check_entry(field: str, action: str, *, annotator: str) -> None:
    """Check who corrects, the field and the action; :class:`CorrectionError` if wrong."""
    check_annotator(annotator, error=CorrectionError)
    check_choice("field", field, FIELDS, error=CorrectionError)
    check_choice("action", action, FIELDS[field], context=f"for field {field!r}", error=CorrectionError)


def checked_value(sentence_id: str, field: str, action: str, value: Any, *, codebook: CodebookSummary,
                  present: Callable[[], list[str]]) -> str:
    """Check a correction's value against the codebook; return it as the journal keeps it.

    Parameters
    ----------
    sentence_id : str
        The sentence (named in messages).
    field, action : str
        A field of :data:`FIELDS` and an action it accepts (see :func:`check_entry`).
    value : str, list of str or bool
        The value given to :meth:`Store.correct`.
    codebook : CodebookSummary
        The latest run's codebook: topic and actor keys must be in it, and a statement
        type too when it has statement types.
    present : callable
        Gives the keys the sentence's ``field`` has now; asked only when a key the
        codebook lacks is removed (an older codebook's key may be removed where present).

    Returns
    -------
    str
        The value to journal: keys ``;``-joined in codebook order for ``set``,
        ``"true"`` / ``"false"`` for ``reviewed``.

    Raises
    ------
    CorrectionError
        An unknown key, speaker or statement type, or a ``reviewed`` value that is not a bool.
    """
    if field in ("topics", "actors"):
        known = codebook.keys(field)
        keys = (value if isinstance(value, (list, tuple, set)) else keys_of(str(value))) if action == "set" \
            else [value]
        bad = [k for k in keys if not isinstance(k, str) or k not in known]
        if bad and action == "remove":
            bad = [k for k in bad if k not in present()]
        if bad:
            kind = "topic" if field == "topics" else "actor"
            raise CorrectionError(f"unknown {kind} key {bad[0]!r} for sentence {sentence_id!r}; the codebook "
                                  f"{codebook.name!r} has {known}")
        return ordered(keys, known) if action == "set" else keys[0]
    if field == "reviewed":
        flag = as_bool(value)
        if flag is None:
            raise CorrectionError(f"`reviewed` value = {value!r} is invalid; value must be True or False")
        return "true" if flag else "false"
    value = "" if value is None else str(value)
    if field == "furniture":
        value = value.strip()
    if field == "furniture" and value and value not in FURNITURE_KINDS:
        raise CorrectionError(f"`furniture` value = {value!r} is invalid for sentence {sentence_id!r}; "
                              f"value must be one of {one_of(FURNITURE_KINDS)} or '' for body text")
    if field == "speaker" and value and value not in codebook.actor_ids:
        raise CorrectionError(
            f"unknown speaker {value!r} for sentence {sentence_id!r}; a speaker is an actor id "
            f"of the codebook {codebook.name!r}: {codebook.actor_ids}"
        )
    known = codebook.statement_type_keys
    if field == "statement_type" and value and known and value not in known:
        raise CorrectionError(
            f"unknown statement_type {value!r} for sentence {sentence_id!r}; value must be one "
            f"of {one_of(known)}"
        )
    return value
