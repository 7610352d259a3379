"""Compare a generated service with googleapiclient's dynamic client, member by member.

Shared by ``tools/generate_all.py`` and the tests. For each resource both
clients expose, the public names must be the same; for each method the
docstrings must be equal, and calling it with the same arguments must build
the same request (method, URL with its query as a multiset, headers, body,
``methodId``, resumable) or raise the same error.
"""

from __future__ import annotations

import importlib
import random
import re
import sys
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

# The regex parser: re._parser from 3.11, sre_parse (deprecated there) before.
sre_parse: Any = importlib.import_module("re._parser" if sys.version_info >= (3, 11) else "sre_parse")

_SKIP_ARGS = frozenset({"body", "media_body", "media_mime_type", "key", "alt", "callback", "x__xgafv", "uploadType"})
_BASE_NAMES = frozenset({"close"})


@dataclass
class Report:
    methods: int = 0
    requests: int = 0
    failures: list[str] = field(default_factory=list)

    def fail(self, where: str, why: str) -> None:
        self.failures.append(f"{where}: {why}")


def example_for(pattern: str) -> str | None:
    """A short string ``re.match(pattern, ...)`` accepts, or None."""
    for letter in ("a", "x", "1", "b"):
        try:
            text = "".join(_walk(sre_parse.parse(pattern), letter))
        except Exception:
            return None
        try:
            if re.match(pattern, text):
                return text
        except re.error:
            return None
    return None


def _walk(parsed: Any, letter: str) -> Iterator[str]:
    for op, av in parsed:
        name = str(op)
        if name == "LITERAL":
            yield chr(av)
        elif name == "NOT_LITERAL":
            yield letter if ord(letter) != av else "z"
        elif name == "ANY":
            yield letter
        elif name == "IN":
            yield _in(av, letter)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = av
            for _ in range(max(low, 1) if high else 0):
                yield from _walk(sub, letter)
        elif name == "SUBPATTERN":
            yield from _walk(av[-1], letter)
        elif name == "BRANCH":
            yield from _walk(av[1][0], letter)
        elif name == "CATEGORY":
            yield _category(str(av), letter)
        elif name == "ATOMIC_GROUP":
            yield from _walk(av, letter)


def _in(items: Any, letter: str) -> str:
    negate = any(str(op) == "NEGATE" for op, _ in items)
    if negate:
        return letter
    op, av = items[0]
    name = str(op)
    if name == "LITERAL":
        return chr(av)
    if name == "RANGE":
        low, high = av
        return letter if low <= ord(letter) <= high else chr(low)
    if name == "CATEGORY":
        return _category(str(av), letter)
    return letter


def _category(name: str, letter: str) -> str:
    if "DIGIT" in name and "NOT" not in name:
        return "1"
    if "SPACE" in name and "NOT" not in name:
        return " "
    return letter


def call_arguments(params: Any, media: bool, upload: bool) -> dict[str, Any]:
    """Values for every required argument and a few optional ones, from ResourceMethodParameters."""
    kwargs: dict[str, Any] = {}
    for name in sorted(params.argmap):
        if name in _SKIP_ARGS:
            continue
        wanted = name in params.required_params or name in params.path_params or len(kwargs) < 6
        if not wanted:
            continue
        kwargs[name] = _value(name, params)
    if "body" in params.argmap:
        kwargs["body"] = {"name": "n", "pageToken": "p", "nested": {"a": [1, 2]}}
    if upload and "media_body" in params.argmap:
        from googleapiclient.http import MediaInMemoryUpload

        kwargs["media_body"] = MediaInMemoryUpload(b"payload\r\nFrom here", mimetype="application/octet-stream")
    return kwargs


def _value(name: str, params: Any) -> Any:
    kind = params.param_types.get(name, "string")
    if name in params.enum_params:
        allowed = params.enum_params[name]
        value: Any = allowed[-1] if allowed else "e"
    elif kind == "integer":
        value = 7
    elif kind == "number":
        value = 1.5
    elif kind == "boolean":
        value = True
    else:
        pattern = params.pattern_params.get(name)
        value = (example_for(pattern) if pattern else None) or f"v/{name} é"
    return [value, value] if name in params.repeated_params else value


def _request_view(request: Any) -> dict[str, Any]:
    parts = urllib.parse.urlsplit(request.uri)
    query = Counter(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
    return {
        "method": request.method,
        "url": urllib.parse.urlunsplit(parts._replace(query="")),
        "query": query,
        "headers": dict(request.headers),
        "body": request.body,
        "methodId": request.methodId,
        "resumable": type(request.resumable).__name__ if request.resumable is not None else None,
    }


def _attempt(function: Any, kwargs: dict[str, Any]) -> tuple[str, Any]:
    random.seed(1234)  # multipart boundaries come from random
    try:
        return "ok", _request_view(function(**kwargs))
    except Exception as error:
        # Python's own call errors name the function: createMethod.<locals>.method
        # in one client, the generated class's method in the other.
        message = _QUALNAME.sub("function()", str(error))
        return "error", f"{type(error).__name__}: {message}"


_QUALNAME = re.compile(r"^[\w.<>]+\(\)")


def _dynamic_names(resource: Any) -> list[str]:
    return list(dict.fromkeys(resource._dynamic_attrs))


def _generated_names(resource: Any) -> set[str]:
    """Members the generated class itself defines (any name but dunders and __slots__)."""
    return {n for n in vars(type(resource)) if not (n.startswith("__") and n.endswith("__"))}


def compare(dynamic: Any, generated: Any, *, where: str, report: Report, limit: int | None = None) -> None:
    """Walk both resource trees together; ``limit`` caps the requests built per resource."""
    names = _dynamic_names(dynamic)
    missing = set(names) - _generated_names(generated) - _BASE_NAMES
    extra = _generated_names(generated) - set(names)
    if missing or extra:
        report.fail(where, f"names differ: missing {sorted(missing)} extra {sorted(extra)}")
    built = 0
    for name in names:
        dyn = getattr(dynamic, name)
        gen = getattr(generated, name, None)
        if gen is None:
            continue
        here = f"{where}.{name}"
        if dyn.__doc__ != gen.__doc__:
            report.fail(here, "docstrings differ")
        if getattr(dyn, "__is_resource__", False):
            compare(dyn(), gen(), where=here, report=report, limit=limit)
            continue
        if name == "new_batch_http_request" or not hasattr(dyn, "__func__"):
            continue
        report.methods += 1
        params = _parameters(dyn)
        if params is None or (limit is not None and built >= limit):
            continue
        built += 1
        _compare_calls(dynamic, generated, name, params, here, report)


def _parameters(method: Any) -> Any:
    closure = getattr(method.__func__, "__closure__", None) or ()
    for cell in closure:
        try:
            value = cell.cell_contents
        except ValueError:
            continue
        if type(value).__name__ == "ResourceMethodParameters":
            return value
    return None


def _compare_calls(dynamic: Any, generated: Any, name: str, params: Any, where: str, report: Report) -> None:
    for upload in (False, True) if "media_body" in params.argmap else (False,):
        kwargs = call_arguments(params, name.endswith("_media"), upload)
        expected = _attempt(getattr(dynamic, name), kwargs)
        actual = _attempt(getattr(generated, name), kwargs)
        report.requests += 1
        if expected != actual:
            report.fail(where, _difference(expected, actual))
            return
        next_name = name + "_next"
        if expected[0] == "ok" and not upload and next_name in _dynamic_names(dynamic):
            _compare_next(dynamic, generated, name, next_name, kwargs, where, report)


def _compare_next(
    dynamic: Any, generated: Any, name: str, next_name: str, kwargs: dict[str, Any], where: str, report: Report
) -> None:
    for response in ({"nextPageToken": "tok en/2"}, {}):
        views: list[tuple[str, Any]] = []
        for client in (dynamic, generated):
            first = getattr(client, name)(**kwargs)
            try:
                following = getattr(client, next_name)(first, response)
                views.append(("ok", None if following is None else _request_view(following)))
            except Exception as error:
                # _add_query_parameter names the first repeated key it meets:
                # query order is the caller's keyword order in both clients.
                message = str(error).split(" repeated value:")[0]
                views.append(("error", f"{type(error).__name__}: {message}"))
        if views[0] != views[1]:
            report.fail(f"{where}_next", _difference(views[0], views[1]))


def _difference(expected: tuple[str, Any], actual: tuple[str, Any]) -> str:
    if expected[0] != actual[0] or expected[0] == "error":
        return f"dynamic {_short(expected)} vs generated {_short(actual)}"
    keys = [k for k in expected[1] if expected[1][k] != actual[1][k]]
    key = keys[0]
    return f"{key}: dynamic {_short(expected[1][key])} vs generated {_short(actual[1][key])}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 160 else text[:157] + "..."
