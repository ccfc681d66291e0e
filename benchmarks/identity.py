"""Digests of ``annotate()`` output, to prove a speed change leaves the output as it was.

Run it in two checkouts (the branch and ``main``) and compare the JSON files::

    .venv/bin/python benchmarks/identity.py --out /tmp/branch.json --generated 2000 \\
        seeds tests/data/articles /path/to/more/articles
    (cd /work/main && .venv/bin/python /path/to/benchmarks/identity.py --out /tmp/main.json ...)
    .venv/bin/python benchmarks/identity.py --compare /tmp/main.json /tmp/branch.json

The ``workbench`` imported is the one of the current directory (``sys.path[0]`` is set to
it), so the same script measures either checkout. Each source gets one digest of its
sentences, mentions and quotes (columns, dtypes and values); ``--frames DIR`` also writes
the frames as pickles, so a difference can be looked at row by row.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _digests(sources: list[str], generated: int, frames: Path | None) -> dict[str, str]:
    sys.path.insert(0, str(Path.cwd()))
    sys.path.insert(1, str(HERE))
    from workers import digest

    import workbench as wb

    runs = [(src, lambda src=src: wb.load_corpus(src)) for src in sources]
    if generated:
        from corpus import generate

        g = generate(generated)
        runs.append((f"generated:{generated}", g.corpus))
    out = {}
    for name, make in runs:
        ann = wb.annotate(make(), progress=False)
        out[name] = digest(ann.sentences, ann.mentions, ann.quotes)
        if frames is not None:
            frames.mkdir(parents=True, exist_ok=True)
            stem = name.replace("/", "_").replace(":", "_")
            for part in ("sentences", "mentions", "quotes"):
                getattr(ann, part).to_pickle(frames / f"{stem}.{part}.pkl")
        print(f"{name}: {out[name]} ({len(ann.sentences)} sentences, {len(ann.mentions)} mentions)")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sources", nargs="*", help="folders or files of articles")
    ap.add_argument("--generated", type=int, default=0, help="also this many generated documents")
    ap.add_argument("--out", help="write the digests to this JSON file")
    ap.add_argument("--frames", help="also write the frames as pickles to this folder")
    ap.add_argument("--compare", nargs=2, metavar=("A", "B"), help="compare two digest files")
    args = ap.parse_args(argv)
    if args.compare:
        a, b = (json.loads(Path(p).read_text(encoding="utf-8")) for p in args.compare)
        differ = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
        for k in differ:
            print(f"DIFFERS {k}: {a.get(k)} != {b.get(k)}")
        print("identical" if not differ else f"{len(differ)} of {len(a.keys() | b.keys())} differ")
        return 1 if differ else 0
    got = _digests(args.sources, args.generated, Path(args.frames) if args.frames else None)
    if args.out:
        Path(args.out).write_text(json.dumps(got, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
