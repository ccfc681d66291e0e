"""Are the store's outputs the same on two source trees? Digests of ``Store.view()`` (with
corrections replayed), ``sentence_record`` and the files ``export`` writes.

Usage (from the repository root, with the project's ``.venv``)::

    python benchmarks/store_identity.py TREE_A TREE_B FOLDER [FOLDER ...] [--generated N]

Each folder of articles (``wb.load_corpus``) is annotated, saved into a new store, given a
few corrections (an added topic, a note, a speaker, an undo), then read back and exported,
once per tree in a fresh process (``PYTHONPATH=TREE``). ``--generated N`` adds the first
``N`` documents of the benchmark's generated corpus (exported without the comparison tables,
whose reuse pass is slow on that corpus). Prints each digest and whether the trees agree.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from workers import digest as _digest  # noqa: E402


def one(folder: str, work: str, compare: str) -> None:
    """Annotate, store, correct, read and export ``folder`` with the tree on ``PYTHONPATH``."""
    import workbench as wb
    from workbench.export import export
    from workbench.store import Store

    corpus = wb.load_corpus(folder)
    ann = wb.annotate(corpus, progress=False)
    out: dict[str, str] = {}
    with Store(Path(work) / "s.sqlite") as store:
        store.save_annotations(ann, corpus=corpus)
        ids = store.sentence_ids()
        topic = store.codebook().topic_keys[0]
        store.correct(ids[0], "topics", "add", topic, annotator="huda")
        store.correct(ids[-1], "note", "set", "ملاحظة للمراجعة", annotator="huda")
        store.correct(ids[len(ids) // 2], "speaker", "set", store.codebook().actor_ids[0], annotator="omar")
        store.correct(ids[1], "reviewed", "set", True, annotator="omar")
        store.undo(annotator="huda")
        sentences, mentions = store.view()
        out["view"] = _digest(sentences, mentions)
        out["view_auto"] = _digest(*store.view(corrections=False))
        out["records"] = hashlib.sha256(json.dumps(
            [store.sentence_record(s) for s in ids[:: max(1, len(ids) // 200)]], ensure_ascii=False,
            sort_keys=True, default=str).encode()).hexdigest()[:16]
        out["queues"] = hashlib.sha256(repr([store.sentence_ids(queue=q, annotator="huda") for q in
                                             ("unreviewed", "disagreements", "least_certain")]).encode()
                                       ).hexdigest()[:16]
        out["documents"] = _digest(store.documents())
        export(store, Path(work) / "out", compare=compare == "yes")
    for path in sorted((Path(work) / "out").rglob("*")):
        if path.is_file() and path.name != "manifest.json":
            name = str(path.relative_to(Path(work) / "out"))
            out[name] = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    print(json.dumps(out))


def main(argv: list[str]) -> None:
    generated = 0
    if "--generated" in argv:
        i = argv.index("--generated")
        generated = int(argv[i + 1])
        del argv[i:i + 2]
    trees, folders = [str(Path(t).resolve()) for t in argv[:2]], [(f, "yes") for f in argv[2:]]
    with tempfile.TemporaryDirectory() as tmp:
        if generated:
            sys.path.insert(0, str(HERE))
            from corpus import generate

            folders.append((str(generate(generated).write(Path(tmp) / f"generated-{generated}")), "no"))
        same = True
        for folder, compare in folders:
            results = []
            for k, tree in enumerate(trees):
                work = Path(tmp) / f"w{k}-{abs(hash(folder))}"
                work.mkdir()
                proc = subprocess.run([sys.executable, __file__, "--one", folder, str(work), compare],
                                      capture_output=True, text=True, env={**os.environ, "PYTHONPATH": tree},
                                      check=False)
                if proc.returncode:
                    raise SystemExit(proc.stderr[-3000:])
                results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
            agree = results[0] == results[1]
            same &= agree
            print(f"{folder}: {'identical' if agree else 'DIFFERENT'} ({len(results[0])} digests; "
                  f"view {results[0]['view']})")
            if not agree:
                for key in sorted(set(results[0]) | set(results[1])):
                    if results[0].get(key) != results[1].get(key):
                        print(f"  {key}: {results[0].get(key)} vs {results[1].get(key)}")
    print("all identical" if same else "NOT identical")


if __name__ == "__main__":
    if sys.argv[1] == "--one":
        one(*sys.argv[2:])
    else:
        main(sys.argv[1:])
