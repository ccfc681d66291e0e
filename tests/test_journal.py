"""Tests for workbench/store/journal.py: the journal in pure Python (no store needed)."""

from __future__ import annotations

import pytest

from workbench.codebook import CodebookEntry, CodebookSummary
from workbench.store.journal import (
    CorrectionError,
    Entry,
    as_bool,
    by_sentence,
    check_entry,
    checked_value,
    effective,
    ordered,
    replay,
)

ORDER = {"topics": ["ukraine", "minsk", "iran"], "actors": ["putin", "biden"]}
CODEBOOK = CodebookSummary(
    name="t",
    topics=tuple(CodebookEntry(k) for k in ORDER["topics"]),
    actors=tuple(CodebookEntry(k) for k in ORDER["actors"]),
    statement_types=(CodebookEntry("concern"),),
)
AUTO = {"topics": "iran", "actors": "putin", "speaker": "putin", "statement_type": "", "speaker_rule": "قال"}


def entry(
    id_: int, field: str, action: str, value: str, reverts: int | None = None, who: str = "huda"
) -> Entry:
    return Entry(id_, who, "d:1", field, action, value, reverts)


@pytest.mark.parametrize(("keys", "expected"), [
    (["iran", "ukraine"], "ukraine;iran"),
    (["zeta", "iran", "alpha", "iran"], "iran;alpha;zeta"),  # unknown keys last, sorted; no repeats
    ([], ""),
])
def test_ordered_joins_keys_in_codebook_order(keys, expected):
    assert ordered(keys, ORDER["topics"]) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (True, True), (0, False), ("TRUE", True), (" yes ", True), ("✓", True), ("نعم", True),
    ("false", False), ("", False), ("لا", False), ("maybe", None), (2, None),
])
def test_as_bool_reads_what_spreadsheets_write(value, expected):
    assert as_bool(value) is expected


def test_effective_leaves_out_undo_entries_and_what_they_undo():
    entries = [
        entry(3, "note", "set", "ب"),
        entry(1, "note", "set", "أ"),
        entry(4, "note", "set", "", reverts=3),
    ]
    assert [e.id for e in effective(entries)] == [1]
    grouped = by_sentence([*entries, Entry(5, "omar", "d:2", "reviewed", "set", "true", None)])
    assert {sid: [e.id for e in es] for sid, es in grouped.items()} == {"d:1": [1], "d:2": [5]}


@pytest.mark.parametrize(
    ("entries", "changed"),
    [
        ([], {}),
        ([entry(1, "topics", "add", "ukraine")], {"topics": "ukraine;iran", "source": "manual"}),
        ([entry(1, "topics", "remove", "iran")], {"topics": "", "source": "manual"}),
        ([entry(1, "topics", "set", "minsk;ukraine")], {"topics": "ukraine;minsk", "source": "manual"}),
        (
            [entry(1, "speaker", "set", "biden")],
            {"speaker": "biden", "speaker_rule": "manual", "source": "manual"},
        ),
        (
            [entry(1, "speaker", "set", "biden"), entry(2, "speaker", "set", "putin")],
            {"source": "manual"},
        ),  # back to the automatic speaker: its rule stays
        (
            [entry(1, "reviewed", "set", "true"), entry(2, "note", "set", "راجع")],
            {"reviewed": True, "note": "راجع", "source": "manual"},
        ),
    ],
)
def test_replay_applies_entries_in_order(entries, changed):
    base = {**AUTO, "furniture": "", "confidence": 1.0, "note": "", "reviewed": False, "source": "auto"}
    assert replay(AUTO, entries, ORDER) == {**base, **changed}


@pytest.mark.parametrize(
    ("field", "action", "annotator", "message"),
    [
        (
            "topic",
            "add",
            "huda",
            "`field` value = 'topic' is invalid; value must be one of {'topics', 'actors', "
            "'speaker', 'statement_type', 'note', 'reviewed', 'furniture'}",
        ),
        (
            "note",
            "add",
            "huda",
            "`action` value = 'add' is invalid for field 'note'; value must be one of {'set'}",
        ),
        (
            "note",
            "set",
            " ",
            "`annotator` value = ' ' is invalid; give a non-empty name, e.g. annotator='huda'",
        ),
    ],
)
def test_check_entry(field, action, annotator, message):
    with pytest.raises(CorrectionError) as info:
        check_entry(field, action, annotator=annotator)
    assert str(info.value) == message


@pytest.mark.parametrize(("field", "action", "value", "expected"), [
    ("topics", "set", ["iran", "ukraine"], "ukraine;iran"),
    ("topics", "set", "minsk;ukraine", "ukraine;minsk"),
    ("topics", "add", "minsk", "minsk"),
    ("topics", "remove", "retired", "retired"),  # an older codebook's key, present on the row
    ("reviewed", "set", "TRUE", "true"),
    ("speaker", "set", None, ""),
    ("statement_type", "set", "concern", "concern"),
    ("note", "set", "=1+1", "=1+1"),
])
def test_checked_value_gives_the_value_as_journaled(field, action, value, expected):
    got = checked_value("d:1", field, action, value, codebook=CODEBOOK, present=lambda: ["iran", "retired"])
    assert got == expected


@pytest.mark.parametrize(("field", "action", "value", "message"), [
    ("topics", "add", "cyber", "unknown topic key 'cyber' for sentence 'd:1'; the codebook 't' has "
                               "['ukraine', 'minsk', 'iran']"),
    ("topics", "remove", "cyber", "unknown topic key 'cyber'"),  # not on the row either
    ("speaker", "set", "lavrov", "unknown speaker 'lavrov' for sentence 'd:1'; a speaker is an actor id"),
    ("statement_type", "set", "denial", "unknown statement_type 'denial' for sentence 'd:1'; value must be "
                                        "one of {'concern'}"),
    ("reviewed", "set", "maybe", "`reviewed` value = 'maybe' is invalid; value must be True or False"),
])
def test_checked_value_refuses(field, action, value, message):
    with pytest.raises(CorrectionError) as info:
        checked_value("d:1", field, action, value, codebook=CODEBOOK, present=lambda: ["iran"])
    assert str(info.value).startswith(message)
