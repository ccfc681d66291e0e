"""Documents packed for a worker come back equal, without their text sent twice."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from workbench.corpus import Document, Paragraph, Problem, Sentence, build_document
from workbench.partitions import chunks, pack, unpack

TEXT = "عنوان الخبر\n١٥ آذار ٢٠٢٣\nوقال الوزير إن المحادثات مستمرة. وأضاف أن الوفد يصل غدا."


def _hand_built() -> Document:
    """A document not made by build_document: a sentence whose text is not its slice, a
    paragraph numbered out of order and a part that names another document."""
    paragraphs = [Paragraph("h", 3, 0, 5, "سطر أول"), Paragraph("other", 1, 6, 9, TEXT[6:9])]
    sentences = [Sentence("h", 3, 0, "h-s1", 0, 5, "نص آخر"), Sentence("h", 1, 0, "h-s2", 6, 9, TEXT[6:9])]
    return Document("h", "h.txt", TEXT, paragraphs, sentences, date="2023-03-01", outlet="o")


@pytest.mark.parametrize(
    "doc",
    [
        build_document("d1", TEXT),  # its date read from the text: date_rule says so
        build_document("d2", TEXT, path="a/d2.md", date="2022-01-05", outlet="وكالة", url="http://x/2",
                       metadata_title="عنوان آخر"),
        dataclasses.replace(build_document("d3", "نص قصير"), problems=[Problem("d3.txt", "ملف فارغ تقريبا")]),
        build_document("d4", ""),
        _hand_built(),
    ],
    ids=["text-date", "metadata", "problems", "empty", "hand-built"],
)
def test_unpack_gives_back_the_documents_packed(doc):
    back = unpack(pack([doc]))
    assert back == [doc]
    assert [type(s) for s in back[0].sentences] == [Sentence] * len(doc.sentences)
    assert back[0].date_rule == doc.date_rule


def test_a_packed_sentence_does_not_carry_its_text_again():
    doc = build_document("d1", TEXT, date="2023-03-16")  # (a date rule from the text would quote it)
    payload = pack([doc])
    assert isinstance(payload, bytes)
    for s in doc.sentences:
        assert payload.count(s.text.encode()) == 1, s.text  # only inside the document's text
    assert len(payload) < len(pickle.dumps([doc]))


def test_packed_parts_stay_frozen():
    (back,) = unpack(pack([build_document("d1", TEXT)]))
    with pytest.raises(AttributeError):  # (a tuple: no field can be set)
        back.sentences[0].text = "x"


def test_many_documents_keep_their_order():
    docs = [build_document(f"d{k}", f"عنوان {k}\nقال الوزير {k}.") for k in range(7)]
    assert unpack(pack(docs)) == docs
    pieces = [[d.doc_id for d in c] for c in chunks(docs, 3)]
    assert pieces == [["d0", "d1", "d2"], ["d3", "d4"], ["d5", "d6"]]


# --- what a worker sends back, and the client puts together ------------------------------

def _annotated_in_pieces(pieces: list[list[Document]]):
    from workbench.annotate import annotate
    from workbench.codebook import load_codebook
    from workbench.partitions import annotate_packed, gather, pack_partition

    codebook = load_codebook()
    packed = [pack_partition(p) for p in pieces]
    results = [piece for p in packed for piece in annotate_packed(p.payload, codebook, annotate)]
    return results, gather(results, codebook, annotate, [p.sentences for p in packed])


DOCS = [build_document(f"d{k}", f"عنوان {k}\nقال الوزير {k} إن \"المحادثات مستمرة\". وأضاف أن الوفد يصل.")
        for k in range(5)]


def _naming_another() -> Document:
    """A document one of whose sentences names another document (it travels whole)."""
    doc = build_document("w", "عنوان\nقال الوزير إن الوفد يصل غدا. وأضاف أن المحادثات مستمرة.")
    return dataclasses.replace(doc, sentences=[doc.sentences[0]._replace(doc_id="other"),
                                               *doc.sentences[1:]])


@pytest.mark.parametrize(
    "pieces, trimmed",
    [
        ([DOCS[:2], DOCS[2:]], [True, True]),
        ([DOCS[:1], [build_document("e", "")], DOCS[1:]], [True, False, True]),  # a piece without sentences
        ([DOCS[:2], [_naming_another(), *DOCS[2:]]], [True, True]),  # a document sent whole
        ([[build_document("e", "")]], [False]),
    ],
    ids=["two-pieces", "empty-piece", "sent-whole", "no-sentences"],
)
def test_the_pieces_put_together_equal_one_annotation(pieces, trimmed):
    import pandas as pd

    from workbench.annotate import annotate
    from workbench.partitions import OWN_SENTENCE_COLUMNS

    results, got = _annotated_in_pieces(pieces)
    want = annotate([d for p in pieces for d in p])
    for part in ("sentences", "mentions", "documents", "quotes"):
        pd.testing.assert_frame_equal(getattr(got, part), getattr(want, part), check_exact=True)
    assert [spec is not None for _, _, spec in results] == trimmed
    for _, tables, spec in results:  # the sentences' own columns stay on the client
        if spec is not None:
            assert not set(OWN_SENTENCE_COLUMNS) & set(tables["sentences"].columns)
            assert spec["order"] == list(want.sentences.columns)


def test_a_piece_is_sent_back_whole_when_the_client_kept_no_columns(monkeypatch):
    import workbench.partitions as partitions

    monkeypatch.setattr(partitions, "_KNOWN", False)  # parts of a shape pack does not know
    results, got = _annotated_in_pieces([DOCS[:2], DOCS[2:]])
    assert [spec for _, _, spec in results] == [None, None]
    assert "text" in results[0][1]["sentences"].columns
    assert list(got.sentences["doc_id"].unique()) == [d.doc_id for d in DOCS]
