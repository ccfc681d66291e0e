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
