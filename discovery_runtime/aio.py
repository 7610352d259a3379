"""Call a generated service from asyncio: each request runs in a bounded thread pool.

The synchronous surface is unchanged; this module only moves ``execute()`` off
the event loop. It relies on the service's per-thread connections: when the
service makes its own http object (credentials, ADC, developer key), every
worker thread gets its own connection, so one service can serve many
concurrent coroutines. An ``http=`` object you pass to ``build()`` is used
exactly as given, from several threads: use ``max_workers=1`` for one that is
not thread-safe.

    from workspaceevents.aio import execute, iter_pages

    subscription = await execute(service.subscriptions().get(name=name), timeout=10)
    async for page in iter_pages(subscriptions, subscriptions.list(filter=f)):
        ...

Cancellation and timeouts behave as an asyncio user expects: the awaiting
task gets ``CancelledError`` or ``asyncio.TimeoutError`` at once. A request still
queued for a worker is never sent; one already sent cannot be interrupted
(httplib2 blocks its thread), so it finishes in its worker and its result or
error is discarded. Use the http object's socket timeout (``httplib2.Http(timeout=...)``)
to bound the worker too.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any, TypeVar

from .pagination import NextMethod, Pageable, Request

__all__ = ["DEFAULT_MAX_WORKERS", "Pool", "default_pool", "execute", "gather", "iter_pages"]

_T = TypeVar("_T")
_Page = TypeVar("_Page", bound=Mapping[str, Any])

# googleapiclient's requests are I/O bound; a handful of connections per process is the usual budget.
DEFAULT_MAX_WORKERS = 8


class Pool:
    """A bounded thread pool for ``execute()``: at most ``max_workers`` requests in flight.

    Threads start on demand; ``close()`` (or ``async with``) waits for the ones in flight.
    """

    def __init__(self, max_workers: int = DEFAULT_MAX_WORKERS, *, thread_name_prefix: str = "discovery-aio") -> None:
        if max_workers < 1:
            raise ValueError("max_workers must be at least 1")
        self.max_workers = max_workers
        self._executor = concurrent.futures.ThreadPoolExecutor(max_workers, thread_name_prefix=thread_name_prefix)

    def run(self, function: Callable[[], _T]) -> Awaitable[_T]:
        """``function()`` in a worker, as an awaitable of the running loop."""
        return asyncio.get_running_loop().run_in_executor(self._executor, function)

    def close(self, *, wait: bool = True) -> None:
        # Queued work is dropped: its awaiting tasks are cancelled or gone.
        self._executor.shutdown(wait=wait, cancel_futures=True)

    async def __aenter__(self) -> Pool:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await asyncio.get_running_loop().run_in_executor(None, self.close)


_default: list[Pool] = []  # at most one: the process-wide pool
_default_lock = threading.Lock()


def default_pool() -> Pool:
    """The process-wide pool ``execute()`` uses when given none (created on first use)."""
    with _default_lock:
        if not _default:
            _default.append(Pool())
        return _default[0]


async def execute(
    request: Request[_T], *, num_retries: int = 0, timeout: float | None = None, pool: Pool | None = None
) -> _T:
    """``await`` a generated request: ``request.execute(num_retries=...)`` in a worker thread.

    ``timeout`` (seconds) raises ``asyncio.TimeoutError`` (the builtin
    ``TimeoutError`` from Python 3.11) in the caller when the answer takes longer; googleapiclient's errors (``HttpError``...) are raised as is.
    """
    call = functools.partial(request.execute, num_retries=num_retries)
    running = (pool or default_pool()).run(call)
    if timeout is None:
        return await running
    return await asyncio.wait_for(running, timeout)


async def gather(
    *requests: Request[_T], num_retries: int = 0, timeout: float | None = None, pool: Pool | None = None
) -> list[_T]:
    """Execute ``requests`` concurrently (bounded by the pool); results in order, the first error raised."""
    calls = [execute(r, num_retries=num_retries, timeout=timeout, pool=pool) for r in requests]
    return list(await asyncio.gather(*calls))


async def iter_pages(
    resource: Pageable[_Page] | NextMethod[_Page],
    request: Request[_Page],
    *,
    num_retries: int = 0,
    timeout: float | None = None,
    pool: Pool | None = None,
) -> AsyncIterator[_Page]:
    """``pagination.iter_pages`` for asyncio: each page is fetched in a worker when it is wanted."""
    next_method: NextMethod[_Page] = resource if callable(resource) else resource.list_next
    current: Request[_Page] | None = request
    while current is not None:
        page = await execute(current, num_retries=num_retries, timeout=timeout, pool=pool)
        yield page
        current = next_method(current, page)
