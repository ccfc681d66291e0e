"""Notebook tables at a thousand articles: this tree's ``table_html`` beside an earlier commit's.

    .venv/bin/python benchmarks/tables_peer.py [--peer 99bf7eb] [--articles 1000] [--runs 5]

For every table of notebook 03 (``benchmarks/desk.py``'s list) it builds the table from the
store's view and its HTML in Python, then has headless Chromium draw it (the DataTables
library already on the page, as in a notebook after its first table), alternating which
version goes first. It prints min and median seconds over ``--runs`` and writes
``benchmarks/out/tables_peer.json``. The machine is shared: compare within one run.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))


def peer_table_html(commit: str):
    """``table_html`` of ``workbench/table_view.py`` as it was at ``commit``."""
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{commit}:workbench/table_view.py"],
                            check=True, capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp()) / "table_view_peer.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("table_view_peer", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.table_html


def main() -> None:
    import desk
    import pandas as pd
    from playwright.sync_api import sync_playwright

    from workbench.table_view import table_html

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peer", default="99bf7eb")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True).stdout.strip()
    methods = {f"peer {args.peer}": peer_table_html(args.peer), f"this tree ({head})": table_html}
    load = os.getloadavg()[0]
    store = desk.project_view(args.articles)
    results: dict = {"peer": args.peer, "head": head, "articles": args.articles, "runs": args.runs,
                     "load_before": load, "tables": {}}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_content("<!doctype html><meta charset=utf-8><body>"
                         + table_html(pd.DataFrame({"x": [1]}), include_library=True) + "</body>")
        page.wait_for_function("() => document.querySelector('.dt-container')")
        for name, build in desk.notebook_tables(store).items():
            figures = results["tables"].setdefault(name, {})
            for run in range(args.runs):
                order = list(methods.items()) if run % 2 == 0 else list(methods.items())[::-1]
                for method, render in order:
                    start = time.perf_counter()
                    html = render(build())
                    python = time.perf_counter() - start
                    drawn = page.evaluate(desk.INSERT, html) / 1000
                    row = figures.setdefault(method, {"python_s": [], "browser_s": [], "total_s": [],
                                                      "html_bytes": len(html.encode())})
                    row["python_s"].append(python)
                    row["browser_s"].append(drawn)
                    row["total_s"].append(python + drawn)
            for method, row in figures.items():
                for key in ("python_s", "browser_s", "total_s"):
                    row[key] = desk.stats(row[key])
                print(f"{name:24} {method:24} total min {row['total_s']['min']:.3f} median "
                      f"{row['total_s']['median']:.3f} s (python {row['python_s']['median']:.3f}, browser "
                      f"{row['browser_s']['median']:.3f}) {row['html_bytes'] / 1e6:.2f} MB", flush=True)
        browser.close()
    results["load_after"] = os.getloadavg()[0]
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "tables_peer.json").write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
