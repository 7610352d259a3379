"""Cold ``mypy --strict`` on a user file that imports the package.

A one-line user file is checked with an empty cache, so mypy reads the whole
generated package (and what it imports) from scratch; the "dynamic" column is
the same check of a file importing only ``os``: the fixed cost of mypy itself.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ._harness import Row, at_most

GENERATED = Path(__file__).resolve().parent.parent / "generated"
USER_FILE = 'from workspaceevents import build\n\nservice = build("workspaceevents", "v1", developerKey="k")\n'
BASELINE_FILE = "import os\n"


def _cold_mypy(source: str) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        user = Path(tmp) / "user.py"
        user.write_text(source)
        command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(Path(tmp) / "cache"), str(user)]
        environment = {**os.environ, "MYPYPATH": str(GENERATED)}
        start = time.perf_counter()
        subprocess.run(command, cwd=tmp, env=environment, capture_output=True, check=True)
        return time.perf_counter() - start


def run(repeats: int = 3) -> list[Row]:
    user = [_cold_mypy(USER_FILE) for _ in range(repeats)]
    baseline = [_cold_mypy(BASELINE_FILE) for _ in range(repeats)]
    return [
        Row(
            metric="cold mypy --strict: user file importing the package (dynamic column: `import os`)",
            unit="s",
            dynamic=statistics.median(baseline),
            static=statistics.median(user),
            goal=at_most(3, "s"),
        )
    ]
