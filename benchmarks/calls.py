"""Per-call cost with a built service in hand (CPU microseconds per call, medians).

- ``ops.get``: ``ops.get(name="operations/abc")`` on an ``operations()``
  resource obtained once; goal: static >= 4x faster.
- ``subs.patch``: ``subs.patch(name=..., body={...}, updateMask="ttl")`` on a
  ``subscriptions()`` resource obtained once; goal: static >= 4x faster.
- ``service.subscriptions()``: the accessor alone, result dropped; goal:
  static <= 5 us.
- ``service.subscriptions().list(pageSize=10)``: accessor and request in one
  chain, the way most callers write it; goal: static >= 20x faster.
- ``build()``: building the whole service (shared mock http), for information.

Only the request object is built; nothing is executed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import _clients, _harness
from ._harness import Row

PATCH_BODY = {"ttl": "3600s", "notificationEndpoint": {"pubsubTopic": "projects/p/topics/t"}}


def ops_get(service: Any) -> Callable[[], object]:
    ops = service.operations()
    return lambda: ops.get(name="operations/abc")


def subs_patch(service: Any) -> Callable[[], object]:
    subs = service.subscriptions()
    return lambda: subs.patch(name="subscriptions/abc", body=PATCH_BODY, updateMask="ttl")


def accessor(service: Any) -> Callable[[], object]:
    return service.subscriptions  # type: ignore[no-any-return]


def chain(service: Any) -> Callable[[], object]:
    return lambda: service.subscriptions().list(pageSize=10)


CASES: tuple[tuple[str, Callable[[Any], Callable[[], object]], _harness.Goal | None], ...] = (
    ("request build: ops.get(name=...)", ops_get, _harness.faster_by(4)),
    ("request build: subs.patch(name=, body=, updateMask=)", subs_patch, _harness.faster_by(4)),
    ("accessor: service.subscriptions()", accessor, _harness.at_most(5, "us")),
    ("chain: service.subscriptions().list(pageSize=10)", chain, _harness.faster_by(20)),
)


def run(rounds: int) -> list[Row]:
    dynamic, static = _clients.build_dynamic(), _clients.build_static()
    rows = []
    for metric, make, goal in CASES:
        dynamic_seconds, static_seconds = _harness.interleaved(make(dynamic), make(static), rounds=rounds)
        rows.append(
            Row(metric=metric, unit="us/call", dynamic=dynamic_seconds * 1e6, static=static_seconds * 1e6, goal=goal)
        )
    dynamic_seconds, static_seconds = _harness.interleaved(
        _clients.build_dynamic, _clients.build_static, rounds=max(5, rounds // 3)
    )
    rows.append(
        Row(
            metric="build(): service, warm process",
            unit="us/call",
            dynamic=dynamic_seconds * 1e6,
            static=static_seconds * 1e6,
        )
    )
    return rows
