"""A service whose http object the shim made is safe to share between threads: one connection each.

The full workload (16 threads x 500 requests, and the dynamic client failing it) is
``python -m tests.load_threads``; this runs 16 x 100 within the test-suite budget.
"""

from __future__ import annotations

import importlib
import socket
import threading
from collections.abc import Iterator
from typing import Any

import httplib2
import pytest
import workspaceevents
from google.oauth2.credentials import Credentials
from workspaceevents.testing import LocalServer

from tests.load_threads import TOKEN, generated_service, run_load, seed

THREADS = 16
REQUESTS = 100


def thread_local_http() -> Any:
    """The class as the package has it now (another test may have re-imported the package)."""
    return importlib.import_module("discovery_runtime.connections").ThreadLocalConnections


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        seed(running, THREADS, REQUESTS)
        yield running


def test_sixteen_threads_share_one_service(server: LocalServer) -> None:
    result = run_load(server, generated_service, client="generated", threads=THREADS, requests=REQUESTS, deadline=45.0)
    assert result.hung == 0, result.summary()
    assert not result.exceptions, result.summary()
    assert result.wrong == 0, result.summary()
    assert result.ok == THREADS * REQUESTS, result.summary()
    assert result.server_requests == THREADS * REQUESTS
    assert result.unauthorized == 0
    assert result.connections <= THREADS, result.summary()


def _in_threads(count: int, target: Any) -> None:
    threads = [threading.Thread(target=target, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert not any(thread.is_alive() for thread in threads)


def test_developer_key_service_is_thread_local_too(server: LocalServer) -> None:
    service: Any = workspaceevents.build(
        "workspaceevents", "v1", developerKey="dk", client_options={"api_endpoint": server.url}
    )
    assert isinstance(service.subscriptions().get(name="subscriptions/t0r0").http, thread_local_http())
    server.clear_requests()
    before = server.connections
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for index in range(20):
                assert (
                    service.subscriptions()
                    .get(name=f"subscriptions/t1r{index}")
                    .execute()["name"]
                    .endswith(f"r{index}")
                )
        except BaseException as error:
            errors.append(error)

    _in_threads(4, work)
    assert not errors
    assert server.connections - before <= 4
    assert {tuple(request.query["key"]) for request in server.requests} == {("dk",)}
    service.close()


def test_an_http_the_caller_passes_is_used_as_given(server: LocalServer) -> None:
    mine = httplib2.Http(timeout=5)
    service: Any = workspaceevents.build(
        "workspaceevents", "v1", http=mine, client_options={"api_endpoint": server.url}
    )
    request = service.subscriptions().get(name="subscriptions/t0r0")
    assert request.http is mine


def test_credentials_are_exposed_for_the_universe_check(server: LocalServer) -> None:
    service = generated_service(server.url)
    http = service.subscriptions().get(name="subscriptions/t0r0").http
    assert isinstance(http, thread_local_http())
    assert http.credentials.token == TOKEN


def test_the_default_timeout_follows_build_http(monkeypatch: pytest.MonkeyPatch) -> None:
    connections = importlib.import_module("discovery_runtime.connections")
    monkeypatch.setattr(socket, "getdefaulttimeout", lambda: None)
    assert connections.new_http(None).timeout == 60
    monkeypatch.setattr(socket, "getdefaulttimeout", lambda: 7.5)
    http = connections.new_http(None)
    assert http.timeout == 7.5
    assert http._current().timeout == 7.5  # the per-thread httplib2.Http gets it
    http.timeout = 3
    assert http._current().timeout == 3


def test_close_closes_every_thread_and_later_requests_reconnect(server: LocalServer) -> None:
    service = generated_service(server.url)
    _in_threads(3, lambda: service.subscriptions().get(name="subscriptions/t0r0").execute())
    before = server.connections
    service.close()
    assert service.subscriptions().get(name="subscriptions/t0r1").execute()["name"] == "subscriptions/t0r1"
    assert server.connections == before + 1


def test_certificates_reach_present_and_future_connections() -> None:
    http = importlib.import_module("discovery_runtime.connections").new_http(Credentials(token=TOKEN))
    present = http._current()
    http.add_certificate("key.pem", "cert.pem", "example.com", "secret")
    future: list[Any] = []
    _in_threads(1, lambda: future.append(http._current()))
    for each in (present, future[0]):
        assert list(each.http.certificates.iter("example.com")) == [("key.pem", "cert.pem", "secret")]
