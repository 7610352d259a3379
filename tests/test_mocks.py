"""googleapiclient's test doubles drive both clients alike: HttpMock, HttpMockSequence, RequestMockBuilder.

Each flow runs against the generated client and the dynamic one with fresh
mocks, then compares what ``execute()`` returned or raised and what reached the
mock's wire: uri (query as a multiset), method, body and headers.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import google_auth_httplib2
import httplib2
import pytest
import workspaceevents
from google.auth.credentials import AnonymousCredentials
from googleapiclient import discovery
from googleapiclient.errors import HttpError
from googleapiclient.http import HttpMock, HttpMockSequence, RequestMockBuilder

from tests.strategies import DOCUMENT_TEXT, outcome, split_uri

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

Build = Callable[..., Any]
BUILDERS: dict[str, Build] = {
    "static": lambda **kwargs: workspaceevents.build_from_document(DOCUMENT_TEXT, developerKey="k", **kwargs),
    "dynamic": lambda **kwargs: discovery.build_from_document(DOCUMENT_TEXT, developerKey="k", **kwargs),
}
SUBSCRIPTION = {"name": "subscriptions/x", "targetResource": "//chat.googleapis.com/spaces/s", "eventTypes": ["a"]}


def _wire(sequence: list[tuple[str, str, Any, dict[str, str]]]) -> list[tuple[Any, ...]]:
    return [(split_uri(uri), method, body, headers) for uri, method, body, headers in sequence]


def _same_result(run: Callable[[Build], Any]) -> Any:
    """Run one flow with each client: same result, or the same exception (type, message, HTTP status)."""
    ok_static, static = outcome(lambda: run(BUILDERS["static"]))
    ok_dynamic, dynamic = outcome(lambda: run(BUILDERS["dynamic"]))
    assert ok_static == ok_dynamic, (static, dynamic)
    if ok_static:
        assert static == dynamic
    else:
        assert type(static) is type(dynamic)
        if isinstance(static, HttpError):
            # The message quotes the uri, whose query may come in another order.
            uris = static.uri or "", dynamic.uri or ""
            assert split_uri(uris[0]) == split_uri(uris[1])
            assert str(static).replace(uris[0], "") == str(dynamic).replace(uris[1], "")
            assert (static.resp, static.content) == (dynamic.resp, dynamic.content)
        else:
            assert str(static) == str(dynamic)
    return static


# ---- HttpMock -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["200", "204", "404", "500"])
@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("get", {"name": "subscriptions/a b"}),
        ("list", {"pageSize": 5, "filter": 'event_types:"x"'}),
        ("create", {"body": SUBSCRIPTION, "validateOnly": True}),
        ("patch", {"name": "subscriptions/x", "body": SUBSCRIPTION, "updateMask": "ttl"}),
        ("delete", {"name": "subscriptions/x", "etag": "e", "allowMissing": False}),
        ("reactivate", {"name": "subscriptions/x", "body": {}}),
    ],
)
def test_http_mock(status: str, method: str, kwargs: dict[str, Any], tmp_path: Path) -> None:
    content = tmp_path / "response.json"
    content.write_text(json.dumps({"name": "operations/1", "done": True}))

    def run(build: Build) -> Any:
        http = HttpMock(str(content), {"status": status, "content-type": "application/json"})
        service = build(http=http)
        result = getattr(service.subscriptions(), method)(**kwargs).execute()
        return result, split_uri(http.uri), http.method, http.body, http.headers

    _same_result(run)


def test_http_mock_for_operations(tmp_path: Path) -> None:
    content = tmp_path / "response.json"
    content.write_text('{"name": "operations/1", "done": false}')

    def run(build: Build) -> Any:
        http = HttpMock(str(content), {"status": "200"})
        with build(http=http) as service:
            result = service.operations().get(name="operations/a/b?c#d", fields="name").execute()
        return result, split_uri(http.uri), http.method, http.body, http.headers

    _same_result(run)


# ---- HttpMockSequence ----------------------------------------------------------------------------------


def test_paging_through_a_sequence() -> None:
    pages = [
        ({"status": "200"}, json.dumps({"subscriptions": [{"name": "subscriptions/1"}], "nextPageToken": "p2"})),
        ({"status": "200"}, json.dumps({"subscriptions": [{"name": "subscriptions/2"}], "nextPageToken": "p 3&"})),
        ({"status": "200"}, json.dumps({"subscriptions": [{"name": "subscriptions/3"}]})),
    ]

    def run(build: Build) -> Any:
        http = HttpMockSequence(list(pages))
        resource = build(http=http).subscriptions()
        names: list[str] = []
        request = resource.list(pageSize=1)
        while request is not None:
            response = request.execute()
            names.extend(s["name"] for s in response["subscriptions"])
            request = resource.list_next(request, response)
        return names, _wire(http.request_sequence)

    names, _ = _same_result(run)
    assert names == ["subscriptions/1", "subscriptions/2", "subscriptions/3"]


@pytest.mark.parametrize("echo", ["echo_request_headers_as_json", "echo_request_body", "echo_request_uri"])
def test_echoes(echo: str) -> None:
    def run(build: Build) -> Any:
        http = HttpMockSequence([({"status": "200"}, echo)])
        request = build(http=http).subscriptions().patch(name="subscriptions/é", body=SUBSCRIPTION, updateMask="ttl")
        request.postproc = lambda response, content: content
        content = request.execute()
        return split_uri(content.decode()) if echo == "echo_request_uri" else content

    _same_result(run)


def test_retries_on_server_errors() -> None:
    sequence = [({"status": "503"}, ""), ({"status": "500"}, ""), ({"status": "200"}, '{"name": "subscriptions/x"}')]

    def run(build: Build) -> Any:
        http = HttpMockSequence(list(sequence))
        request = build(http=http).subscriptions().get(name="subscriptions/x")
        request._sleep = lambda seconds: None
        return request.execute(num_retries=3), _wire(http.request_sequence)

    _same_result(run)


@pytest.mark.parametrize("status", ["400", "403", "404", "409", "429"])
def test_http_errors(status: str) -> None:
    error = json.dumps({"error": {"code": int(status), "message": "nope", "status": "X"}})

    def run(build: Build) -> Any:
        http = HttpMockSequence([({"status": status}, error)])
        return build(http=http).subscriptions().delete(name="subscriptions/x").execute()

    assert isinstance(_same_result(run), HttpError)


def test_context_manager_with_a_sequence() -> None:
    # HttpMockSequence has no close(): googleapiclient's `with` would raise AttributeError on exit.
    http = HttpMockSequence([({"status": "200"}, '{"name": "subscriptions/x"}')])
    with BUILDERS["static"](http=http) as service:
        assert service.subscriptions().get(name="subscriptions/x").execute() == {"name": "subscriptions/x"}
    service.close()


def test_context_manager_closes_http() -> None:
    closed: list[bool] = []

    class Closing:
        def close(self) -> None:
            closed.append(True)

    for name in ("static", "dynamic"):
        with BUILDERS[name](http=Closing()):
            pass
    assert closed == [True, True]


# ---- httplib2.Http patched around build() -----------------------------------------------------------

ANONYMOUS: dict[str, Build] = {
    "static": lambda: workspaceevents.build_from_document(DOCUMENT_TEXT, credentials=AnonymousCredentials()),
    "dynamic": lambda: discovery.build_from_document(DOCUMENT_TEXT, credentials=AnonymousCredentials()),
}


@pytest.mark.parametrize("name", ["static", "dynamic"])
def test_a_mock_active_only_during_build_answers_later_requests(name: str) -> None:
    with mock.patch("httplib2.Http") as patched:
        service = ANONYMOUS[name]()
    patched.return_value.request.return_value = (httplib2.Response({"status": "200"}), b'{"name": "subscriptions/x"}')
    assert service.subscriptions().get(name="subscriptions/x").execute() == {"name": "subscriptions/x"}
    assert patched.return_value.request.call_count == 1  # and not the network


@pytest.mark.parametrize("name", ["static", "dynamic"])
def test_close_before_any_request_closes_the_connection_build_made(name: str) -> None:
    with mock.patch("httplib2.Http") as patched:
        with ANONYMOUS[name]() as service:
            assert isinstance(service._http, google_auth_httplib2.AuthorizedHttp)
            assert service._http.http is patched.return_value
    patched.return_value.close.assert_called_once()


# ---- documents googleapiclient rejects -------------------------------------------------------------------

_DOCUMENT_BYTES = DOCUMENT_TEXT.encode("utf-8")


@pytest.mark.parametrize(
    ("document", "options"),
    [
        (b"\xef\xbb\xbf" + _DOCUMENT_BYTES, {}),
        (DOCUMENT_TEXT.encode("utf-16"), {}),
        (DOCUMENT_TEXT.encode("utf-32"), {}),
        ("\ufeff" + DOCUMENT_TEXT, {}),
        ("{", {"client_options": {"nope": 1}}),
        ("{", {"http": HttpMock(), "credentials": AnonymousCredentials()}),
    ],
    ids=["utf-8 BOM", "utf-16", "utf-32", "str BOM", "bad option before bad JSON", "http with credentials"],
)
def test_documents_and_arguments_googleapiclient_rejects_are_rejected_alike(document: Any, options: Any) -> None:
    ok_static, static = outcome(lambda: workspaceevents.build_from_document(document, **options))
    ok_dynamic, dynamic = outcome(lambda: discovery.build_from_document(document, **options))
    assert not ok_static and not ok_dynamic
    assert type(static) is type(dynamic)
    assert str(static) == str(dynamic)


# ---- RequestMockBuilder --------------------------------------------------------------------------------


def _builder(responses: dict[str, Any], check_unexpected: bool) -> RequestMockBuilder:
    return RequestMockBuilder(responses, check_unexpected=check_unexpected)


@pytest.mark.parametrize("check_unexpected", [False, True])
@pytest.mark.parametrize(
    ("method", "kwargs", "response"),
    [
        ("get", {"name": "subscriptions/x"}, (None, '{"name": "subscriptions/x"}')),
        ("list", {}, (httplib2.Response({"status": "500"}), b'{"error": {}}')),
        ("create", {"body": SUBSCRIPTION}, (None, '{"name": "operations/1"}', SUBSCRIPTION)),
        ("create", {"body": SUBSCRIPTION}, (None, "{}", json.dumps({**SUBSCRIPTION, "ttl": "1s"}))),
        ("create", {}, (None, "{}", SUBSCRIPTION)),
        ("delete", {"name": "subscriptions/x"}, (httplib2.Response({"status": "204"}), b"")),
        ("patch", {"name": "subscriptions/x", "body": {"ttl": "0s"}}, None),
    ],
    ids=["ok", "server error", "expected body", "other body", "missing body", "no content", "unmocked"],
)
def test_request_mock_builder(method: str, kwargs: dict[str, Any], response: Any, check_unexpected: bool) -> None:
    method_id = f"workspaceevents.subscriptions.{method}"
    responses = {} if response is None else {method_id: response}

    def run(build: Build) -> Any:
        service = build(requestBuilder=_builder(responses, check_unexpected))
        return getattr(service.subscriptions(), method)(**kwargs).execute()

    _same_result(run)
