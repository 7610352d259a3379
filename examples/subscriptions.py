"""Every Workspace Events v1 method, fully typed: checked by mypy --strict and pyright strict.

Run against the live API (a Chat space and a Pub/Sub topic you own; the API
needs OAuth user credentials, an API key alone is refused):

    WORKSPACEEVENTS_KEY=... python examples/subscriptions.py spaces/AAAA projects/p/topics/t

``run()`` takes the service, so tests drive it with recorded responses.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from typing_extensions import assert_type
from workspaceevents import build
from workspaceevents.errors import api_error
from workspaceevents.operations import OperationError, WaitOptions, wait_operation
from workspaceevents.pagination import Request, iter_items, iter_pages
from workspaceevents.subscription_helpers import (
    find_subscription,
    reactivate_subscription,
    renew_subscription,
    subscription_filter,
)
from workspaceevents.v1 import WorkspaceeventsService
from workspaceevents.v1.schemas import ListSubscriptionsResponse, Operation, Subscription

EVENT_TYPES = ["google.workspace.chat.message.v1.created", "google.workspace.chat.message.v1.updated"]


def _subscriptions(page: ListSubscriptionsResponse) -> list[Subscription]:
    return page.get("subscriptions", [])


def run(
    service: WorkspaceeventsService,
    space: str,
    topic: str,
    *,
    sleep: Callable[[float], object] | None = None,
    log: Callable[[str], object] = print,
) -> Subscription:
    """Create, read, list, renew, reactivate and delete one subscription; return the renewed one."""
    wait: WaitOptions = {"timeout": 120.0}
    if sleep is not None:
        wait["sleep"] = sleep
    target = f"//chat.googleapis.com/{space}"
    subscriptions = service.subscriptions()

    # subscriptions.create: a long-running operation whose response is the Subscription.
    body: Subscription = {
        "targetResource": target,
        "eventTypes": EVENT_TYPES,
        "notificationEndpoint": {"pubsubTopic": topic},
        "payloadOptions": {"includeResource": True, "fieldMask": "message.text"},
    }
    operation: Operation = subscriptions.create(body=body, validateOnly=False).execute()
    try:
        created = wait_operation(service, operation, response_type=Subscription, **wait)
    except OperationError as exc:
        log(f"create failed: {exc.status_name} {exc.message}")
        raise
    assert_type(created, Subscription)
    name = created.get("name", "")

    # operations.get: one poll by hand (wait_operation does this in a loop).
    polled = service.operations().get(name=operation.get("name", "")).execute()
    assert_type(polled, Operation)
    log(f"{polled.get('name')}: done={polled.get('done', False)}")

    # subscriptions.get
    current = subscriptions.get(name=name).execute()
    if current.get("state") == "SUSPENDED":
        log(f"suspended: {current.get('suspensionReason', 'ERROR_TYPE_UNSPECIFIED')}")

    # subscriptions.list and list_next, by hand ...
    request: Request[ListSubscriptionsResponse] | None
    request = subscriptions.list(filter=subscription_filter(EVENT_TYPES), pageSize=10)
    while request is not None:
        page = request.execute()
        for item in page.get("subscriptions", []):
            log(f"{item.get('name')} -> {item.get('targetResource')} ({item.get('state')})")
        request = subscriptions.list_next(request, page)

    # ... or with the helpers, keeping the types.
    pages = iter_pages(subscriptions, subscriptions.list(filter=subscription_filter(EVENT_TYPES, target)))
    log(f"pages: {sum(1 for _ in pages)}")
    for sub in iter_items(subscriptions, subscriptions.list(filter=subscription_filter(EVENT_TYPES)), _subscriptions):
        assert_type(sub, Subscription)
    found = find_subscription(service, target, EVENT_TYPES)
    log(f"found: {found.get('name') if found is not None else None}")

    # subscriptions.patch (renew the TTL), then reactivate.
    renewed = renew_subscription(service, name, "86400s", **wait)
    log(f"expires {renewed.get('expireTime')}")
    reactivated = reactivate_subscription(service, name, **wait)
    log(f"state {reactivated.get('state')}")

    # subscriptions.delete; a second delete shows the error helpers.
    subscriptions.delete(name=name, etag=renewed.get("etag"), validateOnly=False).execute()
    try:
        subscriptions.delete(name=name).execute()
    except Exception as exc:
        error = api_error(exc)
        if error is None:
            raise
        log(f"second delete: {error.status} {error.reason} {error.message}")
    subscriptions.delete(name=name, allowMissing=True).execute()

    # A batch request object, as googleapiclient gives one.
    service.new_batch_http_request()
    return renewed


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__)
        return 2
    service = build("workspaceevents", "v1", developerKey=os.environ.get("WORKSPACEEVENTS_KEY"))
    assert_type(service, WorkspaceeventsService)
    with service:
        run(service, argv[1], argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
