"""Iterate the pages and the items of any list method that has a ``<method>_next``.

Opt-in helpers: they call only the generated methods (``execute()`` and
``<method>_next``), so the requests on the wire are exactly the ones a hand
written ``while request is not None`` loop sends. Iteration stops when a page
has no ``nextPageToken`` or an empty one, as ``<method>_next`` decides.

    for page in iter_pages(service.subscriptions(), service.subscriptions().list(filter=f)):
        ...
    for sub in iter_items(service.subscriptions(), request, lambda page: page.get("subscriptions", [])):
        ...
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Protocol, TypeVar, overload

from .transport import Request

# ``Request`` is re-exported: it is the type every generated method returns.
__all__ = ["NextMethod", "Pageable", "Request", "iter_items", "iter_pages"]

_Page = TypeVar("_Page", bound=Mapping[str, Any])
_Item = TypeVar("_Item")

# ``resource.list_next`` (or any other ``<method>_next``) as a plain callable.
NextMethod = Callable[[Request[_Page], Mapping[str, Any]], "Request[_Page] | None"]


class Pageable(Protocol[_Page]):
    """A resource whose ``list`` method pages: it has ``list_next``."""

    def list_next(
        self, previous_request: Request[_Page], previous_response: Mapping[str, Any]
    ) -> Request[_Page] | None: ...


def iter_pages(
    resource: Pageable[_Page] | NextMethod[_Page],
    request: Request[_Page],
    *,
    num_retries: int = 0,
) -> Iterator[_Page]:
    """Execute ``request`` and every following page; yield each response.

    ``resource`` is the resource the request came from (its ``list_next`` is
    used) or a bound ``<method>_next`` such as ``resource.list_next``.
    Pages are fetched lazily, one ``execute()`` per page actually consumed.
    """
    next_method: NextMethod[_Page] = resource if callable(resource) else resource.list_next
    current: Request[_Page] | None = request
    while current is not None:
        page = current.execute(num_retries=num_retries)
        yield page
        current = next_method(current, page)


@overload
def iter_items(
    resource: Pageable[_Page] | NextMethod[_Page],
    request: Request[_Page],
    items: Callable[[_Page], Iterable[_Item]],
    *,
    num_retries: int = ...,
) -> Iterator[_Item]: ...


@overload
def iter_items(
    resource: Pageable[_Page] | NextMethod[_Page],
    request: Request[_Page],
    items: str,
    *,
    num_retries: int = ...,
) -> Iterator[Any]: ...


def iter_items(
    resource: Pageable[_Page] | NextMethod[_Page],
    request: Request[_Page],
    items: Callable[[_Page], Iterable[Any]] | str,
    *,
    num_retries: int = 0,
) -> Iterator[Any]:
    """Yield the items of every page, in order.

    ``items`` names the page's list field (``"subscriptions"``; the items are
    then typed ``Any``) or is a function from a page to its items, which keeps
    the item type: ``lambda page: page.get("subscriptions", [])``. A page
    without the field contributes nothing; the next page is still fetched.
    """
    for page in iter_pages(resource, request, num_retries=num_retries):
        if isinstance(items, str):
            yield from page.get(items) or ()
        else:
            yield from items(page)
