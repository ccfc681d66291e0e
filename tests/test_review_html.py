"""Tests for workbench/review_html.py: status sentences and the evidence list (the
sentence HTML is tested in test_widgets.py)."""

import sqlite3

import pytest
from test_store import CODEBOOK

from workbench.review_html import change_sentence, evidence_items, write_failure
from workbench.store import StoreError

SUMMARY = CODEBOOK.summary()


@pytest.mark.parametrize(
    "change, expected",
    [
        (("topics", "add", "iran"), "the topic إيران (Iran) added"),
        (("topics", "remove", "ukraine"), "the topic أوكرانيا (Ukraine) removed"),
        (("topics", "set", "ukraine;iran"), "the topics set to أوكرانيا (Ukraine), إيران (Iran)"),
        (("topics", "set", ""), "the topics set to none"),
        (("actors", "add", "putin"), "the actor بوتين (Putin) added"),
        (("speaker", "set", "kremlin"), "the speaker set to الكرملين (Kremlin)"),
        (("speaker", "set", ""), "the speaker removed"),
        (("statement_type", "set", ""), "the statement type cleared"),
        (("reviewed", "set", True), "marked as reviewed"),
        (("reviewed", "set", "false"), "the reviewed mark taken off"),
        (("note", "set", "x"), "the note saved"),
    ],
)
def test_change_sentence(change, expected):
    assert change_sentence(*change, SUMMARY) == expected


@pytest.mark.parametrize(
    "exc, start",
    [
        (
            sqlite3.OperationalError("database is locked"),
            "Not saved: another program is writing to the store (s.sqlite)",
        ),
        (
            sqlite3.OperationalError("attempt to write a readonly database"),
            "Not saved: the store file (s.sqlite) cannot be written (it is read-only). Make it writable",
        ),
        (
            sqlite3.OperationalError("database or disk is full"),
            "Not saved: the disk holding the store (s.sqlite) is full",
        ),
        (StoreError("odd"), "Not saved: the store (s.sqlite) refused the change (odd). Try again"),
    ],
)
def test_write_failure_in_plain_words(exc, start):
    said = write_failure(exc, store_path="s.sqlite")
    assert said.startswith(start) and said.endswith("The panel shows what the store holds.")


def test_evidence_items_with_confidence_and_hand_changes():
    record = {
        "topics": ["iran"],
        "actors": ["putin"],
        "speaker": "putin",
        "confidence": 0.62,
        "auto": {
            "topics": ["ukraine"],
            "actors": ["putin"],
            "speaker": "putin",
            "speaker_rule": "verb=قال subject=بوتين",
        },
        "mentions": [
            {"kind": "actor", "key": "putin", "surface": "بوتين", "rule": "بوتين"},
            {"kind": "topic", "key": "ukraine", "surface": "كييف", "rule": "كييف"},
        ],
    }
    items = evidence_items(record, SUMMARY)
    assert [(i.kind, i.key, i.text, i.undo, i.by_hand, i.removed) for i in items] == [
        ("topic", "iran", "topic إيران (Iran): added by hand", ("topics", "remove", "iran"), True, False),
        (
            "topic",
            "ukraine",
            "topic أوكرانيا (Ukraine): removed by hand "
            "(the automatic pass matched «\u2068كييف\u2069» (\u2068كييف\u2069))",
            ("topics", "add", "ukraine"),
            False,
            True,
        ),
        (
            "actor",
            "putin",
            "actor بوتين (Putin): matched «\u2068بوتين\u2069» (\u2068بوتين\u2069)",
            ("actors", "remove", "putin"),
            False,
            False,
        ),
        (
            "speaker",
            "putin",
            "speaker بوتين (Putin): verb \u2068قال\u2069 · subject \u2068بوتين\u2069 · "
            "rule \u2068verb=قال subject=بوتين\u2069 · "
            "confidence 0.62",
            ("speaker", "set", ""),
            False,
            False,
        ),
    ]
