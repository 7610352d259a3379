"""Google's snake_case request samples, as the typed camelCase bodies the schemas declare.

Google's JSON parsing accepts a field's proto name (``target_resource``) as
well as its JSON name (``targetResource``), so Google's own Python samples
write bodies in snake_case. The generated ``TypedDict`` schemas declare the
JSON names, the ones the API documents and answers with, so a type checker
rejects ``{"target_resource": ...}`` as an extra key. ``from_snake_case``
converts such a body to the schema's names, typed as the schema:

    body = from_snake_case(Subscription, {"target_resource": space, "event_types": [...]})

The conversion is guided by the schema: nested objects and lists of them are
converted too, the keys of map fields (``dict[str, ...]``, e.g. labels or an
operation's ``metadata``) and every value are left exactly as given, and a key
that names no field raises ``ValueError`` naming it. The result is what you
would have written by hand in camelCase, so the request on the wire is the one
the dynamic client sends for that camelCase body. Nothing converts bodies
implicitly: a snake_case body passed as is goes on the wire as is, as it does
with googleapiclient.
"""

from __future__ import annotations

import functools
import re
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar, Union, cast

from typing_extensions import is_typeddict

__all__ = ["camel_case", "from_snake_case"]

_T = TypeVar("_T")
_SNAKE = re.compile(r"_([a-z0-9])")


def camel_case(name: str) -> str:
    """``target_resource`` -> ``targetResource``; a camelCase name is returned unchanged."""
    return _SNAKE.sub(lambda match: match.group(1).upper(), name)


def from_snake_case(schema: type[_T], body: Mapping[str, Any]) -> _T:
    """``body`` with every field name of ``schema`` (a generated TypedDict) in its JSON camelCase form."""
    if not is_typeddict(schema):
        raise TypeError(f"from_snake_case: {schema!r} is not a TypedDict schema")
    return cast("_T", _convert_object(schema, body, schema.__name__))


@functools.cache
def _fields(schema: type) -> Mapping[str, Any]:
    return typing.get_type_hints(schema)


def _convert_object(schema: type, body: Mapping[str, Any], where: str) -> dict[str, Any]:
    fields = _fields(schema)
    converted: dict[str, Any] = {}
    for key, value in body.items():
        name = key if key in fields else camel_case(key)
        if name not in fields:
            known = ", ".join(sorted(fields))
            raise ValueError(f"{where}: {key!r} is not a field of {schema.__name__} (fields: {known})")
        if name in converted:
            raise ValueError(f"{where}: {key!r} repeats the field {name!r}")
        converted[name] = _convert(fields[name], value, f"{where}.{name}")
    return converted


def _convert(hint: Any, value: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        for member in typing.get_args(hint):
            if member is not type(None):
                return _convert(member, value, where)
        return value
    if is_typeddict(hint) and isinstance(value, Mapping):
        return _convert_object(hint, cast("Mapping[str, Any]", value), where)
    if origin is list and isinstance(value, list):
        (item,) = typing.get_args(hint)
        members = cast("Sequence[Any]", value)
        return [_convert(item, member, f"{where}[{index}]") for index, member in enumerate(members)]
    if origin is dict and isinstance(value, Mapping):
        # A map field: its keys are data, not field names.
        _, item = typing.get_args(hint)
        mapping = cast("Mapping[str, Any]", value)
        return {key: _convert(item, member, f"{where}[{key!r}]") for key, member in mapping.items()}
    return value
