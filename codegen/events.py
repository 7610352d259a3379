"""Typed Workspace events: the payload TypedDicts and the event-type table, rendered into a package.

``render_events(spec, package)`` returns the files of ``<package>/events/``
(relative to the output folder). The generate, check and update commands add
them to the package when given ``--events SPEC``.

SPEC is a JSON file (``discovery/workspace-events.json``): ``documents`` maps
``api.version`` to a pinned discovery document beside it, and ``events`` is
the one table of event types, each row ``{type, class, payload,
resource_field, batch, target, publisher}``. ``payload`` is either
``"api.version:Schema"`` (that schema is the whole payload) or
``{member: "api.version:Schema"}`` (a wrapper TypedDict is generated). Only the
schemas reachable from the payloads are emitted, one module per document
under ``events/payloads/``. A bad spec raises ``DiscoveryError`` naming the
JSON path.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The runtime's record of one table row: the generator writes these very objects with pyrepr.
from discovery_runtime.cloudevents import EventTypeInfo

from .discovery import DiscoveryError, Document, SchemaNode, parse_document
from .naming import is_identifier
from .render import python_environment
from .schemas import Schema, build_schemas

# What events/__init__.py imports from discovery_runtime.cloudevents and re-exports.
_RUNTIME_EXPORTS = ("Event", "EventDecodeError", "EventTypeInfo")
# Names the generated modules define or import: no event class may take them.
_RESERVED = frozenset({*_RUNTIME_EXPORTS, "EVENT_INFO", "EVENT_TYPES", "Any", "Mapping", "TypedDict", "types"})
_ROW_KEYS = frozenset({"type", "class", "payload", "resource_field", "batch", "target", "publisher"})


@dataclass(frozen=True, slots=True, kw_only=True)
class PayloadModule:
    """One ``events/payloads/<module>.py``: the reachable schemas of one document (schemas.py.j2 renders it)."""

    module: str  # chat_v1
    source: str  # chat.v1, for the header
    revision: str
    title: str
    schemas: tuple[Schema, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Wrapper:
    """A generated payload TypedDict: ``{member: <document schema>}``."""

    class_name: str
    docstring: str
    fields: tuple[tuple[str, str], ...]  # (member, annotation)


@dataclass(frozen=True, slots=True, kw_only=True)
class EventClass:
    class_name: str
    docstring: str
    data: str  # the annotation of ``data``
    info: EventTypeInfo


@dataclass(frozen=True, slots=True, kw_only=True)
class EventsModel:
    source: str  # the spec's file name, for headers
    revision: str  # the spec's sha256 prefix
    title: str
    payloads: tuple[PayloadModule, ...]
    wrappers: tuple[Wrapper, ...]
    events: tuple[EventClass, ...]
    exports: tuple[str, ...]  # the class names, in ``__all__`` order
    package_exports: tuple[str, ...]  # and the runtime names events/__init__.py re-exports


def export_order(names: Sequence[str]) -> tuple[str, ...]:
    """``__all__`` order as ruff's RUF022 wants it: CONSTANTS, then Classes, then functions; each alphabetical."""
    return tuple(sorted(names, key=lambda name: (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)))


def render_events(spec: Path, package: str) -> dict[str, str]:
    """The files of ``<package>/events/`` described by ``spec``."""
    model = build_events(spec)
    env = python_environment()
    root = f"{package}/events"
    files = {
        f"{root}/__init__.py": env.get_template("python/events_init.py.j2").render(api=model),
        f"{root}/types.py": env.get_template("python/events_types.py.j2").render(api=model),
        f"{root}/payloads/__init__.py": env.get_template("python/events_payloads_init.py.j2").render(api=model),
    }
    for payload in model.payloads:
        files[f"{root}/payloads/{payload.module}.py"] = env.get_template("python/schemas.py.j2").render(api=payload)
    return files


def build_events(spec: Path) -> EventsModel:
    """Read the spec and its documents into the events IR (pure apart from reading those files)."""
    try:
        text = spec.read_bytes()
    except OSError as exc:
        raise DiscoveryError(f"{spec}: cannot read the events spec: {exc.strerror or exc}") from None
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise DiscoveryError(f"{spec}: not JSON: {exc}") from None
    if not isinstance(raw, dict):
        raise DiscoveryError(f"{spec}: the events spec must be a JSON object")
    documents = _documents(raw.get("documents"), spec.parent)
    rows = raw.get("events")
    if not isinstance(rows, list) or not rows:
        raise DiscoveryError("events: must be a non-empty list")
    roots: dict[str, set[str]] = {key: set() for key in documents}
    parsed_rows = [_row(row, f"events[{index}]", documents, roots) for index, row in enumerate(rows)]
    seen: dict[str, str] = {name: "the module itself" for name in _RESERVED}
    for index, (info, payload) in enumerate(parsed_rows):
        wrapper = () if isinstance(payload, str) else (f"{info.class_name}Data",)
        for key in (info.type, info.class_name, *wrapper):
            if key in seen:
                raise DiscoveryError(f"events[{index}]: {key!r} is already used by {seen[key]}")
            seen[key] = f"events[{index}]"
    payloads: list[PayloadModule] = []
    classes: dict[str, dict[str, str]] = {}
    for key, doc in sorted(documents.items()):
        if not roots[key]:
            continue
        kept = _reachable(doc, roots[key])
        schemas, names = build_schemas(dataclasses.replace(doc, schemas=kept))
        module = key.replace(".", "_")
        classes[key] = {wire: f"{module}.{name}" for wire, name in names.items()}
        payloads.append(
            PayloadModule(module=module, source=key, revision=doc.revision, title=doc.title, schemas=schemas)
        )
    wrappers: list[Wrapper] = []
    events: list[EventClass] = []
    for info, payload in parsed_rows:
        if isinstance(payload, str):
            data = _annotation(payload, classes)
        else:
            data = f"{info.class_name}Data"
            fields = tuple(
                (member, f"list[{_annotation(ref, classes)}]" if info.batch else _annotation(ref, classes))
                for member, ref in payload
            )
            wrappers.append(Wrapper(class_name=data, docstring=f"The payload of {info.type} events.", fields=fields))
        events.append(
            EventClass(class_name=info.class_name, docstring=f"A ``{info.type}`` event.", data=data, info=info)
        )
    digest = hashlib.sha256(text).hexdigest()[:12]
    classes_out = [w.class_name for w in wrappers] + [e.class_name for e in events]
    return EventsModel(
        source=spec.name,
        revision=digest,
        title=str(raw.get("title", "Workspace events")),
        payloads=tuple(payloads),
        wrappers=tuple(wrappers),
        events=tuple(events),
        exports=export_order(classes_out),
        package_exports=export_order([*classes_out, *_RUNTIME_EXPORTS]),
    )


def _documents(value: Any, folder: Path) -> dict[str, Document]:
    if not isinstance(value, dict) or not value:
        raise DiscoveryError("documents: must be an object of 'api.version': file")
    out: dict[str, Document] = {}
    for key, name in value.items():
        if not isinstance(name, str) or "/" in name or "\\" in name:
            raise DiscoveryError(f"documents.{key}: must be a file name beside the spec")
        try:
            doc = parse_document((folder / name).read_bytes())
        except OSError as exc:
            raise DiscoveryError(f"documents.{key}: cannot read {name}: {exc.strerror or exc}") from None
        except DiscoveryError as exc:
            raise DiscoveryError(f"documents.{key} ({name}): {exc}") from None
        if f"{doc.name}.{doc.version}" != key:
            raise DiscoveryError(f"documents.{key}: {name} is {doc.name}.{doc.version}")
        out[key] = doc
    return out


def _row(
    row: Any, path: str, documents: Mapping[str, Document], roots: dict[str, set[str]]
) -> tuple[EventTypeInfo, str | tuple[tuple[str, str], ...]]:
    if not isinstance(row, dict):
        raise DiscoveryError(f"{path}: must be an object")
    for key in sorted(set(row) - _ROW_KEYS):
        raise DiscoveryError(f"{path}.{key}: unknown key")
    for key in ("type", "class", "target"):
        if not isinstance(row.get(key), str) or not row[key]:
            raise DiscoveryError(f"{path}.{key}: must be a non-empty string")
    if not is_identifier(row["class"]) or not row["class"][:1].isupper():
        raise DiscoveryError(f"{path}.class: {row['class']!r} is not a class name")
    for key in ("resource_field", "publisher"):
        if row.get(key) is not None and not isinstance(row[key], str):
            raise DiscoveryError(f"{path}.{key}: must be a string or null")
    if not isinstance(row.get("batch", False), bool):
        raise DiscoveryError(f"{path}.batch: must be true or false")
    raw_payload = row.get("payload")
    payload: str | tuple[tuple[str, str], ...]
    if isinstance(raw_payload, str):
        payload = raw_payload
        refs = [(f"{path}.payload", raw_payload)]
    elif isinstance(raw_payload, dict) and raw_payload:
        payload = tuple((str(member), ref) for member, ref in raw_payload.items())
        for member, _ in payload:
            if not is_identifier(member):
                raise DiscoveryError(f"{path}.payload.{member}: not an identifier")
        refs = [(f"{path}.payload.{member}", ref) for member, ref in payload]
    else:
        raise DiscoveryError(f"{path}.payload: must be 'api.version:Schema' or {{member: 'api.version:Schema'}}")
    for where, ref in refs:
        key, _, schema = ref.partition(":") if isinstance(ref, str) else ("", "", "")
        doc = documents.get(key)
        if doc is None:
            raise DiscoveryError(f"{where}: {ref!r} names no document in 'documents'")
        if schema not in dict(doc.schemas):
            raise DiscoveryError(f"{where}: {key} has no schema {schema!r}")
        roots[key].add(schema)
    info = EventTypeInfo(
        type=row["type"],
        class_name=row["class"],
        payload=payload if isinstance(payload, str) else payload[0][1],
        resource_field=row.get("resource_field"),
        batch=row.get("batch", False),
        target=row["target"],
        publisher=row.get("publisher"),
    )
    return info, payload


def _annotation(ref: str, classes: Mapping[str, Mapping[str, str]]) -> str:
    key, _, schema = ref.partition(":")
    return classes[key][schema]


def _reachable(doc: Document, roots: set[str]) -> tuple[tuple[str, SchemaNode], ...]:
    """The document's schemas reachable from ``roots`` through ``$ref``, in document order."""
    table = dict(doc.schemas)
    seen: set[str] = set()
    stack = sorted(roots)
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        stack.extend(_refs(table[name]) - seen)
    return tuple((name, node) for name, node in doc.schemas if name in seen)


def _refs(node: SchemaNode) -> set[str]:
    found: set[str] = set()
    pending: list[SchemaNode] = [node]
    while pending:
        current = pending.pop()
        if current.ref is not None:
            found.add(current.ref)
        pending.extend(child for _, child in current.properties)
        pending.extend(child for child in (current.items, current.additional) if child is not None)
    return found


__all__: Sequence[str] = ("EventsModel", "build_events", "export_order", "render_events")
