"""Keeping the store file whole (workbench/store/safety.py): failed writes say why in plain
words, a copy taken any time holds every correction, a crafted file is refused.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import make_annotations, sid
from unprivileged import run_python

from workbench.cli import main
from workbench.store import Store, StoreError

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "s.sqlite") as s:
        s.save_annotations(make_annotations())
        yield s


# --------------------------------------------------------------------------- failed writes


def test_a_store_locked_past_the_timeout_is_a_store_write_error_in_plain_words(store):
    from workbench.store import StoreWriteError

    target = sid(store, "a", 1)
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program writing, and taking its time
    try:
        with Store(store.path, timeout=0.2) as panel_store:
            with pytest.raises(StoreWriteError) as info:
                panel_store.correct(target, "note", "set", "لن تحفظ", annotator="huda")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert info.value.reason == "locked"
    assert str(info.value) == (
        f"nothing was saved: the store {str(store.path)!r} stayed locked by another program (a notebook or a "
        "`workbench` command writing to it) for more than 0.2 s; try again when it has finished"
    )
    assert store.journal().empty


def test_a_read_only_store_is_a_store_write_error_in_plain_words(store, tmp_path):
    target = sid(store, "a", 1)
    store.close()
    path = store.path
    for p in (tmp_path, path):
        p.chmod(0o755 if p.is_dir() else 0o644)
    path.chmod(0o444)
    code = textwrap.dedent(f"""
        from workbench.store import Store, StoreWriteError
        store = Store({str(path)!r})
        print(store.sentence_count())
        try:
            store.correct({target!r}, "note", "set", "لن تحفظ", annotator="huda")
        except StoreWriteError as exc:
            print(exc.reason)
            print(exc)
    """)
    done = run_python(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "6",
        "read-only",
        f"nothing was saved: the store {str(path)!r} is read-only (the file or its folder may not be written "
        "to); make it writable (chmod u+w), or copy it somewhere you may write",
    ]


def test_a_full_disk_is_a_store_write_error_in_plain_words(store):
    from workbench.store import StoreWriteError

    target = sid(store, "a", 1)
    pages = store.query("PRAGMA page_count")[0][0]
    store.query(f"PRAGMA max_page_count = {pages}")  # no room for one more page, as on a full disk
    with pytest.raises(StoreWriteError) as info:
        store.correct(target, "note", "set", "ملاحظة طويلة " * 20_000, annotator="huda")
    assert info.value.reason == "disk full"
    assert str(info.value) == (
        f"nothing was saved: the disk holding the store {str(store.path)!r} is full; free some space and "
        "try again"
    )
    store.query(f"PRAGMA max_page_count = {10 * pages}")
    assert store.journal().empty
    store.correct(target, "note", "set", "قصيرة", annotator="huda")  # the store works again
    assert store.journal()["value"].tolist() == ["قصيرة"]


# --------------------------------------------------------------------------- copies


def test_a_plain_copy_of_an_open_store_holds_every_correction(store, tmp_path):
    a1 = sid(store, "a", 1)
    for i in range(5):
        store.correct(a1, "note", "set", f"ملاحظة {i}", annotator="huda")
    # the store is still open, as in a running notebook; the analyst copies the file a
    # moment after the last edit (the store folds its log in once writes pause)
    deadline, found = time.monotonic() + 10, []
    while time.monotonic() < deadline:
        copy = tmp_path / "copy.sqlite"
        shutil.copyfile(store.path, copy)
        with Store(copy) as copied:
            found = copied.journal()["value"].tolist()
        copy.unlink()
        if len(found) == 5:
            break
        time.sleep(0.1)
    assert found == [f"ملاحظة {i}" for i in range(5)]


def test_closing_the_store_folds_its_wal_into_the_file(store):
    store.correct(sid(store, "a", 1), "note", "set", "x", annotator="huda")
    store.close()
    wal = store.path.with_name(store.path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


PANEL = textwrap.dedent("""
    import sys
    from workbench.store import Store
    from workbench.widgets import ReviewPanel
    store = Store(sys.argv[1])
    panel = ReviewPanel(store, annotator="huda")
    for i, topic in enumerate(["iran", "cyber", "minsk"]):
        panel.next()
        panel._on_topic(topic, True)
        panel.note.value = f"ملاحظة {i}"
    print(store.last_entry_id(), flush=True)
    sys.stdin.readline()  # the panel stays open until the test is done
""")


def test_workbench_backup_while_the_panel_is_open_holds_every_correction(store, tmp_path, capsys):
    store.close()
    panel = subprocess.Popen(
        [sys.executable, "-c", PANEL, str(store.path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        last = int(panel.stdout.readline())
        assert last >= 6
        dest = tmp_path / "backups" / "copy.sqlite"
        dest.parent.mkdir()
        assert main(["backup", str(store.path), str(dest)]) == 0
        assert capsys.readouterr().out.startswith(f"backed up {store.path} to {dest}: ")
        with Store(dest) as copy, Store(store.path) as live:
            assert copy.last_entry_id() == last
            assert copy.journal().drop(columns="time").equals(live.journal().drop(columns="time"))
            assert copy.sentences().equals(live.sentences())
        assert sqlite3.connect(dest).execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        panel.communicate("\n", timeout=30)


def test_store_backup_refuses_to_overwrite_the_store_itself(store):
    with pytest.raises(StoreError, match="is the store itself"):
        store.backup(store.path)


# --------------------------------------------------------------------------- crafted files


def crafted(path: Path, *statements: str) -> Path:
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in statements:
        conn.execute(statement)
    conn.close()
    return path


@pytest.mark.parametrize(
    "statements, message",
    [
        (
            ["CREATE TRIGGER spy AFTER INSERT ON corrections BEGIN DELETE FROM documents; END"],
            "it has trigger 'spy', which no workbench store has",
        ),
        (
            [
                "DROP TRIGGER corrections_no_delete",
                "CREATE TRIGGER corrections_no_delete BEFORE DELETE ON corrections BEGIN SELECT 1; END",
            ],
            "its trigger 'corrections_no_delete' differs from the workbench's",
        ),
        (
            ["CREATE VIEW extra AS SELECT * FROM documents"],
            "it has view 'extra', which no workbench store has",
        ),
        (["CREATE TABLE extra (x)"], "it has table 'extra', which no workbench store has"),
    ],
)
def test_a_store_whose_schema_was_changed_outside_the_workbench_is_refused(store, statements, message):
    store.close()
    crafted(store.path, *statements)
    with pytest.raises(StoreError) as info:
        Store(store.path)
    assert str(info.value).startswith(f"{str(store.path)!r} was changed outside the workbench: {message}")
    assert "open a backup" in str(info.value)


def test_a_recursive_view_in_place_of_a_table_cannot_hang_the_export(store, tmp_path):
    store.close()
    crafted(
        store.path,
        "DROP TABLE auto_mentions",
        "CREATE VIEW auto_mentions AS WITH RECURSIVE r(mention_id) AS (SELECT 1 UNION ALL "
        "SELECT mention_id + 1 FROM r) SELECT mention_id, 0 AS run_id, 'a' AS doc_id, 'a:1' AS sentence_id, "
        "0 AS start, 1 AS \"end\", 'x' AS surface, 'topic' AS kind, 'k' AS key, 'r' AS rule FROM r",
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "workbench.cli",
            "export",
            "--store",
            str(store.path),
            "--out",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == 2
    assert done.stderr.startswith(
        f"workbench export: error: {str(store.path)!r} was changed outside the "
        "workbench: 'auto_mentions' is a view, not the workbench's table"
    )
