"""The http object a service makes for itself when the caller passes none.

googleapiclient gives a service one ``httplib2.Http`` (wrapped in an
``AuthorizedHttp`` when there are credentials), which is not thread-safe:
two threads sharing it interleave on one socket and can read each other's
responses. :func:`new_http` returns an object of the same kind
(``isinstance(http, AuthorizedHttp)`` or ``isinstance(http, httplib2.Http)``,
as googleapiclient's would be) that gives every thread its own connection,
made by the same googleapiclient functions: the building thread's in
``build()`` (so mocks, ``close()`` and authorization errors behave as they do
there), every other thread's at its first request.

Shared by every thread, present connections included: ``timeout`` (on the
object, or on ``http.http``), ``credentials``, ``add_certificate`` and
``close()``. Per thread: the connection itself and anything else set on
``http.http`` (``follow_redirects``, ``add_credentials``...). Hardening:

- after ``os.fork()`` the child starts with no connection and fresh locks;
- one credentials refresh at a time per credentials object;
- ``close()`` ends requests in flight with :class:`ServiceClosedError`;
  later requests open new connections;
- a request that raises drops its thread's connection, so the next request
  never reads from a timed-out, reset or half-read socket. For an http
  object the caller passed, :func:`drop_stale` does the same before a call.

An http object the caller passes in is used as given and never wrapped.
"""

from __future__ import annotations

import os
import select
import socket
import threading
import weakref
from collections.abc import Callable
from typing import Any

import google_auth_httplib2
import httplib2

from .retry_after import RetryAfterRequest

__all__ = [
    "RetryAfterRequest",
    "ServiceClosedError",
    "ThreadLocalAuthorizedHttp",
    "ThreadLocalConnections",
    "ThreadLocalHttp",
    "drop_stale",
    "new_http",
]


def _real(cls: Any) -> Any:
    # If this module is first imported while a test patches a class with autospec, the mock knows the class.
    return cls if isinstance(cls, type) else getattr(cls, "_spec_class", cls)


# The real classes, held before any test patches the module attributes.
_AUTHORIZED_HTTP = _real(google_auth_httplib2.AuthorizedHttp)
_HTTP = _real(httplib2.Http)


class ServiceClosedError(httplib2.HttpLib2Error):  # type: ignore[misc]
    """A request was in flight when its service's ``close()`` ran.

    Not an ``OSError``, so googleapiclient's ``num_retries`` does not resend
    it; a later request opens a new connection.
    """


def new_http(credentials: Any) -> Any:
    """build_from_document's choice (authorized when there are credentials), one connection per thread.

    The building thread's connection is made now. If what googleapiclient's
    functions made is not a real ``AuthorizedHttp`` or ``httplib2.Http`` (a
    test double, or oauth2client's ``authorize()``d object), it is returned
    as it is, as googleapiclient would.
    """
    first = _make(credentials)
    kind = type(first)
    if issubclass(kind, _AUTHORIZED_HTTP):
        return ThreadLocalAuthorizedHttp(credentials, first=first)
    if issubclass(kind, _HTTP) and not credentials:
        return ThreadLocalHttp(first=first)
    return first


def _make(credentials: Any) -> Any:
    from googleapiclient.http import build_http

    from ._googleapiclient import auth

    return auth().authorized_http(credentials) if credentials else build_http()


def _channel(http: Any) -> Any:
    """The httplib2.Http under an AuthorizedHttp, or the object itself."""
    return http.http if isinstance(http, _AUTHORIZED_HTTP) else http


def _open_connections(http: Any) -> list[Any]:
    connections = getattr(_channel(http), "connections", None)
    return list(connections.values()) if isinstance(connections, dict) else []


def _refuse_connect() -> None:
    raise ServiceClosedError("the service was closed while this request was in flight")


def _interrupt(http: Any) -> None:
    """Wake a request blocked on ``http`` and keep httplib2 from resending it on a new socket."""
    for connection in _open_connections(http):
        connection.connect = _refuse_connect
        sock = getattr(connection, "sock", None)
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed by the peer


def _quiet_close(http: Any) -> None:
    try:
        http.close()
    except OSError:
        pass


def drop_stale(http: Any) -> None:
    """Close the idle pooled connections of an ``httplib2.Http`` that the peer closed or left half-read.

    An idle keep-alive socket that is readable holds either the peer's EOF or
    reset, or the rest of a response a failed call did not read: reusing it
    would fail (BrokenPipeError) or read the wrong bytes.
    """
    connections = getattr(_channel(http), "connections", None)
    if not isinstance(connections, dict) or not connections:
        return
    for connection in list(connections.values()):
        sock = getattr(connection, "sock", None)
        if sock is None:
            continue
        try:
            readable = select.select([sock], [], [], 0)[0]
        except (OSError, ValueError):
            readable = [sock]
        if readable:
            connection.close()


class _Slot(threading.local):
    http: Any = None
    generation = -1


class _LinkedHttp(_HTTP):  # type: ignore[misc,valid-type]
    """A thread's own httplib2.Http whose ``timeout`` setter reaches every thread's connection."""

    _shared: Callable[[], ThreadLocalConnections | None]

    @property
    def timeout(self) -> Any:
        return self.__dict__.get("timeout")

    @timeout.setter
    def timeout(self, value: Any) -> None:
        shared = self.__dict__.get("_shared")
        owner = shared() if shared is not None else None
        if owner is None:
            self.__dict__["timeout"] = value
        else:
            owner.timeout = value

    def __getstate__(self) -> dict[str, Any]:
        state: dict[str, Any] = super().__getstate__()
        state.pop("_shared", None)
        return state


class _RefreshLocks:
    """One lock per credentials object (weakly held), so one thread refreshes while the others wait."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._guard = threading.Lock()
        self._locks: weakref.WeakKeyDictionary[Any, threading.Lock] = weakref.WeakKeyDictionary()

    def get(self, credentials: Any, fallback: threading.Lock) -> threading.Lock:
        with self._guard:
            try:
                return self._locks.setdefault(credentials, threading.Lock())
            except TypeError:  # not weak-referenceable
                return fallback


# Every shared object and the refresh locks, for the at-fork hook.
_LIVE: weakref.WeakSet[ThreadLocalConnections] = weakref.WeakSet()
_REFRESH_LOCKS = _RefreshLocks()


def _after_fork_in_child() -> None:
    _REFRESH_LOCKS.reset()
    for shared in list(_LIVE):
        shared._forget_parent()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)

_OWN = frozenset({"_slot", "_lock", "_generation", "_open", "_busy", "_timeout", "_certificates", "_credentials",
                  "_refresh_fallback"})  # fmt: skip


class ThreadLocalConnections:
    """What the two shared http classes have in common: one connection per thread.

    Neither ``httplib2.Http.__init__`` nor ``AuthorizedHttp.__init__`` runs:
    every attribute they would set lives on the threads' connections, and an
    attribute this object does not have is read from the calling thread's.
    """

    # Read by the transport (without importing this module) to tell these from a caller's http.
    shares_connections = True

    def __init__(self, credentials: Any = None, *, timeout: float | None = None, first: Any = None) -> None:
        self._credentials = credentials
        if timeout is None and first is not None:
            timeout = getattr(_channel(first), "timeout", None)
        # A test double's timeout (a Mock) must not reach the real connections of later threads.
        self._timeout = timeout if isinstance(timeout, (int, float)) else _default_timeout()
        self._certificates: list[tuple[Any, Any, Any, Any]] = []
        self._setup()
        if first is not None:
            with self._lock:
                self._adopt(first)

    def _setup(self) -> None:
        self._slot = _Slot()
        self._lock = threading.RLock()
        self._refresh_fallback = threading.Lock()
        self._generation = 0
        # Per-thread objects die with their thread; a weak set lets close() reach the living ones.
        self._open: weakref.WeakSet[Any] = weakref.WeakSet()
        self._busy: set[Any] = set()
        _LIVE.add(self)

    def _forget_parent(self) -> None:
        """In a forked child: the parent's connections and locks are not ours to use."""
        inherited = list(self._open)
        self._setup()
        for http in inherited:
            _quiet_close(http)  # closes the child's copies of the descriptors; the parent's stay open

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in _OWN:
            raise AttributeError(name)
        return getattr(self._current(), name)

    @property
    def credentials(self) -> Any:
        return self._credentials

    @credentials.setter
    def credentials(self, value: Any) -> None:
        with self._lock:
            self._credentials = value
            for http in list(self._open):
                http.credentials = value

    @property
    def timeout(self) -> float | None:
        """Socket timeout in seconds of every connection, present (open sockets included) and future."""
        return self._timeout

    @timeout.setter
    def timeout(self, value: float | None) -> None:
        with self._lock:
            self._timeout = value
            for http in list(self._open):
                channel = _channel(http)
                if isinstance(channel, _LinkedHttp):
                    channel.__dict__["timeout"] = value
                else:
                    channel.timeout = value
                for connection in _open_connections(http):
                    connection.timeout = value
                    sock = getattr(connection, "sock", None)
                    if sock is not None:
                        sock.settimeout(value)

    def _adopt(self, http: Any) -> None:
        """Make ``http`` this thread's connection (the lock is held)."""
        self._link(http)
        self._open.add(http)
        self._slot.http, self._slot.generation = http, self._generation

    def _link(self, http: Any) -> None:
        """Hook: tie a new thread connection to this object."""

    def _new(self) -> Any:
        http = _make(self._credentials)
        _channel(http).timeout = self._timeout
        for certificate in self._certificates:
            _channel(http).add_certificate(*certificate)
        return http

    def _current(self) -> Any:
        """This thread's connection, made now if it has none."""
        slot = self._slot
        http = slot.http
        if http is None or slot.generation != self._generation:
            with self._lock:
                self._adopt(self._new())
                http = slot.http
        return http

    def request(self, *args: Any, **kwargs: Any) -> tuple[Any, bytes]:
        """httplib2.Http.request on this thread's connection."""
        with self._lock:
            http = self._current()
            self._busy.add(http)
        try:
            self._before(http)
            response: tuple[Any, bytes] = http.request(*args, **kwargs)
        except BaseException as error:
            if self._release(http, failed=True):
                raise ServiceClosedError("the service was closed while this request was in flight") from error
            raise
        self._release(http, failed=False)
        return response

    def _before(self, http: Any) -> None:
        """Hook run before each request on the thread's connection."""

    def _release(self, http: Any, *, failed: bool) -> bool:
        """End a request; drop the connection if it failed or close() took it. True if close() did."""
        with self._lock:
            self._busy.discard(http)
            closed = http not in self._open
            if failed:
                self._open.discard(http)
        if failed or closed:
            if self._slot.http is http:
                self._slot.http = None
            _quiet_close(http)
        return closed

    def close(self) -> None:
        """Close every thread's connection: requests in flight raise ServiceClosedError, later ones reconnect."""
        with self._lock:
            self._generation += 1
            taken, self._open = list(self._open), weakref.WeakSet()
            idle = [http for http in taken if http not in self._busy]
            for http in taken:
                if http in self._busy:
                    _interrupt(http)  # its own thread closes it when the request returns
        for http in idle:
            _quiet_close(http)

    def add_certificate(self, key: Any, cert: Any, domain: Any, password: Any = None) -> None:
        """httplib2.Http.add_certificate, for the connections of every thread, present and future."""
        with self._lock:
            self._certificates.append((key, cert, domain, password))
            for http in list(self._open):
                _channel(http).add_certificate(key, cert, domain, password)

    def __getstate__(self) -> dict[str, Any]:
        return {"credentials": self._credentials, "timeout": self._timeout, "certificates": list(self._certificates)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._credentials = state["credentials"]
        self._timeout = state["timeout"]
        self._certificates = list(state["certificates"])
        self._setup()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} credentials={type(self._credentials).__name__} timeout={self._timeout}>"


class ThreadLocalHttp(ThreadLocalConnections, _HTTP):  # type: ignore[misc,valid-type]
    """What ``build_http()`` makes (no credentials), one per thread: ``isinstance(http, httplib2.Http)``."""

    def __init__(self, *, timeout: float | None = None, first: Any = None) -> None:
        ThreadLocalConnections.__init__(self, None, timeout=timeout, first=first)

    # httplib2.Http.credentials is its own basic-auth store, per thread: not a google-auth object.
    credentials = property(lambda self: self._current().credentials)


class ThreadLocalAuthorizedHttp(ThreadLocalConnections, _AUTHORIZED_HTTP):  # type: ignore[misc,valid-type]
    """What ``_auth.authorized_http(credentials)`` makes, one per thread: ``isinstance(http, AuthorizedHttp)``."""

    @property
    def http(self) -> Any:
        """The calling thread's httplib2.Http; its ``timeout`` setter reaches every thread's."""
        return _channel(self._current())

    def _link(self, http: Any) -> None:
        # ``http.http`` is reachable from here: its timeout setter must reach every thread's.
        channel = http.http
        if type(channel) is _HTTP:
            channel.__class__ = _LinkedHttp
            channel.__dict__["_shared"] = weakref.ref(self)

    def _before(self, http: Any) -> None:
        # One refresh at a time per credentials object: the others wait, then find it valid.
        credentials = self._credentials
        if getattr(credentials, "valid", None) is not False:
            return
        with _REFRESH_LOCKS.get(credentials, self._refresh_fallback):
            if credentials.valid is False:
                credentials.refresh(google_auth_httplib2.Request(_channel(http)))


def _default_timeout() -> float | None:
    # googleapiclient.http.build_http: the socket default, else 60 seconds.
    from googleapiclient.http import DEFAULT_HTTP_TIMEOUT_SEC

    timeout = socket.getdefaulttimeout()
    return timeout if timeout is not None else DEFAULT_HTTP_TIMEOUT_SEC
