"""How ``LocalServer`` delivers Workspace events: CloudEvents in Pub/Sub messages, as the API does.

Each event is one Pub/Sub message in binary content mode: the attributes
``ce-specversion``, ``ce-id``, ``ce-source`` (the subscription),
``ce-type``, ``ce-subject`` (the changed resource), ``ce-time`` and
``ce-datacontenttype``; the data is the JSON payload. A ``Publisher`` puts it
on the topic named in ``notificationEndpoint.pubsubTopic``:
``EmulatorPublisher`` through the real google-cloud-pubsub client (when
``PUBSUB_EMULATOR_HOST`` is set), ``InProcessSink`` into a list otherwise.
``ManualClock`` is the controllable clock that drives expiry and reminders.
"""

from __future__ import annotations

import base64
import datetime
import importlib
import itertools
import os
import threading
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from .events import EVENT_INFO

__all__ = [
    "EmulatorPublisher",
    "InProcessSink",
    "ManualClock",
    "PublishedMessage",
    "Publisher",
    "cloud_event",
    "default_publisher",
    "payload",
]

_SERVICE = "//workspaceevents.googleapis.com/"


class ManualClock:
    """A clock that moves only when told: ``clock()`` is now, ``clock.advance(timedelta(hours=1))``."""

    def __init__(self, start: datetime.datetime | None = None) -> None:
        self._now = start or datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.timezone.utc)
        self._lock = threading.Lock()

    def __call__(self) -> datetime.datetime:
        with self._lock:
            return self._now

    def advance(self, delta: datetime.timedelta | float) -> datetime.datetime:
        step = delta if isinstance(delta, datetime.timedelta) else datetime.timedelta(seconds=delta)
        with self._lock:
            self._now += step
            return self._now


@dataclass(frozen=True)
class PublishedMessage:
    """One message as a subscriber receives it: ``.attributes`` and ``.data`` bytes, like ``pubsub_v1`` Messages."""

    topic: str
    data: bytes
    attributes: Mapping[str, str]
    message_id: str
    publish_time: datetime.datetime = field(compare=False)

    def to_json(self) -> dict[str, Any]:
        """The ``PubsubMessage`` JSON form (base64 data), as in pull responses and push bodies."""
        return {
            "attributes": dict(self.attributes),
            "data": base64.b64encode(self.data).decode("ascii"),
            "messageId": self.message_id,
            "publishTime": self.publish_time.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        }


class Publisher(Protocol):
    def publish(self, topic: str, data: bytes, attributes: Mapping[str, str]) -> str:
        """Put one message on ``topic``; return its message ID."""
        ...


class InProcessSink:
    """Collects published messages in memory, per topic, in publish order."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: list[PublishedMessage] = []
        self._ids = itertools.count(1)

    def publish(self, topic: str, data: bytes, attributes: Mapping[str, str]) -> str:
        with self._lock:
            message_id = str(next(self._ids))
            now = datetime.datetime.now(datetime.timezone.utc)
            self._messages.append(PublishedMessage(topic, data, dict(attributes), message_id, now))
            return message_id

    def messages(self, topic: str | None = None) -> list[PublishedMessage]:
        """Every message published (to ``topic``), still held."""
        with self._lock:
            return [m for m in self._messages if topic is None or m.topic == topic]

    def pull(self, topic: str | None = None) -> list[PublishedMessage]:
        """Take the held messages (of ``topic``) out of the sink."""
        with self._lock:
            taken = [m for m in self._messages if topic is None or m.topic == topic]
            self._messages = [m for m in self._messages if m not in taken]
            return taken


class EmulatorPublisher:
    """Publishes through google-cloud-pubsub (an optional extra) to the emulator at ``PUBSUB_EMULATOR_HOST``."""

    def __init__(self, host: str | None = None, *, timeout: float = 10.0) -> None:
        self.host = host or os.environ.get("PUBSUB_EMULATOR_HOST", "")
        if not self.host:
            raise ValueError("EmulatorPublisher needs PUBSUB_EMULATOR_HOST (or host=) to name the emulator")
        self.timeout = timeout
        self._client: Any = None
        self._lock = threading.Lock()

    def _publisher(self) -> Any:
        with self._lock:
            if self._client is None:
                try:
                    pubsub_v1: Any = importlib.import_module("google.cloud.pubsub_v1")
                except ImportError:
                    raise RuntimeError(
                        "publishing to the emulator needs google-cloud-pubsub: pip install 'workspaceevents[pubsub]'"
                    ) from None
                os.environ.setdefault("PUBSUB_EMULATOR_HOST", self.host)
                self._client = pubsub_v1.PublisherClient(client_options={"api_endpoint": self.host})
            return self._client

    def publish(self, topic: str, data: bytes, attributes: Mapping[str, str]) -> str:
        future = self._publisher().publish(topic, data, **attributes)
        return str(future.result(timeout=self.timeout))


def default_publisher() -> Publisher:
    """The emulator when ``PUBSUB_EMULATOR_HOST`` is set, an in-process sink otherwise."""
    if os.environ.get("PUBSUB_EMULATOR_HOST"):
        return EmulatorPublisher()
    return InProcessSink()


def _timestamp(when: datetime.datetime) -> str:
    return when.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def cloud_event(
    *, subscription: str, event_type: str, subject: str, data: Mapping[str, Any], when: datetime.datetime
) -> tuple[bytes, dict[str, str]]:
    """The data and attributes of one Workspace event message (binary content mode)."""
    import json

    attributes = {
        "ce-specversion": "1.0",
        "ce-id": uuid.uuid4().hex,
        "ce-source": _SERVICE + subscription,
        "ce-type": event_type,
        "ce-subject": subject,
        "ce-time": _timestamp(when),
        "ce-datacontenttype": "application/json",
    }
    return json.dumps(data, separators=(",", ":")).encode(), attributes


def payload(event_type: str, resources: Sequence[Mapping[str, Any]], options: Mapping[str, Any]) -> dict[str, Any]:
    """The event's data: the resource(s) in full with ``includeResource``, else their names only.

    ``fieldMask`` (``message.sender,message.createTime``) keeps only the named top-level resource fields.
    """
    info = EVENT_INFO.get(event_type)
    if info is None or info.resource_field is None:
        return dict(resources[0]) if resources else {}
    lifecycle = event_type.startswith("google.workspace.events.")
    include = lifecycle or bool(options.get("includeResource"))  # lifecycle events always carry the subscription
    mask = [] if lifecycle else [path.strip() for path in str(options.get("fieldMask", "")).split(",") if path.strip()]

    def shape(resource: Mapping[str, Any], member: str) -> dict[str, Any]:
        if not include:
            return {"name": resource["name"]}
        if not mask:
            return dict(resource)
        keep = {path.split(".", 1)[1] for path in mask if path.startswith(member + ".")}
        return {key: value for key, value in resource.items() if key == "name" or key in keep}

    field_name = info.resource_field
    if not info.batch:
        return {field_name: shape(resources[0], field_name)}
    member = field_name[:-1] if field_name.endswith("s") else field_name  # messages -> message
    return {field_name: [{member: shape(resource, member)} for resource in resources]}
