"""Load a discovery document and check its shape.

Layer 1 of 3. JSON text in, frozen records out; nothing here knows about
Python names or templates. Every problem raises one :class:`DiscoveryError`
whose message starts with the JSON path of the offending value, e.g.
``resources.operations.methods.get.parameters.name.type: expected a string``.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from discovery_runtime.entry import document_sha256

JSON_TYPES = frozenset({"any", "array", "boolean", "integer", "null", "number", "object", "string"})
_API_VERSION = re.compile(r"^([^/\\\s]+)\.([^/\\\s]+)$")


class DiscoveryError(Exception):
    """A document that cannot be generated; the message names the JSON path."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SchemaNode:
    """One JSON schema: a named schema, a property, an array item or a ``$ref``."""

    type: str | None
    ref: str | None
    description: str | None
    properties: tuple[tuple[str, SchemaNode], ...]
    additional: SchemaNode | None
    items: SchemaNode | None
    enum: tuple[str, ...]
    enum_descriptions: tuple[str, ...]
    format: str | None
    read_only: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class ParameterDoc:
    name: str
    type: str
    description: str | None
    location: str | None
    required: bool
    repeated: bool
    pattern: str | None
    enum: tuple[str, ...]
    enum_descriptions: tuple[str, ...]
    ref: str | None
    format: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class MediaUploadDoc:
    accept: tuple[str, ...]
    max_size: str
    protocols: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class MethodDoc:
    name: str
    id: str
    path: str
    http_method: str
    description: str | None
    parameters: tuple[ParameterDoc, ...]
    parameter_order: tuple[str, ...]
    request: SchemaNode | None
    response: SchemaNode | None
    media_upload: MediaUploadDoc | None
    supports_media_download: bool
    api_version: str | None
    scopes: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ResourceDoc:
    name: str
    methods: tuple[MethodDoc, ...]
    resources: tuple[ResourceDoc, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """A checked discovery document. ``raw`` is a private deep copy, never mutated."""

    name: str
    version: str
    revision: str
    title: str
    description: str
    root_url: str
    service_path: str
    batch_path: str
    mtls_root_url: str | None
    features: tuple[str, ...]
    scopes: tuple[tuple[str, str], ...]
    parameters: tuple[ParameterDoc, ...]
    methods: tuple[MethodDoc, ...]
    resources: tuple[ResourceDoc, ...]
    schemas: tuple[tuple[str, SchemaNode], ...]
    sha256: str
    raw: Mapping[str, Any]


def read_source(source: str) -> tuple[str, str]:
    """Return (text, label) for a file path or an ``API.VERSION`` bundled with googleapiclient."""
    path = Path(source)
    if path.is_file():
        try:
            data = path.read_bytes()
        except OSError as error:
            raise DiscoveryError(f"{source}: cannot read: {error}") from None
        try:
            return data.decode("utf-8"), path.name
        except UnicodeDecodeError as error:
            raise DiscoveryError(f"{path.name}: $: not valid UTF-8: {error}") from None
    match = _API_VERSION.match(source)
    if match and not path.suffix == ".json":
        text = _bundled_document(*match.groups())
        if text is not None:
            return text, f"{source}.json"
    raise DiscoveryError(f"{source}: no such file, and no bundled discovery document by that name")


def _bundled_document(api: str, version: str) -> str | None:
    from googleapiclient import discovery_cache

    text: str | None = discovery_cache.get_static_doc(api, version)
    return text


def parse_document(text: str | bytes) -> Document:
    """Parse and check a discovery document."""
    try:
        raw = json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        raise DiscoveryError(f"$: not valid JSON: {error}") from None
    return load_document(raw)


def load_document(raw: Any) -> Document:
    """Check an already-decoded document and build its records."""
    obj = _object(raw, "$")
    raw = copy.deepcopy(obj)
    schemas_raw = _object(raw.get("schemas", {}), "schemas")
    reader = _Reader(schema_names=frozenset(schemas_raw))
    if "resources" not in raw and "methods" not in raw:
        raise DiscoveryError("resources: missing (the document has no resources and no methods)")
    scopes = _object(
        _object(_object(raw.get("auth", {}), "auth").get("oauth2", {}), "auth.oauth2").get("scopes", {}),
        "auth.oauth2.scopes",
    )
    return Document(
        name=_required_str(raw, "name", ""),
        version=_required_str(raw, "version", ""),
        revision=_optional_str(raw, "revision", "") or "",
        title=_optional_str(raw, "title", "") or "",
        description=_optional_str(raw, "description", "") or "",
        root_url=_required_str(raw, "rootUrl", ""),
        service_path=_required_str(raw, "servicePath", ""),
        batch_path=_optional_str(raw, "batchPath", "") or "batch",
        mtls_root_url=_optional_str(raw, "mtlsRootUrl", ""),
        features=_str_tuple(raw.get("features", []), "features"),
        scopes=tuple(
            (
                name,
                _optional_str(_object(desc, f"auth.oauth2.scopes.{name}"), "description", f"auth.oauth2.scopes.{name}")
                or "",
            )
            for name, desc in scopes.items()
        ),
        parameters=reader.parameters(raw.get("parameters", {}), "parameters"),
        methods=reader.methods(raw.get("methods", {}), "methods"),
        resources=reader.resources(raw.get("resources", {}), "resources"),
        schemas=tuple((name, reader.schema(node, f"schemas.{name}")) for name, node in schemas_raw.items()),
        sha256=document_sha256(raw),
        raw=raw,
    )


@dataclass(frozen=True, slots=True)
class _Reader:
    schema_names: frozenset[str]

    def resources(self, value: Any, path: str) -> tuple[ResourceDoc, ...]:
        return tuple(self.resource(name, node, f"{path}.{name}") for name, node in _object(value, path).items())

    def resource(self, name: str, value: Any, path: str) -> ResourceDoc:
        node = _object(value, path)
        return ResourceDoc(
            name=_name(name, path),
            methods=self.methods(node.get("methods", {}), f"{path}.methods"),
            resources=self.resources(node.get("resources", {}), f"{path}.resources"),
        )

    def methods(self, value: Any, path: str) -> tuple[MethodDoc, ...]:
        return tuple(self.method(name, node, f"{path}.{name}") for name, node in _object(value, path).items())

    def method(self, name: str, value: Any, path: str) -> MethodDoc:
        node = _object(value, path)
        media = node.get("mediaUpload")
        return MethodDoc(
            name=_name(name, path),
            id=_required_str(node, "id", path),
            path=_required_str(node, "path", path),
            http_method=_required_str(node, "httpMethod", path),
            description=_optional_str(node, "description", path),
            parameters=self.parameters(node.get("parameters", {}), f"{path}.parameters"),
            parameter_order=_str_tuple(node.get("parameterOrder", []), f"{path}.parameterOrder"),
            request=self.optional_schema(node.get("request"), f"{path}.request"),
            response=self.optional_schema(node.get("response"), f"{path}.response"),
            media_upload=None if not media else self.media_upload(media, f"{path}.mediaUpload"),
            supports_media_download=_bool(node, "supportsMediaDownload", path),
            api_version=_optional_str(node, "apiVersion", path),
            scopes=_str_tuple(node.get("scopes", []), f"{path}.scopes"),
        )

    def media_upload(self, value: Any, path: str) -> MediaUploadDoc:
        node = _object(value, path)
        max_size = _optional_str(node, "maxSize", path) or ""
        if max_size and not re.fullmatch(r"\d+([KMGT]B)?", max_size, re.IGNORECASE):
            raise DiscoveryError(f"{path}.maxSize: not a size: {max_size!r}")
        protocols = _object(node.get("protocols", {}), f"{path}.protocols")
        return MediaUploadDoc(
            accept=_str_tuple(node.get("accept", []), f"{path}.accept"),
            max_size=max_size,
            protocols=tuple(protocols),
        )

    def parameters(self, value: Any, path: str) -> tuple[ParameterDoc, ...]:
        return tuple(self.parameter(name, node, f"{path}.{name}") for name, node in _object(value, path).items())

    def parameter(self, name: str, value: Any, path: str) -> ParameterDoc:
        node = _object(value, path)
        kind = _optional_str(node, "type", path) or "string"
        if kind not in JSON_TYPES:
            raise DiscoveryError(f"{path}.type: unknown type {kind!r}")
        pattern = _optional_str(node, "pattern", path)
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as error:
                raise DiscoveryError(f"{path}.pattern: not a regular expression: {error}") from None
        return ParameterDoc(
            name=_name(name, path),
            type=kind,
            description=_optional_str(node, "description", path),
            location=_optional_str(node, "location", path),
            required=_bool(node, "required", path),
            repeated=_bool(node, "repeated", path),
            pattern=pattern,
            enum=_str_tuple(node.get("enum", []), f"{path}.enum"),
            enum_descriptions=_str_tuple(node.get("enumDescriptions", []), f"{path}.enumDescriptions"),
            ref=self.ref(node, path),
            format=_optional_str(node, "format", path),
        )

    def optional_schema(self, value: Any, path: str) -> SchemaNode | None:
        return None if value is None else self.schema(value, path)

    def schema(self, value: Any, path: str) -> SchemaNode:
        node = _object(value, path)
        kind = _optional_str(node, "type", path)
        if kind is not None and kind not in JSON_TYPES:
            raise DiscoveryError(f"{path}.type: unknown type {kind!r}")
        props = _object(node.get("properties", {}), f"{path}.properties")
        if kind == "array" and "items" not in node:
            raise DiscoveryError(f"{path}.items: missing (required for an array)")
        return SchemaNode(
            type=kind,
            ref=self.ref(node, path),
            description=_optional_str(node, "description", path),
            properties=tuple(
                (_name(k, f"{path}.properties"), self.schema(v, f"{path}.properties.{k}")) for k, v in props.items()
            ),
            additional=self.optional_schema(node.get("additionalProperties"), f"{path}.additionalProperties"),
            items=self.optional_schema(node.get("items"), f"{path}.items"),
            enum=_str_tuple(node.get("enum", []), f"{path}.enum"),
            enum_descriptions=_str_tuple(node.get("enumDescriptions", []), f"{path}.enumDescriptions"),
            format=_optional_str(node, "format", path),
            read_only=_bool(node, "readOnly", path),
        )

    def ref(self, node: Mapping[str, Any], path: str) -> str | None:
        ref = _optional_str(node, "$ref", path)
        if ref is not None and ref not in self.schema_names:
            raise DiscoveryError(f"{path}.$ref: unresolvable reference {ref!r}")
        return ref


def _object(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise DiscoveryError(f"{path}: expected an object, got {_json_type(value)}")
    return value


def _name(name: str, path: str) -> str:
    if not name:
        raise DiscoveryError(f"{path}: empty name")
    return name


def _required_str(node: Mapping[str, Any], key: str, path: str) -> str:
    where = f"{path}.{key}" if path else key
    if key not in node:
        raise DiscoveryError(f"{where}: missing")
    value = node[key]
    if not isinstance(value, str):
        raise DiscoveryError(f"{where}: expected a string, got {_json_type(value)}")
    return value


def _optional_str(node: Mapping[str, Any], key: str, path: str) -> str | None:
    return _required_str(node, key, path) if node.get(key) is not None else None


def _bool(node: Mapping[str, Any], key: str, path: str) -> bool:
    value = node.get(key, False)
    if not isinstance(value, bool):
        raise DiscoveryError(f"{path}.{key}: expected a boolean, got {_json_type(value)}")
    return value


def _str_tuple(value: Any, path: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise DiscoveryError(f"{path}: expected a list of strings")
    return tuple(value)


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")
