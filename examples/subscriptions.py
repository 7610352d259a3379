"""Every Workspace Events v1 method, fully typed: checked by mypy --strict and pyright strict.

Against the live API: a Chat space and a Pub/Sub topic you own, and OAuth user
credentials (the API refuses an API key alone) in an authorized-user file,
such as the ``token.json`` Google's quickstarts write, with a Chat scope
(e.g. ``https://www.googleapis.com/auth/chat.messages.readonly``):

    python examples/subscriptions.py --token token.json spaces/AAAA projects/p/topics/t

Offline, against ``workspaceevents.testing.LocalServer`` on 127.0.0.1 (a real
HTTP server; the credentials are a fixed bearer token):

    python examples/subscriptions.py --local

``run()`` takes the service, so tests also drive it with recorded responses.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Generator
from contextlib import contextmanager

from typing_extensions import assert_type
from workspaceevents import HttpError, build
from workspaceevents.credentials import from_authorized_user_file, from_token
from workspaceevents.errors import api_error, has_status
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
    initial_delay: float = 1.0,
    batch: bool = False,
    log: Callable[[str], object] = print,
) -> Subscription:
    """Create, read, list, renew, reactivate and delete one subscription; return the renewed one.

    ``batch``: also send one batch request (googleapiclient sends batches to
    the API's own host whatever ``api_endpoint`` says, so not to a local server).
    """
    wait: WaitOptions = {"timeout": 120.0, "initial_delay": initial_delay}
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

    # subscriptions.patch (renew the TTL), then reactivate. Only a SUSPENDED
    # subscription can be reactivated: the API answers 400 FAILED_PRECONDITION
    # for an ACTIVE one, which is shown here and is not an error.
    # "0s" asks for the longest TTL allowed: 4 hours with includeResource, 7 days without.
    renewed = renew_subscription(service, name, "0s", **wait)
    log(f"expires {renewed.get('expireTime')}")
    if current.get("state") == "SUSPENDED":
        reactivated = reactivate_subscription(service, name, **wait)
        log(f"state {reactivated.get('state')}")
    else:
        try:
            subscriptions.reactivate(name=name, body={}).execute()
        except HttpError as exc:
            if not has_status(exc, "FAILED_PRECONDITION"):
                raise
            log(f"reactivate: {current.get('state')}, nothing to reactivate ({exc.status_code} FAILED_PRECONDITION)")

    # subscriptions.delete; a second delete shows the error helpers.
    subscriptions.delete(name=name, etag=renewed.get("etag"), validateOnly=False).execute()
    try:
        subscriptions.delete(name=name).execute()
    except HttpError as exc:
        error = api_error(exc)
        if error is None:
            raise
        log(f"second delete: {error.status} {error.reason} {error.message}")
    subscriptions.delete(name=name, allowMissing=True).execute()

    # A batch: one HTTP request, a typed callback per part (a deleted name: 404).
    def on_get(request_id: str, response: Subscription | None, exception: HttpError | None) -> None:
        outcome = exception.status_code if exception is not None else (response or {}).get("state")
        log(f"batch {request_id}: {outcome}")

    parts = service.new_batch_http_request()
    parts.add(subscriptions.get(name=name), callback=on_get, request_id="deleted")
    if batch:
        parts.execute()
    return renewed


@contextmanager
def _local_service() -> Generator[WorkspaceeventsService, None, None]:
    """The service against a LocalServer, with credentials that send a fixed bearer token."""
    from workspaceevents.testing import LocalServer

    with LocalServer(operation_polls=1) as server:
        options = {"api_endpoint": server.url}
        with build("workspaceevents", "v1", credentials=from_token("local"), client_options=options) as service:
            yield service


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="subscriptions.py", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--local", action="store_true", help="run offline against a LocalServer on 127.0.0.1")
    parser.add_argument("--token", default="token.json", help="authorized-user credentials file (default: token.json)")
    parser.add_argument("space", nargs="?", help="a Chat space you own: spaces/AAAA")
    parser.add_argument("topic", nargs="?", help="a Pub/Sub topic you own: projects/p/topics/t")
    args = parser.parse_args(argv[1:])
    if args.local:
        with _local_service() as service:
            # The local server finishes an operation on its first poll: no need to wait a second.
            run(service, args.space or "spaces/AAAA", args.topic or "projects/local/topics/events", initial_delay=0.01)
        return 0
    if args.space is None or args.topic is None:
        parser.error("the live API needs SPACE and TOPIC (or --local)")
    try:
        credentials = from_authorized_user_file(args.token)
    except (OSError, ValueError) as exc:
        parser.error(f"{args.token}: not an authorized-user credentials file ({exc})")
    service = build("workspaceevents", "v1", credentials=credentials)
    assert_type(service, WorkspaceeventsService)
    with service:
        run(service, args.space, args.topic, batch=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
