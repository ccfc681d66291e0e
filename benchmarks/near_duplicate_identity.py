"""Near-duplicate pairs found on a corpus with planted near copies, to compare two checkouts.

    .venv/bin/python benchmarks/near_duplicate_identity.py make FOLDER [--articles 2000]
    .venv/bin/python benchmarks/near_duplicate_identity.py digest FOLDER OUT.json

``make`` writes ``--articles`` generated documents (benchmarks/corpus.py) as ``.txt`` files
with a ``metadata.csv`` and, for every seventh of them, a near copy: verbatim, with a share of
its words replaced (some copies land just above 0.8 of shared word 3-shingles, some just
below), with a paragraph dropped, or with another article's paragraph added; dates vary so
that either copy may be the earlier.
``digest`` writes, as JSON, what ``load_corpus`` reports (the near-duplicate problems of each
file), ``near_duplicate_pairs`` with ``method="exact"`` and ``"minhash"`` at 0.8 and 0.5
and the near-duplicates of ``find_reuse``, with the CPU time of each, so that the output of two
checkouts can be compared (the times aside).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: How a near copy is made, and the share of words it replaces.
EDITS = (("verbatim", 0.0), ("replace", 0.02), ("replace", 0.035), ("replace", 0.05), ("replace", 0.08),
         ("drop", 0.0), ("add", 0.0))


def _near_copy(text: str, other: str, edit: str, share: float, rng: random.Random) -> str:
    paragraphs = text.split("\n")
    if edit == "drop" and len(paragraphs) > 2:
        del paragraphs[rng.randrange(1, len(paragraphs))]
    elif edit == "add":
        paragraphs.insert(rng.randrange(1, len(paragraphs) + 1), rng.choice(other.split("\n")))
    elif edit == "replace":
        words = text.split(" ")
        for at in rng.sample(range(len(words)), int(len(words) * share)):
            words[at] = rng.choice(other.split(" ")).strip("\n") or words[at]
        return " ".join(words)
    return "\n".join(paragraphs)


def make(folder: Path, articles: int) -> None:
    sys.path.insert(0, str(HERE))
    from corpus import generate

    rng = random.Random(13)
    texts = [(d, t, date) for d, t, date in generate(articles).texts]
    rows = []
    for k, (doc_id, text, date) in enumerate(texts):
        rows.append((doc_id, text, date))
        if k % 7 == 0:
            edit, share = EDITS[(k // 7) % len(EDITS)]
            other = texts[rng.randrange(len(texts))][1]
            copy_date = date if k % 3 else f"20{rng.randrange(20, 25)}-0{rng.randrange(1, 10)}-1{k % 10}"
            rows.append((f"{doc_id}-copy", _near_copy(text, other, edit, share, rng), copy_date))
    folder.mkdir(parents=True, exist_ok=True)
    for doc_id, text, _ in rows:
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    with open(folder / "metadata.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["doc_id", "date", "outlet", "url", "title"])
        writer.writerows([doc_id, date, "bench", "", ""] for doc_id, _, date in rows)


def digest(folder: Path, out: Path) -> None:
    import workbench as wb
    from workbench import reuse

    t0 = time.process_time()
    corpus = wb.load_corpus(folder)
    found: dict = {"load_s": time.process_time() - t0,
                   "problems": sorted(str(p) for p in corpus.problems)}
    for method in ("exact", "minhash"):
        for threshold in (0.8, 0.5):
            t0 = time.process_time()
            pairs = reuse.near_duplicate_pairs(corpus, method=method, threshold=threshold)
            found[f"{method}_{threshold}_s"] = time.process_time() - t0
            found[f"{method}_{threshold}"] = [list(p) for p in pairs]
    t0 = time.process_time()
    found["find_reuse"] = reuse.find_reuse(corpus).near_duplicates.values.tolist()
    found["find_reuse_s"] = time.process_time() - t0
    out.write_text(json.dumps(found, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print({k: (len(v) if isinstance(v, list) else round(v, 2)) for k, v in found.items()})


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("make", "digest"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("out", type=Path, nargs="?")
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    make(args.folder, args.articles) if args.what == "make" else digest(args.folder, args.out)
