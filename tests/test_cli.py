"""Tests for workbench/cli.py: every subcommand through main([...]), user errors exit 2
with one message and no traceback, and the installed script once via subprocess."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import make_annotations, sid

from workbench.cli import main
from workbench.codebook import load_codebook
from workbench.store import Store

ROOT = Path(__file__).resolve().parents[1]
READ = {"encoding": "utf-8-sig", "keep_default_na": False}


@pytest.fixture
def store_path(tmp_path):
    path = tmp_path / "s.sqlite"
    with Store(path) as store:
        store.save_annotations(make_annotations())
    return path


def test_export(store_path, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["export", "--store", str(store_path), "--out", str(out)]) == 0
    assert "wrote 22 file(s)" in capsys.readouterr().out  # 8, and the 14 comparing outlets
    assert main(["export", "--store", str(store_path), "--out", str(tmp_path / "lean"), "--no-compare"]) == 0
    assert "wrote 8 file(s)" in capsys.readouterr().out
    assert len(pd.read_csv(out / "sentences.csv", **READ)) == 6
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["row_counts"]["mentions.csv"] == 5


def test_import_corrections_then_export_shows_manual(store_path, tmp_path, capsys):
    out = tmp_path / "out"
    main(["export", "--store", str(store_path), "--out", str(out)])
    edited = pd.read_csv(out / "sentences.csv", **READ)
    edited.loc[2, "topics"] = "iran,cyber"  # a spreadsheet in a locale that lists with ','
    edited.to_csv(tmp_path / "edited.csv", sep=";", index=False, encoding="utf-8")
    code = main(
        [
            "import-corrections",
            str(tmp_path / "edited.csv"),
            "--store",
            str(store_path),
            "--annotator",
            "huda",
        ]
    )
    assert code == 0
    assert "journaled 1 correction(s)" in capsys.readouterr().out
    main(["export", "--store", str(store_path), "--out", str(out)])
    back = pd.read_csv(out / "sentences.csv", **READ)
    assert back.loc[2, ["topics", "source"]].tolist() == ["iran;cyber", "manual"]


def test_import_an_old_export_keeps_later_corrections_and_reports_conflicts(store_path, tmp_path, capsys):
    out = tmp_path / "out"
    main(["export", "--store", str(store_path), "--out", str(out)])
    with Store(store_path) as store:  # corrections made after the export
        store.correct(sid(store, "b", 0), "topics", "remove", "cyber", annotator="omar")
        store.correct(sid(store, "a", 1), "speaker", "set", "putin", annotator="omar")
    edited = pd.read_csv(out / "sentences.csv", dtype=str, **READ)
    edited.loc[3, "speaker"] = "putin"
    edited.loc[1, "speaker"] = "biden"  # omar changed this cell too
    edited["comment"] = ""
    path = tmp_path / "edited.csv"
    edited.to_csv(path, sep=";", index=False, encoding="utf-8")
    capsys.readouterr()
    assert main(["import-corrections", str(path), "--store", str(store_path), "--annotator", "huda"]) == 0
    assert capsys.readouterr().out == (
        f"journaled 2 correction(s) from {path} by 'huda' into {store_path}\n"
        f"  warning: {path}: column(s) ['comment'] ignored: they are not sentences.csv columns (the ones "
        "imported are ['topics', 'actors', 'speaker', 'statement_type', 'note', 'reviewed', 'furniture'])\n"
        "  1 cell(s) were also changed by someone else after the export; the file's value was applied:\n"
        f"  conflict: {path} row 3, speaker: 'biden' (the file) replaced 'putin'\n"
    )
    with Store(store_path) as store:
        assert store.sentences()["topics"].tolist()[4] == ""  # omar's removal stands
        assert store.sentences()["speaker"].tolist()[1] == "biden"


def test_import_a_folder_and_a_file_without_as_of(store_path, tmp_path, capsys):
    folder = tmp_path / "corrections"
    folder.mkdir()
    with Store(store_path) as store:
        frame = store.sentences()
    frame.loc[2, "note"] = "راجع"
    frame.to_csv(folder / "from_elsewhere.csv", index=False, encoding="utf-8")
    argv = ["import-corrections", str(folder), "--store", str(store_path), "--annotator", "huda"]
    assert main(argv) == 0
    assert capsys.readouterr().out == (
        f"journaled 1 correction(s) from {folder} by 'huda' into {store_path}\n"
        f"  warning: {folder / 'from_elsewhere.csv'}: no 'as_of' column (files written by `workbench "
        f"export` have "
        "one), so it was compared with the current view: a cell changed in the store since this file was "
        "made, "
        "and not in the file, is set back to the file's value\n"
    )
    assert main(argv) == 0
    assert capsys.readouterr().out.startswith("journaled 0 correction(s)")


def _bad_csv(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("sentence_id,topics\na:0000000000,iran\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "argv, message",
    [
        (
            ["export", "--store", "{tmp}/missing.sqlite", "--out", "{tmp}/o"],
            "does not exist; create it with `workbench annotate",
        ),
        (
            ["import-corrections", "{tmp}/bad.csv", "--store", "{store}", "--annotator", "huda"],
            "row 2: unknown sentence_id 'a:0000000000'",
        ),
        (
            ["import-corrections", "{tmp}/none.csv", "--store", "{store}", "--annotator", "huda"],
            "none.csv: no such file or folder; give an edited sentences.csv, or a folder of them",
        ),
        (["export", "--store", "{tmp}/bad.csv", "--out", "{tmp}/o"], "is not a workbench store"),
        (["annotate", "{tmp}", "--store", "{tmp}/new.sqlite", "--codebook", "{tmp}/none.toml"], "none.toml"),
        (["evaluate", "--gold", "{tmp}/none.csv", "--store", "{store}"], "gold file"),
    ],
)
def test_user_errors_exit_2_with_one_message(store_path, tmp_path, capsys, argv, message):
    _bad_csv(tmp_path)
    argv = [a.format(tmp=tmp_path, store=store_path) for a in argv]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"workbench {argv[0]}: error: ")
    assert message in captured.err and "Traceback" not in captured.err
    assert len(Store(store_path).journal()) == 0


def test_missing_arguments_are_argparse_errors(capsys):
    with pytest.raises(SystemExit) as info:
        main(["evaluate", "--store", "x.sqlite"])
    assert info.value.code == 2
    assert "--gold" in capsys.readouterr().err


def test_no_store_and_no_project_here_says_how_to_make_one(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--out", "x"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("workbench export: error: no workbench.toml in ")
    assert "make a project with `workbench new-project FOLDER`" in err


def test_a_new_project_in_one_command_then_every_command_reads_it(tmp_path, monkeypatch, capsys):
    mine = tmp_path / "mine"
    mine.mkdir()
    shutil.copy(ROOT / "seeds" / "000_45f5abd8640658e2.txt", mine / "report.txt")
    assert main(["new-project", str(mine)]) == 0
    assert f"made project 'mine' in {mine}" in capsys.readouterr().out
    assert main(["annotate", "--project", str(mine)]) == 0
    assert f"into {mine / 'workbench.sqlite'}" in capsys.readouterr().out
    monkeypatch.chdir(mine / "notebooks")  # no --project: the project of the current folder
    assert main(["export"]) == 0 and main(["charts"]) == 0
    assert (mine / "exports" / "sentences.csv").is_file() and any((mine / "charts").glob("*.png"))
    assert main(["import-corrections", "--annotator", "huda"]) == 0
    assert "journaled 0 correction(s) from " + str(mine / "corrections") in capsys.readouterr().out
    assert not (ROOT / "seeds" / "workbench.sqlite").exists()


def test_installed_script(store_path, tmp_path):
    script = ROOT / ".venv" / "bin" / "workbench"
    ok = subprocess.run([str(script), "export", "--store", str(store_path), "--out", str(tmp_path / "o")],
                        capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "o" / "sentences.csv").exists()
    bad = subprocess.run([str(script), "export", "--store", str(tmp_path / "missing.sqlite"), "--out", "o"],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and "does not exist" in bad.stderr


def test_charts(store_path, tmp_path, capsys):
    out = tmp_path / "charts"
    assert main(["charts", "--store", str(store_path), "--out", str(out), "--labels", "en"]) == 0
    assert "wrote 10 chart file(s)" in capsys.readouterr().out
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        f"{n}.{ext}"
        for n in (
            "topic_counts",
            "topic_dispersion",
            "speaker_by_topic",
            "cooccurrence",
            "cooccurrence_paragraph",
        )
        for ext in ("png", "svg")
    )
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in out.glob("*.png"))


# --------------------------------------------------------------------------- on the seed

SEED = ROOT / "seeds" / "000_45f5abd8640658e2.txt"
GOLD = ROOT / "tests" / "data" / "gold" / "000_45f5abd8640658e2.csv"
MARKET = "هذه القمة كان لها أثر مباشر في السوق الروسية، إذ سجّلت نمواً في إثر مباحثات بوتين وبايدن."


@pytest.fixture
def seed_dir(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    return folder


def test_annotate_seed_summary_and_store(seed_dir, tmp_path, capsys):
    from workbench.annotate import annotate
    from workbench.corpus import load_corpus

    store = tmp_path / "s.sqlite"
    assert main(["annotate", str(seed_dir), "--store", str(store)]) == 0
    ann = annotate(load_corpus(seed_dir))
    out = capsys.readouterr().out
    assert out.startswith(
        f"annotated 1 document(s), 20 sentence(s), {len(ann.mentions)} mention(s) into {store} (run 1"
    )
    assert "; 0 problem(s)" in out
    with Store(store) as s:
        sentences, mentions = s.view()
        expected = ann.sentences.assign(note="")[sentences.columns]
        pd.testing.assert_frame_equal(sentences, expected)
        pd.testing.assert_frame_equal(mentions, ann.mentions.sort_values(["doc_id", "start"], kind="stable")
                                      .reset_index(drop=True))
        assert s.codebook().hash == ann.codebook.hash


def test_corrections_from_panel_and_spreadsheet_survive_reannotation(seed_dir, tmp_path, capsys):
    from workbench.widgets import ReviewPanel

    store, out = tmp_path / "s.sqlite", tmp_path / "out"
    main(["annotate", str(seed_dir), "--store", str(store)])
    with Store(store) as s:
        title = s.sentence_ids()[0]
        panel = ReviewPanel(s, annotator="huda")  # opens on the title
        panel.topic_toggles["cyber"].value = True
        assert s.journal()[["sentence_id", "field", "action", "value"]].values.tolist() == [
            [title, "topics", "add", "cyber"]]
    main(["export", "--store", str(store), "--out", str(out)])
    edited = pd.read_csv(out / "sentences.csv", encoding="utf-8-sig", keep_default_na=False, dtype=str)
    market = edited.index[edited["text"] == MARKET][0]
    edited.loc[market, "note"] = "أخبار السوق: لا موضوع"
    edited.loc[market, "reviewed"] = "TRUE"
    edited.to_csv(tmp_path / "edited.csv", sep=";", index=False, encoding="utf-8")  # no BOM, ';'
    assert (
        main(
            ["import-corrections", str(tmp_path / "edited.csv"), "--store", str(store), "--annotator", "omar"]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["annotate", str(seed_dir), "--store", str(store)]) == 0
    assert "3 journal entries kept; 0 refer to sentences that no longer exist" in capsys.readouterr().out
    main(["export", "--store", str(store), "--out", str(out)])
    back = pd.read_csv(out / "sentences.csv", encoding="utf-8-sig", keep_default_na=False)
    manual = back[back["source"] == "manual"]
    assert manual[["text", "topics", "reviewed", "note"]].values.tolist() == [
        [back.loc[0, "text"], "ukraine;iran;cyber;strategic_stability", False, ""],
        [MARKET, "", True, "أخبار السوق: لا موضوع"],
    ]
    assert (back["source"] == "auto").sum() == 18


def test_changed_article_orphans_corrections(seed_dir, tmp_path, capsys):
    store = tmp_path / "s.sqlite"
    main(["annotate", str(seed_dir), "--store", str(store)])
    with Store(store) as s:
        market = s.sentence_ids()[4]
        assert s.sentence_record(market)["text"] == MARKET
        s.correct(market, "reviewed", "set", True, annotator="huda")
    article = seed_dir / SEED.name
    article.write_text(article.read_text(encoding="utf-8").replace("نمواً", "نمواً ملحوظاً"), encoding="utf-8")
    capsys.readouterr()
    assert main(["annotate", str(seed_dir), "--store", str(store)]) == 0
    assert "1 journal entry kept; 1 refer to sentences that no longer exist" in capsys.readouterr().out
    with Store(store) as s:
        assert s.orphaned_corrections()["sentence_id"].tolist() == [market]
        assert s.sentence_count() == 20 and market not in s.sentence_ids()


def test_evaluate_seed_against_gold(seed_dir, tmp_path, capsys):
    from workbench.evaluate import evaluate, format_report

    store = tmp_path / "s.sqlite"
    main(["annotate", str(seed_dir), "--store", str(store)])
    capsys.readouterr()
    assert main(["evaluate", "--gold", str(GOLD), "--store", str(store)]) == 0
    gold = pd.read_csv(GOLD, encoding="utf-8-sig", keep_default_na=False, dtype=str)
    with Store(store) as s:
        expected = format_report(evaluate(gold, s.sentences()))
    assert capsys.readouterr().out == expected + "\n"
    assert "ukraine" in expected


@pytest.mark.parametrize("content, message", [
    ("[[topics]]\nkey = 'x'\n", "bad.toml"),
    ("this is not toml = = =", "bad.toml"),
])
def test_bad_codebook_exits_2(seed_dir, tmp_path, capsys, content, message):
    codebook = tmp_path / "bad.toml"
    codebook.write_text(content, encoding="utf-8")
    assert (
        main(["annotate", str(seed_dir), "--store", str(tmp_path / "s.sqlite"), "--codebook", str(codebook)])
        == 2
    )
    err = capsys.readouterr().err
    assert err.startswith("workbench annotate: error: ") and message in err and "Traceback" not in err
    assert not (tmp_path / "s.sqlite").exists()


def test_annotate_reports_corrections_whose_keys_the_new_codebook_lacks(seed_dir, tmp_path, capsys):
    store = tmp_path / "s.sqlite"
    assert main(["annotate", str(seed_dir), "--store", str(store)]) == 0
    with Store(store) as s:
        s.correct(s.sentence_ids()[4], "topics", "add", "cyber", annotator="huda")
    renamed = tmp_path / "renamed.toml"
    default = (ROOT / "workbench" / "data" / "codebook.toml").read_text(encoding="utf-8")
    renamed.write_text(default.replace('key = "cyber"', 'key = "cyber_security"'), encoding="utf-8")
    capsys.readouterr()
    assert main(["annotate", str(seed_dir), "--store", str(store), "--codebook", str(renamed)]) == 0
    out = capsys.readouterr().out
    assert "1 correction(s) name keys this codebook no longer has" in out
    with Store(store) as s:
        assert s.journal()["value"].tolist() == ["cyber"]  # kept, not dropped


def test_annotate_reports_an_unreadable_file_and_goes_on(seed_dir, tmp_path, capsys):
    (seed_dir / "cp1256.txt").write_bytes("قمة بوتين".encode("cp1256"))
    assert main(["annotate", str(seed_dir), "--store", str(tmp_path / "s.sqlite")]) == 0
    out = capsys.readouterr().out
    assert "annotated 1 document(s)" in out
    assert "cp1256.txt: skipped: not UTF-8 text (first bad byte" in out


def test_evaluate_paragraph_level_gold_folder_per_outlet(tmp_path, capsys):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "x1.txt").write_text("بوتين يحذر من التصعيد\nقال لافروف إن إيران شريك.\n",
                                     encoding="utf-8")
    (articles / "x2.txt").write_text("بايدن يدعو إلى الحوار\nوتعرضت شركات لهجمات إلكترونية.\n",
                                     encoding="utf-8")
    (articles / "metadata.csv").write_text("doc_id,outlet\nx1,وكالة أ\nx2,صحيفة ب\n", encoding="utf-8")
    gold = tmp_path / "gold"
    gold.mkdir()
    head = "doc_id,paragraph,furniture,topics,speaker,statement_type,excerpt,note\n"
    (gold / "x1.csv").write_text(head + "x1,0,,,putin,,بوتين يحذر,\nx1,1,,iran,lavrov,,قال لافروف,\n",
                                 encoding="utf-8-sig")
    (gold / "x2.csv").write_text(head + "x2,0,,,biden,,بايدن يدعو,\nx2,1,,cyber,,,وتعرضت شركات,\n",
                                 encoding="utf-8-sig")
    store = tmp_path / "s.sqlite"
    assert main(["annotate", str(articles), "--store", str(store)]) == 0
    capsys.readouterr()
    assert main(["evaluate", "--gold", str(gold), "--store", str(store)]) == 0
    rows = [line.split() for line in capsys.readouterr().out.strip().split("\n")]
    assert rows[0] == ["outlet", "measure", "key", "precision", "recall", "f1", "support", "accuracy"]
    by = {tuple(r[:-5]): r[-5:] for r in rows[1:]}
    assert by[("(all)", "topic", "micro")] == ["1.000", "1.000", "1.000", "2", "-"]
    assert by[("(all)", "speaker", "all")] == ["1.000", "1.000", "1.000", "3", "1.000"]
    assert by[("وكالة", "أ", "speaker", "all")] == ["1.000", "1.000", "1.000", "2", "1.000"]
    assert by[("صحيفة", "ب", "topic", "micro")] == ["1.000", "1.000", "1.000", "1", "-"]


@pytest.mark.parametrize("fmt, names", [
    ("xlsx", ["s.xlsx"]),
    ("qdpx", ["s.qdpx"]),
    ("qdc", ["codebook.qdc"]),
    ("csv", ["cooccurrence.csv", "manifest.json", "mentions.csv", "sentences.csv", "speaker_by_topic.csv",
             "statements.csv", "topic_by_paragraph.csv", "topic_counts.csv"]),
])
def test_export_formats(store_path, tmp_path, capsys, fmt, names):
    out = tmp_path / "out"
    command = ["export", "--store", str(store_path), "--out", str(out), "--format", fmt, "--no-compare"]
    assert main(command) == 0
    assert sorted(p.name for p in out.iterdir()) == names
    assert f"wrote {len(names)} file(s) to {out}" in capsys.readouterr().out


def test_import_codebook_from_an_exported_qdc(store_path, tmp_path, capsys):
    main(["export", "--store", str(store_path), "--out", str(tmp_path), "--format", "qdc"])
    capsys.readouterr()
    out = tmp_path / "mine.toml"
    assert main(["import-codebook", str(tmp_path / "codebook.qdc"), "--out", str(out)]) == 0
    assert f"wrote {out}: 4 topic(s) from the codes of" in capsys.readouterr().out
    assert out.read_text(encoding="utf-8").count("[[topics]]") == 4
    assert main(["import-codebook", str(tmp_path / "codebook.qdc"), "--out", str(out)]) == 2  # not replaced
    assert "exists already" in capsys.readouterr().err
    assert main(["import-codebook", str(tmp_path / "codebook.qdc"), "--out", str(out), "--force"]) == 0


def test_a_starting_codebook_from_a_qdc_annotates_and_says_which_topics_have_no_terms(
    store_path, seed_dir, tmp_path, capsys
):
    main(["export", "--store", str(store_path), "--out", str(tmp_path), "--format", "qdc"])
    mine = tmp_path / "mine.toml"
    main(["import-codebook", str(tmp_path / "codebook.qdc"), "--out", str(mine)])
    capsys.readouterr()
    new_store = tmp_path / "new.sqlite"
    assert main(["annotate", str(seed_dir), "--store", str(new_store), "--codebook", str(mine)]) == 0
    out = capsys.readouterr().out
    assert "have no terms yet" in out and "only by hand" in out
    with Store(new_store) as store:
        assert store.codebook().topic_keys == load_codebook(mine).topic_keys
        assert set(store.sentences()["topics"]) == {""}  # nothing raised automatically


def test_the_command_line_parser_imports_no_pandas():
    code = ("import sys; from workbench.cli import build_parser; build_parser(); "
            "print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"  # `workbench --help` stays quick


def test_import_codebook_bad_file_is_one_message(tmp_path, capsys):
    bad = tmp_path / "bad.qdc"
    bad.write_text('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>', encoding="utf-8")
    assert main(["import-codebook", str(bad), "--out", str(tmp_path / "x.toml")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"workbench import-codebook: error: {bad}: 1 problem(s):\n  line 1: ")
    assert "Traceback" not in err and not (tmp_path / "x.toml").exists()


def test_import_corrections_from_an_edited_workbook(store_path, tmp_path, capsys):
    import openpyxl

    main(["export", "--store", str(store_path), "--out", str(tmp_path), "--format", "xlsx"])
    book = openpyxl.load_workbook(tmp_path / "s.xlsx")
    sheet = book["sentences"]
    header = [c.value for c in sheet[1]]
    sheet.cell(3, header.index("note") + 1).value = "راجِع المصدر"
    book.save(tmp_path / "edited.xlsx")
    capsys.readouterr()
    code = main(["import-corrections", str(tmp_path / "edited.xlsx"), "--store", str(store_path),
                 "--annotator", "huda"])
    assert code == 0 and "journaled 1 correction(s)" in capsys.readouterr().out
    with Store(store_path) as store:
        assert store.view()[0].set_index("sentence_id").loc[sid(store, "a", 1), "note"] == "راجِع المصدر"


def test_compare(tmp_path, capsys):
    import workbench as wb

    store = tmp_path / "outlets.sqlite"
    with Store(store) as s:
        s.save_annotations(wb.annotate(wb.load_corpus(ROOT / "tests" / "data" / "outlets" / "articles")))
    out = tmp_path / "compare"
    assert main(["compare", "--store", str(store), "--out", str(out), "--labels", "ar", "--no-charts"]) == 0
    printed = capsys.readouterr().out
    truth = json.loads((ROOT / "tests" / "data" / "outlets" / "truth.json").read_text(encoding="utf-8"))
    carriers = len({c["doc_id"] for p in truth["passages"] for c in p["carriers"]})
    assert printed.splitlines()[0].startswith(
        f"32 reused passage(s) shared by {carriers} of 46 article(s), 1 near-duplicate pair(s); "
        "wrote 14 table(s)")
    assert "near-duplicate: nafitha_03 and nafitha_04" in printed
    manifest = json.loads((out / "comparison.json").read_text(encoding="utf-8"))
    assert manifest["reused"] == "all" and manifest["charts"] == []
    assert manifest["tables"]["reuse_clusters.csv"]["rows"] == 32
    assert "speaker_ar" in pd.read_csv(out / "outlet_speakers.csv", **READ).columns


def test_compare_needs_an_annotated_store(tmp_path, capsys):
    Store(tmp_path / "empty.sqlite").close()
    assert main(["compare", "--store", str(tmp_path / "empty.sqlite"), "--out", str(tmp_path / "o")]) == 2
    assert "holds no annotated sentences yet" in capsys.readouterr().err
