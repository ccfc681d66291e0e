"""How long reuse detection takes on many articles, and how much planted reuse it finds.

    .venv/bin/python benchmarks/reuse_bench.py                  # 10,000 articles, 3 runs
    .venv/bin/python benchmarks/reuse_bench.py --articles 2000 --runs 3

Generates articles from the words of the repository's own test articles (drawn by their
frequency there), plants wire stories copied into other articles — verbatim, with a word or
two replaced, with a short phrase added, or with their sentences swapped, always as a
paragraph of their own — and times :func:`workbench.reuse.find_reuse` on them, each run in
a fresh process (the corpus is generated once and read from a file; reading is not timed).
A planted copy counts as found when the detected cluster of its source paragraph has the
copy's exact span; *false clusters* are detected clusters that hold no planted source.

``run(...)`` returns the figures as a dict (for a benchmark registry); ``__main__`` prints
them as JSON. Nothing here asserts a timing: the target (under 3 minutes for 10,000
articles on 2 cores) is compared by whoever reads the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SOURCES = (ROOT / "tests" / "data" / "outlets" / "articles", ROOT / "tests" / "data" / "articles",
           ROOT / "seeds")
#: A wire story for every this many articles; each is copied into 1–5 others.
WIRE_EVERY = 10
EDITS = ("verbatim", "verbatim", "replace", "insert", "reorder")
EDGE = 4  # edits stay this many words away from either end of the paragraph


def _words() -> tuple[list[str], list[int]]:
    """The words of the repository's articles and how often each occurs."""
    counts: dict[str, int] = {}
    for folder in SOURCES:
        for path in sorted(folder.glob("*.txt")):
            for word in re.findall(r"[^\W\d_]+", path.read_text(encoding="utf-8")):
                counts[word] = counts.get(word, 0) + 1
    words = sorted(counts)
    return words, [counts[w] for w in words]


class _Writer:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.words, self.weights = _words()

    def sentence(self) -> str:
        """14 to 24 words: with two replaced, a planted passage keeps find_reuse's min_words (12)."""
        return " ".join(self.rng.choices(self.words, self.weights, k=self.rng.randint(14, 24))) + "."

    def paragraph(self, sentences: int | None = None) -> list[str]:
        return [self.sentence() for _ in range(sentences or self.rng.randint(1, 3))]

    def edited(self, sentences: list[str]) -> tuple[str, str]:
        """A copy of a paragraph with one planted edit, and the edit's name."""
        edit = self.rng.choice(EDITS)
        if edit == "reorder" and len(sentences) > 1:
            return " ".join(sentences[1:] + sentences[:1]), edit
        words = " ".join(sentences).split(" ")
        if edit == "verbatim" or len(words) < 2 * EDGE + 2:
            return " ".join(words), "verbatim"
        at = self.rng.randrange(EDGE, len(words) - EDGE)
        if edit == "insert":
            words[at:at] = self.rng.choices(self.words, self.weights, k=self.rng.randint(2, 4))
        else:
            for k in range(self.rng.randint(1, 2)):
                words[at + k] = self.rng.choice(self.words)
            edit = "replace"
        return " ".join(words), edit


def generate(n: int, *, seed: int = 0) -> tuple[list[dict], list[dict]]:
    """``n`` articles (doc_id, date, outlet, text) and the planted copies.

    Each planted copy is ``{"source": [doc_id, start, end], "copy": [doc_id, start, end],
    "edit": ...}``: the source paragraph in its wire story and where the copy stands.
    """
    w = _Writer(seed)
    n_wire = max(1, n // WIRE_EVERY)
    bodies: list[list[Any]] = [[w.paragraph() for _ in range(w.rng.randint(5, 9))] for _ in range(n)]
    wires = w.rng.sample(range(n), n_wire)
    hosts = [i for i in range(n) if i not in set(wires)]
    for wire in wires:
        bodies[wire] = [w.paragraph(w.rng.randint(1, 3)) for _ in range(4)]
        for host in w.rng.sample(hosts, w.rng.randint(1, 5)):
            for p in w.rng.sample(range(4), w.rng.randint(1, 3)):
                text, edit = w.edited(bodies[wire][p])
                bodies[host].insert(w.rng.randrange(len(bodies[host]) + 1), (wire, p, text, edit))
    articles, where = [], {}
    for i, body in enumerate(bodies):
        text = " ".join(w.paragraph(1))[:-1] + "\n"  # the title
        for p, item in enumerate(body):
            piece = item[2] if isinstance(item, tuple) else " ".join(item)
            text += "\n"
            where[(i, p)] = (len(text), len(text) + len(piece))
            text += piece + "\n"
        day = 1 + (i * 7) % 28
        articles.append({"doc_id": f"a{i:05d}", "date": f"2022-02-{day:02d}",
                         "outlet": f"outlet {i % 40}", "text": text})
    planted = []
    for i, body in enumerate(bodies):
        for p, item in enumerate(body):
            if isinstance(item, tuple):
                wire, q, _, edit = item
                planted.append({"source": [f"a{wire:05d}", *where[(wire, q)]],
                                "copy": [f"a{i:05d}", *where[(i, p)]], "edit": edit})
    return articles, planted


def score(spans: list[dict], planted: list[dict]) -> dict[str, Any]:
    """Recall of the planted copies (exact spans, and >= 90 % overlap) and false clusters."""
    by_doc: dict[str, list[tuple[int, int, int]]] = {}
    for s in spans:
        by_doc.setdefault(s["doc_id"], []).append((s["start"], s["end"], s["cluster"]))
    exact = overlap = 0
    true_clusters = set()
    by_edit: dict[str, list[int]] = {}
    for plant in planted:
        src_doc, src_start, src_end = plant["source"]
        doc, start, end = plant["copy"]
        clusters = {c for a, b, c in by_doc.get(src_doc, []) if a <= src_start and src_end <= b}
        true_clusters |= clusters
        found = [(a, b) for a, b, c in by_doc.get(doc, []) if c in clusters]
        hit = (start, end) in found
        exact += hit
        overlap += any(min(b, end) - max(a, start) >= 0.9 * (end - start) for a, b in found)
        tally = by_edit.setdefault(plant["edit"], [0, 0])
        tally[0] += hit
        tally[1] += 1
    return {
        "planted": len(planted),
        "recall_exact": exact / len(planted) if planted else 1.0,
        "recall_overlap": overlap / len(planted) if planted else 1.0,
        "recall_exact_by_edit": {k: v[0] / v[1] for k, v in sorted(by_edit.items())},
        "clusters_found": len({c for items in by_doc.values() for *_, c in items}),
        "false_clusters": len({c for items in by_doc.values() for *_, c in items} - true_clusters),
    }


def _worker(corpus: str) -> None:
    """Time find_reuse on the corpus file; print JSON (fresh process, one run)."""
    import pandas as pd

    from workbench.reuse import find_reuse

    data = json.loads(Path(corpus).read_text(encoding="utf-8"))
    frame = pd.DataFrame(data["articles"])
    wall, cpu = time.perf_counter(), time.process_time()
    found = find_reuse(frame)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    spans = found.spans[["cluster", "doc_id", "start", "end"]].to_dict("records")
    print(json.dumps({"seconds": wall, "cpu_seconds": cpu,
                      **score(spans, data["planted"])}))


def run(*, articles: int = 10_000, runs: int = 3, seed: int = 0) -> dict[str, Any]:
    """Generate ``articles`` articles and time reuse detection ``runs`` times.

    Parameters
    ----------
    articles : int, default 10_000
        How many articles to generate.
    runs : int, default 3
        Fresh processes to time (min and median reported).
    seed : int, default 0
        Seed of the generator.

    Returns
    -------
    dict
        ``articles, characters, planted, runs`` (seconds of each), ``min_s, median_s``,
        ``cpu_s`` (of each run), ``recall_exact, recall_overlap, clusters_found,
        false_clusters``, ``machine``.
    """
    items, planted = generate(articles, seed=seed)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.json"
        path.write_text(json.dumps({"articles": items, "planted": planted}), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        for _ in range(runs):
            done = subprocess.run([sys.executable, __file__, "--worker", str(path)], env=env,
                                  check=True, capture_output=True, text=True, cwd=ROOT)
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    seconds = [r["seconds"] for r in results]
    return {
        "articles": articles,
        "characters": sum(len(a["text"]) for a in items),
        "runs": seconds,
        "min_s": min(seconds),
        "median_s": statistics.median(seconds),
        "cpu_s": [r["cpu_seconds"] for r in results],
        **{k: results[0][k] for k in ("planted", "recall_exact", "recall_overlap",
                                      "recall_exact_by_edit", "clusters_found", "false_clusters")},
        "machine": f"{os.cpu_count()} CPUs, {platform.platform()}, Python {platform.python_version()}",
        "load_before": os.getloadavg()[0],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _worker(args.worker)
        return
    print(json.dumps(run(articles=args.articles, runs=args.runs, seed=args.seed), indent=2))


if __name__ == "__main__":
    main()
