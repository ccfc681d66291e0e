"""CPU time of each stage of the benchmark's annotation window (text → ``wb.annotate``).

For working on one stage: it wraps the stage functions below with CPU-time counters
(``time.process_time``), runs the benchmark's window once on the first ``--n`` generated
documents and prints the seconds spent in each, outermost stages first. A stage a tree does
not have (renamed, merged into another) is reported as missing; "total" is always the whole
window, so stages of different trees compare through it.

    .venv/bin/python benchmarks/stages.py --n 10000 [--corpus /tmp/corpus-10000.json]

The wrapper costs about a microsecond per call: the per-document stages are measured
faithfully, the per-sentence ones slightly high. Run it beside main's tree (``--root``
chooses whose ``workbench`` is imported) in one session to compare.
"""

from __future__ import annotations

import argparse
import functools
import gc
import importlib
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

#: (module, qualified name) of each stage; nested stages are counted inside their callers too.
STAGES = [
    ("workbench.corpus", "build_document"),
    ("workbench.corpus", "sentence_ids"),
    ("workbench.text", "sentences"),
    ("workbench.annotate", "_annotate_document"),
    ("workbench.matching", "DocumentMatcher.scan"),
    ("workbench.matching", "DocumentMatcher.actors"),
    ("workbench.matching", "DocumentMatcher.topics"),
    ("workbench.annotate", "_page"),
    ("workbench.furniture", "paragraph_furniture"),
    ("workbench.annotate", "_quotations"),
    ("workbench.attribution", "Attributor.document"),
    ("workbench.annotate", "_context_topics"),
    ("workbench.annotate", "_mention_columns"),
    ("workbench.annotate", "_Tables.frames"),
    ("workbench.corpus", "Corpus.documents_frame"),
]


def _wrap(spent: dict, calls: dict, module: str, qualname: str) -> bool:
    mod = importlib.import_module(module)
    owner, _, name = qualname.rpartition(".")
    holder = getattr(mod, owner) if owner else mod
    f = getattr(holder, name, None)
    if f is None:
        return False
    clock = time.process_time

    @functools.wraps(f)
    def timed(*a, **k):
        t0 = clock()
        try:
            return f(*a, **k)
        finally:
            spent[qualname] += clock() - t0
            calls[qualname] += 1

    setattr(holder, name, timed)
    # module-level callers that imported the function by name (from .x import f)
    if not owner:
        for other in list(sys.modules.values()):
            if getattr(other, "__name__", "").startswith("workbench") and getattr(other, name, None) is f:
                setattr(other, name, timed)
    return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000, help="generated documents")
    ap.add_argument("--corpus", help="a corpus file saved by corpus.GeneratedCorpus.save (else generated)")
    ap.add_argument("--root", default=str(HERE.parent), help="the tree whose workbench is imported")
    ap.add_argument("--json", help="also write the figures here")
    a = ap.parse_args(argv)
    sys.path.insert(0, str(Path(a.root).resolve()))
    from corpus import GeneratedCorpus, generate

    import workbench as wb
    from workbench.corpus import Corpus

    g = GeneratedCorpus.load(a.corpus).head(a.n) if a.corpus else generate(a.n)
    wb.annotate(Corpus([]), progress=False)  # codebook and matcher, outside the window
    spent = dict.fromkeys((q for _, q in STAGES), 0.0)
    calls = dict.fromkeys(spent, 0)
    missing = [q for m, q in STAGES if not _wrap(spent, calls, m, q)]
    import workbench.corpus as wc  # after wrapping: build_document is looked up on the module

    gc.collect()
    c0 = time.process_time()
    corpus = Corpus(
        wc.build_document(d, t, path=f"{d}.txt", date=date, outlet="bench") for d, t, date in g.texts
    )
    wb.annotate(corpus, progress=False)
    total = time.process_time() - c0
    print(f"workbench at {Path(wb.__file__).parent}, {a.n:,} documents: total {total:.3f} s CPU")
    for q in spent:
        if q not in missing:
            print(f"  {q:32s} {spent[q]:8.3f} s  {100 * spent[q] / total:5.1f}%  {calls[q]:>9,} calls")
    for q in missing:
        print(f"  {q:32s}  missing in this tree")
    if a.json:
        Path(a.json).write_text(json.dumps({"total": total, "stages": spent, "missing": missing}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
