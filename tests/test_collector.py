"""The cyclic garbage collector paused while a corpus is built (workbench.collector)."""

from __future__ import annotations

import gc

import pytest

from workbench.collector import collector_paused, listed
from workbench.corpus import Corpus, build_document


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_paused_inside_and_on_again_after(collector_on):
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_on_again_after_an_error(collector_on):
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("bad input")
    assert gc.isenabled()


def test_left_off_when_it_was_off(collector_on):
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_a_corpus_is_built_with_the_collector_paused(collector_on):
    seen = []

    def documents():
        for n, text in enumerate(["قال الوزير إن المحادثات مستمرة.", "وأضاف أن الوفد سيعود غدا."]):
            seen.append(gc.isenabled())
            yield build_document(f"d{n}", text)

    corpus = Corpus(documents())
    assert [d.doc_id for d in corpus] == ["d0", "d1"]
    assert seen == [False, False]
    assert gc.isenabled()
    assert listed(iter("ab")) == ["a", "b"]


def test_documents_are_annotated_with_the_collector_paused_and_on_again_after(collector_on, monkeypatch):
    import importlib

    annotate_module = importlib.import_module("workbench.annotate")
    seen = []
    real = annotate_module._annotate_document

    def spy(*args):
        seen.append(gc.isenabled())
        return real(*args)

    corpus = Corpus([build_document("d0", "قال الوزير إن المحادثات مستمرة."),
                     build_document("d1", "وأضاف أن الوفد سيعود غدا.")])
    monkeypatch.setattr(annotate_module, "_annotate_document", spy)
    ann = annotate_module.annotate(corpus, progress=False)
    assert seen == [False, False]
    assert gc.isenabled()
    assert list(ann.sentences["doc_id"].unique()) == ["d0", "d1"]
