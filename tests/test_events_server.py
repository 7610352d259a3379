"""LocalServer as Workspace Events: its fidelity fixes, and the events it delivers to the in-process sink."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator, Mapping
from datetime import timedelta
from typing import Any

import pytest
import workspaceevents
from google.oauth2.credentials import Credentials
from googleapiclient.errors import HttpError
from workspaceevents.events import (
    ConferenceStarted,
    FileContentChanged,
    MessageBatchCreated,
    MessageCreated,
    SubscriptionExpirationReminder,
    SubscriptionExpired,
    SubscriptionSuspended,
    decode,
)
from workspaceevents.events_delivery import InProcessSink, ManualClock
from workspaceevents.subscription_helpers import create_subscription
from workspaceevents.testing import LocalServer

TOPIC = "projects/p/topics/events"
SPACE = "//chat.googleapis.com/spaces/AAA"
MEETING = "//meet.googleapis.com/spaces/MEET"
FILE = "//drive.googleapis.com/files/F1"
CREATED = "google.workspace.chat.message.v1.created"
MESSAGE = {"name": "spaces/AAA/messages/M1", "text": "hello", "sender": {"name": "users/1", "type": "HUMAN"}}


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


def body(target: str = SPACE, types: tuple[str, ...] = (CREATED,), **extra: Any) -> dict[str, Any]:
    return {
        "targetResource": target,
        "eventTypes": list(types),
        "notificationEndpoint": {"pubsubTopic": TOPIC},
        **extra,
    }


def create(service: Any, **kwargs: Any) -> dict[str, Any]:
    return dict(service.subscriptions().create(body=body(**kwargs)).execute()["response"])


def error_json(error: HttpError) -> dict[str, Any]:
    return dict(json.loads(error.content)["error"])


def test_a_duplicate_create_is_409_already_exists(service: Any) -> None:
    create(service)
    with pytest.raises(HttpError) as caught:
        service.subscriptions().create(body=body()).execute()
    assert caught.value.resp.status == 409
    assert error_json(caught.value)["status"] == "ALREADY_EXISTS"


def test_the_create_or_reuse_helper_works_against_it(service: Any) -> None:
    first = create(service)
    again = create_subscription(service, body(), reuse_existing=True)  # type: ignore[arg-type]
    assert again["name"] == first["name"]


def test_snake_case_body_keys_are_accepted(service: Any, server: LocalServer) -> None:
    snake = {
        "target_resource": SPACE,
        "event_types": [CREATED],
        "notification_endpoint": {"pubsub_topic": TOPIC},
        "payload_options": {"include_resource": True},
    }
    request = service.subscriptions().create(body=snake)
    created = request.execute()["response"]
    assert created["targetResource"] == SPACE and created["payloadOptions"] == {"includeResource": True}


def test_reactivating_an_active_subscription_is_failed_precondition(service: Any) -> None:
    subscription = create(service)
    with pytest.raises(HttpError) as caught:
        service.subscriptions().reactivate(name=subscription["name"], body={}).execute()
    assert caught.value.resp.status == 400
    assert error_json(caught.value)["status"] == "FAILED_PRECONDITION"


def test_resource_payloads_cap_the_ttl_at_four_hours(service: Any) -> None:
    with pytest.raises(HttpError, match="4 hours"):
        service.subscriptions().create(body=body(payloadOptions={"includeResource": True}, ttl="86400s")).execute()


@pytest.mark.parametrize("include", [False, True])
def test_emit_delivers_a_typed_event_in_both_payload_forms(
    service: Any, server: LocalServer, sink: InProcessSink, include: bool
) -> None:
    subscription = create(service, payloadOptions={"includeResource": include})
    (message_id,) = server.emit(SPACE, CREATED, MESSAGE)
    (message,) = sink.pull(TOPIC)
    assert message.message_id == message_id
    for shape in (
        message,
        message.to_json(),
        {"message": message.to_json(), "subscription": "projects/p/subscriptions/s"},
    ):
        event = decode(shape)
        assert isinstance(event, MessageCreated)
        assert event.source == "//workspaceevents.googleapis.com/" + subscription["name"]
        assert event.subject == "//chat.googleapis.com/spaces/AAA/messages/M1"
        assert event.data["message"] == (MESSAGE if include else {"name": MESSAGE["name"]})


def test_field_mask_keeps_the_named_fields(service: Any, server: LocalServer, sink: InProcessSink) -> None:
    create(service, payloadOptions={"includeResource": True, "fieldMask": "message.text"})
    server.emit(SPACE, CREATED, MESSAGE)
    event = decode(sink.pull(TOPIC)[0])
    assert event.data == {"message": {"name": MESSAGE["name"], "text": "hello"}}


def test_batch_meet_and_drive_events(service: Any, server: LocalServer, sink: InProcessSink) -> None:
    batch = "google.workspace.chat.message.v1.batchCreated"
    started = "google.workspace.meet.conference.v2.started"
    changed = "google.workspace.drive.file.v3.contentChanged"
    create(service, types=(batch,))
    create(service, target=MEETING, types=(started,))
    create(service, target=FILE, types=(changed,))
    server.emit(SPACE, batch, {"name": "spaces/AAA/messages/1"}, {"name": "spaces/AAA/messages/2"})
    server.emit(MEETING, started, {"name": "conferenceRecords/C1"})
    server.emit(FILE, changed, {"name": "files/F1"})
    server.emit(FILE, "google.workspace.drive.file.v3.trashed", {"name": "files/F1"})  # nobody asked: not sent
    events = [decode(m) for m in sink.pull(TOPIC)]
    assert [type(e) for e in events] == [MessageBatchCreated, ConferenceStarted, FileContentChanged]
    assert events[0].resource_names == ("spaces/AAA/messages/1", "spaces/AAA/messages/2")
    assert events[1].resource_names == ("conferenceRecords/C1",)


def test_reminders_at_twelve_and_one_hour_then_expiry(
    service: Any, server: LocalServer, sink: InProcessSink, clock: ManualClock
) -> None:
    subscription = create(service)
    assert server.tick() == []
    clock.advance(timedelta(days=7) - timedelta(hours=12))
    assert server.tick() == ["google.workspace.events.subscription.v1.expirationReminder"]
    assert server.tick() == []  # once per window
    clock.advance(timedelta(hours=11))
    assert server.tick() == ["google.workspace.events.subscription.v1.expirationReminder"]
    server.emit(SPACE, CREATED, MESSAGE)
    clock.advance(timedelta(hours=1))
    assert server.tick() == ["google.workspace.events.subscription.v1.expired"]
    assert server.subscriptions == {}
    events = [decode(m) for m in sink.pull(TOPIC)]
    assert [type(e) for e in events] == [
        SubscriptionExpirationReminder,
        SubscriptionExpirationReminder,
        MessageCreated,
        SubscriptionExpired,
    ]
    assert events[-1].data["subscription"]["name"] == subscription["name"]
    server.emit(SPACE, CREATED, MESSAGE)
    assert sink.pull(TOPIC) == []  # deleted for good


def test_suspension_sends_its_event_and_stops_delivery(service: Any, server: LocalServer, sink: InProcessSink) -> None:
    subscription = create(service)
    server.suspend(subscription["name"], "USER_SCOPE_REVOKED")
    (event,) = [decode(m) for m in sink.pull(TOPIC)]
    assert isinstance(event, SubscriptionSuspended)
    assert event.data["subscription"].get("suspensionReason") == "USER_SCOPE_REVOKED"
    assert server.emit(SPACE, CREATED, MESSAGE) == []


def test_emit_needs_named_resources(server: LocalServer) -> None:
    with pytest.raises(ValueError, match="name"):
        server.emit(SPACE, CREATED, {"text": "no name"})


def test_snake_case_keys_on_the_wire_are_accepted(server: LocalServer) -> None:
    # Sent as is (a client may normalise keys itself): the server must parse them as Google does.
    payload = json.dumps(
        {
            "target_resource": FILE,
            "event_types": ["google.workspace.drive.file.v3.added"],
            "notification_endpoint": {"pubsub_topic": TOPIC},
        }
    )
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request(
            "POST", "/v1/subscriptions", payload, {"Content-Type": "application/json", "Authorization": "Bearer t"}
        )
        response = connection.getresponse()
        answer = json.loads(response.read())
    finally:
        connection.close()
    assert response.status == 200, answer
    assert answer["response"]["targetResource"] == FILE


class PermissionDenied(Exception):
    """Named as google.api_core names the gRPC status, as the real client raises it."""


class RefusingPublisher:
    def publish(self, topic: str, data: bytes, attributes: Mapping[str, str]) -> str:
        raise PermissionDenied(f"User not authorized to perform this action on {topic}")


def test_a_failed_delivery_suspends_the_subscription(clock: ManualClock) -> None:
    with LocalServer(operation_polls=0, clock=clock, publisher=RefusingPublisher()) as server:
        subscription = server.add_subscription(
            targetResource=SPACE, eventTypes=[CREATED], notificationEndpoint={"pubsubTopic": TOPIC}
        )
        assert server.emit(SPACE, CREATED, MESSAGE) == []
        current = server.subscriptions[subscription["name"]]
        assert current["state"] == "SUSPENDED"
        assert current["suspensionReason"] == "ENDPOINT_PERMISSION_DENIED"
        assert [error[:2] for error in server.delivery_errors] == [(TOPIC, CREATED)]
