"""The shared http object, hardened: timeouts reach open sockets, one refresh at a time, close() in flight, resets.

Each test runs real requests against a server on 127.0.0.1: ``LocalServer``,
or, for a reset in the middle of a response body (which ``LocalServer``'s
faults do not produce), a few lines of raw socket server below.
"""

from __future__ import annotations

import datetime
import importlib
import json
import socket
import struct
import threading
import time
from collections.abc import Iterator
from typing import Any

import google_auth_httplib2
import httplib2
import pytest
import workspaceevents
from google.auth import credentials as auth_credentials
from workspaceevents.testing import Fault, LocalServer

from tests.load_threads import TOKEN, generated_service, seed

THREADS = 8


def connections_module() -> Any:
    # By import: another test may have re-imported the package, which makes new class objects.
    return importlib.import_module("discovery_runtime.connections")


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        seed(running, THREADS, 20)
        yield running


@pytest.fixture(autouse=True)
def no_faults(server: LocalServer) -> Iterator[None]:
    server.clear_faults()
    yield
    server.clear_faults()


def get(service: Any, name: str = "subscriptions/t0r0") -> Any:
    return service.subscriptions().get(name=name).execute()


def run_threads(count: int, target: Any, *args: Any) -> None:
    threads = [threading.Thread(target=target, args=(index, *args), daemon=True) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"


def socket_timeouts(http: Any) -> list[float | None]:
    """The timeouts of the open sockets of one thread's connection."""
    return [c.sock.gettimeout() for c in http.http.connections.values() if c.sock is not None]


# -- the object is what googleapiclient's would be -----------------------------------------


def test_the_building_threads_connection_is_made_in_build(server: LocalServer) -> None:
    service = generated_service(server.url)
    assert isinstance(service._http, google_auth_httplib2.AuthorizedHttp)
    assert isinstance(service._http.http, httplib2.Http)
    request = service.subscriptions().get(name="subscriptions/t0r0")
    assert request.http is service._http
    assert service._baseUrl == server.url
    assert service._validate_credentials() is True


def test_a_developer_key_service_has_a_plain_http(server: LocalServer) -> None:
    service: Any = workspaceevents.build(
        "workspaceevents", "v1", developerKey="dk", client_options={"api_endpoint": server.url}
    )
    assert isinstance(service._http, httplib2.Http)
    assert not isinstance(service._http, google_auth_httplib2.AuthorizedHttp)
    assert service._http.timeout == 60


def test_authorization_errors_surface_in_build(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(credentials: Any, http: Any = None) -> Any:
        raise RuntimeError("cannot authorize")

    monkeypatch.setattr(google_auth_httplib2, "AuthorizedHttp", fail)  # what authorized_http() calls
    with pytest.raises(RuntimeError, match="cannot authorize"):
        workspaceevents.build("workspaceevents", "v1", credentials=auth_credentials.AnonymousCredentials())


# -- timeouts ----------------------------------------------------------------------------------


def test_timeout_reaches_connections_already_open(server: LocalServer) -> None:
    service = generated_service(server.url)
    http = service.subscriptions().get(name="subscriptions/t0r0").http
    get(service)  # opens this thread's keep-alive connection with the 60 s default
    http.timeout = 0.5
    server.inject(Fault.hang(2.0))
    with pytest.raises(TimeoutError):
        get(service)
    assert get(service)["name"] == "subscriptions/t0r0"  # the next call reconnects, with the new timeout
    assert socket_timeouts(http) == [0.5]


def test_http_timeout_set_on_one_thread_reaches_every_thread(server: LocalServer) -> None:
    service = generated_service(server.url)
    opened = threading.Event()
    set_here = threading.Event()
    seen: list[Any] = []

    def other_thread(index: int) -> None:
        get(service, "subscriptions/t1r0")
        opened.set()
        set_here.wait(10)
        seen.append(socket_timeouts(service._http))
        server.inject(Fault.hang(2.0))
        try:
            get(service, "subscriptions/t1r1")
        except BaseException as error:
            seen.append(type(error))

    worker = threading.Thread(target=other_thread, args=(0,), daemon=True)
    worker.start()
    assert opened.wait(10)
    service.subscriptions().get(name="subscriptions/t0r0").http.http.timeout = 0.5  # the long-standing workaround
    set_here.set()
    worker.join(10)
    assert seen == [[0.5], TimeoutError]


# -- credentials refresh -----------------------------------------------------------------------


class CountingCredentials(auth_credentials.Credentials):  # type: ignore[misc]
    """Starts without a token; each refresh takes a moment and is counted."""

    def __init__(self) -> None:
        super().__init__()
        self.refreshes = 0
        self._count_lock = threading.Lock()

    def refresh(self, request: Any) -> None:
        with self._count_lock:
            self.refreshes += 1
        time.sleep(0.05)  # a token endpoint's round trip: long enough for every thread to arrive
        self.token = TOKEN
        self.expiry = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) + datetime.timedelta(hours=1)


def test_one_refresh_for_many_threads(server: LocalServer) -> None:
    credentials = CountingCredentials()
    service: Any = workspaceevents.build(
        "workspaceevents", "v1", credentials=credentials, client_options={"api_endpoint": server.url}
    )
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def work(index: int) -> None:
        start.wait(10)
        try:
            assert get(service, f"subscriptions/t{index}r0")["name"] == f"subscriptions/t{index}r0"
        except BaseException as error:
            errors.append(error)

    run_threads(THREADS, work)
    assert not errors
    assert credentials.refreshes == 1


# -- close() with requests in flight --------------------------------------------------------


def test_close_ends_requests_in_flight_with_one_clear_error(server: LocalServer) -> None:
    service = generated_service(server.url)
    closed_error = getattr(connections_module(), "ServiceClosedError", None)
    server.clear_requests()
    server.inject(Fault.delay(3.0), times=THREADS)
    outcomes: list[Any] = []

    def work(index: int) -> None:
        try:
            get(service, f"subscriptions/t{index}r1")
            outcomes.append("ok")
        except BaseException as error:
            outcomes.append(type(error))

    threads = [threading.Thread(target=work, args=(index,), daemon=True) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for _ in range(200):  # until every request has reached the server
        if len(server.requests) == THREADS:
            break
        time.sleep(0.02)
    service.close()
    for thread in threads:
        thread.join(10)
    assert outcomes == [closed_error] * THREADS
    assert get(service)["name"] == "subscriptions/t0r0"  # later requests reconnect


def test_close_racing_busy_threads_raises_nothing_from_inside_httplib2(server: LocalServer) -> None:
    service = generated_service(server.url)
    closed_error = getattr(connections_module(), "ServiceClosedError", LookupError)
    stop = threading.Event()
    unexpected: list[BaseException] = []
    counts = {"ok": 0, "closed": 0}
    lock = threading.Lock()

    def work(index: int) -> None:
        for number in range(200):
            if stop.is_set():
                return
            try:
                name = f"subscriptions/t{index}r{number % 20}"
                assert get(service, name)["name"] == name
                outcome = "ok"
            except closed_error:
                outcome = "closed"
            except BaseException as error:
                unexpected.append(error)
                return
            with lock:
                counts[outcome] += 1

    threads = [threading.Thread(target=work, args=(index,), daemon=True) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for _ in range(40):
        time.sleep(0.01)
        service.close()
    stop.set()
    for thread in threads:
        thread.join(20)
    assert not unexpected, [f"{type(e).__name__}: {e}" for e in unexpected[:5]]
    assert counts["ok"] > 0


# -- a reset in the middle of a response body ---------------------------------------------

BODY = json.dumps({"name": "subscriptions/t0r0"}).encode()


class ResettingServer:
    """Answers on keep-alive connections; its second request gets the headers, half the body, then a TCP RST."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.requests = 0
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}/"

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        with connection, connection.makefile("rb") as reader:
            while reader.readline():
                while reader.readline() not in (b"\r\n", b""):
                    pass
                with self.lock:
                    self.requests += 1
                    number = self.requests
                head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(BODY)
                if number == 2:
                    connection.sendall(head + BODY[: len(BODY) // 2])
                    time.sleep(0.05)
                    # SO_LINGER 0: close() sends RST instead of FIN.
                    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    return
                connection.sendall(head + BODY)

    def close(self) -> None:
        self.listener.close()


@pytest.mark.parametrize("whose", ["caller's httplib2.Http", "the shim's"])
def test_the_call_after_a_mid_body_reset_succeeds(whose: str) -> None:
    resetting = ResettingServer()
    try:
        options: dict[str, Any] = {"client_options": {"api_endpoint": resetting.url}}
        if whose == "the shim's":
            options["credentials"] = auth_credentials.AnonymousCredentials()
        else:
            options["http"] = httplib2.Http(timeout=5)
        service: Any = workspaceevents.build("workspaceevents", "v1", **options)
        assert get(service)["name"] == "subscriptions/t0r0"
        with pytest.raises(ConnectionResetError):
            get(service)
        assert get(service)["name"] == "subscriptions/t0r0"
    finally:
        resetting.close()
