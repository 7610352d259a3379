"""Workspace Events conveniences built on the generated v1 methods.

Opt-in, module-level functions: each one calls generated methods with
arguments you could have written yourself, so the requests on the wire are
exactly theirs. ``create_subscription``, ``renew_subscription`` and
``reactivate_subscription`` wait for the long-running operation they start
with ``operations.wait_operation``; its options (``timeout``, ``initial_delay``,
``multiplier``, ``max_delay``, ``clock``, ``sleep``, ``num_retries``) pass
through as keyword arguments.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import timedelta
from typing import TYPE_CHECKING, cast

from discovery_runtime.errors import has_status
from discovery_runtime.operations import WaitOptions, wait_operation
from discovery_runtime.pagination import iter_items

# Types only: importing this module loads nothing from the version package.
if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .v1.schemas import ListSubscriptionsResponse, Subscription
    from .v1.service import WorkspaceeventsService

__all__ = [
    "create_subscription",
    "duration",
    "find_subscription",
    "iter_subscriptions",
    "reactivate_subscription",
    "renew_subscription",
    "subscription_filter",
]


def duration(value: str | timedelta | float) -> str:
    """A google.protobuf.Duration in JSON form: ``timedelta(days=1)`` -> ``"86400s"``."""
    if isinstance(value, str):
        return value
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    text = f"{seconds:.9f}".rstrip("0").rstrip(".")
    return f"{text}s"


def _quote(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def subscription_filter(event_types: Iterable[str], target_resource: str | None = None) -> str:
    """The ``filter`` of ``subscriptions.list``: any of ``event_types``, on ``target_resource`` if given.

    ``subscription_filter(["google.workspace.chat.message.v1.created"], "//chat.googleapis.com/spaces/S")``
    gives ``event_types:"google.workspace.chat.message.v1.created" AND target_resource="//chat.googleapis.com/spaces/S"``.
    """
    types = [f"event_types:{_quote(t)}" for t in event_types]
    if not types:
        raise ValueError("subscriptions.list needs at least one event type")
    query = " OR ".join(types)
    if target_resource is None:
        return query
    if len(types) > 1:
        query = f"( {query} )"
    return f"{query} AND target_resource={_quote(target_resource)}"


def _subscriptions(page: ListSubscriptionsResponse) -> list[Subscription]:
    return page.get("subscriptions", [])


def iter_subscriptions(
    service: WorkspaceeventsService, filter: str, *, page_size: int | None = None, num_retries: int = 0
) -> Iterator[Subscription]:
    """Every subscription ``subscriptions.list(filter=...)`` returns, across all pages."""
    resource = service.subscriptions()
    request = resource.list(filter=filter, pageSize=page_size)
    return iter_items(resource, request, _subscriptions, num_retries=num_retries)


def find_subscription(
    service: WorkspaceeventsService,
    target_resource: str,
    event_types: Iterable[str],
    *,
    page_size: int | None = None,
    num_retries: int = 0,
) -> Subscription | None:
    """The caller's subscription on ``target_resource`` for any of ``event_types``, or ``None``.

    A user can hold only one subscription per target resource (a second
    ``create`` fails with ALREADY_EXISTS), so the first match is the one.
    Pages are fetched only until it is found.
    """
    query = subscription_filter(event_types, target_resource)
    for subscription in iter_subscriptions(service, query, page_size=page_size, num_retries=num_retries):
        if subscription.get("targetResource") == target_resource:
            return subscription
    return None


def create_subscription(
    service: WorkspaceeventsService,
    body: Subscription,
    *,
    reuse_existing: bool = False,
    **wait: Unpack[WaitOptions],
) -> Subscription:
    """Create a subscription and wait for it.

    With ``reuse_existing``, an ALREADY_EXISTS answer is resolved by returning
    the existing subscription on the same target resource (``find_subscription``).
    """
    num_retries = wait.get("num_retries", 0)
    try:
        operation = service.subscriptions().create(body=body).execute(num_retries=num_retries)
    except Exception as exc:
        target = body.get("targetResource")
        if not (reuse_existing and target and has_status(exc, "ALREADY_EXISTS")):
            raise
        existing = find_subscription(service, target, body.get("eventTypes", []), num_retries=num_retries)
        if existing is None:
            raise
        return existing
    return cast("Subscription", wait_operation(service, operation, **wait))


def renew_subscription(
    service: WorkspaceeventsService,
    name: str,
    ttl: str | timedelta | float = "0s",
    **wait: Unpack[WaitOptions],
) -> Subscription:
    """Extend a subscription: ``patch(updateMask="ttl", body={"ttl": ...})``, then wait.

    ``ttl`` is a duration (``"86400s"``, a ``timedelta`` or seconds); ``"0s"``,
    the default, asks for the longest duration the server allows.
    """
    num_retries = wait.get("num_retries", 0)
    request = service.subscriptions().patch(name=name, updateMask="ttl", body={"ttl": duration(ttl)})
    operation = request.execute(num_retries=num_retries)
    return cast("Subscription", wait_operation(service, operation, **wait))


def reactivate_subscription(service: WorkspaceeventsService, name: str, **wait: Unpack[WaitOptions]) -> Subscription:
    """Reactivate a suspended subscription and wait until it is active again."""
    num_retries = wait.get("num_retries", 0)
    operation = service.subscriptions().reactivate(name=name, body={}).execute(num_retries=num_retries)
    return cast("Subscription", wait_operation(service, operation, **wait))
