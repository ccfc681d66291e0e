"""Every notebook runs top to bottom, headless, on a temporary copy of the project."""

import json
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CORRECTED: list[str] = []  # the sentence corrected in a spreadsheet before 02 runs


def test_the_five_notebooks_exist_in_order():
    assert [p.name for p in NOTEBOOKS] == [
        "01_annotate.ipynb", "02_review.ipynb", "03_tables.ipynb", "04_charts.ipynb",
        "05_outlets.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs_and_has_one_parameters_cell(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    tagged = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    assert nb["cells"][0]["cell_type"] == "markdown" and "".join(nb["cells"][0]["source"]).startswith("# ")
    text = "".join("".join(c["source"]) for c in code)
    for forbidden in ("def ", "pip install", "/work/", "/home/", "/tmp/", "class "):
        assert forbidden not in text, f"{path.name} contains {forbidden!r}"


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory):
    """A copy of the seed project (workbench.toml, notebooks/, seeds/, corrections/), run in order."""
    root = tmp_path_factory.mktemp("project")
    for folder in ("notebooks", "seeds", "corrections"):
        shutil.copytree(ROOT / folder, root / folder)
    shutil.copy(ROOT / "workbench.toml", root / "workbench.toml")
    return root


def run_notebook(path: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    errors = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert not errors, f"{path.name}: {errors[0].get('ename')}: {errors[0].get('evalue')}"
    return nb


def correct_in_a_spreadsheet(root: Path) -> str:
    """What an analyst does between 01 and 02: export, edit one cell, save into corrections/."""
    from workbench.export import export
    from workbench.store import Store

    with Store(root / "workbench.sqlite") as store:
        sentences = export(store, root / "exports")["sentences"]
    table = pd.read_csv(sentences, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    row = table.index[table["paragraph"] == "4"][0]  # the market-news sentence: no topic
    assert table.at[row, "topics"] == ""
    table.at[row, "topics"] = "ukraine"
    table.to_csv(root / "corrections" / "market.csv", index=False, encoding="utf-8-sig")
    return table.at[row, "sentence_id"]


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_headless(project_copy, path):
    # Run in order (01 creates the store that the later ones read), as an analyst would.
    if path.name == "02_review.ipynb":
        CORRECTED.append(correct_in_a_spreadsheet(project_copy))
    nb = run_notebook(project_copy / "notebooks" / path.name)
    shown = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert shown, f"{path.name} displayed nothing"
    nbformat.write(nb, project_copy / "notebooks" / path.name)


@pytest.mark.slow
def test_a_spreadsheet_correction_reaches_the_exported_csv(project_copy):
    # 02 imported corrections/market.csv; 03 exported the tables again
    exported = pd.read_csv(
        project_copy / "exports" / "sentences.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False
    ).set_index("sentence_id")
    [corrected] = CORRECTED
    row = exported.loc[corrected]
    assert (row["topics"], row["source"]) == ("ukraine", "manual")
    assert (exported.drop(index=corrected)["source"] == "auto").all()


@pytest.mark.slow
def test_the_outlets_notebook_finds_the_planted_reuse(tmp_path):
    # the outlets corpus made a project in one step; its 01 and 05 run unchanged, and 05 exports
    # the comparison: every planted passage at its exact spans, no other cluster
    from workbench.project import new_project

    shutil.copytree(ROOT / "tests" / "data" / "outlets" / "articles", tmp_path / "outlets" / "articles")
    project = new_project(tmp_path / "outlets", articles=tmp_path / "outlets" / "articles")
    for name in ("01_annotate.ipynb", "05_outlets.ipynb"):
        run_notebook(project.folder / "notebooks" / name)
    out = project.exports / "outlets"
    spans = pd.read_csv(out / "reuse_spans.csv", encoding="utf-8-sig", keep_default_na=False,
                        dtype={"doc_id": str, "text": str})
    found = {frozenset(zip(part["doc_id"], part["start"], part["end"], strict=True))
             for _, part in spans.groupby("cluster")}
    truth = json.loads((ROOT / "tests" / "data" / "outlets" / "truth.json").read_text(encoding="utf-8"))
    planted = {frozenset((c["doc_id"], c["start"], c["end"]) for c in p["carriers"])
               for p in truth["passages"]}
    assert found == planted
    near = pd.read_csv(out / "reuse_near_duplicates.csv", encoding="utf-8-sig", keep_default_na=False)
    assert near[["doc_id_a", "doc_id_b"]].values.tolist() == truth["near_duplicates"]
    manifest = json.loads((out / "comparison.json").read_text(encoding="utf-8"))
    assert "outlet_topics.png" in manifest["charts"]


# A folder of one's own: four short articles from two invented outlets (written for this test).
MY_ARTICLES = {
    "nahar_01.txt": (
        "لقاء في جنيف بشأن أوكرانيا\n\n"
        "قال وزير الخارجية الروسي سيرغي لافروف إن موسكو تنتظر ردا مكتوبا على مقترحاتها الأمنية.\n\n"
        "وأضاف أن الحوار حول أوكرانيا يجب أن يبقى مفتوحا بين الطرفين.\n"
    ),
    "nahar_02.txt": (
        "الكرملين يعلق على اتفاقات مينسك\n\n"
        "أكد المتحدث باسم الكرملين دميتري بيسكوف أن تنفيذ اتفاقات مينسك هو الطريق الوحيد للتهدئة.\n\n"
        "وذكرت الصحيفة أن الاجتماع المقبل لم يحدد موعده بعد.\n"
    ),
    "sahil_01.txt": (
        "واشنطن تحذر من هجمات إلكترونية\n\n"
        "حذر الرئيس الأميركي جو بايدن من أن الهجمات السيبرانية على المرافق العامة خط أحمر.\n\n"
        "قال وزير الخارجية الروسي سيرغي لافروف إن موسكو تنتظر ردا مكتوبا على مقترحاتها الأمنية.\n"
    ),
    "sahil_02.txt": (
        "مباحثات حول الملف النووي الإيراني\n\n"
        "قال المتحدث باسم الكرملين دميتري بيسكوف إن موسكو تدعم العودة إلى الاتفاق النووي مع إيران.\n"
    ),
}
MY_METADATA = (
    "doc_id,date,outlet,url,title\n"
    "nahar_01,2022-02-01,صحيفة النهار الجديد,,\n"
    "nahar_02,2022-02-03,صحيفة النهار الجديد,,\n"
    "sahil_01,2022-02-02,موقع الساحل,,\n"
    "sahil_02,2022-02-08,موقع الساحل,,\n"
)


@pytest.mark.slow
def test_the_notebooks_run_unchanged_on_a_project_made_in_one_step(tmp_path):
    """One command makes a project of one's own folder; its copied notebooks (01–05) then run
    as they are, write only into that folder, and never touch the seed project's store."""
    import subprocess
    import sys

    from workbench.project import open_project
    from workbench.store import Store

    mine = tmp_path / "mine"
    mine.mkdir()
    for name, text in MY_ARTICLES.items():
        (mine / name).write_text(text, encoding="utf-8")
    (mine / "metadata.csv").write_text(MY_METADATA, encoding="utf-8")
    seed_store = ROOT / "workbench.sqlite"
    seed_before = seed_store.stat().st_mtime_ns if seed_store.exists() else None
    command = [str(Path(sys.executable).with_name("workbench")), "new-project", str(mine)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    project = open_project(mine)
    names = [p.name for p in NOTEBOOKS]
    assert sorted(p.name for p in (mine / "notebooks").glob("*.ipynb")) == names
    for name in names:
        assert (mine / "notebooks" / name).read_bytes() == (ROOT / "notebooks" / name).read_bytes()
        run_notebook(mine / "notebooks" / name)
    with Store(project.store, create=False) as store:
        assert sorted(store.documents()["doc_id"]) == sorted(n.removesuffix(".txt") for n in MY_ARTICLES)
    assert (project.exports / "sentences.csv").is_file() and any(project.charts.glob("*.png"))
    manifest = json.loads((project.exports / "outlets" / "comparison.json").read_text(encoding="utf-8"))
    assert manifest["tables"]["reuse_clusters.csv"]["rows"] == 1  # the statement both outlets ran
    assert (seed_store.stat().st_mtime_ns if seed_store.exists() else None) == seed_before
