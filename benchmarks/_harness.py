"""Shared machinery: interleaved timing, medians, goals and the result table.

A comparison never times one client after the other: rounds alternate
between the dynamic and the static side (dynamic first on even rounds,
static first on odd ones) and each side reports the median of its rounds,
so drift in machine load or CPU clock falls on both alike.

In-process timings use the process's CPU time where the platform gives it
with sub-microsecond resolution (Linux, macOS): time the process spends
preempted by other work on the machine is then not counted, which keeps a
shared or loaded machine from blurring the ratios. Elsewhere they use
``perf_counter``.
"""

from __future__ import annotations

import compileall
import gc
import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

CLOCK: Callable[[], float]
if time.get_clock_info("process_time").resolution <= 1e-6:
    CLOCK, CLOCK_NAME = time.process_time, "process CPU time"
else:  # e.g. Windows, where process_time ticks every 15.6 ms
    CLOCK, CLOCK_NAME = time.perf_counter, "perf_counter"

# Each timed batch runs long enough for the clock's resolution and the
# calibration's error not to matter, and short enough for many rounds.
BATCH_SECONDS = 0.004
MAX_BATCH = 1 << 20


def byte_compile(*folders: str) -> None:
    """Write current bytecode for ``folders``, as an installed package has it.

    Fresh processes would otherwise compile every edited module from source
    on each run (``PYTHONDONTWRITEBYTECODE`` and a shared checkout make stale
    caches likely), which no installed user ever pays.
    """
    for folder in folders:
        compileall.compile_dir(folder, quiet=2)


@dataclass(frozen=True, slots=True, kw_only=True)
class Goal:
    """A target for one row, checked against the (dynamic, static) medians and the row's limit."""

    text: str
    check: Callable[[float, float], bool]
    # Goals stated against the physical limit read it from the row.
    check_limit: Callable[[float, float], bool] | None = None


def faster_by(factor: float) -> Goal:
    """Static at least ``factor`` times faster than dynamic."""
    return Goal(text=f">= {factor:g}x faster", check=lambda dynamic, static: dynamic >= factor * static)


def fraction_of(limit: float) -> Goal:
    """Static at most ``limit`` times the dynamic figure."""
    return Goal(text=f"<= {limit:g}x dynamic", check=lambda dynamic, static: static <= limit * dynamic)


def over_limit_at_most(margin: float, unit: str) -> Goal:
    """Static at most ``margin`` above the row's physical limit."""
    return Goal(
        text=f"<= limit + {margin:g} {unit}",
        check=lambda _dynamic, _static: False,
        check_limit=lambda static, limit: static <= limit + margin,
    )


def at_most(limit: float, unit: str) -> Goal:
    """An absolute ceiling on the static figure."""
    return Goal(text=f"static <= {limit:g} {unit}", check=lambda _dynamic, static: static <= limit)


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    """One line of the table: a metric measured on both sides, in ``unit``."""

    metric: str
    unit: str
    dynamic: float
    static: float
    goal: Goal | None = None
    # The physical limit of the static figure, where one is known: what any
    # client must spend (e.g. the bare HTTP round trip), and what it is.
    limit: float | None = None
    limit_text: str = ""

    @property
    def passed(self) -> bool | None:
        if self.goal is None:
            return None
        if self.goal.check_limit is not None:
            return self.limit is not None and self.goal.check_limit(self.static, self.limit)
        return self.goal.check(self.dynamic, self.static)


def _run_batch(function: Callable[[], object], number: int) -> float:
    start = CLOCK()
    for _ in range(number):
        function()
    return CLOCK() - start


def calibrate(function: Callable[[], object]) -> int:
    """The number of calls that makes one batch last about ``BATCH_SECONDS``."""
    function()
    number = 1
    while True:
        elapsed = _run_batch(function, number)
        if elapsed >= BATCH_SECONDS or number >= MAX_BATCH:
            return number
        grown = number * 2 if elapsed <= 0 else math.ceil(number * 1.2 * BATCH_SECONDS / elapsed)
        number = min(MAX_BATCH, max(number + 1, grown))


def interleaved(dynamic: Callable[[], object], static: Callable[[], object], *, rounds: int) -> tuple[float, float]:
    """Median seconds per call of each function, over ``rounds`` alternating batches.

    The collector is left on, as callers have it, but a full collection runs
    before each batch so every batch starts from the same heap state.
    """
    dynamic_seconds, static_seconds = interleaved_all((dynamic, static), rounds=rounds)
    return dynamic_seconds, static_seconds


def interleaved_all(functions: Sequence[Callable[[], object]], *, rounds: int) -> list[float]:
    """``interleaved`` for any number of functions: the order reverses on every other round."""
    numbers = [calibrate(function) for function in functions]
    samples: list[list[float]] = [[] for _ in functions]
    forward = list(range(len(functions)))
    for round_index in range(rounds):
        for side in forward if round_index % 2 == 0 else forward[::-1]:
            gc.collect()
            samples[side].append(_run_batch(functions[side], numbers[side]) / numbers[side])
    return [statistics.median(side) for side in samples]


def alternate(
    dynamic: Callable[[], Sequence[float]], static: Callable[[], Sequence[float]], *, rounds: int
) -> tuple[list[list[float]], list[list[float]]]:
    """Call each sampler ``rounds`` times, alternating sides; collect what each returns."""
    samples: tuple[list[list[float]], list[list[float]]] = ([], [])
    samplers = (dynamic, static)
    for round_index in range(rounds):
        for side in (0, 1) if round_index % 2 == 0 else (1, 0):
            samples[side].append(list(samplers[side]()))
    return samples


def _number(value: float) -> str:
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _ratio(numerator: float, denominator: float) -> str:
    if denominator == 0:
        return "-"
    return f"{numerator / denominator:.2f}x"


def table(rows: Sequence[Row]) -> str:
    """The rows as an aligned text table; ``static/dyn`` below 1 means static is cheaper."""
    header = ("metric", "unit", "dynamic", "static", "limit", "static/dyn", "speedup", "goal", "result")
    lines = [header]
    notes: list[str] = []
    for row in rows:
        result = {True: "PASS", False: "FAIL", None: "-"}[row.passed]
        limit = "-"
        if row.limit is not None:
            notes.append(f"[{len(notes) + 1}] {row.metric}: {row.limit_text}")
            limit = f"{_number(row.limit)} [{len(notes)}]"
        lines.append(
            (
                row.metric,
                row.unit,
                _number(row.dynamic),
                _number(row.static),
                limit,
                _ratio(row.static, row.dynamic),
                _ratio(row.dynamic, row.static),
                row.goal.text if row.goal else "(info)",
                result,
            )
        )
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    numeric = {2, 3, 4, 5, 6}

    def render(line: Sequence[str]) -> str:
        cells = [
            cell.rjust(width) if index in numeric else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * width for width in widths)
    limits = ["", "limit: the least any client must spend for the same figure, where one is known", *notes]
    return "\n".join([render(lines[0]), rule, *(render(line) for line in lines[1:]), *(limits if notes else [])])


def verdict(rows: Sequence[Row], seconds: float) -> tuple[list[str], int]:
    """The closing lines and the exit status: 0 when every goal holds, else 1, naming each failed goal."""
    goals = [row for row in rows if row.passed is not None]
    failed = [row for row in goals if not row.passed]
    lines = [f"{len(goals) - len(failed)}/{len(goals)} goals passed in {seconds:.0f} s"]
    for row in failed:
        assert row.goal is not None
        lines.append(f"FAIL: {row.metric}: goal {row.goal.text}, measured {_number(row.static)} {row.unit}")
    return lines, 1 if failed else 0
