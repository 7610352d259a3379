"""An opt-in ``requestBuilder`` whose retries wait what the server's Retry-After asks.

Re-exported by ``discovery_runtime.connections``, its former home.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from googleapiclient.http import HttpRequest

__all__ = ["RetryAfterRequest"]


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
