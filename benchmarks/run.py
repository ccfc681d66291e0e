"""Run every benchmark and write ``benchmarks/README.md`` (tables) and ``benchmarks/chart.png``.

    make bench                                   # all of it (about 10 minutes on 2 cores)
    .venv-bench/bin/python benchmarks/run.py --sizes 100,1000 --quick   # a quick look

Measurements (issue 7):

1. annotation throughput (tokens/s) of ``wb.annotate`` beside spaCy ``PhraseMatcher``
   (plain, letter-folded, and with clitic variants added) and a pyahocorasick scan, on
   generated corpora of 100, 1,000 and 10,000 documents, with the matches each finds and
   its recall on planted terms, bare and clitic-attached;
2. end-to-end wall time and peak memory of load → annotate → store → export, one fresh
   process per size, and how they grow;
3. ``import workbench`` time (fresh processes, median);
4. review-panel first render and click-to-journal latency on a 100,000-sentence store.

Raw results go to ``benchmarks/out/results.json``; ``--render`` rewrites the README from it.
Benchmarks are not tests: nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

#: The issue's targets.
TARGETS = {
    "import_s": 0.3,
    "panel_first_render_s": 0.3,
    "click_to_journal_s": 0.050,
    "growth_10x": 11.0,
}
#: The day the generated documents are dated in (see corpus.py): role titles resolve here.
ON = dt.date(2021, 12, 4)
PANEL_SENTENCES = 100_000


# --- helpers ----------------------------------------------------------------------------


def log(*args: Any) -> None:
    print(f"[{time.strftime('%H:%M:%S')}]", *args, file=sys.stderr, flush=True)


def python() -> str:
    return sys.executable


def child_env() -> dict[str, str]:
    """The environment of measured processes: bytecode caching on, as in a normal install.

    With ``PYTHONDONTWRITEBYTECODE`` set (some sandboxes set it), every process would
    compile pandas and the workbench from source again, which says nothing about them.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_worker(name: str, *args: str, timeout: float = 3600) -> dict:
    """Run ``run.py --worker NAME ARGS`` in a fresh process; returns its JSON result."""
    proc = subprocess.run(
        [python(), str(Path(__file__).resolve()), "--worker", name, *args],
        capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=child_env(),
    )
    if proc.returncode != 0:
        raise RuntimeError(f"worker {name} {args} failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def maxrss_mb() -> float:
    """This process's peak resident set size in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "—"


def machine() -> dict:
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="minutes"),
        "nproc": os.cpu_count(),
        "affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu": cpu,
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "commit": commit,
        "versions": {
            d: version(d)
            for d in (
                "workbench",
                "spacy",
                "pyahocorasick",
                "pandas",
                "numpy",
                "dask",
                "distributed",
                "camel-tools",
                "ipywidgets",
            )
        },
    }


def make_terms():
    from peers import codebook_labels, plantable_terms

    return plantable_terms(codebook_labels(on=ON))


def generate(n: int, *, seed: int = 0):
    from corpus import generate as gen

    return gen(n, terms=make_terms(), seed=seed)


# --- 1. throughput ----------------------------------------------------------------------


def _annotate_quiet(corpus):
    import workbench as wb

    return wb.annotate(corpus, progress=False)


def _wb_matches(ann) -> dict[str, list]:
    """doc_id → (start, end, labels) from ``ann.mentions``."""
    out: dict[str, list] = {}
    m = ann.mentions
    for doc_id, s, e, kind, key in zip(m["doc_id"], m["start"], m["end"], m["kind"], m["key"], strict=True):
        out.setdefault(doc_id, []).append((int(s), int(e), frozenset({(kind, key)})))
    return out


def worker_throughput(size: int, seed: int, dask: bool) -> dict:
    """Every method once on the generated corpus ``(size, seed)``, in a fresh process.

    A fresh process per run keeps the workbench's per-word cache cold, as it is for an
    analyst's first ``annotate`` call. Set-up (loading the codebook and compiling the
    matcher; building spaCy's matchers) is timed apart from matching.
    """
    from peers import AhoScanner, SpacyMatcher, codebook_labels, recall

    from workbench.corpus import Corpus
    from workbench.text import tokens

    _import_annotator()
    import spacy  # noqa: F401  (imports are not set-up: both sides import before the clock)

    all_labels = codebook_labels()  # date-blind: what a dictionary matcher knows
    g = generate(size, seed=seed)
    texts = [t for _, t, _ in g.texts]
    doc_ids = [d for d, _, _ in g.texts]
    n_tokens = sum(len(tokens(t)) for t in texts)
    results: dict[str, dict] = {}

    def record(
        name: str, seconds: float, setup: float | None, matches: dict | None, n_found: int | None
    ) -> None:
        row = {"seconds": seconds, "tokens_per_s": n_tokens / seconds, "setup_s": setup, "matches": n_found}
        if matches is not None:
            row["recall"] = recall(g.planted, matches)
        results[name] = row

    gc.collect()
    t0 = time.perf_counter()
    _annotate_quiet(Corpus([]))  # loads the codebook and compiles the matcher
    setup = time.perf_counter() - t0
    t0 = time.perf_counter()
    corpus = g.corpus()
    build_s = time.perf_counter() - t0
    gc.collect()
    t0 = time.perf_counter()
    ann = _annotate_quiet(corpus)
    wb_s = time.perf_counter() - t0
    record("wb", wb_s, setup, _wb_matches(ann), len(ann.mentions))
    record("wb_text", wb_s + build_s, setup, None, len(ann.mentions))
    n_sentences = len(ann.sentences)
    del ann
    makers = {
        "spacy": lambda: SpacyMatcher(all_labels),
        "spacy_fold": lambda: SpacyMatcher(all_labels, fold=True),
        "spacy_variants": lambda: SpacyMatcher(all_labels, clitic_variants=True),
        "aho": lambda: AhoScanner(all_labels),
    }
    patterns = {}
    for name, make in makers.items():
        t0 = time.perf_counter()
        m = make()
        setup = time.perf_counter() - t0
        patterns[name] = getattr(m, "n_patterns", len(all_labels))
        gc.collect()
        found, spent = m.run(texts)
        record(name, spent, setup, dict(zip(doc_ids, found, strict=True)), sum(map(len, found)))
        del m, found
    core = _matcher_core_time(corpus)
    if core is not None:
        record("wb_core", sum(core.values()), None, None, None)
        results["wb_core"]["steps"] = core
    if dask:
        record("dask", _dask_time(corpus), None, None, None)
    info = {"documents": size, "seed": seed, "tokens": n_tokens, "sentences": n_sentences,
            "planted": len(g.planted), "characters": sum(map(len, texts)), "patterns": patterns}
    return {"info": info, "methods": results}


def aggregate(runs: list[dict]) -> dict:
    """Median seconds and tokens/s over runs; counts and recall from the first run (seed 0)."""
    methods: dict[str, dict] = {}
    for name, first in runs[0]["methods"].items():
        rows = [r["methods"][name] for r in runs if name in r["methods"]]
        methods[name] = {
            **first,
            "runs_s": [r["seconds"] for r in rows],
            "median_s": statistics.median(r["seconds"] for r in rows),
            "median_tokens_per_s": statistics.median(r["tokens_per_s"] for r in rows),
        }
    return {"info": runs[0]["info"], "methods": methods, "repeats": len(runs)}


def _matcher_core_time(corpus) -> dict[str, float] | None:
    """Seconds for the workbench's matching core alone, by step.

    ``tokens`` (``workbench.text.tokens``), ``patterns`` (``Matcher.token_patterns``:
    each token's normal form and codebook patterns, analysed once per distinct form) and
    ``find`` (``Matcher.find``: terms, multi-word ones included). A diagnostic: it uses
    ``workbench.annotate.Matcher``, which a refactoring may change (then it is left out).
    What remains of ``wb.annotate``'s time is per-sentence topics and actors, attribution,
    quotes and the DataFrames.
    """
    try:
        from workbench.annotate import Matcher
        from workbench.codebook import load_codebook
        from workbench.text import token_lists

        m = Matcher(load_codebook())
        steps = {"tokens": 0.0, "patterns": 0.0, "find": 0.0}
        gc.collect()
        for d in corpus:
            t0 = time.perf_counter()
            words, _, _ = token_lists(d.text)
            t1 = time.perf_counter()
            pats = m.token_patterns(words)
            t2 = time.perf_counter()
            m.find(pats)
            t3 = time.perf_counter()
            steps["tokens"] += t1 - t0
            steps["patterns"] += t2 - t1
            steps["find"] += t3 - t2
        return steps
    except (ImportError, AttributeError, TypeError):
        return None


def _import_annotator() -> None:
    import pandas  # noqa: F401

    import workbench.annotate  # noqa: F401


def _dask_time(corpus) -> float:
    """Seconds for ``annotate_on_cluster`` on a 2-worker LocalCluster (start-up excluded)."""
    from distributed import Client, LocalCluster

    from workbench.scale import annotate_on_cluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        client.run(_import_annotator)  # workers import the annotator before the clock starts
        t0 = time.perf_counter()
        annotate_on_cluster(corpus, address_or_client=client)
        return time.perf_counter() - t0


# --- 2. end to end ----------------------------------------------------------------------


def worker_e2e(folder: str, store_path: str, out_dir: str) -> dict:
    """load_corpus → annotate → Store.save_annotations → export, each stage timed."""
    base = maxrss_mb()
    t_import = time.perf_counter()
    import workbench as wb
    import workbench.annotate  # noqa: F401  (import time is not the pipeline's)
    from workbench.export import export
    from workbench.store import Store

    imported = maxrss_mb()
    stages, cpu, peaks = {}, {}, {}
    state: dict[str, Any] = {}

    def load() -> None:
        state["corpus"] = wb.load_corpus(folder)

    def annotate() -> None:
        state["ann"] = _annotate_quiet(state["corpus"])

    def save() -> None:
        state["store"] = Store(store_path)
        state["store"].save_annotations(state["ann"], corpus=state["corpus"])

    def export_all() -> None:
        export(state["store"], out_dir)

    for name, step in (("load", load), ("annotate", annotate), ("store", save), ("export", export_all)):
        c0, t0 = time.process_time(), time.perf_counter()
        step()
        stages[name] = time.perf_counter() - t0
        cpu[name] = time.process_time() - c0
        peaks[name] = maxrss_mb()
    state["store"].close()
    corpus, ann = state["corpus"], state["ann"]
    return {
        "stages": stages,
        "total_s": sum(stages.values()),
        "cpu": cpu,
        "total_cpu_s": sum(cpu.values()),
        "import_s": time.perf_counter() - t_import - sum(stages.values()),
        "rss_start_mb": base,
        "rss_after_import_mb": imported,
        "peak_rss_mb": maxrss_mb(),
        "peak_rss_after_mb": peaks,
        "text_mb": sum(len(d.text.encode("utf-8")) for d in corpus) / 1e6,
        "sentences": int(len(ann.sentences)),
        "mentions": int(len(ann.mentions)),
        "store_mb": Path(store_path).stat().st_size / 1e6,
    }


# --- 3. import time ---------------------------------------------------------------------

_IMPORT_SNIPPET = (
    "import time, sys; t = time.perf_counter(); import workbench; a = time.perf_counter() - t; "
    "mods = len(sys.modules); print(a, mods, int('pandas' in sys.modules), int('matplotlib' in sys.modules))"
)


def import_time(n: int = 9) -> dict:
    times, modules = [], 0
    heavy = {}
    env = child_env()
    subprocess.run([python(), "-c", "import workbench as wb; wb.annotate; wb.Store; wb.ReviewPanel"],
                   cwd=ROOT, env=env, check=True)  # writes the bytecode caches once
    for _ in range(n):
        out = subprocess.run(
            [python(), "-c", _IMPORT_SNIPPET], capture_output=True, text=True, cwd=ROOT, env=env, check=True
        ).stdout.split()
        times.append(float(out[0]))
        modules = int(out[1])
        heavy = {"pandas": bool(int(out[2])), "matplotlib": bool(int(out[3]))}
    first_use = []
    for _ in range(5):
        out = subprocess.run(
            [
                python(),
                "-c",
                "import time; t = time.perf_counter(); import workbench as wb; wb.annotate; wb.Store; "
                "print(time.perf_counter() - t)",
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            check=True,
        ).stdout.split()
        first_use.append(float(out[0]))
    return {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times), "runs": n,
            "modules_loaded": modules, "heavy_loaded": heavy,
            "annotate_and_store_median_s": statistics.median(first_use)}


# --- 4. review panel --------------------------------------------------------------------


def build_panel_store(store_path: Path, *, sentences: int = PANEL_SENTENCES) -> dict:
    """A store with ``sentences`` sentences from generated documents (exactly, by trimming)."""
    from workbench.corpus import Corpus
    from workbench.store import Store

    n_docs = sentences // 15 + 200
    g = generate(n_docs, seed=7)
    docs, total = [], 0
    for d in g.corpus():
        if total + len(d.sentences) > sentences:
            continue
        docs.append(d)
        total += len(d.sentences)
        if total == sentences:
            break
    corpus = Corpus(docs)
    t0 = time.perf_counter()
    ann = _annotate_quiet(corpus)
    annotate_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    store = Store(store_path)
    store.save_annotations(ann, corpus=corpus)
    save_s = time.perf_counter() - t0
    store.close()
    return {"documents": len(docs), "sentences": total, "annotate_s": annotate_s, "save_s": save_s}


def worker_panel(store_path: str) -> dict:
    """Time ReviewPanel's first render and toggle → journal on an existing store."""
    import sqlite3

    t0 = time.perf_counter()
    import ipywidgets  # noqa: F401

    from workbench.store import Store
    from workbench.widgets import ReviewPanel

    imports_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    store = Store(store_path, create=False)
    open_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    panel = ReviewPanel(store, annotator="bench")
    panel._repr_mimebundle_()
    first_s = time.perf_counter() - t0
    again = []
    for _ in range(3):
        t0 = time.perf_counter()
        p = ReviewPanel(store, annotator="bench")
        p._repr_mimebundle_()
        again.append(time.perf_counter() - t0)
    reader = sqlite3.connect(store_path)

    def journal_count() -> int:
        return reader.execute("SELECT count(*) FROM corrections").fetchone()[0]

    clicks, nexts = [], []
    key = next(iter(panel.topic_toggles))
    for _ in range(30):
        before = journal_count()
        toggle = panel.topic_toggles[key]
        t0 = time.perf_counter()
        toggle.value = not toggle.value
        while journal_count() == before:  # the entry is visible to another connection
            if time.perf_counter() - t0 > 5:
                raise RuntimeError("toggle did not reach the journal within 5 s")
        clicks.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        panel.next()
        nexts.append(time.perf_counter() - t0)
    reader.close()
    store.close()
    return {
        "imports_s": imports_s, "open_store_s": open_s, "first_render_s": first_s,
        "render_again_median_s": statistics.median(again),
        "click_to_journal_median_s": statistics.median(clicks), "click_to_journal_max_s": max(clicks),
        "next_median_s": statistics.median(nexts), "clicks": len(clicks),
    }


# --- 5. profile -------------------------------------------------------------------------


def profile_annotate(size: int = 1000, top: int = 25) -> str:
    """cProfile of ``wb.annotate`` on a generated corpus: the top functions by own time."""
    import cProfile
    import io
    import pstats

    from workbench.corpus import Corpus

    corpus = generate(size, seed=0).corpus()
    _import_annotator()
    _annotate_quiet(Corpus([]))  # imports and matcher compilation stay out of the profile
    prof = cProfile.Profile()
    prof.enable()
    _annotate_quiet(corpus)
    prof.disable()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return buf.getvalue()


# --- orchestration ----------------------------------------------------------------------


def run_all(sizes: list[int], *, quick: bool) -> dict:
    OUT.mkdir(exist_ok=True)
    results: dict[str, Any] = {"machine": machine(), "sizes": sizes, "quick": quick,
                               "load_before": os.getloadavg()}
    t_all = time.perf_counter()

    log("import time")
    results["import"] = import_time(5 if quick else 9)

    results["throughput"] = {}
    for n in sizes:
        repeats = 1 if (n >= 10_000 or quick) else 3
        log(f"throughput at {n} documents ({repeats} run(s))")
        runs = [run_worker("throughput", str(n), str(seed), "1" if (n >= 1000 and seed == 0) else "0")
                for seed in range(repeats)]
        results["throughput"][str(n)] = aggregate(runs)

    results["e2e"] = {}
    with tempfile.TemporaryDirectory(prefix="wb-bench-") as tmp:
        for n in sizes:
            repeats = 1 if quick else (2 if n >= 10_000 else 3)
            log(f"end to end at {n} documents ({repeats} run(s))")
            folder = Path(tmp) / f"corpus{n}"
            generate(n, seed=0).write(folder)
            runs = []
            for r in range(repeats):
                store = Path(tmp) / f"store{n}-{r}.sqlite"
                runs.append(run_worker("e2e", str(folder), str(store), str(Path(tmp) / f"export{n}-{r}")))
                store.unlink()
            best = min(runs, key=lambda x: x["total_s"])
            results["e2e"][str(n)] = {**best, "runs_total_s": [x["total_s"] for x in runs],
                                      "runs_total_cpu_s": [x["total_cpu_s"] for x in runs]}
            shutil.rmtree(folder)

        log(f"review panel on a {PANEL_SENTENCES:,}-sentence store")
        store = Path(tmp) / "panel.sqlite"
        built = run_worker("panel_store", str(store), str(PANEL_SENTENCES))
        results["panel"] = {"store": built, **run_worker("panel", str(store))}

    log("profile of wb.annotate (1,000 documents)")
    (OUT / "profile.txt").write_text(profile_annotate(1000), encoding="utf-8")
    results["elapsed_s"] = time.perf_counter() - t_all
    results["load_after"] = os.getloadavg()
    (OUT / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="100,1000,10000", help="corpus sizes in documents, comma-separated")
    ap.add_argument("--quick", action="store_true", help="one repeat per size, fewer import runs")
    ap.add_argument(
        "--render", action="store_true", help="only rewrite README.md and the chart from out/results.json"
    )
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    ns = ap.parse_args(argv)

    if ns.worker:
        workers = {
            "throughput": lambda size, seed, dask: worker_throughput(int(size), int(seed), dask == "1"),
            "e2e": worker_e2e,
            "panel_store": lambda path, n: build_panel_store(Path(path), sentences=int(n)),
            "panel": worker_panel,
        }
        print(json.dumps(workers[ns.worker](*ns.args)))
        return 0

    from report import render

    if ns.render:
        results = json.loads((OUT / "results.json").read_text(encoding="utf-8"))
    else:
        results = run_all([int(s) for s in ns.sizes.split(",")], quick=ns.quick)
    render(results, HERE / "README.md", HERE / "chart.png")
    log(f"wrote {HERE / 'README.md'} and {HERE / 'chart.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
