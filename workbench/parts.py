"""Paragraphs and sentences: immutable tuples of a document's parts, their text cut from the document's.

A :class:`Paragraph` or :class:`Sentence` built from a document (:func:`workbench.corpus.build_document`)
keeps no text of its own: it holds its offsets and the document's text (one object shared by all the
document's parts, :class:`WholeText`), and ``.text`` is ``document.text[start:end]``, cut when it is
read. A corpus then holds each article's text once, not three times (document, paragraphs, sentences).
A part made by hand, ``Sentence(doc_id, paragraph, sentence, sentence_id, start, end, text)``, keeps
the text it is given, whatever its offsets.

Either way a part is read, compared, hashed, iterated, indexed, printed and pickled as the tuple of its
fields with its text: a part cut from its document equals one made by hand with the same fields and
text. Only the fields themselves (``doc_id``, ``start`` …) are read straight from the tuple.
"""

from __future__ import annotations

from typing import Any, NamedTuple

__all__ = ["Paragraph", "Sentence", "WholeText"]


class WholeText:
    """A document's whole text, shared by the parts cut from it (what their ``text`` field holds)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"WholeText({len(self.text)} characters)"


class Paragraph(NamedTuple):
    """A non-blank line of a document; ``text == document.text[start:end]`` (an immutable tuple)."""

    doc_id: str
    paragraph: int
    start: int
    end: int
    text: str


class Sentence(NamedTuple):
    """A sentence; ``paragraph`` and ``sentence`` (within the paragraph) number from 0 (an
    immutable tuple)."""

    doc_id: str
    paragraph: int
    sentence: int
    sentence_id: str
    start: int
    end: int
    text: str


def _cut_from_the_document(kind: Any) -> None:
    """Give ``kind`` (Paragraph, Sentence; ``text`` its last field) the ``text`` of this module's
    docstring: the stored text, or the document's cut at the part's offsets."""
    stored = kind.text  # the tuple's own field (read in C)
    kind.stored_text = stored
    last = len(kind.__annotations__) - 1

    def text(part: Any) -> str:
        value = part.stored_text
        if value.__class__ is WholeText:
            return value.text[part.start:part.end]
        return value

    def row(part: Any) -> tuple:
        """The part's fields, its text as ``.text`` reads it."""
        return (*tuple.__getitem__(part, slice(0, last)), text(part))

    def eq(part: Any, other: Any) -> Any:
        if not isinstance(other, tuple):
            return NotImplemented
        return row(part) == (row(other) if isinstance(other, (Paragraph, Sentence)) else other)

    def ne(part: Any, other: Any) -> Any:
        same = eq(part, other)
        return same if same is NotImplemented else not same

    text.__doc__ = f"The {kind.__name__.lower()}'s text: ``document.text[start:end]`` when cut from it."
    kind.text = property(text)
    kind.__eq__, kind.__ne__ = eq, ne
    kind.__hash__ = lambda part: hash(row(part))
    kind.__iter__ = lambda part: iter(row(part))
    kind.__getitem__ = lambda part, key: row(part)[key]
    kind.__contains__ = lambda part, value: value in row(part)
    kind.__repr__ = lambda part: f"{kind.__name__}(" + ", ".join(
        f"{name}={value!r}" for name, value in zip(kind.__annotations__, row(part), strict=True)) + ")"
    # pickled with the shared text as it is: a document's parts and its text travel as one string
    kind.__getnewargs__ = lambda part: tuple.__getitem__(part, slice(None))


_cut_from_the_document(Paragraph)
_cut_from_the_document(Sentence)
