"""Tests for workbench/shortcuts.py: which key press asks for what."""

import pytest

from workbench.shortcuts import SHORTCUTS, panel_keys, shortcut_action, shortcuts_html


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
        ({"code": "KeyS", "key": "س"}, ("speaker", None)),  # S on an Arabic layout
        ({"code": "Escape", "key": "Escape"}, None),  # Esc is the page's: it leaves a box
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


def test_the_listener_sends_the_shortcut_keys_and_puts_the_cursor_in_the_boxes_named():
    heard = []
    keys = panel_keys("wb-review-panel", heard.append, focus={"KeyN": ".wb-note textarea"})
    assert keys.container == ".wb-review-panel" and keys.focus == {"KeyN": ".wb-note textarea"}
    assert {"Digit1", "Numpad9", "KeyA", "Enter", "KeyS", "KeyN", "ArrowUp"} <= set(keys.codes)
    assert "Digit0" not in keys.codes and "Backspace" not in keys.codes
    keys._handle_custom_msg({"type": "keydown", "code": "KeyJ", "key": "j", "repeat": False}, [])
    assert heard == [{"type": "keydown", "code": "KeyJ", "key": "j", "repeat": False}]
