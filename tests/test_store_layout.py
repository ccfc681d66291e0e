"""How the lean store (schema 9, ``workbench/store/layout.py``) keeps the automatic layer:
text once, repeated strings once, sentence ids by document, and reading all of it back."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest
from conftest import make_annotations, sid

from workbench.store import Store


def raw(store: Store, sql: str) -> list[tuple]:
    conn = sqlite3.connect(store.path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_each_text_is_kept_once_and_each_repeated_string_once(store):
    assert raw(store, "SELECT count(*), count(text) FROM sentences") == [(6, 0)]  # all NULL: the document's
    assert raw(store, "SELECT count(*), count(surface) FROM auto_mentions") == [(5, 0)]
    values = [v for (v,) in raw(store, "SELECT value FROM strings")]
    assert len(values) == len(set(values))
    assert {"", "actor", "kremlin", "putin;biden", "announcement", "other"} <= set(values)
    assert "قال" not in values  # a speaker rule is kept as text, not as a string id
    sentences, mentions = store.view()
    ann = make_annotations()
    assert sentences.text.tolist() == ann.sentences.text.tolist()
    assert sentences.text.tolist() == [store.document_text(d)[a:b] for d, a, b in
                                       zip(sentences.doc_id, sentences.start, sentences.end, strict=True)]
    assert sorted(mentions.surface) == sorted(ann.mentions.surface)
    assert store.sentence_record(sid(store, "a", 1))["prev_text"] == "قمة بوتين وبايدن"


def test_a_text_other_than_the_documents_between_its_offsets_is_kept_as_it_is(tmp_path):
    ann = make_annotations()
    ann.sentences.loc[1, "text"] = "نص غير نص الوثيقة"
    ann.mentions.loc[0, "surface"] = "كرملين"
    with Store(tmp_path / "s.sqlite") as store:
        store.save_annotations(ann)
        assert raw(store, "SELECT count(text) FROM sentences") == [(1,)]
        assert raw(store, "SELECT count(surface) FROM auto_mentions") == [(1,)]
        sentences, mentions = store.view()
        assert sentences.text.tolist() == ann.sentences.text.tolist()
        assert "كرملين" in mentions.surface.tolist()
        assert store.sentence_record(sentences.sentence_id[1])["text"] == "نص غير نص الوثيقة"
        assert store.sentence_record(sentences.sentence_id[2])["prev_text"] == "نص غير نص الوثيقة"


def test_without_the_documents_text_every_sentence_keeps_its_own(tmp_path):
    ann = make_annotations()
    ann = type(ann)(ann.sentences, ann.mentions, ann.documents, ann.codebook, ann.quotes, None)
    with Store(tmp_path / "s.sqlite") as store:
        store.save_annotations(ann)
        assert store.document_text("a") == ""
        assert raw(store, "SELECT count(*), count(text) FROM sentences") == [(6, 6)]
        pd.testing.assert_frame_equal(store.view()[0][["sentence_id", "text"]],
                                      ann.sentences[["sentence_id", "text"]].reset_index(drop=True))


def test_sentence_ids_that_do_not_start_with_their_documents_are_kept_whole_and_found(tmp_path):
    ann = make_annotations()
    renamed = {s: f"other-{i}" for i, s in enumerate(ann.sentences.sentence_id) if s.startswith("a:")}
    ann.sentences["sentence_id"] = ann.sentences.sentence_id.replace(renamed)
    ann.mentions["sentence_id"] = ann.mentions.sentence_id.replace(renamed)
    with Store(tmp_path / "s.sqlite") as store:
        store.save_annotations(ann)
        assert raw(store, "SELECT count(*) FROM sentences WHERE id_whole = 1") == [(4,)]
        assert store.sentence_ids(doc_id="a") == ["other-0", "other-1", "other-2", "other-3"]
        store.correct("other-1", "topics", "add", "iran", annotator="huda")
        store.correct("other-2", "reviewed", "set", True, annotator="huda")
        assert store.sentence_record("other-1")["topics"] == ["ukraine", "iran"]
        assert store.sentence_record("other-1")["mentions"][0]["key"] == "kremlin"
        assert store.progress() == (1, 6) and store.orphaned_corrections().empty
        assert store.view()[0].set_index("sentence_id").loc["other-1", "topics"] == "ukraine;iran"
        assert store.sentence_ids(queue="topic", topic="iran") == ["other-1", "other-2"]
        other = make_annotations({"c": "نص ثالث."}, {})
        other.sentences["sentence_id"] = "other-1"  # another document's sentence id
        with pytest.raises(ValueError, match="'other-1' is already a sentence of another document"):
            store.save_annotations(other)
        assert store.sentence_record("other-1")["doc_id"] == "a"


def _one_id_twice(ann) -> None:
    ids = ann.sentences.sentence_id.tolist()
    ids[1] = ids[0]
    ann.sentences["sentence_id"] = ids


def _a_mention_on_another_documents_sentence(ann) -> None:
    ids = ann.mentions.sentence_id.tolist()
    ids[0] = ann.sentences.sentence_id.iloc[-1]  # a sentence of document b, the mention is in a
    ann.mentions["sentence_id"] = ids


@pytest.mark.parametrize("spoil, message", [
    (_one_id_twice, "twice"),
    (_a_mention_on_another_documents_sentence, "not one of that document's sentences"),
])
def test_a_run_that_names_a_sentence_twice_or_a_mention_off_its_document_is_refused(store, spoil, message):
    before = store.view()
    strings = raw(store, "SELECT count(*) FROM strings")
    ann = make_annotations(auto={("a", 0): {"topics": "cyber", "actors": "putin;kremlin"}})  # a new string
    spoil(ann)
    with pytest.raises(ValueError, match=message):
        store.save_annotations(ann)
    pd.testing.assert_frame_equal(store.view()[0], before[0])
    pd.testing.assert_frame_equal(store.view()[1], before[1])
    assert raw(store, "SELECT count(*) FROM strings") == strings  # rolled back with the run
    assert len(store.runs()) == 1
