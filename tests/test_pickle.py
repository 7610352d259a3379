"""A service, a resource, a built request and an HttpError survive pickling and still work."""

from __future__ import annotations

import importlib
import pickle
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import workspaceevents
from google.oauth2.credentials import Credentials
from googleapiclient.errors import HttpError
from workspaceevents.testing import LocalServer

TOKEN = "pickle-test-token"


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        running.add_subscription(name="subscriptions/a", targetResource="//a", eventTypes=["e"])
        yield running


@pytest.fixture(params=["credentials", "developer key"])
def service(request: pytest.FixtureRequest, server: LocalServer) -> Iterator[Any]:
    options = {"api_endpoint": server.url}
    if request.param == "credentials":
        built = workspaceevents.build(
            "workspaceevents", "v1", credentials=Credentials(token=TOKEN), client_options=options
        )
    else:
        built = workspaceevents.build("workspaceevents", "v1", developerKey="dk", client_options=options)
    built.subscriptions().get(name="subscriptions/a").execute()  # open a connection first
    yield built
    built.close()


def round_trip(value: Any) -> Any:
    return pickle.loads(pickle.dumps(value))


def test_service_round_trip(server: LocalServer, service: Any) -> None:
    copy = round_trip(service)
    assert copy.subscriptions().get(name="subscriptions/a").execute()["name"] == "subscriptions/a"
    assert server.requests[-1].headers.get("authorization") in (f"Bearer {TOKEN}", None)
    copy.close()


def test_resource_round_trip(service: Any) -> None:
    copy = round_trip(service.subscriptions())
    assert copy.get(name="subscriptions/a").execute()["name"] == "subscriptions/a"


def test_request_round_trip(service: Any) -> None:
    request = service.subscriptions().get(name="subscriptions/a")
    copy = round_trip(request)
    assert copy.uri == request.uri
    assert copy.execute()["name"] == "subscriptions/a"


def test_http_error_round_trip(service: Any) -> None:
    with pytest.raises(HttpError) as raised:
        service.subscriptions().get(name="subscriptions/missing").execute()
    copy = round_trip(raised.value)
    assert type(copy) is type(raised.value)
    assert copy.status_code == 404
    assert copy.content == raised.value.content
    assert copy.uri == raised.value.uri
    assert str(copy) == str(raised.value)


def test_pickling_drops_connections_and_keeps_settings() -> None:
    connections = importlib.import_module("discovery_runtime.connections")
    http = connections.ThreadLocalAuthorizedHttp(Credentials(token=TOKEN), timeout=4)
    http.add_certificate("k", "c", "d")
    worker = threading.Thread(target=http._current)
    worker.start()
    worker.join(5)
    copy = round_trip(http)
    assert copy.timeout == 4
    assert copy.credentials.token == TOKEN
    assert not list(copy._open)
    assert copy._certificates == [("k", "c", "d", None)]
