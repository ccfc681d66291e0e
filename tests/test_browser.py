"""The review panel in a real browser: JupyterLab in headless Chromium, driven by Playwright.

The test starts the project's own ``jupyter lab`` on a free loopback port with a token
and throw-away config / data / runtime / settings / workspace folders (nothing of the
user's config is read, nothing is fetched from the network), opens a review notebook,
runs all its cells from the Run menu, clicks a topic toggle and "next" in the rendered
panel, and checks that the store's journal holds exactly that correction.

Screenshots of the panel go to ``test-artifacts/`` (git-ignored). Chromium is Debian's
``/usr/bin/chromium`` (``make browser-deps`` installs it); no browser is downloaded.
"""

from __future__ import annotations

import html
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from workbench.store import Store
from workbench.widgets import highlight_html

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]
ANNOTATOR = "browser-test"
NOTEBOOK = "review.ipynb"
STORE = "review.sqlite"

# The notebook the browser opens: the seed corpus annotated into a store, and the panel.
CELLS = [
    ("markdown", "# Review panel (browser test)\n\nBuilt by `tests/test_browser.py`."),
    ("code", f'CORPUS = "seeds/"\nSTORE = "{STORE}"\nANNOTATOR = "{ANNOTATOR}"', ["parameters"]),
    ("code", "import workbench as wb\n\ncorpus = wb.load_corpus(CORPUS)\nstore = wb.Store(STORE)\n"
             "store.save_annotations(wb.annotate(corpus))"),
    ("code", "panel = wb.ReviewPanel(store, annotator=ANNOTATOR)\npanel"),
]


def write_notebook(path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    for kind, source, *tags in CELLS:
        cell = nbformat.v4.new_markdown_cell(source) if kind == "markdown" else nbformat.v4.new_code_cell(source)
        if tags:
            cell.metadata["tags"] = tags[0]
        nb.cells.append(cell)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nbformat.write(nb, path)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Lab:
    url: str
    root_dir: Path
    log: Path


@pytest.fixture
def lab(tmp_path) -> Iterator[Lab]:
    """``jupyter lab`` from this environment, serving a temporary folder with the notebook."""
    root_dir = tmp_path / "work"
    root_dir.mkdir()
    shutil.copytree(ROOT / "seeds", root_dir / "seeds")
    write_notebook(root_dir / NOTEBOOK)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "IPYTHON"))}
    for folder, variable in [("home", "HOME"), ("config", "JUPYTER_CONFIG_DIR"), ("data", "JUPYTER_DATA_DIR"),
                             ("runtime", "JUPYTER_RUNTIME_DIR"), ("ipython", "IPYTHONDIR"),
                             ("settings", "JUPYTERLAB_SETTINGS_DIR"), ("workspaces", "JUPYTERLAB_WORKSPACES_DIR"),
                             ("mpl", "MPLCONFIGDIR")]:
        (tmp_path / folder).mkdir()
        env[variable] = str(tmp_path / folder)
    # no "get official Jupyter news?" prompt (the server fetches no news either, see below)
    (tmp_path / "config" / "labconfig").mkdir()
    (tmp_path / "config" / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
    port, token = free_port(), secrets.token_hex(16)
    log = tmp_path / "lab.log"
    command = [
        str(Path(sys.executable).with_name("jupyter-lab")), "--no-browser", "--allow-root",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root_dir}",
        "--LabApp.news_url=None", "--LabApp.extension_manager=readonly",
        "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
    ]
    with log.open("w") as out:
        proc = subprocess.Popen(command, env=env, cwd=root_dir, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"jupyter lab did not start; its log:\n{log.read_text()[-3000:]}")
                time.sleep(0.2)
        yield Lab(url=f"http://127.0.0.1:{port}/lab/tree/{NOTEBOOK}?token={token}", root_dir=root_dir, log=log)
    finally:
        proc.send_signal(signal.SIGTERM)  # jupyter shuts its kernel down
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture
def page() -> Iterator:
    """A page of headless Debian Chromium; requests that leave the machine are refused."""
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: run `make browser-deps` (apt-get install chromium)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.external_requests = []

            def only_loopback(route):
                if re.match(r"^(https?|wss?)://127\.0\.0\.1[:/]", route.request.url):
                    route.continue_()
                else:
                    page.external_requests.append(route.request.url)
                    route.abort()

            page.route("**/*", only_loopback)
            yield page
        finally:
            browser.close()


def wait_until(condition, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


def test_topic_toggle_and_next_in_the_browser_are_journaled(lab, page):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(lab.url)
    page.locator(".jp-StatusBar-TextItem", has_text=re.compile(r"\| Idle$")).wait_for(timeout=30_000)
    page.locator("#jp-MainMenu").get_by_text("Run", exact=True).click()
    page.get_by_text("Run All Cells", exact=True).click()
    panel = page.locator(".wb-review-panel")
    panel.wait_for(timeout=60_000)
    assert page.locator('[data-mime-type="application/vnd.jupyter.error"]').count() == 0

    store = Store(lab.root_dir / STORE, create=False)
    ids = store.sentence_ids()
    first, second = (store.sentence_record(i) for i in ids[:2])
    sentence = page.locator(".wb-sentence")
    wait_until(lambda: sentence.inner_text() == first["text"], timeout=10, what="the first sentence")
    text_block = page.locator(".wb-review-text")
    assert text_block.get_attribute("dir") == "rtl"
    assert text_block.evaluate("e => getComputedStyle(e).direction") == "rtl"
    titles = page.locator(".wb-sentence mark").evaluate_all("marks => marks.map(m => m.title)")
    assert titles and titles == [html.unescape(t) for t in
                                 re.findall(r'<mark title="([^"]*)"', highlight_html(first["text"], first["mentions"]))]
    clipped = panel.evaluate(
        "p => [...p.querySelectorAll('button, .wb-sentence, .widget-label')]"
        ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)")
    assert clipped == []
    panel.screenshot(path=ARTIFACTS / "review_panel.png")

    topic = next(t for t in store.codebook()["topics"] if t not in first["topics"])
    toggle = page.locator(f".wb-topic-{topic}")
    toggle.click()
    wait_until(lambda: "mod-active" in (toggle.get_attribute("class") or ""), timeout=10, what="the toggle to be on")
    wait_until(lambda: len(store.journal()) == 1, timeout=10, what="the correction in the journal")
    panel.screenshot(path=ARTIFACTS / "review_panel_corrected.png")

    page.locator(".wb-next-button").click()
    wait_until(lambda: sentence.inner_text() == second["text"], timeout=10, what="the next sentence")
    panel.screenshot(path=ARTIFACTS / "review_panel_next.png")

    journal = store.journal()
    assert journal[["annotator", "sentence_id", "field", "action", "value"]].values.tolist() == [
        [ANNOTATOR, first["sentence_id"], "topics", "add", topic]]
    assert journal["reverts"].isna().all()
    assert store.sentence_record(first["sentence_id"], annotator=ANNOTATOR)["topics"] == [
        t for t in store.codebook()["topics"] if t in {*first["topics"], topic}]
    assert page.external_requests == []
    store.close()
