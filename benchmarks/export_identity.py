"""Digest of what ``export(store, out)`` writes, to compare two checkouts file by file.

    .venv/bin/python benchmarks/export_identity.py STORE OUT.json [--no-reuse]

Exports a copy of ``STORE`` (CSV, ``compare=True``) and writes the SHA-256 of every file
but the manifest (which holds the time and the store's path) and the manifest's row counts.
``--no-reuse`` puts an empty result in place of ``find_reuse`` (for a checkout where it is
too slow on the corpus): the tables that depend on it are then empty on both sides.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
from pathlib import Path


def main(store: str, out: str, *, no_reuse: bool = False) -> None:
    from workbench import reuse
    from workbench.export import export
    from workbench.store import Store

    if no_reuse:
        real = reuse.find_reuse
        reuse.find_reuse = lambda articles, **options: real({"only": ""}, **options)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "store.sqlite"
        shutil.copy(store, copy)
        handle = Store(copy)
        written = export(handle, Path(tmp) / "out")
        handle.close()
        digests = {name: hashlib.sha256(path.read_bytes()).hexdigest()
                   for name, path in sorted(written.items()) if name != "manifest"}
        manifest = json.loads(written["manifest"].read_text(encoding="utf-8"))
    digests["row_counts"] = manifest["row_counts"]
    Path(out).write_text(json.dumps(digests, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], no_reuse="--no-reuse" in sys.argv[3:])
