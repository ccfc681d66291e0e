"""Tests for workbench/shortcuts.py: which key press asks for what."""

import pytest

from workbench.shortcuts import SHORTCUTS, shortcut_action, shortcuts_html


@pytest.mark.parametrize(
    "event, expected",
    [
        ({"code": "Digit1", "key": "1"}, ("topic", 1)),
        ({"code": "Digit9", "key": "٩"}, ("topic", 9)),  # an Arabic layout types ٩ on the same key
        ({"code": "Numpad4", "key": "4"}, ("topic", 4)),
        ({"code": "Digit0", "key": "0"}, None),
        ({"code": "KeyA", "key": "ش"}, ("accept", None)),  # A on an Arabic layout
        ({"code": "Enter", "key": "Enter"}, ("accept", None)),
        ({"code": "KeyJ", "key": "j"}, ("next", None)),
        ({"code": "ArrowDown", "key": "ArrowDown"}, ("next", None)),
        ({"code": "KeyK", "key": "k"}, ("previous", None)),
        ({"code": "ArrowUp", "key": "ArrowUp"}, ("previous", None)),
        ({"code": "KeyU", "key": "u"}, ("undo", None)),
        ({"code": "KeyN", "key": "n"}, ("note", None)),
        ({"code": "Backspace", "key": "Backspace"}, None),
        ({"code": "KeyU", "key": "u", "ctrlKey": True}, None),
        ({"code": "KeyA", "key": "a", "metaKey": True}, None),
        ({"code": "Digit2", "key": "2", "repeat": True}, None),
        ({"code": "KeyJ", "key": "j", "type": "keyup"}, None),
    ],
)
def test_shortcut_action(event, expected):
    assert shortcut_action(event) == expected


def test_every_shortcut_is_listed():
    listed = shortcuts_html()
    for keys, what in SHORTCUTS:
        assert keys in listed and what in listed
