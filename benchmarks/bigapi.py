"""A big API: compute v1, generated vs dynamic, in fresh processes.

Generates compute.v1 into a temporary folder (byte-compiled, as installed),
then alternates fresh processes of four kinds, each with
googleapiclient.discovery, httplib2 and google-auth already imported (the
floor both clients share, not counted):

- ``generated`` / ``dynamic``: ``build()`` plus the first accessor
  (``service.instances()``), timed, and the peak RSS;
- ``module``: importing the accessed resource module alone
  (``compute.v1.resources.instances``, timed after its package): the code
  any static client must load before the call, so the physical limit of the
  generated side's figure (for memory, the package's import is included);
- ``baseline``: nothing more, for the peak RSS of the shared imports.

Times are CPU time in the child. Goals: build + first accessor at least 10x
faster than the dynamic client; peak RSS added over the shared imports at
most 1 MiB more than the resource module's own import adds (the limit:
the module holds every method's googleapiclient-identical docstring, about
2 MiB for ``instances``; the dynamic client adds about 16 MiB, its parsed
copy of the 2 MB document included).
"""

from __future__ import annotations

import compileall
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from ._harness import Row, faster_by, over_limit_at_most

REPO = Path(__file__).resolve().parent.parent
API, VERSION, ACCESSOR, MODULE = "compute", "v1", "instances", "compute.v1.resources.instances"

PROBE = """
import json, sys, time
def peak_kib():
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the parent.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0
which, folder, api, version, accessor, module = sys.argv[1:7]
import googleapiclient.discovery  # both clients need it: not counted
from googleapiclient.http import HttpMock
http = HttpMock(None, {"status": "200"})
sys.path.insert(0, folder)
import importlib
if which == "module":
    importlib.import_module(api)  # the package: the limit is the resource module alone
t0 = time.process_time()
if which == "generated":
    service = importlib.import_module(api).build(api, version, http=http, developerKey="k")
    getattr(service, accessor)()
elif which == "dynamic":
    service = googleapiclient.discovery.build(api, version, http=http, developerKey="k", static_discovery=True)
    getattr(service, accessor)()
elif which == "module":
    importlib.import_module(module)
elapsed = time.process_time() - t0  # CPU time: what the steps cost, whatever else the machine runs
print(json.dumps({"seconds": elapsed, "rss_kib": peak_kib()}))
"""

KINDS = ("generated", "dynamic", "module", "baseline")


def _probe(which: str, folder: str) -> dict[str, float]:
    command = [sys.executable, "-c", PROBE, which, folder, API, VERSION, ACCESSOR, MODULE]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"compute v1 probe {which!r} failed:\n{done.stderr}")
    data: dict[str, float] = json.loads(done.stdout)
    return data


def run(processes: int) -> list[Row]:
    samples: dict[str, list[dict[str, float]]] = {kind: [] for kind in KINDS}
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "codegen", "generate", f"{API}.{VERSION}", "--out", folder]
        subprocess.run(command, cwd=REPO, check=True, capture_output=True)
        compileall.compile_dir(folder, quiet=1)
        for kind in KINDS:  # one untimed run each fills the file caches
            _probe(kind, folder)
        for round_index in range(processes):
            order = KINDS if round_index % 2 == 0 else KINDS[::-1]
            for kind in order:
                samples[kind].append(_probe(kind, folder))

    def median(kind: str, key: str) -> float:
        return statistics.median(sample[key] for sample in samples[kind])

    floor = median("baseline", "rss_kib")
    return [
        Row(
            metric="compute v1: build() + first accessor, fresh process",
            unit="ms",
            dynamic=median("dynamic", "seconds") * 1e3,
            static=median("generated", "seconds") * 1e3,
            goal=faster_by(10),
            limit=median("module", "seconds") * 1e3,
            limit_text="import of the resource module alone",
        ),
        Row(
            metric="compute v1: peak RSS added over the shared imports",
            unit="MiB",
            dynamic=(median("dynamic", "rss_kib") - floor) / 1024,
            static=(median("generated", "rss_kib") - floor) / 1024,
            goal=over_limit_at_most(1, "MiB"),
            limit=(median("module", "rss_kib") - floor) / 1024,
            limit_text=(
                "the resource module's import alone; shared floor (googleapiclient + httplib2 + google-auth)"
                f" {floor / 1024:.1f} MiB, not counted"
            ),
        ),
    ]
