"""workspaceevents.aio against a real LocalServer: results, errors, bounds, timeouts and cancellation.

Every test drives its own event loop with ``asyncio.run``; the service is
built with credentials, so it makes its own per-thread connections.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from workspaceevents import HttpError, build
from workspaceevents.aio import Pool, execute, gather, iter_pages
from workspaceevents.credentials import from_token
from workspaceevents.pagination import iter_pages as sync_iter_pages
from workspaceevents.testing import Fault, LocalServer
from workspaceevents.v1 import WorkspaceeventsService

SPACE = "//chat.googleapis.com/spaces/AAAA"
EVENTS = ["google.workspace.chat.message.v1.created"]
GET = "workspaceevents.subscriptions.get"
FILTER = 'event_types:"google.workspace.chat.message.v1.created"'


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer(operation_polls=0, page_size=2) as running:
        for index in range(5):
            running.add_subscription(targetResource=f"{SPACE}{index}", eventTypes=EVENTS)
        yield running


@pytest.fixture
def service(server: LocalServer) -> Iterator[WorkspaceeventsService]:
    options = {"api_endpoint": server.url}
    with build("workspaceevents", "v1", credentials=from_token("t"), client_options=options) as built:
        yield built


def _names(server: LocalServer) -> list[str]:
    return sorted(server.subscriptions)


def test_execute_returns_what_the_synchronous_call_returns(
    server: LocalServer, service: WorkspaceeventsService
) -> None:
    name = _names(server)[0]
    request = service.subscriptions().get(name=name)
    expected = service.subscriptions().get(name=name).execute()
    assert asyncio.run(execute(request)) == expected
    sync_call, async_call = server.requests[-2:]
    assert (async_call.method, async_call.path, async_call.query) == (sync_call.method, sync_call.path, sync_call.query)


def test_http_errors_are_raised_as_is(service: WorkspaceeventsService) -> None:
    with pytest.raises(HttpError) as caught:
        asyncio.run(execute(service.subscriptions().get(name="subscriptions/missing")))
    assert caught.value.status_code == 404


def test_gather_runs_concurrently_on_per_thread_connections(
    server: LocalServer, service: WorkspaceeventsService
) -> None:
    names = _names(server)
    server.inject(Fault.delay(0.2), times=len(names), method_id=GET)

    async def main() -> list[str]:
        async with Pool(max_workers=3) as pool:
            pages = await gather(*(service.subscriptions().get(name=n) for n in names), pool=pool)
        return [page.get("name", "") for page in pages]

    assert asyncio.run(main()) == names  # in order
    connections = {r.connection for r in server.requests if r.path.startswith("/v1/subscriptions/")}
    # More than one connection (the calls overlapped), never more than the pool's workers.
    assert 1 < len(connections) <= 3


def test_timeout_raises_in_the_caller_and_the_loop_stays_free(
    server: LocalServer, service: WorkspaceeventsService
) -> None:
    name = _names(server)[0]
    server.inject(Fault.delay(0.8), method_id=GET)

    async def main() -> tuple[bool, str]:
        async with Pool(max_workers=2) as pool:
            slow = execute(service.subscriptions().get(name=name), timeout=0.05, pool=pool)
            fast = execute(service.subscriptions().list(filter=FILTER, pageSize=1), pool=pool)
            outcome = await asyncio.gather(slow, fast, return_exceptions=True)
        timed_out = isinstance(outcome[0], asyncio.TimeoutError)
        page = outcome[1]
        return timed_out, repr(page) if isinstance(page, BaseException) else str(page.get("nextPageToken", ""))

    timed_out, token = asyncio.run(main())
    assert timed_out
    assert token  # the other call completed while the slow one was pending


def test_a_cancelled_request_still_queued_is_never_sent(server: LocalServer, service: WorkspaceeventsService) -> None:
    first, second = _names(server)[:2]
    server.inject(Fault.delay(0.3), method_id=GET)

    async def main() -> bool:
        async with Pool(max_workers=1) as pool:
            running = asyncio.ensure_future(execute(service.subscriptions().get(name=first), pool=pool))
            queued = asyncio.ensure_future(execute(service.subscriptions().get(name=second), pool=pool))
            await asyncio.sleep(0.05)
            queued.cancel()
            with pytest.raises(asyncio.CancelledError):
                await queued
            await running
        return queued.cancelled()

    assert asyncio.run(main())
    paths = [r.path for r in server.requests]
    assert f"/v1/{first}" in paths and f"/v1/{second}" not in paths


def test_iter_pages_fetches_the_same_pages_as_the_synchronous_helper(service: WorkspaceeventsService) -> None:
    subscriptions = service.subscriptions()
    expected = list(sync_iter_pages(subscriptions, subscriptions.list(filter=FILTER)))

    async def main() -> list[object]:
        return [page async for page in iter_pages(subscriptions, subscriptions.list(filter=FILTER))]

    pages = asyncio.run(main())
    assert pages == expected and len(pages) == 3


def test_a_pool_needs_a_worker() -> None:
    with pytest.raises(ValueError, match="max_workers"):
        Pool(max_workers=0)
