"""execute(num_retries=k): the same attempts, sleeps and outcome as the dynamic client.

``time.sleep`` and ``random.random`` (what googleapiclient.http backs off with) are patched, and the
local server injects the failure. Both clients talk to the same server with a 0.3 s socket timeout.
"""

from __future__ import annotations

import importlib
import pickle
import random
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
import workspaceevents
from google.oauth2.credentials import Credentials
from googleapiclient import discovery
from googleapiclient.errors import HttpError
from googleapiclient.http import HttpRequest
from workspaceevents.testing import Fault, LocalServer

TOKEN = "retry-test-token"
TIMEOUT = 0.3
RETRIES = 3
GET = "workspaceevents.subscriptions.get"


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        for name in ("a", "b"):
            running.add_subscription(name=f"subscriptions/{name}", targetResource=f"//{name}", eventTypes=["e"])
        yield running


def build(kind: str, url: str) -> Any:
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(TIMEOUT)
    try:
        options = {"api_endpoint": url}
        if kind == "dynamic":
            return discovery.build(
                "workspaceevents",
                "v1",
                credentials=Credentials(token=TOKEN),
                client_options=options,
                static_discovery=True,
            )
        return workspaceevents.build(
            "workspaceevents", "v1", credentials=Credentials(token=TOKEN), client_options=options
        )
    finally:
        socket.setdefaulttimeout(previous)


def attempt(
    server: LocalServer, kind: str, fault: Fault, times: int, xgafv: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[str, list[float], int]:
    """(outcome, sleeps, requests the server saw) for one client."""
    sleeps: list[float] = []
    with monkeypatch.context() as patch:
        patch.setattr(time, "sleep", sleeps.append)
        patch.setattr(random, "random", lambda: 0.25)
        service = build(kind, server.url)
        server.clear_faults()
        server.clear_requests()
        server.inject(fault, times=times, method_id=GET)
        began = time.monotonic()
        try:
            outcome = service.subscriptions().get(name="subscriptions/a", x__xgafv=xgafv).execute(num_retries=RETRIES)
            described = f"ok {outcome['name']}"
        except HttpError as error:
            described = f"HttpError {error.status_code}"
        except Exception as error:
            described = type(error).__name__
        assert time.monotonic() - began < 10
        seen = sum(request.method_id == GET for request in server.requests)
        server.clear_faults()
        # The next call on the same service gets its own answer.
        after = service.subscriptions().get(name="subscriptions/b").execute()
        assert after["name"] == "subscriptions/b"
        service.close()
    return described, sleeps, seen


BACKOFF = [0.25 * 2**n for n in range(1, RETRIES + 1)]  # rand() * 2**retry_num

CASES = [
    # (fault, times, $.xgafv, outcome, sleeps)
    (Fault.error(429), 2, "1", "ok subscriptions/a", BACKOFF[:2]),
    (Fault.error(500), 1, "2", "ok subscriptions/a", BACKOFF[:1]),
    (Fault.error(503), 9, "2", "HttpError 503", BACKOFF),
    (Fault.error(403, reason="rateLimitExceeded"), 2, "1", "ok subscriptions/a", BACKOFF[:2]),
    (Fault.error(403, reason="userRateLimitExceeded"), 1, "1", "ok subscriptions/a", BACKOFF[:1]),
    # google.rpc.Status envelope: googleapiclient reads "status", not the reason, so no retry.
    (Fault.error(403, reason="rateLimitExceeded"), 1, "2", "HttpError 403", []),
    (Fault.error(403, reason="forbidden"), 1, "1", "HttpError 403", []),
    (Fault.error(400), 1, "1", "HttpError 400", []),
    (Fault.error(404), 1, "1", "HttpError 404", []),
    (Fault.error(409), 1, "1", "HttpError 409", []),
    (Fault.reset(), 2, "1", "ok subscriptions/a", BACKOFF[:2]),
    (Fault.reset(), 9, "1", "ConnectionResetError", BACKOFF),
    (Fault.hang(), 1, "1", "ok subscriptions/a", BACKOFF[:1]),
    (Fault.hang(), 9, "1", "TimeoutError", BACKOFF),
]


@pytest.mark.parametrize(
    ("fault", "times", "xgafv", "outcome", "sleeps"),
    CASES,
    ids=[f"{case[0].kind}-{case[0].status}-{case[0].reason}-x{case[1]}-xgafv{case[2]}" for case in CASES],
)
def test_same_attempts_and_sleeps_as_the_dynamic_client(
    server: LocalServer,
    monkeypatch: pytest.MonkeyPatch,
    fault: Fault,
    times: int,
    xgafv: str,
    outcome: str,
    sleeps: list[float],
) -> None:
    generated = attempt(server, "generated", fault, times, xgafv, monkeypatch)
    dynamic = attempt(server, "dynamic", fault, times, xgafv, monkeypatch)
    assert generated[:2] == (outcome, sleeps)
    assert dynamic[:2] == generated[:2]
    assert dynamic[2] == generated[2]
    assert generated[2] == len(sleeps) + 1  # every attempt reached the server


def test_a_late_answer_never_reaches_the_next_call(server: LocalServer) -> None:
    service = build("generated", server.url)
    server.inject(Fault.delay(3 * TIMEOUT), method_id=GET)
    with pytest.raises(TimeoutError):
        service.subscriptions().get(name="subscriptions/a").execute()
    time.sleep(4 * TIMEOUT)  # the late answer for "a" has been written by now
    assert service.subscriptions().get(name="subscriptions/b").execute()["name"] == "subscriptions/b"
    service.close()


def retry_after_request() -> Any:
    """The class as the package has it now (another test may have re-imported the package)."""
    return importlib.import_module("discovery_runtime.connections").RetryAfterRequest


@pytest.mark.parametrize(
    ("builder", "cap", "fault", "times", "sleeps"),
    [
        ("default", None, Fault.error(429, retry_after=5), 2, BACKOFF[:2]),  # googleapiclient ignores Retry-After
        ("retry-after", None, Fault.error(429, retry_after=5), 2, [5.0, 5.0]),
        ("retry-after", None, Fault.error(503, retry_after="Thu, 01 Jan 1970 00:00:00 GMT"), 1, [0.0]),
        ("retry-after", 1.5, Fault.error(429, retry_after=5), 2, [1.5, 1.5]),
        ("retry-after", 1.5, Fault.error(503), 9, [0.5, 1.0, 1.5]),  # no Retry-After: the usual schedule, capped
        ("retry-after", 1.5, Fault.reset(), 1, [0.5]),
    ],
)
def test_retry_after_is_honoured_only_when_asked_for(
    server: LocalServer,
    monkeypatch: pytest.MonkeyPatch,
    builder: str,
    cap: float | None,
    fault: Fault,
    times: int,
    sleeps: list[float],
) -> None:
    request_class = HttpRequest if builder == "default" else retry_after_request()
    slept: list[float] = []
    options = {"api_endpoint": server.url}
    service: Any = workspaceevents.build(
        "workspaceevents", "v1", developerKey="k", client_options=options, requestBuilder=request_class
    )
    server.clear_faults()
    server.inject(fault, times=times, method_id=GET)
    with monkeypatch.context() as patch:
        patch.setattr(time, "sleep", slept.append)
        patch.setattr(random, "random", lambda: 0.25)
        request = service.subscriptions().get(name="subscriptions/a")
        if cap is not None:
            request.max_backoff = cap  # or subclass RetryAfterRequest with another max_backoff
        try:
            outcome: Any = request.execute(num_retries=RETRIES)["name"]
        except HttpError as error:
            outcome = error.status_code
    assert outcome == ("subscriptions/a" if times <= RETRIES else 503)
    assert slept == sleeps
    server.clear_faults()
    again = pickle.loads(pickle.dumps(service.subscriptions().get(name="subscriptions/a")))
    assert type(again) is request_class
    assert again.execute()["name"] == "subscriptions/a"
    service.close()
