"""The arguments a method accepts, computed the way googleapiclient computes them.

``createMethod`` merges the method's parameters with the document's global
ones, the stack parameters, ``body`` and the media arguments, then indexes
them by Python name (``ResourceMethodParameters``). This module repeats that
computation once, at generation time, so the generated code can carry the
result as constants.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import quirks
from .discovery import Document, MethodDoc, ParameterDoc
from .naming import key2param

# discovery.URITEMPLATE and discovery.VARNAME.
_URITEMPLATE = re.compile("{[^}]*}")
_VARNAME = re.compile("[a-zA-Z0-9_-]+")


@dataclass(frozen=True, slots=True, kw_only=True)
class ArgumentTable:
    """ResourceMethodParameters, as plain data. Keys are Python names."""

    merged: dict[str, ParameterDoc]  # wire name -> description, in merge order
    argmap: dict[str, str]  # python name -> wire name, sorted by wire name
    required: tuple[str, ...]
    repeated: tuple[str, ...]
    patterns: tuple[tuple[str, str], ...]
    enums: tuple[tuple[str, tuple[str, ...]], ...]
    types: dict[str, str]
    query: tuple[str, ...]
    path: frozenset[str]


def _added(
    name: str,
    *,
    type_: str = "string",
    description: str | None = None,
    location: str | None = None,
    ref: str | None = None,
) -> ParameterDoc:
    return ParameterDoc(
        name=name,
        type=type_,
        description=description,
        location=location,
        required=False,
        repeated=False,
        pattern=None,
        enum=(),
        enum_descriptions=(),
        ref=ref,
        format=None,
    )


def merged_parameters(method: MethodDoc, doc: Document) -> dict[str, ParameterDoc]:
    """discovery._fix_up_parameters and _fix_up_media_upload, without the side effects."""
    merged = {p.name: p for p in method.parameters}
    merged.update((p.name, p) for p in doc.parameters)
    for name in quirks.STACK_QUERY_PARAMETERS:
        merged[name] = _added(name, location="query")
    if method.http_method in quirks.HTTP_PAYLOAD_METHODS and method.request is not None:
        request = method.request
        merged["body"] = _added(
            "body",
            type_=request.type or "object",
            description=request.description or quirks.BODY_DESCRIPTION,
            ref=request.ref,
        )
    if method.media_upload is not None:
        merged["media_body"] = _added("media_body", description=quirks.MEDIA_BODY_DESCRIPTION)
        merged["media_mime_type"] = _added("media_mime_type", description=quirks.MEDIA_MIME_TYPE_DESCRIPTION)
    return merged


def argument_table(method: MethodDoc, doc: Document) -> ArgumentTable:
    """ResourceMethodParameters.set_parameters over the merged parameters."""
    merged = merged_parameters(method, doc)
    argmap: dict[str, str] = {}
    required: list[str] = []
    repeated: list[str] = []
    patterns: dict[str, str] = {}
    enums: dict[str, tuple[str, ...]] = {}
    types: dict[str, str] = {}
    query: list[str] = []
    path: set[str] = set()
    for wire in sorted(merged):
        desc, param = merged[wire], key2param(wire)
        argmap[param] = wire
        if desc.pattern:
            patterns[param] = desc.pattern
        if desc.enum:
            enums[param] = desc.enum
        if desc.required:
            required.append(param)
        if desc.repeated:
            repeated.append(param)
        if desc.location == "query":
            query.append(param)
        if desc.location == "path":
            path.add(param)
        types[param] = desc.type
    for name in template_variables(method.path):
        path.add(name)
        if name in query:
            query.remove(name)
    return ArgumentTable(
        merged=merged,
        argmap=argmap,
        required=tuple(required),
        repeated=tuple(repeated),
        patterns=tuple(patterns.items()),
        enums=tuple(enums.items()),
        types=types,
        query=tuple(query),
        path=frozenset(path),
    )


def argument_order(method: MethodDoc, table: ArgumentTable) -> list[str]:
    """createMethod's docstring order: parameterOrder, then body, then the rest sorted.

    A name repeated in parameterOrder stays repeated, as in the docstring.
    """
    ordered = [key2param(name) for name in method.parameter_order]
    if "body" in table.argmap:
        ordered.append("body")
    ordered.extend(name for name in sorted(table.argmap) if name not in ordered)
    return ordered


def template_variables(path: str) -> list[str]:
    """Python names of the variables in a URI template, as createMethod finds them."""
    return [key2param(m.group(0)) for expr in _URITEMPLATE.finditer(path) for m in _VARNAME.finditer(expr.group(0))]


def page_token_name(fields: object) -> str | None:
    """discovery._findPageTokenName."""
    return next((name for name in quirks.PAGE_TOKEN_NAMES if name in fields), None)  # type: ignore[operator]
