"""Tests for workbench/store/records.py: the cells an export keeps, encoded in chunks."""

import hashlib
import json
import zlib

import pandas as pd
import pytest

from workbench.columns import EDITABLE_COLUMNS
from workbench.store import records


def _sentences(n: int) -> pd.DataFrame:
    values = ["", "تعليم;صحة", "وزير", 'قال "نعم"', "سطر\nثان"]
    frame = pd.DataFrame({"sentence_id": [f"خبر-{k}:{k * 7:04x}" for k in range(n)],
                          **{c: [values[(k + i) % len(values)] for k in range(n)]
                             for i, c in enumerate(EDITABLE_COLUMNS)}})
    frame["reviewed"] = [k % 3 == 0 for k in range(n)]
    return frame


@pytest.mark.parametrize("n, rows_at_once", [(0, 2), (1, 2), (2, 2), (3, 2), (7, 3), (9, 3), (9, 20_000)])
def test_cells_encoded_in_chunks_are_the_json_of_all_rows(monkeypatch, n, rows_at_once):
    monkeypatch.setattr(records, "_CELL_ROWS", rows_at_once)
    frame = _sentences(n)
    rows = [[sid, *(str(v).lower() if isinstance(v, bool) else str(v) for v in values)]
            for sid, *values in zip(frame["sentence_id"], *(frame[c] for c in EDITABLE_COLUMNS), strict=True)]
    raw = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    sha, blob = records._encoded(frame)
    assert sha == hashlib.sha256(raw).hexdigest()
    assert blob == zlib.compress(raw, 6)
