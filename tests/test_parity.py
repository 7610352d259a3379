"""Differential tests: the generated client against googleapiclient's dynamic client.

For every method, hypothesis draws argument sets from the pinned document;
both clients build the call, and the requests (or the exceptions) must match.
"""

from __future__ import annotations

import importlib
import io
import pickle
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import googleapiclient.model
import pytest
import workspaceevents
from googleapiclient import discovery
from googleapiclient.http import HttpMock, MediaFileUpload, MediaInMemoryUpload, MediaIoBaseUpload
from googleapiclient.model import JsonModel, MediaModel, RawModel
from hypothesis import strategies as st
from workspaceevents.v1 import WorkspaceeventsService

from tests.strategies import (
    DOCUMENT_TEXT,
    METHODS,
    REPO,
    MethodInfo,
    assert_same_outcome,
    assert_same_request,
    call_arguments,
    event,
    given,
    outcome,
    settings,
)

VALID_EXAMPLES = 300  # per method: 7 x 300 = 2,100 valid argument sets per run
WILD_EXAMPLES = 100  # per method: 700 argument sets that may be invalid

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _method(service: Any, method: MethodInfo) -> Any:
    return getattr(getattr(service, method.resource)(), method.name)


def _ids(method: MethodInfo) -> str:
    return method.label


@pytest.mark.parametrize("method", METHODS, ids=_ids)
@settings(max_examples=VALID_EXAMPLES)
@given(data=st.data())
def test_valid_arguments_build_the_same_request(
    method: MethodInfo, data: Any, static: WorkspaceeventsService, static_built: WorkspaceeventsService, dynamic: Any
) -> None:
    kwargs = data.draw(call_arguments(method.label), label="kwargs")
    expected = _method(dynamic, method)(**kwargs)
    assert_same_request(_method(static, method)(**kwargs), expected)
    assert_same_request(_method(static_built, method)(**kwargs), expected)


@pytest.mark.parametrize("method", METHODS, ids=_ids)
@settings(max_examples=WILD_EXAMPLES)
@given(data=st.data())
def test_any_arguments_give_the_same_request_or_error(
    method: MethodInfo, data: Any, static: WorkspaceeventsService, dynamic: Any
) -> None:
    kwargs = data.draw(call_arguments(method.label, wild=True), label="kwargs")
    event((outcome(lambda: _method(dynamic, method)(**kwargs))[0] and "builds") or "raises")
    assert_same_outcome(lambda: _method(static, method)(**kwargs), lambda: _method(dynamic, method)(**kwargs))


@pytest.mark.parametrize("method", METHODS, ids=_ids)
def test_every_parameter_at_once(
    method: MethodInfo, static: WorkspaceeventsService, static_built: WorkspaceeventsService, dynamic: Any
) -> None:
    values = {"string": "v/:?#[]@!$&'()*+,;=% é\u2028", "boolean": False, "integer": 7}
    kwargs: dict[str, Any] = {
        name: param["enum"][-1] if "enum" in param else values[param.get("type", "string")]
        for name, param in method.parameters
    }
    if "name" in kwargs:
        kwargs["name"] = f"{method.resource}/a b:c?d#e[f]@%41%zz"
    if method.body_schema:
        kwargs["body"] = {"name": "é", "nested": {"list": [1, 2.5, None, True]}}
    expected = _method(dynamic, method)(**kwargs)
    assert_same_request(_method(static, method)(**kwargs), expected)
    assert_same_request(_method(static_built, method)(**kwargs), expected)


# ---- invalid calls, one category at a time -------------------------------------------------------

_WITH_NAME = [m for m in METHODS if "name" in m.required]
_BAD_NAMES = ["bad", "subscriptions/", "subscriptions/a/b", "operation/x", "", "xoperations/1", "subscriptions/a/"]


def _valid_name(method: MethodInfo) -> str:
    return f"{method.resource}/x"


@pytest.mark.parametrize("method", _WITH_NAME, ids=_ids)
def test_missing_required_as_none_is_the_same_error(
    method: MethodInfo, static: WorkspaceeventsService, dynamic: Any
) -> None:
    error = assert_same_outcome(lambda: _method(static, method)(name=None), lambda: _method(dynamic, method)(name=None))
    assert isinstance(error, TypeError)


@pytest.mark.parametrize("method", _WITH_NAME, ids=_ids)
def test_missing_required_is_a_type_error(method: MethodInfo, static: WorkspaceeventsService, dynamic: Any) -> None:
    error = assert_same_outcome(_method(static, method), _method(dynamic, method), message=False)
    assert isinstance(error, TypeError)


@pytest.mark.parametrize("method", _WITH_NAME, ids=_ids)
@pytest.mark.parametrize("name", _BAD_NAMES)
def test_pattern_mismatch_is_the_same_error(
    method: MethodInfo, name: str, static: WorkspaceeventsService, dynamic: Any
) -> None:
    if method.resource == "operations" and name.startswith("operations/"):
        pytest.skip("valid for ^operations/.*$")
    error = assert_same_outcome(lambda: _method(static, method)(name=name), lambda: _method(dynamic, method)(name=name))
    assert isinstance(error, TypeError)


@pytest.mark.parametrize("method", METHODS, ids=_ids)
@pytest.mark.parametrize(("argument", "value"), [("x__xgafv", "3"), ("alt", "xml"), ("x__xgafv", 1), ("alt", "JSON")])
def test_enum_mismatch_is_the_same_error(
    method: MethodInfo, argument: str, value: object, static: WorkspaceeventsService, dynamic: Any
) -> None:
    kwargs: dict[str, Any] = {argument: value}
    if method.required:
        kwargs["name"] = _valid_name(method)
    error = assert_same_outcome(lambda: _method(static, method)(**kwargs), lambda: _method(dynamic, method)(**kwargs))
    assert isinstance(error, TypeError)


@pytest.mark.parametrize("method", METHODS, ids=_ids)
@pytest.mark.parametrize("argument", ["foo", "media_body", "pageToken", "body", "$.xgafv", "name"])
def test_unknown_keyword_is_a_type_error(
    method: MethodInfo, argument: str, static: WorkspaceeventsService, dynamic: Any
) -> None:
    known = {name for name, _ in method.parameters} | ({"body"} if method.body_schema else set())
    if argument in known:
        pytest.skip("a parameter of this method")
    kwargs: dict[str, Any] = {argument: "x"}
    if method.required:
        kwargs["name"] = _valid_name(method)
    error = assert_same_outcome(
        lambda: _method(static, method)(**kwargs), lambda: _method(dynamic, method)(**kwargs), message=False
    )
    assert isinstance(error, TypeError)


@pytest.mark.parametrize("method", METHODS, ids=_ids)
def test_positional_arguments_are_a_type_error(
    method: MethodInfo, static: WorkspaceeventsService, dynamic: Any
) -> None:
    name = _valid_name(method)
    error = assert_same_outcome(
        lambda: _method(static, method)(name), lambda: _method(dynamic, method)(name), message=False
    )
    assert isinstance(error, TypeError)


@pytest.mark.parametrize(
    ("label", "kwargs"),
    [("subscriptions.get", {"name": "subscriptions/x", "foo": 1}), ("subscriptions.get", {})],
    ids=["unknown keyword", "omitted required"],
)
def test_binding_errors_have_the_same_message(
    label: str, kwargs: dict[str, Any], static: WorkspaceeventsService, dynamic: Any
) -> None:
    resource, name = label.split(".")
    mine, theirs = getattr(getattr(static, resource)(), name), getattr(getattr(dynamic, resource)(), name)
    assert_same_outcome(lambda: mine(**kwargs), lambda: theirs(**kwargs))


# ---- surface: callables, docstrings, accessors -----------------------------------------------------


def _public_callables(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in dir(obj) if not name.startswith("_") and callable(getattr(obj, name))}


def _resources(service: Any) -> dict[str, Any]:
    return {"service": service, **{name: getattr(service, name)() for name in sorted(_accessors(service))}}


def _accessors(service: Any) -> list[str]:
    return [n for n, f in _public_callables(service).items() if getattr(f, "__is_resource__", False)]


def test_accessors_are_marked_as_resources(static: WorkspaceeventsService, dynamic: Any) -> None:
    assert _accessors(static) == _accessors(dynamic) == ["operations", "subscriptions"]
    for name, member in _public_callables(static).items():
        assert getattr(member, "__is_resource__", None) == getattr(getattr(dynamic, name), "__is_resource__", None)


@pytest.mark.parametrize("where", ["service", "operations", "subscriptions"])
def test_same_public_callables_and_docstrings(where: str, static: WorkspaceeventsService, dynamic: Any) -> None:
    mine = _public_callables(_resources(static)[where])
    theirs = _public_callables(_resources(dynamic)[where])
    assert sorted(mine) == sorted(theirs)
    for name, member in mine.items():
        assert member.__doc__ == theirs[name].__doc__, name


def test_the_service_has_the_same_docstring(static: WorkspaceeventsService, dynamic: Any) -> None:
    assert static.__doc__ == dynamic.__doc__ == type(dynamic).__doc__


def test_the_service_has_the_dynamic_clients_private_attributes(static: WorkspaceeventsService, dynamic: Any) -> None:
    # What googleapiclient's own tests and user code read (and set: service._baseUrl, service._http).
    for name in ("_http", "_baseUrl", "_universe_domain", "_developerKey", "_requestBuilder"):
        assert getattr(static, name) == getattr(dynamic, name), name
    assert type(static._model) is type(dynamic._model)
    assert vars(static._model) == vars(dynamic._model)
    assert static._validate_credentials() == dynamic._validate_credentials()
    assert static._credentials_validated == dynamic._credentials_validated
    static._baseUrl = dynamic._baseUrl = "https://elsewhere.example/v9/"
    mine = static.subscriptions().get(name="subscriptions/x")
    theirs = dynamic.subscriptions().get(name="subscriptions/x")
    assert mine.uri == theirs.uri


def test_pickled_services_build_the_same_requests(static: WorkspaceeventsService, dynamic: Any) -> None:
    mine, theirs = pickle.loads(pickle.dumps(static)), pickle.loads(pickle.dumps(dynamic))
    for label, kwargs in (
        ("subscriptions.get", {"name": "subscriptions/x"}),
        ("operations.get", {"name": "operations/x"}),
    ):
        resource, name = label.split(".")
        made = getattr(getattr(mine, resource)(), name)(**kwargs)
        expected = getattr(getattr(theirs, resource)(), name)(**kwargs)
        assert_same_request(made, expected, same_http=False)
        assert type(made.http) is type(expected.http)


# ---- paging ---------------------------------------------------------------------------------------

_PREVIOUS_RESPONSES: list[dict[str, Any]] = [
    {"nextPageToken": "tok"},
    {"nextPageToken": "a b&c=d/é?#%2F", "subscriptions": []},
    {"nextPageToken": ""},
    {"nextPageToken": None},
    {},
    {"subscriptions": [{"name": "subscriptions/1"}]},
]


@pytest.mark.parametrize("response", _PREVIOUS_RESPONSES)
@pytest.mark.parametrize("first", [{}, {"pageToken": "old", "pageSize": 3}, {"filter": "x=y", "fields": "a,b"}])
def test_list_next_matches(
    response: dict[str, Any], first: dict[str, Any], static: WorkspaceeventsService, dynamic: Any
) -> None:
    mine = static.subscriptions().list_next(static.subscriptions().list(**first), response)
    theirs = dynamic.subscriptions().list_next(dynamic.subscriptions().list(**first), response)
    if theirs is None:
        assert mine is None
    else:
        assert mine is not None
        assert_same_request(mine, theirs)


def test_list_next_chains(static: WorkspaceeventsService, dynamic: Any) -> None:
    mine: Any = static.subscriptions().list(pageSize=2)
    theirs: Any = dynamic.subscriptions().list(pageSize=2)
    for token in ("p1", "p2", "p3"):
        mine = static.subscriptions().list_next(mine, {"nextPageToken": token})
        theirs = dynamic.subscriptions().list_next(theirs, {"nextPageToken": token})
        assert_same_request(mine, theirs)


# ---- media upload and download, on the tiny media document and its generated golden package ------

_MEDIA_DOC = REPO / "tests" / "data" / "media.json"
_MEDIA_PACKAGE = REPO / "tests" / "golden" / "media"
_BOUNDARY = re.compile(rb'boundary="([^"]+)"')


@pytest.fixture(scope="module")
def media_package() -> Iterator[Any]:
    """The golden ``media`` package (the output of our templates), imported for this module only."""

    def forget() -> None:
        for name in [m for m in sys.modules if m == "media" or m.startswith("media.")]:
            del sys.modules[name]

    forget()
    sys.path.insert(0, str(_MEDIA_PACKAGE))
    try:
        yield importlib.import_module("media")
    finally:
        sys.path.remove(str(_MEDIA_PACKAGE))
        forget()


@pytest.fixture(scope="module")
def media_services(media_package: Any, shared_http: HttpMock) -> tuple[Any, Any]:
    """(static, dynamic) for tests/data/media.json."""
    text = _MEDIA_DOC.read_text(encoding="utf-8")
    static = media_package.build_from_document(text, developerKey="k", http=shared_http)
    assert type(static).__module__.startswith("media.")
    return static, discovery.build_from_document(text, developerKey="k", http=shared_http)


def _without_boundary(request: Any) -> Any:
    """Multipart bodies use a random boundary: name it BOUNDARY in the header and the body."""
    found = _BOUNDARY.search(request.headers.get("content-type", "").encode())
    if found and isinstance(request.body, bytes):
        request.body = request.body.replace(found.group(1), b"BOUNDARY")
        request.headers["content-type"] = request.headers["content-type"].replace(found.group(1).decode(), "BOUNDARY")
    return request


def _media_body(kind: str, folder: Path) -> Any:
    if kind.startswith("file"):
        suffix = kind.split(":")[1]
        path = folder / f"upload{suffix}"
        path.write_bytes(b"From the start\r\nline two\n")
        return str(path)
    if kind == "bytes":
        return MediaIoBaseUpload(io.BytesIO(b"From x\r\n\x00\xff"), mimetype="text/plain")
    if kind == "resumable":
        return MediaIoBaseUpload(io.BytesIO(b"abc"), mimetype="image/png", resumable=True, chunksize=1024 * 1024)
    if kind == "memory":
        return MediaInMemoryUpload(b"abc", mimetype="image/png")
    if kind == "too big":
        return MediaInMemoryUpload(b"x" * (5 * 1024 * 1024 + 1), mimetype="text/plain")
    if kind == "missing file":
        return str(folder / "missing.txt")
    if kind == "resumable file":
        path = folder / "upload.png"
        path.write_bytes(b"\x89PNG")
        return MediaFileUpload(str(path), mimetype="image/png", resumable=True)
    if kind == "empty":
        return ""
    return 42  # neither a filename nor a MediaUpload


@pytest.mark.parametrize(
    "kind",
    [
        "file:.txt",
        "file:.png",
        "file:.pdf",
        "file:.unknownext",
        "missing file",
        "resumable file",
        "bytes",
        "resumable",
        "memory",
        "too big",
        "empty",
        "other",
    ],
)
@pytest.mark.parametrize("mime_type", [None, "text/plain", "application/zip"])
@pytest.mark.parametrize("body", [None, {"name": "n"}])
def test_media_upload_matches(
    kind: str, mime_type: str | None, body: Any, media_services: tuple[Any, Any], tmp_path: Path
) -> None:
    static, dynamic = media_services
    # One MediaUpload for both: getbytes() seeks, and the resumable request must carry that very object.
    kwargs = {
        "media_body": _media_body(kind, tmp_path),
        "media_mime_type": mime_type,
        "body": body,
        "fields": "a,b/c é",
    }
    assert_same_outcome(
        lambda: _without_boundary(static.files().upload(**kwargs)),
        lambda: _without_boundary(dynamic.files().upload(**kwargs)),
    )


@pytest.mark.parametrize("endpoint", ["https://proxy.example/base/", "http://localhost:8080/", None])
def test_media_upload_keeps_the_api_endpoint_host(endpoint: str | None, media_package: Any) -> None:
    static, dynamic = (
        build(_MEDIA_DOC.read_text(encoding="utf-8"), developerKey="k", client_options={"api_endpoint": endpoint})
        for build in (media_package.build_from_document, discovery.build_from_document)
    )
    upload = MediaInMemoryUpload(b"abc", mimetype="text/plain")
    assert_same_outcome(
        lambda: static.files().upload(media_body=upload, fields="name"),
        lambda: dynamic.files().upload(media_body=upload, fields="name"),
        same_http=False,
    )


@pytest.mark.parametrize("method", ["get", "get_media"])
@pytest.mark.parametrize(
    "kwargs", [{"fileId": "a/b c"}, {"fileId": "x", "alt": "media"}, {"fileId": "x", "alt": "json"}]
)
def test_media_download_matches(method: str, kwargs: dict[str, Any], media_services: tuple[Any, Any]) -> None:
    static, dynamic = media_services
    assert_same_outcome(
        lambda: getattr(static.files(), method)(**kwargs), lambda: getattr(dynamic.files(), method)(**kwargs)
    )


# ---- other models ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model", [JsonModel(True), JsonModel(False), RawModel(), MediaModel()], ids=["data wrapper", "json", "raw", "media"]
)
@pytest.mark.parametrize("dump", [False, True], ids=["quiet", "dump_request_response"])
@pytest.mark.parametrize(
    ("label", "kwargs"),
    [
        ("subscriptions.create", {"body": {"name": "n", "data": 1}}),
        ("subscriptions.create", {"body": {"ttl": "1s"}, "alt": "proto"}),
        ("subscriptions.patch", {"name": "subscriptions/x", "body": [1, "two"]}),
        ("subscriptions.list", {"pageSize": 3}),
        ("operations.get", {"name": "operations/1"}),
    ],
)
def test_models_match(
    model: Any, dump: bool, label: str, kwargs: dict[str, Any], shared_http: HttpMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(googleapiclient.model, "dump_request_response", dump)
    resource, name = label.split(".")
    services = [
        build(DOCUMENT_TEXT, developerKey="k", http=shared_http, model=model)
        for build in (workspaceevents.build_from_document, discovery.build_from_document)
    ]
    mine, theirs = (getattr(getattr(service, resource)(), name) for service in services)
    assert_same_outcome(lambda: mine(**kwargs), lambda: theirs(**kwargs))
