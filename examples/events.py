"""Receive Workspace events from Pub/Sub as typed objects, and keep the subscription alive.

Against the live API: a Pub/Sub subscription on the topic your Workspace
subscription publishes to, Application Default Credentials for Pub/Sub, and
OAuth user credentials (``token.json``) for the Workspace Events API:

    pip install 'workspaceevents[pubsub]'
    python examples/events.py --token token.json projects/p/subscriptions/workspace-events

Offline, against ``workspaceevents.testing.LocalServer``: a space, a meeting
and a file emit events, the clock runs to the expiration reminder, and the
keeper renews. The events go to the Pub/Sub emulator when
``PUBSUB_EMULATOR_HOST`` is set, to an in-process sink otherwise:

    python examples/events.py --local
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from datetime import timedelta
from typing import Any

from workspaceevents import build
from workspaceevents.credentials import from_authorized_user_file, from_token
from workspaceevents.events import (
    ConferenceStarted,
    Event,
    FileAdded,
    MessageCreated,
    SubscriptionExpirationReminder,
    SubscriptionSuspended,
    decode,
)
from workspaceevents.keeper import SubscriptionKeeper
from workspaceevents.subscription_helpers import create_subscription
from workspaceevents.v1 import WorkspaceeventsService

TOPIC = "projects/local-project/topics/workspace-events"


def describe(event: Event[Any]) -> str:
    """One line per event: isinstance narrows ``event.data`` to the payload's TypedDict."""
    if isinstance(event, MessageCreated):
        message = event.data.get("message", {})
        return f"chat message {message.get('name')}: {message.get('text', '(name only)')!r}"
    if isinstance(event, ConferenceStarted):
        return f"meeting started: {event.data.get('conferenceRecord', {}).get('name')}"
    if isinstance(event, FileAdded):
        return f"file added: {event.data.get('file', {}).get('name')}"
    if isinstance(event, SubscriptionExpirationReminder):
        return f"expiration reminder: {event.data.get('subscription', {}).get('expireTime')}"
    if isinstance(event, SubscriptionSuspended):
        return f"suspended: {event.data.get('subscription', {}).get('suspensionReason')}"
    return f"{event.type} (not typed by this version): {event.data!r}"


def handle(event: Event[Any], keeper: SubscriptionKeeper) -> None:
    stamp = event.time.isoformat() if event.time else "-"
    print(f"{stamp}  {describe(event)}")
    action = keeper.handle(event)
    if action is not None:
        print(f"           keeper: {action.kind} {action.subscription} {action.detail}".rstrip())


def run_local() -> int:
    from workspaceevents.events_delivery import InProcessSink, ManualClock
    from workspaceevents.testing import LocalServer

    clock = ManualClock()
    with LocalServer(operation_polls=0, clock=clock) as server:
        service: WorkspaceeventsService = build(
            "workspaceevents", "v1", credentials=from_token("local"), client_options={"api_endpoint": server.url}
        )
        keeper = SubscriptionKeeper(service, clock=clock, sleep=clock.advance)
        targets = [
            ("//chat.googleapis.com/spaces/AAA", "google.workspace.chat.message.v1.created", True),
            ("//meet.googleapis.com/spaces/MEET", "google.workspace.meet.conference.v2.started", False),
            ("//drive.googleapis.com/files/F1", "google.workspace.drive.file.v3.added", False),
        ]
        for target, event_type, include in targets:
            subscription = create_subscription(
                service,
                {
                    "targetResource": target,
                    "eventTypes": [event_type],
                    "notificationEndpoint": {"pubsubTopic": TOPIC},
                    "payloadOptions": {"includeResource": include},
                },
            )
            keeper.watch(subscription)
        server.emit(targets[0][0], targets[0][1], {"name": "spaces/AAA/messages/1", "text": "Lunch at noon?"})
        server.emit(targets[1][0], targets[1][1], {"name": "conferenceRecords/C1"})
        server.emit(targets[2][0], targets[2][1], {"name": "files/F1"})
        clock.advance(timedelta(hours=3, minutes=30))  # the chat subscription (4 h) gets its reminder
        server.tick()
        if isinstance(server.publisher, InProcessSink):
            for message in server.sink.pull(TOPIC):
                handle(decode(message), keeper)
        else:
            print(f"published to the emulator at {server.publisher}; pull {TOPIC} to read them")
        service.close()
    return 0


def run_live(token: str, subscription: str) -> int:  # pragma: no cover - needs Google Cloud
    try:
        pubsub_v1: Any = importlib.import_module("google.cloud.pubsub_v1")
    except ImportError:
        print(
            "receiving from Pub/Sub needs google-cloud-pubsub: pip install 'workspaceevents[pubsub]'", file=sys.stderr
        )
        return 2
    service: WorkspaceeventsService = build("workspaceevents", "v1", credentials=from_authorized_user_file(token))
    keeper = SubscriptionKeeper(service)

    def callback(message: Any) -> None:
        handle(decode(message), keeper)
        message.ack()

    future = pubsub_v1.SubscriberClient().subscribe(subscription, callback=callback)
    try:
        future.result()
    except KeyboardInterrupt:
        future.cancel()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--local", action="store_true", help="run offline against LocalServer")
    parser.add_argument("--token", help="authorized-user JSON file for the Workspace Events API")
    parser.add_argument("subscription", nargs="?", help="projects/PROJECT/subscriptions/SUBSCRIPTION to pull from")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    if args.local:
        return run_local()
    if not args.token or not args.subscription:
        parser.error("give --local, or --token FILE and a Pub/Sub subscription name")
    return run_live(args.token, args.subscription)


if __name__ == "__main__":
    sys.exit(main())
