"""The environment the project promises: no torch/transformers, no network at run time."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("package", ["torch", "transformers", "kenlm"])
def test_heavy_camel_tools_dependencies_are_not_installed(package):
    # pyproject.toml excludes them with [tool.uv] exclude-dependencies; see the comment there.
    assert importlib.util.find_spec(package) is None, (
        f"{package} is installed: check [tool.uv] exclude-dependencies"
    )


def test_camel_tools_modules_the_workbench_uses_import_without_data():
    code = (
        "import sys\n"
        "import workbench.text as t\n"
        "t.transliterate('بوتين'); t.normalize('أ')\n"
        "from camel_tools.tokenizers.word import simple_word_tokenize\n"
        "assert simple_word_tokenize('قمة بوتين') == ['قمة', 'بوتين']\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('camel_tools.morphology', "
        "'camel_tools.data')))\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


NO_NETWORK = r'''
import socket, sys
def refuse(*args, **kwargs):
    raise RuntimeError("network access attempted: %r" % (args,))
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
import workbench as wb
from workbench.store import Store
from workbench.export import export
corpus = wb.load_corpus(sys.argv[1])
ann = wb.annotate(corpus)
store = Store(sys.argv[2])
store.save_annotations(ann)
paths = export(store, sys.argv[3])
print(len(ann.sentences), len(ann.mentions), sorted(p.name for p in paths.values()))
'''


def test_whole_pipeline_runs_with_sockets_blocked(tmp_path):
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            NO_NETWORK,
            str(ROOT / "seeds"),
            str(tmp_path / "s.sqlite"),
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr
    n_sentences, n_mentions, *_ = out.stdout.split()
    assert int(n_sentences) == 20 and int(n_mentions) > 20
    assert "sentences.csv" in out.stdout and "mentions.csv" in out.stdout
