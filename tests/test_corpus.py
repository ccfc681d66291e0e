"""Tests for workbench.corpus: loading files and folders, offsets, ids, metadata, bad input."""

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import workbench as wb
from workbench.corpus import (
    CorpusError,
    Paragraph,
    Sentence,
    build_document,
    load_corpus,
    read_metadata,
    sentence_ids,
)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_ID = "000_45f5abd8640658e2"


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_seed_has_19_paragraphs_with_exact_offsets():
    corpus = wb.load_corpus(SEEDS)
    assert len(corpus) == 1 and corpus.problems == []
    doc = corpus[SEED_ID]
    raw = (SEEDS / f"{SEED_ID}.txt").read_bytes().decode("utf-8")
    assert doc.text == raw.replace("\r\n", "\n")
    assert len(doc.paragraphs) == 19
    assert [p.paragraph for p in doc.paragraphs] == list(range(19))
    for p in doc.paragraphs:
        assert doc.text[p.start:p.end] == p.text
    assert doc.paragraphs[0].text == "قمة بوتين وبايدن تناقش تطورات أوكرانيا وإيران والاستقرار الاستراتيجي"
    assert (doc.paragraphs[0].start, doc.paragraphs[0].end) == (0, 68)
    assert doc.paragraphs[2].text.startswith("• اختتام")  # leading spaces are not part of it
    assert doc.paragraphs[18].text == "المصدر: وكالات"
    for s in doc.sentences:
        assert doc.text[s.start:s.end] == s.text
    # paragraph 10 holds two sentences, every other paragraph one
    assert [(s.paragraph, s.sentence) for s in doc.sentences if s.paragraph == 10] == [(10, 0), (10, 1)]
    assert len(doc.sentences) == 20


def test_seed_metadata_joins_the_document():
    doc = wb.load_corpus(SEEDS)[SEED_ID]
    assert (doc.date, doc.outlet, doc.url) == ("2021-12-07", "وكالات", None)
    assert doc.title == "قمة بوتين وبايدن تناقش تطورات أوكرانيا وإيران والاستقرار الاستراتيجي"


def test_sentence_ids_are_stable_across_loads_and_added_files(tmp_path):
    first = wb.load_corpus(SEEDS)[SEED_ID]
    shutil.copy(SEEDS / f"{SEED_ID}.txt", tmp_path / f"{SEED_ID}.txt")
    write(tmp_path / "aaa_other.txt", "خبر آخر عن القمة.\nوقال الكرملين إن القمة نجحت.")
    again = wb.load_corpus(tmp_path)[SEED_ID]
    assert [s.sentence_id for s in again.sentences] == [s.sentence_id for s in first.sentences]
    assert len({s.sentence_id for s in first.sentences}) == len(first.sentences)


def test_sentence_id_survives_edits_elsewhere_and_changes_with_its_own_text():
    a = build_document("d", "عنوان\nالجملة الأولى. الجملة الثانية.")
    b = build_document("d", "عنوان جديد\nفقرة مضافة.\nالجملة الأولى. الجملة الثانية!")
    ids_a = {s.text: s.sentence_id for s in a.sentences}
    ids_b = {s.text: s.sentence_id for s in b.sentences}
    assert ids_a["الجملة الأولى."] == ids_b["الجملة الأولى."]
    assert "الجملة الثانية." in ids_a and "الجملة الثانية!" in ids_b
    assert ids_a["الجملة الثانية."] != ids_b["الجملة الثانية!"]


def sha(text: str, n: int = 10) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:n]


@pytest.mark.parametrize(
    "texts, expected",
    [
        # a sentence that occurs once: the hash of its text (what existing stores hold)
        (["نعم.", "لا."], [sha("نعم."), sha("لا.")]),
        # a repeated sentence: the hash of its text with the sentences around it
        (["نعم.", "لا.", "نعم."], [sha("\x1fنعم.\x1fلا."), sha("لا."), sha("لا.\x1fنعم.\x1f")]),
        (["أ.", "شاهد أيضا.", "ب.", "شاهد أيضا.", "ج."],
         [sha("أ."), sha("أ.\x1fشاهد أيضا.\x1fب."), sha("ب."), sha("ب.\x1fشاهد أيضا.\x1fج."), sha("ج.")]),
        # -2 only where even the neighbours are the same
        (["أ.", "ب.", "ب.", "ب.", "ب.", "ج."],
         [sha("أ."), sha("أ.\x1fب.\x1fب."), sha("ب.\x1fب.\x1fب."), sha("ب.\x1fب.\x1fب.") + "-2",
          sha("ب.\x1fب.\x1fج."), sha("ج.")]),
        # two different texts whose hashes share their first 10 digits: the later gets -2
        (["جملة رقم 545947.", "جملة رقم 1052159."], ["09ad8b1e9e", "09ad8b1e9e-2"]),
        ([], []),
    ],
)
def test_sentence_ids(texts, expected):
    assert sentence_ids("d", texts) == [f"d:{h}" for h in expected]


@pytest.mark.parametrize(
    "edited_line, new_text",
    [(1, "شاهد أيضا: القمة."), (3, "شاهد أيضا: القمة."), (1, ""), (3, "")],
)
def test_editing_one_copy_of_a_repeated_sentence_never_gives_its_id_to_another(
    tmp_path, edited_line, new_text
):
    lines = ["قمة بوتين وبايدن", "شاهد أيضا.", "وقال الكرملين إن القمة نجحت.", "شاهد أيضا.", "المصدر: وكالات"]
    f = write(tmp_path / "article.txt", "\n".join(lines))
    before = {s.paragraph: s.sentence_id for s in load_corpus(f)["article"].sentences}
    lines[edited_line] = new_text
    write(f, "\n".join(lines))
    after = load_corpus(f)["article"].sentences
    other = 4 - edited_line  # the copy that was not edited
    by_text = {s.text: s.sentence_id for s in after}
    # the other copy does not inherit the edited copy's id (a correction on it becomes an orphan)
    assert before[edited_line] not in {s.sentence_id for s in after}
    assert by_text["شاهد أيضا."] == f"article:{sha('شاهد أيضا.')}" != before[other]
    # sentences that occur once keep their ids
    assert by_text["قمة بوتين وبايدن"] == before[0] and by_text["المصدر: وكالات"] == before[4]


@pytest.mark.parametrize(
    "raw, text",
    [
        ("\ufeffالعنوان\r\n\r\nوقال بايدن: نعم.\r\n", "العنوان\n\nوقال بايدن: نعم.\n"),
        ("العنوان\r\rوقال بايدن: نعم.", "العنوان\n\nوقال بايدن: نعم."),
        # line separator U+2028 and paragraph separator U+2029 are newlines too
        ("العنوان\u2029\u2028وقال بايدن: نعم.\u2028", "العنوان\n\nوقال بايدن: نعم.\n"),
        ("\ufeffالعنوان\r\n\u2029وقال بايدن: نعم.", "العنوان\n\nوقال بايدن: نعم."),
    ],
)
def test_bom_and_newlines_are_normalised(tmp_path, raw, text):
    f = write(tmp_path / "x.txt", raw.encode("utf-8"))
    doc = load_corpus(f)["x"]
    assert doc.text == text
    assert [p.text for p in doc.paragraphs] == ["العنوان", "وقال بايدن: نعم."]
    assert (doc.paragraphs[1].start, doc.paragraphs[1].end) == (9, 25)
    assert [(s.start, s.end) for s in doc.sentences] == [(0, 7), (9, 25)]


@pytest.mark.parametrize(
    "text, paragraphs, sentences",
    [
        # a line holding only an RLM is blank
        ("عنوان\n\u200f\nنص.", [(0, 5, "عنوان"), (8, 11, "نص.")], [(0, 5), (8, 11)]),
        # white space and format characters only: blank
        ("عنوان\n \u200e\t\u2067\u2069 \nنص.", [(0, 5, "عنوان"), (13, 16, "نص.")], [(0, 5), (13, 16)]),
        # paragraphs and sentences are stripped of them at both ends, offsets stay exact
        ("\u200fعنوان\u200f\n\u202bنص.\u202c", [(1, 6, "عنوان"), (9, 12, "نص.")], [(1, 6), (9, 12)]),
        ("\ufeff\u200b قال.\u200f نعم", [(3, 12, "قال.\u200f نعم")], [(3, 7), (9, 12)]),
        # inside a paragraph they stay
        ("أوكر\u200cانيا", [(0, 9, "أوكر\u200cانيا")], [(0, 9)]),
    ],
)
def test_format_characters_at_line_ends(text, paragraphs, sentences):
    doc = build_document("d", text)
    assert [(p.start, p.end, p.text) for p in doc.paragraphs] == paragraphs
    assert [(s.start, s.end) for s in doc.sentences] == sentences
    assert all(doc.text[s.start:s.end] == s.text for s in doc.sentences)
    assert doc.title == paragraphs[0][2]


def test_build_document_gives_every_field_as_the_splitter_of_one_paragraph_at_a_time_did():
    # a quotation with full stops inside, an RLM after the last full stop, an abbreviation, a
    # decimal point, '؟' and '!', and a repeated sentence (ids from its neighbours)
    text = ("موسكو تستضيف المحادثات\n\n  قال المتحدث: «نواصل العمل. ولا تراجع». وغادر.\u200f\n"
            "شاهد أيضا.\nد. سمير يعلق على ٢.٥ في المئة؟ نعم!\nشاهد أيضا.\n")
    doc = build_document("doc", text)
    assert doc.paragraphs == [
        Paragraph("doc", 0, 0, 22, "موسكو تستضيف المحادثات"),
        Paragraph("doc", 1, 26, 71, "قال المتحدث: «نواصل العمل. ولا تراجع». وغادر."),
        Paragraph("doc", 2, 73, 83, "شاهد أيضا."),
        Paragraph("doc", 3, 84, 119, "د. سمير يعلق على ٢.٥ في المئة؟ نعم!"),
        Paragraph("doc", 4, 120, 130, "شاهد أيضا."),
    ]
    assert doc.sentences == [
        Sentence("doc", 0, 0, "doc:315472dd5c", 0, 22, "موسكو تستضيف المحادثات"),
        Sentence("doc", 1, 0, "doc:2d8b2cb66c", 26, 64, "قال المتحدث: «نواصل العمل. ولا تراجع»."),
        Sentence("doc", 1, 1, "doc:b0355487bc", 65, 71, "وغادر."),
        Sentence("doc", 2, 0, "doc:cfc0db82aa", 73, 83, "شاهد أيضا."),
        Sentence("doc", 3, 0, "doc:d9d8d52021", 84, 114, "د. سمير يعلق على ٢.٥ في المئة؟"),
        Sentence("doc", 3, 1, "doc:81ee8ae187", 115, 119, "نعم!"),
        Sentence("doc", 4, 0, "doc:f1e22117ca", 120, 130, "شاهد أيضا."),
    ]
    assert [type(s) for s in doc.sentences] == [Sentence] * 7
    repeated = "\x1f".join(["وغادر.", "شاهد أيضا.", doc.sentences[4].text])  # before, itself, after
    assert doc.sentences[3].sentence_id == f"doc:{sha(repeated)}"


def test_file_of_only_format_characters_is_reported_as_empty(tmp_path):
    write(tmp_path / "marks.txt", "\u200f\n \u200e\u2069\n")
    write(tmp_path / "real.txt", "قمة")
    corpus = load_corpus(tmp_path)
    assert [d.doc_id for d in corpus] == ["real"]
    assert [(Path(p.path).name, p.message) for p in corpus.problems] == [
        ("marks.txt", "skipped: the file is empty or only white space")
    ]


def test_folder_is_searched_recursively_for_txt_and_md(tmp_path):
    write(tmp_path / "a.txt", "أ")
    write(tmp_path / "sub" / "b.md", "ب")
    write(tmp_path / "sub" / "c.csv", "x,y")
    write(tmp_path / ".hidden" / "d.txt", "د")
    corpus = load_corpus(tmp_path)
    assert [d.doc_id for d in corpus] == ["a", "b"]


@pytest.mark.parametrize(
    "files, paths, expected",
    [
        # the same relative path under two folders of the same name
        (["c/a/x/doc.txt", "c/b/x/doc.txt"], ["c/a/x/doc.txt", "c/b/x/doc.txt"],
         ["doc", "doc-" + sha("b/x/doc.txt", 6)]),
        # a file added deeper does not rename the one that was there
        (["f/report.txt", "f/sub/report.md"], ["f"], ["report", "report-" + sha("sub/report.md", 6)]),
        (["f/sub/report.md", "f/report.txt"], ["f/sub/report.md", "f/report.txt"],
         ["report-" + sha("sub/report.md", 6), "report"]),
        # at the same depth, path order decides, whatever order they are listed in
        (["f/one/report.txt", "f/two/report.txt"], ["f"], ["report", "report-" + sha("two/report.txt", 6)]),
        (["f/one/report.txt", "f/two/report.txt"], ["f/two/report.txt", "f/one/report.txt"],
         ["report-" + sha("two/report.txt", 6), "report"]),
        # a folder and a file inside it, or one file twice: loaded once, plain stem
        (["f/report.txt"], ["f", "f/report.txt"], ["report"]),
        (["f/report.txt"], ["f/report.txt", "f", "f/../f/report.txt"], ["report"]),
        (["f/a.txt", "f/b.md"], ["f/a.txt", "f/b.md"], ["a", "b"]),
    ],
)
def test_document_ids(tmp_path, files, paths, expected):
    for name in files:
        write(tmp_path / name, f"نص {name}")
    corpus = load_corpus([tmp_path / p for p in paths])
    assert [d.doc_id for d in corpus] == expected
    assert [d.doc_id for d in load_corpus([tmp_path / p for p in paths])] == expected  # deterministic


def test_document_ids_that_still_clash_name_both_files(tmp_path):
    write(tmp_path / "report.txt", "أ")
    write(tmp_path / "sub" / "report.txt", "ب")
    doc_id = "report-" + sha("sub/report.txt", 6)  # the id sub/report.txt gets
    write(tmp_path / f"{doc_id}.txt", "ج")
    with pytest.raises(CorpusError) as info:
        load_corpus(tmp_path)
    assert str(info.value) == (
        f"{tmp_path / f'{doc_id}.txt'} and {tmp_path / 'sub' / 'report.txt'} would both get "
        f"doc_id {doc_id!r}; rename one of the files"
    )


def test_metadata_csv_and_front_matter(tmp_path):
    write(tmp_path / "metadata.csv", "doc_id,date,outlet,url,title\nalpha,2021-12-08,الجزيرة,https://example.org/a,\nghost,2021-12-09,,,\n")
    write(tmp_path / "alpha.txt", "قمة بايدن وبوتين\nنص.")
    write(tmp_path / "beta.md", "---\ndate: 2021-12-07\noutlet: RT Arabic\n---\nعنوان بيتا\nنص.")
    write(tmp_path / "gamma.md", "date: 2021-12-10\noutlet: العربية\n\n# عنوان غاما\nنص.")
    corpus = load_corpus(tmp_path)
    alpha, beta, gamma = corpus["alpha"], corpus["beta"], corpus["gamma"]
    assert (alpha.date, alpha.outlet, alpha.url) == ("2021-12-08", "الجزيرة", "https://example.org/a")
    assert (beta.date, beta.outlet, beta.title) == ("2021-12-07", "RT Arabic", "عنوان بيتا")
    assert beta.text.startswith("عنوان بيتا")
    assert (gamma.date, gamma.outlet, gamma.title) == ("2021-12-10", "العربية", "عنوان غاما")
    assert [str(p) for p in corpus.problems] == [
        f"{tmp_path / 'metadata.csv'}: doc_id 'ghost' matches no loaded file; check the spelling (file name "
        f"without extension)"
    ]
    frame = corpus.documents_frame()
    assert list(frame.columns) == [
        "doc_id",
        "path",
        "title",
        "date",
        "outlet",
        "url",
        "n_paragraphs",
        "n_sentences",
        "content_hash",
        "date_rule",
    ]
    assert frame.set_index("doc_id").loc["beta", "outlet"] == "RT Arabic"
    assert frame.date_rule.tolist() == ["metadata"] * 3


def test_a_bad_date_in_metadata_is_a_problem_of_that_row_only(tmp_path):
    write(tmp_path / "metadata.csv",
          "doc_id,date,outlet\na,07/12/2021,وكالة\nb,2022-03-01,صحيفة\nc,أمس,موقع\n")
    write(tmp_path / "a.txt", "عنوان أ\nنص بلا تاريخ.")
    write(tmp_path / "b.txt", "عنوان ب\nنص.")
    write(tmp_path / "c.txt", "عنوان ج\nالخميس ١٠ آذار ٢٠٢٢\nنص.")
    corpus = load_corpus(tmp_path)
    assert [d.doc_id for d in corpus] == ["a", "b", "c"]
    assert [(d.date, d.outlet, d.date_rule) for d in corpus] == [
        (None, "وكالة", ""), ("2022-03-01", "صحيفة", "metadata"),
        ("2022-03-10", "موقع", "text:paragraph=1 written=١٠ آذار ٢٠٢٢")]  # the text's own date
    assert [str(p) for p in corpus.problems] == [
        f"{tmp_path / 'metadata.csv'}: line 2, doc_id 'a': date '07/12/2021' is not a date in the form "
        "YYYY-MM-DD; "
        "the date is left blank (the text's own date is used when it gives one)",
        f"{tmp_path / 'metadata.csv'}: line 4, doc_id 'c': date 'أمس' is not a date in the form YYYY-MM-DD; "
        "the date is left blank (the text's own date is used when it gives one)",
    ]
    with pytest.raises(CorpusError, match=r"line 2, doc_id 'a': date '07/12/2021' is not a date"):
        read_metadata(tmp_path / "metadata.csv")  # without a problems list, a bad date still raises


@pytest.mark.parametrize(
    "files, message",
    [
        (
            {"metadata.csv": "doc_id,source\na,x\n", "a.txt": "أ"},
            r"metadata.csv, line 1: unknown column\(s\) 'source'",
        ),
        (
            {"metadata.csv": "doc_id,date\na,\na,\n", "a.txt": "أ"},
            r"metadata.csv, line 3: doc_id 'a' appears twice",
        ),
        (
            {"a.md": "---\ndate: 2021-12-07\nنص"},
            r"a.md, line 1: front matter opened with '---' is never closed",
        ),
        (
            {"a.md": "---\ndate: yesterday\n---\nنص"},
            r"a.md, line 2 \(front matter\): date 'yesterday' is not a date",
        ),
        (
            {"a.md": "outlet: RT\ndate: 7/12\n\nنص"},
            r"a.md, line 2 \(front matter\): date '7/12' is not a date",
        ),
        # Excel's sep= line counts as line 1
        ({"metadata.csv": "sep=;\nid;date\na;\n", "a.txt": "أ"}, r"metadata.csv, line 2: no 'doc_id' column"),
        (
            {"metadata.csv": "doc_id|date\na|\n", "a.txt": "أ"},
            r"metadata.csv, line 1: no 'doc_id' column in 'doc_id\|date'; the header must name the columns",
        ),
        (
            {"metadata.csv": "Doc_ID;DATE;date\n", "a.txt": "أ"},
            r"metadata.csv, line 1: column 'date' appears twice \('DATE' and 'date'\); keep one",
        ),
        (
            {"metadata.csv": "doc_id;date;\na;;x\n", "a.txt": "أ"},
            r"metadata.csv, line 2: value 'x' in column 3, which has no header",
        ),
        (
            {"metadata.csv": "doc_id;date\na;;x\n", "a.txt": "أ"},
            r"metadata.csv, line 2: value 'x' in column 3, which has no header",
        ),
        # line numbers are lines of the file, also after a cell that holds a newline
        (
            {"metadata.csv": 'doc_id,title\na,"سطر\nثان"\nb,\nb,\n', "a.txt": "أ", "b.txt": "ب"},
            r"metadata.csv, line 5: doc_id 'b' appears twice",
        ),
    ],
)
def test_bad_metadata_names_file_and_line(tmp_path, files, message):
    for name, content in files.items():
        write(tmp_path / name, content)
    with pytest.raises(CorpusError, match=message):
        load_corpus(tmp_path)


@pytest.mark.parametrize(
    "content",
    [
        "doc_id,date,outlet\nalpha,2021-12-08,الجزيرة\n",
        "doc_id;date;outlet\nalpha;2021-12-08;الجزيرة\n",  # ; as a spreadsheet in many locales saves it
        "doc_id\tdate\toutlet\nalpha\t2021-12-08\tالجزيرة\n",
        "sep=;\ndoc_id;date;outlet\nalpha;2021-12-08;الجزيرة\n",  # Excel's hint line
        "\ufeffsep=;\r\nDoc_ID;Date;Outlet\r\nalpha;2021-12-08;الجزيرة\r\n",  # BOM, CRLF, capitals
        "\ufeffDoc_ID, Date ,OUTLET\nalpha,2021-12-08,الجزيرة\n",
        "Doc ID;date;outlet;;\nalpha;2021-12-08;الجزيرة;;\n;;;;\n",  # empty columns and rows
        '"doc_id";"date";"outlet"\n"alpha";"2021-12-08";"الجزيرة"\n',
        "outlet,doc_id,date\nالجزيرة,alpha,2021-12-08\n",  # any column order
    ],
)
def test_metadata_csv_saved_by_a_spreadsheet(tmp_path, content):
    f = write(tmp_path / "metadata.csv", content)
    assert read_metadata(f) == {
        "alpha": {"date": "2021-12-08", "outlet": "الجزيرة", "url": None, "title": None}
    }


BAD_FRONT_MATTER = [
    (
        "---\ndate: 2021-12-07\nنص",
        "line 1: front matter opened with '---' is never closed; add a '---' line after it",
    ),
    (
        "---\ndate: 2021-12-07\nنص بلا نقطتين\n---\nنص",
        "line 3: front matter line 'نص بلا نقطتين' is not 'key: value'",
    ),
    (
        "---\noutlet: RT\ndate: yesterday\n---\nنص",
        "line 3 (front matter): date 'yesterday' is not a date in the form YYYY-MM-DD",
    ),
]


@pytest.mark.parametrize("content, message", BAD_FRONT_MATTER)
def test_bad_front_matter_of_one_file_is_reported_with_on_error_report(tmp_path, content, message):
    write(tmp_path / "bad.md", content)
    write(tmp_path / "good.txt", "قمة")
    corpus = load_corpus(tmp_path, on_error="report")
    assert [d.doc_id for d in corpus] == ["good"]
    assert [(p.path, p.message) for p in corpus.problems] == [
        (str(tmp_path / "bad.md"), f"skipped: {message}")
    ]
    with pytest.raises(CorpusError) as info:
        load_corpus(tmp_path)
    assert str(info.value) == f"{tmp_path / 'bad.md'}, {message}"


def test_non_utf8_file_names_the_byte_offset(tmp_path):
    f = write(tmp_path / "cp1256.txt", "قمة ".encode() + "بوتين".encode("cp1256"))
    with pytest.raises(
        CorpusError, match=r"cp1256.txt: not UTF-8 text \(first bad byte 0xc8 at byte offset 7\)"
    ):
        load_corpus(f)
    write(tmp_path / "good.txt", "قمة")
    corpus = load_corpus(tmp_path, on_error="report")
    assert [d.doc_id for d in corpus] == ["good"]
    assert "cp1256.txt" in corpus.problems[0].path and "byte offset 7" in corpus.problems[0].message


def test_empty_files_are_reported_and_skipped(tmp_path):
    write(tmp_path / "empty.txt", "")
    write(tmp_path / "blank.txt", "  \n\t\n")
    write(tmp_path / "real.txt", "قمة")
    corpus = load_corpus(tmp_path)
    assert [d.doc_id for d in corpus] == ["real"]
    assert sorted(Path(p.path).name for p in corpus.problems) == ["blank.txt", "empty.txt"]
    assert all("empty or only white space" in p.message for p in corpus.problems)


def test_visual_order_text_is_reported_not_annotated(tmp_path):
    # "بوتين وبايدن" as a PDF might paste it: presentation forms in visual order
    write(tmp_path / "pdf.txt", "ﻥﺪﻳﺎﺑﻭ ﻦﻴﺗﻮﺑ")
    write(tmp_path / "ok.txt", "بوتين وبايدن")
    corpus = load_corpus(tmp_path)
    assert [d.doc_id for d in corpus] == ["ok"]
    assert "presentation forms" in corpus.problems[0].message and corpus.problems[0].path.endswith("pdf.txt")
    kept = load_corpus(tmp_path, allow_visual_order=True)
    assert [d.doc_id for d in kept] == ["ok", "pdf"] and kept["pdf"].problems


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: p / "missing", r"missing: no such file or folder"),
        (lambda p: (p / "e").mkdir() or p / "e", r"e: folder has no text files"),
        (lambda p: write(p / "a.pdf", b"%PDF"), r"a.pdf: not a text file"),
    ],
)
def test_bad_paths(tmp_path, make, message):
    with pytest.raises(CorpusError, match=message):
        load_corpus(make(tmp_path))


def test_unknown_on_error_choice():
    with pytest.raises(
        ValueError,
        match=r"`on_error` value = 'ignore' is invalid; value must be one of \{'raise', 'report'\}",
    ):
        load_corpus(SEEDS, on_error="ignore")


def test_sentences_frame_matches_documents():
    corpus = wb.load_corpus(SEEDS)
    frame = corpus.sentences_frame()
    assert list(frame.columns) == ["doc_id", "paragraph", "sentence", "sentence_id", "start", "end", "text"]
    assert len(frame) == 20
    doc = corpus[SEED_ID]
    for row in frame.itertuples():
        assert doc.text[row.start:row.end] == row.text
    pd.testing.assert_series_equal(
        frame["paragraph"], pd.Series([*range(11), 10, *range(11, 19)], name="paragraph")
    )


def test_import_workbench_is_light():
    code = (
        "import sys, time; t = time.perf_counter(); import workbench; "
        "print(time.perf_counter() - t); "
        "print(any(m.split('.')[0] in {'matplotlib', 'ipywidgets', 'pandas', 'camel_tools'} for m in "
        "sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[1] == "False"  # nothing heavy is imported; the time is measured in benchmarks/


# ------------------------------------------------------------------ near-duplicates at load time

STORY = ("عنوان الخبر\nاجتمع المستشارون في باريس لبحث تنفيذ الاتفاقات وسط أجواء من الحذر والترقب.\n"
         "وقال أحد المشاركين إن النقاش كان صريحا وإن الجولة المقبلة ستعقد في برلين بعد أسبوعين.\n")


@pytest.mark.parametrize(
    ("second", "reported"),
    [
        (STORY.replace("عنوان الخبر", "عنوان آخر للخبر نفسه"), True),  # posted twice, a new title
        (STORY, True),  # posted twice as it was
        ("عنوان\nخبر مختلف تماما عن الطقس في المدينة وعن أسعار الخضار في الأسواق الشعبية.\n", False),
    ],
)
def test_near_duplicates_are_reported_when_loading(tmp_path, second, reported):
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "b.txt").write_text(second, encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert len(corpus) == 2  # both kept
    messages = [p.message for p in corpus.problems]
    if reported:
        assert [p.path for p in corpus.problems] == [str(tmp_path / "b.txt")]
        assert messages[0].startswith("near-duplicate of 'a' (")
        assert "the same story posted twice?" in messages[0]
        assert corpus["b"].problems == corpus.problems
    else:
        assert messages == []
    assert load_corpus(tmp_path, near_duplicates=None).problems == []


def test_the_date_a_text_states_decides_which_copy_is_reported(tmp_path):
    # the pairs are found before the texts are split (and their dates read): "b" states an
    # earlier date than "a", so "a" is the later copy, reported as a near-duplicate of "b"
    (tmp_path / "a.txt").write_text("الثلاثاء ١٩ يوليو ٢٠٢٢\n" + STORY, encoding="utf-8")
    (tmp_path / "b.txt").write_text("الأحد ٣ يوليو ٢٠٢٢\n" + STORY, encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert [corpus["a"].date, corpus["b"].date] == ["2022-07-19", "2022-07-03"]
    reported = [(Path(p.path).name, p.message[:22]) for p in corpus.problems]
    assert reported == [("a.txt", "near-duplicate of 'b' ")]
    assert corpus["a"].problems == corpus.problems and corpus["b"].problems == []


@pytest.mark.parametrize("files", [1, 2, 6])
def test_loading_a_few_articles_imports_nothing_heavy(tmp_path, files):
    # the near-duplicate check runs on every load of two files or more: for a handful of
    # articles it must not pull in pandas, numpy, datasketch or scipy (a second or more each)
    for k in range(files):
        (tmp_path / f"a{k}.txt").write_text(STORY, encoding="utf-8")
    code = (
        "import sys, workbench as wb; corpus = wb.load_corpus(sys.argv[1]); "
        "print(len(corpus), len(corpus.problems)); "
        "print(sorted(m for m in ('pandas', 'numpy', 'datasketch', 'scipy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out == [f"{files} {files * (files - 1) // 2}", "[]"]  # each pair of copies is reported
