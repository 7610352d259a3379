"""workspaceevents.testing.LocalServer: the subscription methods, validation, errors, records and faults.

Every fault must end in the right result or a clear exception, within a bounded time, and leave the
service able to make its next call (which must get its own response).
"""

from __future__ import annotations

import http.client
import json
import socket
import time
from collections.abc import Callable, Iterator
from typing import Any

import httplib2
import pytest
import workspaceevents
from google.oauth2.credentials import Credentials
from googleapiclient.errors import HttpError
from workspaceevents.testing import Fault, LocalServer, error_body

TOKEN = "server-test-token"
EVENT = "google.workspace.chat.message.v1.created"
FILTER = f'event_types:"{EVENT}"'
TIMEOUT = 0.5  # client socket timeout in these tests


def subscription_body(space: str = "A", **extra: Any) -> dict[str, Any]:
    return {
        "targetResource": f"//chat.googleapis.com/spaces/{space}",
        "eventTypes": [EVENT],
        "notificationEndpoint": {"pubsubTopic": "projects/p/topics/t"},
        **extra,
    }


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer(operation_polls=2) as running:
        yield running


@pytest.fixture
def service(server: LocalServer) -> Iterator[Any]:
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(TIMEOUT)
    try:
        built = workspaceevents.build(
            "workspaceevents", "v1", credentials=Credentials(token=TOKEN), client_options={"api_endpoint": server.url}
        )
    finally:
        socket.setdefaulttimeout(previous)
    yield built
    built.close()


def raw(server: LocalServer, method: str, path: str, body: bytes | None = None, **headers: str) -> tuple[int, Any]:
    """A request the generated client would refuse to build, sent as is."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def wait(service: Any, operation: dict[str, Any], polls: int = 10) -> dict[str, Any]:
    for _ in range(polls):
        if operation.get("done"):
            return operation
        operation = service.operations().get(name=operation["name"]).execute()
    raise AssertionError(f"operation not done after {polls} polls: {operation}")


# -- the methods -------------------------------------------------------------


def test_create_get_patch_reactivate_delete_through_operations(server: LocalServer, service: Any) -> None:
    subscriptions = service.subscriptions()
    operation = subscriptions.create(body=subscription_body(payloadOptions={"includeResource": True})).execute()
    assert "done" not in operation
    assert operation["metadata"]["@type"].endswith("CreateSubscriptionMetadata")
    first = service.operations().get(name=operation["name"]).execute()
    assert "done" not in first  # operation_polls=2: the second poll finishes it
    done = wait(service, first)
    created = done["response"]
    assert created["@type"].endswith(".Subscription")
    assert created["state"] == "ACTIVE"
    name = created["name"]
    assert subscriptions.get(name=name).execute()["payloadOptions"] == {"includeResource": True}

    renewed = wait(service, subscriptions.patch(name=name, updateMask="ttl", body={"ttl": "3600s"}).execute())
    assert renewed["response"]["ttl"] == "3600s"
    assert renewed["response"]["etag"] != created["etag"]

    server.suspend(name, "USER_SCOPE_REVOKED")
    assert subscriptions.get(name=name).execute()["state"] == "SUSPENDED"
    reactivated = wait(service, subscriptions.reactivate(name=name, body={}).execute())
    assert reactivated["response"]["state"] == "ACTIVE"
    assert "suspensionReason" not in reactivated["response"]

    deleted = wait(service, subscriptions.delete(name=name).execute())
    assert deleted["response"] == {"@type": "type.googleapis.com/google.protobuf.Empty"}
    with pytest.raises(HttpError) as missing:
        subscriptions.get(name=name).execute()
    assert missing.value.status_code == 404
    assert wait(service, subscriptions.delete(name=name, allowMissing=True).execute())["done"] is True


def test_operations_finish_at_once_with_zero_polls(service: Any) -> None:
    with LocalServer(operation_polls=0) as quick:
        quick_service: Any = workspaceevents.build(
            "workspaceevents", "v1", developerKey="local", client_options={"api_endpoint": quick.url}
        )
        operation = quick_service.subscriptions().create(body=subscription_body()).execute()
        assert operation["done"] is True
        assert quick.requests[0].query["key"] == ["local"]
        quick_service.close()


def test_list_pages_through_every_match_with_page_tokens(server: LocalServer, service: Any) -> None:
    for index in range(7):
        server.add_subscription(
            name=f"subscriptions/s{index}", targetResource=f"//chat.googleapis.com/spaces/{index}", eventTypes=[EVENT]
        )
    server.add_subscription(name="subscriptions/other", targetResource="//x", eventTypes=["google.workspace.other"])
    subscriptions = service.subscriptions()
    request = subscriptions.list(filter=FILTER, pageSize=3)
    names: list[str] = []
    pages = 0
    while request is not None and pages < 10:
        page = request.execute()
        names += [item["name"] for item in page.get("subscriptions", [])]
        request = subscriptions.list_next(request, page)
        pages += 1
    assert pages == 3
    assert names == [f"subscriptions/s{index}" for index in range(7)]
    target = subscriptions.list(filter=f'{FILTER} AND target_resource="//chat.googleapis.com/spaces/4"').execute()
    assert [item["name"] for item in target["subscriptions"]] == ["subscriptions/s4"]
    assert subscriptions.list(filter='event_types:"google.workspace.none"').execute() == {}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Missing required parameter: filter"),
        ("&filter=nonsense", "Invalid filter"),
        (f"&filter={FILTER}&pageToken=garbage", "The page token is invalid"),
        (f"&filter={FILTER}&pageSize=abc", "TYPE_INT32"),
    ],
)
def test_list_rejects_bad_filters_tokens_and_sizes(server: LocalServer, query: str, message: str) -> None:
    status, body = raw(server, "GET", f"/v1/subscriptions?key=k{query.replace(' ', '%20')}")
    assert status == 400
    assert message in body["error"]["message"]


def test_create_validates_the_body(service: Any) -> None:
    subscriptions = service.subscriptions()
    cases = [
        ({**subscription_body(), "bogus": 1}, "Unknown name \"bogus\" at 'subscription'"),
        (subscription_body(notificationEndpoint={"pubsubTopic": "t", "extra": 1}), 'Unknown name "extra"'),
        (subscription_body(state="BOGUS"), "(TYPE_ENUM)"),
        (subscription_body(eventTypes=[5]), "(TYPE_STRING)"),
        ({"eventTypes": [EVENT]}, "Missing required field: subscription.targetResource"),
        (subscription_body(notificationEndpoint={"pubsubTopic": "not-a-topic"}), "pubsub_topic"),
        (subscription_body(ttl="ten minutes"), "Duration"),
        (subscription_body(ttl="60s", expireTime="2030-01-01T00:00:00Z"), "Only one of ttl and expire_time"),
    ]
    for body, message in cases:
        with pytest.raises(HttpError) as error:
            subscriptions.create(body=body).execute()
        assert error.value.status_code == 400, body
        assert message in error.value.reason, (body, error.value.reason)


def test_conflicts_etags_and_preconditions(server: LocalServer, service: Any) -> None:
    subscriptions = service.subscriptions()
    created = wait(service, subscriptions.create(body=subscription_body()).execute())["response"]
    expectations: list[tuple[Callable[[], Any], int, str]] = [
        (lambda: subscriptions.create(body=subscription_body()).execute(), 409, "already exists"),
        (lambda: subscriptions.delete(name=created["name"], etag='"stale"').execute(), 409, "etag"),
        (lambda: subscriptions.patch(name=created["name"], body={"etag": '"0"', "ttl": "1s"}).execute(), 409, "etag"),
        (
            lambda: subscriptions.patch(name=created["name"], updateMask="target_resource", body={}).execute(),
            400,
            "cannot",
        ),
        (lambda: subscriptions.reactivate(name=created["name"], body={}).execute(), 400, "not suspended"),
        (lambda: subscriptions.get(name="subscriptions/nope").execute(), 404, "not found"),
        (lambda: service.operations().get(name="operations/nope").execute(), 404, "not found"),
    ]
    for call, status, message in expectations:
        with pytest.raises(HttpError) as error:
            call()
        assert error.value.status_code == status
        assert message in error.value.reason
    validated = subscriptions.delete(name=created["name"], validateOnly=True).execute()
    assert wait(service, validated)["done"]
    assert created["name"] in server.subscriptions


# -- requests the client would not send ----------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "status", "message"),
    [
        ("GET", "/v1/subscriptions/a?key=k&colour=red", 400, 'Unknown name "colour"'),
        ("GET", "/v1/subscriptions/a?key=k&%24.xgafv=3", 400, "TYPE_ENUM"),
        ("GET", "/v1/subscriptions/a?key=k&prettyPrint=maybe", 400, "TYPE_BOOL"),
        ("GET", "/v1/subscriptions/a/b?key=k", 404, "was not found"),  # fails the name pattern
        ("PUT", "/v1/subscriptions/a?key=k", 404, "was not found"),
        ("GET", "/v1/subscriptions/a", 401, "missing required authentication"),
    ],
)
def test_query_paths_and_auth_are_checked(
    server: LocalServer, method: str, path: str, status: int, message: str
) -> None:
    code, body = raw(server, method, path)
    assert code == status
    assert message in body["error"]["message"]


def test_bodies_that_are_not_json_objects_are_rejected(server: LocalServer) -> None:
    for body, message in ((b"{not json", "Unexpected token"), (b"[1]", "Expected an object")):
        status, answer = raw(server, "POST", "/v1/subscriptions?key=k", body, **{"Content-Type": "application/json"})
        assert status == 400
        assert message in answer["error"]["message"]


def test_both_error_envelopes() -> None:
    legacy = error_body(403, "slow down", xgafv="1", reason="rateLimitExceeded")["error"]
    assert legacy == {
        "code": 403,
        "message": "slow down",
        "errors": [{"message": "slow down", "domain": "global", "reason": "rateLimitExceeded"}],
    }
    status = error_body(403, "slow down", xgafv="2", reason="rateLimitExceeded")["error"]
    assert status["status"] == "PERMISSION_DENIED"
    assert status["details"][0]["reason"] == "rateLimitExceeded"
    assert "errors" not in status
    default = error_body(404, "gone")["error"]
    assert default["status"] == "NOT_FOUND"
    assert default["errors"][0]["reason"] == "notFound"


def test_envelope_follows_the_xgafv_parameter(service: Any) -> None:
    for xgafv, key in (("1", "errors"), ("2", "status")):
        with pytest.raises(HttpError) as error:
            service.subscriptions().get(name="subscriptions/none", x__xgafv=xgafv).execute()
        envelope = json.loads(error.value.content)["error"]
        assert key in envelope
        assert ({"errors", "status"} - {key}).isdisjoint(envelope)


def test_requests_are_recorded_with_authorization_and_connection(server: LocalServer, service: Any) -> None:
    server.add_subscription(name="subscriptions/a", targetResource="//a", eventTypes=[EVENT])
    for _ in range(3):
        service.subscriptions().get(name="subscriptions/a").execute()
    seen = server.requests
    assert [request.method_id for request in seen] == ["workspaceevents.subscriptions.get"] * 3
    assert {request.authorization for request in seen} == {f"Bearer {TOKEN}"}
    assert {request.connection for request in seen} == {1}  # keep-alive: one connection
    assert seen[0].path == "/v1/subscriptions/a"
    assert seen[0].query == {"alt": ["json"]}
    assert seen[0].thread
    assert server.connections == 1


# -- faults ----------------------------------------------------------------------


def _bounded(call: Any, limit: float = 5.0) -> tuple[Any, float]:
    began = time.monotonic()
    try:
        outcome: Any = call()
    except Exception as error:
        outcome = error
    elapsed = time.monotonic() - began
    assert elapsed < limit, f"took {elapsed:.1f}s"
    return outcome, elapsed


@pytest.mark.parametrize(
    ("fault", "times", "retries", "expected"),
    [
        (Fault.delay(0.1), 1, 0, "ok"),
        (Fault.delay(2 * TIMEOUT), 1, 0, TimeoutError),
        (Fault.delay(2 * TIMEOUT), 1, 1, "ok"),
        (Fault.error(429, retry_after=1), 2, 2, "ok"),
        (Fault.error(500), 2, 2, "ok"),
        (Fault.error(503), 3, 2, HttpError),
        (Fault.error(403, reason="rateLimitExceeded"), 1, 1, "ok"),
        (Fault.reset(), 1, 0, ConnectionResetError),
        (Fault.reset(), 2, 2, "ok"),
        (Fault.truncated(), 1, 2, http.client.IncompleteRead),
        (Fault.not_json(502), 1, 1, "ok"),
        (Fault.not_json(502), 2, 1, HttpError),
        (Fault.not_json(200), 1, 0, str),
        (Fault.hang(), 1, 0, TimeoutError),
        (Fault.hang(), 2, 2, "ok"),
    ],
    ids=lambda value: getattr(value, "kind", None) or getattr(value, "__name__", None) or repr(value),
)
def test_every_fault_gives_the_result_or_a_clear_error_and_the_next_call_works(
    server: LocalServer, service: Any, fault: Fault, times: int, retries: int, expected: Any
) -> None:
    server.add_subscription(name="subscriptions/a", targetResource="//a", eventTypes=[EVENT])
    server.add_subscription(name="subscriptions/b", targetResource="//b", eventTypes=[EVENT])
    server.inject(fault, times=times, method_id="workspaceevents.subscriptions.get")
    request = service.subscriptions().get(name="subscriptions/a", x__xgafv="1")
    request._sleep = lambda seconds: None  # no real backoff in tests
    outcome, _ = _bounded(lambda: request.execute(num_retries=retries))
    if expected == "ok":
        assert isinstance(outcome, dict) and outcome["name"] == "subscriptions/a", outcome
    elif expected is str:
        assert isinstance(outcome, str) and outcome.startswith("<!DOCTYPE html>")  # JsonModel hands back the text
    else:
        assert isinstance(outcome, expected), outcome
    server.clear_faults()
    time.sleep(2 * TIMEOUT if fault.kind == "delay" else 0)  # let a late answer reach the dropped connection
    after, _ = _bounded(lambda: service.subscriptions().get(name="subscriptions/b").execute())
    assert isinstance(after, dict) and after["name"] == "subscriptions/b", after


def test_error_faults_carry_retry_after_and_the_envelope(server: LocalServer) -> None:
    server.inject(Fault.error(429, retry_after=7))
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request("GET", "/v1/subscriptions/a?key=k&%24.xgafv=2")
        response = connection.getresponse()
        body = json.loads(response.read())
    finally:
        connection.close()
    assert response.status == 429
    assert response.getheader("Retry-After") == "7"
    assert body["error"]["status"] == "RESOURCE_EXHAUSTED"
    assert server.requests[0].fault == "error"


def test_stop_returns_promptly_with_held_and_idle_connections() -> None:
    server = LocalServer().start()
    idle = httplib2.Http(timeout=5)
    idle.request(server.url + "v1/subscriptions/a?key=k")
    server.inject(Fault.hang())
    held = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    held.request("GET", "/v1/subscriptions/a?key=k")
    for _ in range(100):
        if len(server.requests) == 2:
            break
        time.sleep(0.01)
    began = time.monotonic()
    server.stop()
    assert time.monotonic() - began < 2.0
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        held.getresponse()
    held.close()
    idle.close()
