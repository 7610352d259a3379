"""Mistakes the event types must catch: each marked line is an error for mypy --strict and pyright strict."""

from __future__ import annotations

from workspaceevents.events import ConferenceStarted, MessageCreated, decode


def wrong(raw: bytes) -> None:
    event = decode(raw)
    if isinstance(event, MessageCreated):
        event.data["conferenceRecord"]  # expect-error
        text: int = event.data.get("message", {}).get("text", "")  # expect-error
        print(text)
    if isinstance(event, ConferenceStarted):
        event.data["message"]  # expect-error
        name: int = event.data.get("conferenceRecord", {}).get("name", "")  # expect-error
        print(name)
