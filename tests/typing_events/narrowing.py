"""Type checkers narrow ``event.data`` with isinstance; checked by tests/test_events_typing.py."""

from __future__ import annotations

from typing import Any

from typing_extensions import assert_type
from workspaceevents.events import (
    ConferenceStarted,
    ConferenceStartedData,
    Event,
    MessageBatchCreated,
    MessageCreated,
    SubscriptionSuspended,
    decode,
)
from workspaceevents.events.payloads import chat_v1, meet_v2


def handle(raw: bytes) -> str:
    event = decode(raw)
    assert_type(event, Event[Any])
    if isinstance(event, MessageCreated):
        assert_type(event.data, chat_v1.MessageCreatedEventData)
        message = event.data.get("message", {})
        assert_type(message, chat_v1.Message)
        return message.get("text", "")
    if isinstance(event, MessageBatchCreated):
        return ", ".join(item.get("message", {}).get("name", "") for item in event.data.get("messages", []))
    if isinstance(event, ConferenceStarted):
        assert_type(event.data, ConferenceStartedData)
        record = event.data.get("conferenceRecord", {})
        assert_type(record, meet_v2.ConferenceRecord)
        return record.get("name", "")
    if isinstance(event, SubscriptionSuspended):
        return event.data.get("subscription", {}).get("suspensionReason", "")
    return event.type
