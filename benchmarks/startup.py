"""Cold start and import time, each in fresh interpreters (milliseconds, medians).

Cold start: a fresh ``python -I -c`` imports ``build`` (from
``googleapiclient.discovery`` or from ``workspaceevents``), builds the service
with a developer key, builds ``operations().get(name=...)`` and executes it
against ``googleapiclient.http.HttpMockSequence``, which answers from memory.
The child measures these steps, from its first line to the response, in CPU
time (the goal: static <= 0.85x dynamic; CPU time is what the steps cost,
undisturbed by other work on the machine) and in wall time. The parent also
times the whole process, interpreter start-up included.

Import: a fresh interpreter measures ``import googleapiclient.discovery``
against ``import workspaceevents`` the same two ways.

Limit of the cold start: a fresh interpreter that imports only what both
clients need for these steps (``googleapiclient.http``, which brings httplib2
and google-auth, and ``google_auth_httplib2``), measured the same way.

Processes of both sides alternate; one untimed run of each first fills the
bytecode and file caches. ``-I`` keeps the environment and the working
directory out of ``sys.path``.
"""

from __future__ import annotations

import dataclasses
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence

from . import _harness
from ._harness import Row

RESPONSE = '{"name": "operations/abc", "done": true}'

# Each child prints: wall seconds, CPU seconds, modules loaded.
COLD_START = """\
import time
_t0, _c0 = time.perf_counter(), time.process_time()
from {module} import build
from googleapiclient.http import HttpMockSequence

service = build("workspaceevents", "v1", developerKey="bench-key")
response = service.operations().get(name="operations/abc").execute(
    http=HttpMockSequence([({{"status": "200"}}, {response!r})])
)
_wall, _cpu = time.perf_counter() - _t0, time.process_time() - _c0
import sys

assert response == {{"name": "operations/abc", "done": True}}, response
assert type(service).__module__.startswith({expect!r}), type(service)
print(_wall, _cpu, len(sys.modules))
"""

IMPORT = """\
import time
_t0, _c0 = time.perf_counter(), time.process_time()
import {module}
_wall, _cpu = time.perf_counter() - _t0, time.process_time() - _c0
import sys

print(_wall, _cpu, len(sys.modules))
"""

SHARED = """\
import time
_t0, _c0 = time.perf_counter(), time.process_time()
import google_auth_httplib2
from googleapiclient.http import HttpMockSequence
_wall, _cpu = time.perf_counter() - _t0, time.process_time() - _c0
import sys

print(_wall, _cpu, len(sys.modules))
"""

WALL, CPU, MODULES, PROCESS = range(4)


def _child(code: str) -> Callable[[], Sequence[float]]:
    """A sampler: run ``code`` in a fresh interpreter; its three figures, then the whole process's wall time."""

    def sample() -> Sequence[float]:
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True, check=False)
        process = time.perf_counter() - start
        if done.returncode != 0:
            raise RuntimeError(f"benchmark child failed:\n{code}\n{done.stderr}")
        wall, cpu, modules = (float(field) for field in done.stdout.split())
        return wall, cpu, modules, process

    return sample


def _compare(dynamic_code: str, static_code: str, processes: int) -> tuple[list[list[float]], list[list[float]]]:
    dynamic, static = _child(dynamic_code), _child(static_code)
    dynamic()
    static()
    return _harness.alternate(dynamic, static, rounds=processes)


def _row(
    metric: str,
    unit: str,
    samples: tuple[list[list[float]], list[list[float]]],
    field: int,
    goal: _harness.Goal | None = None,
) -> Row:
    scale = 1.0 if field == MODULES else 1e3
    dynamic, static = (statistics.median(sample[field] for sample in side) * scale for side in samples)
    return Row(metric=metric, unit=unit, dynamic=dynamic, static=static, goal=goal)


def run(processes: int) -> list[Row]:
    cold = _compare(
        COLD_START.format(module="googleapiclient.discovery", response=RESPONSE, expect="googleapiclient."),
        COLD_START.format(module="workspaceevents", response=RESPONSE, expect="workspaceevents."),
        processes,
    )
    imports = _compare(
        IMPORT.format(module="googleapiclient.discovery"), IMPORT.format(module="workspaceevents"), processes
    )
    shared = _child(SHARED)
    floor = statistics.median(shared()[CPU] for _ in range(processes)) * 1e3
    cold_cpu = _row("cold start: import+build+get+execute, CPU", "ms", cold, CPU, _harness.fraction_of(0.85))
    return [
        dataclasses.replace(cold_cpu, limit=floor, limit_text="importing what both clients need, in a fresh process"),
        _row("cold start: the same steps, wall", "ms", cold, WALL),
        _row("cold start: whole process incl. interpreter, wall", "ms", cold, PROCESS),
        _row("cold start: modules in sys.modules", "modules", cold, MODULES),
        _row("import googleapiclient.discovery | workspaceevents, CPU", "ms", imports, CPU),
        _row("import googleapiclient.discovery | workspaceevents, wall", "ms", imports, WALL),
        _row("import: modules in sys.modules", "modules", imports, MODULES),
    ]
