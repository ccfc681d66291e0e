"""The store stage alone, two source trees side by side: ``Store.save_annotations`` CPU and
wall, its peak memory, the store's size over the text's, and ``Store.view()`` afterwards.

Usage (from the repository root, with the project's ``.venv``)::

    python benchmarks/store_bench.py prepare 10000 /tmp/sb       # generate, load, annotate, pickle
    python benchmarks/store_bench.py compare /tmp/sb/ann-10000.pkl TREE_A TREE_B --runs 3

``prepare`` writes the generated documents as files, loads them with ``wb.load_corpus``,
annotates them and pickles ``(annotations, corpus)``, so both trees save the very same
input. ``compare`` runs ``save`` in a fresh process per run and tree (``PYTHONPATH=TREE``),
the order alternated, and prints min and median of each figure and whether the two trees'
views are identical (a digest of ``view()``'s columns, dtypes and values).
"""

from __future__ import annotations

import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from workers import digest  # noqa: E402


def _rss_peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _rss_now_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def prepare(n: str, out: str) -> None:
    """Generate ``n`` documents, load and annotate them, pickle ``(ann, corpus)``."""
    from corpus import generate

    import workbench as wb

    folder = generate(int(n)).write(Path(out) / f"texts-{n}")
    corpus = wb.load_corpus(folder)
    ann = wb.annotate(corpus, progress=False)
    path = Path(out) / f"ann-{n}.pkl"
    with open(path, "wb") as handle:
        pickle.dump((ann, corpus), handle, protocol=pickle.HIGHEST_PROTOCOL)
    print(path)


def save(pickled: str, store_path: str) -> None:
    """One run: save the pickled annotations into a new store, then read its view."""
    import gc

    import workbench
    from workbench.store import Store

    with open(pickled, "rb") as handle:
        ann, corpus = pickle.load(handle)
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    before = _rss_now_mb()
    store = Store(store_path)
    c0, t0 = time.process_time(), time.perf_counter()
    store.save_annotations(ann, corpus=corpus)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = _rss_peak_mb() - before
    store.close()
    size = sum(p.stat().st_size for p in Path(store_path).parent.glob(Path(store_path).name + "*"))
    text = sum(len(d.text.encode("utf-8")) for d in corpus)
    del ann, corpus
    gc.collect()
    store = Store(store_path)
    c0, t0 = time.process_time(), time.perf_counter()
    sentences, mentions = store.view()
    view_wall, view_cpu = time.perf_counter() - t0, time.process_time() - c0
    view_digest = digest(sentences, mentions)
    store.close()
    print(json.dumps({
        "tree": str(Path(workbench.__file__).resolve().parents[1]),
        "save_wall_s": wall, "save_cpu_s": cpu, "save_peak_mb": peak,
        "store_bytes": size, "text_bytes": text, "ratio": size / text,
        "view_wall_s": view_wall, "view_cpu_s": view_cpu,
        "sentences": len(sentences), "mentions": len(mentions), "digest": view_digest,
    }))


def compare(pickled: str, *trees_and_runs: str) -> None:
    """Alternate ``save`` runs of the trees in fresh processes; print min and median."""
    args = list(trees_and_runs)
    runs = 3
    if "--runs" in args:
        i = args.index("--runs")
        runs = int(args[i + 1])
        del args[i:i + 2]
    trees = [str(Path(t).resolve()) for t in args]
    results: dict[str, list[dict]] = {t: [] for t in trees}
    print(f"load average before: {os.getloadavg()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            order = trees if run % 2 == 0 else trees[::-1]
            for k, tree in enumerate(order):
                store = Path(tmp) / f"s{run}-{k}.sqlite"
                env = {**os.environ, "PYTHONPATH": tree}
                proc = subprocess.run([sys.executable, __file__, "save", pickled, str(store)],
                                      capture_output=True, text=True, env=env, check=False)
                if proc.returncode:
                    raise SystemExit(proc.stderr[-3000:])
                out = json.loads(proc.stdout.strip().splitlines()[-1])
                assert out["tree"] == tree, (out["tree"], tree)
                results[tree].append(out)
                print(tree, {k: round(v, 3) if isinstance(v, float) else v for k, v in out.items()
                             if k != "tree"}, flush=True)
    print(f"load average after: {os.getloadavg()}")
    for tree, rows in results.items():
        print(f"\n{tree}  ({len(rows)} runs)")
        for key in ("save_cpu_s", "save_wall_s", "save_peak_mb", "ratio", "view_cpu_s", "view_wall_s"):
            values = [r[key] for r in rows]
            print(f"  {key:14s} min {min(values):9.3f}  median {statistics.median(values):9.3f}")
        print(f"  store MB {rows[0]['store_bytes'] / 1e6:.1f} for text MB {rows[0]['text_bytes'] / 1e6:.1f}; "
              f"digests {sorted({r['digest'] for r in rows})}")


if __name__ == "__main__":
    {"prepare": prepare, "save": save, "compare": compare}[sys.argv[1]](*sys.argv[2:])
