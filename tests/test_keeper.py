"""SubscriptionKeeper against LocalServer: lifecycle events from the server's own delivery drive every action.

The server and the keeper share one ManualClock; the keeper's sleep advances it, so backoff and the
write budget are observable as clock movement and no test waits.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import workspaceevents
from google.oauth2.credentials import Credentials
from workspaceevents.events import decode
from workspaceevents.events_delivery import InProcessSink, ManualClock
from workspaceevents.keeper import SubscriptionKeeper, suspension_advice
from workspaceevents.testing import Fault, LocalServer

TOPIC = "projects/p/topics/events"
SPACE = "//chat.googleapis.com/spaces/AAA"
CREATED = "google.workspace.chat.message.v1.created"
LIFECYCLE = "google.workspace.events.subscription.v1."


class Sleeper:
    """An injectable sleep that moves the clock instead of waiting."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        self.clock.advance(seconds)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def sink() -> InProcessSink:
    return InProcessSink()


@pytest.fixture
def server(clock: ManualClock, sink: InProcessSink) -> Iterator[LocalServer]:
    with LocalServer(operation_polls=0, clock=clock, publisher=sink) as running:
        yield running


@pytest.fixture
def service(server: LocalServer) -> Iterator[Any]:
    built = workspaceevents.build(
        "workspaceevents", "v1", credentials=Credentials(token="t"), client_options={"api_endpoint": server.url}
    )
    yield built
    built.close()


@pytest.fixture
def sleeper(clock: ManualClock) -> Sleeper:
    return Sleeper(clock)


@pytest.fixture
def keeper(service: Any, clock: ManualClock, sleeper: Sleeper) -> SubscriptionKeeper:
    return SubscriptionKeeper(service, clock=clock, sleep=sleeper)


def create(service: Any, include: bool = False, target: str = SPACE) -> dict[str, Any]:
    body: dict[str, Any] = {
        "targetResource": target,
        "eventTypes": [CREATED],
        "notificationEndpoint": {"pubsubTopic": TOPIC},
        "payloadOptions": {"includeResource": include},
    }
    operation = service.subscriptions().create(body=body).execute()
    return dict(operation["response"])


def lifecycle(sink: InProcessSink, action: str) -> list[Any]:
    return [event for event in map(decode, sink.pull(TOPIC)) if event.type == LIFECYCLE + action]


def patches(server: LocalServer) -> list[dict[str, Any]]:
    return [json.loads(r.body) for r in server.requests if r.method_id == "workspaceevents.subscriptions.patch"]


def test_a_reminder_renews_once_with_the_longest_ttl(
    server: LocalServer, service: Any, keeper: SubscriptionKeeper, clock: ManualClock, sink: InProcessSink
) -> None:
    subscription = create(service)
    keeper.watch(subscription)
    clock.advance(timedelta(days=7) - timedelta(hours=11))
    assert server.tick() == [LIFECYCLE + "expirationReminder"]
    (reminder,) = lifecycle(sink, "expirationReminder")
    first = keeper.handle(reminder)
    again = keeper.handle(reminder)
    assert first is not None and first.kind == "renewed"
    assert again is not None and again.kind == "skipped"
    assert patches(server) == [{"ttl": "604800s"}]
    assert server.subscriptions[subscription["name"]]["expireTime"] == first.expire_time


def test_a_second_reminder_for_the_old_expiry_does_not_renew_again(
    server: LocalServer, service: Any, keeper: SubscriptionKeeper, clock: ManualClock, sink: InProcessSink
) -> None:
    keeper.watch(create(service))
    clock.advance(timedelta(days=7) - timedelta(hours=11))
    server.tick()
    (reminder,) = lifecycle(sink, "expirationReminder")
    assert keeper.handle(reminder) is not None
    # The 1 h reminder for the *old* expireTime, e.g. delivered late: already renewed past it.
    late = decode(
        {
            "attributes": {**reminder.attributes, "ce-id": "late"},
            "data": base64.b64encode(json.dumps(reminder.data).encode()).decode(),
        }
    )
    action = keeper.handle(late)
    assert action is not None and action.kind == "skipped" and "already renewed" in action.detail
    assert len(patches(server)) == 1


def test_resource_payloads_renew_within_four_hours(
    server: LocalServer, service: Any, keeper: SubscriptionKeeper, clock: ManualClock
) -> None:
    subscription = create(service, include=True)
    assert subscription["expireTime"] == "2026-12-01T16:00:00.000000Z"  # created at 12:00, 4 h maximum
    keeper.watch(subscription)
    clock.advance(timedelta(hours=3))
    (action,) = keeper.run_once()
    assert action.kind == "renewed"
    assert patches(server) == [{"ttl": "14400s"}]


def test_run_once_leaves_far_expiries_alone(server: LocalServer, service: Any, keeper: SubscriptionKeeper) -> None:
    keeper.watch(create(service))
    assert keeper.run_once() == []
    assert patches(server) == []


def test_suspension_is_explained_and_reactivated_only_when_resolved(
    server: LocalServer, service: Any, keeper: SubscriptionKeeper, sink: InProcessSink
) -> None:
    subscription = create(service)
    keeper.watch(subscription)
    server.suspend(subscription["name"], "ENDPOINT_PERMISSION_DENIED")
    (event,) = lifecycle(sink, "suspended")
    action = keeper.handle(event)
    assert action is not None and action.kind == "suspended"
    assert "serviceAccount:chat-api-push@system.gserviceaccount.com" in action.detail
    assert "roles/pubsub.publisher" in action.detail and TOPIC in action.detail
    assert not [r for r in server.requests if r.method_id == "workspaceevents.subscriptions.reactivate"]
    assert keeper.run_once()[0].kind == "suspended"  # still suspended: reported again, not reactivated
    done = keeper.resolved(subscription["name"])
    assert done.kind == "reactivated"
    assert server.subscriptions[subscription["name"]]["state"] == "ACTIVE"
    assert subscription["name"] not in keeper.suspended


@pytest.mark.parametrize(
    ("reason", "words"),
    [
        ("USER_SCOPE_REVOKED", "re-consent"),
        ("APP_SCOPE_REVOKED", "administrator"),
        ("RESOURCE_DELETED", "delete this subscription"),
        ("ENDPOINT_NOT_FOUND", "create it"),
        ("OTHER", "no specific cause"),
    ],
)
def test_every_suspension_reason_has_a_fix(reason: str, words: str) -> None:
    advice = suspension_advice({"suspensionReason": reason, "eventTypes": [CREATED]})
    assert advice.startswith(reason) and words in advice


def test_expiry_recreates_from_the_recipe(
    server: LocalServer, service: Any, keeper: SubscriptionKeeper, clock: ManualClock, sink: InProcessSink
) -> None:
    old = create(service, include=True)
    keeper.watch(old)
    clock.advance(timedelta(hours=4, seconds=1))
    assert LIFECYCLE + "expired" in server.tick()
    assert old["name"] not in server.subscriptions
    (event,) = lifecycle(sink, "expired")
    action = keeper.handle(event)
    assert action is not None and action.kind == "recreated" and action.replacement
    new = server.subscriptions[action.replacement]
    for key in ("targetResource", "eventTypes", "notificationEndpoint", "payloadOptions"):
        assert new[key] == old[key]
    assert set(keeper.subscriptions) == {action.replacement}


def test_already_exists_reuses_the_existing_subscription(
    server: LocalServer, service: Any, keeper: SubscriptionKeeper
) -> None:
    old = create(service)
    keeper.watch(old)
    server.add_subscription(targetResource=SPACE, eventTypes=[CREATED], notificationEndpoint={"pubsubTopic": TOPIC})
    service.subscriptions().delete(name=old["name"]).execute()  # gone, but another one holds the target
    (action,) = keeper.run_once()
    assert action.kind == "reused" and action.replacement != old["name"]
    assert action.replacement in server.subscriptions


def test_retries_back_off_on_503(
    server: LocalServer, service: Any, keeper: SubscriptionKeeper, sleeper: Sleeper
) -> None:
    subscription = create(service)
    keeper.watch(subscription)
    server.inject(Fault.error(503), times=2, method_id="workspaceevents.subscriptions.patch")
    assert keeper.renew(subscription["name"]).kind == "renewed"
    assert sleeper.calls == [1.0, 2.0]


def test_writes_stay_within_the_per_minute_budget(service: Any, clock: ManualClock, sleeper: Sleeper) -> None:
    keeper = SubscriptionKeeper(service, clock=clock, sleep=sleeper, writes_per_minute=2)
    names = [create(service, target=f"//chat.googleapis.com/spaces/S{i}")["name"] for i in range(3)]
    for name in names:
        keeper.renew(name)
    assert sleeper.calls == [pytest.approx(30.0)]  # the third write waits for a token


def test_run_never_spins(keeper: SubscriptionKeeper, sleeper: Sleeper) -> None:
    keeper.run(timedelta(minutes=30), passes=3)
    assert sleeper.calls == [1800.0, 1800.0]
    with pytest.raises(ValueError, match="positive"):
        keeper.run(timedelta(0), passes=1)


def test_one_json_log_line_per_action(
    service: Any, keeper: SubscriptionKeeper, caplog: pytest.LogCaptureFixture
) -> None:
    subscription = create(service)
    with caplog.at_level(logging.INFO, logger="workspaceevents.keeper"):
        keeper.watch(subscription)
        keeper.renew(subscription["name"])
    (record,) = caplog.records
    line = json.loads(record.getMessage())
    assert line["action"] == "renewed" and line["subscription"] == subscription["name"]


def test_other_events_are_not_the_keepers_business(
    keeper: SubscriptionKeeper, server: LocalServer, service: Any, sink: InProcessSink
) -> None:
    create(service)
    server.emit(SPACE, CREATED, {"name": "spaces/AAA/messages/1"})
    (message,) = sink.pull(TOPIC)
    assert keeper.handle(decode(message)) is None
