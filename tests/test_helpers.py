"""The opt-in helpers, driven by recorded response sequences (HttpMockSequence): no network, no sleeping."""

from __future__ import annotations

import ast
import importlib.util
import json
import subprocess
import sys
import urllib.parse
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

import httplib2
import pytest
from googleapiclient.errors import HttpError
from googleapiclient.http import HttpMockSequence
from workspaceevents import build
from workspaceevents.errors import ApiError, ErrorInfo, api_error, error_info, error_status, has_status, status_name
from workspaceevents.operations import OperationError, OperationTimeout, wait_operation
from workspaceevents.pagination import Request, iter_items, iter_pages
from workspaceevents.subscription_helpers import (
    create_subscription,
    duration,
    find_subscription,
    iter_subscriptions,
    reactivate_subscription,
    renew_subscription,
    subscription_filter,
)
from workspaceevents.v1 import WorkspaceeventsService
from workspaceevents.v1.schemas import ListSubscriptionsResponse, Subscription

REPO = Path(__file__).resolve().parent.parent
BASE = "https://workspaceevents.googleapis.com/"
SPACE = "//chat.googleapis.com/spaces/AAAA"
CREATED = "google.workspace.chat.message.v1.created"
SUBSCRIPTION_TYPE = "type.googleapis.com/google.apps.events.subscriptions.v1.Subscription"


# Recorded responses, shaped as the API sends them.
def _sub(name: str, target: str = SPACE, **extra: Any) -> dict[str, Any]:
    return {"name": name, "targetResource": target, "eventTypes": [CREATED], "state": "ACTIVE", **extra}


def _running(name: str = "operations/op1") -> dict[str, Any]:
    return {
        "name": name,
        "metadata": {"@type": "type.googleapis.com/google.apps.events.subscriptions.v1.UpdateSubscriptionMetadata"},
    }


def _done(response: Mapping[str, Any], name: str = "operations/op1") -> dict[str, Any]:
    return {"name": name, "done": True, "response": {"@type": SUBSCRIPTION_TYPE, **response}}


ALREADY_EXISTS_V2: dict[str, Any] = {
    "error": {
        "code": 409,
        "message": "Subscription already exists for target resource.",
        "status": "ALREADY_EXISTS",
        "details": [
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "SUBSCRIPTION_ALREADY_EXISTS",
                "domain": "workspaceevents.googleapis.com",
                "metadata": {"current_subscription": "subscriptions/existing"},
            }
        ],
    }
}
# $.xgafv=1: the same error with the legacy errors[] array added.
ALREADY_EXISTS_V1: dict[str, Any] = {
    "error": {
        **ALREADY_EXISTS_V2["error"],
        "errors": [
            {"message": "Subscription already exists for target resource.", "domain": "global", "reason": "conflict"}
        ],
    }
}
# An older v1-only body: no status, no details, only errors[].
NOT_FOUND_LEGACY: dict[str, Any] = {
    "error": {
        "code": 404,
        "message": "Requested entity was not found.",
        "errors": [{"message": "Requested entity was not found.", "domain": "global", "reason": "notFound"}],
    }
}


class Recorder(HttpMockSequence):  # type: ignore[misc]
    """HttpMockSequence that fails loudly when a test asks for more responses than it recorded."""

    def request(self, uri: str, method: str = "GET", body: Any = None, headers: Any = None, **kwargs: Any) -> Any:
        if not self._iterable:
            raise AssertionError(f"unexpected request: {method} {uri}")
        return super().request(uri, method, body, headers, **kwargs)


def _service(*responses: tuple[int, object]) -> tuple[WorkspaceeventsService, Recorder]:
    http = Recorder([({"status": str(status)}, json.dumps(body)) for status, body in responses])
    return build("workspaceevents", "v1", http=http), http


def _requests(http: Recorder) -> list[tuple[str, str, dict[str, list[str]], Any]]:
    """(method, path, query, parsed body) of every request sent."""
    out = []
    for uri, method, body, _headers in http.request_sequence:
        parts = urllib.parse.urlsplit(uri)
        out.append((method, parts.path, urllib.parse.parse_qs(parts.query), json.loads(body) if body else None))
    return out


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def _subscriptions(page: ListSubscriptionsResponse) -> list[Subscription]:
    return page.get("subscriptions", [])


# ---------------------------------------------------------------- pagination


def test_iter_pages_follows_next_page_tokens_until_one_is_missing() -> None:
    service, http = _service(
        (200, {"subscriptions": [_sub("subscriptions/a")], "nextPageToken": "t1"}),
        (200, {"subscriptions": [_sub("subscriptions/b")], "nextPageToken": "t2"}),
        (200, {"subscriptions": [_sub("subscriptions/c")]}),
    )
    resource = service.subscriptions()
    pages = list(iter_pages(resource, resource.list(filter="f", pageSize=1)))
    assert [p["subscriptions"][0]["name"] for p in pages] == ["subscriptions/a", "subscriptions/b", "subscriptions/c"]
    sent = _requests(http)
    assert [q.get("pageToken") for _, _, q, _ in sent] == [None, ["t1"], ["t2"]]
    assert all(q["filter"] == ["f"] and q["pageSize"] == ["1"] for _, _, q, _ in sent)


def test_iter_pages_stops_on_an_empty_next_page_token() -> None:
    service, http = _service(
        (200, {"subscriptions": [_sub("subscriptions/a")], "nextPageToken": "t1"}),
        (200, {"subscriptions": [_sub("subscriptions/b")], "nextPageToken": ""}),
    )
    resource = service.subscriptions()
    assert len(list(iter_pages(resource, resource.list(filter="f")))) == 2
    assert len(http.request_sequence) == 2


def test_iter_pages_sends_what_a_hand_written_list_next_loop_sends() -> None:
    responses = (
        (200, {"subscriptions": [_sub("subscriptions/a")], "nextPageToken": "t1"}),
        (200, {"nextPageToken": "t2"}),
        (200, {"subscriptions": [_sub("subscriptions/c")]}),
    )
    service, by_hand = _service(*responses)
    resource = service.subscriptions()
    request: Request[ListSubscriptionsResponse] | None = resource.list(filter="f", pageSize=5)
    while request is not None:
        page = request.execute()
        request = resource.list_next(request, page)
    service, helper = _service(*responses)
    resource = service.subscriptions()
    list(iter_pages(resource.list_next, resource.list(filter="f", pageSize=5)))
    assert helper.request_sequence == by_hand.request_sequence


def test_iter_items_by_name_and_by_function_skip_pages_without_items() -> None:
    responses = (
        (200, {"subscriptions": [_sub("subscriptions/a"), _sub("subscriptions/b")], "nextPageToken": "t1"}),
        (200, {"nextPageToken": "t2"}),
        (200, {"subscriptions": [_sub("subscriptions/c")]}),
    )
    service, _ = _service(*responses)
    resource = service.subscriptions()
    by_name = [s["name"] for s in iter_items(resource, resource.list(filter="f"), "subscriptions")]
    service, _ = _service(*responses)
    resource = service.subscriptions()
    typed = [s.get("name") for s in iter_items(resource, resource.list(filter="f"), _subscriptions)]
    assert by_name == typed == ["subscriptions/a", "subscriptions/b", "subscriptions/c"]


def test_iter_items_fetches_pages_lazily() -> None:
    service, http = _service(
        (200, {"subscriptions": [_sub("subscriptions/a")], "nextPageToken": "t1"}),
        (200, {"subscriptions": [_sub("subscriptions/b")]}),
    )
    resource = service.subscriptions()
    items = iter_items(resource, resource.list(filter="f"), _subscriptions)
    assert next(items)["name"] == "subscriptions/a"
    assert len(http.request_sequence) == 1


# ---------------------------------------------------------------- operations


def test_wait_operation_returns_a_done_operation_without_any_request() -> None:
    service, http = _service()
    fake = FakeTime()
    result = wait_operation(
        service, _done(_sub("subscriptions/a")), response_type=Subscription, clock=fake.clock, sleep=fake.sleep
    )
    assert result["name"] == "subscriptions/a"
    assert result["@type"] == SUBSCRIPTION_TYPE  # type: ignore[typeddict-item]
    assert http.request_sequence == [] and fake.sleeps == []


def test_wait_operation_polls_operations_get_with_exponential_backoff() -> None:
    service, http = _service((200, _running()), (200, _running()), (200, _done(_sub("subscriptions/a"))))
    fake = FakeTime()
    result = wait_operation(
        service, _running(), initial_delay=0.5, multiplier=2.0, max_delay=10.0, clock=fake.clock, sleep=fake.sleep
    )
    assert result["name"] == "subscriptions/a"
    assert fake.sleeps == [0.5, 1.0, 2.0]
    assert [(m, p) for m, p, _, _ in _requests(http)] == [("GET", "/v1/operations/op1")] * 3


def test_wait_operation_caps_the_delay_at_max_delay() -> None:
    service, _ = _service(*[(200, _running())] * 4, (200, _done({})))
    fake = FakeTime()
    wait_operation(
        service, _running(), initial_delay=1.0, multiplier=10.0, max_delay=3.0, clock=fake.clock, sleep=fake.sleep
    )
    assert fake.sleeps == [1.0, 3.0, 3.0, 3.0, 3.0]


def test_wait_operation_raises_operation_timeout_at_the_deadline() -> None:
    service, http = _service(*[(200, _running())] * 10)
    fake = FakeTime()
    with pytest.raises(OperationTimeout) as caught:
        wait_operation(
            service,
            _running(),
            timeout=5.0,
            initial_delay=1.0,
            multiplier=2.0,
            max_delay=60.0,
            clock=fake.clock,
            sleep=fake.sleep,
        )
    # 1 + 2, then only the 2 s left: the last poll happens at the deadline, never after it.
    assert fake.sleeps == [1.0, 2.0, 2.0]
    assert fake.now == 1005.0
    assert len(http.request_sequence) == 3
    assert caught.value.operation["name"] == "operations/op1" and caught.value.timeout == 5.0
    assert isinstance(caught.value, TimeoutError)


def test_wait_operation_raises_operation_error_with_the_rpc_status() -> None:
    failed = {
        "name": "operations/op1",
        "done": True,
        "error": {
            "code": 6,
            "message": "Subscription already exists.",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "SUBSCRIPTION_ALREADY_EXISTS",
                    "domain": "workspaceevents.googleapis.com",
                    "metadata": {"current_subscription": "subscriptions/existing"},
                }
            ],
        },
    }
    service, _ = _service((200, failed))
    fake = FakeTime()
    with pytest.raises(OperationError) as caught:
        wait_operation(service, _running(), clock=fake.clock, sleep=fake.sleep)
    error = caught.value
    assert error.status["code"] == 6 and error.code == 6
    assert error.status_name == "ALREADY_EXISTS"
    assert error.message == "Subscription already exists."
    assert error.error_info == ErrorInfo(
        reason="SUBSCRIPTION_ALREADY_EXISTS",
        domain="workspaceevents.googleapis.com",
        metadata={"current_subscription": "subscriptions/existing"},
    )
    assert "ALREADY_EXISTS" in str(error)


def test_wait_operation_returns_an_empty_dict_when_the_operation_has_no_response() -> None:
    service, _ = _service()
    assert wait_operation(service, {"name": "operations/op1", "done": True}) == {}


@pytest.mark.parametrize(
    "options",
    [{"timeout": -1.0}, {"initial_delay": -1.0}, {"max_delay": -1.0}, {"multiplier": 0.5}],
)
def test_wait_operation_rejects_bad_options(options: dict[str, float]) -> None:
    service, _ = _service()
    with pytest.raises(ValueError):
        wait_operation(service, _running(), **options)  # type: ignore[call-overload]


def test_wait_operation_needs_a_name_to_poll() -> None:
    service, _ = _service()
    with pytest.raises(ValueError, match="no name"):
        wait_operation(service, {"done": False})


# -------------------------------------------------------------------- errors


def _http_error(status: int, body: object) -> HttpError:
    content = body.encode() if isinstance(body, str) else json.dumps(body).encode()
    return HttpError(httplib2.Response({"status": str(status)}), content, uri="https://example.test/")


@pytest.mark.parametrize("body", [ALREADY_EXISTS_V2, ALREADY_EXISTS_V1], ids=["xgafv-2", "xgafv-1"])
def test_api_error_reads_status_message_and_error_info_in_both_envelopes(body: dict[str, Any]) -> None:
    parsed = api_error(_http_error(409, body))
    assert parsed is not None
    assert parsed.http_status == 409
    assert parsed.status == "ALREADY_EXISTS"
    assert parsed.message == "Subscription already exists for target resource."
    assert parsed.reason == "SUBSCRIPTION_ALREADY_EXISTS"
    assert parsed.domain == "workspaceevents.googleapis.com"
    assert parsed.error_info is not None
    assert parsed.error_info.metadata == {"current_subscription": "subscriptions/existing"}
    assert len(parsed.legacy_errors) == len(body["error"].get("errors", []))


def test_api_error_falls_back_to_the_http_status_and_the_legacy_errors_array() -> None:
    parsed = api_error(_http_error(404, NOT_FOUND_LEGACY))
    assert parsed == ApiError(
        http_status=404,
        status="NOT_FOUND",
        message="Requested entity was not found.",
        error_info=ErrorInfo(reason="notFound", domain="global"),
        legacy_errors=tuple(NOT_FOUND_LEGACY["error"]["errors"]),
    )


def test_api_error_on_a_body_that_is_not_json() -> None:
    parsed = api_error(_http_error(503, "<html>Service Unavailable</html>"))
    assert parsed is not None
    assert (parsed.status, parsed.message, parsed.error_info) == (
        "UNAVAILABLE",
        "<html>Service Unavailable</html>",
        None,
    )


def test_api_error_on_a_batch_style_list_body() -> None:
    parsed = api_error(_http_error(409, [ALREADY_EXISTS_V2]))
    assert parsed is not None and parsed.status == "ALREADY_EXISTS"


def test_error_helpers_ignore_other_exceptions() -> None:
    assert api_error(ValueError("x")) is None
    assert error_status(ValueError("x")) is None
    assert error_info(KeyError("x")) is None
    assert not has_status(RuntimeError("x"), "ALREADY_EXISTS")


def test_status_name_maps_rpc_codes() -> None:
    assert [status_name(c) for c in (0, 5, 6, 16, 99, -1)] == [
        "OK",
        "NOT_FOUND",
        "ALREADY_EXISTS",
        "UNAUTHENTICATED",
        "UNKNOWN",
        "UNKNOWN",
    ]


@pytest.mark.parametrize(
    ("xgafv", "body"), [("1", ALREADY_EXISTS_V1), ("2", ALREADY_EXISTS_V2), (None, ALREADY_EXISTS_V2)]
)
def test_errors_raised_by_generated_methods_are_read_under_each_xgafv(xgafv: Any, body: dict[str, Any]) -> None:
    service, http = _service((409, body))
    with pytest.raises(HttpError) as caught:
        service.subscriptions().create(body={"targetResource": SPACE}, x__xgafv=xgafv).execute()
    assert _requests(http)[0][2].get("$.xgafv") == ([xgafv] if xgafv else None)
    assert has_status(caught.value, "ALREADY_EXISTS", "ABORTED")
    assert error_status(caught.value) == "ALREADY_EXISTS"
    info = error_info(caught.value)
    assert info is not None and info.reason == "SUBSCRIPTION_ALREADY_EXISTS"


# ------------------------------------------------------- Workspace Events


def test_duration_formats_google_protobuf_duration() -> None:
    assert duration(timedelta(days=1)) == "86400s"
    assert duration(1.5) == "1.5s"
    assert duration(0) == "0s"
    assert duration("3600s") == "3600s"


def test_subscription_filter() -> None:
    assert subscription_filter([CREATED]) == f'event_types:"{CREATED}"'
    assert subscription_filter([CREATED], SPACE) == f'event_types:"{CREATED}" AND target_resource="{SPACE}"'
    assert subscription_filter(["a", "b"], "t") == '( event_types:"a" OR event_types:"b" ) AND target_resource="t"'
    assert subscription_filter(['x"y']) == 'event_types:"x\\"y"'
    with pytest.raises(ValueError):
        subscription_filter([])


def test_renew_subscription_patches_the_ttl_and_waits() -> None:
    renewed = _sub("subscriptions/a", ttl="86400s", expireTime="2026-11-29T00:00:00Z")
    service, http = _service((200, _running()), (200, _done(renewed)))
    fake = FakeTime()
    result = renew_subscription(service, "subscriptions/a", timedelta(days=1), clock=fake.clock, sleep=fake.sleep)
    assert result["expireTime"] == "2026-11-29T00:00:00Z"
    (method, path, query, body), poll = _requests(http)
    assert (method, path, query, body) == (
        "PATCH",
        "/v1/subscriptions/a",
        {"updateMask": ["ttl"], "alt": ["json"]},
        {"ttl": "86400s"},
    )
    assert poll[:2] == ("GET", "/v1/operations/op1")
    assert fake.sleeps == [1.0]


def test_renew_subscription_defaults_to_the_longest_ttl() -> None:
    service, http = _service((200, _done(_sub("subscriptions/a"))))
    renew_subscription(service, "subscriptions/a")
    assert _requests(http)[0][3] == {"ttl": "0s"}


def test_reactivate_subscription_posts_reactivate_and_waits() -> None:
    service, http = _service((200, _running()), (200, _done(_sub("subscriptions/a"))))
    fake = FakeTime()
    result = reactivate_subscription(service, "subscriptions/a", clock=fake.clock, sleep=fake.sleep, initial_delay=2.0)
    assert result["state"] == "ACTIVE"
    assert [(m, p, b) for m, p, _, b in _requests(http)] == [
        ("POST", "/v1/subscriptions/a:reactivate", {}),
        ("GET", "/v1/operations/op1", None),
    ]
    assert fake.sleeps == [2.0]


def test_reactivate_subscription_raises_when_the_operation_fails() -> None:
    failed = {"name": "operations/op1", "done": True, "error": {"code": 9, "message": "Not suspended."}}
    service, _ = _service((200, failed))
    with pytest.raises(OperationError) as caught:
        reactivate_subscription(service, "subscriptions/a")
    assert caught.value.status_name == "FAILED_PRECONDITION"


def test_find_subscription_lists_with_the_filter_and_stops_at_the_match() -> None:
    service, http = _service(
        (
            200,
            {
                "subscriptions": [_sub("subscriptions/other", target="//chat.googleapis.com/spaces/B")],
                "nextPageToken": "t1",
            },
        ),
        (200, {"subscriptions": [_sub("subscriptions/mine")], "nextPageToken": "t2"}),
        (200, {"subscriptions": []}),
    )
    found = find_subscription(service, SPACE, [CREATED], page_size=1)
    assert found is not None and found["name"] == "subscriptions/mine"
    sent = _requests(http)
    assert len(sent) == 2
    assert sent[0][2]["filter"] == [f'event_types:"{CREATED}" AND target_resource="{SPACE}"']
    assert sent[1][2]["pageToken"] == ["t1"]


def test_find_subscription_returns_none_when_there_is_none() -> None:
    service, http = _service((200, {}))
    assert find_subscription(service, SPACE, [CREATED]) is None
    assert len(http.request_sequence) == 1


def test_iter_subscriptions_yields_typed_subscriptions_across_pages() -> None:
    service, _ = _service(
        (200, {"subscriptions": [_sub("subscriptions/a")], "nextPageToken": "t1"}),
        (200, {"subscriptions": [_sub("subscriptions/b")]}),
    )
    assert [s.get("name") for s in iter_subscriptions(service, "f")] == ["subscriptions/a", "subscriptions/b"]


def test_create_subscription_waits_for_the_operation() -> None:
    service, http = _service((200, _running()), (200, _done(_sub("subscriptions/new"))))
    fake = FakeTime()
    body: Subscription = {
        "targetResource": SPACE,
        "eventTypes": [CREATED],
        "notificationEndpoint": {"pubsubTopic": "t"},
    }
    result = create_subscription(service, body, clock=fake.clock, sleep=fake.sleep)
    assert result["name"] == "subscriptions/new"
    assert _requests(http)[0][:2] == ("POST", "/v1/subscriptions")
    assert _requests(http)[0][3] == body


def test_create_subscription_reuses_the_existing_one_on_already_exists() -> None:
    service, http = _service((409, ALREADY_EXISTS_V2), (200, {"subscriptions": [_sub("subscriptions/existing")]}))
    body: Subscription = {
        "targetResource": SPACE,
        "eventTypes": [CREATED],
        "notificationEndpoint": {"pubsubTopic": "t"},
    }
    result = create_subscription(service, body, reuse_existing=True)
    assert result["name"] == "subscriptions/existing"
    assert [m for m, _, _, _ in _requests(http)] == ["POST", "GET"]


def test_create_subscription_reraises_already_exists_by_default() -> None:
    service, _ = _service((409, ALREADY_EXISTS_V1))
    with pytest.raises(HttpError):
        create_subscription(service, {"targetResource": SPACE, "eventTypes": [CREATED]})


# ------------------------------------------------------------ the contract


def test_helpers_are_opt_in() -> None:
    """Building the service and calling methods imports none of the helper modules."""
    code = (
        "import sys, workspaceevents\n"
        "from googleapiclient.http import HttpMockSequence\n"
        "s = workspaceevents.build('workspaceevents', 'v1', http=HttpMockSequence([({'status': '200'}, '{}')]))\n"
        "s.subscriptions().list(filter='f').execute(); s.operations()\n"
        "print(sorted(m for m in sys.modules if m.startswith(('workspaceevents.', 'discovery_runtime.'))"
        " and 'v1' not in m))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    loaded = set(ast.literal_eval(result.stdout.strip()))
    helpers = {"errors", "pagination", "operations", "casing", "credentials", "aio", "subscription_helpers", "testing"}
    assert (
        not {f"{package}.{name}" for package in ("workspaceevents", "discovery_runtime") for name in helpers} & loaded
    )
    assert {"discovery_runtime.entry", "discovery_runtime.transport"} <= loaded


def test_the_example_runs_against_recorded_responses() -> None:
    spec = importlib.util.spec_from_file_location("example_subscriptions", REPO / "examples" / "subscriptions.py")
    assert spec is not None and spec.loader is not None
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    sub = _sub("subscriptions/s1", etag="e1")
    service, http = _service(
        (200, _running("operations/c1")),  # create
        (200, _done(sub, "operations/c1")),  # wait_operation's poll
        (200, _done(sub, "operations/c1")),  # operations.get
        (200, {**sub, "state": "SUSPENDED", "suspensionReason": "USER_SCOPE_REVOKED"}),  # get
        (200, {"subscriptions": [sub], "nextPageToken": "n"}),  # list
        (200, {"subscriptions": []}),  # list_next
        (200, {"subscriptions": [sub]}),  # iter_pages
        (200, {"subscriptions": [sub]}),  # iter_items
        (200, {"subscriptions": [sub]}),  # find_subscription
        (200, _done({**sub, "expireTime": "2026-11-29T00:00:00Z"}, "operations/p1")),  # patch
        (200, _done(sub, "operations/r1")),  # reactivate
        (200, {"name": "operations/d1", "done": True}),  # delete
        (404, NOT_FOUND_LEGACY),  # delete again
        (200, {"name": "operations/d2", "done": True}),  # delete, allowMissing
    )
    lines: list[str] = []
    fake = FakeTime()
    renewed = example.run(service, "spaces/AAAA", "projects/p/topics/t", sleep=fake.sleep, log=lines.append)
    assert renewed["expireTime"] == "2026-11-29T00:00:00Z"
    assert "second delete: NOT_FOUND notFound Requested entity was not found." in lines
    sent = [(m, p) for m, p, _, _ in _requests(http)]
    assert sent[0] == ("POST", "/v1/subscriptions")
    assert ("PATCH", "/v1/subscriptions/s1") in sent and ("POST", "/v1/subscriptions/s1:reactivate") in sent
    assert sent[-3:] == [("DELETE", "/v1/subscriptions/s1")] * 3
    assert http._iterable == []
