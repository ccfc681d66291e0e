"""Page furniture: paragraphs of a web page that are not the article's text.

Articles copied from news sites bring along photo captions, bylines, datelines, share
bars, "read also" links and source lines. They stay in the text (offsets do not move)
but are marked, shown greyed and left out of counts and charts.
"""

from __future__ import annotations

__all__ = ["FURNITURE_KINDS"]

#: The kinds of page furniture a paragraph may be (``""``: body text).
FURNITURE_KINDS = {
    "caption": "a photo or video caption, or a picture credit",
    "byline": "the writer, editor or desk of the article",
    "dateline": "where and when it was filed, on a line of its own",
    "share": "share, print, listen or follow buttons",
    "related": "links to other articles (اقرأ أيضا، مواضيع ذات صلة)",
    "source": "the source line (المصدر: وكالات)",
    "other": "other page furniture: section names, tags, navigation",
}
