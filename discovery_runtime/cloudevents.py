"""CloudEvents delivered through Pub/Sub or HTTP, decoded into typed ``Event`` objects.

Contract: ``decode(message, types)`` accepts every shape a Pub/Sub subscriber
meets (a google-cloud-pubsub ``Message`` or anything with ``.attributes`` and
``.data`` bytes; a ``PubsubMessage`` JSON object with base64 ``data``; a pull
``ReceivedMessage``; a push request body), each as a mapping or as JSON
bytes/str. CloudEvents attributes travel in binary mode (``ce-type``,
``ce-id``, ...). ``decode_http(headers, body, types)`` reads CloudEvents over
HTTP, binary and structured mode. ``types`` maps a ``ce-type`` to the
``Event`` subclass to build; an unknown type gives a plain ``Event``.

Malformed input raises one ``EventDecodeError`` (a ``ValueError``) whose
message names the problem; no other exception escapes. Nothing here needs a
third-party package.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar

__all__ = ["Event", "EventDecodeError", "EventTypeInfo", "decode", "decode_http"]

T = TypeVar("T")

SPECVERSION = "1.0"
_JSON_TYPES = frozenset({"application/json", "text/json"})
_STRUCTURED = "application/cloudevents+json"
_BATCH = "application/cloudevents-batch+json"
# The structured-mode envelope members that are not extension attributes.
_ENVELOPE_DATA = ("data", "data_base64")


class EventDecodeError(ValueError):
    """A message that is not a CloudEvent this module can read; the message says why."""


@dataclass(frozen=True, slots=True, kw_only=True)
class EventTypeInfo:
    """One row of an API's event-type table (generated from a spec file, written with ``pyrepr``)."""

    type: str  # the ce-type, e.g. google.workspace.chat.message.v1.created
    class_name: str  # the Event subclass
    payload: str | None  # "api.version:Schema" of the payload's resource, or None
    resource_field: str | None  # the payload member holding the resource (a list for batch events)
    batch: bool  # the payload holds a list of resources
    target: str  # the target resource kind, e.g. //chat.googleapis.com/spaces/SPACE
    publisher: str | None  # the push service account that needs roles/pubsub.publisher on the topic


class Event(Generic[T]):
    """One CloudEvent. ``data`` is the decoded JSON payload (typed in subclasses)."""

    __slots__ = ("attributes", "data", "datacontenttype", "id", "source", "specversion", "subject", "time", "type")
    info: ClassVar[EventTypeInfo | None] = None

    id: str
    source: str
    type: str
    subject: str | None
    time: datetime | None
    specversion: str
    datacontenttype: str | None
    data: T
    attributes: Mapping[str, Any]

    def __init__(
        self,
        *,
        id: str,
        source: str,
        type: str,
        data: T,
        subject: str | None = None,
        time: datetime | None = None,
        specversion: str = SPECVERSION,
        datacontenttype: str | None = "application/json",
        attributes: Mapping[str, Any] | None = None,
    ) -> None:
        self.id = id
        self.source = source
        self.type = type
        self.data = data
        self.subject = subject
        self.time = time
        self.specversion = specversion
        self.datacontenttype = datacontenttype
        self.attributes = attributes if attributes is not None else {}

    @property
    def resource_names(self) -> tuple[str, ...]:
        """The names of the resources the event is about (one, or several for batch events)."""
        info = self.info
        data: Any = self.data
        if info is None or info.resource_field is None or not isinstance(data, dict):
            return ()
        value = data.get(info.resource_field)
        items: list[Any] = value if isinstance(value, list) else [value]  # pyright: ignore[reportUnknownVariableType]
        names: list[str] = []
        for entry in items:
            item = entry
            if isinstance(entry, dict) and len(entry) == 1 and "name" not in entry:
                item = next(iter(entry.values()))  # a batch entry: {"message": {...}}
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                names.append(item["name"])
        return tuple(names)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(id={self.id!r}, type={self.type!r}, subject={self.subject!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Event):
            return NotImplemented
        mine = (type(self), self.id, self.source, self.type, self.subject, self.time, self.data)
        return mine == (type(other), other.id, other.source, other.type, other.subject, other.time, other.data)

    __hash__ = None  # type: ignore[assignment]  # mutable payload


Types = Mapping[str, "type[Event[Any]]"]
_NO_TYPES: Types = {}


def decode(message: object, types: Types | None = None) -> Event[Any]:
    """The event in a Pub/Sub message, in any shape a subscriber meets (see the module docstring)."""
    try:
        return _decode(message, _NO_TYPES if types is None else types)
    except EventDecodeError:
        raise
    except Exception as exc:  # a shape no check above anticipated: still one error type
        raise EventDecodeError(f"not a Pub/Sub message: {type(exc).__name__}: {exc}") from None


def decode_http(headers: Mapping[str, str], body: bytes | str, types: Types | None = None) -> Event[Any]:
    """A CloudEvent received over HTTP (Eventarc, Cloud Run), binary or structured mode."""
    try:
        return _decode_http(headers, body, _NO_TYPES if types is None else types)
    except EventDecodeError:
        raise
    except Exception as exc:
        raise EventDecodeError(f"not a CloudEvents HTTP request: {type(exc).__name__}: {exc}") from None


def _decode(message: object, types: Types) -> Event[Any]:
    kind = message.__class__
    if kind is not dict and kind is not bytes and kind is not str:  # first: a streaming-pull Message, cheaply
        raw = getattr(message, "data", None)
        attributes = getattr(message, "attributes", None)
        if attributes is not None and isinstance(raw, (bytes, bytearray)):
            return _binary(attributes, raw if raw.__class__ is bytes else bytes(raw), types)
    if isinstance(message, (bytes, bytearray, memoryview, str)):
        try:
            message = json.loads(bytes(message) if isinstance(message, memoryview) else message)
        except ValueError:
            raise EventDecodeError("the message is not JSON") from None
    if isinstance(message, Mapping):
        inner = message.get("message")
        if isinstance(inner, Mapping):  # a pull ReceivedMessage or a push request body
            message = inner
        elif inner is not None:
            raise EventDecodeError("'message' is not a JSON object")
        attributes = message.get("attributes")
        if attributes.__class__ is not dict and not isinstance(attributes, Mapping):
            raise EventDecodeError("not a Pub/Sub message: no 'attributes' object")
        encoded = message.get("data")
        data: bytes | None
        if encoded is None:
            data = None
        elif isinstance(encoded, str):
            try:
                data = base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError):
                raise EventDecodeError("'data' is not valid base64") from None
        else:
            raise EventDecodeError("'data' is not a base64 string")
        return _binary(attributes, data, types)
    attributes = getattr(message, "attributes", None)
    raw = getattr(message, "data", None)
    if attributes is None or not isinstance(raw, (bytes, bytearray)):
        raise EventDecodeError(f"not a Pub/Sub message: {type(message).__name__} has no .attributes and .data bytes")
    return _binary(attributes, bytes(raw), types)


def _binary(attributes: Mapping[str, Any], data: bytes | None, types: Types) -> Event[Any]:
    """Binary content mode: the attributes are ``ce-*`` names (Pub/Sub attributes or HTTP headers).

    The common case (every attribute present and well formed, JSON data) is
    built inline, as cheaply as parsing the payload allows; anything else
    takes ``_event``, which checks each field and names the problem.
    """
    get = attributes.get
    event_type, event_id, source = get("ce-type"), get("ce-id"), get("ce-source")
    subject, time, content_type = get("ce-subject"), get("ce-time"), get("ce-datacontenttype")
    if (
        data is not None
        and get("ce-specversion") == SPECVERSION
        and event_type.__class__ is str
        and event_id.__class__ is str
        and source.__class__ is str
        and event_type
        and event_id
        and source
        and (subject is None or subject.__class__ is str)
        and time.__class__ is str
        and "T" in time
        and (content_type is None or content_type == "application/json")
    ):
        try:
            when = datetime.fromisoformat(time)
            value = json.loads(data)
        except ValueError:
            pass  # the careful path below names the problem
        else:
            cls = types.get(event_type, Event)
            if when.tzinfo is not None and (cls is Event or value.__class__ is dict):
                event = _new(cls)
                event.id, event.source, event.type, event.data = event_id, source, event_type, value
                event.subject, event.time, event.specversion = subject, when, SPECVERSION
                event.datacontenttype, event.attributes = content_type, attributes
                return event
    return _event(
        types,
        attributes,
        specversion=get("ce-specversion"),
        id=event_id,
        source=source,
        type=event_type,
        subject=subject,
        time=time,
        datacontenttype=content_type,
        data=data,
        prefix="ce-",
    )


_new = object.__new__


def _event(
    types: Types,
    attributes: Mapping[str, Any],
    *,
    specversion: object,
    id: object,
    source: object,
    type: object,
    subject: object,
    time: object,
    datacontenttype: object,
    data: bytes | None,
    prefix: str,
    parsed: object = None,
) -> Event[Any]:
    if specversion is None:
        raise EventDecodeError(f"not a CloudEvent: no {prefix}specversion")
    if specversion != SPECVERSION:
        raise EventDecodeError(f"unsupported CloudEvents {prefix}specversion {specversion!r} (this reads 1.0)")
    event_type = _required(type, "type", prefix)
    event_id = _required(id, "id", prefix)
    event_source = _required(source, "source", prefix)
    if subject is not None and not isinstance(subject, str):
        raise EventDecodeError(f"{prefix}subject is not a string")
    when = None if time is None else _time(time, prefix)
    if datacontenttype is not None and not isinstance(datacontenttype, str):
        raise EventDecodeError(f"{prefix}datacontenttype is not a string")
    value: Any = parsed
    if data is not None:
        if _is_json(datacontenttype):
            try:
                value = json.loads(data)
            except ValueError:
                raise EventDecodeError(f"the data is not JSON, though {prefix}datacontenttype says so") from None
        else:
            value = data
    cls = types.get(event_type, Event)
    if cls is not Event and not isinstance(value, dict):
        raise EventDecodeError(f"the payload of a {event_type} event is not a JSON object")
    return cls(
        id=event_id,
        source=event_source,
        type=event_type,
        data=value,
        subject=subject,
        time=when,
        specversion=SPECVERSION,
        datacontenttype=datacontenttype,
        attributes=attributes,
    )


def _required(value: object, name: str, prefix: str) -> str:
    if not isinstance(value, str) or not value:
        raise EventDecodeError(f"missing {prefix}{name}")
    return value


def _time(value: object, prefix: str) -> datetime:
    if not isinstance(value, str) or "T" not in value:
        raise EventDecodeError(f"{prefix}time is not an RFC 3339 timestamp: {value!r}")
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise EventDecodeError(f"{prefix}time is not an RFC 3339 timestamp: {value!r}") from None
    if when.tzinfo is None:
        raise EventDecodeError(f"{prefix}time has no time zone: {value!r}")
    return when


def _is_json(content_type: str | None) -> bool:
    if content_type is None:
        return True  # Workspace always sends JSON; CloudEvents leaves the default to the event format
    media = content_type.partition(";")[0].strip().lower()
    return media in _JSON_TYPES or media.endswith("+json")


def _decode_http(headers: Mapping[str, str], body: bytes | str, types: Types) -> Event[Any]:
    lower = {str(name).lower(): value for name, value in headers.items()}
    raw = body.encode() if isinstance(body, str) else bytes(body)
    content_type = lower.get("content-type")
    media = (content_type or "").partition(";")[0].strip().lower()
    if media == _BATCH:
        raise EventDecodeError("batched CloudEvents (application/cloudevents-batch+json) are not supported")
    if media != _STRUCTURED:
        if "ce-specversion" not in lower:
            raise EventDecodeError("not a CloudEvent: neither ce-specversion headers nor a structured body")
        lower.setdefault("ce-datacontenttype", content_type or "application/json")
        return _binary(lower, raw or None, types)
    try:
        envelope = json.loads(raw)
    except ValueError:
        raise EventDecodeError("the structured CloudEvent is not JSON") from None
    if not isinstance(envelope, dict):
        raise EventDecodeError("the structured CloudEvent is not a JSON object")
    if "data" in envelope and "data_base64" in envelope:
        raise EventDecodeError("the structured CloudEvent has both data and data_base64")
    attributes = {key: value for key, value in envelope.items() if key not in _ENVELOPE_DATA}
    data: bytes | None = None
    parsed: object = envelope.get("data")
    if "data_base64" in envelope:
        encoded = envelope["data_base64"]
        try:
            data = base64.b64decode(encoded, validate=True) if isinstance(encoded, str) else None
        except (binascii.Error, ValueError):
            data = None
        if data is None:
            raise EventDecodeError("data_base64 is not valid base64")
        parsed = None
    return _event(
        types,
        attributes,
        specversion=envelope.get("specversion"),
        id=envelope.get("id"),
        source=envelope.get("source"),
        type=envelope.get("type"),
        subject=envelope.get("subject"),
        time=envelope.get("time"),
        datacontenttype=envelope.get("datacontenttype"),
        data=data,
        prefix="",
        parsed=parsed,
    )
