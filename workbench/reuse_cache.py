"""The reuse of a store's articles, found once and kept in the store until they change.

Finding reuse reads every article (:func:`workbench.reuse.find_reuse`: about half a
minute of CPU at 10,000 articles), and every CSV export and ``workbench compare`` needs
it. :func:`cached_reuse` keeps what it found in the store's ``reuse_cache`` table, keyed
by a SHA-256 of everything the result depends on:

- every document's ``doc_id``, date, outlet and a SHA-256 of its text as stored;
- the options given to :func:`~workbench.reuse.find_reuse`;
- the workbench version and the source of the modules that compute it (``reuse``,
  ``similar_sets``, ``text``), so a changed algorithm never serves an old result.

A later call with the same key reads the result back (exactly: same frames, same dtypes);
a changed, added or removed document, or other options, give another key and the reuse is
found again. The table keeps only the latest result (it is a cache, not a record: the
corrections journal is untouched by it).
"""

from __future__ import annotations

import hashlib
import json
import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench import reuse, similar_sets
from workbench import text as wtext

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["cached_reuse", "reuse_key"]

_FRAMES = ("clusters", "spans", "articles", "pairs", "near_duplicates")


def _articles(store: Any) -> pd.DataFrame:
    """``doc_id, text, date, outlet`` of every document, as :func:`find_reuse` reads a store."""
    import pandas as pd

    rows = store.query("SELECT doc_id, coalesce(text, ''), coalesce(date, ''), outlet FROM documents "
                       "ORDER BY doc_id")
    return pd.DataFrame(rows, columns=["doc_id", "text", "date", "outlet"], dtype=object)


def _code() -> str:
    from workbench import __version__

    digest = hashlib.sha256(__version__.encode())
    for module in (reuse, similar_sets, wtext):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()


def reuse_key(articles: pd.DataFrame, options: dict[str, Any]) -> str:
    """The cache key of the reuse of ``articles`` (``doc_id, text, date, outlet``) found with
    ``options``: a SHA-256 (hex) of the articles, the options and the code."""
    digest = hashlib.sha256(_code().encode())
    digest.update(json.dumps(sorted(options.items())).encode())
    for doc_id, text, date, outlet in articles[["doc_id", "text", "date", "outlet"]].itertuples(index=False):
        for value in (doc_id, date, outlet, hashlib.sha256(text.encode("utf-8")).hexdigest()):
            digest.update(str(value).encode("utf-8") + b"\x00")
    return digest.hexdigest()


def _encode(found: reuse.Reuse) -> bytes:
    frames = {}
    for name in _FRAMES:
        frame = getattr(found, name)
        frames[name] = {"columns": frame.columns.tolist(),
                        "dtypes": {c: str(t) for c, t in frame.dtypes.items()},
                        "data": frame.to_numpy(dtype=object).tolist()}
    return zlib.compress(json.dumps(frames, ensure_ascii=False).encode("utf-8"), 6)


def _decode(blob: bytes) -> reuse.Reuse:
    import pandas as pd

    frames = json.loads(zlib.decompress(blob).decode("utf-8"))
    return reuse.Reuse(**{
        name: pd.DataFrame(part["data"], columns=part["columns"], dtype=object).astype(part["dtypes"])
        for name, part in frames.items()})


def cached_reuse(store: Any, **options: Any) -> reuse.Reuse:
    """The reuse of a store's articles: from its ``reuse_cache`` when nothing changed.

    Parameters
    ----------
    store : workbench.store.Store
        The store (its documents' texts, dates and outlets).
    **options
        Options of :func:`workbench.reuse.find_reuse` (``min_words``, ``max_gap`` …).

    Returns
    -------
    Reuse
        What :func:`workbench.reuse.find_reuse` finds in the store: read back from the
        cache when the documents, the options and the code are those it was found with,
        else found now and kept for next time.
    """
    articles = _articles(store)
    key = reuse_key(articles, options)
    row = store.query("SELECT frames FROM reuse_cache WHERE key = ?", (key,))
    if row:
        return _decode(row[0][0])
    found = reuse.find_reuse(articles, **options)
    blob = _encode(found)
    with store.transaction() as conn:
        conn.execute("DELETE FROM reuse_cache")
        conn.execute("INSERT INTO reuse_cache(key, time, documents, frames) VALUES (?, ?, ?, ?)",
                     (key, datetime.now(UTC).isoformat(timespec="seconds"), len(articles), blob))
    return found
