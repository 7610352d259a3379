"""What a generated method needs at run time, and its Python signature.

A :class:`~discovery_runtime.contract.MethodSpec` (the runtime's own class)
is the data createMethod's closure holds (argument map, required/pattern/enum
tables, URL template, media settings), computed at generation time and
written into the generated module as one constant.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from discovery_runtime.contract import MethodSpec

from . import quirks, typehints
from .discovery import DiscoveryError, Document, MethodDoc
from .naming import key2param
from .parameters import ArgumentTable, argument_order, argument_table, page_token_name
from .schemas import properties

_SIMPLE_EXPRESSION = re.compile(r"\{(\+?)([A-Za-z0-9_]+)\}")
_MEDIA_SIZE_BIT_SHIFTS = {"KB": 10, "MB": 20, "GB": 30, "TB": 40}


def build_spec(method: MethodDoc, doc: Document, *, media: bool, where: str) -> tuple[MethodSpec, ArgumentTable]:
    table = argument_table(method, doc)
    for name in method.parameter_order:
        if key2param(name) not in table.argmap:
            raise DiscoveryError(f"{where}.parameterOrder: names no parameter {name!r}")
    upload = method.media_upload
    return (
        MethodSpec(
            method_id=method.id,
            http_method=method.http_method,
            path=method.path,
            path_parts=_path_parts(method.path),
            argmap=dict(table.argmap),
            required=_effective_required(method, doc, table),
            repeated=frozenset(table.repeated),
            patterns=table.patterns,
            enums=table.enums,
            types={k: v for k, v in table.types.items() if v != "string"},
            query=frozenset(table.query),
            path_params=frozenset(table.path),
            response="media" if media else ("json" if method.response is not None else "raw"),
            media_path_url=None if upload is None else f"{doc.root_url}upload/{doc.service_path}{method.path}",
            media_accept=() if upload is None else upload.accept,
            media_max_size=0 if upload is None else _media_size(upload.max_size, where),
            api_version=method.api_version,
        ),
        table,
    )


def _effective_required(method: MethodDoc, doc: Document, table: ArgumentTable) -> tuple[str, ...]:
    """Required arguments, less page tokens on methods whose response is not paged."""
    paged = page_token_name(properties(method.response, doc)) is not None
    return tuple(dict.fromkeys(n for n in table.required if n not in quirks.PAGE_TOKEN_NAMES or paged))


def signature(
    method: MethodDoc, table: ArgumentTable, spec: MethodSpec, classes: Mapping[str, str]
) -> list[tuple[str, str]]:
    """(name, TypedDict field annotation) for each argument, in docstring order.

    Methods take ``**kwargs`` like the dynamic client's, typed by a TypedDict
    with these fields: required arguments are ``Required[...]``, the others
    also accept None, which createMethod treats as omitted.
    """
    fields: list[tuple[str, str]] = []
    for name in dict.fromkeys(argument_order(method, table)):
        desc = table.merged[table.argmap[name]]
        annotation = "str | MediaUpload" if name == "media_body" else typehints.parameter(desc, classes)
        fields.append((name, f"Required[{annotation}]" if name in spec.required else f"{annotation} | None"))
    return fields


def _path_parts(path: str) -> tuple[tuple[str, str, bool], ...] | None:
    parts: list[tuple[str, str, bool]] = []
    position = 0
    for match in re.finditer(r"\{[^}]*\}", path):
        simple = _SIMPLE_EXPRESSION.fullmatch(match.group(0))
        if simple is None:
            return None
        parts.append((path[position : match.start()], simple.group(2), simple.group(1) == "+"))
        position = match.end()
    tail = path[position:]
    if "{" in tail or "}" in tail or any("{" in p[0] or "}" in p[0] for p in parts):
        return None
    return (*parts, (tail, "", False))


def _media_size(max_size: str, where: str) -> int:
    """discovery._media_size_to_long."""
    if len(max_size) < 2:
        return 0
    shift = _MEDIA_SIZE_BIT_SHIFTS.get(max_size[-2:].upper())
    try:
        return int(max_size[:-2]) << shift if shift is not None else int(max_size)
    except ValueError:
        raise DiscoveryError(f"{where}.mediaUpload.maxSize: not a size: {max_size!r}") from None
