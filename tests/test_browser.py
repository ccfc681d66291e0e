"""The review panel in a real browser: JupyterLab in headless Chromium, driven by Playwright.

The test starts the project's own ``jupyter lab`` on a free loopback port with a token
and throw-away config / data / runtime / settings / workspace folders (nothing of the
user's config is read, nothing is fetched from the network) on a temporary copy of
``notebooks/`` and ``seeds/`` with the seed corpus annotated into the notebooks' store
(what ``01_annotate`` does). It opens ``02_review.ipynb``, runs all its cells from the
Run menu, clicks a topic toggle and "next" in the rendered panel, and checks that the
store's journal holds exactly that correction; then it runs ``04_charts.ipynb``.

Screenshots of the panel and of a chart go to ``test-artifacts/`` (git-ignored). Chromium is Debian's
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

import workbench as wb
from workbench.store import Store
from workbench.widgets import highlight_html

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
ANNOTATOR = "browser-test"


def parameters(path: Path) -> dict:
    """The values the notebook's parameters cell sets (plain assignments)."""
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    values: dict = {}
    exec(cell.source, {}, values)
    return values


def set_annotator(path: Path, annotator: str) -> None:
    """Append ``ANNOTATOR = annotator`` to the parameters cell, as papermill would."""
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    cell.source += f"\nANNOTATOR = {annotator!r}  # set by tests/test_browser.py"
    nbformat.write(nb, path)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Lab:
    base: str
    token: str
    root: Path
    store: Path

    def url(self, notebook: str) -> str:
        # reset: no tab an earlier test left open is restored
        return f"{self.base}/lab/tree/notebooks/{notebook}?reset&token={self.token}"

    def kernel_idle(self, notebook: str) -> bool:
        """Whether the server has a kernel for the notebook and it is idle."""
        with urllib.request.urlopen(f"{self.base}/api/sessions?token={self.token}", timeout=5) as response:
            sessions = json.load(response)
        return any(
            s["path"] == f"notebooks/{notebook}" and (s.get("kernel") or {}).get("execution_state") == "idle"
            for s in sessions
        )


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> Iterator[Lab]:
    """``jupyter lab`` from this environment on a temporary copy of the project's
    notebooks, seeds and corrections folder, with the seeds annotated into the store."""
    tmp = tmp_path_factory.mktemp("browser")
    root = tmp / "project"
    shutil.copytree(ROOT / "notebooks", root / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(ROOT / "seeds", root / "seeds")
    shutil.copytree(ROOT / "corrections", root / "corrections")
    shutil.copytree(ROOT / "tests" / "data" / "outlets", root / "tests" / "data" / "outlets")  # for 05
    review = root / "notebooks" / "02_review.ipynb"
    store_path = (review.parent / parameters(review)["STORE"]).resolve()
    assert store_path.is_relative_to(root), f"02_review's STORE {store_path} is outside the project folder"
    set_annotator(review, ANNOTATOR)
    with Store(store_path) as store:  # what 01_annotate does
        store.save_annotations(wb.annotate(wb.load_corpus(root / "seeds")))

    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "IPYTHON"))}
    for folder, variable in [
        ("home", "HOME"),
        ("config", "JUPYTER_CONFIG_DIR"),
        ("data", "JUPYTER_DATA_DIR"),
        ("runtime", "JUPYTER_RUNTIME_DIR"),
        ("ipython", "IPYTHONDIR"),
        ("settings", "JUPYTERLAB_SETTINGS_DIR"),
        ("workspaces", "JUPYTERLAB_WORKSPACES_DIR"),
        ("mpl", "MPLCONFIGDIR"),
    ]:
        (tmp / folder).mkdir()
        env[variable] = str(tmp / folder)
    # no "get official Jupyter news?" prompt (the server fetches no news either, see below)
    (tmp / "config" / "labconfig").mkdir()
    (tmp / "config" / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
    port, token = free_port(), secrets.token_hex(16)
    log = tmp / "lab.log"
    command = [
        str(Path(sys.executable).with_name("jupyter-lab")), "--no-browser", "--allow-root",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
        "--LabApp.news_url=None", "--LabApp.extension_manager=readonly",
        "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
    ]
    with log.open("w") as out:
        proc = subprocess.Popen(command, env=env, cwd=root, stdout=out, stderr=subprocess.STDOUT,
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
        yield Lab(base=f"http://127.0.0.1:{port}", token=token, root=root, store=store_path)
    finally:
        proc.send_signal(signal.SIGTERM)  # jupyter shuts its kernels down
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """Headless Debian Chromium (never a downloaded browser)."""
    assert Path(CHROMIUM).exists(), (
        f"{CHROMIUM} is missing: run `make browser-deps` (apt-get install chromium)"
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser) -> Iterator:
    """A fresh page; requests that would leave the machine are refused and listed."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.external_requests = []

    def only_loopback(route):
        if re.match(r"^(https?|wss?)://127\.0\.0\.1[:/]", route.request.url):
            route.continue_()
        else:
            page.external_requests.append(route.request.url)
            route.abort()

    page.route("**/*", only_loopback)
    yield page
    context.close()


def wait_until(condition, *, timeout: float, what: str, state=None):
    """Poll ``condition`` until it is true; on time-out say what was awaited (and ``state()``)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out after {timeout} s waiting for {what}" + (f"; found {state()!r}" if state else ""))


def run_all_cells(page, lab: Lab, notebook: str, *, timeout: float = 60) -> None:
    """Open a notebook, run all its cells from the Run menu, wait until each has run."""
    n_code = sum(
        c.cell_type == "code" for c in nbformat.read(lab.root / "notebooks" / notebook, as_version=4).cells
    )
    page.goto(lab.url(notebook))
    notebook_panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    select_kernel = page.locator(".jp-Dialog", has_text="Select Kernel")

    def ready() -> bool:
        if select_kernel.count():  # JupyterLab may ask, as it would ask an analyst
            select_kernel.get_by_role("button", name="Select").click()
        return (notebook_panel.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').count() == 1
                and lab.kernel_idle(notebook))

    wait_until(ready, timeout=30, what=f"the kernel of {notebook}")
    notebook_panel.locator(".jp-Cell").first.click()
    page.locator("#jp-MainMenu").get_by_text("Run", exact=True).click()
    page.get_by_text("Run All Cells", exact=True).click()
    prompts = notebook_panel.locator(".jp-CodeCell .jp-InputPrompt")
    # textContent, not innerText: cells scrolled out of view are not rendered (content-visibility)
    wait_until(
        lambda: (
            [re.fullmatch(r"\[\d+\]:", t.strip()) is not None for t in prompts.all_text_contents()]
            == [True] * n_code
        ),
        timeout=timeout,
        what=f"every cell of {notebook} to run",
        state=lambda: (
            page.screenshot(path=ARTIFACTS / f"{notebook}-timed-out.png"),
            prompts.all_text_contents(),
            page.locator(".jp-OutputArea-output").all_text_contents(),
        )[1:],
    )
    errors = page.locator('[data-mime-type="application/vnd.jupyter.error"]').all_text_contents()
    assert errors == [], f"{notebook} raised:\n" + "\n".join(errors)


def test_topic_toggle_and_next_in_the_browser_are_journaled(lab, page):
    ARTIFACTS.mkdir(exist_ok=True)
    run_all_cells(page, lab, "02_review.ipynb")
    panel = page.locator(".wb-review-panel")
    panel.wait_for(timeout=10_000)

    store = Store(lab.store, create=False)
    assert len(store.journal()) == 0  # running the notebook corrected nothing
    ids = store.sentence_ids()
    first, second = (store.sentence_record(i) for i in ids[:2])
    sentence = page.locator(".wb-sentence")
    wait_until(lambda: sentence.inner_text() == first["text"], timeout=10, what="the first sentence")
    text_block = page.locator(".wb-review-text")
    assert text_block.get_attribute("dir") == "rtl"
    assert text_block.evaluate("e => getComputedStyle(e).direction") == "rtl"
    titles = page.locator(".wb-sentence mark").evaluate_all("marks => marks.map(m => m.title)")
    assert titles and titles == [
        html.unescape(t)
        for t in re.findall(r'<mark title="([^"]*)"', highlight_html(first["text"], first["mentions"]))
    ]
    clipped = panel.evaluate(
        "p => [...p.querySelectorAll('button, .wb-sentence, .widget-label')]"
        ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)")
    assert clipped == []
    panel.screenshot(path=ARTIFACTS / "review_panel.png")

    topic = next(t for t in store.codebook().topic_keys if t not in first["topics"])
    toggle = page.locator(f".wb-topic-{topic}")
    toggle.click()
    wait_until(
        lambda: "mod-active" in (toggle.get_attribute("class") or ""), timeout=10, what="the toggle to be on"
    )
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
        t for t in store.codebook().topic_keys if t in {*first["topics"], topic}]

    # A note typed in Arabic runs right to left in the box and is journaled when the box is left.
    note = page.locator(".wb-note textarea")
    note.fill("يحتاج إلى مراجعة المصدر")
    assert note.evaluate("e => getComputedStyle(e).unicodeBidi") == "plaintext"
    page.locator(".wb-sentence").click()  # leave the box
    wait_until(lambda: len(store.journal()) == 2, timeout=10, what="the note in the journal")
    assert store.journal()[["sentence_id", "field", "value"]].values.tolist()[-1] == [
        second["sentence_id"], "note", "يحتاج إلى مراجعة المصدر"]
    panel.screenshot(path=ARTIFACTS / "review_panel_note.png")
    assert page.external_requests == []
    store.close()


def test_chart_notebook_in_the_browser(lab, page):
    ARTIFACTS.mkdir(exist_ok=True)
    run_all_cells(page, lab, "04_charts.ipynb")
    images = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-RenderedImage img")
    wait_until(lambda: images.count() >= 4, timeout=10, what="the charts")
    sizes = images.evaluate_all("imgs => imgs.map(i => [i.naturalWidth, i.naturalHeight])")
    assert all(w > 200 and h > 100 for w, h in sizes), sizes
    for index, name in [(0, "chart_topic_counts.png"), (2, "chart_speaker_by_topic.png")]:
        images.nth(index).scroll_into_view_if_needed()
        images.nth(index).screenshot(path=ARTIFACTS / name)
    assert page.external_requests == []



def test_outlets_notebook_in_the_browser(lab, page):
    ARTIFACTS.mkdir(exist_ok=True)
    run_all_cells(page, lab, "05_outlets.ipynb", timeout=300)
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    images = panel.locator(".jp-RenderedImage img")
    wait_until(lambda: images.count() >= 9, timeout=10, what="the outlet charts")
    sizes = images.evaluate_all("imgs => imgs.map(i => [i.naturalWidth, i.naturalHeight])")
    assert all(w > 300 and h > 150 for w, h in sizes), sizes
    # the reuse clusters: a right-to-left table whose passages are the corpus's Arabic, escaped
    table = panel.locator(".jp-RenderedHTMLCommon table").nth(1)  # after the documents table
    table.scroll_into_view_if_needed()
    assert table.get_attribute("dir") == "rtl"
    assert table.evaluate("t => getComputedStyle(t).direction") == "rtl"
    truth = json.loads((lab.root / "tests" / "data" / "outlets" / "truth.json").read_text(encoding="utf-8"))
    assert truth["passages"][0]["text"] in table.text_content()  # the first cluster's passage, as written
    page.screenshot(path=ARTIFACTS / "outlets_reuse_clusters.png")  # the table is taller than the page
    for index, name in [(0, "outlets_shared_passages.png"), (1, "outlets_topics.png"),
                        (2, "outlets_speakers.png"), (7, "outlets_coverage.png")]:
        images.nth(index).scroll_into_view_if_needed()
        images.nth(index).screenshot(path=ARTIFACTS / name)
    assert (lab.root / "exports" / "outlets" / "comparison.json").exists()
    assert page.external_requests == []
