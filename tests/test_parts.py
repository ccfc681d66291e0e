"""Paragraphs and sentences cut from their document's text read, compare and travel as tuples with it."""

from __future__ import annotations

import copy
import pickle

import pytest

from workbench.corpus import Corpus, build_document
from workbench.parts import Paragraph, Sentence, WholeText

TEXT = "عنوان الخبر\n\nقال الوزير إن المحادثات مستمرة. وأضاف أن الوفد يصل غدا.\n"


def test_parts_cut_from_the_document_hold_its_text_once():
    doc = build_document("d", TEXT)
    for part in [*doc.paragraphs, *doc.sentences]:
        assert part.text == TEXT[part.start:part.end]
        assert type(part.stored_text) is WholeText and part.stored_text.text is doc.text
    assert len({id(part.stored_text) for part in [*doc.paragraphs, *doc.sentences]}) == 1


def test_a_part_made_by_hand_keeps_its_own_text_whatever_its_offsets():
    s = Sentence("h", 0, 0, "h:1", 0, 5, "نص آخر")
    assert s.text == "نص آخر" and s.stored_text == "نص آخر"
    assert Paragraph("h", 0, 0, 2, text="سطر").text == "سطر"


def test_a_cut_part_equals_hashes_and_reads_as_the_one_made_by_hand():
    doc = build_document("d", TEXT)
    cut = doc.sentences[1]
    by_hand = Sentence("d", 1, 0, cut.sentence_id, cut.start, cut.end, TEXT[cut.start:cut.end])
    assert cut == by_hand and not cut != by_hand and hash(cut) == hash(by_hand)
    assert cut != by_hand._replace(text="غيره") and cut != Sentence(*by_hand[:6], "غيره")
    assert tuple(cut) == tuple(by_hand) and list(cut) == list(by_hand)
    assert cut[6] == cut[-1] == by_hand.text and cut[4:] == (cut.start, cut.end, by_hand.text)
    assert by_hand.text in cut and cut == tuple(by_hand)
    assert repr(cut) == repr(by_hand) and f"text={by_hand.text!r}" in repr(cut)
    assert cut._asdict() == by_hand._asdict()
    doc_id, paragraph, sentence, sentence_id, start, end, text = cut
    assert text == by_hand.text


def test_replace_keeps_the_text_read():
    cut = build_document("d", TEXT).sentences[2]
    moved = cut._replace(doc_id="other")
    assert type(moved) is Sentence and moved.doc_id == "other" and moved.text == cut.text


@pytest.mark.parametrize("kind", [Paragraph, Sentence])
def test_parts_stay_frozen(kind):
    part = getattr(build_document("d", TEXT), f"{kind.__name__.lower()}s")[0]
    with pytest.raises(AttributeError):
        part.text = "x"


def test_pickled_and_copied_parts_come_back_equal_with_the_text_sent_once():
    doc = build_document("d", TEXT * 20)
    payload = pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL)
    assert payload.count(doc.sentences[1].text.encode()) == 20  # only inside the document's text
    back = pickle.loads(payload)
    assert back == doc and [s.text for s in back.sentences] == [s.text for s in doc.sentences]
    assert back.sentences[0].stored_text.text is back.text  # still shared
    assert copy.deepcopy(doc) == doc and copy.copy(doc.paragraphs[0]) == doc.paragraphs[0]


def test_the_sentences_table_has_the_texts():
    frame = Corpus([build_document("d", TEXT)]).sentences_frame()
    assert frame["text"].tolist() == ["عنوان الخبر", "قال الوزير إن المحادثات مستمرة.",
                                      "وأضاف أن الوفد يصل غدا."]
