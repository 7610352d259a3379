"""Objects left for the cycle collector per call (count per call, exact, no timing).

With the collector disabled after a full collection, the call runs N times
with its result dropped; ``gc.collect()`` then returns how many unreachable
objects it found, divided by N. Anything above 0 is garbage only the cycle
collector can free: the dynamic client's resources hold reference cycles
through their bound methods (about 130 objects per accessor call); the
static goal is 0.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any

from . import _clients, _harness, calls
from ._harness import Row

CALLS = 200


def per_call(function: Callable[[], object], count: int = CALLS) -> float:
    """Unreachable objects the collector finds per call of ``function``."""
    function()  # the first static accessor call imports its resource module
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        for _ in range(count):
            function()
        return gc.collect() / count
    finally:
        if was_enabled:
            gc.enable()


def _measure(make: Callable[[Any], Callable[[], object]]) -> tuple[float, float]:
    dynamic, static = (per_call(make(build())) for build in _clients.BUILDERS)
    return dynamic, static


def run() -> list[Row]:
    accessor = _measure(calls.accessor)
    chain = _measure(calls.chain)
    get = _measure(calls.ops_get)
    build = per_call(_clients.build_dynamic, 20), per_call(_clients.build_static, 20)
    return [
        Row(
            metric="gc objects: service.subscriptions()",
            unit="objects",
            dynamic=accessor[0],
            static=accessor[1],
            goal=_harness.at_most(0, "objects"),
        ),
        Row(metric="gc objects: subscriptions().list()", unit="objects", dynamic=chain[0], static=chain[1]),
        Row(metric="gc objects: ops.get(name=...)", unit="objects", dynamic=get[0], static=get[1]),
        Row(metric="gc objects: build()", unit="objects", dynamic=build[0], static=build[1]),
    ]
