"""Digests of ``annotate()`` output, to prove a change leaves the output as it was.

Run it with the tree under test's Python (its ``workbench`` is the one imported) and
compare with a reference written from ``main`` the same way::

    cd /work/main && .venv/bin/python /path/to/benchmarks/identity.py --out /tmp/ref.json
    cd /path/to/branch && .venv/bin/python benchmarks/identity.py --out /tmp/new.json --compare /tmp/ref.json

The sets: the seed articles, ``tests/data/articles``, ``--generated`` documents of
:mod:`corpus` (default 2,000; text → ``build_document`` as the benchmark does, with its
dates) and any ``--folder`` given (e.g. a devset's articles). A digest covers the
sentences, mentions and quotes (columns, dtypes and every value). Only digests and counts
are written: no article text.

With ``--documents`` the digests are of the documents themselves, one per document (every
field of each paragraph and sentence: numbers, ids, offsets, text; and the document's own,
its path relative to ``--root``), for a change to how documents are built; a difference
names the documents that differ.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from workers import digest  # noqa: E402


def _folder(path: Path):
    import workbench as wb

    return wb.load_corpus(path, near_duplicates=None)


def _generated(n: int):
    from corpus import generate

    from workbench.corpus import Corpus, build_document

    g = generate(n)
    return Corpus(build_document(d, t, path=f"{d}.txt", date=date, outlet="bench") for d, t, date in g.texts)


def document_digest(doc, root: str) -> str:
    """SHA-256 over every field of the document's paragraphs and sentences and its own."""
    import hashlib

    h = hashlib.sha256()
    for p in doc.paragraphs:
        h.update(repr((p.doc_id, p.paragraph, p.start, p.end, p.text)).encode())
    h.update(b"\x00")
    for s in doc.sentences:
        h.update(repr((s.doc_id, s.paragraph, s.sentence, s.sentence_id, s.start, s.end, s.text)).encode())
    problems = [str(p).replace(root, "<root>") for p in doc.problems]
    h.update(repr((doc.doc_id, doc.path.replace(root, "<root>"), doc.date, doc.date_rule, doc.outlet, doc.url,
                   doc.metadata_title, doc.title, doc.content_hash, problems)).encode())
    return h.hexdigest()[:16]


def digests(root: Path, generated: int, folders: list[Path], *, documents: bool = False) -> dict:
    """``{set name: {"digest", "sentences", "mentions", "quotes"}}`` for every set (with
    ``documents``: ``{set name: {doc_id: digest}}``)."""
    import workbench as wb

    root = root.resolve() if documents else root  # (paths are digested relative to it)

    sets = {"seed": lambda: _folder(root / "seeds"),
            "tests/data": lambda: _folder(root / "tests" / "data" / "articles")}
    for f in folders:
        sets[str(f)] = lambda f=f: _folder(f)
    if generated:
        sets[f"generated-{generated}"] = lambda: _generated(generated)
    out = {}
    for name, make in sets.items():
        if documents:
            out[name] = {d.doc_id: document_digest(d, str(root.resolve())) for d in make()}
            print(name, f"{len(out[name])} documents", flush=True)
            continue
        ann = wb.annotate(make(), progress=False)
        out[name] = {"digest": digest(ann.sentences, ann.mentions, ann.quotes),
                     "sentences": len(ann.sentences), "mentions": len(ann.mentions),
                     "quotes": len(ann.quotes)}
        print(name, out[name], flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="where to write the digests (JSON)")
    ap.add_argument("--compare", help="a reference written the same way: exit 1 when any differs")
    ap.add_argument("--generated", type=int, default=2000, help="generated documents (0: none)")
    ap.add_argument("--folder", action="append", default=[], help="another folder of articles")
    ap.add_argument("--root", default=".", help="the repository whose seeds/ and tests/data are read")
    ap.add_argument("--documents", action="store_true", help="digest each document, not annotate()'s output")
    a = ap.parse_args(argv)
    got = digests(Path(a.root), a.generated, [Path(f) for f in a.folder], documents=a.documents)
    Path(a.out).write_text(json.dumps(got, indent=1, ensure_ascii=False), encoding="utf-8")
    if not a.compare:
        return 0
    ref = json.loads(Path(a.compare).read_text(encoding="utf-8"))
    bad = [k for k in sorted(set(ref) | set(got)) if ref.get(k) != got.get(k)]
    for k in bad:
        if a.documents:
            mine, theirs = got.get(k, {}), ref.get(k, {})
            changed = sorted(d for d in set(mine) | set(theirs) if mine.get(d) != theirs.get(d))
            print(f"DIFFERENT: {k}: {len(changed)} document(s), e.g. {', '.join(changed[:5])}")
        else:
            print(f"DIFFERENT: {k}: reference {ref.get(k)} now {got.get(k)}")
    print("identical" if not bad else f"{len(bad)} set(s) differ")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
