"""Iterate the pages and the items of any list method that has a ``<method>_next``.

The same module as ``discovery_runtime.pagination``, under the import path
``workspaceevents.pagination``.
"""

from discovery_runtime.pagination import NextMethod, Pageable, Request, iter_items, iter_pages

__all__ = ["NextMethod", "Pageable", "Request", "iter_items", "iter_pages"]
