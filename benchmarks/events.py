"""Decoding Workspace events: ``workspaceevents.events.decode`` against ``json.loads`` of the same payload.

The "dynamic" column is the baseline each row names, the "static" column this
package. The payload is a realistic Chat ``message.v1.created`` event with the
full resource (``tests/events_corpus/messages.json``). Goal: decoding a
streaming-pull ``Message`` (``.attributes`` + ``.data``) costs at most 1.5x
``json.loads`` of its data: a typed event, a parsed timezone-aware ``time``
and the checks, for half the parse again. Also, for information: the
base64 ``PubsubMessage`` JSON form, and CloudEvents over HTTP against the CNCF
SDK's ``from_http`` (binary mode) with its own JSON parsing.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import _harness
from ._harness import Row

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "events_corpus" / "messages.json"
EVENT_TYPE = "google.workspace.chat.message.v1.created"


@dataclass
class _Message:
    """The shape of a google-cloud-pubsub ``Message`` as a streaming-pull callback gets it."""

    attributes: dict[str, str]
    data: bytes


def _sample() -> dict[str, Any]:
    entries = json.loads(CORPUS.read_text(encoding="utf-8"))
    for entry in entries:
        if entry["type"] == EVENT_TYPE and entry["include_resource"]:
            message = entry["message"]
            return dict(message.get("message", message))
    raise LookupError(f"no {EVENT_TYPE} with the resource in {CORPUS}")


def _cloudevents_from_http() -> Any:
    try:  # cloudevents 2.x keeps the 1.x API under cloudevents.v1
        from cloudevents.v1.http import from_http
    except ImportError:  # pragma: no cover - cloudevents 1.x
        from cloudevents.http import from_http  # type: ignore[no-redef,import-not-found]
    return from_http


def run(rounds: int) -> list[Row]:
    from workspaceevents.events import decode, decode_http

    pubsub = _sample()
    data = base64.b64decode(pubsub["data"])
    attributes = dict(pubsub["attributes"])
    message = _Message(attributes, data)
    headers = {"content-type": "application/json", **{k: v for k, v in attributes.items() if k != "ce-datacontenttype"}}
    from_http = _cloudevents_from_http()

    baseline, ours = _harness.interleaved(lambda: json.loads(data), lambda: decode(message), rounds=rounds)
    baseline_b64, ours_json = _harness.interleaved(
        lambda: json.loads(base64.b64decode(pubsub["data"])), lambda: decode(pubsub), rounds=rounds
    )
    sdk, ours_http = _harness.interleaved(
        lambda: from_http(headers, data), lambda: decode_http(headers, data), rounds=rounds
    )
    micro = 1e6
    return [
        Row(
            metric=f"events: decode(Message) vs json.loads ({len(data)} B payload)",
            unit="us",
            dynamic=baseline * micro,
            static=ours * micro,
            goal=_harness.fraction_of(1.5),
        ),
        Row(
            metric="events: decode(PubsubMessage JSON) vs b64decode+json.loads",
            unit="us",
            dynamic=baseline_b64 * micro,
            static=ours_json * micro,
        ),
        Row(
            metric="events: decode_http vs cloudevents SDK from_http",
            unit="us",
            dynamic=sdk * micro,
            static=ours_http * micro,
        ),
    ]
