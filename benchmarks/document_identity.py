"""Digests of every document's paragraphs and sentences, to prove a change to how documents
are built (paragraphs, sentence splitting, sentence ids) leaves them as they were.

Run it with the tree under test's Python (its ``workbench`` is the one imported) and
compare with a reference written from ``main`` the same way::

    cd /work/main && .venv/bin/python /path/to/benchmarks/document_identity.py --out /tmp/ref.json
    cd /path/to/branch && .venv/bin/python benchmarks/document_identity.py --out /tmp/new.json \\
        --compare /tmp/ref.json

The sets are :mod:`identity`'s (seed, ``tests/data/articles``, ``--generated`` documents,
each ``--folder``). A document's digest covers every field of each paragraph and sentence
(ids, numbers, offsets, text) and the document's own (path relative to the tree, date and
its rule, outlet, url, title, problems). Only digests are written: no article text. On a
difference the documents that differ are named.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def document_digest(doc, root: str) -> str:
    """SHA-256 over every field of the document's paragraphs and sentences and its own."""
    h = hashlib.sha256()
    for p in doc.paragraphs:
        h.update(repr((p.doc_id, p.paragraph, p.start, p.end, p.text)).encode())
    h.update(b"\x00")
    for s in doc.sentences:
        h.update(repr((s.doc_id, s.paragraph, s.sentence, s.sentence_id, s.start, s.end, s.text)).encode())
    problems = [str(p).replace(root, "<root>") for p in doc.problems]
    own = (doc.doc_id, doc.path.replace(root, "<root>"), doc.date, doc.date_rule, doc.outlet, doc.url,
           doc.metadata_title, doc.title, doc.content_hash, problems)
    h.update(repr(own).encode())
    return h.hexdigest()[:16]


def digests(root: Path, generated: int, folders: list[Path]) -> dict[str, dict[str, str]]:
    """``{set name: {doc_id: digest}}`` for every set."""
    import workbench as wb

    sets = {"seed": root / "seeds", "tests/data": root / "tests" / "data" / "articles"}
    sets |= {str(f): f for f in folders}
    out = {name: {d.doc_id: document_digest(d, str(root)) for d in wb.load_corpus(path, near_duplicates=None)}
           for name, path in sets.items()}
    if generated:
        from corpus import generate

        from workbench.corpus import build_document

        out[f"generated-{generated}"] = {
            d: document_digest(build_document(d, t, path=f"{d}.txt", date=date, outlet="bench"), str(root))
            for d, t, date in generate(generated).texts}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="where to write the digests (JSON)")
    ap.add_argument("--compare", help="a reference written the same way: exit 1 when any differs")
    ap.add_argument("--generated", type=int, default=2000, help="generated documents (0: none)")
    ap.add_argument("--folder", action="append", default=[], help="another folder of articles")
    ap.add_argument("--root", default=".", help="the repository whose seeds/ and tests/data are read")
    a = ap.parse_args(argv)
    root = Path(a.root).resolve()
    found = digests(root, a.generated, [Path(f) for f in a.folder])
    Path(a.out).write_text(json.dumps(found, indent=1, sort_keys=True))
    for name, docs in found.items():
        whole = hashlib.sha256(json.dumps(docs, sort_keys=True).encode()).hexdigest()[:16]
        print(f"{name}: {len(docs)} documents, {whole}")
    if not a.compare:
        return 0
    reference = json.loads(Path(a.compare).read_text())
    differ = False
    for name in sorted(set(found) | set(reference)):
        mine, theirs = found.get(name, {}), reference.get(name, {})
        changed = sorted(d for d in set(mine) | set(theirs) if mine.get(d) != theirs.get(d))
        if changed:
            differ = True
            print(f"DIFFERENT {name}: {len(changed)} document(s), e.g. {', '.join(changed[:5])}")
    print("different" if differ else "identical: every document of every set")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
