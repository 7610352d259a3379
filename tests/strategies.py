"""Hypothesis strategies and comparison helpers for the parity tests.

Argument sets are derived from the pinned discovery document itself, not from
the generated code, so the two clients are fed from an independent reading of
the API: every method parameter, every global parameter, the stack parameters
googleapiclient adds (``pp``, ``strict``, ``trace``, ``userip``) and a body
for the methods that take one.
"""

from __future__ import annotations

import functools
import json
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

import hypothesis
from googleapiclient.discovery import key2param
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parent.parent
PINNED = REPO / "discovery" / "workspaceevents.v1.json"
DOCUMENT_TEXT = PINNED.read_text(encoding="utf-8")
DOCUMENT: dict[str, Any] = json.loads(DOCUMENT_TEXT)

# discovery.STACK_QUERY_PARAMETERS: accepted by every method, sent as strings.
STACK_PARAMETERS = ("pp", "strict", "trace", "userip")
# discovery.HTTP_PAYLOAD_METHODS: only these take ``body``.
PAYLOAD_METHODS = ("PUT", "POST", "PATCH")
# RFC 6570 reserved characters plus '%', which uritemplate treats specially.
RESERVED = ":/?#[]@!$&'()*+,;=% "

_F = TypeVar("_F", bound=Callable[..., Any])


def given(*args: Any, **kwargs: Any) -> Callable[[_F], _F]:
    """hypothesis.given, typed for mypy --strict (hypothesis is not followed)."""
    return cast(Callable[[_F], _F], hypothesis.given(*args, **kwargs))


def event(value: str) -> None:
    """hypothesis.event: shown by ``pytest --hypothesis-show-statistics``."""
    hypothesis.event(value)


def settings(**kwargs: Any) -> Callable[[_F], _F]:
    """hypothesis.settings for one test: reproducible, no database, no deadline."""
    defaults: dict[str, Any] = {
        "derandomize": True,
        "database": None,
        "deadline": None,
        "suppress_health_check": list(hypothesis.HealthCheck),
    }
    return cast(Callable[[_F], _F], hypothesis.settings(**{**defaults, **kwargs}))


@dataclass(frozen=True)
class MethodInfo:
    """One method of the document, as the dynamic client sees its arguments."""

    resource: str
    name: str
    method_id: str
    http_method: str
    parameters: tuple[tuple[str, dict[str, Any]], ...]  # (kwarg, description)
    required: tuple[str, ...]
    body_schema: str | None

    @property
    def label(self) -> str:
        return f"{self.resource}.{self.name}"


def _method_info(resource: str, name: str, desc: dict[str, Any]) -> MethodInfo:
    params: dict[str, dict[str, Any]] = {}
    for key, param in {**DOCUMENT.get("parameters", {}), **desc.get("parameters", {})}.items():
        params[key2param(key)] = param
    for key in STACK_PARAMETERS:
        params[key] = {"type": "string", "location": "query"}
    required = tuple(key2param(k) for k, p in desc.get("parameters", {}).items() if p.get("required"))
    body = desc.get("request", {}).get("$ref") if desc["httpMethod"] in PAYLOAD_METHODS else None
    return MethodInfo(
        resource=resource,
        name=name,
        method_id=desc["id"],
        http_method=desc["httpMethod"],
        parameters=tuple(sorted(params.items())),
        required=required,
        body_schema=body,
    )


METHODS: tuple[MethodInfo, ...] = tuple(
    _method_info(resource, name, desc)
    for resource, resource_desc in sorted(DOCUMENT["resources"].items())
    for name, desc in sorted(resource_desc.get("methods", {}).items())
)
METHODS_BY_LABEL = {m.label: m for m in METHODS}

# Text with plenty of reserved characters, escapes and non-ASCII code points.
_pieces = st.sampled_from([*RESERVED, "%", "%zz", "%2", "%2F", "%25", "%41", "é", "\u2028", "\n", "/"])
text = st.text(st.characters(codec="utf-8"), max_size=8)
uri_text = st.lists(text | _pieces, max_size=5).map("".join)


def _prefix(pattern: str) -> str:
    found = re.match(r"\^([\w/.-]*)", pattern)
    return found.group(1) if found else ""


def _pattern_values(pattern: str) -> st.SearchStrategy[str]:
    """Values matching ``pattern``: its own regex, and its literal prefix plus hostile text."""
    by_prefix = uri_text.map(lambda tail: _prefix(pattern) + tail).filter(lambda v: re.match(pattern, v) is not None)
    return st.from_regex(pattern) | by_prefix


def valid_value(param: dict[str, Any]) -> st.SearchStrategy[Any]:
    """A value the dynamic client accepts for a parameter."""
    if "enum" in param:
        return st.sampled_from(param["enum"])
    if "pattern" in param:
        return _pattern_values(param["pattern"])
    kind = param.get("type", "string")
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(-(2**40), 2**40) | st.integers().map(str) | st.booleans()
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False)
    return uri_text


_odd_text = st.text(alphabet=st.characters(categories=["Cs", "Lu", "Nd", "Zl"]), max_size=3)


def wild_value(param: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Anything: valid values, other types, surrogates, lists, out-of-range numbers."""
    if "pattern" in param:
        pattern = param["pattern"]
        return st.one_of(
            valid_value(param),
            _odd_text.map(lambda tail: _prefix(pattern) + tail),
            st.lists(_pattern_values(pattern), min_size=1, max_size=2),
            st.dictionaries(_pattern_values(pattern), st.none(), max_size=2),
            st.tuples(_pattern_values(pattern)),
            _any_value(param),
        )
    return _any_value(param)


def _any_value(param: dict[str, Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        valid_value(param),
        st.none(),
        uri_text,
        _odd_text,
        st.integers(),
        st.floats(),
        st.booleans(),
        st.lists(uri_text, max_size=2),
        st.binary(max_size=4),
        st.sampled_from(["3", "xml", "subscriptions/", "operations", "subscriptions/a/b", "subscriptions/a\n"]),
    )


json_values: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | text,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(text, children, max_size=3),
    max_leaves=5,
)


def body_values(schema_name: str) -> st.SearchStrategy[Any]:
    """A request body: the schema's properties with random values, extra keys, or any JSON."""
    properties = DOCUMENT["schemas"][schema_name].get("properties", {})
    shaped = st.fixed_dictionaries({}, optional={name: json_values for name in properties})
    extra = st.dictionaries(text, json_values, max_size=3)
    merged = st.builds(lambda a, b: {**b, **a}, shaped, extra)
    return st.one_of(merged, merged, json_values)


@functools.cache
def call_arguments(label: str, *, wild: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    """Keyword arguments for one method; ``wild`` mixes in invalid ones and Nones.

    Each example takes a random subset of the optional arguments (any of them,
    up to all), which keeps the draws cheap while every one gets exercised.
    """
    method = METHODS_BY_LABEL[label]
    make = wild_value if wild else valid_value
    required = {name: make(param) for name, param in method.parameters if name in method.required}
    optional = {name: make(param) | st.none() for name, param in method.parameters if name not in method.required}
    if method.body_schema is not None:
        optional["body"] = body_values(method.body_schema) | st.none()
    names = sorted(optional)
    chosen = st.lists(st.sampled_from(names), unique=True, max_size=len(names))
    rest = chosen.flatmap(lambda picked: st.fixed_dictionaries({name: optional[name] for name in picked}))
    return st.builds(lambda a, b: {**a, **b}, st.fixed_dictionaries(required), rest)


# ---- comparison -------------------------------------------------------------------------------

_UNCOMPARED = ("http", "postproc", "_rand", "_sleep", "uri")


def split_uri(uri: str) -> tuple[str, str, str, str, list[tuple[str, str]]]:
    """scheme, host and path exactly; the query as a sorted multiset of pairs.

    The query starts at the last '?': urlencode never leaves one in a query,
    while a reserved path parameter may put '?' (and '#') in the path.
    """
    head, _, query = uri.rpartition("?")
    parts = urllib.parse.urlsplit(head)
    pairs = sorted(urllib.parse.parse_qsl(query, keep_blank_values=True))
    return parts.scheme, parts.netloc, parts.path, head, pairs


def assert_same_request(static: Any, dynamic: Any, *, same_http: bool = True) -> None:
    """Everything HttpRequest holds must match; the query may come in another order.

    ``same_http=False`` when each client made its own http object (compared elsewhere).
    """
    assert split_uri(static.uri) == split_uri(dynamic.uri), (static.uri, dynamic.uri)
    assert type(static) is type(dynamic)
    if same_http:
        assert static.http is dynamic.http
    assert static.method == dynamic.method
    assert static.headers == dynamic.headers
    assert static.body == dynamic.body
    assert static.methodId == dynamic.methodId
    assert static.resumable is dynamic.resumable
    mine = {k: v for k, v in vars(static).items() if k not in _UNCOMPARED}
    theirs = {k: v for k, v in vars(dynamic).items() if k not in _UNCOMPARED}
    assert mine == theirs
    assert_same_postproc(static.postproc, dynamic.postproc)


def assert_same_postproc(static: Any, dynamic: Any) -> None:
    """The response handler: the same model method on an equal model."""
    assert static.__func__ is dynamic.__func__
    assert type(static.__self__) is type(dynamic.__self__)
    assert vars(static.__self__) == vars(dynamic.__self__)


def outcome(call: Callable[[], Any]) -> tuple[bool, Any]:
    """(True, result) or (False, the exception)."""
    try:
        return True, call()
    except Exception as exc:  # any exception is a result to compare
        return False, exc


def assert_same_outcome(
    static: Callable[[], Any], dynamic: Callable[[], Any], *, message: bool = True, same_http: bool = True
) -> Any:
    """Both succeed with the same request, or both raise the same exception type (and message)."""
    ok_static, got_static = outcome(static)
    ok_dynamic, got_dynamic = outcome(dynamic)
    assert ok_static == ok_dynamic, (got_static, got_dynamic)
    if not ok_static:
        assert type(got_static) is type(got_dynamic), (got_static, got_dynamic)
        if message:
            assert str(got_static) == str(got_dynamic)
        return got_static
    if got_dynamic is None or not hasattr(got_dynamic, "uri"):
        assert got_static == got_dynamic
    else:
        assert_same_request(got_static, got_dynamic, same_http=same_http)
    return got_static
