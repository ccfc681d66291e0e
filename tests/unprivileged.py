"""Run Python without the power to read files it has no permission for.

Tests of unreadable files and folders must not run as root, which reads everything: as
root, the code runs in a child process whose capabilities to override file permissions
are dropped (util-linux ``setpriv``), so ``chmod 000`` means what it means to an analyst.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_CAPS = "-dac_override,-dac_read_search"


def command(*argv: str) -> list[str]:
    """``argv`` prefixed so that it runs without permission-overriding capabilities."""
    if os.geteuid() != 0:
        return list(argv)
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        raise RuntimeError(
            "running as root: these tests need util-linux's setpriv to drop "
            "CAP_DAC_OVERRIDE (apt-get install util-linux)"
        )
    return [setpriv, f"--bounding-set={_CAPS}", f"--inh-caps={_CAPS}", *argv]


def run_python(code: str, *, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``code`` with this interpreter, unprivileged; stdout and stderr captured as text."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        command(sys.executable, "-c", code), cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def run_workbench(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the ``workbench`` command line, unprivileged."""
    return run_python(
        f"import sys; from workbench.cli import main; sys.exit(main({list(args)!r}))",
        cwd=cwd,
        timeout=timeout,
    )
