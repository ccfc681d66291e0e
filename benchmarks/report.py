"""Render ``benchmarks/out/results.json`` as ``benchmarks/README.md`` and ``chart.png``."""

from __future__ import annotations

import re
from pathlib import Path

from harness import BENCHMARKS

LABELS = {
    "workbench": "**workbench**, text → `wb.annotate`",
    "spacy_arabic": "spaCy, clitic-aware Arabic `NORM` (the peer)",
    "spacy_plain": 'spaCy `blank("ar")` + `PhraseMatcher(attr="LOWER")`',
    "aho": "pyahocorasick substring scan (ceiling)",
    "spacy_speakers": "spaCy peer + baseline speakers",
}
SHORT = {
    "workbench": "workbench",
    "spacy_arabic": "spaCy Arabic NORM",
    "spacy_plain": "spaCy plain",
    "aho": "Aho–Corasick",
    "spacy_speakers": "spaCy + speakers",
}
FORMS = ("exact", "clitic", "clitic_stack", "inflected", "spelling", "diacritics", "tatweel")
CONSTRUCTIONS = ("said", "said_before", "carried", "headline", "according", "via")


def _s(x: float) -> str:
    return f"{x:.3f}" if x < 1 else f"{x:.2f}" if x < 100 else f"{x:.0f}"


def _pct(x: float) -> str:
    return f"{x:.1%}"


def _verdict(ok: bool | None) -> str:
    return "—" if ok is None else "met" if ok else "**not met**"


def _frac(found_total) -> str:
    found, total = found_total
    return f"{found / total:.1%}" if total else "—"


def targets_table(results: dict) -> list[str]:
    rows = ["| target | measured | ratio | verdict | runs | commit |", "|---|---|---|---|---:|---|"]
    for name in [n for n in BENCHMARKS if n in results] + [n for n in results if n not in BENCHMARKS]:
        for t in results[name].get("targets", []):
            note = f" — {t['note']}" if t.get("note") else ""
            rows.append(
                f"| {t['target']} | {t['measured']}{note} | {t['ratio']} | {_verdict(t['ok'])} | "
                f"{t['runs']} | `{t['commit']}` |"
            )
    return rows


def annotation_section(res: dict) -> list[str]:
    out = [
        "## Full annotation beside spaCy and a raw scan",
        "",
        "Every method gets the same generated documents and the same codebook terms, each run in a fresh "
        "process, the order of methods rotated and reversed between runs "
        f"(run 1: {', '.join(next(iter(res['sizes'].values()))['order'][0])}). The timing windows:",
        "",
        "| method | what the timed window holds |",
        "|---|---|",
    ]
    out += [f"| {LABELS[m]} | {w} |" for m, w in res["windows"].items()]
    out += [
        "",
        "Outside every window: imports, reading the corpus file, set-up (the workbench loads the codebook "
        "and compiles its matcher; spaCy builds its pipeline and pattern docs; pyahocorasick builds its "
        "automaton) and scoring. *Tokens* are `workbench.text.tokens` words and punctuation, counted once "
        "per corpus, so tokens/s compares across methods. Seconds are wall clock (median and min of "
        f"{res['runs']} runs); CPU is the process's CPU time. *vs peer* is the peer's median time over the "
        "method's (above 1 is faster than the peer).",
        "",
    ]
    for n, size in res["sizes"].items():
        info, m = size["info"], size["methods"]
        peer = m["spacy_arabic"]["wall"]["median"]
        out += [
            f"### {int(n):,} documents",
            "",
            f"{info['tokens']:,} tokens ({info['distinct_tokens']:,} distinct), {info['characters']:,} "
            f"characters; {info['mentions']:,} true mentions, {info['statements']:,} attributed statements "
            f"(+ {info['no_speaker_statements']:,} by people outside the codebook), {info['negatives']:,} "
            "hard negatives.",
            "",
            "| method | seconds, median (min) | CPU s, median | tokens/s | vs peer | mention P | mention R "
            "| F1 | false positives on hard negatives | peak RSS |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for key, r in m.items():
            a = r["mentions"]["all"]
            fp = r["mentions"]["false_positives"]
            hard = sum(v for k, v in fp.items() if k != "elsewhere")
            out.append(
                f"| {LABELS[key]} | {_s(r['wall']['median'])} ({_s(r['wall']['min'])}) | "
                f"{_s(r['cpu']['median'])} | {r['tokens_per_s']:,.0f} | {peer / r['wall']['median']:.2f}× | "
                f"{_pct(a['precision'])} | {_pct(a['recall'])} | {a['f1']:.3f} | {hard:,} | "
                f"{r['peak_rss_mb']:,.0f} MB |"
            )
        wb = m["workbench"]
        if "build_s" in wb:
            out += [
                "",
                f"The workbench's window splits into `build_document` {_s(wb['build_s']['median'])} s and "
                f"`wb.annotate` {_s(wb['annotate_s']['median'])} s (medians). Its output was identical in "
                f"every run: {'yes' if len(wb.get('digests', [])) == 1 else 'no'}.",
            ]
        out += _quality_tables(m)
        out.append("")
    return out


def _quality_tables(m: dict) -> list[str]:
    """Recall by form, false positives by hard negative, speakers: one size's tables."""
    out: list[str] = []
    out += [
        "",
        "Recall by how the mention was written:",
        "",
        "| method | " + " | ".join(FORMS) + " |",
        "|---|" + "---:|" * len(FORMS),
    ]
    for key, r in m.items():
        rf = r["mentions"]["recall_by_form"]
        out.append(f"| {SHORT[key]} | " + " | ".join(_frac(rf.get(f, (0, 0))) for f in FORMS) + " |")
    out += [
        "",
        "False positives by kind of hard negative (*elsewhere*: not on a planted hard negative):",
        "",
        "| method | " + " | ".join(_neg_cats(m)) + " |",
        "|---|" + "---:|" * len(_neg_cats(m)),
    ]
    for key, r in m.items():
        fp = r["mentions"]["false_positives"]
        out.append(f"| {SHORT[key]} | " + " | ".join(f"{fp.get(c, 0):,}" for c in _neg_cats(m)) + " |")
    out += [
        "",
        "Speakers (a sentence's speaker is right when it is the true statement's speaker):",
        "",
        "| method | precision | recall | " + " | ".join(f"recall, {c}" for c in CONSTRUCTIONS) + " |",
        "|---|---:|---:|" + "---:|" * len(CONSTRUCTIONS),
    ]
    for key, r in m.items():
        if "speakers" in r:
            sp = r["speakers"]
            out.append(
                f"| {SHORT[key]} | {_pct(sp['all']['precision'])} | {_pct(sp['all']['recall'])} | "
                + " | ".join(_frac(sp["recall_by_construction"].get(c, (0, 0))) for c in CONSTRUCTIONS)
                + " |"
            )
    return out


def _neg_cats(m: dict) -> list[str]:
    cats = sorted({c for r in m.values() for c in r["mentions"]["false_positives"]} - {"elsewhere"})
    return cats + ["elsewhere"]


def pipeline_section(res: dict) -> list[str]:
    out = [
        "## Load → annotate → store → export",
        "",
        "One fresh process per run: `wb.load_corpus(folder)` on the generated `.txt` files and "
        "`metadata.csv`, `wb.annotate`, `Store.save_annotations`, `export(store, out, compare=False)` "
        "(the view, its tables and the manifest), then apart *compare*: `export_comparison(store, out, "
        "charts=False)` (text reuse and outlet profiles, which `export()` also writes by default). "
        "The totals leave *compare* out. Medians over "
        f"{res['runs']} runs, wall clock; peak RSS is the process's high-water mark (`VmHWM`, imports "
        "included); the store "
        "is the SQLite file with its `-wal`/`-shm` after closing. The naive script (pandas + one regex, "
        "`peers.naive_script`: files → sentences → mentions and sentences CSV, no offsets, no attribution) "
        "runs in its own fresh process, alternated with the pipeline.",
        "",
        "| documents | load | annotate | store | export | compare | total (min) | without load | CPU | "
        "peak RSS to export (with compare) | store / text | naive script |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, r in sorted(res["sizes"].items(), key=lambda kv: int(kv[0])):
        st = r["stages"]
        total, peak = r.get("with_load", r["wall"]), r.get("peak_export_mb", r["peak_rss_mb"])
        cpu = r.get("cpu_no_compare", r["cpu"])
        out.append(
            f"| {int(n):,} | "
            + " | ".join(f"{_s(st[k]['median'])} s" if k in st else "—"
                         for k in ("load", "annotate", "store", "export", "compare"))
            + f" | **{_s(total['median'])} s** ({_s(total['min'])}) | "
            f"{_s(r['without_load']['median'])} s | {_s(cpu['median'])} s | "
            f"{peak['median']:,.0f} MB ({r['peak_rss_mb']['median']:,.0f} MB) | {r['store_ratio']:.2f}× | "
            f"{_s(r['naive']['wall']['median'])} s |"
        )
    big = res["sizes"][max(res["sizes"], key=int)]
    pk = big["runs"][0]["peak_rss_after_mb"]
    out += [
        "",
        "Peak resident memory after each stage at the largest size (first run): "
        + ", ".join(f"{k} {v:,.0f} MB" for k, v in pk.items())
        + f"; after imports {big['runs'][0]['rss_after_import_mb']:,.0f} MB.",
        "",
    ]
    return out


def _dask_cpu_lines(res: dict) -> list[str]:
    """CPU time of each process and the idle-machine estimate (results from before it had none: no lines)."""
    if "worker_cpu" not in res:
        return []
    one, est = res["one_process_cpu"], res["two_workers_idle_estimate"]
    return [
        "CPU time (the machine shared, load average median "
        f"{res['load']['median']:.1f}): one process median {_s(one['median'])} s (min {_s(one['min'])} s); "
        f"each worker median {_s(res['worker_cpu']['median'])} s, the client with its scheduler "
        f"{_s(res['client_cpu']['median'])} s. On two idle cores the cluster would take at least its busiest "
        f"worker's CPU time and half of all three processes': median {_s(est['median'])} s, "
        f"**{one['median'] / est['median']:.2f}×** one process.",
        "",
    ]


def dask_section(res: dict) -> list[str]:
    one, two = res["one_process"], res["two_workers"]
    return [
        "## Two Dask workers beside one process",
        "",
        f"{res['documents']:,} documents already in memory; one process runs `wb.annotate(corpus)` (the "
        "codebook compiled in the window on both sides; both import the annotator and pandas before "
        "the clock), the other `annotate_on_cluster` on a `LocalCluster` of two worker processes with "
        "one thread each (default partitions: two per worker; Dask's statistical profiler off, "
        "`distributed.worker.profile.enabled: false`, as docs/scaling.md advises; the "
        f"cluster's start, median {_s(res['cluster_start']['median'])} s, is left out). Alternated, "
        f"{res['runs']} runs each, fresh processes.",
        "",
        "| | median | min | max |",
        "|---|---:|---:|---:|",
        f"| one process | {_s(one['median'])} s | {_s(one['min'])} s | {_s(one['max'])} s |",
        f"| two workers | {_s(two['median'])} s | {_s(two['min'])} s | {_s(two['max'])} s |",
        "",
        *_dask_cpu_lines(res),
        f"Output digests (sentences, mentions, quotes): {', '.join(f'`{d}`' for d in res['digests'])}.",
        "",
    ]


def responsiveness_section(res: dict) -> list[str]:
    st = res["panel_store"]
    p = res["panels"][0]
    return [
        "## Import time and the review panel",
        "",
        f"`import workbench` in fresh interpreters: median {res['import']['median_s'] * 1000:.1f} ms (min "
        f"{res['import']['min_s'] * 1000:.1f} ms); pandas loaded: {res['import']['heavy_loaded']['pandas']}, "
        f"matplotlib loaded: {res['import']['heavy_loaded']['matplotlib']}.",
        "",
        f"The panel on a store of {st['sentences']:,} sentences ({st['documents']:,} documents; annotating "
        f"them took {_s(st['annotate_s'])} s, saving {_s(st['save_s'])} s), one fresh process per run: "
        "first render (`ReviewPanel(...)` + its mimebundle) median "
        f"{res['first_render']['median'] * 1000:.1f} ms; "
        f"importing ipywidgets and the panel module once per kernel {p['imports_s'] * 1000:.0f} ms; "
        f"click-to-journal (a toggle until another connection sees the entry) median "
        f"{res['click']['median'] * 1000:.1f} ms.",
        "",
    ]


def profile_section(res: dict, out_dir: Path) -> list[str]:
    lines = [
        "## Where full annotation spends its time",
        "",
        f"Text → `wb.annotate` on {res['documents']:,} generated documents, profiled in fresh processes: "
        + ", ".join(f"`out/{f}`" for f in res["files"])
        + ". The top of the sampling profile:",
        "",
    ]
    path = out_dir / "profile-pyinstrument.txt"
    if path.exists():
        text = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        start = next((i for i, ln in enumerate(text) if re.match(r"^\s*[\d.]+\s+\S", ln)), 0)
        lines += [
            "```",
            *[re.sub(r"/\S*/(workbench|site-packages)/", r"\1/", ln) for ln in text[start : start + 40]],
            "```",
            "",
        ]
    return lines


def chart(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(14, 4.4), dpi=100)
    ann = results.get("annotation")
    if ann:
        ax = axes[0]
        sizes = list(ann["sizes"])
        keys = list(next(iter(ann["sizes"].values()))["methods"])
        width = 0.8 / len(keys)
        for i, k in enumerate(keys):
            xs = [j + (i - (len(keys) - 1) / 2) * width for j in range(len(sizes))]
            rs = [ann["sizes"][s]["methods"][k] for s in sizes]
            tok = [ann["sizes"][s]["info"]["tokens"] for s in sizes]
            med = [t / r["wall"]["median"] for t, r in zip(tok, rs, strict=True)]
            lo = [m - t / r["wall"]["max"] for m, t, r in zip(med, tok, rs, strict=True)]
            hi = [t / r["wall"]["min"] - m for m, t, r in zip(med, tok, rs, strict=True)]
            ax.bar(xs, med, width, yerr=[lo, hi], capsize=2, label=SHORT[k])
        ax.set_yscale("log")
        ax.set_xticks(range(len(sizes)), [f"{int(s):,} docs" for s in sizes])
        ax.set_ylabel("tokens / second (log; median, min–max)")
        ax.set_title("throughput, text in → mentions out")
        ax.legend(fontsize=7)
        ax.grid(axis="y", alpha=0.3)
        ax = axes[1]
        big = ann["sizes"][max(sizes, key=int)]["methods"]
        keys = [k for k in keys if k != "spacy_speakers"]  # the same mentions as the peer
        xs = range(len(keys))
        for off, what in ((-0.2, "precision"), (0.2, "recall")):
            vals = [big[k]["mentions"]["all"][what] for k in keys]
            bars = ax.bar([x + off for x in xs], vals, 0.4, label=what)
            ax.bar_label(bars, [f"{v:.1%}" for v in vals], fontsize=6, padding=1)
        ax.set_xticks(list(xs), [SHORT[k] for k in keys], rotation=15, fontsize=8)
        ax.set_ylim(0, 1.12)
        ax.set_title(f"mentions against the planted truth ({int(max(sizes, key=int)):,} docs)")
        ax.legend(fontsize=7, loc="lower left")
        ax.grid(axis="y", alpha=0.3)
    pipe = results.get("pipeline")
    if pipe:
        ax = axes[2]
        ns = sorted(pipe["sizes"], key=int)
        bottom = [0.0] * len(ns)
        for st in ("annotate", "store", "export", "load"):  # the target leaves load out: on top
            vals = [pipe["sizes"][n]["stages"][st]["median"] for n in ns]
            ax.bar(range(len(ns)), vals, 0.5, bottom=bottom, label=st)
            bottom = [b + v for b, v in zip(bottom, vals, strict=True)]
        ax.plot(
            range(len(ns)),
            [pipe["sizes"][n]["naive"]["wall"]["median"] for n in ns],
            "k^",
            label="naive script",
        )
        ax.axhline(25, color="red", ls="--", lw=1, label="25 s: annotate + store + export, 10,000 docs")
        ax.set_xticks(range(len(ns)), [f"{int(n):,} docs" for n in ns])
        ax.set_ylabel("seconds (median)")
        ax.set_title("files → store → exports")
        ax.legend(fontsize=7)
        ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


RENDERERS = {
    "annotation": annotation_section,
    "pipeline": pipeline_section,
    "dask": dask_section,
    "responsiveness": responsiveness_section,
}


def _runs_info(results: dict) -> list[str]:
    rows = [
        "| benchmark | measured at | last change to `workbench/` | date | quick | minutes "
        "| load before → after |",
        "|---|---|---|---|---|---:|---|",
    ]
    for name, r in results.items():
        m = r["machine"]
        rows.append(
            f"| {name} | `{m['commit']}` | `{m.get('workbench_commit', '')}` | {m['date']} | "
            f"{'yes' if r.get('quick') else 'no'} | {r['elapsed_s'] / 60:.1f} | "
            f"{m['load'][0]:.1f} → {r['load_after'][0]:.1f} |"
        )
    return rows


def render(results: dict, readme: Path, png: Path) -> None:
    """Write the README (and the chart) from all results."""
    if not results:
        raise ValueError("no results to render: run benchmarks/run.py first")
    m = next(iter(results.values()))["machine"]
    lines = [
        "# Benchmarks",
        "",
        "Speed, memory, precision and recall of the workbench beside a well-configured spaCy, measured side",
        "by side in one run. `make bench` produces everything on this page (about 20 minutes on this",
        "shared 2-core machine at a load average of 5–7, less on a quiet one; it syncs `.venv-bench` with",
        "spaCy, pyahocorasick and pyinstrument, then runs `benchmarks/run.py`).",
        "For development: `benchmarks/run.py --quick` (100 and 1,000 documents, one run) and",
        "`--only NAME[,NAME]` (the other benchmarks' figures are kept from `out/results.json`).",
        "Raw figures: `benchmarks/out/results.json`; profiles: `benchmarks/out/profile*`.",
        "",
        f"**Machine:** {m['nproc']} CPUs ({m['cpu'] or 'unknown model'}), {m['ram_gb']} GB RAM, "
        f"{m['platform']}, "
        f"Python {m['python']}. **Libraries:** "
        + ", ".join(f"{k} {v}" for k, v in m["versions"].items())
        + ".",
        "",
        "**Noise.** The machine is shared with other programs (the load averages below say how busy it was):",
        "absolute seconds move by tens of per cent between runs, ratios measured side by side in one run",
        "much less. Every figure below is a median (and min) over runs in fresh processes with the order",
        "alternated; final figures belong on a quiet machine.",
        "",
        *_runs_info(results),
        "",
        "![throughput, precision and recall, pipeline](chart.png)",
        "",
        "## Targets (issue 13, and issue 7's that still matter)",
        "",
        *targets_table(results),
        "",
        "A commit marked `+dirty` had uncommitted changes outside `benchmarks/` when it was measured.",
        "",
    ]
    for name, r in results.items():
        renderer = RENDERERS.get(name) or (BENCHMARKS[name].render if name in BENCHMARKS else None)
        if name == "profile":
            lines += profile_section(r, readme.parent / "out")
        elif renderer:
            lines += renderer(r)
    lines += METHOD_NOTES
    readme.write_text("\n".join(lines), encoding="utf-8")
    chart(results, png)


METHOD_NOTES = [
    "## The generated corpus and its truth",
    "",
    "`benchmarks/corpus.py` writes documents from the benchmark's own sentences",
    "(`benchmarks/words.py`: towns,",
    "markets, schools and weather; every word form is checked against the codebook so that none reads as a",
    "term) and puts codebook terms into them at known offsets:",
    "",
    "- **mentions** written as people write them: exactly as in the codebook, with one proclitic",
    "  (و ف ب ل ك),",
    "  with a stack (وب، فل، وبال، فلل، ولل …), inflected (`+` words: ة ين ون ات ان تين تان; `*` words:",
    "  اتفاقية، قرصنة …), with a loose hamza, alef maqsura or teh marbuta, with diacritics, or",
    "  stretched with",
    "  tatweel; role titles alone and before the holder's name;",
    "- **hard negatives**: words holding a term's letters that are not it (بيلاروسيا، رومانيا، جهاز تكييف،",
    "  اللون القرمزي، ساديو ماني، نادي فروسية، روسيا البيضاء), a state's gentilic inside a person's title",
    "  (نظيره الأميركي، الرئيسين الروسي فلاديمير بوتين والأميركي …), a role title followed by السابق before",
    "  an earlier holder's name, and the codebook's exclusions",
    "  (أمريكا اللاتينية، منتخب إيران، شواطئ نورماندي);",
    "- **attributed statements** with the speaker known: `قال X إن`, `وكان X قد أعلن أن`, `X: …` headlines,",
    "  `وفق X، فإن`, `ووفق X، فإن Y لفت إلى أن` (Y speaks), a following `وأضاف أن` / `وتابع قائلا إن` that",
    "  carries the speaker over, and statements by people outside the codebook (no codebook speaker).",
    "",
    "The truth follows the codebook's own rules (its header): inside a longer term of the same kind only the",
    "longer counts; a gentilic right after a title word or before a person's name belongs to the title; a",
    "title followed by السابق names nobody; an exclusion cancels its key; role titles resolve on the",
    "documents' week (1–7 December 2021, when no title changes hands). The truth is computed by the",
    "generator's own reader (`benchmarks/terms.py`), not by the workbench; `tests/test_benchmarks_corpus.py`",
    "checks it. Document *i* depends only on the seed and *i*: the 1,000-document corpus is the first",
    "1,000 of the 10,000.",
    "",
    "## Caveats",
    "",
    "- Generated text is not news: its vocabulary is smaller and more regular (see the distinct tokens",
    "  above), which helps every per-word cache (the workbench's and spaCy's vocabulary alike), and its",
    "  mentions follow the codebook's rules by construction. `/work/devset` holds real articles for the",
    "  quality figures that matter to analysts.",
    "- The peers are given role titles resolved on the documents' week (a dictionary knows no dates) and the",
    "  codebook's exclusions and title rules in the clitic-aware configuration: they are favoured, not",
    "  handicapped.",
    "- A token has one `NORM` in spaCy, so a word that reads as two codebook words (الاستراتيجية as an exact",
    "  word of one term and an inflection of another) gets the most reduced reading; the recall table shows",
    "  what that costs.",
    "- The Aho–Corasick scan ignores word boundaries (its false positives) and diacritics (its misses).",
    "- `وتابع قائلا إن` carries the speaker over for a reader; the workbench's codebook has no verb تابع, so",
    "  its recall on carried statements shows that gap honestly.",
    "",
]
