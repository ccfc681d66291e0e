"""Fault injection: processes killed at random points, writers at once, re-annotation
under readers, locked and read-only stores under the panel, a Dask worker's death.

Every test asserts the same thing in the end: each correction a process acknowledged
(it printed the entry's id after ``correct`` returned) is in the journal, and lands on
the sentence it was made on — the same document, the same text. Kill points are drawn
from a seeded generator; the invariants hold wherever they fall.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from workbench.store import Store

ROOT = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent
pytestmark = pytest.mark.slow

# A corpus of hand-made runs, big enough that reads and writes take a while: run "A" and
# run "B" give the same documents different texts (so different sentence ids) and actors.
MAKE_RUN = textwrap.dedent("""
    import sys
    sys.path.insert(0, {tests!r})
    from conftest import make_annotations

    def run(variant, n_docs={n_docs}, n_sentences={n_sentences}):
        name, actor = {{"A": ("بوتين", "putin"), "B": ("بايدن", "biden")}}[variant]
        texts = {{f"d{{i:03d}}": "\\n".join([f"عنوان الخبر {{i}}"] + [f"قال {{name}} إن الأمر {{j}} مهم."
                                                                 for j in
                                            range(n_sentences)]) for i in range(n_docs)}}
        auto = {{(d, j): {{"actors": actor}} for d in texts for j in range(1, n_sentences + 1)}}
        return make_annotations(texts, auto)
""")


def run_code(n_docs: int = 150, n_sentences: int = 10) -> str:
    return MAKE_RUN.format(tests=str(TESTS), n_docs=n_docs, n_sentences=n_sentences)


def new_store(path: Path, variant: str = "A", **size) -> Path:
    code = (
        run_code(**size)
        + f"\nfrom workbench.store import Store\nStore({str(path)!r}).save_annotations(run({variant!r}))\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    return path


def spawn(code: str, *args: str) -> subprocess.Popen:
    """A Python child; its stderr goes with its stdout (error lines are not acknowledgements)."""
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
    )


def finish(proc: subprocess.Popen, timeout: float = 300) -> str:
    """All the child's output once it ends (read through the same buffer as its first lines)."""
    out = proc.stdout.read()
    proc.wait(timeout)
    proc.stdout.close()
    return out


CORRECTOR = textwrap.dedent("""
    import random, sys
    from workbench.store import Store
    store = Store(sys.argv[1], timeout=60)
    who, seed = sys.argv[2], int(sys.argv[3])
    rng = random.Random(seed)
    ids = store.sentence_ids()
    print("ready", flush=True)
    for i in range(int(sys.argv[4])):
        target = rng.choice(ids)
        record = store.sentence_record(target)
        entry = store.correct(target, "note", "set", f"{who} {i}", annotator=who)
        print(entry, target, record["doc_id"], record["text"], sep="\\t", flush=True)
""")


def acknowledged(output: str) -> list[tuple[int, str, str, str]]:
    """``(entry id, sentence id, doc id, sentence text)`` for each line a corrector finished."""
    rows = []
    for line in output.splitlines():
        parts = line.split("\t")
        if len(parts) == 4 and parts[0].isdigit():
            rows.append((int(parts[0]), parts[1], parts[2], parts[3]))
    return rows


def assert_all_present(path: Path, acks: list[tuple[int, str, str, str]]) -> None:
    """Every acknowledged entry is in the journal, on the same sentence of the same document."""
    with Store(path) as store:
        assert store.query("PRAGMA integrity_check") == [("ok",)]
        journal = store.journal().set_index("id")
        sentences = store.sentences().set_index("sentence_id")
    missing = [a for a in acks if a[0] not in journal.index]
    assert not missing, f"{len(missing)} acknowledged correction(s) lost, e.g. {missing[:3]}"
    for entry, sid, doc_id, text in acks:
        assert journal.loc[entry, "sentence_id"] == sid
        assert (sentences.loc[sid, "doc_id"], sentences.loc[sid, "text"]) == (doc_id, text)


# --------------------------------------------------------------------------- finding 6


READER_WRITER = textwrap.dedent("""
    import sys, time
    from workbench.store import Store
    store = Store(sys.argv[1], timeout=60)
    runs = [run("A"), run("B")]
    print("ready", flush=True)
    for k in range(int(sys.argv[2])):
        store.save_annotations(runs[k % len(runs)])
        print(k, flush=True)
""")


def test_every_view_is_one_snapshot_while_the_store_is_annotated_again(tmp_path):
    path = new_store(tmp_path / "s.sqlite", n_docs=100)
    writer = spawn(run_code(n_docs=100) + READER_WRITER, str(path), "10")
    assert writer.stdout.readline() == "ready\n"
    mixed, views = [], 0
    with Store(path) as store:
        while writer.poll() is None:
            sentences, mentions = store.view()
            views += 1
            # run A's sentences name بوتين and its mentions are putin; run B's بايدن and biden
            names = {name for name in ("بوتين", "بايدن") if sentences["text"].str.contains(name).any()}
            keys = set(mentions["key"])
            runs = {"A" for _ in names if "بوتين" in names} | {"B" for _ in names if "بايدن" in names}
            runs |= {"A" for _ in keys if "putin" in keys} | {"B" for _ in keys if "biden" in keys}
            if len(runs) != 1 or not set(mentions["sentence_id"]) <= set(sentences["sentence_id"]):
                mixed.append(views)
        runs_done = len(store.runs())
    out = finish(writer)
    assert writer.returncode == 0, out
    assert runs_done == 11 and views >= 5  # the writer really ran while the views were read
    assert mixed == [], f"{len(mixed)} of {views} views mixed two runs"


EXPORTER = textwrap.dedent("""
    import sys
    from workbench.export import export
    from workbench.store import Store
    with Store(sys.argv[1]) as store:
        print("start", flush=True)
        export(store, sys.argv[2], compare=False)
    print("done", flush=True)
""")


def check_export_folder(out: Path) -> int:
    """The folder holds one whole export: the manifest's as_of and row counts are the files'."""
    import pandas as pd

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    sentences = pd.read_csv(out / "sentences.csv", encoding="utf-8-sig", keep_default_na=False, dtype=str)
    assert set(sentences["as_of"]) == {str(manifest["as_of"])}
    for name, rows in manifest["row_counts"].items():
        frame = pd.read_csv(out / name, encoding="utf-8-sig", keep_default_na=False, dtype=str)
        assert len(frame) == rows, name
    return manifest["as_of"]


def test_an_export_killed_at_any_point_leaves_a_whole_export_and_no_stray_files(tmp_path):
    from workbench.export import export

    path = new_store(tmp_path / "s.sqlite", n_docs=150)
    out = tmp_path / "exports"
    rng = random.Random(10)
    with Store(path) as store:
        target = store.sentence_ids()[5]
        export(store, out, compare=False)
        start = time.monotonic()
        export(store, tmp_path / "timing", compare=False)
        took = time.monotonic() - start
        killed_midway = 0
        for k in range(4):
            store.correct(target, "note", "set", f"نسخة {k}", annotator="huda")  # a new as_of
            before = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["as_of"]
            proc = spawn(EXPORTER, str(path), str(out))
            assert proc.stdout.readline() == "start\n"
            time.sleep(rng.uniform(0, took * 1.5))
            proc.send_signal(signal.SIGKILL)
            finish(proc)
            killed_midway += proc.returncode == -signal.SIGKILL
            assert check_export_folder(out) in (before, store.last_entry_id())
        assert killed_midway >= 2, "too few kills landed while the export was writing"
        export(store, out, compare=False)  # the next export cleans up what the killed ones left
        assert check_export_folder(out) == store.last_entry_id()
    strays = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] + [
        p.name for p in out.iterdir() if p.name.startswith(".") or p.suffix == ".tmp"
    ]
    assert strays == []


# --------------------------------------------------------------------------- killed writers


def test_correctors_killed_at_random_points_lose_no_acknowledged_correction(tmp_path):
    path = new_store(tmp_path / "s.sqlite")
    rng = random.Random(3)
    procs = [spawn(CORRECTOR, str(path), f"w{k}", str(k), "100000") for k in range(4)]
    assert [p.stdout.readline() for p in procs] == ["ready\n"] * 4
    start = time.monotonic()
    kill_at = [rng.uniform(0.1, 1.5) for _ in procs]
    for proc, at in sorted(zip(procs, kill_at, strict=True), key=lambda pair: pair[1]):
        time.sleep(max(0.0, start + at - time.monotonic()))
        proc.send_signal(signal.SIGKILL)
    acks = [a for proc in procs for a in acknowledged(finish(proc))]
    assert all(proc.returncode == -signal.SIGKILL for proc in procs)
    assert len(acks) >= 20
    assert_all_present(path, acks)


def test_writers_at_once_and_a_reannotation_lose_nothing_and_misplace_nothing(tmp_path):
    path = new_store(tmp_path / "s.sqlite")
    writers = [spawn(CORRECTOR, str(path), who, str(seed), "40") for seed, who in enumerate(("huda", "omar"))]
    assert [w.stdout.readline() for w in writers] == ["ready\n", "ready\n"]
    # the same texts annotated again (run "A" twice): every sentence keeps its id and its corrections
    annotator = spawn(
        run_code() + READER_WRITER.replace('[run("A"), run("B")]', '[run("A")]'), str(path), "3"
    )
    results = [finish(w) for w in writers]
    finish(annotator)
    assert [w.returncode for w in writers] == [0, 0] and annotator.returncode == 0, results
    acks = [a for out in results for a in acknowledged(out)]
    assert len(acks) == 80
    assert_all_present(path, acks)


ANNOTATE_CORPUS = textwrap.dedent("""
    import importlib.util, sys
    from pathlib import Path
    sys.path.insert(0, str(Path({root!r}) / "benchmarks"))  # the generator imports its sibling modules
    spec = importlib.util.spec_from_file_location("bench_corpus", Path({root!r}) / "benchmarks" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    module.generate(int(sys.argv[1]), seed=4).write(sys.argv[2])
""")


def test_annotation_killed_at_random_points_keeps_every_correction_in_place(tmp_path):
    corpus = tmp_path / "corpus"
    subprocess.run(
        [sys.executable, "-c", ANNOTATE_CORPUS.format(root=str(ROOT)), "80", str(corpus)],
        check=True,
        cwd=ROOT,
    )
    store = tmp_path / "s.sqlite"
    annotate = [sys.executable, "-m", "workbench.cli", "annotate", str(corpus), "--store", str(store)]
    start = time.monotonic()
    subprocess.run(annotate, check=True, capture_output=True, cwd=ROOT)
    took = time.monotonic() - start
    out = finish(spawn(CORRECTOR, str(store), "huda", "1", "40"))
    acks = acknowledged(out)
    assert len(acks) == 40, out
    rng = random.Random(7)
    for _ in range(3):
        proc = subprocess.Popen(annotate, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        time.sleep(rng.uniform(0.3, took))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert_all_present(store, acks)
    subprocess.run(annotate, check=True, capture_output=True, cwd=ROOT)
    assert_all_present(store, acks)


# --------------------------------------------------------------------------- the panel


def panel_on(path: Path, *, timeout: float = 30.0):
    from workbench.widgets import ReviewPanel

    store = Store(path, timeout=timeout)
    return store, ReviewPanel(store, annotator="huda")


def test_a_store_locked_under_the_panel_loses_nothing_acknowledged_and_says_why(tmp_path):
    import sqlite3

    path = new_store(tmp_path / "s.sqlite", n_docs=5)
    store, panel = panel_on(path, timeout=0.3)
    try:
        first = panel.record
        panel._on_topic("iran", True)
        acks = [(int(store.last_entry_id()), first["sentence_id"], first["doc_id"], first["text"])]
        panel.next()
        second = panel.record
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # a long write elsewhere holds the lock
        try:
            panel._on_topic("cyber", True)
            assert "Not saved: another program is writing to the store" in panel.status.value
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert store.last_entry_id() == acks[0][0]  # the failed write wrote nothing
        panel._on_topic("cyber", True)  # again, once the lock is gone
        acks.append((int(store.last_entry_id()), second["sentence_id"], second["doc_id"], second["text"]))
    finally:
        store.close()
    assert_all_present(path, acks)
    with Store(path) as after:
        assert after.journal()[["field", "value"]].values.tolist() == [
            ["topics", "iran"],
            ["topics", "cyber"],
        ]


def test_a_read_only_store_under_the_panel_says_why_and_writes_nothing(tmp_path):
    from unprivileged import run_python

    path = new_store(tmp_path / "s.sqlite", n_docs=5)
    for p in (tmp_path, path):
        p.chmod(0o755 if p.is_dir() else 0o644)
    path.chmod(0o444)
    code = textwrap.dedent(f"""
        from workbench.store import Store
        from workbench.widgets import ReviewPanel
        store = Store({str(path)!r})
        panel = ReviewPanel(store, annotator="huda")
        panel._on_topic("iran", True)
        print(store.last_entry_id())
        print(panel.status.value)
    """)
    done = run_python(code)
    assert done.returncode == 0, done.stderr
    last, status = done.stdout.splitlines()[:2]
    assert last == "0" and "Not saved: the store file" in status and "read-only" in status


# --------------------------------------------------------------------------- Dask


def test_a_dask_worker_killed_mid_reannotation_keeps_every_correction_in_place(tmp_path):
    import test_scale
    from distributed import Client, LocalCluster

    from workbench.annotate import annotate
    from workbench.scale import annotate_on_cluster

    corpus = test_scale._big_corpus(600)
    path = tmp_path / "s.sqlite"
    expected = annotate(corpus, progress=False)
    with Store(path) as store:
        store.save_annotations(expected, corpus=corpus)
    acks = acknowledged(finish(spawn(CORRECTOR, str(path), "huda", "2", "30")))
    assert len(acks) == 30
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster, set_as_default=False) as client,
    ):
        pids = client.run(os.getpid)
        thread, outcome = test_scale._run_in_thread(
            annotate_on_cluster, corpus, address_or_client=client, partitions=12
        )
        killed = test_scale._kill_a_busy_worker(client, pids, thread)
        thread.join(180)
        assert not thread.is_alive(), "the run hangs after a worker died"
        assert killed not in client.run(os.getpid)
    assert "error" not in outcome, f"the run failed: {outcome.get('error')!r}"
    test_scale.assert_same(outcome["result"], expected)  # the lost share was redone, row for row
    with Store(path) as store:
        store.save_annotations(outcome["result"], corpus=corpus)
    assert_all_present(path, acks)
