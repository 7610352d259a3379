"""Memory held per built service (KiB per service, tracemalloc).

After a warm-up that imports everything and touches every accessor (so
module-level allocations are not counted), each side builds N services and
keeps them alive; the growth in traced memory after a full collection,
divided by N, is what one service costs. Both sides share one mock http
object, so the figure is the service itself: for the dynamic client that
includes its parsed copy of the discovery document, for the static one its
client record.
"""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable
from typing import Any

from . import _clients
from ._harness import Row

SERVICES = 20


def per_service(build: Callable[[], Any], count: int = SERVICES) -> float:
    """Bytes retained per service built by ``build``."""
    warm = build()
    warm.operations()
    warm.subscriptions()
    del warm
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        kept = [build() for _ in range(count)]
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    del kept
    return (after - before) / count


def run() -> list[Row]:
    # One measurement each: tracemalloc counts bytes, not time, so load does not move it.
    dynamic, static = (per_service(build) / 1024 for build in _clients.BUILDERS)
    return [Row(metric="memory per built service", unit="KiB", dynamic=dynamic, static=static)]
