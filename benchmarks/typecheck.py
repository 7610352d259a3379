"""Cold ``mypy --strict`` on a user file that imports the package, as installed.

The package (``workspaceevents`` and ``discovery_runtime``) is copied into
the site-packages of a throwaway virtual environment whose only other entry
is a ``.pth`` line to this repository's dependencies, exactly what a user's
``pip install`` gives; the editable install is not on that path. A one-line
user file is then checked with an empty cache and no configuration file, so
mypy reads the whole package (and what it imports) from scratch; the
"dynamic" column is the same check of a file importing only ``os``: the
fixed cost of mypy itself, and the limit. Goal: the package adds at most
3 s to it.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from ._harness import REPO, Row, over_limit_at_most

USER_FILE = 'from workspaceevents import build\n\nservice = build("workspaceevents", "v1", developerKey="k")\n'
BASELINE_FILE = "import os\n"


def _environment(root: Path) -> Path:
    """A venv with the package installed by copy; returns its interpreter."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True, capture_output=True)
    python = root / "bin" / "python"
    purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = Path(subprocess.run([str(python), "-c", purelib], check=True, capture_output=True, text=True).stdout.strip())
    (site / "repo-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(REPO / "discovery_runtime", site / "discovery_runtime", ignore=ignore)
    shutil.copytree(REPO / "generated" / "workspaceevents", site / "workspaceevents", ignore=ignore)
    return python


def _cold_mypy(python: Path, folder: Path, source: str) -> float:
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        user = Path(tmp) / "user.py"
        user.write_text(source, encoding="utf-8")
        command = [str(python), "-m", "mypy", "--strict", "--cache-dir", str(Path(tmp) / "cache"), str(user)]
        start = time.perf_counter()
        done = subprocess.run(command, cwd=tmp, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            raise RuntimeError(f"mypy --strict failed on the user file:\n{done.stdout}{done.stderr}")
        return elapsed


def run(repeats: int = 3) -> list[Row]:
    with tempfile.TemporaryDirectory() as folder:
        python = _environment(Path(folder) / "venv")
        user, baseline = [], []
        for _ in range(repeats):
            user.append(_cold_mypy(python, Path(folder), USER_FILE))
            baseline.append(_cold_mypy(python, Path(folder), BASELINE_FILE))
    return [
        Row(
            metric="cold mypy --strict, installed package, no config (dynamic column: `import os`)",
            unit="s",
            dynamic=statistics.median(baseline),
            static=statistics.median(user),
            # What the package adds over mypy's own start-up: an absolute ceiling would measure the machine.
            goal=over_limit_at_most(3, "s"),
            limit=statistics.median(baseline),
            limit_text="mypy --strict on a file importing only os: mypy's fixed cost",
        )
    ]
