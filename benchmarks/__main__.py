"""``python -m benchmarks``: run every benchmark, print one table, exit 1 if a goal fails.

Options shorten or lengthen the run; the defaults keep ``make bench`` well
under two minutes.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from importlib import metadata

from . import _harness, bigapi, calls, endtoend, events, gc_objects, memory, startup, typecheck
from ._harness import Row


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--rounds", type=_positive, default=25, help="interleaved rounds per in-process timing (default 25)"
    )
    parser.add_argument(
        "--processes", type=_positive, default=15, help="fresh interpreters per side for start-up timings (default 15)"
    )
    return parser.parse_args(argv)


def _progress(message: str) -> None:
    print(f"... {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    options = _parse(argv)
    started = time.perf_counter()
    _harness.byte_compile(*(str(_harness.REPO / folder) for folder in ("discovery_runtime", "generated")))
    rows: list[Row] = []
    _progress(f"per-call timings ({options.rounds} interleaved rounds)")
    rows += calls.run(options.rounds)
    _progress("one get executed end to end against LocalServer")
    rows += endtoend.run(max(5, options.rounds // 2))
    _progress("cycle-collector objects")
    rows += gc_objects.run()
    _progress("memory per service")
    rows += memory.run()
    _progress(f"cold start and import ({options.processes} fresh processes per side, interleaved)")
    rows += startup.run(options.processes)
    _progress("compute v1 (generated into a temporary folder first)")
    rows += bigapi.run(max(3, options.processes // 2))
    _progress("cold mypy on a user file")
    rows += typecheck.run()
    _progress("decoding Workspace events")
    rows += events.run(options.rounds)

    print(
        f"workspaceevents (static) vs google-api-python-client {metadata.version('google-api-python-client')} (dynamic); "
        f"Python {platform.python_version()} on {platform.machine()}; medians, in-process timings in {_harness.CLOCK_NAME}"
    )
    print()
    print(_harness.table(rows))
    print()
    lines, status = _harness.verdict(rows, time.perf_counter() - started)
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main())
