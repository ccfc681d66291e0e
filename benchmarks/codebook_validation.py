"""Codebook validation time against codebook size, beside parsing the TOML alone.

``load_codebook`` parses the file (tomllib) and then checks every entry and term, finding
the line of each problem. That check should cost time linear in the number of terms;
this script measures it at 25,000 to 200,000 terms, with tomllib's parse of the same file
as the peer (the floor), min and median over 3 runs each, in one run. Times are CPU
seconds of this process (``time.process_time``), which other work on a shared machine
changes less than the wall clock::

    .venv/bin/python benchmarks/codebook_validation.py

Each codebook has half its terms in 4 topic lists and half in actors (a name and 9
aliases each), the shape that made the old line search quadratic in both.

Measured on the shared 2-core machine after the fix of issue 10 (rebased on the
codebook_validation module of issue 12):

| terms | load_codebook min / median (s) | tomllib.loads alone | load / parse | time per term vs previous |
|---:|---:|---:|---:|---:|
| 25,000 | 0.36 / 0.36 | 0.07 / 0.07 | 5.5× | — |
| 50,000 | 0.71 / 0.73 | 0.13 / 0.13 | 5.5× | 1.00× |
| 100,000 | 1.51 / 1.53 | 0.27 / 0.27 | 5.7× | 1.06× |
| 200,000 | 3.08 / 3.11 | 0.54 / 0.54 | 5.8× | 1.02× |

Before it, the 200,000-term codebook took 67 s of wall clock (58 s CPU).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from test_codebook import big_codebook  # noqa: E402  (the generator the test uses)

from workbench.codebook import load_codebook  # noqa: E402

SIZES = (25_000, 50_000, 100_000, 200_000)
RUNS = 3


def measure(terms: int, folder: Path) -> dict[str, float]:
    text = big_codebook(4, terms // 8, terms // 20, 9)
    validate, parse = [], []
    for run in range(RUNS):
        path = folder / f"cb_{terms}_{run}.toml"  # a new path each run: load_codebook caches by path
        path.write_text(text, encoding="utf-8")
        start = time.process_time()
        tomllib.loads(path.read_text(encoding="utf-8"))
        parse.append(time.process_time() - start)
        start = time.process_time()
        load_codebook(path)
        validate.append(time.process_time() - start)
    return {
        "min": min(validate),
        "median": statistics.median(validate),
        "parse_min": min(parse),
        "parse_median": statistics.median(parse),
    }


def main() -> int:
    print(
        "| terms | load_codebook min / median (s) | tomllib.loads alone min / median (s) | "
        "load / parse | time per term vs previous size |"
    )
    print("|---:|---:|---:|---:|---:|")
    previous = None
    with tempfile.TemporaryDirectory() as tmp:
        for terms in SIZES:
            m = measure(terms, Path(tmp))
            growth = f"{(m['min'] / terms) / (previous['min'] / previous['terms']):.2f}×" if previous else "—"
            print(
                f"| {terms:,} | {m['min']:.2f} / {m['median']:.2f} | {m['parse_min']:.2f} / "
                f"{m['parse_median']:.2f} | {m['min'] / m['parse_min']:.1f}× | {growth} |"
            )
            previous = {**m, "terms": terms}
    return 0


if __name__ == "__main__":
    sys.exit(main())
