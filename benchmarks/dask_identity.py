"""Check that the Dask path gives one process's tables, exactly, on a large corpus.

    .venv-bench/bin/python benchmarks/dask_identity.py [N_GENERATED]

Annotates the seed articles, tests/data/articles and N generated documents (default 2,000)
in this process and on a LocalCluster of two workers (default partitions, and 7), and
compares sentences, mentions, documents and quotes with ``assert_frame_equal``
(``check_exact``). Prints one line per comparison; exits non-zero on a difference.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))


def main(n: int) -> int:
    import pandas as pd
    from corpus import generate
    from distributed import Client, LocalCluster

    import workbench as wb
    from workbench.corpus import Corpus, load_corpus
    from workbench.scale import annotate_on_cluster

    folders = [p for p in (ROOT / "seeds", ROOT / "tests" / "data" / "articles") if p.is_dir()]
    corpus = Corpus([*load_corpus(folders), *generate(n, seed=11).corpus()])
    want = wb.annotate(corpus, progress=False)
    failed = 0
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        for partitions in (None, 7):
            got = annotate_on_cluster(corpus, address_or_client=client, partitions=partitions)
            for part in ("sentences", "mentions", "documents", "quotes"):
                try:
                    pd.testing.assert_frame_equal(getattr(got, part), getattr(want, part), check_exact=True)
                    verdict = "equal"
                except AssertionError as exc:
                    failed += 1
                    verdict = f"DIFFERENT: {str(exc).splitlines()[0]}"
                rows = len(getattr(want, part))
                print(f"{len(corpus):,} documents, partitions={partitions}: {part} ({rows:,} rows) {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))
