"""The machinery every benchmark shares: a registry, fresh processes, run order, statistics.

A benchmark is one function ``f(ctx) -> dict`` registered with :func:`benchmark`; it
measures through :meth:`Context.fresh` (each measurement in a new Python process) and
returns its figures with ``"targets"``: rows made by :func:`target`. ``run.py`` runs the
registry and ``report.py`` turns the results into ``README.md``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"

__all__ = [
    "Benchmark",
    "BENCHMARKS",
    "benchmark",
    "Context",
    "target",
    "stats",
    "alternate",
    "log",
    "machine",
    "commit",
    "maxrss_mb",
    "HERE",
    "ROOT",
    "OUT",
]


@dataclass
class Benchmark:
    """One registered benchmark: ``run(ctx)`` returns its results (with ``"targets"``)."""

    name: str
    run: Callable[[Context], dict]
    title: str
    render: Callable[[dict], list[str]] | None = None


BENCHMARKS: dict[str, Benchmark] = {}


def benchmark(name: str, *, title: str, render: Callable[[dict], list[str]] | None = None):
    """Register ``f(ctx) -> dict`` under ``name`` (run in registration order)."""

    def register(f: Callable[[Context], dict]) -> Callable[[Context], dict]:
        BENCHMARKS[name] = Benchmark(name, f, title, render)
        return f

    return register


def log(*args: Any) -> None:
    print(f"[{time.strftime('%H:%M:%S')}]", *args, file=sys.stderr, flush=True)


def _child_env() -> dict[str, str]:
    """Measured processes cache bytecode as a normal install does (some sandboxes turn it off)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONHASHSEED"] = "0"
    return env


@dataclass
class Context:
    """What a benchmark gets: sizes, repeats, a scratch folder and the generated corpora.

    Attributes
    ----------
    sizes : list of int
        Corpus sizes in documents (the first ``n`` documents of the largest corpus).
    runs : int
        Measurements per method and size (each in a fresh process).
    quick : bool
        Development mode: fewer sizes and runs; figures are not for the record.
    tmp : Path
        Scratch folder for corpora, stores and exports (removed after the run).
    """

    sizes: list[int]
    runs: int
    quick: bool
    tmp: Path
    _files: dict[int, Path] = field(default_factory=dict)
    _folders: dict[int, Path] = field(default_factory=dict)

    def generated(self):
        """The largest corpus of the run, generated once (smaller ones are its first documents)."""
        if "_all" not in self.__dict__:
            from corpus import generate

            t0 = time.perf_counter()
            self.__dict__["_all"] = generate(max(self.sizes))
            log(f"generated {max(self.sizes):,} documents in {time.perf_counter() - t0:.1f} s")
        return self.__dict__["_all"]

    def corpus_file(self, n: int) -> Path:
        """The first ``n`` generated documents with their truth, as a JSON file."""
        if n not in self._files:
            self._files[n] = self.generated().head(n).save(self.tmp / f"corpus-{n}.json")
        return self._files[n]

    def folder(self, n: int) -> Path:
        """The first ``n`` generated documents as ``.txt`` files with a ``metadata.csv``."""
        if n not in self._folders:
            self._folders[n] = self.generated().head(n).write(self.tmp / f"texts-{n}")
        return self._folders[n]

    def fresh(self, func: str, *args: Any, timeout: float = 1800) -> dict:
        """Run ``workers.<func>(*args)`` in a new Python process and return its result."""
        proc = subprocess.run(
            [sys.executable, str(HERE / "run.py"), "--call", func, json.dumps([str(a) for a in args])],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=ROOT,
            env=_child_env(),
        )
        if proc.returncode != 0:
            raise RuntimeError(f"{func}{tuple(args)} failed:\n{proc.stderr[-4000:]}")
        return json.loads(proc.stdout.strip().splitlines()[-1])


def alternate(items: Sequence[str], run: int) -> list[str]:
    """The order of ``items`` in run ``run``: rotated by one place a run, so that each item
    runs first, second, … in turn (two items swap every run)."""
    items = list(items)
    k = run % len(items)
    return items[k:] + items[:k]


def stats(values: Sequence[float]) -> dict:
    """``runs`` (as measured, in run order), ``min``, ``median``, ``max``."""
    values = list(values)
    return {"runs": values, "min": min(values), "median": statistics.median(values), "max": max(values)}


def target(
    what: str, measured: str, ratio: str, ok: bool | None, *, commit: str = "", runs: int = 0, note: str = ""
) -> dict:
    """A row of the targets table (``ok`` None: not measured)."""
    return {
        "target": what,
        "measured": measured,
        "ratio": ratio,
        "ok": ok,
        "commit": commit,
        "runs": runs,
        "note": note,
    }


def maxrss_mb() -> float:
    """This process's peak resident set size in MB.

    ``VmHWM`` of ``/proc/self/status`` where there is one: ``ru_maxrss`` can carry the
    high-water mark of the parent a measured process was started from.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def commit() -> str:
    """The short hash of ``HEAD``, with ``+dirty`` when the work tree holds uncommitted changes
    outside ``benchmarks/`` (the figures then belong to no commit)."""

    def git(*a: str) -> str:
        return subprocess.run(["git", *a], capture_output=True, text=True, cwd=ROOT).stdout

    head = git("rev-parse", "--short", "HEAD").strip()
    # porcelain lines are "XY path": the status letters may begin with a space
    dirty = [
        line
        for line in git("status", "--porcelain", "--untracked-files=no").splitlines()
        if line[3:] and not line[3:].startswith("benchmarks/")
    ]
    return head + ("+dirty" if dirty else "")


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "—"


def machine() -> dict:
    """Date, CPUs, memory, Python, load and library versions of this run."""
    mem_kb, cpu = 0, ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
        cpu = next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            "",
        )
    except OSError:
        pass
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="minutes"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "commit": commit(),
        "workbench_commit": subprocess.run(
            ["git", "log", "-1", "--format=%h", "--", "workbench"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
        "load": os.getloadavg(),
        "versions": {
            d: _version(d)
            for d in (
                "workbench",
                "spacy",
                "pyahocorasick",
                "pandas",
                "numpy",
                "dask",
                "distributed",
                "camel-tools",
                "ipywidgets",
                "pyinstrument",
            )
        },
    }
