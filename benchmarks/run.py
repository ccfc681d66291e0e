"""Run the benchmarks and write ``benchmarks/README.md`` and ``benchmarks/chart.png``.

    make bench                                                  # everything, for the record
    .venv-bench/bin/python benchmarks/run.py --quick            # a quick look (not for the record)
    .venv-bench/bin/python benchmarks/run.py --only annotation  # some; the others kept from out/results.json
    .venv-bench/bin/python benchmarks/run.py --render           # only rewrite README.md and chart.png

Adding a benchmark: write one function below, ``@benchmark("name", title=...) def name(ctx)``,
that measures through ``ctx.fresh("worker", ...)`` (a function of ``workers.py``, or
``"module:function"``, run in a fresh process) and returns its figures with a
``"targets"`` list of :func:`harness.target` rows. Benchmarks are not tests: nothing here
asserts a timing.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (  # noqa: E402
    BENCHMARKS,
    OUT,
    Context,
    alternate,
    benchmark,
    commit,
    log,
    machine,
    stats,
    target,
)

#: The figures issue 13 asks for (and issue 7's that still matter).
TARGETS = {
    "vs_peer": 1.0,
    "pipeline_s": 25.0,
    "peak_rss_mb": 500.0,
    "store_ratio": 2.5,
    "growth": 10.5,
    "dask_speedup": 1.6,
    "import_s": 0.3,
    "panel_s": 0.3,
    "click_s": 0.050,
    "reuse_s": 180.0,
}
SIZES, QUICK_SIZES = [1000, 10_000], [100, 1000]
#: The methods of the annotation benchmark, in the order of the first run.
METHODS = ("workbench", "spacy_arabic", "spacy_plain", "aho", "spacy_speakers")
PEER = "spacy_arabic"


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×"


def _s(x: float) -> str:
    return f"{x:.3f}" if x < 1 else f"{x:.2f}" if x < 100 else f"{x:.0f}"


def _min_med(st: dict, unit: str = " s") -> str:
    return f"median {_s(st['median'])}{unit} (min {_s(st['min'])}{unit})"


# --- annotation beside the peers ------------------------------------------------------------


def _corpus_info(ctx: Context, n: int) -> dict:
    from workbench.text import token_lists

    g = ctx.generated().head(n)
    words: set[str] = set()
    n_tokens = 0
    for _, text, _ in g.texts:
        toks = token_lists(text)[0]
        n_tokens += len(toks)
        words.update(toks)
    forms: dict[str, int] = {}
    for m in g.mentions:
        forms[m.form] = forms.get(m.form, 0) + 1
    return {
        "documents": n,
        "tokens": n_tokens,
        "distinct_tokens": len(words),
        "characters": sum(len(t) for _, t, _ in g.texts),
        "mentions": len(g.mentions),
        "mention_forms": forms,
        "statements": sum(bool(s.speaker) for s in g.statements),
        "no_speaker_statements": sum(not s.speaker for s in g.statements),
        "negatives": len(g.negatives),
    }


def _summary(runs: list[dict], tokens: int) -> dict:
    wall = stats([r["wall_s"] for r in runs])
    out = {
        "wall": wall,
        "cpu": stats([r["cpu_s"] for r in runs]),
        "tokens_per_s": tokens / wall["median"],
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
        "mentions": runs[0]["mentions"],
        "same_output_every_run": all(r["mentions"] == runs[0]["mentions"] for r in runs),
    }
    if "speakers" in runs[0]:
        out["speakers"] = runs[0]["speakers"]
    for key in ("build_s", "annotate_s"):
        if key in runs[0]:
            out[key] = stats([r[key] for r in runs])
    if "digest" in runs[0]:
        out["digests"] = sorted({r["digest"] for r in runs})
    return out


@benchmark("annotation", title="Full annotation beside spaCy and a raw scan")
def annotation(ctx: Context) -> dict:
    """Every method on the same generated documents, each run in a fresh process, alternated."""
    from workers import WINDOWS

    sizes = {}
    for n in ctx.sizes:
        info = _corpus_info(ctx, n)
        big = ctx.corpus_file(n)
        runs: dict[str, list] = {m: [] for m in METHODS}
        for r in range(ctx.runs):
            order = alternate(METHODS, r)
            log(f"annotation, {n:,} documents, run {r + 1}/{ctx.runs}: {', '.join(order)}")
            for m in order:
                runs[m].append(ctx.fresh("annotate", m, big, n))
        sizes[str(n)] = {
            "info": info,
            "order": [alternate(METHODS, r) for r in range(ctx.runs)],
            "methods": {m: _summary(rs, info["tokens"]) for m, rs in runs.items()},
        }
    res = {"sizes": sizes, "windows": WINDOWS, "runs": ctx.runs}
    res["targets"] = _annotation_targets(res, commit())
    return res


def _annotation_targets(res: dict, at: str) -> list[dict]:
    rows = []
    for n, size in res["sizes"].items():
        m = size["methods"]
        wb, peer = m["workbench"], m[PEER]
        ratio = peer["wall"]["median"] / wb["wall"]["median"]
        rows.append(
            target(
                f"full annotation ≥ 1.0× clitic-aware spaCy's throughput, {int(n):,} documents",
                f"{_s(wb['wall']['median'])} s vs {_s(peer['wall']['median'])} s median "
                f"(min {_s(wb['wall']['min'])} vs {_s(peer['wall']['min'])} s; "
                f"CPU {_s(wb['cpu']['median'])} vs "
                f"{_s(peer['cpu']['median'])} s)",
                f"{ratio:.2f}× (min {peer['wall']['min'] / wb['wall']['min']:.2f}×, "
                f"CPU {peer['cpu']['median'] / wb['cpu']['median']:.2f}×)",
                ratio >= TARGETS["vs_peer"],
                commit=at,
                runs=res["runs"],
            )
        )
        pw, pp = wb["mentions"]["all"], peer["mentions"]["all"]
        ok = pw["precision"] >= pp["precision"] and pw["recall"] >= pp["recall"]
        rows.append(
            target(
                f"… mention precision and recall ≥ the peer's, {int(n):,} documents",
                f"P {pw['precision']:.2%} vs {pp['precision']:.2%}, "
                f"R {pw['recall']:.2%} vs {pp['recall']:.2%}",
                f"{pw['f1']:.3f} vs {pp['f1']:.3f} F1",
                ok,
                commit=at,
                runs=res["runs"],
            )
        )
    ns = sorted(res["sizes"], key=int)
    for a, b in zip(ns, ns[1:], strict=False):
        if int(b) == 10 * int(a):
            wa, wb_ = (res["sizes"][x]["methods"]["workbench"]["wall"] for x in (a, b))
            ca, cb = (res["sizes"][x]["methods"]["workbench"]["cpu"] for x in (a, b))
            g = wb_["median"] / wa["median"]
            rows.append(
                target(
                    f"annotation cost growth {int(a):,} → {int(b):,} documents ≤ {TARGETS['growth']}×",
                    f"{_s(wa['median'])} s → {_s(wb_['median'])} s median "
                    f"(CPU {_s(ca['median'])} s → {_s(cb['median'])} s)",
                    f"{g:.2f}× (min {wb_['min'] / wa['min']:.2f}×, CPU {cb['median'] / ca['median']:.2f}×)",
                    g <= TARGETS["growth"],
                    commit=at,
                    runs=res["runs"],
                )
            )
    return rows


# --- the whole pipeline --------------------------------------------------------------------


@benchmark("pipeline", title="Load → annotate → store → export, and a naive script")
def pipeline(ctx: Context) -> dict:
    """Files to exports in one fresh process per run; a naive pandas + regex script alternated with it."""
    sizes = {}
    for n in ctx.sizes:
        folder = ctx.folder(n)
        runs, naive = [], []
        for r in range(ctx.runs):
            for m in alternate(("workbench", "naive"), r):
                log(f"pipeline, {n:,} documents, run {r + 1}/{ctx.runs}: {m}")
                if m == "workbench":
                    store = ctx.tmp / f"store-{n}-{r}.sqlite"
                    runs.append(ctx.fresh("pipeline", folder, store, ctx.tmp / f"export-{n}-{r}"))
                    for p in ctx.tmp.glob(store.name + "*"):
                        p.unlink()
                else:
                    naive.append(ctx.fresh("naive", folder, ctx.tmp / f"naive-{n}-{r}"))
        sizes[str(n)] = {
            "runs": runs,
            "wall": stats([r["wall_s"] for r in runs]),
            "cpu": stats([r["cpu_s"] for r in runs]),
            # the pipeline: annotate + store + the annotation export (no comparison)
            "without_load": stats([_stages(r, "annotate", "store", "export") for r in runs]),
            "with_load": stats([_stages(r, "load", "annotate", "store", "export") for r in runs]),
            "with_compare": stats([_stages(r, "annotate", "store", "export", "compare") for r in runs]),
            "peak_export_mb": stats([r["peak_rss_after_mb"]["export"] for r in runs]),
            "cpu_no_compare": stats([r["cpu_s"] - r["cpu"].get("compare", 0.0) for r in runs]),
            "stages": {s: stats([r["stages"][s] for r in runs]) for s in runs[0]["stages"]},
            "peak_rss_mb": stats([r["peak_rss_mb"] for r in runs]),
            "store_ratio": runs[0]["store_bytes"] / runs[0]["text_bytes"],
            "naive": {
                "wall": stats([r["wall_s"] for r in naive]),
                "peak_rss_mb": max(r["peak_rss_mb"] for r in naive),
            },
        }
    res = {"sizes": sizes, "runs": ctx.runs}
    res["targets"] = _pipeline_targets(res, commit())
    return res


def _stages(run: dict, *names: str) -> float:
    """The wall seconds of a pipeline run's stages ``names`` (older runs lack some: 0)."""
    return sum(run["stages"].get(name, 0.0) for name in names)


def _budget(what: str, st: dict, limit: float, *, unit: str = " s", scale: float = 1.0, **kw) -> dict:
    """A target row "median under ``limit``" from the stats ``st`` (shown times ``scale``)."""
    shown = {key: v * scale for key, v in st.items() if key != "runs"}
    return target(
        what, _min_med(shown, unit), f"{st['median'] / limit:.2f} of budget", st["median"] < limit, **kw
    )


def _pipeline_targets(res: dict, at: str) -> list[dict]:
    k, sizes = res["runs"], res["sizes"]
    big = max(sizes, key=int)
    r, n, limit = sizes[big], f"{int(big):,}", TARGETS["pipeline_s"]
    first = r["runs"][0]
    rows = [
        _budget(
            f"annotate + store + export of {n} documents < {limit:.0f} s",
            r["without_load"],
            limit,
            commit=at,
            runs=k,
        ),
        _budget(
            f"… the same with loading the files (load_corpus) first, {n} documents",
            r.get("with_load", r["wall"]),
            limit,
            commit=at,
            runs=k,
            note=f"naive pandas + regex script: {_min_med(r['naive']['wall'])}",
        ),
        target(
            f"… and then the comparison of outlets (reuse, outlet profiles: export's compare=True), "
            f"{n} documents",
            _min_med(r.get("with_compare", r["without_load"])),
            f"{r.get('with_compare', r['without_load'])['median'] / limit:.2f} of the pipeline's budget",
            None,
            commit=at,
            runs=k,
            note="shown, not a target of issue 13: a second analysis, timed apart, "
            "with its own benchmark (reuse)",
        ),
        _budget(
            f"peak memory at {n} documents < {TARGETS['peak_rss_mb']:.0f} MB (load → export)",
            r.get("peak_export_mb", r["peak_rss_mb"]),
            TARGETS["peak_rss_mb"],
            unit=" MB",
            commit=at,
            runs=k,
            note=f"with the comparison after it: {_min_med(r['peak_rss_mb'], ' MB')}",
        ),
        target(
            f"store < {TARGETS['store_ratio']}× the text's size, {n} documents",
            f"{first['store_bytes'] / 1e6:,.1f} MB for {first['text_bytes'] / 1e6:,.1f} MB of text",
            f"{r['store_ratio']:.2f}×",
            r["store_ratio"] < TARGETS["store_ratio"],
            commit=at,
            runs=k,
        ),
    ]
    ns = sorted(sizes, key=int)
    for a, b in zip(ns, ns[1:], strict=False):
        if int(b) == 10 * int(a):
            wa, wb_ = (sizes[x].get("with_load", sizes[x]["wall"]) for x in (a, b))
            ca, cb = (sizes[x].get("cpu_no_compare", sizes[x]["cpu"]) for x in (a, b))
            g = wb_["median"] / wa["median"]
            rows.append(
                target(
                    f"pipeline cost growth {int(a):,} → {int(b):,} documents ≤ {TARGETS['growth']}×",
                    f"{_s(wa['median'])} s → {_s(wb_['median'])} s median "
                    f"(CPU {_s(ca['median'])} s → {_s(cb['median'])} s)",
                    f"{g:.2f}× (min {wb_['min'] / wa['min']:.2f}×, CPU {cb['median'] / ca['median']:.2f}×)",
                    g <= TARGETS["growth"],
                    commit=at,
                    runs=k,
                )
            )
    return rows


# --- Dask -------------------------------------------------------------------------------------


@benchmark("dask", title="Two Dask workers beside one process")
def dask(ctx: Context) -> dict:
    """``wb.annotate`` in one process and ``annotate_on_cluster`` on 2 local workers, alternated."""
    n = max(ctx.sizes)
    f = ctx.corpus_file(n)
    runs: dict[str, list] = {"0": [], "2": []}
    for r in range(ctx.runs):
        for w in alternate(("0", "2"), r):
            log(
                f"dask, {n:,} documents, run {r + 1}/{ctx.runs}: {'one process' if w == '0' else '2 workers'}"
            )
            runs[w].append(ctx.fresh("dask", f, n, w))
    one, two = stats([x["wall_s"] for x in runs["0"]]), stats([x["wall_s"] for x in runs["2"]])
    digests = sorted({x["digest"] for rs in runs.values() for x in rs})
    res = {
        "documents": n,
        "runs": ctx.runs,
        "one_process": one,
        "two_workers": two,
        "cluster_start": stats([x["start_s"] for x in runs["2"]]),
        "digests": digests,
        **dask_cpu(runs["0"], runs["2"]),
    }
    speed = one["median"] / two["median"]
    at = commit()
    res["targets"] = [
        target(
            f"two Dask workers ≥ {TARGETS['dask_speedup']}× one process, {n:,} documents",
            f"{_s(two['median'])} s vs {_s(one['median'])} s median "
            f"(min {_s(two['min'])} vs {_s(one['min'])} s)",
            f"{speed:.2f}× (min {one['min'] / two['min']:.2f}×)",
            speed >= TARGETS["dask_speedup"],
            commit=at,
            runs=ctx.runs,
        ),
        target(
            "… the same from CPU time (as on an idle 2-core machine)",
            f"{_s(res['two_workers_idle_estimate']['median'])} s vs "
            f"{_s(res['one_process_cpu']['median'])} s CPU median",
            f"{res['one_process_cpu']['median'] / res['two_workers_idle_estimate']['median']:.2f}×",
            None,
            commit=at,
            runs=ctx.runs,
            note="estimate: the busiest worker's CPU, or half of all three processes' if more",
        ),
        target(
            "… with results equal (sentences, mentions, quotes)",
            f"{len(digests)} distinct digest(s) over {2 * ctx.runs} runs",
            "",
            len(digests) == 1,
            commit=at,
            runs=ctx.runs,
        ),
    ]
    return res


def dask_cpu(one: list[dict], two: list[dict]) -> dict:
    """CPU seconds of each side, and the ratio they imply on an otherwise idle machine.

    On a machine shared with other work the workers rarely get a core each, so the wall
    ratio says as much about the neighbours as about Dask. With two idle cores the run
    would take at least as long as its busiest worker and at least half the CPU time of
    all three processes (two workers and the client with its scheduler): that time,
    beside the one process's CPU time, is the idle-machine estimate.
    """
    idle = [max(max(x["workers_cpu_s"]), (sum(x["workers_cpu_s"]) + x["cpu_s"]) / 2) for x in two]
    return {
        "one_process_cpu": stats([x["cpu_s"] for x in one]),
        "client_cpu": stats([x["cpu_s"] for x in two]),
        "worker_cpu": stats([c for x in two for c in x["workers_cpu_s"]]),
        "two_workers_idle_estimate": stats(idle),
        "load": stats([x.get("load", 0.0) for x in (*one, *two)]),
    }


# --- issue 7's rows that still matter --------------------------------------------------------


@benchmark("reuse", title="Text reuse across 10,000 articles (issue 15)")
def reuse(ctx: Context) -> dict:
    """Reuse detection on generated articles with planted copies, fresh processes (reuse_bench.py)."""
    import reuse_bench

    articles = 1000 if ctx.quick else 10_000
    res = reuse_bench.run(articles=articles, runs=ctx.runs)
    st = stats(res["runs"])
    res["targets"] = [
        _budget(
            f"reuse detection on {articles:,} generated articles < {TARGETS['reuse_s']:.0f} s",
            st,
            TARGETS["reuse_s"],
            commit=commit(),
            runs=len(res["runs"]),
            note=(
                f"exact-span recall {res['recall_exact']:.3f}, {res['false_clusters']} false cluster(s), "
                f"{res['planted']:,} planted copies"
            ),
        )
    ]
    return res


@benchmark("responsiveness", title="Import time and the review panel")
def responsiveness(ctx: Context) -> dict:
    """``import workbench`` (fresh interpreters) and the panel on a large store."""
    imp = ctx.fresh("import_time", 5 if ctx.quick else 15)
    want = 10_000 if ctx.quick else 100_000
    store = ctx.tmp / "panel.sqlite"
    built = ctx.fresh("panel_store", ctx.corpus_file(max(ctx.sizes)), store, want)
    panels = [ctx.fresh("panel", store) for _ in range(ctx.runs)]
    first = stats([p["first_render_s"] for p in panels])
    click = stats([p["click_median_s"] for p in panels])
    worst = max(p["click_max_s"] for p in panels)
    at = commit()
    imp_st = stats(imp["times_s"])
    res = {"import": imp, "panel_store": built, "panels": panels, "first_render": first, "click": click}
    res["targets"] = [
        _budget(
            f"`import workbench` < {TARGETS['import_s']} s",
            imp_st,
            TARGETS["import_s"],
            unit=" ms",
            scale=1000,
            commit=at,
            runs=len(imp["times_s"]),
        ),
        _budget(
            f"panel first render < {TARGETS['panel_s']} s ({built['sentences']:,} sentences)",
            first,
            TARGETS["panel_s"],
            unit=" ms",
            scale=1000,
            commit=at,
            runs=len(panels),
        ),
        target(
            f"click-to-journal < {TARGETS['click_s'] * 1000:.0f} ms ({built['sentences']:,} sentences)",
            f"median {click['median'] * 1000:.1f} ms, "
            f"slowest of {30 * len(panels)} clicks {worst * 1000:.1f} ms",
            f"{worst / TARGETS['click_s']:.2f} of budget",
            worst < TARGETS["click_s"],
            commit=at,
            runs=len(panels),
        ),
    ]
    return res


@benchmark("profile", title="Where full annotation spends its time")
def profile(ctx: Context) -> dict:
    """cProfile and pyinstrument of text → ``wb.annotate`` on 1,000 documents (into ``out/``)."""
    n = min(1000, max(ctx.sizes))
    f = ctx.corpus_file(n)
    files = []
    for tool in ("cprofile", "pyinstrument"):
        try:
            files += ctx.fresh("profile", f, n, OUT, tool)["files"]
        except RuntimeError as e:  # pyinstrument missing: the cProfile output still stands
            log(f"profile with {tool} failed: {str(e)[-300:]}")
    return {"documents": n, "files": files, "targets": []}


# --- orchestration ---------------------------------------------------------------------------


#: Benchmarks whose target rows can be recomputed from their stored figures (``--render``).
RETARGET = {"annotation": _annotation_targets, "pipeline": _pipeline_targets}


def run(names: list[str], *, quick: bool) -> dict:
    """Run the named benchmarks; returns their results keyed by name."""
    OUT.mkdir(exist_ok=True)
    out = {}
    with tempfile.TemporaryDirectory(prefix="wb-bench-") as tmp:
        ctx = Context(
            sizes=QUICK_SIZES if quick else SIZES, runs=1 if quick else 3, quick=quick, tmp=Path(tmp)
        )
        for name in names:
            b = BENCHMARKS[name]
            log(f"== {name}: {b.title}")
            before = machine()
            t0 = time.perf_counter()
            res = b.run(ctx)
            res.update(
                name=name,
                title=b.title,
                machine=before,
                quick=quick,
                elapsed_s=time.perf_counter() - t0,
                load_after=os.getloadavg(),
            )
            out[name] = res
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="smaller corpora, one run each: for development")
    ap.add_argument(
        "--only",
        default="",
        help=f"comma-separated benchmarks to run ({', '.join(BENCHMARKS)}); "
        "the others' figures are kept from out/results.json",
    )
    ap.add_argument(
        "--render", action="store_true", help="only rewrite README.md and chart.png from out/results.json"
    )
    ap.add_argument("--call", help=argparse.SUPPRESS)
    ap.add_argument("args", nargs="?", default="[]", help=argparse.SUPPRESS)
    ns = ap.parse_args(argv)
    if ns.call:  # a measurement in this fresh process
        module, _, func = ns.call.rpartition(":")
        result = getattr(importlib.import_module(module or "workers"), func)(*json.loads(ns.args))
        print(json.dumps(result))
        return 0
    from report import render

    path = OUT / "results.json"
    results = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    if not ns.render:
        names = [n for n in ns.only.split(",") if n] or list(BENCHMARKS)
        unknown = [n for n in names if n not in BENCHMARKS]
        if unknown:
            ap.error(f"unknown benchmark {', '.join(unknown)}: choose from {', '.join(BENCHMARKS)}")
        t0 = time.perf_counter()
        results.update(run(names, quick=ns.quick))
        log(f"all done in {(time.perf_counter() - t0) / 60:.1f} min")
        OUT.mkdir(exist_ok=True)
        path.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    for name, again in RETARGET.items():  # target rows follow the current rules
        if name in results:
            results[name]["targets"] = again(results[name], results[name]["machine"]["commit"])
    render(results, OUT.parent / "README.md", OUT.parent / "chart.png")
    log("wrote benchmarks/README.md and benchmarks/chart.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
