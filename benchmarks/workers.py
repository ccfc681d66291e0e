"""Measurements that run in a fresh Python process each (``Context.fresh("name", ...)``).

Every function takes strings (command-line arguments) and returns a JSON-able dict.
Imports, reading the corpus from disk and set-up (loading the codebook and compiling the
matcher; building spaCy's pipeline and patterns; building the automaton) happen before
the clock starts on both sides; scoring happens after it stops.
"""

from __future__ import annotations

import gc
import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from harness import maxrss_mb

#: What each method's timing window holds (shown in the README).
WINDOWS = {
    "workbench": "`build_document` for every text (paragraphs, sentences, ids) → `Corpus` → "
    "`wb.annotate` (topics, actors, role titles by date, exclusions, attribution, "
    "quotations, the three DataFrames with offsets)",
    "spacy_plain": "`make_doc` → `PhraseMatcher` → character offsets and labels of every match",
    "spacy_arabic": "`make_doc` (with the clitic-aware `NORM`) → `PhraseMatcher` → longest match per "
    "kind, exclusions, the two title rules → character offsets and labels",
    "spacy_speakers": "all of `spacy_arabic`, then sentence splitting (regex) and the "
    "first actor after a reporting verb in each sentence",
    "aho": "`Automaton.iter` over the raw text → offsets and labels of every hit",
}


def _clock(step: Callable[[], Any]) -> tuple[Any, float, float]:
    gc.collect()
    c0, t0 = time.process_time(), time.perf_counter()
    out = step()
    return out, time.perf_counter() - t0, time.process_time() - c0


def _load(corpus_file: str, n: str):
    from corpus import GeneratedCorpus

    return GeneratedCorpus.load(corpus_file).head(int(n))


def digest(*frames) -> str:
    """SHA-256 of DataFrames' columns, dtypes and values (equal results, equal digests)."""
    import pandas as pd

    h = hashlib.sha256()
    for f in frames:
        h.update(repr((list(f.columns), [str(t) for t in f.dtypes], len(f))).encode())
        if len(f):
            h.update(pd.util.hash_pandas_object(f.astype(str), index=False).values.tobytes())
    return h.hexdigest()[:16]


def annotate(method: str, corpus_file: str, n: str) -> dict:
    """One method's timing window on the first ``n`` generated documents, then its scores."""
    import scoring
    from terms import lexicon

    g = _load(corpus_file, n)
    texts = [t for _, t, _ in g.texts]
    ids = [d for d, _, _ in g.texts]
    lex = lexicon()
    speakers = None
    extra: dict[str, Any] = {}
    if method == "workbench":
        import workbench as wb
        from workbench.corpus import Corpus, build_document

        wb.annotate(Corpus([]), progress=False)  # loads the codebook and compiles the matcher

        def window():
            t0 = time.perf_counter()
            corpus = Corpus(
                build_document(d, t, path=f"{d}.txt", date=date, outlet="bench") for d, t, date in g.texts
            )
            extra["build_s"] = time.perf_counter() - t0
            return wb.annotate(corpus, progress=False)

        ann, wall, cpu = _clock(window)
        extra["annotate_s"] = wall - extra["build_s"]
        m, s = ann.mentions, ann.sentences
        # A topic carried over from the speaker's statement before (rule context:<sentence id>)
        # is a claim about a sentence, placed on its cue word, not a term written in the text;
        # the generator does not say what a carried statement is about, so it is counted
        # apart and not scored as a mention (no peer makes such claims).
        carried = m["rule"].str.removeprefix("context:").isin(set(s["sentence_id"]))
        extra["carried_topics"] = int(carried.sum())
        m_text = m[~carried]
        predicted = list(
            zip(m_text["doc_id"], map(int, m_text["start"]), map(int, m_text["end"]), m_text["kind"],
                m_text["key"], strict=True)
        )
        speakers = list(zip(s["doc_id"], map(int, s["start"]), map(int, s["end"]), s["speaker"], strict=True))
        extra["digest"] = digest(s, m, ann.quotes)
        extra["sentences"] = len(s)
    else:
        import peers

        make = {
            "spacy_plain": peers.SpacyPlain,
            "spacy_arabic": peers.SpacyArabic,
            "spacy_speakers": peers.SpacyArabic,
            "aho": peers.AhoScanner,
        }[method]
        peer = make(lex)
        if method == "spacy_speakers":
            said, wall, cpu = _clock(lambda: peers.speakers_baseline(peer, lex, texts))
            speakers = [(d, s, e, who) for d, ss in zip(ids, said, strict=True) for s, e, who in ss]
            found = [peer.find(t)[0] for t in texts]  # the same mentions, after the clock
        else:
            found, wall, cpu = _clock(lambda: peer.run(texts))
        predicted = [(d, a, b, k, key) for d, f in zip(ids, found, strict=True) for a, b, k, key in f]
    out = {
        "method": method,
        "documents": len(texts),
        "wall_s": wall,
        "cpu_s": cpu,
        "peak_rss_mb": maxrss_mb(),
        "mentions": scoring.score_mentions(g.mentions, g.negatives, predicted),
        **extra,
    }
    if speakers is not None:
        out["speakers"] = scoring.score_speakers(g.statements, speakers)
    return out


def pipeline(folder: str, store_path: str, out_dir: str) -> dict:
    """``load_corpus`` → ``annotate`` → ``Store.save_annotations`` → ``export``, each stage timed."""
    base = maxrss_mb()
    import workbench as wb
    from workbench.annotate import annotate as _annotate  # noqa: F401  (imports are not the pipeline's)
    from workbench.export import export, export_comparison
    from workbench.store import Store

    imported = maxrss_mb()
    state: dict[str, Any] = {}
    steps = {
        "load": lambda: state.update(corpus=wb.load_corpus(folder)),
        "annotate": lambda: state.update(ann=wb.annotate(state["corpus"], progress=False)),
        "store": lambda: (
            state.update(store=Store(store_path))
            or state["store"].save_annotations(state["ann"], corpus=state["corpus"])
        ),
        # the annotation export (the view, its tables, the manifest) ...
        "export": lambda: export(state["store"], out_dir, compare=False),
        # ... and the comparison of outlets (text reuse, outlet profiles) that export() also
        # writes by default, timed apart: it is a second analysis, with its own benchmark
        "compare": lambda: export_comparison(state["store"], Path(out_dir) / "compare", charts=False),
    }
    wall, cpu, peaks = {}, {}, {}
    for name, step in steps.items():
        _, wall[name], cpu[name] = _clock(step)
        peaks[name] = maxrss_mb()
    state["store"].close()
    store_bytes = sum(p.stat().st_size for p in Path(store_path).parent.glob(Path(store_path).name + "*"))
    return {
        "stages": wall,
        "cpu": cpu,
        "wall_s": sum(wall.values()),
        "cpu_s": sum(cpu.values()),
        "rss_start_mb": base,
        "rss_after_import_mb": imported,
        "peak_rss_mb": maxrss_mb(),
        "peak_rss_after_mb": peaks,
        "text_bytes": sum(len(d.text.encode("utf-8")) for d in state["corpus"]),
        "store_bytes": store_bytes,
        "sentences": len(state["ann"].sentences),
        "mentions": len(state["ann"].mentions),
    }


def naive(folder: str, out_dir: str) -> dict:
    """A naive pandas + regex script from the same files to a mentions CSV (the other side)."""
    import peers

    _, wall, cpu = _clock(lambda: peers.naive_script(folder, out_dir))
    return {"wall_s": wall, "cpu_s": cpu, "peak_rss_mb": maxrss_mb()}


def dask(corpus_file: str, n: str, workers: str) -> dict:
    """``wb.annotate`` in this process (``workers == "0"``) or on a local Dask cluster.

    Both sides import the annotator (pandas, ``workbench.annotate``) before the clock; the
    codebook is compiled inside it on both. ``cpu_s`` is this process's CPU time (on the
    cluster side: the client with its in-process scheduler); ``workers_cpu_s`` each
    worker process's CPU time over the same window.
    """
    import workbench as wb
    from workbench.corpus import Corpus, build_document

    g = _load(corpus_file, n)
    corpus = Corpus(
        build_document(d, t, path=f"{d}.txt", date=date, outlet="bench") for d, t, date in g.texts
    )
    out: dict[str, Any] = {"workers": int(workers)}
    _import_annotator()
    if workers == "0":
        ann, out["wall_s"], out["cpu_s"] = _clock(lambda: wb.annotate(corpus, progress=False))
    else:
        import dask
        from distributed import Client, LocalCluster

        from workbench.scale import annotate_on_cluster

        t0 = time.perf_counter()
        with (
            dask.config.set(CLUSTER_CONFIG),  # the workers' configuration, as docs/scaling.md sets it
            LocalCluster(
                n_workers=int(workers), threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            Client(cluster) as client,
        ):
            client.run(_import_annotator)  # workers import the annotator before the clock starts
            out["start_s"] = time.perf_counter() - t0
            out["profiler"] = any(client.run(_profiling).values())
            before = client.run(_cpu_time)
            ann, out["wall_s"], out["cpu_s"] = _clock(
                lambda: annotate_on_cluster(corpus, address_or_client=client)
            )
            after = client.run(_cpu_time)
        out["workers_cpu_s"] = sorted(after[w] - before[w] for w in before)
    out["load"] = os.getloadavg()[0]
    out["digest"] = digest(ann.sentences, ann.mentions, ann.quotes)
    return out


#: Dask settings of the benchmark's cluster: no statistical profiler sampling the annotating
#: thread every 10 ms (about a tenth of each worker's CPU time, measured on this machine).
CLUSTER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    # the nannies' memory polls (every 100 ms) and the system monitor (every 500 ms) run in
    # the client's process on a LocalCluster: once a second is enough for a batch job
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "1s",
}


def _profiling(dask_worker) -> bool:
    """Whether a worker runs Dask's statistical profiler."""
    return "profile" in dask_worker.periodic_callbacks


def _cpu_time() -> float:
    """This process's CPU time, every thread (user + system)."""
    import resource

    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _import_annotator() -> None:
    import pandas  # noqa: F401

    import workbench.annotate  # noqa: F401


# --- issue 7's rows: import time, the review panel ------------------------------------------

_IMPORT = (
    "import time, sys; t = time.perf_counter(); import workbench; a = time.perf_counter() - t; "
    "print(a, int('pandas' in sys.modules), int('matplotlib' in sys.modules))"
)


def import_time(runs: str) -> dict:
    """``import workbench`` in fresh interpreters (this worker only starts them)."""
    import statistics
    import subprocess
    import sys

    from harness import ROOT, _child_env

    env = _child_env()
    subprocess.run(
        [sys.executable, "-c", "import workbench as wb; wb.annotate; wb.Store; wb.ReviewPanel"],
        cwd=ROOT,
        env=env,
        check=True,
    )  # writes the bytecode caches once
    times, heavy = [], {}
    for _ in range(int(runs)):
        out = subprocess.run(
            [sys.executable, "-c", _IMPORT], capture_output=True, text=True, cwd=ROOT, env=env, check=True
        ).stdout.split()
        times.append(float(out[0]))
        heavy = {"pandas": bool(int(out[1])), "matplotlib": bool(int(out[2]))}
    return {
        "times_s": times,
        "median_s": statistics.median(times),
        "min_s": min(times),
        "heavy_loaded": heavy,
    }


def panel_store(corpus_file: str, store_path: str, sentences: str) -> dict:
    """A store of exactly ``sentences`` sentences from generated documents."""
    from corpus import GeneratedCorpus

    import workbench as wb
    from workbench.corpus import Corpus
    from workbench.store import Store

    docs, total, want = [], 0, int(sentences)
    for d in GeneratedCorpus.load(corpus_file).corpus():
        if total + len(d.sentences) <= want:
            docs.append(d)
            total += len(d.sentences)
        if total == want:
            break
    corpus = Corpus(docs)
    ann, annotate_s, _ = _clock(lambda: wb.annotate(corpus, progress=False))
    store = Store(store_path)
    _, save_s, _ = _clock(lambda: store.save_annotations(ann, corpus=corpus))
    store.close()
    return {"documents": len(docs), "sentences": total, "annotate_s": annotate_s, "save_s": save_s}


def panel(store_path: str) -> dict:
    """The review panel's first render and click-to-journal on an existing store."""
    import sqlite3
    import statistics

    t0 = time.perf_counter()
    import ipywidgets  # noqa: F401

    from workbench.store import Store
    from workbench.widgets import ReviewPanel

    imports_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    store = Store(store_path, create=False)
    open_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    p = ReviewPanel(store, annotator="bench")
    p._repr_mimebundle_()
    first_s = time.perf_counter() - t0
    reader = sqlite3.connect(store_path)
    clicks = []
    key = next(iter(p.topic_toggles))
    for _ in range(30):
        before = reader.execute("SELECT count(*) FROM corrections").fetchone()[0]
        toggle = p.topic_toggles[key]
        t0 = time.perf_counter()
        toggle.value = not toggle.value
        while reader.execute("SELECT count(*) FROM corrections").fetchone()[0] == before:
            if time.perf_counter() - t0 > 5:
                raise RuntimeError("a toggle did not reach the journal within 5 s")
        clicks.append(time.perf_counter() - t0)
        p.next()
    reader.close()
    store.close()
    return {
        "imports_s": imports_s,
        "open_store_s": open_s,
        "first_render_s": first_s,
        "click_median_s": statistics.median(clicks),
        "click_max_s": max(clicks),
        "clicks": len(clicks),
    }


# --- profile --------------------------------------------------------------------------------


def profile(corpus_file: str, n: str, out_dir: str, tool: str) -> dict:
    """Profile text → ``wb.annotate`` on ``n`` generated documents (``tool``: cProfile or pyinstrument)."""
    import workbench as wb
    from workbench.corpus import Corpus, build_document

    g = _load(corpus_file, n)
    wb.annotate(Corpus([]), progress=False)
    out = Path(out_dir)

    def work():
        corpus = Corpus(
            build_document(d, t, path=f"{d}.txt", date=date, outlet="bench") for d, t, date in g.texts
        )
        return wb.annotate(corpus, progress=False)

    if tool == "pyinstrument":
        from pyinstrument import Profiler

        p = Profiler(interval=0.001)
        p.start()
        work()
        p.stop()
        (out / "profile-pyinstrument.txt").write_text(
            p.output_text(unicode=True, color=False), encoding="utf-8"
        )
        (out / "profile-pyinstrument.html").write_text(p.output_html(), encoding="utf-8")
        return {"files": ["profile-pyinstrument.txt", "profile-pyinstrument.html"]}
    import cProfile
    import io
    import pstats

    prof = cProfile.Profile()
    prof.enable()
    work()
    prof.disable()
    buf = io.StringIO()
    st = pstats.Stats(prof, stream=buf)
    st.sort_stats("tottime").print_stats(30)
    st.sort_stats("cumulative").print_stats(40)
    (out / "profile.txt").write_text(buf.getvalue(), encoding="utf-8")
    return {"files": ["profile.txt"]}
