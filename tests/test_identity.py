"""Stable document identity: ids are given once and kept by the store, so adding, moving
and re-batching files never moves a correction to another document.

The articles are short texts written for these tests.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.store import Store

WIRE = (
    "تقرير الوكالة عن القمة\nقال الكرملين إن المحادثات مع واشنطن كانت صريحة.\nوأضاف أن الملف الأوكراني نوقش."
)
LOCAL = "تقرير محلي عن الطقس\nتوقعت الأرصاد أمطارا غزيرة في الشمال.\nونصحت السائقين بالحذر."
BATCH_1 = "خبر الدفعة الأولى\nأعلنت الوزارة خطة جديدة للنقل.\nوتبدأ الخطة الشهر المقبل."
BATCH_2 = "خبر الدفعة الثانية\nافتتح المعرض أبوابه أمس.\nوشارك فيه مئات العارضين."


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def annotate(store: Path, *paths: Path, capsys=None) -> str:
    assert main(["annotate", *map(str, paths), "--store", str(store)]) == 0
    return capsys.readouterr().out if capsys else ""


def note(store_path: Path, text: str, value: str) -> None:
    """A note on the sentence whose text is ``text``."""
    with Store(store_path) as store:
        sentences = store.sentences()
        sid = sentences.loc[sentences["text"] == text, "sentence_id"].item()
        store.correct(sid, "note", "set", value, annotator="huda")


def notes(store_path: Path) -> set[tuple[str, str, str]]:
    """(file name of its document, sentence text, note) for every note in the view."""
    with Store(store_path) as store:
        sentences = store.sentences()
        paths = dict(zip(store.documents()["doc_id"], store.documents()["path"], strict=True))
        assert store.orphaned_corrections().empty
    rows = sentences[sentences["note"] != ""]
    return {
        (Path(paths[d]).relative_to(store_path.parent).as_posix(), t, n)
        for d, t, n in zip(rows["doc_id"], rows["text"], rows["note"], strict=True)
    }


def test_a_new_file_never_takes_the_id_of_one_already_stored(tmp_path, capsys):
    store = tmp_path / "s.sqlite"
    write(tmp_path / "corpus" / "reuters" / "report.txt", WIRE)
    annotate(store, tmp_path / "corpus")
    note(store, "قال الكرملين إن المحادثات مع واشنطن كانت صريحة.", "ملاحظة على خبر الوكالة")
    with Store(store) as s:
        first_id = s.documents()["doc_id"].item()
    write(tmp_path / "corpus" / "report.txt", LOCAL)  # a shallower file with the same stem
    out = annotate(store, tmp_path / "corpus", capsys=capsys)
    assert notes(store) == {
        (
            "corpus/reuters/report.txt",
            "قال الكرملين إن المحادثات مع واشنطن كانت صريحة.",
            "ملاحظة على خبر الوكالة",
        )
    }
    with Store(store) as s:
        ids = dict(
            zip(
                s.documents()["path"].map(lambda p: Path(p).relative_to(tmp_path).as_posix()),
                s.documents()["doc_id"],
                strict=True,
            )
        )
    assert ids["corpus/reuters/report.txt"] == first_id == "report"
    assert ids["corpus/report.txt"] != "report" and ids["corpus/report.txt"].startswith("report-")
    assert (
        "  documents: 1 added, 1 kept, 0 with new text, 0 moved; 0 correction(s) orphaned by this run" in out
    )
    assert (
        f"  added: {ids['corpus/report.txt']} ({tmp_path / 'corpus' / 'report.txt'}; the id 'report' "
        f"belongs to {tmp_path / 'corpus' / 'reuters' / 'report.txt'})"
    ) in out


def test_a_second_batch_adds_to_the_store_and_replaces_nothing(tmp_path, capsys):
    store = tmp_path / "s.sqlite"
    write(tmp_path / "batch1" / "article.txt", BATCH_1)
    annotate(store, tmp_path / "batch1")
    note(store, "أعلنت الوزارة خطة جديدة للنقل.", "من الدفعة الأولى")
    write(tmp_path / "batch2" / "article.txt", BATCH_2)
    out = annotate(store, tmp_path / "batch2", capsys=capsys)
    note(store, "افتتح المعرض أبوابه أمس.", "من الدفعة الثانية")
    assert notes(store) == {
        ("batch1/article.txt", "أعلنت الوزارة خطة جديدة للنقل.", "من الدفعة الأولى"),
        ("batch2/article.txt", "افتتح المعرض أبوابه أمس.", "من الدفعة الثانية"),
    }
    with Store(store) as s:
        assert sorted(s.documents()["title"]) == ["خبر الدفعة الأولى", "خبر الدفعة الثانية"]
    assert "  documents: 1 added, 0 kept, 0 with new text, 0 moved" in out
    # annotating the first batch again keeps both, and both notes
    annotate(store, tmp_path / "batch1")
    assert len(notes(store)) == 2


def test_a_moved_file_keeps_its_id_and_its_corrections(tmp_path, capsys):
    store = tmp_path / "s.sqlite"
    write(tmp_path / "corpus" / "wire.txt", WIRE)
    write(tmp_path / "corpus" / "local.txt", LOCAL)
    annotate(store, tmp_path / "corpus")
    note(store, "توقعت الأرصاد أمطارا غزيرة في الشمال.", "ملاحظة الطقس")
    (tmp_path / "corpus" / "archive").mkdir()
    shutil.move(tmp_path / "corpus" / "local.txt", tmp_path / "corpus" / "archive" / "weather.txt")
    out = annotate(store, tmp_path / "corpus", capsys=capsys)
    assert notes(store) == {
        ("corpus/archive/weather.txt", "توقعت الأرصاد أمطارا غزيرة في الشمال.", "ملاحظة الطقس")
    }
    with Store(store) as s:
        assert sorted(s.documents()["doc_id"]) == ["local", "wire"]
    assert "  documents: 0 added, 1 kept, 0 with new text, 1 moved" in out
    assert (
        f"  moved: local: {tmp_path / 'corpus' / 'local.txt'} → "
        f"{tmp_path / 'corpus' / 'archive' / 'weather.txt'}"
    ) in out


def test_a_copy_of_a_stored_file_is_a_new_document(tmp_path):
    store = tmp_path / "s.sqlite"
    write(tmp_path / "outlet_a" / "story.txt", WIRE)
    annotate(store, tmp_path / "outlet_a")
    note(store, "وأضاف أن الملف الأوكراني نوقش.", "نسخة أ")
    write(tmp_path / "outlet_b" / "story.txt", WIRE)  # the same wire copy, still beside the first
    annotate(store, tmp_path / "outlet_b")
    with Store(store) as s:
        docs = s.documents()
    assert len(docs) == 2 and docs["doc_id"].nunique() == 2
    assert notes(store) == {("outlet_a/story.txt", "وأضاف أن الملف الأوكراني نوقش.", "نسخة أ")}


@pytest.mark.parametrize("edit", ["append", "rewrite"])
def test_an_edited_file_keeps_its_id(tmp_path, edit):
    store = tmp_path / "s.sqlite"
    f = write(tmp_path / "corpus" / "wire.txt", WIRE)
    annotate(store, tmp_path / "corpus")
    note(store, "وأضاف أن الملف الأوكراني نوقش.", "باقية")
    if edit == "append":
        f.write_text(WIRE + "\nفقرة أضيفت لاحقا.", encoding="utf-8")
    else:
        f.write_text(WIRE.replace("صريحة", "مفيدة"), encoding="utf-8")
    annotate(store, tmp_path / "corpus")
    with Store(store) as s:
        assert s.documents()["doc_id"].tolist() == ["wire"]
    assert notes(store) == {("corpus/wire.txt", "وأضاف أن الملف الأوكراني نوقش.", "باقية")}


# --- the rules alone (workbench/identity.py) ---------------------------------------------

from workbench.identity import Decision, Incoming, Known, assign_ids, path_key, path_keys  # noqa: E402


def _sha(text: str, n: int = 6) -> str:
    import hashlib

    return hashlib.sha1(text.encode()).hexdigest()[:n]


@pytest.mark.parametrize(
    "known, incoming, gone, expected",
    [
        # the same path: kept, or updated when its text changed
        (
            [Known("a", "c/a.txt", "h1")],
            [Incoming("a", "c/a.txt", "h1")],
            set(),
            [Decision("a", "a", "kept", "c/a.txt")],
        ),
        (
            [Known("a", "c/a.txt", "h1")],
            [Incoming("a", "c/a.txt", "h2")],
            set(),
            [Decision("a", "a", "updated", "c/a.txt")],
        ),
        # a new file whose proposed id is stored already gets a new one
        (
            [Known("report", "c/reuters/report.txt", "h1")],
            [Incoming("report", "c/report.txt", "h2"), Incoming("report-x", "c/reuters/report.txt", "h1")],
            set(),
            [
                Decision("report", "report-" + _sha("c/report.txt"), "added", ""),
                Decision("report-x", "report", "kept", "c/reuters/report.txt"),
            ],
        ),
        # the same text at a new path while the old file is gone: moved
        (
            [Known("a", "c/a.txt", "h1")],
            [Incoming("b", "c/old/b.txt", "h1")],
            {"c/a.txt"},
            [Decision("b", "a", "moved", "c/a.txt")],
        ),
        # ... but while the old file is still there it is a copy
        (
            [Known("a", "c/a.txt", "h1")],
            [Incoming("a", "d/a.txt", "h1")],
            set(),
            [Decision("a", "a-" + _sha("d/a.txt"), "added", "")],
        ),
        # ... or when the old path is loaded in the same run
        (
            [Known("a", "c/a.txt", "h1")],
            [Incoming("a", "c/a.txt", "h2"), Incoming("b", "c/b.txt", "h1")],
            set(),
            [Decision("a", "a", "updated", "c/a.txt"), Decision("b", "b", "added", "")],
        ),
        # two copies moved together: one takes the stored document, the other is new
        (
            [Known("a", "c/a.txt", "h1")],
            [Incoming("x", "d/x.txt", "h1"), Incoming("y", "d/y.txt", "h1")],
            {"c/a.txt"},
            [Decision("x", "a", "moved", "c/a.txt"), Decision("y", "y", "added", "")],
        ),
        # a record without a path is the stored document of its id
        (
            [Known("r1", "", "h1")],
            [Incoming("r1", "", "h9"), Incoming("r2", "", "h1")],
            set(),
            [Decision("r1", "r1", "updated", ""), Decision("r2", "r2", "added", "")],
        ),
        # a fresh id that is taken too gets more digits
        (
            [Known("a", "x/a.txt", "h0"), Known("a-" + _sha("c/a.txt"), "y/a.txt", "h9")],
            [Incoming("a", "c/a.txt", "h1")],
            set(),
            [Decision("a", "a-" + _sha("c/a.txt", 8), "added", "")],
        ),
    ],
)
def test_assign_ids(known, incoming, gone, expected):
    assert assign_ids(incoming, known, exists=lambda key: key not in gone) == expected


def test_path_keys_are_relative_to_the_store_folder_or_absolute(tmp_path):
    inside = write(tmp_path / "project" / "articles" / "a.txt", "أ")
    outside = write(tmp_path / "elsewhere" / "b.txt", "ب")
    link = tmp_path / "project" / "wire"
    link.symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    base = tmp_path / "project"
    assert path_key(inside, base=base) == "articles/a.txt"
    assert path_key(outside, base=base) == outside.resolve().as_posix()
    assert path_key(link / "b.txt", base=base) == outside.resolve().as_posix()  # which file it is
    assert path_key("", base=base) == ""


def test_path_keys_of_many_files_resolve_links_as_one_file_at_a_time_does(tmp_path, monkeypatch):
    """path_keys resolves each folder once; a linked file, a linked folder, a link to a link,
    '..', relative paths and files outside the store folder come out as os.path.realpath says."""
    base = tmp_path / "project"
    a = write(base / "articles" / "a.txt", "أ")
    b = write(tmp_path / "elsewhere" / "b.txt", "ب")
    (base / "articles" / "linked.txt").symlink_to(b)
    (base / "wire").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (base / "articles" / "again.txt").symlink_to(base / "articles" / "linked.txt")
    monkeypatch.chdir(base)
    paths = [a, "articles/a.txt", "articles/linked.txt", "articles/again.txt", base / "wire" / "b.txt",
             "wire/../articles/a.txt", b, "articles/missing.txt", "", str(base / "articles" / ".."), base]

    def one(path):  # the definition: the resolved path, relative to the resolved base when inside
        if not str(path):
            return ""
        real, root = Path(os.path.realpath(path)), Path(os.path.realpath(base))
        return real.relative_to(root).as_posix() if real.is_relative_to(root) else real.as_posix()

    assert path_keys(paths, base=base) == [one(p) for p in paths]
    assert path_keys(paths, base=base)[:4] == ["articles/a.txt", "articles/a.txt", b.resolve().as_posix(),
                                               b.resolve().as_posix()]
