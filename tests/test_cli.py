"""Tests for workbench/cli.py: every subcommand through main([...]), user errors exit 2
with one message and no traceback, and the installed script once via subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from test_store import make_annotations, sid

from workbench.cli import main
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
    assert "wrote 8 file(s)" in capsys.readouterr().out
    assert len(pd.read_csv(out / "sentences.csv", **READ)) == 6
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["row_counts"]["mentions.csv"] == 5


def test_import_corrections_then_export_shows_manual(store_path, tmp_path, capsys):
    out = tmp_path / "out"
    main(["export", "--store", str(store_path), "--out", str(out)])
    edited = pd.read_csv(out / "sentences.csv", **READ)
    edited.loc[2, "topics"] = "iran,cyber"  # a spreadsheet in a locale that lists with ','
    edited.to_csv(tmp_path / "edited.csv", sep=";", index=False, encoding="utf-8")
    code = main(["import-corrections", str(tmp_path / "edited.csv"), "--store", str(store_path), "--annotator", "huda"])
    assert code == 0
    assert "journaled 1 correction(s)" in capsys.readouterr().out
    main(["export", "--store", str(store_path), "--out", str(out)])
    back = pd.read_csv(out / "sentences.csv", **READ)
    assert back.loc[2, ["topics", "source"]].tolist() == ["iran;cyber", "manual"]


def _bad_csv(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("sentence_id,topics\na:0000000000,iran\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("argv, message", [
    (["export", "--store", "{tmp}/missing.sqlite", "--out", "{tmp}/o"], "does not exist; create it with `workbench annotate"),
    (["import-corrections", "{tmp}/bad.csv", "--store", "{store}", "--annotator", "huda"],
     "row 2: unknown sentence_id 'a:0000000000'"),
    (["import-corrections", "{tmp}/none.csv", "--store", "{store}", "--annotator", "huda"], "file not found"),
    (["export", "--store", "{tmp}/bad.csv", "--out", "{tmp}/o"], "is not a workbench store"),
    (["annotate", "{tmp}", "--store", "{tmp}/new.sqlite", "--codebook", "{tmp}/none.toml"], "none.toml"),
    (["evaluate", "--gold", "{tmp}/none.csv", "--store", "{store}"], "gold file"),
])
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
        main(["export", "--out", "x"])
    assert info.value.code == 2
    assert "--store" in capsys.readouterr().err


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
    assert names == sorted(f"{n}.{ext}" for n in ("topic_counts", "topic_dispersion", "speaker_by_topic",
                                                   "cooccurrence", "cooccurrence_paragraph") for ext in ("png", "svg"))
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in out.glob("*.png"))
