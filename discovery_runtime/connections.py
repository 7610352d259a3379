"""The http object a service makes for itself when the caller passes none.

googleapiclient gives a service one ``httplib2.Http`` (wrapped in an
``AuthorizedHttp`` when there are credentials), which is not thread-safe:
two threads sharing it interleave on one socket and can read each other's
responses. :class:`ThreadLocalHttp` keeps the same behaviour per request but
gives every thread its own connection, made lazily by the same
googleapiclient functions. An http object the caller passes in is used as
given and never wrapped.
"""

from __future__ import annotations

import socket
import threading
import weakref
from collections.abc import Callable
from typing import Any

from googleapiclient.http import HttpRequest

__all__ = ["RetryAfterRequest", "ThreadLocalHttp", "new_http"]


def new_http(credentials: Any) -> ThreadLocalHttp:
    """build_from_document's choice (authorized when there are credentials), one connection per thread."""
    return ThreadLocalHttp(credentials)


def _default_timeout() -> float | None:
    # googleapiclient.http.build_http: the socket default, else 60 seconds.
    from googleapiclient.http import DEFAULT_HTTP_TIMEOUT_SEC

    timeout = socket.getdefaulttimeout()
    return timeout if timeout is not None else DEFAULT_HTTP_TIMEOUT_SEC


class _Slot(threading.local):
    http: Any = None
    generation = -1


class ThreadLocalHttp:
    """An http object that is safe to share between threads: one connection per thread.

    Each thread lazily gets what googleapiclient would have made for the whole
    service (``_auth.authorized_http(credentials)``, or ``build_http()`` without
    credentials), with the timeout fixed when this object was made, as
    ``build_http`` fixes it. A request that raises drops its thread's
    connection, so the next request never reads from a timed-out, reset or
    half-read socket.
    Pickling keeps the credentials, the timeout and the certificates and drops
    the connections.
    """

    def __init__(self, credentials: Any = None, *, timeout: float | None = None) -> None:
        self.credentials = credentials
        self._timeout = _default_timeout() if timeout is None else timeout
        self._certificates: list[tuple[Any, Any, Any, Any]] = []
        self._setup()

    def _setup(self) -> None:
        self._slot = _Slot()
        self._lock = threading.Lock()
        self._generation = 0
        # Per-thread objects die with their thread; a weak set lets close() reach the living ones.
        self._open: weakref.WeakSet[Any] = weakref.WeakSet()

    @property
    def timeout(self) -> float | None:
        """Socket timeout in seconds of every connection, present and future."""
        return self._timeout

    @timeout.setter
    def timeout(self, value: float | None) -> None:
        with self._lock:
            self._timeout = value
            for http in list(self._open):
                http.timeout = value

    def _new(self) -> Any:
        from googleapiclient.http import build_http

        from ._googleapiclient import auth

        _auth = auth()

        http = _auth.authorized_http(self.credentials) if self.credentials else build_http()
        http.timeout = self._timeout
        for certificate in self._certificates:
            http.add_certificate(*certificate)
        return http

    def _http(self) -> Any:
        slot = self._slot
        if slot.http is None or slot.generation != self._generation:
            with self._lock:
                http = self._new()
                self._open.add(http)
                slot.http, slot.generation = http, self._generation
        return slot.http

    def request(self, *args: Any, **kwargs: Any) -> tuple[Any, bytes]:
        """httplib2.Http.request on this thread's connection."""
        http = self._http()
        try:
            response: tuple[Any, bytes] = http.request(*args, **kwargs)
        except BaseException:
            self._drop(http)
            raise
        return response

    def _drop(self, http: Any) -> None:
        slot = self._slot
        if slot.http is http:
            slot.http = None
        with self._lock:
            self._open.discard(http)
        http.close()

    def close(self) -> None:
        """Close every thread's connection; later requests open new ones."""
        with self._lock:
            self._generation += 1
            https, self._open = list(self._open), weakref.WeakSet()
        for http in https:
            http.close()

    def add_certificate(self, key: Any, cert: Any, domain: Any, password: Any = None) -> None:
        """httplib2.Http.add_certificate, for the connections of every thread, present and future."""
        with self._lock:
            self._certificates.append((key, cert, domain, password))
            for http in list(self._open):
                http.add_certificate(key, cert, domain, password)

    def __getstate__(self) -> dict[str, Any]:
        return {"credentials": self.credentials, "timeout": self._timeout, "certificates": list(self._certificates)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.credentials = state["credentials"]
        self._timeout = state["timeout"]
        self._certificates = list(state["certificates"])
        self._setup()

    def __repr__(self) -> str:
        return f"<ThreadLocalHttp credentials={type(self.credentials).__name__} timeout={self._timeout}>"


def _retry_after(response: Any) -> float | None:
    """Seconds a response's Retry-After header asks for: delta-seconds or an HTTP date."""
    value = None if response is None else response.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    import datetime
    import email.utils

    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    return max(0.0, (when - datetime.datetime.now(datetime.timezone.utc)).total_seconds())


class _LastResponse:
    """Passes requests through and remembers the last response, for RetryAfterRequest."""

    def __init__(self, http: Any) -> None:
        self.http = http
        self.last: Any = None

    def request(self, *args: Any, **kwargs: Any) -> tuple[Any, bytes]:
        self.last = None
        response: tuple[Any, bytes] = self.http.request(*args, **kwargs)
        self.last = response[0]
        return response

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.http, name)


class RetryAfterRequest(HttpRequest):  # type: ignore[misc]
    """An opt-in ``requestBuilder``: retries wait what Retry-After asks, and never longer than ``max_backoff``.

    googleapiclient ignores Retry-After and sleeps ``random() * 2**n`` before
    retry n. ``build(..., requestBuilder=RetryAfterRequest)`` keeps that
    schedule when the server gives no Retry-After, caps every sleep at
    ``max_backoff`` seconds, and otherwise keeps googleapiclient's attempts,
    retried statuses and errors. Subclass to change the cap.
    """

    max_backoff: float = 32.0
    _sleep: Callable[[float], object]

    def execute(self, http: Any = None, num_retries: int = 0) -> Any:
        recorder = _LastResponse(self.http if http is None else http)
        sleep: Callable[[float], object] = self._sleep

        def wait(seconds: float) -> None:
            asked = _retry_after(recorder.last)
            sleep(min(seconds if asked is None else asked, self.max_backoff))

        self._sleep = wait
        try:
            parent: Any = super()  # googleapiclient is untyped
            return parent.execute(http=recorder, num_retries=num_retries)
        finally:
            self._sleep = sleep
