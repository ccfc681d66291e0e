"""Tests for workbench/project.py: one settings file per project folder."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from workbench.project import SETTINGS_FILE, ProjectError, new_project, open_project

ROOT = Path(__file__).resolve().parents[1]


def test_the_seed_project_opens_from_the_repository_and_its_notebooks(monkeypatch):
    for where in (ROOT, ROOT / "notebooks", ROOT / "seeds"):
        monkeypatch.chdir(where)
        project = open_project()
        assert (project.name, project.folder) == ("seed", ROOT)
    assert project.articles == (ROOT / "seeds",)
    assert (project.store, project.exports, project.charts, project.corrections) == (
        ROOT / "workbench.sqlite",
        ROOT / "exports",
        ROOT / "charts",
        ROOT / "corrections",
    )
    assert (project.codebook, project.labels, project.kwic_terms) == (None, "both", ("الكرملين", "أوكرانيا"))


def test_new_project_in_one_step_opens_from_its_own_notebooks(tmp_path, monkeypatch):
    articles = tmp_path / "mine"
    articles.mkdir()
    (articles / "a.txt").write_text("عنوان\nقال بوتين كلاما.\n", encoding="utf-8")
    project = new_project(articles, kwic_terms=["بوتين"])
    assert project.folder == articles and project.articles == (articles,)
    assert project.store == articles / "workbench.sqlite" and project.corrections.is_dir()
    assert sorted(p.name for p in (articles / "notebooks").iterdir()) == [
        "01_annotate.ipynb",
        "02_review.ipynb",
        "03_tables.ipynb",
        "04_charts.ipynb",
        "05_outlets.ipynb",
    ]
    monkeypatch.chdir(articles / "notebooks")
    assert open_project() == project
    assert open_project(articles) == project == open_project(articles / SETTINGS_FILE)
    assert [d.doc_id for d in project.load_corpus()] == ["a"]
    with project.open_store() as store:
        assert store.path == articles / "workbench.sqlite"


def test_new_project_with_articles_elsewhere_and_its_settings(tmp_path):
    (tmp_path / "articles").mkdir()
    project = new_project(
        tmp_path / "p", articles=[tmp_path / "articles"], name="قمة", labels="ar", notebooks=False
    )
    text = (tmp_path / "p" / SETTINGS_FILE).read_text(encoding="utf-8")
    assert f'articles = ["{tmp_path / "articles"}"]' in text
    assert 'name = "قمة"' in text and 'labels = "ar"' in text and "store_timeout = 30.0" in text
    assert (project.name, project.labels, project.articles) == ("قمة", "ar", (tmp_path / "articles",))
    assert not (tmp_path / "p" / "notebooks").exists()


@pytest.mark.parametrize(
    "settings, message",
    [
        (
            'store = "../other/workbench.sqlite"',
            "`store` = '../other/workbench.sqlite' is outside the project folder",
        ),
        ('exports = "/tmp/x"', "`exports` = '/tmp/x' is outside the project folder"),
        ('store = "inner/workbench.sqlite"', "lies inside another project"),
        ('stor = "x.sqlite"', "unknown setting(s) 'stor'; the settings are name, articles"),
        ('labels = "fr"', "`labels` value = 'fr' is invalid in"),
        ("kwic_terms = [1]", "`kwic_terms` must be a list of non-empty strings"),
        ("store = 3", "`store` must be a string in quotes, not 3"),
        ('store = ""', "`store` is empty"),
        ("store_timeout = 0", "`store_timeout` must be a number of seconds above 0, not 0"),
        ("store = [", "not valid TOML"),
    ],
)
def test_bad_settings_name_the_file_and_the_setting(tmp_path, settings, message):
    (tmp_path / "inner").mkdir()
    (tmp_path / "inner" / SETTINGS_FILE).write_text("", encoding="utf-8")
    (tmp_path / SETTINGS_FILE).write_text(settings + "\n", encoding="utf-8")
    with pytest.raises(ProjectError, match=re.escape(message)) as err:
        open_project(tmp_path)
    assert str(tmp_path / SETTINGS_FILE) in str(err.value)


def test_no_project_here_says_how_to_make_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ProjectError, match="make a project with `workbench new-project FOLDER`"):
        open_project()
    with pytest.raises(ProjectError, match=re.escape(f"{tmp_path} is not a project")):
        open_project(tmp_path)


def test_a_project_is_never_made_over_or_inside_another(tmp_path):
    new_project(tmp_path / "a", notebooks=False)
    with pytest.raises(ProjectError, match="is a project already"):
        new_project(tmp_path / "a")
    with pytest.raises(ProjectError, match="lies among the articles of project 'a'"):
        new_project(tmp_path / "a" / "sub")
    with pytest.raises(ProjectError, match="lies among the articles of project 'seed'"):
        new_project(ROOT / "seeds" / "mine")
    assert not (ROOT / "seeds" / "mine").exists()
    with pytest.raises(ProjectError, match="articles 'nowhere' not found"):
        new_project(tmp_path / "b", articles=tmp_path / "b" / "nowhere")
    assert os.listdir(tmp_path) == ["a"]
