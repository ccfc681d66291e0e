"""The analyst's desk at a thousand articles (issue 14): tables and the article view.

    .venv/bin/python benchmarks/desk.py [--articles 1000] [--runs 3]

For every table of notebook 03 on a project of generated articles it measures, side by
side in one run, the workbench's interactive table (``show_table``: itables offline) and
the peer it replaced (the pandas Styler of ``display.styled_rtl``, every row printed):
the seconds to build the table and its HTML in Python, the HTML's size, and the
milliseconds headless Chromium takes to draw it once the page holds the DataTables
library (as a notebook does after its first table). For the article view it measures
building the view of a 5,000-word article and redrawing it after a correction. Each
figure is the min and median of ``--runs`` runs; results go to
``benchmarks/out/desk.json``. The machine is shared: compare within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the article generator the tests use

INSERT = """(html) => new Promise(resolve => {
  const t0 = performance.now();
  const box = document.createElement('div'); box.innerHTML = html; document.body.appendChild(box);
  for (const old of box.querySelectorAll('script')) { const s = document.createElement('script');
    for (const a of old.attributes) s.setAttribute(a.name, a.value);
    s.textContent = old.textContent; old.replaceWith(s); }
  const done = () => { const dt = box.querySelector('.dt-container tbody tr');
    const plain = !box.querySelector('script') && box.querySelector('tbody tr');
    if (dt || (plain && !html.includes('itables'))) {
      requestAnimationFrame(() => { resolve(performance.now() - t0); box.remove(); }); }
    else { requestAnimationFrame(done); } };
  done();
})"""


def stats(values: list[float]) -> dict[str, float]:
    return {"min": min(values), "median": statistics.median(values)}


def project_view(n: int):
    """A store of ``n`` generated articles and its current view."""
    from article_generator import write_articles

    import workbench as wb

    folder = Path(tempfile.mkdtemp())
    write_articles(folder / "articles", n)
    corpus = wb.load_corpus(folder / "articles")
    store = wb.Store(folder / "store.sqlite")
    store.save_annotations(wb.annotate(corpus), corpus=corpus)
    return store


def notebook_tables(store):
    """The tables of notebook 03, as functions of the view."""
    from workbench import tables

    sentences, mentions = store.view()
    documents = store.documents()
    return {
        "topic_counts by doc_id": lambda: tables.topic_counts(
            sentences, mentions, by="doc_id", labels="both", codebook=store
        ),
        "topic_counts by outlet": lambda: tables.topic_counts(
            sentences, mentions, by="outlet", documents=documents, labels="both", codebook=store
        ),
        "topic_by_paragraph": lambda: tables.topic_by_paragraph(sentences, labels="both", codebook=store),
        "speaker_by_topic": lambda: tables.speaker_by_topic(sentences, labels="both", codebook=store),
        "statements": lambda: tables.statements(sentences, labels="both", codebook=store),
        "actor_by_topic": lambda: tables.actor_by_topic(sentences, labels="both", codebook=store),
        "cooccurrence": lambda: tables.cooccurrence(
            sentences, unit="paragraph", labels="both", codebook=store
        ),
        "kwic": lambda: tables.kwic(
            sentences, ["مينسك", "الكرملين"], window=6, mentions=mentions, codebook=store
        ),
    }


def measure_tables(store, runs: int) -> dict:
    import pandas as pd
    from playwright.sync_api import sync_playwright

    from workbench.display import styled_rtl
    from workbench.table_view import table_html

    methods = {
        "show_table (itables)": table_html,
        "styled_rtl (pandas Styler, the peer)": lambda frame: styled_rtl(frame).to_html(),
    }
    results: dict = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_content(
            "<!doctype html><meta charset=utf-8><body>"
            + table_html(pd.DataFrame({"x": [1]}), include_library=True)
            + "</body>"
        )
        page.wait_for_function("() => document.querySelector('.dt-container')")
        for name, build in notebook_tables(store).items():
            for method, render in methods.items():
                python, drawn, size, rows = [], [], 0, 0
                for _ in range(runs):
                    start = time.perf_counter()
                    frame = build()
                    html = render(frame)
                    python.append(time.perf_counter() - start)
                    drawn.append(page.evaluate(INSERT, html) / 1000)
                    size, rows = len(html.encode()), len(frame)
                results.setdefault(name, {"rows": rows})[method] = {
                    "python_s": stats(python),
                    "browser_s": stats(drawn),
                    "html_bytes": size,
                    "total_s": stats([p + d for p, d in zip(python, drawn, strict=True)]),
                }
                print(
                    f"{name:24} {method:38} rows {rows:6} python {min(python):6.3f} s  browser "
                    f"{min(drawn):6.3f} s  {size / 1e6:6.2f} MB",
                    flush=True,
                )
        browser.close()
    return results


def measure_article_view(runs: int) -> dict:
    """Build the article view of a 5,000-word article, and redraw it after a correction."""
    from article_generator import article

    import workbench as wb
    from workbench.article_view import ArticleView

    folder = Path(tempfile.mkdtemp())
    (folder / "a").mkdir()
    text = article(random.Random(5), 260)
    (folder / "a" / "long.txt").write_text(text, encoding="utf-8")
    corpus = wb.load_corpus(folder / "a")
    store = wb.Store(folder / "store.sqlite")
    store.save_annotations(wb.annotate(corpus), corpus=corpus)
    panel = wb.ReviewPanel(store, annotator="bench")
    build, redraw = [], []
    for _ in range(runs):
        start = time.perf_counter()
        view = ArticleView(store, panel=panel)
        build.append(time.perf_counter() - start)
        button = next(iter(panel.topic_toggles.values()))
        start = time.perf_counter()
        button.value = not button.value  # journaled, the panel reloads, the view redraws one line
        redraw.append(time.perf_counter() - start)
    return {
        "words": len(text.split()),
        "sentences": len(view.sentence_ids),
        "html_bytes": len(view.body.value),
        "build_s": stats(build),
        "correction_with_redraw_s": stats(redraw),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    started = time.perf_counter()
    store = project_view(args.articles)
    results = {
        "articles": args.articles,
        "runs": args.runs,
        "load_before": load,
        "tables": measure_tables(store, args.runs),
        "article_view": measure_article_view(args.runs),
    }
    results["load_after"] = os.getloadavg()[0]
    results["seconds"] = time.perf_counter() - started
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "desk.json").write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(results["article_view"], indent=1))


if __name__ == "__main__":
    main()
