"""Build + first accessor and peak RSS for a large API, generated vs googleapiclient's dynamic client.

    .venv/bin/python tools/measure_lazy.py [API.VERSION] [--runs N] [--accessor NAME]

Generates the API (ruff step included) into a temporary folder and
byte-compiles it, as an installed wheel would be, then times each client in
fresh processes: ``build()`` plus the first accessor (``service.instances()``
for compute), with googleapiclient.discovery already imported by both, or
with ``--cold`` counting every import (the generated package never imports
googleapiclient.discovery). Also reports
which resource modules got imported (lazy loading) and peak RSS, both total
and above a process that only imported googleapiclient.
"""

from __future__ import annotations

import argparse
import compileall
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

PROBE = """
import json, sys, time
def peak_kib():
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the parent.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0
which, folder, api, version, accessor, cold = sys.argv[1:7]
t0 = time.perf_counter()
if cold != "cold":
    import googleapiclient.discovery  # both clients need it: not counted
    t0 = time.perf_counter()
from googleapiclient.http import HttpMock
http = HttpMock(None, {"status": "200"})
rss0 = peak_kib()
if which == "generated":
    sys.path.insert(0, folder)
    import importlib
    package = importlib.import_module(api)
    service = package.build(api, version, http=http, developerKey="k")
elif which == "dynamic":
    import googleapiclient.discovery
    service = googleapiclient.discovery.build(api, version, http=http, developerKey="k", static_discovery=True)
t1 = time.perf_counter()
if which != "baseline":
    getattr(service, accessor)()
t2 = time.perf_counter()
loaded = sorted(m for m in sys.modules if m.startswith(api + ".") and ".resources." in m)
rss = peak_kib()
print(json.dumps({"build": t1 - t0, "total": t2 - t0, "rss": rss, "rss0": rss0, "loaded": loaded}))
"""


def run(which: str, folder: str, api: str, version: str, accessor: str, cold: bool) -> dict[str, object]:
    command = [sys.executable, "-c", PROBE, which, folder, api, version, accessor, "cold" if cold else "warm"]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    data: dict[str, object] = json.loads(result.stdout)
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", default="compute.v1")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--accessor", default="instances")
    parser.add_argument("--cold", action="store_true", help="count library imports too")

    args = parser.parse_args()
    api, version = args.source.split(".", 1)
    with tempfile.TemporaryDirectory() as folder:
        generate = [sys.executable, "-m", "codegen", "generate", args.source, "--out", folder]
        subprocess.run(generate, cwd=REPO, check=True, capture_output=True)
        compileall.compile_dir(folder, quiet=1)
        package = next(p.name for p in Path(folder).iterdir() if p.is_dir())
        rows = {}
        for which in ("generated", "dynamic", "baseline"):
            name = package if which == "generated" else api
            samples = [run(which, folder, name, version, args.accessor, args.cold) for _ in range(args.runs)]
            rows[which] = samples
    base_rss = min(float(s["rss"]) for s in rows["baseline"]) / 1024  # type: ignore[arg-type]
    print(f"{args.source}: best and median of {args.runs} fresh processes each")
    summary = {}
    for which in ("generated", "dynamic"):
        totals = sorted(float(s["total"]) * 1000 for s in rows[which])  # type: ignore[arg-type]
        builds = sorted(float(s["build"]) * 1000 for s in rows[which])  # type: ignore[arg-type]
        rss = min(float(s["rss"]) for s in rows[which]) / 1024  # type: ignore[arg-type]
        summary[which] = (totals[0], statistics.median(totals), builds[0], rss)
        loaded = rows[which][0]["loaded"]
        print(
            f"  {which:9} build {builds[0]:7.2f} ms (median {statistics.median(builds):7.2f})"
            f"  build+{args.accessor}() {totals[0]:7.2f} ms (median {statistics.median(totals):7.2f})"
            f"  peak RSS {rss:6.1f} MiB ({rss - base_rss:+.1f} over imports)  resource modules loaded: {loaded}"
        )
    gen, dyn = summary["generated"], summary["dynamic"]
    print(
        f"  speed-up: build {dyn[2] / gen[2]:.0f}x, build+accessor {dyn[0] / gen[0]:.0f}x (median {dyn[1] / gen[1]:.0f}x);"
        f" RSS {dyn[3] / gen[3]:.2f}x total, {(dyn[3] - base_rss) / max(gen[3] - base_rss, 0.1):.1f}x over imports"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
