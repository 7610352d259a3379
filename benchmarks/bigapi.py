"""A big API: compute v1, generated vs dynamic, in fresh processes.

Generates compute.v1 into a temporary folder (byte-compiled, as installed),
then alternates fresh processes of each client timing ``build()`` plus the
first accessor (``service.instances()``), with googleapiclient.discovery
already imported by both, and reading their peak RSS. The probe is
``tools/measure_lazy.py``'s.
"""

from __future__ import annotations

import compileall
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from tools.measure_lazy import run as probe

from ._harness import Row, faster_by, fraction_of

REPO = Path(__file__).resolve().parent.parent


def run(processes: int) -> list[Row]:
    samples: dict[str, list[dict[str, object]]] = {"generated": [], "dynamic": []}
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "codegen", "generate", "compute.v1", "--out", folder]
        subprocess.run(command, cwd=REPO, check=True, capture_output=True)
        compileall.compile_dir(folder, quiet=1)
        for _ in range(processes):
            for which, runs in samples.items():
                runs.append(probe(which, folder, "compute", "v1", "instances", cold=False))

    def median(which: str, key: str, scale: float) -> float:
        return statistics.median(float(str(s[key])) * scale for s in samples[which])

    return [
        Row(
            metric="compute v1: build() + first accessor, fresh process",
            unit="ms",
            dynamic=median("dynamic", "total", 1000),
            static=median("generated", "total", 1000),
            goal=faster_by(50),
        ),
        Row(
            metric="compute v1: peak RSS, fresh process",
            unit="MiB",
            dynamic=median("dynamic", "rss", 1 / 1024),
            static=median("generated", "rss", 1 / 1024),
            goal=fraction_of(0.5),
        ),
    ]
