"""Tests for workbench/reuse_cache.py: the reuse kept in the store between exports."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

import workbench as wb
from workbench import reuse
from workbench.export import export, export_comparison
from workbench.store import Store

OUTLETS = Path(__file__).parent / "data" / "outlets" / "articles"
READ = {"encoding": "utf-8-sig", "keep_default_na": False, "dtype": str}
FRAMES = ("clusters", "spans", "articles", "pairs", "near_duplicates")


def _annotate_into(store: Store, folder: Path) -> None:
    store.save_annotations(wb.annotate(wb.load_corpus(folder, near_duplicates=None)))


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """The outlets corpus annotated into a store (copied for each test) and the
    reuse of a smaller store, cached: a result a test can put in the wrong place."""
    here = tmp_path_factory.mktemp("cache")
    shutil.copytree(OUTLETS, here / "articles")  # the project's articles, beside its store
    with Store(here / "outlets.sqlite") as store:
        _annotate_into(store, here / "articles")
    small = here / "small"
    small.mkdir()
    for doc_id in ("madar_01", "ufuq_01", "raed_01"):
        shutil.copy(OUTLETS / f"{doc_id}.txt", small)
    with Store(here / "small.sqlite") as store:
        _annotate_into(store, small)
        export(store, here / "small-export")
        (blob,), = store.query("SELECT frames FROM reuse_cache")
    return here / "outlets.sqlite", blob, pd.read_csv(here / "small-export" / "reuse_clusters.csv", **READ)


@pytest.fixture
def outlets(template, tmp_path):
    path = tmp_path / "outlets.sqlite"
    shutil.copy(template[0], path)
    shutil.copytree(template[0].parent / "articles", tmp_path / "articles")  # the project, copied whole
    with Store(path) as store:
        yield store


def _cached(store: Store) -> list[tuple]:
    return store.query("SELECT key, documents FROM reuse_cache")


def _plant(store: Store, blob: bytes) -> None:
    """Put ``blob`` in place of the store's cached reuse (under the key it has)."""
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("UPDATE reuse_cache SET frames = ?", (blob,)).rowcount == 1


def test_the_first_export_keeps_the_reuse_and_the_next_one_reads_it(template, outlets, tmp_path):
    _, blob, small_clusters = template
    assert _cached(outlets) == []
    export(outlets, tmp_path / "first")
    first = pd.read_csv(tmp_path / "first" / "reuse_clusters.csv", **READ)
    assert len(first) == 32
    ((key, documents),) = _cached(outlets)
    assert documents == 46
    _plant(outlets, blob)  # an export that reads the cache now shows the small store's reuse
    export(outlets, tmp_path / "second")
    second = pd.read_csv(tmp_path / "second" / "reuse_clusters.csv", **READ)
    pd.testing.assert_frame_equal(second, small_clusters)
    assert len(small_clusters) == 2
    assert [k for k, _ in _cached(outlets)] == [key]
    export_comparison(outlets, tmp_path / "compare", charts=False)  # `workbench compare` too
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "compare" / "reuse_clusters.csv", **READ),
                                  small_clusters)


def _change_a_copy(folder: Path) -> None:
    # ufuq_02 ran two agency paragraphs of madar_02 verbatim: rewritten in its own words
    (folder / "ufuq_02.txt").write_text(
        "عنوان جديد للصحيفة\nكتب محرر الصحيفة تحليلا مطولا عن مستقبل العلاقة بين الحلف وموسكو.\n",
        encoding="utf-8")


def _add_a_copy(folder: Path) -> None:
    lines = (folder / "madar_04.txt").read_text(encoding="utf-8").splitlines()
    (folder / "new_01.txt").write_text("عنوان خبر جديد\n" + lines[2] + "\n", encoding="utf-8")


def _redate_the_source(folder: Path) -> None:
    metadata = folder / "metadata.csv"
    text = metadata.read_text(encoding="utf-8")
    metadata.write_text(text.replace("madar_01,2022-01-10", "madar_01,2022-03-01"), encoding="utf-8")


@pytest.mark.parametrize("change, clusters",
                         [(_change_a_copy, 30), (_add_a_copy, 32), (_redate_the_source, 32)],
                         ids=["changed", "added", "redated"])
def test_a_changed_or_added_document_finds_the_reuse_again(template, outlets, tmp_path, change, clusters):
    export(outlets, tmp_path / "first")
    ((key, _),) = _cached(outlets)
    _plant(outlets, template[1])  # a stale cache would now show the small store's reuse
    # the articles the store was annotated from, changed where they are (copies elsewhere would
    # be new documents: a document's id stays with its file)
    folder = tmp_path / "articles"
    change(folder)
    _annotate_into(outlets, folder)
    export(outlets, tmp_path / "again")
    again = pd.read_csv(tmp_path / "again" / "reuse_clusters.csv", **READ)
    fresh = reuse.find_reuse(outlets).clusters
    assert len(again) == len(fresh) == clusters
    assert again["doc_ids"].tolist() == fresh["doc_ids"].tolist()
    assert again["first_doc_id"].tolist() == fresh["first_doc_id"].tolist()
    ((new_key, documents),) = _cached(outlets)
    assert new_key != key and documents == len(outlets.documents())


def test_the_cached_reuse_is_what_find_reuse_finds_frame_for_frame(outlets):
    from workbench.reuse_cache import cached_reuse

    fresh = reuse.find_reuse(outlets)
    found, again = cached_reuse(outlets), cached_reuse(outlets)  # found, then read back
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(found, name), getattr(fresh, name))
        pd.testing.assert_frame_equal(getattr(again, name), getattr(fresh, name))
    assert len(again.spans) > 60 and again.spans["first"].dtype == bool


def test_other_options_are_another_result_and_only_the_latest_is_kept(outlets):
    from workbench.reuse_cache import cached_reuse

    default = cached_reuse(outlets)
    ((key, _),) = _cached(outlets)
    strict = cached_reuse(outlets, min_words=30)
    assert len(strict.clusters) < len(default.clusters)
    pd.testing.assert_frame_equal(strict.clusters, reuse.find_reuse(outlets, min_words=30).clusters)
    ((other, _),) = _cached(outlets)
    assert other != key
