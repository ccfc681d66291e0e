"""Tests for workbench.codebook: the default codebook, parsing terms, validation errors."""

import re
from pathlib import Path

import pytest

from workbench.codebook import (
    DEFAULT_CODEBOOK,
    Actor,
    CodebookEntry,
    CodebookError,
    CodebookSummary,
    Role,
    UnknownKeyError,
    load_codebook,
    parse_term,
    summary_of,
)

# A small valid codebook; each bad case below changes one thing in it.
MINIMAL = """\
[codebook]
name = "test"

[[topics]]
key = "ukraine"
label_ar = "أوكرانيا"
label_en = "Ukraine"
terms = ["أوكرانيا", "أوكراني+"]

[[topics]]
key = "cyber"
label_ar = "سيبراني"
label_en = "Cyber"
terms = ["قرصن*"]
exclude = ["القرصنة البحرية"]

[[actors]]
id = "biden"
type = "person"
name_ar = "جو بايدن"
name_en = "Joe Biden"
aliases = ["بايدن"]
[[actors.roles]]
titles = ["الرئيس الأميركي"]
from = 2021-01-20
to = 2025-01-20

[[actors]]
id = "trump"
type = "person"
name_ar = "دونالد ترامب"
name_en = "Donald Trump"
[[actors.roles]]
titles = ["الرئيس الأميركي"]
from = 2017-01-20
to = 2021-01-20

[[statement_types]]
key = "concern"
label_ar = "قلق"
label_en = "Concern"
cues = ["قلق*"]

[[verbs]]
forms = ["قال", "قالت"]

[[verbs]]
forms = ["أعرب"]
type = "concern"

[[statement_types]]
key = "support"
label_ar = "دعم"
label_en = "Support"
cues = ["دعم*"]

[[statement_types]]
key = "denial"
label_ar = "نفي"
label_en = "Denial"
cues = ["نفى"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cb.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_codebook_loads(tmp_path):
    cb = load_codebook(write(tmp_path, MINIMAL))
    assert cb.name == "test"
    assert cb.topic_keys == ["ukraine", "cyber"]
    assert cb.actor_ids == ["biden", "trump"]
    assert cb.topic("cyber").exclude == ("القرصنة البحرية",)
    assert cb.actor("biden").roles == (Role(("الرئيس الأميركي",), "2021-01-20", "2025-01-20"),)
    assert cb.actor("biden").names == ("جو بايدن", "بايدن")
    assert [v.type for v in cb.verbs] == ["", "concern"]
    assert cb.subject_window == 6 and cb.source_cues == ()
    assert len(cb.hash) == 16


def test_default_codebook_has_the_contract_keys():
    cb = load_codebook()
    assert cb.path == str(DEFAULT_CODEBOOK)
    assert cb.topic_keys == ["ukraine", "minsk", "iran", "cyber", "strategic_stability"]
    for actor_id in ["putin", "biden", "zelensky", "psaki", "peskov", "lavrov", "blinken",
                     "kremlin", "white_house", "nato", "rus", "usa", "ukr", "irn"]:
        assert cb.actor(actor_id).id == actor_id
    assert {a.type for a in cb.actors} == {"person", "institution", "state", "organisation", "media"}
    assert cb.actor("unnamed_source").type == "person"
    assert {a.id for a in cb.actors if a.type == "media"} >= {"rt", "reuters", "tass", "bloomberg"}
    assert [s.key for s in cb.statement_types] == [
        "concern", "support", "warning", "appeal", "announcement", "discussion"]
    assert cb.labels("topic", lang="en")["strategic_stability"] == "Strategic stability"
    assert cb.labels("actor", lang="ar")["kremlin"] == "الكرملين"


@pytest.mark.parametrize(
    "actor_id, date, holds",
    [
        ("biden", "2021-12-07", True),
        ("biden", "2021-01-20", True),  # from is inclusive
        ("biden", "2025-01-20", False),  # to is exclusive
        ("trump", "2021-01-19", True),
        ("trump", "2021-12-07", False),
        ("psaki", "2022-05-12", True),
        ("psaki", "2022-05-13", False),
        ("zelensky", "2030-01-01", True),  # open end
        ("merkel", "2021-12-07", True),  # the summit's day: Merkel, not yet Scholz
        ("scholz", "2021-12-07", False),
    ],
)
def test_roles_hold_within_their_dates(actor_id, date, holds):
    assert load_codebook().actor(actor_id).roles[0].applies(date) is holds


def test_role_period_string():
    assert Role(("x",), "2021-01-20", "2025-01-20").period == "2021-01-20..2025-01-20"
    assert Role(("x",), "2019-05-20").period == "2019-05-20.."


def test_hash_follows_content_not_comments(tmp_path):
    a = load_codebook(write(tmp_path, MINIMAL))
    (tmp_path / "b").mkdir()
    b = load_codebook(write(tmp_path / "b", "# a comment\n" + MINIMAL))
    c = load_codebook(write(tmp_path, MINIMAL.replace('name = "test"', 'name = "other"')))
    assert a.hash == b.hash != c.hash


@pytest.mark.parametrize(
    "term, expected",
    [
        ("أوكرانيا", [("أوكرانيا", "exact")]),
        ("أوكراني+", [("أوكراني", "inflected")]),
        ("اتفاق* مينسك", [("اتفاق", "prefix"), ("مينسك", "exact")]),
        ("مينسك 2", [("مينسك", "exact"), ("2", "exact")]),
        ("جان-بيير", [("جان", "exact"), ("-", "punct"), ("بيير", "exact")]),
        ("الـكرملين", [("الـكرملين", "exact")]),  # tatweel stays part of the word
        ("و بايدن", [("و", "exact"), ("بايدن", "exact")]),  # one long word is enough
        ("ﻻ", [("ﻻ", "exact")]),  # the lam-alef ligature is two letters
        ("G7", [("G7", "exact")]),
    ],
)
def test_parse_term(term, expected):
    assert parse_term(term) == expected


@pytest.mark.parametrize(
    "term, message",
    [
        ("", "the term is empty"),
        ("   ", "the term is empty"),
        ("+", "a marker \\+ must follow a word"),
        ("أ+", "two letters or more"),
        ("أوكر+انيا", "may only end a word"),
        ("جان-+", "a marker must follow a word, not '-'"),
        # no word of two letters or digits: such a term could never match
        (".", "no word of two letters or digits"),
        ("و", "no word of two letters or digits"),
        ("a", "no word of two letters or digits"),
        ("وَ", "no word of two letters or digits"),  # a diacritic is not a letter
        ("و ـ ب", "no word of two letters or digits"),
        ("- .", "no word of two letters or digits"),
    ],
)
def test_parse_term_rejects(term, message):
    with pytest.raises(ValueError, match=message):
        parse_term(term)


@pytest.mark.parametrize(
    "old, new, line, message",
    [
        # unknown field, with a suggestion
        (
            'terms = ["قرصن*"]',
            'terms = ["قرصن*"]\nterm = ["x"]',
            15,
            "topic 'cyber': unknown field 'term' (did you mean 'terms'?)",
        ),
        # unknown table
        ('[codebook]', '[codebok]', 1, "unknown table 'codebok' (did you mean 'codebook'?)"),
        # duplicate topic key
        (
            'key = "cyber"',
            'key = "ukraine"',
            11,
            "topic 'ukraine': duplicate key 'ukraine' (first at line 5)",
        ),
        # duplicate actor id
        ('id = "trump"', 'id = "biden"', 29, "actor 'biden': duplicate id 'biden' (first at line 18)"),
        # empty list (a topic's terms may be empty; a statement type's cues may not)
        ('cues = ["قلق*"]', 'cues = []', 42, "statement type 'concern': 'cues' is an empty list"),
        # missing required field
        ('label_en = "Cyber"\n', '', 10, "topic 'cyber': required field 'label_en' is missing"),
        # bad key
        ('key = "cyber"', 'key = "Cyber Security"', 11, "must be lower-case ASCII"),
        # wrong type
        ('label_en = "Cyber"', 'label_en = 3', 13, "'label_en' must be a string, not int 3"),
        # bad date
        (
            'from = 2021-01-20',
            'from = "2021-13-40"',
            25,
            "actor 'biden', role #1: 'from' = '2021-13-40' is not a date; write it as YYYY-MM-DD",
        ),
        # date with a time
        ('to = 2025-01-20', 'to = 2025-01-20T10:00:00', 26, "has a time"),
        # to before from
        ('to = 2025-01-20', 'to = 2020-01-01', 26, "'to' = 2020-01-01 is not after 'from' = 2021-01-20"),
        # overlapping titles of two actors
        (
            'to = 2021-01-20',
            'to = 2021-06-01',
            34,
            "role title 'الرئيس الاميركي' (2017-01-20..2021-06-01) overlaps the same title for actor 'biden'",
        ),
        # unknown actor type, in the house choice style
        (
            'type = "person"\nname_ar = "دونالد',
            'type = "human"\nname_ar = "دونالد',
            30,
            "`type` value = 'human' is invalid; value must be one of {'person', 'institution', 'state', "
            "'organisation', 'media'}",
        ),
        # an alias naming two actors
        (
            'name_en = "Donald Trump"',
            'name_en = "Donald Trump"\naliases = ["بايدن"]',
            33,
            "alias 'بايدن' also names actor 'biden' (line 22)",
        ),
        # a bad term, with the line of the term itself
        (
            'exclude = ["القرصنة البحرية"]',
            'exclude = [\n  "القرصنة",\n  "القرص+نة",\n]',
            17,
            "exclude entry 'القرص+نة': the marker '+' may only end a word",
        ),
        # a term listed twice
        (
            'terms = ["أوكرانيا", "أوكراني+"]',
            'terms = ["أوكرانيا", "أوكرانيا"]',
            8,
            "terms entry 'أوكرانيا' is listed twice",
        ),
        # a verb type that is not a statement type, the choices in codebook order
        (
            'type = "concern"\n',
            'type = "worry"\n',
            49,
            "`type` value = 'worry' is invalid; value must be one of {'concern', 'support', 'denial'} or "
            "left out",
        ),
        # the same verb form twice
        ('forms = ["أعرب"]', 'forms = ["قال"]', 48, "verb form 'قال' is already listed (line 45)"),
        # terms that can never match: punctuation only, one letter (the matcher's
        # shortest word is two letters), in every list of terms and in name_ar
        (
            'terms = ["أوكرانيا", "أوكراني+"]',
            'terms = ["أوكرانيا", "."]',
            8,
            "topic 'ukraine': terms entry '.': the term has no word of two letters or digits",
        ),
        (
            'exclude = ["القرصنة البحرية"]',
            'exclude = ["و"]',
            15,
            "topic 'cyber': exclude entry 'و': the term has no word of two letters or digits",
        ),
        (
            'aliases = ["بايدن"]',
            'aliases = ["بايدن", "a"]',
            22,
            "actor 'biden': aliases entry 'a': the term has no word of two letters or digits",
        ),
        (
            'name_ar = "جو بايدن"',
            'name_ar = "ج"',
            20,
            "actor 'biden': name_ar 'ج': the term has no word of two letters or digits",
        ),
        (
            'titles = ["الرئيس الأميركي"]\nfrom = 2017',
            'titles = ["ر"]\nfrom = 2017',
            34,
            "actor 'trump', role #1: titles entry 'ر': the term has no word of two letters or digits",
        ),
        (
            'cues = ["قلق*"]',
            'cues = ["!"]',
            42,
            "statement type 'concern': cues entry '!': the term has no word of two letters or digits",
        ),
        (
            'forms = ["قال", "قالت"]',
            'forms = ["قال", "ق"]',
            45,
            "verb #1 (قال): forms entry 'ق': the term has no word of two letters or digits",
        ),
        # verbs by root and form: both are needed, the root has three letters, tenses are known
        ('forms = ["أعرب"]', 'root = "عرب"', 47, "verb #2 (عرب): give both 'root' and 'form'"),
        ('forms = ["أعرب"]', 'root = "عر"\nform = 4', 47, "root 'عر' must be three Arabic letters"),
        ('forms = ["أعرب"]', 'root = "عرب"\nform = 11', 47,
         "form 11 is not one of 1, 2, 3, 4, 5, 6, 7, 8, 10"),
        ('forms = ["أعرب"]', 'root = "عرب"\nform = 4\ntenses = ["future"]', 47,
         "'tenses' holds 'future'; tenses are past, present, participle"),
        ('forms = ["أعرب"]', 'past = "أعرب"', 47, "give all of 'past', 'present' and 'participle'"),
        # an optional word is one word in brackets
        ('terms = ["قرصن*"]', 'terms = ["هجوم [واسع النطاق] إلكتروني"]', 14,
         "an optional word is one word in square brackets"),
        ('terms = ["قرصن*"]', 'terms = ["[قرصنة]"]', 14, "a term needs a word outside square brackets"),
        # TOML syntax
        ('name = "test"', 'name = "test', 2, "not valid TOML"),
    ],
)
def test_bad_codebook_names_file_line_and_key(tmp_path, old, new, line, message):
    assert old in MINIMAL
    path = write(tmp_path, MINIMAL.replace(old, new, 1))
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    text = str(info.value)
    assert f"{path}, line {line}: " in text
    assert message in text
    assert "Fix the codebook file" in text


def test_verbs_by_root_and_form_and_context_terms(tmp_path):
    text = MINIMAL.replace('forms = ["أعرب"]', 'root = "عرب"\nform = 4').replace(
        'exclude = ["القرصنة البحرية"]', 'exclude = ["القرصنة البحرية"]\ncontext = ["الهجوم"]')
    cb = load_codebook(write(tmp_path, text))
    verb = cb.verbs[1]
    assert verb.forms[:3] == ("أعرب", "أعربت", "أعربوا") and "معربا" in verb.forms and verb.type == "concern"
    assert set(verb.tenses) == {"past", "present", "participle"}
    assert cb.topic("cyber").context == ("الهجوم",)


@pytest.mark.parametrize(
    "term, variants",
    [
        ("أوكرانيا", ["أوكرانيا"]),
        ("التوازن [العسكري] الاستراتيجي", ["التوازن العسكري الاستراتيجي", "التوازن الاستراتيجي"]),
        ("[الهجوم] السيبراني", ["الهجوم السيبراني", "السيبراني"]),
    ],
)
def test_a_term_may_have_an_optional_word(term, variants):
    from workbench.codebook import term_variants

    assert term_variants(term) == variants
def test_topic_without_terms_loads_and_is_listed(tmp_path):
    # a topic the analyst codes by hand only (as a codebook imported from a QDA program has)
    path = write(tmp_path, MINIMAL.replace('terms = ["قرصن*"]', "terms = []", 1))
    codebook = load_codebook(path)
    assert codebook.topic_keys == ["ukraine", "cyber"]
    assert codebook.topics_without_terms == ["cyber"]
    assert load_codebook(write(tmp_path, MINIMAL)).topics_without_terms == []


def test_all_problems_are_reported_at_once(tmp_path):
    bad = MINIMAL.replace('forms = ["قال", "قالت"]', "forms = []").replace('id = "trump"', 'id = "biden"')
    with pytest.raises(CodebookError) as info:
        load_codebook(write(tmp_path, bad))
    assert len(info.value.problems) == 2
    assert "2 problems in the codebook" in str(info.value)


@pytest.mark.parametrize(
    "text, message",
    [
        ("[codebook]\n", "no topics; add at least one [[topics]] table"),
        (MINIMAL.replace("[[actors]]", "[[people]]"), "unknown table 'people'"),
    ],
)
def test_missing_sections(tmp_path, text, message):
    with pytest.raises(CodebookError, match=re.escape(message)):
        load_codebook(write(tmp_path, text))


def test_missing_file_says_what_to_do(tmp_path):
    with pytest.raises(CodebookError, match="no such file; check the path"):
        load_codebook(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda cb: cb.topic("ukrain"),
            "topic 'ukrain' is not in this codebook; known: ukraine, minsk, iran, cyber, "
            "strategic_stability. Did you mean 'ukraine'?",
        ),
        (lambda cb: cb.actor("bidn"), "Did you mean 'biden'?"),
        (lambda cb: cb.statement_type("threat"), "statement_type 'threat' is not in this codebook"),
    ],
)
def test_unknown_keys_raise_clear_key_errors(call, message):
    cb = load_codebook()
    with pytest.raises(UnknownKeyError) as info:
        call(cb)
    assert isinstance(info.value, KeyError)
    assert message in str(info.value)


@pytest.mark.parametrize(
    "kind, lang, message",
    [
        (
            "topics",
            "en",
            "`kind` value = 'topics' is invalid; value must be one of {'topic', 'actor', 'statement_type'}",
        ),
        ("topic", "fr", "`lang` value = 'fr' is invalid; value must be one of {'ar', 'en'}"),
    ],
)
def test_labels_rejects_unknown_choices(kind, lang, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        load_codebook().labels(kind, lang=lang)


# ------------------------------------------------------------------ field names of actors

#: MINIMAL's actor biden written with the field names topics use.
SHARED_NAMES = (('id = "biden"', 'key = "biden"'), ('name_ar = "جو بايدن"', 'label_ar = "جو بايدن"'),
                ('name_en = "Joe Biden"', 'label_en = "Joe Biden"'))


def test_actors_take_the_field_names_topics_use_or_the_older_ones(tmp_path):
    text = MINIMAL
    for old, new in SHARED_NAMES:
        text = text.replace(old, new)
    new, old = load_codebook(write(tmp_path, text)), load_codebook(write(tmp_path / "..", MINIMAL))
    assert new.actors == old.actors
    biden = new.actor("biden")
    assert (biden.key, biden.label_ar, biden.label_en) == ("biden", "جو بايدن", "Joe Biden")
    assert (biden.id, biden.name_ar, biden.name_en) == ("biden", "جو بايدن", "Joe Biden")
    assert new.labels("actor", lang="ar") == {"biden": "جو بايدن", "trump": "دونالد ترامب"}


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        (
            'id = "biden"',
            'id = "biden"\nkey = "biden"',
            18,
            "actor 'biden': 'id' and 'key' are the same field; keep 'key'",
        ),
        ('name_en = "Joe Biden"\n', '', 17, "actor 'biden': required field 'name_en' is missing"),
        (
            'id = "biden"\ntype = "person"\nname_ar = "جو بايدن"\nname_en = "Joe Biden"',
            'key = "biden"\ntype = "person"\nlabel_ar = "جو بايدن"',
            17,
            "actor 'biden': required field 'label_en' is missing",
        ),
        (
            'name_ar = "جو بايدن"',
            'label_ar = "ج"',
            20,
            "actor 'biden': label_ar 'ج': the term has no word of two letters or digits",
        ),
    ],
)
def test_bad_actor_field_names(tmp_path, old, new, line, message):
    with pytest.raises(CodebookError) as info:
        load_codebook(write(tmp_path, MINIMAL.replace(old, new)))
    assert str(info.value).splitlines()[0].startswith(f"{tmp_path / 'cb.toml'}, line {line}: {message}")


# ------------------------------------------------------------------ the summary

def test_summary_has_keys_in_order_labels_and_actor_types(tmp_path):
    cb = load_codebook(write(tmp_path, MINIMAL))
    summary = cb.summary()
    assert summary == CodebookSummary(
        name="test",
        hash=cb.hash,
        topics=(CodebookEntry("ukraine", "أوكرانيا", "Ukraine"), CodebookEntry("cyber", "سيبراني", "Cyber")),
        actors=(
            CodebookEntry("biden", "جو بايدن", "Joe Biden", "person"),
            CodebookEntry("trump", "دونالد ترامب", "Donald Trump", "person"),
        ),
        statement_types=(
            CodebookEntry("concern", "قلق", "Concern"),
            CodebookEntry("support", "دعم", "Support"),
            CodebookEntry("denial", "نفي", "Denial"),
        ),
    )
    assert (summary.topic_keys, summary.actor_ids, summary.statement_type_keys) == (
        ["ukraine", "cyber"], ["biden", "trump"], ["concern", "support", "denial"])
    assert summary.labels("statement_type", lang="ar") == cb.labels("statement_type", lang="ar")
    assert summary_of(cb) is summary_of(summary) is summary
    assert CodebookSummary.from_json(summary.to_json(), name="test", hash=cb.hash) == summary


def test_a_summary_stored_before_actor_types_were_kept_reads():
    # runs.codebook as a store of the previous version wrote it: keys, and labels where known
    stored = ('{"topics": ["ukraine", "iran"], "actors": ["putin"], "statement_types": [], '
              '"labels": {"topics": {"ukraine": {"ar": "أوكرانيا", "en": "Ukraine"}}, "actors": {}, '
              '"statement_types": {}}}')
    summary = CodebookSummary.from_json(stored, name="old", hash="ab12", run_id=3)
    assert summary == CodebookSummary(
        name="old",
        hash="ab12",
        run_id=3,
        topics=(CodebookEntry("ukraine", "أوكرانيا", "Ukraine"), CodebookEntry("iran")),
        actors=(CodebookEntry("putin"),),
    )


def test_actor_is_constructed_with_the_shared_names():
    actor = Actor(key="kremlin", type="institution", label_ar="الكرملين", label_en="Kremlin")
    assert actor.names == ("الكرملين",) and actor.id == "kremlin"


# --- big and hostile codebooks ----------------------------------------------------------

_LETTERS = "بتثجحخدذرزسشصضطظعغفقكلمنهوي"


def _word(i: int, n: int = 4) -> str:
    """The i-th word of ``n`` letters (distinct for distinct i below 27**n)."""
    letters = []
    for _ in range(n):
        i, k = divmod(i, len(_LETTERS))
        letters.append(_LETTERS[k])
    return "".join(letters)


def big_codebook(n_topics: int, terms_per_topic: int, n_actors: int, aliases_per_actor: int) -> str:
    parts, k = ['[codebook]\nname = "big"\n'], 0
    for t in range(n_topics):
        terms = ",\n  ".join(f'"{_word(k + j)}"' for j in range(terms_per_topic))
        k += terms_per_topic
        parts.append(f'[[topics]]\nkey = "t{t}"\nlabel_ar = "موضوع"\nlabel_en = "Topic {t}"\n'
                     f"terms = [\n  {terms}\n]\n")
    for a in range(n_actors):
        aliases = ", ".join(f'"{_word(k + 1 + j, 5)}"' for j in range(aliases_per_actor))
        parts.append(f'[[actors]]\nid = "a{a}"\ntype = "person"\nname_ar = "{_word(k, 5)}"\n'
                     f'name_en = "Actor {a}"\naliases = [{aliases}]\n')
        k += 1 + aliases_per_actor
    return "\n".join(parts)


@pytest.mark.slow
def test_a_codebook_of_200000_terms_is_validated_in_linear_time(tmp_path):
    import subprocess
    import sys

    # 4 topics of 25,000 terms and 10,000 actors with a name and 9 aliases: 200,000 terms.
    # It took about 1.5 minutes while each term was looked up from its list's first line
    # and each entry from the file's first table; the time limit only guards against that
    # (figures: benchmarks/codebook_validation.py).
    text = big_codebook(4, 25_000, 10_000, 9)
    good = write(tmp_path, text)
    bad = tmp_path / "bad.toml"
    lines = text.splitlines()
    last_alias = max(i for i, line in enumerate(lines) if line.startswith("aliases"))
    first_alias = lines[last_alias].split('"')[1]
    lines[last_alias] = lines[last_alias].replace("]", f', "{first_alias}"]')  # listed twice
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = ("import sys; from workbench.codebook import load_codebook, CodebookError\n"
            "cb = load_codebook(sys.argv[1]); print(sum(len(t.terms) for t in cb.topics)"
            " + sum(len(a.names) for a in cb.actors))\n"
            "try:\n    load_codebook(sys.argv[2])\nexcept CodebookError as exc:\n    print(exc)\n")
    done = subprocess.run([sys.executable, "-c", code, str(good), str(bad)], capture_output=True,
                          text=True, timeout=45)
    assert done.returncode == 0, done.stderr
    count, message = done.stdout.split("\n", 1)
    assert count == "200000"
    # the problem is still found at its own line
    assert message.startswith(f"{bad}, line {last_alias + 1}: actor 'a9999': aliases entry "
                              f"{first_alias!r} is listed twice; keep one")


@pytest.mark.parametrize("nested", [
    "x = " + "[" * 3000 + "]" * 3000,
    "x = " + "{a = " * 3000 + "1" + "}" * 3000,
    "[codebook]\nname = 'n'\n\n[[topics]]\nkey = 'k'\nterms = " + "[" * 600 + '"قمة"' + "]" * 600,
])
def test_deeply_nested_toml_is_a_clear_error(tmp_path, nested):
    with pytest.raises(CodebookError) as info:
        load_codebook(write(tmp_path, nested))
    deep = nested.index("[" * 10 if "[" * 10 in nested else "{a = " * 10)
    line = nested.count("\n", 0, deep) + 1
    assert str(info.value).startswith(
        f"{tmp_path / 'cb.toml'}, line {line}: lists or tables are nested more than 20 deep; "
        "a codebook needs at most 3 levels (a list of terms inside an entry)")
