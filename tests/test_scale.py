"""The Dask path gives the single-process results, row for row, on a real LocalCluster."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from workbench.annotate import annotate
from workbench.codebook import load_codebook
from workbench.corpus import Corpus, build_document, load_corpus
from workbench.scale import annotate_bag, annotate_on_cluster, as_document

ROOT = Path(__file__).resolve().parent.parent
N_GENERATED = 40


def _generator():
    if str(ROOT / "benchmarks") not in sys.path:  # the generator imports its sibling modules
        sys.path.insert(0, str(ROOT / "benchmarks"))
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "benchmarks" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    folders = [p for p in (ROOT / "seeds", ROOT / "tests" / "data" / "articles") if p.is_dir()]
    loaded = load_corpus(folders)
    generated = _generator().generate(N_GENERATED, seed=3).corpus()
    return Corpus([*loaded, *generated])


@pytest.fixture(scope="module")
def expected(corpus):
    return annotate(corpus)


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster, set_as_default=False) as c:
        yield c


def _records(corpus: Corpus) -> list[tuple]:
    return [
        (
            d.doc_id,
            d.text,
            {"path": d.path, "date": d.date, "outlet": d.outlet, "url": d.url, "title": d.metadata_title},
        )
        for d in corpus
    ]


def assert_same(got, want) -> None:
    for part in ("sentences", "mentions", "documents", "quotes"):
        pd.testing.assert_frame_equal(getattr(got, part), getattr(want, part), check_exact=True)
    assert got.codebook.hash == want.codebook.hash


def test_corpus_is_big_enough_to_matter(corpus, expected):
    assert len(corpus) > N_GENERATED
    assert expected.documents["doc_id"].tolist() == [d.doc_id for d in corpus]
    assert len(expected.mentions) > 500
    assert set(expected.mentions["kind"]) == {"topic", "actor"}
    assert len(expected.quotes) > 10


@pytest.mark.parametrize("partitions", [1, 2, 7, None])
def test_on_cluster_equals_single_process(corpus, expected, client, partitions):
    got = annotate_on_cluster(corpus, address_or_client=client, partitions=partitions)
    assert_same(got, expected)


def test_on_cluster_keeps_a_date_read_from_the_text(client):
    # the worker gets the document as built, not rebuilt from its date (which would say "metadata")
    corpus = Corpus([build_document("t", "عنوان الخبر\n١٥ آذار ٢٠٢٣\nوقال الوزير إن الدعم مستمر."),
                     build_document("m", "عنوان\nوقال الوزير إن الوفد يصل.", date="2023-03-01")])
    got = annotate_on_cluster(corpus, address_or_client=client, partitions=2)
    assert got.documents.date_rule.tolist() == ["text:paragraph=1 written=١٥ آذار ٢٠٢٣", "metadata"]
    assert_same(got, annotate(corpus))


def test_on_cluster_by_scheduler_address(corpus, expected, client):
    got = annotate_on_cluster(corpus, address_or_client=client.scheduler.address, partitions=3)
    assert_same(got, expected)
    assert client.status == "running"  # a client passed in elsewhere is left alone


@pytest.mark.parametrize("shape", ["documents", "records", "dicts"])
def test_bag_of_each_shape_equals_single_process(corpus, expected, client, shape):
    import dask.bag as db

    items = {
        "documents": list(corpus),
        "records": _records(corpus),
        "dicts": [{"doc_id": r[0], "text": r[1], **r[2]} for r in _records(corpus)],
    }[shape]
    got = annotate_bag(db.from_sequence(items, npartitions=5), scheduler=client)
    assert_same(got, expected)


def test_bag_with_empty_partitions_keeps_dtypes(corpus, client):
    import dask.bag as db

    docs = list(corpus)[:6]
    want = annotate(Corpus(docs[:2]))
    keep = {d.doc_id for d in docs[:2]}
    bag = db.from_sequence(docs, npartitions=3).filter(lambda d: d.doc_id in keep)
    got = annotate_bag(bag, scheduler=client)
    assert_same(got, want)


def test_codebook_path_is_loaded_once_and_used(corpus, client):
    import dask.bag as db

    docs = list(corpus)[:3]
    cb = load_codebook()
    want = annotate(Corpus(docs), codebook=cb)
    got = annotate_bag(db.from_sequence(docs, npartitions=2), codebook=cb.path, scheduler=client)
    assert_same(got, want)


@pytest.mark.parametrize(
    ("item", "error", "message"),
    [
        ("نص بلا معرف", TypeError, "cannot annotate a bag element of type str"),
        (("d1",), TypeError, "cannot annotate a bag element of type tuple"),
        ({"text": "نص"}, TypeError, "needs 'doc_id' and 'text'; this one has no 'doc_id'"),
        (("d1", "نص", {"author": "x"}), ValueError, "document 'd1': unknown metadata key(s) 'author'"),
        (("d1", "نص", {"date": "7/12/2021"}), ValueError, "document 'd1': date '7/12/2021' is not a date"),
        ((1, "نص"), TypeError, "doc_id and text must be str, not int and str"),
    ],
)
def test_bad_bag_elements_are_named(item, error, message):
    with pytest.raises(error) as info:
        as_document(item)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("item", "want"),
    [
        (("d1", "قال بوتين.\nوأعرب بايدن."), build_document("d1", "قال بوتين.\nوأعرب بايدن.")),
        (
            ("d2", "عنوان\n\nنص", {"date": "2021-12-07", "outlet": "وكالات", "title": "قمة"}),
            build_document("d2", "عنوان\n\nنص", date="2021-12-07", outlet="وكالات", metadata_title="قمة"),
        ),
        (
            {"doc_id": "d3", "text": "نص", "url": "", "path": "a/d3.txt"},
            build_document("d3", "نص", path="a/d3.txt"),
        ),
        # text from elsewhere gets the newline rules of a file: BOM dropped, CRLF and U+2028 → \n
        (
            ("d4", "\ufeffعنوان\r\nقال بوتين.\u2028وأعرب بايدن."),
            build_document("d4", "عنوان\nقال بوتين.\nوأعرب بايدن."),
        ),
    ],
)
def test_records_become_the_documents_load_corpus_builds(item, want):
    assert as_document(item) == want


@pytest.mark.parametrize("paths", [str(ROOT / "seeds"), [ROOT / "seeds"]])
def test_paths_are_loaded_where_it_is_called(client, paths):
    got = annotate_on_cluster(paths, address_or_client=client, partitions=2)
    assert_same(got, annotate(load_corpus(ROOT / "seeds")))


def test_partitions_below_one_is_refused(corpus, client):
    with pytest.raises(ValueError, match=r"`partitions` value = 0 is invalid; value must be at least 1"):
        annotate_on_cluster(corpus, address_or_client=client, partitions=0)


def test_wb_annotate_of_a_bag_takes_the_dask_path(corpus, expected):
    import dask.bag as db

    import workbench as wb

    assert_same(wb.annotate(db.from_sequence(list(corpus), npartitions=3)), expected)


def test_cli_annotate_on_a_cluster_stores_the_single_process_results(client, tmp_path):
    from workbench.cli import main
    from workbench.store import Store

    seeds = load_corpus(ROOT / "seeds")
    assert main(["annotate", str(ROOT / "seeds"), "--store", str(tmp_path / "d.sqlite"),
                 "--dask", client.scheduler.address]) == 0
    with Store(tmp_path / "d.sqlite") as store:
        sentences, mentions = store.view()
    want = annotate(seeds)
    assert sentences["sentence_id"].tolist() == want.sentences["sentence_id"].tolist()
    assert sentences["topics"].tolist() == want.sentences["topics"].tolist()
    assert sentences["speaker"].tolist() == want.sentences["speaker"].tolist()
    assert len(mentions) == len(want.mentions)


def test_an_unreachable_scheduler_is_named(corpus):
    with pytest.raises(OSError, match=r"127\.0\.0\.1:9"):
        annotate_on_cluster(corpus, address_or_client="tcp://127.0.0.1:9", timeout=1)


# --- a cluster that fails: worker deaths, wrong addresses ------------------------------
# (a worker killed mid-run and survived: tests/test_faults.py, with the store's corrections)


def _big_corpus(n: int) -> Corpus:
    return _generator().generate(n, seed=5).corpus()


def _kill_a_busy_worker(client, pids: dict[str, int], runner) -> str:
    """SIGKILL the process of a worker that is annotating a partition, while ``runner`` runs."""
    import os
    import signal
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and runner.is_alive():
        busy = [w for w, tasks in client.processing().items() if tasks]
        holding = {w for workers in client.who_has().values() for w in workers}
        if busy and len(client.who_has()) >= 2 and busy[0] in holding:  # a partition is done already
            os.kill(pids[busy[0]], signal.SIGKILL)
            return busy[0]
        time.sleep(0.02)
    raise AssertionError("no worker was ever busy: the run ended before a worker could be killed")


def _run_in_thread(target, *args, **kwargs):
    import threading

    outcome: dict = {}

    def run():
        try:
            outcome["result"] = target(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


@pytest.mark.slow
def test_a_worker_death_the_scheduler_gives_up_on_is_one_clear_line():
    import os

    import dask
    from distributed import Client, LocalCluster

    corpus = _big_corpus(600)
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                         dashboard_address=None) as cluster, \
            Client(cluster, set_as_default=False) as client:
        pids = client.run(os.getpid)
        thread, outcome = _run_in_thread(annotate_on_cluster, corpus, address_or_client=client, partitions=12)
        _kill_a_busy_worker(client, pids, thread)
        thread.join(120)
        assert not thread.is_alive(), "the run hangs after a worker died"
    error = outcome.get("error")
    assert isinstance(error, OSError), f"expected a clear OSError, got {error!r}"
    message = str(error)
    assert "\n" not in message
    assert message.startswith("a Dask worker died while annotating partition ")
    assert "allowed-failures" in message and "worker logs" in message


@pytest.fixture
def fake_scheduler():
    """A TCP port that answers like something other than a Dask scheduler."""
    import socket
    import threading

    servers = []

    def start(reply: bytes | None) -> int:
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen()
        servers.append(server)

        def serve():
            held = []
            while True:
                try:
                    conn, _ = server.accept()
                except OSError:
                    return
                held.append(conn)  # a silent server keeps the line open and says nothing
                if reply is not None:
                    conn.sendall(reply)

        threading.Thread(target=serve, daemon=True).start()
        return server.getsockname()[1]

    yield start
    for server in servers:
        server.close()


def _cli_annotate(address: str, store: Path) -> subprocess.CompletedProcess:
    import subprocess

    # the time limit is the test: a hang (the scheduler handshake, or the client's
    # close at exit) fails it
    return subprocess.run(
        [sys.executable, "-m", "workbench.cli", "annotate", str(ROOT / "seeds"), "--store", str(store),
         "--dask", address], capture_output=True, text=True, timeout=25)


@pytest.mark.parametrize("case, needle", [
    ("banner", "answered, but not as a Dask scheduler"),
    ("no port", "has no port"),
    ("refused", "cannot reach the Dask scheduler"),
])
def test_a_wrong_scheduler_address_fails_fast_in_one_line(tmp_path, fake_scheduler, case, needle):
    if case == "banner":
        address = f"tcp://127.0.0.1:{fake_scheduler(b'SSH-2.0-OpenSSH_9.2p1 Debian-2' + bytes(32))}"
    elif case == "no port":
        address = "tcp://127.0.0.1"
    else:
        address = "tcp://127.0.0.1:9"
    done = _cli_annotate(address, tmp_path / "s.sqlite")
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("workbench annotate: error: ") and needle in lines[0]
    assert address in lines[0]
    assert not (tmp_path / "s.sqlite").exists()


def test_a_scheduler_that_never_answers_times_out(fake_scheduler):
    import subprocess

    port = fake_scheduler(None)
    code = ("from workbench.scale import annotate_on_cluster\n"
            "try:\n"
            f"    annotate_on_cluster({str(ROOT / 'seeds')!r}, address_or_client='tcp://127.0.0.1:{port}',\n"
            "                        timeout=2)\n"
            "except OSError as exc:\n"
            "    print(exc)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=25)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert done.stdout.strip() == (
        f"the Dask scheduler at 'tcp://127.0.0.1:{port}' did not answer within 2 s; check the address "
        "(tcp://HOST:8786) and that `dask scheduler` is running there")
