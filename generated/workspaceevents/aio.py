"""Call the service from asyncio: each request runs in a bounded thread pool.

The same module as ``discovery_runtime.aio``, under the import path
``workspaceevents.aio``::

    from workspaceevents.aio import execute

    subscription = await execute(service.subscriptions().get(name=name), timeout=10)
"""

from discovery_runtime.aio import DEFAULT_MAX_WORKERS, Pool, default_pool, execute, gather, iter_pages

__all__ = ["DEFAULT_MAX_WORKERS", "Pool", "default_pool", "execute", "gather", "iter_pages"]
