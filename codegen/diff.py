"""``python -m codegen diff OLD NEW``: what changed between two discovery documents.

Compares the checked records (:class:`codegen.discovery.Document`) and, for the
names only the generator invents, the IR (:func:`codegen.model.build_api`);
never generated code. Every change is classed as breaking (callers may fail),
additive (new surface) or documentation-only, and the report names the
element: method id, parameter, schema property, scope. ``diff_documents`` is
pure; the command prints its result as text or JSON and exits 1 when anything
is breaking.
"""

from __future__ import annotations

import argparse
import decimal
import json
import sys
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from . import fetch, patterns
from .discovery import (
    DiscoveryError,
    Document,
    MethodDoc,
    ParameterDoc,
    ResourceDoc,
    SchemaNode,
    parse_document,
    read_source,
)
from .model import Api, Resource, build_api
from .naming import fix_method_name
from .schemas import build_schemas

Kind = Literal["breaking", "additive", "documentation"]
BREAKING: Kind = "breaking"
ADDITIVE: Kind = "additive"
DOCS: Kind = "documentation"
KINDS: tuple[Kind, ...] = (BREAKING, ADDITIVE, DOCS)
_HEADINGS = {BREAKING: "Breaking", ADDITIVE: "Additive", DOCS: "Documentation-only"}

# Document fields that change what goes on the wire: (record field, document key).
_WIRE_FIELDS: tuple[tuple[str, str], ...] = (("name", "name"), ("version", "version"), ("root_url", "rootUrl"))
_WIRE_FIELDS += (("service_path", "servicePath"), ("batch_path", "batchPath"), ("mtls_root_url", "mtlsRootUrl"))
# Top-level keys the records do not keep and no client reads: documentation at most.
_DOC_ONLY_KEYS = ("etag", "documentationLink", "icons", "ownerName", "ownerDomain", "canonicalName")


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    kind: Kind
    element: str  # e.g. "method workspaceevents.subscriptions.delete, parameter etag"
    detail: str  # e.g. "removed", "type 'string' -> 'integer'"


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    old: str  # "workspaceevents.v1 (revision 20261004)"
    new: str
    changes: tuple[Change, ...]

    def of(self, kind: Kind) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.kind == kind)

    @property
    def breaking(self) -> bool:
        return any(c.kind == BREAKING for c in self.changes)

    @property
    def bump(self) -> Literal["major", "minor", "patch", "none"]:
        kinds = {c.kind for c in self.changes}
        if BREAKING in kinds:
            return "major"
        if ADDITIVE in kinds:
            return "minor"
        return "patch" if kinds else "none"


@dataclass(slots=True)
class _Collector:
    changes: list[Change] = field(default_factory=list)

    def add(self, kind: Kind, element: str, detail: str) -> None:
        self.changes.append(Change(kind=kind, element=element, detail=detail))

    def changed(self, kind: Kind, element: str, what: str, old: object, new: object) -> None:
        if old != new:
            self.add(kind, element, f"{what} {_show(old)} -> {_show(new)}".strip())

    def reworded(self, element: str, what: str, old: object, new: object) -> None:
        """Prose: say that it changed, not the two texts."""
        if old != new:
            self.add(DOCS, element, f"{what} changed")

    def flag(self, element: str, what: str, old: bool, new: bool, *, breaking_when_set: bool) -> None:
        """A boolean whose one direction breaks callers and whose other direction only adds."""
        if old != new:
            kind = BREAKING if new == breaking_when_set else ADDITIVE
            self.add(kind, element, f"{what} {'set' if new else 'cleared'}")


def diff_documents(old: Document, new: Document) -> Report:
    """Every difference in API surface between two checked documents, in document order."""
    out = _Collector()
    _api(out, old, new)
    _parameters(out, "global ", old.parameters, new.parameters)
    _resource(out, _root(old), _root(new), ())
    _schemas(out, old, new)
    _python_names(out, old, new)
    if not out.changes and old.sha256 != new.sha256:
        out.add(DOCS, "document", "changed outside the API surface (e.g. kind, discoveryVersion, id)")
    return Report(old=_label(old), new=_label(new), changes=tuple(out.changes))


def _root(doc: Document) -> ResourceDoc:
    return ResourceDoc(name="", methods=doc.methods, resources=doc.resources)


def _label(doc: Document) -> str:
    return f"{doc.name}.{doc.version} (revision {doc.revision or 'unknown'})"


def _show(value: object) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(repr(v) for v in value) + "]"
    return "none" if value is None else repr(value)


def _host(url: str | None) -> str:
    """The host a root URL or an absolute service/batch path sends to; '' for relative paths."""
    try:
        return (urllib.parse.urlsplit(url or "").hostname or "").lower()
    except ValueError:
        return url or ""


def _by_name(items: Iterable[Any]) -> dict[str, Any]:
    return {item.name: item for item in items}


def _pairs(old: dict[str, Any], new: dict[str, Any]) -> Iterator[tuple[str, Any, Any]]:
    """(name, old, new) over both mappings, old order first; a missing side is None."""
    for name in [*old, *(n for n in new if n not in old)]:
        yield name, old.get(name), new.get(name)


def _api(out: _Collector, old: Document, new: Document) -> None:
    for what, key in _WIRE_FIELDS:
        was, now = getattr(old, what), getattr(new, what)
        if was != now:
            # Requests (and credentials) would go to another server: say so in words.
            hosts = _host(was), _host(now)
            moved = f" (host {hosts[0]!r} -> {hosts[1]!r})" if hosts[0] != hosts[1] and any(hosts) else ""
            out.add(BREAKING, f"document {key}", f"{_show(was)} -> {_show(now)}{moved}")
    # dataWrapper changes every request body; other features only add behaviour.
    for feature in sorted(set(old.features) | set(new.features)):
        was, now = feature in old.features, feature in new.features
        out.flag(f"document feature {feature}", "feature", was, now, breaking_when_set=feature == "dataWrapper")
    out.changed(DOCS, "document revision", "", old.revision, new.revision)
    for what in ("title", "description"):
        out.reworded(f"document {what}", "text", getattr(old, what), getattr(new, what))
    for key in _DOC_ONLY_KEYS:
        out.changed(DOCS, f"document {key}", "", old.raw.get(key), new.raw.get(key))
    for scope, was, now in _pairs(dict(old.scopes), dict(new.scopes)):
        element = f"scope {scope}"
        if now is None:
            out.add(BREAKING, element, "removed")
        elif was is None:
            out.add(ADDITIVE, element, "added")
        else:
            out.reworded(element, "description", was, now)


def _parameters(out: _Collector, owner: str, old: tuple[ParameterDoc, ...], new: tuple[ParameterDoc, ...]) -> None:
    for name, was, now in _pairs(_by_name(old), _by_name(new)):
        element = f"{owner}parameter {name}"
        if now is None:
            out.add(BREAKING, element, "removed")
        elif was is None:
            kind, state = (BREAKING, "required") if now.required else (ADDITIVE, "optional")
            out.add(kind, element, f"added ({state})")
        else:
            _parameter(out, element, was, now)


def _parameter(out: _Collector, element: str, old: ParameterDoc, new: ParameterDoc) -> None:
    out.flag(element, "required", old.required, new.required, breaking_when_set=True)
    for what in ("type", "format", "location", "ref"):
        out.changed(BREAKING, element, what, getattr(old, what), getattr(new, what))
    out.flag(element, "repeated", old.repeated, new.repeated, breaking_when_set=False)
    _pattern(out, element, old.pattern, new.pattern)
    _limits(out, element, old, new)
    _enum(out, element, old.enum, new.enum)
    out.reworded(element, "description", old.description, new.description)
    if old.enum == new.enum:
        out.reworded(element, "enumDescriptions", old.enum_descriptions, new.enum_descriptions)


def _pattern(out: _Collector, element: str, old: str | None, new: str | None) -> None:
    """Classified by language inclusion (codegen.patterns): only a provable widening is additive."""
    if old == new:
        return
    if new is None:
        out.add(ADDITIVE, element, f"pattern {old!r} removed")
        return
    if old is None:
        out.add(BREAKING, element, f"pattern none -> {new!r}")
        return
    verdict = patterns.compare(old, new)
    change = f"{old!r} -> {new!r}"
    if verdict.relation == "same":
        out.add(DOCS, element, f"pattern rewritten {change} (accepts exactly the same values)")
    elif verdict.relation == "wider":
        out.add(ADDITIVE, element, f"pattern widened {change} (accepts every value the old one did)")
    elif verdict.relation == "narrower":
        out.add(BREAKING, element, f"pattern narrowed {change} (some values the old one accepted are refused)")
    elif verdict.relation == "incomparable":
        out.add(BREAKING, element, f"pattern changed {change} (each accepts values the other refuses)")
    else:
        out.add(BREAKING, element, f"pattern changed {change} (inclusion not decided: {verdict.reason})")


def _limits(out: _Collector, element: str, old: ParameterDoc | SchemaNode, new: ParameterDoc | SchemaNode) -> None:
    """default, minimum, maximum and deprecated: a removed default or a tighter bound breaks callers."""
    if old.default != new.default:
        if new.default is None:
            out.add(BREAKING, element, f"default {old.default!r} removed")
        elif old.default is None:
            out.add(DOCS, element, f"default {new.default!r} documented")
        else:
            out.add(BREAKING, element, f"default {old.default!r} -> {new.default!r}")
    _bound(out, element, "minimum", old.minimum, new.minimum, tighter=1)
    _bound(out, element, "maximum", old.maximum, new.maximum, tighter=-1)
    _deprecated(out, element, old.deprecated, new.deprecated)


def _bound(out: _Collector, element: str, what: str, old: str | None, new: str | None, *, tighter: int) -> None:
    """``tighter`` is the sign of (new - old) that refuses values: +1 for a minimum, -1 for a maximum."""
    if old == new:
        return
    if new is None:
        out.add(ADDITIVE, element, f"{what} {old!r} removed")
        return
    if old is None:
        out.add(BREAKING, element, f"{what} none -> {new!r} (tighter)")
        return
    try:
        step = decimal.Decimal(new) - decimal.Decimal(old)
        sign = 0 if step == 0 else 1 if step > 0 else -1
    except (decimal.DecimalException, ValueError):  # not numbers, NaN, overflow
        out.add(BREAKING, element, f"{what} {old!r} -> {new!r} (not numbers: cannot tell looser from tighter)")
        return
    if sign == 0:
        out.add(DOCS, element, f"{what} rewritten {old!r} -> {new!r}")
    elif sign == tighter:
        out.add(BREAKING, element, f"{what} {old!r} -> {new!r} (tighter)")
    else:
        out.add(ADDITIVE, element, f"{what} {old!r} -> {new!r} (looser)")


def _deprecated(out: _Collector, element: str, old: bool, new: bool) -> None:
    if old and not new:
        out.add(DOCS, element, "deprecated cleared")
    elif new and not old:
        out.add(ADDITIVE, element, "deprecated set (notice: callers should move off it before it is removed)")


def _enum(out: _Collector, element: str, old: tuple[str, ...], new: tuple[str, ...]) -> None:
    if old == new:
        return
    if not old:
        out.add(BREAKING, element, f"now restricted to enum {_show(new)}")
    elif not new:
        out.add(ADDITIVE, element, "enum restriction removed")
    elif set(old) == set(new):
        out.add(DOCS, element, "enum values reordered")
    else:
        for value in old:
            if value not in new:
                out.add(BREAKING, element, f"enum value {value!r} removed")
        for value in new:
            if value not in old:
                out.add(ADDITIVE, element, f"enum value {value!r} added")


def _resource(out: _Collector, old: ResourceDoc, new: ResourceDoc, path: tuple[str, ...]) -> None:
    for _, was, now in _pairs(_by_name(old.methods), _by_name(new.methods)):
        if now is None:
            out.add(BREAKING, f"method {was.id}", "removed")
        elif was is None:
            out.add(ADDITIVE, f"method {now.id}", f"added ({now.http_method} {now.path})")
        else:
            _method(out, was, now)
    for name, was, now in _pairs(_by_name(old.resources), _by_name(new.resources)):
        element = f"resource {'.'.join((*path, name))}"
        if now is None:
            out.add(BREAKING, element, f"removed (methods {', '.join(m.id for m in was.methods) or 'none'})")
        elif was is None:
            out.add(ADDITIVE, element, f"added (methods {', '.join(m.id for m in now.methods) or 'none'})")
        else:
            _resource(out, was, now, (*path, name))


def _method(out: _Collector, old: MethodDoc, new: MethodDoc) -> None:
    element = f"method {old.id}"
    for what in ("id", "http_method", "path", "parameter_order", "api_version"):
        out.changed(BREAKING, element, what, getattr(old, what), getattr(new, what))
    _parameters(out, f"{element}, ", old.parameters, new.parameters)
    for what in ("request", "response"):
        _body(out, element, what, getattr(old, what), getattr(new, what))
    if old.media_upload != new.media_upload:
        kind = ADDITIVE if old.media_upload is None else BREAKING
        state = "added" if old.media_upload is None else "removed" if new.media_upload is None else "changed"
        out.add(kind, element, f"mediaUpload {state}")
    was, now = old.supports_media_download, new.supports_media_download
    out.flag(element, "supportsMediaDownload", was, now, breaking_when_set=False)
    _deprecated(out, element, old.deprecated, new.deprecated)
    if old.flat_path != new.flat_path:
        # googleapiclient builds every request from ``path``; flatPath only documents it.
        out.add(DOCS, element, f"flatPath {_show(old.flat_path)} -> {_show(new.flat_path)} (not used for requests)")
    for scope in old.scopes:
        if scope not in new.scopes:
            out.add(BREAKING, element, f"scope {scope} no longer accepted")
    for scope in new.scopes:
        if scope not in old.scopes:
            out.add(ADDITIVE, element, f"scope {scope} now accepted")
    out.reworded(element, "description", old.description, new.description)


def _body(out: _Collector, element: str, what: str, old: SchemaNode | None, new: SchemaNode | None) -> None:
    if old == new:
        return
    if old is None or new is None or _shape(old) != _shape(new):
        out.add(BREAKING, element, f"{what} schema {_schema_name(old)} -> {_schema_name(new)}")
    else:
        out.add(DOCS, element, f"{what} description changed")


def _schema_name(node: SchemaNode | None) -> str:
    if node is None:
        return "none"
    return repr(node.ref) if node.ref is not None else f"inline {node.type or 'object'}"


def _shape(node: SchemaNode) -> SchemaNode:
    """The node without its documentation, for 'same structure?' comparisons."""
    return replace(
        node,
        description=None,
        enum_descriptions=(),
        properties=tuple((k, _shape(v)) for k, v in node.properties),
        items=None if node.items is None else _shape(node.items),
        additional=None if node.additional is None else _shape(node.additional),
    )


def _schemas(out: _Collector, old: Document, new: Document) -> None:
    for name, was, now in _pairs(dict(old.schemas), dict(new.schemas)):
        if now is None:
            out.add(BREAKING, f"schema {name}", "removed")
        elif was is None:
            out.add(ADDITIVE, f"schema {name}", "added")
        else:
            _node(out, name, "", was, now)


def _node(out: _Collector, schema: str, prop: str, old: SchemaNode, new: SchemaNode) -> None:
    element = f"schema {schema}" + (f", property {prop}" if prop else "")
    for what in ("type", "format", "ref"):
        out.changed(BREAKING, element, what, getattr(old, what), getattr(new, what))
    out.flag(element, "readOnly", old.read_only, new.read_only, breaking_when_set=True)
    _limits(out, element, old, new)
    _enum(out, element, old.enum, new.enum)
    out.reworded(element, "description", old.description, new.description)
    if old.enum == new.enum:
        out.reworded(element, "enumDescriptions", old.enum_descriptions, new.enum_descriptions)
    for key, was, now in _pairs(dict(old.properties), dict(new.properties)):
        child = f"{prop}.{key}" if prop else key
        if now is None:
            out.add(BREAKING, f"schema {schema}, property {child}", "removed")
        elif was is None:
            out.add(ADDITIVE, f"schema {schema}, property {child}", "added")
        else:
            _node(out, schema, child, was, now)
    for suffix, was, now in (("[]", old.items, new.items), ("{}", old.additional, new.additional)):
        if was is not None and now is not None:
            _node(out, schema, prop + suffix, was, now)
        elif was is not None or now is not None:
            what = "items" if suffix == "[]" else "additionalProperties"
            out.add(BREAKING, element, f"{what} {'removed' if now is None else 'added'}")


def _python_names(out: _Collector, old: Document, new: Document) -> None:
    """Names only the IR knows: class-name collisions and attributes one member hides from another."""
    _, old_classes = build_schemas(old)
    _, new_classes = build_schemas(new)
    for wire, was in old_classes.items():
        now = new_classes.get(wire)
        if now is not None and now != was:
            out.add(BREAKING, f"schema {wire}", f"Python class schemas.{was} renamed to {now} (name collision)")
    old_members = _members(_ir(old, "OLD").service)
    new_members = _members(_ir(new, "NEW").service)
    new_docs = _resource_docs(new)
    for path, names in old_members.items():
        if path not in new_members or path not in new_docs:
            continue  # the resource is gone: reported above
        for what, name in sorted(names - new_members[path]):
            # Only where the wire element survived; a removed one is reported above.
            if (what, name.removesuffix("_media").removesuffix("_next")) in new_docs[path]:
                out.add(BREAKING, f"python attribute {'.'.join((*path, name))}", f"{what} no longer generated")


def _ir(doc: Document, which: str) -> Api:
    try:
        return build_api(doc, source=f"{doc.name}.{doc.version}")
    except DiscoveryError as error:
        raise DiscoveryError(f"{which}: cannot be generated: {error}") from None


def _members(resource: Resource) -> dict[tuple[str, ...], set[tuple[str, str]]]:
    """Resource path -> (kind, attribute) of every member the generated class has."""
    found = {
        resource.path: {("method", m.attribute) for m in resource.methods}
        | {("method", m.attribute) for m in resource.next_methods}
        | {("resource accessor", a.attribute) for a in resource.accessors}
    }
    for child in resource.resources:
        found.update(_members(child))
    return found


def _resource_docs(doc: Document) -> dict[tuple[str, ...], set[tuple[str, str]]]:
    """Resource path -> (kind, Python name) of its methods and child resources in the document."""
    found: dict[tuple[str, ...], set[tuple[str, str]]] = {}

    def walk(path: tuple[str, ...], methods: tuple[MethodDoc, ...], resources: tuple[ResourceDoc, ...]) -> None:
        found[path] = {("method", fix_method_name(m.name)) for m in methods}
        found[path] |= {("resource accessor", fix_method_name(r.name)) for r in resources}
        for child in resources:
            walk((*path, child.name), child.methods, child.resources)

    walk((), doc.methods, doc.resources)
    return found


def render_text(report: Report) -> str:
    lines = [f"{report.old} -> {report.new}", f"semver bump: {report.bump}"]
    if not report.changes:
        lines.append("no changes")
    for kind in KINDS:
        changes = report.of(kind)
        if changes:
            lines += ["", f"{_HEADINGS[kind]} ({len(changes)}):"]
            lines += [f"  - {c.element}: {c.detail}" for c in changes]
    return "\n".join(lines) + "\n"


def render_markdown(report: Report, title: str) -> str:
    """A changelog entry: ``## title``, the bump, then one list per class."""
    lines = [f"## {title}", "", f"{report.old} -> {report.new}; semver bump: **{report.bump}**."]
    for kind in KINDS:
        changes = report.of(kind)
        if changes:
            lines += ["", f"### {_HEADINGS[kind]}", ""]
            lines += [f"- `{c.element}`: {c.detail}" for c in changes]
    return "\n".join(lines) + "\n"


def to_json(report: Report) -> dict[str, Any]:
    return {
        "old": report.old,
        "new": report.new,
        "bump": report.bump,
        **{kind: [{"element": c.element, "detail": c.detail} for c in report.of(kind)] for kind in KINDS},
    }


def load(source: str, options: fetch.FetchOptions | None = None) -> Document:
    """A file path, https URL or bundled ``API.VERSION`` as checked records; errors name the source."""
    text, label = read_source(source, options)
    try:
        return parse_document(text)
    except DiscoveryError as error:
        raise DiscoveryError(f"{label}: {error}") from None


def cmd_diff(args: argparse.Namespace) -> int:
    options = fetch.options_from(args)
    report = diff_documents(load(args.old, options), load(args.new, options))
    if args.format == "json":
        sys.stdout.write(json.dumps(to_json(report), indent=2) + "\n")
    else:
        sys.stdout.write(render_text(report))
    return 1 if report.breaking else 0


def register(commands: Any) -> None:
    """Add ``diff`` to the ``python -m codegen`` subcommands."""
    diff = commands.add_parser(
        "diff",
        help="compare the API surfaces of two discovery documents",
        description="Exit status: 0 nothing breaking, 1 something breaking, 2 bad input.",
    )
    diff.add_argument("old", metavar="OLD", help="a file, an https URL, or API.VERSION bundled with googleapiclient")
    diff.add_argument("new", metavar="NEW", help="a file, an https URL, or API.VERSION bundled with googleapiclient")
    diff.add_argument("--format", choices=("text", "json"), default="text")
    fetch.add_flags(diff)
    diff.set_defaults(run=cmd_diff)
