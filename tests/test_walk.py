"""Finding article files: nothing in a folder is skipped without a word.

Unreadable files and folders, named pipes, dangling links, symbolic links to folders
(followed once; loops reported) — each is named in ``corpus.problems`` and the run goes
on with ``on_error="report"`` (which the command line uses). Permission tests run
unprivileged (see ``tests/unprivileged.py``): root reads everything.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from unprivileged import run_python, run_workbench

from workbench.corpus import CorpusError, load_corpus

ROOT = Path(__file__).resolve().parents[1]
SEED = next((ROOT / "seeds").glob("*.txt"))


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def open_tree(folder: Path) -> None:
    """Let an unprivileged process reach ``folder`` (pytest's tmp_path is private to root)."""
    for parent in [folder, *folder.parents]:
        if parent == Path("/"):
            break
        parent.chmod(parent.stat().st_mode | 0o711)


LOAD = """
import json, sys
from workbench.corpus import CorpusError, load_corpus
try:
    corpus = load_corpus(sys.argv[1] if len(sys.argv) > 1 else {path!r}, on_error={on_error!r})
except CorpusError as exc:
    print(json.dumps({{"error": str(exc)}}))
else:
    print(json.dumps({{"doc_ids": [d.doc_id for d in corpus],
                      "problems": [[p.path, p.message] for p in corpus.problems]}}))
"""


def load_unprivileged(path: Path, on_error: str) -> dict:
    done = run_python(LOAD.format(path=str(path), on_error=on_error))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_an_unreadable_file_is_reported_and_the_command_line_run_goes_on(tmp_path):
    folder = tmp_path / "articles"
    (folder / SEED.name).parent.mkdir(parents=True)
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    secret = write(folder / "secret.txt", "خبر لا يقرأ")
    secret.chmod(0)
    open_tree(folder)
    (tmp_path / "store").mkdir()
    (tmp_path / "store").chmod(0o777)
    done = run_workbench("annotate", str(folder), "--store", str(tmp_path / "store" / "s.sqlite"))
    assert done.returncode == 0, done.stderr
    assert "annotated 1 document(s)" in done.stdout
    assert (
        f"  problem: {secret}: skipped: cannot read the file (permission denied); give yourself "
        "read access (chmod u+r) and load again"
    ) in done.stdout.splitlines()
    # with on_error="raise" (the default in Python) it is a clear error naming the file
    assert load_unprivileged(folder, "raise") == {
        "error": f"{secret}: cannot read the file (permission denied); give yourself read access "
        "(chmod u+r) and load again"
    }


def test_an_unreadable_folder_is_reported_not_skipped_silently(tmp_path):
    root = tmp_path / "corpus"
    write(root / "ok.txt", "قمة")
    write(root / "locked" / "inside.txt", "خبر")
    open_tree(root)
    (root / "locked").chmod(0)
    message = (
        "cannot open the folder (permission denied), so its files were not loaded; give "
        "yourself read access (chmod u+rx) and load again"
    )
    assert load_unprivileged(root, "report") == {
        "doc_ids": ["ok"],
        "problems": [[str(root / "locked"), f"skipped: {message}"]],
    }
    assert load_unprivileged(root, "raise") == {"error": f"{root / 'locked'}: {message}"}


def test_symlinked_folders_are_followed_once_and_loops_reported(tmp_path):
    root = tmp_path / "corpus"
    write(root / "real" / "a.txt", "خبر أول")
    write(tmp_path / "outside" / "b.txt", "خبر ثان")
    (root / "wire").symlink_to(tmp_path / "outside", target_is_directory=True)  # followed
    (root / "again").symlink_to(root / "real", target_is_directory=True)  # the same folder twice
    (root / "real" / "up").symlink_to(root, target_is_directory=True)  # a loop
    corpus = load_corpus(root)
    assert [(d.doc_id, d.path) for d in corpus] == [
        ("a", str(root / "real" / "a.txt")),
        ("b", str(root / "wire" / "b.txt")),
    ]
    assert [(p.path, p.message) for p in corpus.problems] == [
        (str(root / "again"), f"not followed: a link to {root / 'real'}, which is loaded once already"),
        (str(root / "real" / "up"), f"not followed: a link to {root}, a folder it is inside of (a loop)"),
    ]


def test_a_named_pipe_is_reported_and_never_opened(tmp_path):
    root = tmp_path / "corpus"
    write(root / "ok.txt", "قمة")
    os.mkfifo(root / "feed.txt")
    message = "a named pipe (FIFO), not a regular file; save the article as a file and load again"
    # in a child process with a time limit: opening a pipe would wait for a writer forever
    assert load_unprivileged(root, "report") == {
        "doc_ids": ["ok"],
        "problems": [[str(root / "feed.txt"), f"skipped: {message}"]],
    }
    assert load_unprivileged(root / "feed.txt", "raise") == {"error": f"{root / 'feed.txt'}: {message}"}


def test_a_dangling_link_is_reported(tmp_path):
    root = tmp_path / "corpus"
    write(root / "ok.txt", "قمة")
    (root / "gone.txt").symlink_to(root / "deleted.txt")
    corpus = load_corpus(root, on_error="report")
    assert [d.doc_id for d in corpus] == ["ok"]
    assert [(p.path, p.message) for p in corpus.problems] == [
        (str(root / "gone.txt"), f"skipped: a link to {root / 'deleted.txt'}, which does not exist")
    ]
    with pytest.raises(CorpusError, match="gone.txt: a link to .*deleted.txt, which does not exist"):
        load_corpus(root)


@pytest.mark.parametrize("real", ["sub/report.txt", "../elsewhere/report.txt"])
def test_a_links_name_never_becomes_the_document_id(tmp_path, real):
    root = tmp_path / "corpus"
    target = write(root / real, "تقرير عن القمة")
    (root / "alias.txt").symlink_to(target)
    corpus = load_corpus(root)
    assert [d.doc_id for d in corpus] == ["report"]
    if real.startswith("sub"):  # reached twice: loaded once, by its own path
        assert corpus["report"].path == str(root / "sub" / "report.txt")
