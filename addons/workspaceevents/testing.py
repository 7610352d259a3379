"""A local HTTP/1.1 server that speaks the Google Workspace Events API wire protocol, for tests and offline use.

    with LocalServer(operation_polls=1) as server:
        service = build(..., developerKey="local", client_options={"api_endpoint": server.url})

Routing and query validation (required parameters, enums, patterns, types,
unknown names) come from the generated ``MethodSpec`` tables, request bodies
are checked against the generated ``TypedDict`` schemas, and errors use
Google's JSON error format for both ``$.xgafv`` envelopes. The Workspace
Events subscription methods and their long-running operations are
implemented in memory; any other method answers 501.

Faults (``server.inject(Fault.error(503), times=2)``) simulate delays,
429/5xx bursts with Retry-After, connection resets mid-response, truncated
and non-JSON bodies, and requests that never get an answer. Every request is
recorded in ``server.requests``.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import importlib
import itertools
import json
import pkgutil
import re
import socket
import socketserver
import struct
import threading
import typing
import urllib.parse
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from discovery_runtime.contract import MethodSpec

from . import VERSIONS
from .events_delivery import InProcessSink, Publisher, cloud_event, default_publisher, payload
from .v1 import schemas as _schemas

_SCHEMA_NAMES: dict[str, Any] = _schemas.__dict__

__all__ = ["ApiError", "Fault", "LocalServer", "RecordedRequest", "error_body"]


def _generated_specs() -> tuple[MethodSpec, ...]:
    """Every method the generated package can call, from its own constant tables."""
    specs: list[MethodSpec] = []
    for module_name, _, _ in VERSIONS.values():
        version = importlib.import_module(f"{__package__}.{module_name}")
        resources = importlib.import_module(f"{version.__name__}.resources")
        modules = [importlib.import_module(f"{version.__name__}.service")]
        modules += [
            importlib.import_module(f"{resources.__name__}.{m.name}") for m in pkgutil.iter_modules(resources.__path__)
        ]
        specs += [value for module in modules for value in vars(module).values() if isinstance(value, MethodSpec)]
    return tuple(specs)


SPECS = _generated_specs()

# google.rpc.Code names and the legacy ``errors[].reason`` for the statuses the server sends.
_RPC_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    502: "UNAVAILABLE",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}
_LEGACY_REASON = {
    400: "badRequest",
    401: "required",
    403: "forbidden",
    404: "notFound",
    409: "conflict",
    429: "rateLimitExceeded",
    500: "backendError",
    501: "notImplemented",
    502: "backendError",
    503: "backendError",
    504: "backendError",
}

# The Workspace Events API's request bodies: (schema class in the generated schemas module, field name in errors).
_REQUEST_BODIES = {
    "workspaceevents.subscriptions.create": ("Subscription", "subscription"),
    "workspaceevents.subscriptions.patch": ("Subscription", "subscription"),
    "workspaceevents.subscriptions.reactivate": ("ReactivateSubscriptionRequest", ""),
}
_TYPE_PREFIX = "type.googleapis.com/google.apps.events.subscriptions.v1."
_UPDATABLE = frozenset({"ttl", "expireTime", "eventTypes", "payloadOptions", "notificationEndpoint", "driveOptions"})
_TOPIC = re.compile(r"^projects/[^/]+/topics/[^/]+$")
_DURATION = re.compile(r"^(\d+)(\.\d{1,9})?s$")
_MAX_TTL = datetime.timedelta(days=7)
# Subscriptions whose payloads include the resource live at most 4 hours.
_MAX_TTL_WITH_RESOURCE = datetime.timedelta(hours=4)
# Lifecycle reminders go out this long before expireTime.
_REMINDERS = (datetime.timedelta(hours=12), datetime.timedelta(hours=1))
_LIFECYCLE = "google.workspace.events.subscription.v1."
_FILTER_EVENT = re.compile(r'^event_types\s*:\s*"([^"]+)"$')
_FILTER_TARGET = re.compile(r'^target_resource\s*=\s*"([^"]+)"$')


def error_body(
    code: int, message: str, *, xgafv: str | None = None, reason: str | None = None, status: str | None = None
) -> dict[str, Any]:
    """Google's JSON error for ``code``: ``$.xgafv=1`` legacy, ``2`` google.rpc.Status, default both.

    ``status`` overrides the google.rpc.Code name the HTTP code implies (409 is ABORTED or ALREADY_EXISTS).
    """
    status = status or _RPC_STATUS.get(code, "UNKNOWN")
    legacy = [{"message": message, "domain": "global", "reason": reason or _LEGACY_REASON.get(code, "unknown")}]
    error: dict[str, Any] = {"code": code, "message": message}
    if xgafv != "2":
        error["errors"] = legacy
    if xgafv != "1":
        error["status"] = status
        if reason:
            error["details"] = [
                {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": reason, "domain": "googleapis.com"}
            ]
    return {"error": error}


class ApiError(Exception):
    """What a method handler raises to answer with a Google JSON error."""

    def __init__(self, code: int, message: str, *, reason: str | None = None, status: str | None = None) -> None:
        super().__init__(code, message, reason)
        self.code = code
        self.message = message
        self.reason = reason
        self.status = status


@dataclass(frozen=True)
class Fault:
    """One way to answer a request badly. Build with the class methods."""

    kind: str
    status: int = 200
    seconds: float | None = None
    reason: str | None = None
    retry_after: str | None = None
    message: str = ""

    @classmethod
    def error(
        cls, status: int, *, reason: str | None = None, retry_after: float | str | None = None, message: str = ""
    ) -> Fault:
        """A Google JSON error, e.g. 429, 500, 503, or 403 with reason ``rateLimitExceeded``."""
        after = None if retry_after is None else str(retry_after)
        return cls(
            "error", status=status, reason=reason, retry_after=after, message=message or f"Injected error {status}"
        )

    @classmethod
    def delay(cls, seconds: float) -> Fault:
        """Answer normally after ``seconds``."""
        return cls("delay", seconds=seconds)

    @classmethod
    def reset(cls) -> Fault:
        """Send part of the status line, then reset the connection (TCP RST)."""
        return cls("reset")

    @classmethod
    def truncated(cls) -> Fault:
        """Run the method, announce the full Content-Length, send half the body and close."""
        return cls("truncated")

    @classmethod
    def not_json(cls, status: int = 200) -> Fault:
        """An HTML body where JSON is expected, with ``status``."""
        return cls("not_json", status=status)

    @classmethod
    def hang(cls, seconds: float | None = None) -> Fault:
        """Never answer: hold the request ``seconds`` (until the server stops if None), then close."""
        return cls("hang", seconds=seconds)


@dataclass
class _Injection:
    fault: Fault
    remaining: int
    method_id: str | None


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes
    method_id: str | None
    connection: int  # 1, 2, ... in accept order
    thread: str  # the server thread that handled the connection
    fault: str | None

    @property
    def authorization(self) -> str | None:
        return self.headers.get("authorization")


@dataclass(frozen=True)
class _Route:
    spec: MethodSpec
    regex: re.Pattern[str]
    names: tuple[str, ...]
    wire: dict[str, str]  # wire name -> argument name


@dataclass
class _Call:
    spec: MethodSpec
    path: dict[str, str]
    query: dict[str, str]
    body: dict[str, Any] | None
    xgafv: str | None


@dataclass
class _Operation:
    name: str
    kind: str  # Create, Update, Delete, Reactivate
    subscription: str
    remaining: int
    result: dict[str, Any] | None = None


def _routes() -> tuple[_Route, ...]:
    routes: list[_Route] = []
    for spec in SPECS:
        if spec.path_parts is None:
            continue  # a path uritemplate expands in ways a regex cannot undo
        regex, names = "", list[str]()
        for literal, name, reserved in spec.path_parts:
            regex += re.escape(literal)
            if name:
                regex += "(.+)" if reserved else "([^/]+)"
                names.append(name)
        wire = {wire_name: arg for arg, wire_name in spec.argmap.items() if arg != "body"}
        routes.append(_Route(spec, re.compile(regex), tuple(names), wire))
    return tuple(routes)


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def _timestamp(when: datetime.datetime) -> str:
    return when.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_time(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


class LocalServer:
    """A threaded HTTP/1.1 server on 127.0.0.1 with keep-alive, started on a free port.

    ``operation_polls``: how many ``operations.get`` calls see a long-running
    operation still running (0: methods answer with finished operations).
    ``require_auth``: answer 401 to requests with neither an Authorization
    header nor a ``key`` parameter. ``clock`` (default: the wall clock) drives
    ``expireTime``; call ``tick()`` after moving it to send reminders and
    expire subscriptions. ``publisher`` receives the events (default: the
    Pub/Sub emulator when ``PUBSUB_EMULATOR_HOST`` is set, else an
    ``InProcessSink``, also at ``server.sink``).
    """

    def __init__(
        self,
        *,
        operation_polls: int = 1,
        require_auth: bool = True,
        page_size: int = 50,
        clock: Callable[[], datetime.datetime] | None = None,
        publisher: Publisher | None = None,
    ) -> None:
        self.clock = clock or _now
        self.publisher = publisher or default_publisher()
        self._reminded: set[tuple[str, str, datetime.timedelta]] = set()
        self.delivery_errors: list[tuple[str, str, str]] = []  # (topic, event type, error) of failed deliveries
        self.operation_polls = operation_polls
        self.require_auth = require_auth
        self.default_page_size = page_size
        self._routes = _routes()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._requests: list[RecordedRequest] = []
        self._injections: list[_Injection] = []
        self._subscriptions: dict[str, dict[str, Any]] = {}
        self._operations: dict[str, _Operation] = {}
        self._ids = itertools.count(1)
        self._accepted = 0
        self._sockets: dict[int, socket.socket] = {}
        self._handler_threads: set[threading.Thread] = set()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------

    def start(self) -> LocalServer:
        if self._httpd is not None:
            raise RuntimeError("the server is already running")
        self._stop.clear()
        httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        httpd.app = self
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.name = f"LocalServer:{self.port}"
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop accepting, release held requests, close every connection, join the threads."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stop.set()
        httpd.shutdown()
        if self._thread is not None:
            self._thread.join(timeout)
        with self._lock:
            sockets = list(self._sockets.values())
            threads = list(self._handler_threads)
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for thread in threads:
            thread.join(timeout)
        httpd.server_close()

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the server is not running")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """The ``api_endpoint`` to give ``build()``."""
        return f"http://127.0.0.1:{self.port}/"

    # -- test hooks ------------------------------------------------------

    def inject(self, fault: Fault, *, times: int = 1, method_id: str | None = None) -> None:
        """Apply ``fault`` to the next ``times`` requests (of ``method_id``, e.g. 'workspaceevents.subscriptions.get')."""
        with self._lock:
            self._injections.append(_Injection(fault, times, method_id))

    def clear_faults(self) -> None:
        with self._lock:
            self._injections.clear()

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    @property
    def connections(self) -> int:
        """How many connections the server has accepted."""
        with self._lock:
            return self._accepted

    @property
    def subscriptions(self) -> dict[str, dict[str, Any]]:
        with self._lock:
            return {name: dict(value) for name, value in self._subscriptions.items()}

    def add_subscription(self, **fields: Any) -> dict[str, Any]:
        """Store a subscription directly (no request, no validation); returns it."""
        with self._lock:
            subscription = self._new_subscription(fields)
            self._subscriptions[subscription["name"]] = subscription
            return dict(subscription)

    def suspend(self, name: str, reason: str = "USER_SCOPE_REVOKED") -> None:
        """Put a subscription in the SUSPENDED state and send the ``suspended`` lifecycle event, as the API does."""
        with self._lock:
            subscription = self._subscriptions[name]
            subscription.update(state="SUSPENDED", suspensionReason=reason)
            self._touch(subscription)
            snapshot = dict(subscription)
        self._lifecycle(snapshot, "suspended")

    # -- events ----------------------------------------------------------

    @property
    def sink(self) -> InProcessSink:
        """The in-process sink the events go to (when no emulator is configured)."""
        if not isinstance(self.publisher, InProcessSink):
            raise RuntimeError("events go to the Pub/Sub emulator, not an in-process sink")
        return self.publisher

    def emit(self, target_resource: str, event_type: str, *resources: Mapping[str, Any]) -> list[str]:
        """Make ``target_resource`` (a space, meeting or file) emit an event about ``resources`` (each with a ``name``).

        Every ACTIVE subscription on the target that asked for ``event_type``
        gets one message on its topic; returns the message IDs.
        """
        if not resources or not all(isinstance(r.get("name"), str) for r in resources):
            raise ValueError("emit needs at least one resource, each with a 'name'")
        with self._lock:
            matching = [
                dict(s)
                for s in self._subscriptions.values()
                if s.get("targetResource") == target_resource
                and event_type in s.get("eventTypes", ())
                and s.get("state") == "ACTIVE"
            ]
        host = target_resource[2:].split("/", 1)[0] if target_resource.startswith("//") else ""
        subject = f"//{host}/{resources[0]['name']}" if host else target_resource
        ids: list[str] = []
        for subscription in matching:
            data = payload(event_type, resources, subscription.get("payloadOptions", {}))
            message_id = self._publish(subscription, event_type, subject, data)
            if message_id is not None:
                ids.append(message_id)
        return ids

    def tick(self) -> list[str]:
        """Act on the clock: send the 12 h and 1 h expiration reminders once each, expire what is due.

        An expired subscription is deleted for good after its ``expired`` event. Returns the events sent.
        """
        now = self.clock()
        due: list[tuple[dict[str, Any], str]] = []
        with self._lock:
            for name, subscription in list(self._subscriptions.items()):
                expire = _parse_time(subscription["expireTime"])
                if expire <= now:
                    del self._subscriptions[name]
                    due.append(({**subscription, "state": "DELETED"}, "expired"))
                    continue
                for ahead in _REMINDERS:
                    key = (name, subscription["expireTime"], ahead)
                    if expire - ahead <= now and key not in self._reminded:
                        self._reminded.add(key)
                        due.append((dict(subscription), "expirationReminder"))
                        break
        for subscription, action in due:
            self._lifecycle(subscription, action)
        return [_LIFECYCLE + action for _, action in due]

    def _lifecycle(self, subscription: Mapping[str, Any], action: str) -> None:
        subject = "//workspaceevents.googleapis.com/" + subscription["name"]
        data = payload(_LIFECYCLE + action, [subscription], {})
        self._publish(subscription, _LIFECYCLE + action, subject, data)

    def _publish(
        self, subscription: Mapping[str, Any], event_type: str, subject: str, data: Mapping[str, Any]
    ) -> str | None:
        """Deliver one event; a failed delivery is recorded and, as the API does, suspends the subscription."""
        topic = subscription.get("notificationEndpoint", {}).get("pubsubTopic", "")
        body, attributes = cloud_event(
            subscription=subscription["name"], event_type=event_type, subject=subject, data=data, when=self.clock()
        )
        try:
            return self.publisher.publish(topic, body, attributes)
        except Exception as exc:  # the topic is missing, or the publisher may not publish to it
            with self._lock:
                self.delivery_errors.append((topic, event_type, f"{type(exc).__name__}: {exc}"))
                current = self._subscriptions.get(subscription["name"])
                if current is not None and not event_type.startswith(_LIFECYCLE):
                    current.update(state="SUSPENDED", suspensionReason=_delivery_reason(exc))
                    self._touch(current)
            return None

    # -- called by the request handler, from its threads -----------------

    @property
    def stopping(self) -> threading.Event:
        """Set when the server stops: held requests give up."""
        return self._stop

    def connection_opened(self, sock: socket.socket) -> int:
        with self._lock:
            self._accepted += 1
            number = self._accepted
            self._sockets[number] = sock
            self._handler_threads.add(threading.current_thread())
            return number

    def connection_closed(self, number: int) -> None:
        with self._lock:
            self._sockets.pop(number, None)
            self._handler_threads.discard(threading.current_thread())

    def route(self, method: str, path: str) -> tuple[_Route, dict[str, str]] | None:
        for route in self._routes:
            if route.spec.http_method != method:
                continue
            match = route.regex.fullmatch(path)
            if match is None:
                continue
            values = {
                name: urllib.parse.unquote(value) for name, value in zip(route.names, match.groups(), strict=True)
            }
            patterns = dict(route.spec.patterns)
            wire_to_arg = route.wire
            if all(
                re.match(patterns[wire_to_arg.get(name, name)], value) is not None
                for name, value in values.items()
                if wire_to_arg.get(name, name) in patterns
            ):
                return route, values
        return None

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def take_fault(self, method_id: str | None) -> Fault | None:
        with self._lock:
            for injection in self._injections:
                if injection.remaining > 0 and injection.method_id in (None, method_id):
                    injection.remaining -= 1
                    return injection.fault
        return None

    def answer(self, method: str, target: str, headers: Mapping[str, str], body: bytes, route: Any) -> tuple[int, Any]:
        """Validate and run one request: (status, JSON value)."""
        split = urllib.parse.urlsplit(target)
        raw_query = urllib.parse.parse_qs(split.query, keep_blank_values=True)
        xgafv = raw_query.get("$.xgafv", [None])[-1]
        try:
            if route is None:
                raise ApiError(404, f"The requested URL {split.path} was not found on this server.")
            found, path = route
            call = self._validate(found, path, raw_query, headers, body, xgafv)
            handler = self._handlers.get(found.spec.method_id)
            if handler is None:
                raise ApiError(501, f"Method {found.spec.method_id} is not implemented by the local server.")
            with self._lock:
                return 200, handler(self, call)
        except ApiError as error:
            return error.code, error_body(
                error.code,
                error.message,
                xgafv=xgafv if xgafv in ("1", "2") else None,
                reason=error.reason,
                status=error.status,
            )

    def _validate(
        self,
        route: _Route,
        path: dict[str, str],
        raw_query: dict[str, list[str]],
        headers: Mapping[str, str],
        body: bytes,
        xgafv: str | None,
    ) -> _Call:
        spec = route.spec
        query: dict[str, str] = {}
        for wire_name, values in raw_query.items():
            arg = route.wire.get(wire_name)
            if arg is None or arg in spec.path_params:
                raise ApiError(
                    400,
                    f'Invalid JSON payload received. Unknown name "{wire_name}": Cannot bind query parameter. '
                    f"Field '{wire_name}' could not be found in request message.",
                )
            query[wire_name] = values[-1]
        for arg, allowed in spec.enums:
            wire_name = spec.argmap[arg]
            if wire_name in query and query[wire_name] not in allowed:
                raise ApiError(400, f"Invalid value at '{wire_name}' (TYPE_ENUM), \"{query[wire_name]}\"")
        for arg, kind in spec.types.items():
            wire_name = spec.argmap.get(arg, arg)
            value = query.get(wire_name)
            if value is None:
                continue
            if kind == "boolean" and value not in ("true", "false", "1", "0"):
                raise ApiError(400, f"Invalid value at '{wire_name}' (TYPE_BOOL), \"{value}\"")
            if kind == "integer" and re.fullmatch(r"-?\d+", value) is None:
                raise ApiError(400, f"Invalid value at '{wire_name}' (TYPE_INT32), \"{value}\"")
        for arg in spec.required:
            if arg not in spec.path_params and spec.argmap.get(arg, arg) not in query and arg != "body":
                raise ApiError(400, f'Missing required parameter "{spec.argmap.get(arg, arg)}".')
        if self.require_auth and "authorization" not in headers and "key" not in query:
            raise ApiError(
                401,
                "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie "
                "or other valid authentication credential.",
                reason="CREDENTIALS_MISSING",
            )
        parsed: dict[str, Any] | None = None
        if body:
            try:
                value = json.loads(body)
            except (UnicodeDecodeError, ValueError):
                raise ApiError(400, "Invalid JSON payload received. Unexpected token.") from None
            if not isinstance(value, dict):
                raise ApiError(400, "Invalid JSON payload received. Expected an object.")
            parsed = typing.cast(dict[str, Any], _camel_keys(value))
            schema = _REQUEST_BODIES.get(spec.method_id)
            if schema is not None:
                _check_value(parsed, getattr(_schemas, schema[0]), schema[1])
        return _Call(spec, path, query, parsed, xgafv)

    # -- the Workspace Events subscription methods (run under self._lock) --

    def _new_subscription(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        now = self.clock()
        include = bool(fields.get("payloadOptions", {}).get("includeResource"))
        subscription: dict[str, Any] = {
            "name": f"subscriptions/{uuid.uuid4().hex[:20]}",
            "uid": str(uuid.uuid4()),
            "state": "ACTIVE",
            "createTime": _timestamp(now),
            "expireTime": _timestamp(now + (_MAX_TTL_WITH_RESOURCE if include else _MAX_TTL)),
            "reconciling": False,
        }
        subscription.update(fields)
        self._touch(subscription, now)
        return subscription

    def _touch(self, subscription: dict[str, Any], now: datetime.datetime | None = None) -> None:
        subscription["updateTime"] = _timestamp(now or self.clock())
        subscription["etag"] = f'"{next(self._ids)}"'

    def _get(self, name: str) -> dict[str, Any]:
        subscription = self._subscriptions.get(name)
        if subscription is None:
            raise ApiError(404, f"Subscription not found: {name}")
        return subscription

    def _operation(self, kind: str, name: str, result: dict[str, Any] | None) -> dict[str, Any]:
        operation = _Operation(f"operations/{uuid.uuid4().hex}", kind, name, self.operation_polls, result)
        self._operations[operation.name] = operation
        return self._operation_json(operation)

    def _operation_json(self, operation: _Operation) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": operation.name,
            "metadata": {"@type": f"{_TYPE_PREFIX}{operation.kind}SubscriptionMetadata"},
        }
        if operation.remaining <= 0:
            out["done"] = True
            if operation.result is None:
                out["response"] = {"@type": "type.googleapis.com/google.protobuf.Empty"}
            else:
                out["response"] = {"@type": f"{_TYPE_PREFIX}Subscription", **operation.result}
        return out

    def _apply_ttl(self, target: dict[str, Any], body: Mapping[str, Any]) -> None:
        if "ttl" in body and "expireTime" in body:
            raise ApiError(400, "Only one of ttl and expire_time can be set.")
        if "ttl" in body:
            match = _DURATION.match(body["ttl"])
            if match is None:
                raise ApiError(
                    400,
                    f"Invalid value at 'subscription.ttl' (type.googleapis.com/google.protobuf.Duration), \"{body['ttl']}\"",
                )
            seconds = int(match.group(1))
            include = bool(target.get("payloadOptions", {}).get("includeResource"))
            longest = _MAX_TTL_WITH_RESOURCE if include else _MAX_TTL
            ttl = datetime.timedelta(seconds=seconds) if seconds else longest
            if ttl > longest:
                limit = "4 hours for subscriptions that include resource data" if include else "7 days"
                raise ApiError(400, f"The ttl exceeds the maximum of {limit}.")
            target["ttl"] = body["ttl"]
            target["expireTime"] = _timestamp(self.clock() + ttl)
        elif "expireTime" in body:
            try:
                datetime.datetime.fromisoformat(str(body["expireTime"]).replace("Z", "+00:00"))
            except ValueError:
                raise ApiError(
                    400,
                    f"Invalid value at 'subscription.expire_time' (type.googleapis.com/google.protobuf.Timestamp), \"{body['expireTime']}\"",
                ) from None
            target["expireTime"] = body["expireTime"]
            target.pop("ttl", None)

    def _create(self, call: _Call) -> dict[str, Any]:
        body = call.body or {}
        for name in ("targetResource", "eventTypes", "notificationEndpoint"):
            if not body.get(name):
                raise ApiError(400, f"Missing required field: subscription.{name}")
        topic = body["notificationEndpoint"].get("pubsubTopic", "")
        if not _TOPIC.match(topic):
            raise ApiError(
                400,
                f'Invalid notification endpoint: pubsub_topic must look like projects/PROJECT/topics/TOPIC, got "{topic}"',
            )
        for event_type in body["eventTypes"]:
            if not event_type.startswith("google.workspace."):
                raise ApiError(400, f"Invalid event type: {event_type}")
        for existing in self._subscriptions.values():
            same_target = existing.get("targetResource") == body["targetResource"]
            if same_target and set(existing.get("eventTypes", ())) & set(body["eventTypes"]):
                raise ApiError(
                    409,
                    f"A subscription for this target resource and event type already exists: {existing['name']}",
                    status="ALREADY_EXISTS",
                )
        fields: dict[str, Any] = {
            key: body[key]
            for key in ("targetResource", "eventTypes", "notificationEndpoint", "payloadOptions", "driveOptions")
            if key in body
        }
        subscription = self._new_subscription(fields)
        self._apply_ttl(subscription, body)
        if call.query.get("validateOnly") in ("true", "1"):
            return self._operation("Create", subscription["name"], dict(subscription))
        self._subscriptions[subscription["name"]] = subscription
        return self._operation("Create", subscription["name"], dict(subscription))

    def _get_subscription(self, call: _Call) -> dict[str, Any]:
        return dict(self._get(call.path["name"]))

    def _list(self, call: _Call) -> dict[str, Any]:
        text = call.query.get("filter", "")
        event_types, target = _parse_filter(text)
        size = int(call.query.get("pageSize", self.default_page_size) or self.default_page_size)
        if size < 0:
            raise ApiError(400, "page_size must not be negative.")
        size = min(size or self.default_page_size, 100)
        offset = 0
        token = call.query.get("pageToken", "")
        if token:
            try:
                state = json.loads(base64.urlsafe_b64decode(token.encode()))
                offset, token_filter = int(state["offset"]), str(state["filter"])
            except (ValueError, KeyError, TypeError, binascii.Error):
                raise ApiError(400, "The page token is invalid.") from None
            if token_filter != text:
                raise ApiError(400, "The page token does not match the filter of the previous request.")
        matches = [
            dict(s)
            for s in self._subscriptions.values()
            if set(s.get("eventTypes", ())) & event_types and (target is None or s.get("targetResource") == target)
        ]
        page = matches[offset : offset + size]
        out: dict[str, Any] = {}
        if page:
            out["subscriptions"] = page
        if offset + size < len(matches):
            state_json = json.dumps({"offset": offset + size, "filter": text})
            out["nextPageToken"] = base64.urlsafe_b64encode(state_json.encode()).decode()
        return out

    def _patch(self, call: _Call) -> dict[str, Any]:
        subscription = self._get(call.path["name"])
        body = call.body or {}
        if body.get("etag") and body["etag"] != subscription["etag"]:
            raise ApiError(409, "The etag does not match the current subscription.")
        mask = call.query.get("updateMask")
        if mask == "*":
            paths = set(_UPDATABLE)
        elif mask:
            paths = {_camel(path.strip()) for path in mask.split(",") if path.strip()}
        else:
            paths = {key for key in body if key in _UPDATABLE}
        for path in sorted(paths - _UPDATABLE):
            raise ApiError(400, f"The field {path} cannot be updated.")
        updated = dict(subscription)
        for key in sorted(paths - {"ttl", "expireTime"}):
            if key in body:
                updated[key] = body[key]
            else:
                updated.pop(key, None)
        self._apply_ttl(updated, {key: body[key] for key in ("ttl", "expireTime") if key in paths and key in body})
        if call.query.get("validateOnly") not in ("true", "1"):
            self._touch(updated)
            self._subscriptions[updated["name"]] = updated
        return self._operation("Update", updated["name"], dict(updated))

    def _delete(self, call: _Call) -> dict[str, Any]:
        name = call.path["name"]
        subscription = self._subscriptions.get(name)
        if subscription is None:
            if call.query.get("allowMissing") in ("true", "1"):
                return self._operation("Delete", name, None)
            raise ApiError(404, f"Subscription not found: {name}")
        etag = call.query.get("etag")
        if etag and etag != subscription["etag"]:
            raise ApiError(409, "The etag does not match the current subscription.")
        if call.query.get("validateOnly") not in ("true", "1"):
            del self._subscriptions[name]
        return self._operation("Delete", name, None)

    def _reactivate(self, call: _Call) -> dict[str, Any]:
        subscription = self._get(call.path["name"])
        if subscription["state"] != "SUSPENDED":
            raise ApiError(
                400,
                f"The subscription is not suspended: {subscription['name']}",
                reason="FAILED_PRECONDITION",
                status="FAILED_PRECONDITION",
            )
        subscription["state"] = "ACTIVE"
        subscription.pop("suspensionReason", None)
        self._touch(subscription)
        return self._operation("Reactivate", subscription["name"], dict(subscription))

    def _get_operation(self, call: _Call) -> dict[str, Any]:
        operation = self._operations.get(call.path["name"])
        if operation is None:
            raise ApiError(404, f"Operation not found: {call.path['name']}")
        operation.remaining -= 1
        return self._operation_json(operation)

    _handlers: typing.ClassVar[dict[str, Callable[[LocalServer, _Call], dict[str, Any]]]] = {
        "workspaceevents.subscriptions.create": _create,
        "workspaceevents.subscriptions.get": _get_subscription,
        "workspaceevents.subscriptions.list": _list,
        "workspaceevents.subscriptions.patch": _patch,
        "workspaceevents.subscriptions.delete": _delete,
        "workspaceevents.subscriptions.reactivate": _reactivate,
        "workspaceevents.operations.get": _get_operation,
    }


def _delivery_reason(exc: Exception) -> str:
    """The suspensionReason for a failed publish (google.api_core errors name their gRPC status)."""
    name = type(exc).__name__
    if name in ("NotFound",):
        return "ENDPOINT_NOT_FOUND"
    if name in ("PermissionDenied", "Forbidden"):
        return "ENDPOINT_PERMISSION_DENIED"
    if name in ("ResourceExhausted", "TooManyRequests"):
        return "ENDPOINT_RESOURCE_EXHAUSTED"
    return "OTHER"


def _camel_keys(value: Any) -> Any:
    """Object keys in lowerCamelCase: proto JSON parsing accepts ``target_resource`` for ``targetResource``."""
    if isinstance(value, dict):
        items = typing.cast(dict[str, Any], value).items()
        return {(_camel(key) if "_" in key else key): _camel_keys(item) for key, item in items}
    if isinstance(value, list):
        items_list: list[Any] = value  # pyright: ignore[reportUnknownVariableType]
        return [_camel_keys(item) for item in items_list]
    return value


def _camel(path: str) -> str:
    head, *rest = path.split("_")
    return head + "".join(word[:1].upper() + word[1:] for word in rest)


def _parse_filter(text: str) -> tuple[set[str], str | None]:
    """The list filter: event_types:"X" terms joined by OR, and optionally AND target_resource="Y"."""
    if not text.strip():
        raise ApiError(
            400,
            'Missing required parameter: filter. Filter by event_types, e.g. event_types:"google.workspace.chat.message.v1.created".',
        )
    event_types: set[str] = set()
    target = None
    for raw_clause in re.split(r"\s+AND\s+", text.strip()):
        clause = raw_clause.strip()
        if clause.startswith("(") and clause.endswith(")"):
            clause = clause[1:-1].strip()
        target_match = _FILTER_TARGET.match(clause)
        if target_match is not None:
            target = target_match.group(1)
            continue
        for term in re.split(r"\s+OR\s+", clause):
            match = _FILTER_EVENT.match(term.strip())
            if match is None:
                raise ApiError(400, f"Invalid filter: {text}")
            event_types.add(match.group(1))
    if not event_types:
        raise ApiError(400, f"Invalid filter: the filter must name at least one event type: {text}")
    return event_types, target


def _check_value(value: Any, hint: Any, where: str) -> None:
    """A JSON value against a generated TypedDict annotation: unknown fields, enums and JSON types."""
    origin = typing.get_origin(hint)
    label = where or "request"
    if typing.is_typeddict(hint):
        if not isinstance(value, dict):
            raise ApiError(400, f"Invalid value at '{label}': expected an object.")
        # The schemas module's own namespace: tests may drop and re-import the package from sys.modules.
        fields = typing.get_type_hints(hint, globalns=dict(_SCHEMA_NAMES))
        for key, item in typing.cast(dict[str, Any], value).items():
            if key not in fields:
                at = f" at '{where}'" if where else ""
                raise ApiError(400, f'Invalid JSON payload received. Unknown name "{key}"{at}: Cannot find field.')
            _check_value(item, fields[key], f"{where}.{key}" if where else key)
    elif origin is list:
        if not isinstance(value, list):
            raise ApiError(400, f"Invalid value at '{label}': expected a list.")
        (item_hint,) = typing.get_args(hint)
        items: list[Any] = value  # pyright: ignore[reportUnknownVariableType]
        for index, item in enumerate(items):
            _check_value(item, item_hint, f"{label}[{index}]")
    elif origin is typing.Literal:
        if value not in typing.get_args(hint):
            raise ApiError(400, f"Invalid value at '{label}' (TYPE_ENUM), \"{value}\"")
    elif hint is str and not isinstance(value, str):
        raise ApiError(400, f"Invalid value at '{label}' (TYPE_STRING), {json.dumps(value)}")
    elif hint is bool and not isinstance(value, bool):
        raise ApiError(400, f"Invalid value at '{label}' (TYPE_BOOL), {json.dumps(value)}")


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    app: LocalServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that resets or drops its connection is a normal event here, not a traceback.
        import sys

        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the host name up (getfqdn): no DNS for a loopback server.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = "127.0.0.1", int(self.server_address[1])


_NOT_JSON = b"<!DOCTYPE html><html><head><title>Error</title></head><body>Something went wrong.</body></html>"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "LocalWorkspaceEvents/1"
    timeout = 30  # idle keep-alive connections close after this
    connection_id = 0

    @property
    def app(self) -> LocalServer:
        server = self.server
        assert isinstance(server, _HTTPServer)
        return server.app

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.connection_id = self.app.connection_opened(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        self.app.connection_closed(self.connection_id)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PATCH = do_PUT = do_DELETE = do_GET

    def _serve(self) -> None:
        app = self.app
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        split = urllib.parse.urlsplit(self.path)
        route = app.route(self.command, split.path.lstrip("/"))
        method_id = route[0].spec.method_id if route else None
        fault = app.take_fault(method_id)
        app.record(
            RecordedRequest(
                method=self.command,
                path=split.path,
                query=urllib.parse.parse_qs(split.query, keep_blank_values=True),
                headers={name.lower(): value for name, value in self.headers.items()},
                body=body,
                method_id=method_id,
                connection=self.connection_id,
                thread=threading.current_thread().name,
                fault=fault.kind if fault else None,
            )
        )
        kind = fault.kind if fault else None
        if fault is not None and kind in ("delay", "hang"):
            app.stopping.wait(fault.seconds)
            if kind == "hang" or app.stopping.is_set():
                self.close_connection = True
                return
        if fault is not None and kind == "reset":
            self._reset()
            return
        if fault is not None and kind == "error":
            xgafv = urllib.parse.parse_qs(split.query).get("$.xgafv", [None])[-1]
            payload = error_body(fault.status, fault.message, xgafv=xgafv, reason=fault.reason)
            extra = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
            self._send(fault.status, json.dumps(payload, indent=2).encode(), extra=extra)
            return
        if fault is not None and kind == "not_json":
            self._send(fault.status, _NOT_JSON, content_type="text/html; charset=UTF-8")
            return
        status, value = app.answer(
            self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body, route
        )
        self._send(status, json.dumps(value, indent=2).encode(), truncate=kind == "truncated")

    def _send(
        self,
        status: int,
        payload: bytes,
        *,
        content_type: str = "application/json; charset=UTF-8",
        extra: Mapping[str, str] | None = None,
        truncate: bool = False,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        if truncate:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(payload[: len(payload) // 2] if truncate else payload)
        if truncate:
            self.close_connection = True

    def _reset(self) -> None:
        try:
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/js")
            # SO_LINGER 0: close() sends RST instead of FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.rfile.close()
            self.connection.close()
        except OSError:
            pass
        self.close_connection = True
