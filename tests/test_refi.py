"""Tests for workbench/refi/: the .qdpx project (validated against the REFI-QDA schema,
parsed back here with lxml and compared coding by coding with Store.view()), .qdc
codebooks written, validated and read back, a .qdc written the way another program
writes one, and bad files refused with the line and the problem."""

from __future__ import annotations

import re
import uuid
import zipfile

import pytest
from conftest import AUTO, DOC_A, DOC_B, make_annotations, sid
from lxml import etree

from workbench.codebook import load_codebook
from workbench.refi import (
    MAX_DEPTH,
    SCHEMAS,
    QdaCode,
    RefiError,
    codebook_codes,
    codebook_from_qdc,
    read_qdc,
    walk,
    write_qdc,
    write_qdpx,
)
from workbench.store import Store

P = "{urn:QDA-XML:project:1.0}"
C = "{urn:QDA-XML:codebook:1.0}"
#: The text of a document whose title holds a character outside the BMP: one code point,
#: two UTF-16 units, so the offsets tell the two counts apart.
DOC_X = "🙂 عنوان\nقال بوتين إن الوضع جيد."
FIELDS = {"topic": "topics", "actor": "actors", "speaker": "speaker", "statement_type": "statement_type"}


def _schema(kind):
    return etree.XMLSchema(etree.parse(str(SCHEMAS[kind])))


@pytest.fixture
def store(tmp_path):
    auto = {**AUTO, ("x", 1): {"actors": "putin", "speaker": "putin", "speaker_rule": "verb=قال"}}
    with Store(tmp_path / "s.sqlite") as s:
        s.save_annotations(make_annotations({"a": DOC_A, "b": DOC_B, "x": DOC_X}, auto))
        s.correct(sid(s, "a", 1), "topics", "add", "minsk", annotator="huda")
        s.correct(sid(s, "a", 1), "note", "set", 'راجع "المصدر"\nثم قرّر', annotator="huda")
        s.correct(sid(s, "a", 2), "speaker", "set", "putin", annotator="omar")
        s.correct(sid(s, "a", 0), "topics", "add", "cyber", annotator="omar")
        s.undo(annotator="omar")  # undone: not a coding
        s.correct(sid(s, "b", 0), "topics", "remove", "cyber", annotator="huda")  # b0 now has no coding
        s.correct(sid(s, "b", 0), "note", "set", "لا موضوع هنا", annotator="huda")
        yield s


def _parse(path):
    """Everything the test compares, read from the archive with lxml alone."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        tree = etree.fromstring(archive.read("project.qde")).getroottree()
        files = {n: archive.read(n) for n in names if n.startswith("sources/")}
    _schema("project").assertValid(tree)
    users = {u.get("guid"): u.get("name") for u in tree.iter(f"{P}User")}
    codes = {}
    for code in tree.iter(f"{P}Code"):
        found = re.search(r"^workbench (\w+): (\w+)$", code.findtext(f"{P}Description") or "", re.M)
        codes[code.get("guid")] = (found.group(1), found.group(2), code.get("name"), code.get("color"))
    return tree, names, files, users, codes


def _codings(tree, files, users, codes):
    out, texts = set(), {}
    for source in tree.iter(f"{P}TextSource"):
        guid = re.fullmatch(r"internal://(.+)\.txt", source.get("plainTextPath")).group(1)
        text = files[f"sources/{guid}.txt"].decode("utf-8")
        texts[source.get("name")] = text
        for sel in source.iter(f"{P}PlainTextSelection"):
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            for coding in sel.iter(f"{P}Coding"):
                kind, key, _, _ = codes[coding.find(f"{P}CodeRef").get("targetGUID")]
                out.add(
                    (
                        source.get("name"),
                        start,
                        end,
                        text[start:end],
                        kind,
                        key,
                        users[coding.get("creatingUser")],
                    )
                )
    return out, texts


def test_project_validates_and_every_coding_matches_the_view(store, tmp_path):
    path = write_qdpx(store, tmp_path / "p.qdpx")
    tree, names, files, users, codes = _parse(path)
    assert names[0] == "project.qde" and len(files) == 3
    found, texts = _codings(tree, files, users, codes)
    manual = {
        (sid(store, "a", 1), "topic", "minsk"): "huda",
        (sid(store, "a", 2), "speaker", "putin"): "omar",
    }
    expected = set()
    for row in store.view()[0].to_dict("records"):
        for kind, field in FIELDS.items():
            for key in row[field].split(";") if row[field] else []:
                user = manual.get((row["sentence_id"], kind, key), "automatic")
                expected.add((row["doc_id"], row["start"], row["end"], row["text"], kind, key, user))
    assert found == expected
    assert ("a", 0, 16, "قمة بوتين وبايدن", "topic", "cyber", "omar") not in found  # the undone one
    for doc_id in ("a", "b", "x"):  # sources are the stored text, byte for byte
        assert texts[doc_id].encode("utf-8") == store.document_text(doc_id).encode("utf-8")
    assert sorted(users.values()) == ["automatic", "huda", "omar"]


def test_positions_count_code_points_not_utf16_units(store, tmp_path):
    tree, _, files, users, codes = _parse(write_qdpx(store, tmp_path / "p.qdpx"))
    found, _ = _codings(tree, files, users, codes)
    spans = {(start, end) for doc, start, end, *_ in found if doc == "x"}
    start = DOC_X.index("قال")
    assert spans == {(start, len(DOC_X))}
    assert start == 8 and len(DOC_X[:start].encode("utf-16-le")) // 2 == 9


def test_automatic_and_manual_codings_are_told_apart(store, tmp_path):
    tree, *_ = _parse(write_qdpx(store, tmp_path / "p.qdpx"))
    by_name = {}
    for sel in tree.iter(f"{P}PlainTextSelection"):
        by_name.setdefault(sel.get("name"), []).append(sel.findtext(f"{P}Description"))
    a1 = by_name[sid(store, "a", 1)]
    assert "Actors: kremlin — automatic: الكرملين «الكرملين» 22–30" in a1
    assert "Speakers: kremlin — automatic: قال" in a1
    assert any(re.fullmatch(r"Topics: minsk — manual: huda, \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", d) for d in a1)
    assert any(d.startswith("Speakers: putin — manual: omar") for d in by_name[sid(store, "a", 2)])


def test_an_annotator_named_like_the_automatic_layer_is_another_user(store, tmp_path):
    store.correct(sid(store, "b", 1), "topics", "add", "iran", annotator="automatic")
    tree, _, files, users, codes = _parse(write_qdpx(store, tmp_path / "p.qdpx"))
    by_coding = {}
    for sel in tree.iter(f"{P}PlainTextSelection"):
        for coding in sel.iter(f"{P}Coding"):
            kind, key, _, _ = codes[coding.find(f"{P}CodeRef").get("targetGUID")]
            by_coding[(sel.get("name"), kind, key)] = coding.get("creatingUser")
    layer = by_coding[(sid(store, "b", 1), "speaker", "psaki")]  # made by the automatic layer
    person = by_coding[(sid(store, "b", 1), "topic", "iran")]  # made by the annotator "automatic"
    assert layer != person and users[layer] == users[person] == "automatic"
    assert len(users) == 4


def test_notes_are_memos_on_the_sentence_codings(store, tmp_path):
    tree, _, _, users, _ = _parse(write_qdpx(store, tmp_path / "p.qdpx"))
    notes = {n.get("guid"): n for n in tree.iter(f"{P}Note")}
    assert sorted(n.findtext(f"{P}PlainTextContent") for n in notes.values()) == sorted(
        ['راجع "المصدر"\nثم قرّر', "لا موضوع هنا"]
    )
    assert {users[n.get("creatingUser")] for n in notes.values()} == {"huda"}
    for sel in tree.iter(f"{P}PlainTextSelection"):
        refs = [r.get("targetGUID") for r in sel.iter(f"{P}NoteRef")]
        if sel.get("name") == sid(store, "a", 1):
            assert len(refs) == 1 and notes[refs[0]].findtext(f"{P}PlainTextContent").startswith("راجع")
        elif sel.get("name") == sid(store, "b", 0):  # no coding left: the note has a selection of its own
            assert (
                sel.find(f"{P}Coding") is None
                and notes[refs[0]].findtext(f"{P}PlainTextContent") == "لا موضوع هنا"
            )
        else:
            assert refs == []


def test_codes_groups_and_sets(store, tmp_path):
    tree, _, _, _, codes = _parse(write_qdpx(store, tmp_path / "p.qdpx"))
    top = tree.find(f"{P}CodeBook/{P}Codes")
    assert [g.get("name") for g in top] == [
        "الموضوعات · Topics",
        "الفاعلون · Actors",
        "المتحدثون · Speakers",
        "أنواع التصريحات · Statement types",
    ]
    assert [g.get("isCodable") for g in top] == ["false"] * 4
    topics = [(c.get("name"), codes[c.get("guid")][1]) for c in top[0].iter(f"{P}Code") if c is not top[0]]
    assert topics == [("أوكرانيا", "ukraine"), ("مينسك", "minsk"), ("إيران", "iran"), ("السيبراني", "cyber")]
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c[3]) for c in codes.values())
    sets = {s.get("name"): [m.get("targetGUID") for m in s] for s in tree.iter(f"{P}Set")}
    assert [codes[g][:2] for g in sets["المتحدثون · Speakers"]] == [
        ("speaker", k) for k in ("putin", "biden", "kremlin", "psaki")
    ]


def test_one_annotators_view_and_stable_guids(store, tmp_path):
    tree, _, files, users, codes = _parse(write_qdpx(store, tmp_path / "omar.qdpx", annotator="omar"))
    found, _ = _codings(tree, files, users, codes)
    assert not any(key == "minsk" for *_, key, _ in found)  # huda's correction is not in omar's view
    assert any(kind == "speaker" and key == "putin" and user == "omar" for *_, kind, key, user in found)
    (tmp_path / "1").mkdir()
    (tmp_path / "2").mkdir()
    first = write_qdpx(store, tmp_path / "1" / "p.qdpx")
    second = write_qdpx(store, tmp_path / "2" / "p.qdpx")
    strip = re.compile(rb'(<Project [^>]*)creationDateTime="[^"]+"')
    with zipfile.ZipFile(first) as one, zipfile.ZipFile(second) as two:
        assert strip.sub(rb"\1", one.read("project.qde")) == strip.sub(rb"\1", two.read("project.qde"))


def test_a_document_without_its_text_is_refused(tmp_path):
    ann = make_annotations()
    ann.documents["text"] = ["", DOC_B]  # as if annotated without the full text
    with Store(tmp_path / "s.sqlite") as s:
        s.save_annotations(ann)
        with pytest.raises(RefiError, match=r"document 'a': the stored text does not hold sentence"):
            write_qdpx(s, tmp_path / "p.qdpx")
    assert not (tmp_path / "p.qdpx").exists()


#: An article with characters XML 1.0 cannot hold (a control character, U+FFFE) and markup.
DOC_H = "عنوان \x01فيه حرف تحكم\nقال بوتين <إن> & الوضع \ufffe جيد."


def test_text_xml_cannot_hold_is_kept_in_the_sources_and_replaced_in_the_project(tmp_path):
    auto = {**AUTO, ("h", 1): {"actors": "putin", "speaker": "putin"}}
    ann = make_annotations({"a": DOC_A, "h": DOC_H}, auto)
    ann.documents["outlet"] = ["", "وكالة \x02 الأنباء"]
    with Store(tmp_path / "s.sqlite") as s:
        s.save_annotations(ann)
        h1 = sid(s, "h", 1)
        s.correct(h1, "note", "set", "ملصوق \x0b من مصدر \uffff <b>", annotator="huda")
        path = write_qdpx(s, tmp_path / "p.qdpx")  # failed: "All strings must be XML compatible"
        tree, _, files, users, codes = _parse(path)
        found, texts = _codings(tree, files, users, codes)
        assert texts["h"].encode("utf-8") == DOC_H.encode("utf-8")  # the source text, exactly
        start = DOC_H.index("قال")
        assert ("h", start, len(DOC_H), DOC_H[start:], "speaker", "putin", "automatic") in found
    assert [n.findtext(f"{P}PlainTextContent") for n in tree.iter(f"{P}Note")] == [
        "ملصوق \ufffd من مصدر \ufffd <b>"]
    source = {e.get("name"): e for e in tree.iter(f"{P}TextSource")}["h"]
    assert source.findtext(f"{P}Description") == "عنوان \ufffdفيه حرف تحكم · وكالة \ufffd الأنباء"


# ------------------------------------------------------------------ codebooks


def test_qdc_export_validates_and_reads_back(tmp_path):
    codebook = load_codebook()
    path = write_qdc(codebook, tmp_path / "c.qdc")
    tree = etree.parse(str(path))
    _schema("codebook").assertValid(tree)
    assert tree.getroot().tag == f"{C}CodeBook"
    assert read_qdc(path) == codebook_codes(codebook)
    actor = next(c for c in read_qdc(path)[1].children if c.key == "putin")
    assert (actor.name, actor.kind) == ("فلاديمير بوتين", "actor") and "type: person" in actor.description
    assert [s.get("name") for s in tree.iter(f"{C}Set")][0] == "الموضوعات · Topics"


def _fill_terms(path):
    text = path.read_text(encoding="utf-8")
    n = iter(range(1000))
    path.write_text(re.sub(r"terms = \[\]", lambda m: f'terms = ["مصطلح{next(n)}"]', text), encoding="utf-8")


def test_own_qdc_comes_back_as_the_same_topics(tmp_path):
    default = load_codebook()
    qdc = write_qdc(default, tmp_path / "c.qdc")
    out = codebook_from_qdc(qdc, tmp_path / "new.toml")
    starting = load_codebook(out)  # loads as it is: topics coded by hand until they get terms
    assert starting.topics_without_terms == default.topic_keys
    _fill_terms(out)
    back = load_codebook(out)
    assert [(t.key, t.label_ar, t.label_en) for t in back.topics] == [
        (t.key, t.label_ar, t.label_en) for t in default.topics
    ]
    assert back.actor_ids == default.actor_ids and back.statement_types == default.statement_types


#: A codebook written the way a QDA program writes one: nested codes, colours (short and
#: long forms, either case), GUIDs in braces, a code group, Arabic and English names.
FOREIGN = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Another QDA program 24.1">
  <Codes>
    <Code guid="{6B1C9F52-0F3A-4E1B-9D3E-1A2B3C4D5E6F}" name="Prices" isCodable="true" color="#abc"/>
    <Code guid="2f1d6c1e-3a4b-4c5d-8e9f-0a1b2c3d4e5f" name="السياسة الخارجية"
          isCodable="false" color="#1F77B4">
      <Description>قضايا العلاقات الدولية</Description>
      <Code guid="9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d" name="العقوبات" isCodable="true" color="#FF7F0E"/>
      <Code guid="0f9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c" name="Energy" isCodable="true" color="#2ca02c">
        <Description>Gas and oil supplies
Second line</Description>
        <Code guid="11111111-2222-4333-8444-555555555555" name="Prices" isCodable="true"/>
      </Code>
    </Code>
    <Code guid="aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee" name="Economy &amp; trade" isCodable="true"/>
  </Codes>
  <Sets>
    <Set guid="12345678-1234-4234-8234-123456789abc" name="Core">
      <MemberCode guid="aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"/>
    </Set>
  </Sets>
</CodeBook>
"""


def test_a_qdc_from_another_program_becomes_a_starting_codebook(tmp_path):
    qdc = tmp_path / "team.qdc"
    qdc.write_text(FOREIGN, encoding="utf-8")
    _schema("codebook").assertValid(etree.parse(str(qdc)))
    codes = read_qdc(qdc)
    assert [c.name for c in codes] == ["Prices", "السياسة الخارجية", "Economy & trade"]
    assert codes[1].codable is False and [c.name for c in codes[1].children] == ["العقوبات", "Energy"]
    assert codes[1].children[1].children[0] == QdaCode("11111111-2222-4333-8444-555555555555", "Prices")
    out = codebook_from_qdc(qdc, tmp_path / "team.toml")
    text = out.read_text(encoding="utf-8")
    assert (
        "# from code 'السياسة الخارجية › Energy' (GUID 0f9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c, colour #2ca02c)"
        in text
        and "#   Gas and oil supplies\n#   Second line\n" in text
    )
    _fill_terms(out)
    back = load_codebook(out)
    assert [(t.key, t.label_ar, t.label_en) for t in back.topics] == [
        ("prices", "Prices", "Prices"),
        ("aleqwbat", "العقوبات", "العقوبات"),
        ("energy", "Energy", "Energy"),
        ("energy_prices", "Prices", "Prices"),  # a name used twice: its parent's name tells them apart
        ("economy_trade", "Economy & trade", "Economy & trade"),
    ]
    assert back.name == "team (imported)" and back.actor_ids == load_codebook().actor_ids


@pytest.mark.parametrize(
    "name, key",
    [
        ("Économie", "economie"),
        ("Ölpreis &amp; Gas", "olpreis_gas"),
        ("Türkiye–Rusya", "turkiye_rusya"),
        ("Ⅱ. Phase", "ii_phase"),
        ("2022 حرب", "code_2022_hrb"),
    ],
)
def test_keys_made_from_latin_names_keep_their_letters(tmp_path, name, key):
    (tmp_path / "c.qdc").write_bytes(_book(CODE.replace("العقوبات", name)))
    out = codebook_from_qdc(tmp_path / "c.qdc", tmp_path / "c.toml")
    _fill_terms(out)
    assert [t.key for t in load_codebook(out).topics] == [key]  # "Économie" was "conomie"


def test_a_project_holds_a_codebook_too(store, tmp_path):
    project = write_qdpx(store, tmp_path / "p.qdpx")
    assert [c.key for c in read_qdc(project)[0].children] == ["ukraine", "minsk", "iran", "cyber"]


CODE = '<Code guid="9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d" name="العقوبات" isCodable="true"/>'


def _book(codes: str, root: str = 'CodeBook xmlns="urn:QDA-XML:codebook:1.0"') -> bytes:
    name = root.split()[0]
    return f'<?xml version="1.0"?>\n<{root}>\n<Codes>\n{codes}\n</Codes>\n</{name}>\n'.encode()


def _declaring(entities: bytes, code_end: str) -> bytes:
    """A codebook with a document type declaring ``entities``, whose code ends ``code_end``."""
    book = _book(CODE.replace(' name="العقوبات"/>', code_end))
    return book.replace(b"?>\n", b"?>\n<!DOCTYPE CodeBook [" + entities + b"]>\n", 1)


LAUGHS = b"".join(b'<!ENTITY e%d "%s">' % (i, b"&e%d;" % (i - 1) * 10 if i else b"ha") for i in range(4))


@pytest.mark.parametrize(
    "content, message",
    [
        (b"not xml at all", r"line 1, column 1: not well-formed XML"),
        (
            _book(CODE, "CodeBook"),
            r"line 2: the root element <CodeBook> has no namespace; a REFI-QDA codebook file "
            r'declares xmlns="urn:QDA-XML:codebook:1.0"',
        ),
        (
            _book(CODE, 'Codebook xmlns="urn:QDA-XML:codebook:1.0"'),
            r"the root element is <Codebook>, not <CodeBook>",
        ),
        (_book(CODE.replace('isCodable="true"', 'isCodable="true" color="#GG0000"')), r"line 4: .*'color'"),
        (_book(CODE.replace(' name="العقوبات"', "")), r"line 4: .*The attribute 'name' is required"),
        (_book(CODE.replace("9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d", "42")), r"line 4: .*'guid'"),
        (
            _book(CODE + "\n" + CODE.replace("العقوبات", "الطاقة")),
            r"line 5: code 'الطاقة' has the GUID 9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d of the code on line 4",
        ),
        (_book(CODE.replace("العقوبات", " ")), r"line 4: the code with GUID .* has an empty name"),
        (_book(""), r"line 3: .*Missing child element"),
        # entities: an external one (reading a local file), an internal one, a billion laughs
        (
            _declaring(b'<!ENTITY x SYSTEM "file:///etc/hostname">',
                       ' name="x"><Description>&x;</Description></Code>'),
            r"line 2: the file declares a document type \(<!DOCTYPE CodeBook>\), which REFI-QDA files "
            r"never do; refused, its entities unread",
        ),
        (_declaring(b'<!ENTITY e "x">', ' name="&e;"/>'), r"line 2: the file declares a document type"),
        (_declaring(LAUGHS, ' name="&e3;"/>'), r"line 2: the file declares a document type"),
    ],
)
def test_bad_qdc_files_name_the_line_and_problem(tmp_path, content, message):
    path = tmp_path / "bad.qdc"
    path.write_bytes(content)
    with pytest.raises(RefiError, match=message) as info:
        read_qdc(path)
    assert str(path) in str(info.value)
    assert not (tmp_path / "out.toml").exists()


def _nested(depth: int) -> bytes:
    """A codebook of one chain of ``depth`` codes, each inside the one before."""
    codes = ""
    for level in reversed(range(depth)):
        code = f'<Code guid="{uuid.UUID(int=level + 1)}" name="مستوى {level}" isCodable="true">'
        codes = f"{code}{codes}</Code>"
    return _book(codes)


def test_codes_nested_deeper_than_any_codebook_are_refused(tmp_path):
    (tmp_path / "deep.qdc").write_bytes(_nested(MAX_DEPTH))
    codes = read_qdc(tmp_path / "deep.qdc")
    assert [code.name for _, code in walk(codes)] == [f"مستوى {level}" for level in range(MAX_DEPTH)]
    (tmp_path / "deeper.qdc").write_bytes(_nested(1200))  # was a RecursionError
    with pytest.raises(RefiError, match=rf"line 4: code 'مستوى {MAX_DEPTH}' is nested {MAX_DEPTH + 1} codes "
                                        r"deep, more than \d+"):
        read_qdc(tmp_path / "deeper.qdc")


def test_other_bad_inputs(tmp_path):
    with pytest.raises(RefiError, match="no such file"):
        read_qdc(tmp_path / "missing.qdc")
    archive = tmp_path / "p.qdpx"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("other.xml", "<x/>")
    with pytest.raises(RefiError, match="a zip archive without a readable project.qde"):
        read_qdc(archive)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:  # a zip bomb
        z.writestr("project.qde", b"<?xml version='1.0'?>" + b" " * (64 << 20))
    with pytest.raises(RefiError, match=r"project.qde would unpack from [\d,]+ to 67,108,\d+ bytes"):
        read_qdc(archive)
    groups_only = tmp_path / "groups.qdc"
    groups_only.write_bytes(_book(CODE.replace('isCodable="true"', 'isCodable="false"')))
    with pytest.raises(RefiError, match="no codable code"):
        codebook_from_qdc(groups_only, tmp_path / "out.toml")
    good = tmp_path / "good.qdc"
    good.write_bytes(_book(CODE))
    (tmp_path / "mine.toml").write_text("# edited by hand\n", encoding="utf-8")
    with pytest.raises(RefiError, match="exists already"):
        codebook_from_qdc(good, tmp_path / "mine.toml")
    assert (tmp_path / "mine.toml").read_text(encoding="utf-8") == "# edited by hand\n"
    assert codebook_from_qdc(good, tmp_path / "mine.toml", overwrite=True).read_text(encoding="utf-8") != ""
