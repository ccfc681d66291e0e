"""Fixtures and hand-made data the test modules share.

- a store of two small documents annotated by hand (``make_annotations``, the ``store``
  fixture) with the small real codebook ``tests/data/codebooks/small.toml``;
- the hand-made corpus of the table and chart tests (``SENTENCES``, ``MENTIONS``) and its
  codebook ``tests/data/codebooks/tables.toml``;
- ``relabelled``: a store annotated with a codebook other than the default;
- ``soffice`` and ``office_profile``: LibreOffice headless, for the workbook tests.

Test modules import the data with ``from conftest import ...``; pytest provides the
fixtures by name.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import settings

from workbench.annotate import Annotations
from workbench.codebook import Codebook, load_codebook
from workbench.columns import MENTION_COLUMNS, QUOTE_COLUMNS
from workbench.corpus import Corpus, build_document
from workbench.store import Store

# Property tests check what is true, not how fast: on a machine shared with other work a
# case may take longer than hypothesis's default 200 ms deadline (speed is measured in
# benchmarks/).
settings.register_profile("workbench", deadline=None)
settings.load_profile("workbench")

DATA = Path(__file__).parent / "data"
CODEBOOKS = DATA / "codebooks"

# --------------------------------------------------------------------------- a small store

#: The codebook of the store, panel, export and command-line tests.
CODEBOOK = load_codebook(CODEBOOKS / "small.toml")

DOC_A = "قمة بوتين وبايدن\nوقال الكرملين إن أوكرانيا مهمة. وناقش الطرفان إيران.\nوأعرب عن قلقه."
DOC_B = "هجمات القرصنة\nقالت ساكي إن بايدن سيتحدث."

# auto values by (doc_id, sentence index in document)
AUTO = {
    ("a", 0): {"actors": "putin;biden"},
    ("a", 1): {"topics": "ukraine", "actors": "kremlin", "speaker": "kremlin",
               "statement_type": "announcement", "speaker_rule": "قال", "quote": "لا تقدم"},
    ("a", 2): {"topics": "iran", "furniture": "other"},
    ("a", 3): {"speaker": "kremlin", "statement_type": "concern", "speaker_rule": "carry-over",
               "confidence": 0.7},
    ("b", 0): {"topics": "cyber"},
    ("b", 1): {"actors": "psaki;biden", "speaker": "psaki", "speaker_rule": "قالت"},
}


def annotations(sentences: pd.DataFrame, mentions: pd.DataFrame, documents: pd.DataFrame, *,
                codebook: Codebook = CODEBOOK, corpus: Corpus | None = None) -> Annotations:
    """Annotations as annotate() returns them, from tables made by hand."""
    return Annotations(sentences, mentions, documents, codebook, pd.DataFrame(columns=QUOTE_COLUMNS), corpus)


def make_annotations(texts: dict[str, str] | None = None, auto: dict | None = None,
                     codebook: Codebook = CODEBOOK) -> Annotations:
    """Annotations in the annotate.py shapes, built by hand from the corpus sentences."""
    texts = {"a": DOC_A, "b": DOC_B} if texts is None else texts
    auto = AUTO if auto is None else auto
    corpus = Corpus([build_document(d, t, path=f"{d}.txt") for d, t in texts.items()])
    sentences = corpus.sentences_frame()
    index = sentences.groupby("doc_id").cumcount()
    rows = [auto.get((d, i), {}) for d, i in zip(sentences["doc_id"], index, strict=True)]
    for col in ("topics", "actors", "speaker", "statement_type", "speaker_rule"):
        sentences[col] = [r.get(col, "") for r in rows]
    sentences["source"] = "auto"
    sentences["reviewed"] = False
    sentences["quote"] = [r.get("quote", "") for r in rows]
    sentences["confidence"] = [float(r.get("confidence", 1.0)) for r in rows]
    sentences["furniture"] = [r.get("furniture", "") for r in rows]
    mentions = []
    for s in sentences.itertuples():
        for key in s.actors.split(";") if s.actors else []:
            surface = {"putin": "بوتين", "biden": "بايدن", "kremlin": "الكرملين", "psaki": "ساكي"}[key]
            offset = s.text.find(surface)
            if offset >= 0:
                mentions.append((s.doc_id, s.sentence_id, s.start + offset, s.start + offset + len(surface),
                                 surface, "actor", key, surface, 1.0))
    mentions = pd.DataFrame(mentions, columns=MENTION_COLUMNS)
    return annotations(sentences, mentions, corpus.documents_frame(), codebook=codebook, corpus=corpus)


def sid(store: Store, doc_id: str, index: int) -> str:
    return store.sentence_ids(doc_id=doc_id)[index]


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "s.sqlite") as s:
        s.save_annotations(make_annotations())
        yield s



# --------------------------------------------------------------------------- the table corpus

#: A small real codebook: four topics, the three actors of the corpus below, one statement type.
TABLES_CODEBOOK = load_codebook(CODEBOOKS / "tables.toml")
TOPICS = ["ukraine", "minsk", "iran", "cyber"]

# (doc_id, paragraph, text, topics, actors, speaker, statement_type, speaker_rule,
#  [(surface, kind, key), ...]); sentences of one paragraph are joined by a space.
ROWS = [
    (
        "a",
        0,
        "قمة بوتين وبايدن تناقش أوكرانيا",
        "ukraine",
        "putin;biden",
        "",
        "",
        "",
        [("أوكرانيا", "topic", "ukraine"), ("بوتين", "actor", "putin")],
    ),
    (
        "a",
        1,
        'قال بوتين إن "لأوكرانيا حقاً مهمة".',
        "ukraine",
        "putin",
        "putin",
        "",
        "verb=قال subject=بوتين",
        [("أوكرانيا", "topic", "ukraine")],
    ),
    (
        "a",
        1,
        "وأعرب بايدن عن قلقه بشأن إيران.",
        "iran",
        "biden",
        "biden",
        "concern",
        "verb=أعرب subject=بايدن",
        [("إيران", "topic", "iran")],
    ),
    (
        "a",
        2,
        "ناقشا اتفاقيات مينسك وأوكرانيـا.",
        "ukraine;minsk",
        "",
        "",
        "",
        "",
        [("اتفاقيات مينسك", "topic", "minsk"), ("أوكرانيـا", "topic", "ukraine")],
    ),
    ("b", 0, "إيران والاستقرار", "iran", "", "", "", "", [("إيران", "topic", "iran")]),
    (
        "b",
        1,
        "قالت ساكي إن «أوكرانيا» أولوية",
        "ukraine",
        "psaki;usa",
        "psaki",
        "",
        "verb=قالت subject=ساكي",
        [("أوكرانيا", "topic", "ukraine")],
    ),
]


def build_frames(rows: list[tuple]) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """Sentences and mentions frames with true offsets into each document's text."""
    texts: dict[str, str] = {}
    sentences, mentions = [], []
    last: dict[str, tuple[int, int]] = {}
    for doc_id, paragraph, text, topics, actors, speaker, stype, rule, found in rows:
        doc = texts.get(doc_id, "")
        prev_par, prev_sent = last.get(doc_id, (-1, -1))
        if doc:
            doc += " " if paragraph == prev_par else "\n"
        sentence = prev_sent + 1 if paragraph == prev_par else 0
        start = len(doc)
        doc += text
        texts[doc_id] = doc
        last[doc_id] = (paragraph, sentence)
        sid = f"{doc_id}:{paragraph}{sentence}"
        sentences.append(
            dict(doc_id=doc_id, paragraph=paragraph, sentence=sentence, sentence_id=sid,
                 start=start, end=start + len(text), text=text, topics=topics, actors=actors,
                 speaker=speaker, statement_type=stype, speaker_rule=rule, source="auto",
                 reviewed=False)
        )
        for surface, kind, key in found:
            at = text.index(surface)
            mentions.append(dict(doc_id=doc_id, sentence_id=sid, start=start + at,
                                 end=start + at + len(surface), surface=surface, kind=kind,
                                 key=key, rule=surface))
    return pd.DataFrame(sentences), pd.DataFrame(mentions), texts


SENTENCES, MENTIONS, TEXTS = build_frames(ROWS)
#: The same sentences marked as reuse.mark_reused would: b's second sentence repeats a
#: passage whose first carrier is another article (``reused="once"`` leaves it out).
MARKED = SENTENCES.assign(reuse_cluster=[0, 0, 0, 0, 0, 1],
                          reused_copy=[False, False, False, False, False, True])
DOCUMENTS = pd.DataFrame(
    {"doc_id": ["a", "b"], "date": ["2021-12-07", "2021-12-08"], "outlet": ["الجزيرة", "RT"]}
)


# A codebook other than the default: cyber first, relabelled; a store annotated with it.
RELABELLED = """\
[codebook]
name = "relabelled"

[[topics]]
key = "cyber"
label_ar = "القرصنة وبرامج الفدية"
label_en = "Hacking & ransomware"
terms = ["سيبراني+", "قرصن*"]

[[topics]]
key = "ukraine"
label_ar = "أوكرانيا"
label_en = "Ukraine"
terms = ["أوكرانيا"]

[[actors]]
id = "biden"
type = "person"
name_ar = "جو بايدن"
name_en = "President Biden"
aliases = ["بايدن"]
"""


@pytest.fixture(scope="module")
def relabelled(tmp_path_factory):
    """(annotations, store) of a two-sentence article annotated with RELABELLED."""
    import workbench as wb
    from workbench.store import Store

    folder = tmp_path_factory.mktemp("relabelled")
    (folder / "codebook.toml").write_text(RELABELLED, encoding="utf-8")
    (folder / "doc.txt").write_text("قمة أوكرانيا\nوحذر بايدن من هجمات سيبرانية على أوكرانيا.\n",
                                    encoding="utf-8")
    ann = wb.annotate(wb.load_corpus(folder / "doc.txt"), codebook=folder / "codebook.toml")
    store = Store(folder / "store.sqlite")
    store.save_annotations(ann)
    yield ann, store
    store.close()


#: Ways to name the codebook that annotated the data: a Codebook, Store.codebook(), a Store.
CODEBOOK_FORMS = {
    "Codebook": lambda ann, store: ann.codebook,
    "Store.codebook()": lambda ann, store: store.codebook(),
    "Store": lambda ann, store: store,
}


# ------------------------------------------------------------------ charts


@pytest.fixture
def close_figures():
    """Close every figure after a chart test, and check that no chart changed rcParams."""
    import matplotlib
    import matplotlib.pyplot as plt

    before = dict(matplotlib.rcParams)
    yield
    plt.close("all")
    assert dict(matplotlib.rcParams) == before  # no chart changes rcParams


def tick_texts(labels) -> list[str]:
    """The texts of matplotlib tick labels (as given: logical order)."""
    return [t.get_text() for t in labels]


# --------------------------------------------------------------------------- LibreOffice


def soffice(profile: Path, *args: str) -> None:
    """Run LibreOffice headless with its own profile (other LibreOffice processes do not interfere)."""
    command = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def office_profile(tmp_path_factory):
    """A LibreOffice profile folder for the tests of one module."""
    return tmp_path_factory.mktemp("libreoffice-profile")
