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
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from discovery_runtime.entry import document_sha256

if TYPE_CHECKING:
    from .fetch import FetchOptions

# The deepest bundled document nests 26 levels; every reader after this one recurses per level.
MAX_DEPTH = 100
# API, version and resource names become file and module names: bounded well below 255 bytes.
MAX_NAME = 128
JSON_TYPES = frozenset({"any", "array", "boolean", "integer", "null", "number", "object", "string"})
_API_VERSION = re.compile(r"^([^/\\\s]+)\.([^/\\\s]+)$")


class DiscoveryError(Exception):
    """A document that cannot be generated; the message names the JSON path.

    The message is always one printable line: control, format and separator
    characters from document names are written as escapes (``\\x00``, ``\\u2028``).
    """

    def __init__(self, message: str) -> None:
        super().__init__(_one_line(message))


def _one_line(text: str) -> str:
    return "".join(_escape(c) if unicodedata.category(c)[0] in "CZ" and c != " " else c for c in text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


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
    default: str | None = None
    minimum: str | None = None
    maximum: str | None = None
    deprecated: bool = False


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
    # Kept as the document writes them (strings, e.g. "1000"): the diff compares them.
    default: str | None = None
    minimum: str | None = None
    maximum: str | None = None
    deprecated: bool = False


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
    flat_path: str | None = None
    deprecated: bool = False


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


def read_source(source: str, fetch_options: FetchOptions | None = None) -> tuple[str, str]:
    """Return (text, label) for an https URL, a file path or an ``API.VERSION`` bundled with googleapiclient.

    URLs go through :func:`codegen.fetch.fetch_url` with ``fetch_options`` (default: its safe defaults).
    """
    from . import fetch

    if fetch.is_url(source):
        return _decode(fetch.fetch_url(source, fetch_options), source), source
    path = Path(source)
    if path.is_file():
        try:
            data = path.read_bytes()
        except OSError as error:
            raise DiscoveryError(f"{source}: cannot read: {error.strerror or error}") from None
        return _decode(data, path.name), path.name
    match = _API_VERSION.match(source)
    if match and not path.suffix == ".json":
        text = _bundled_document(*match.groups())
        if text is not None:
            return text, f"{source}.json"
    raise DiscoveryError(f"{source}: no such file, and no bundled discovery document by that name")


def _decode(data: bytes, label: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DiscoveryError(f"{label}: $: not valid UTF-8: {error}") from None


def _bundled_document(api: str, version: str) -> str | None:
    from googleapiclient import discovery_cache

    text: str | None = discovery_cache.get_static_doc(api, version)
    return text


def parse_document(text: str | bytes) -> Document:
    """Parse and check a discovery document."""
    try:
        raw = json.loads(text)
    except RecursionError:
        raise DiscoveryError(f"{_deep_path(text)}: nested deeper than {MAX_DEPTH} levels") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise DiscoveryError(f"$: not valid JSON: {error}") from None
    return load_document(raw)


def load_document(raw: Any) -> Document:
    """Check an already-decoded document and build its records."""
    obj = _object(raw, "$")
    _check_depth(obj)
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
        name=_short(_required_str(raw, "name", ""), "name"),
        version=_short(_required_str(raw, "version", ""), "version"),
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
            name=_short(_name(name, path), path),
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
            request=self.optional_schema(node, "request", path),
            response=self.optional_schema(node, "response", path),
            media_upload=None if not media else self.media_upload(media, f"{path}.mediaUpload"),
            supports_media_download=_bool(node, "supportsMediaDownload", path),
            api_version=_optional_str(node, "apiVersion", path),
            scopes=_str_tuple(node.get("scopes", []), f"{path}.scopes"),
            flat_path=_optional_str(node, "flatPath", path),
            deprecated=_bool(node, "deprecated", path),
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
            **_bounds(node, path),
        )

    def optional_schema(self, node: Mapping[str, Any], key: str, path: str) -> SchemaNode | None:
        """The schema under ``key``; absent is None, but a present null is refused (googleapiclient chokes on it)."""
        return None if key not in node else self.schema(node[key], f"{path}.{key}")

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
            additional=self.optional_schema(node, "additionalProperties", path),
            items=self.optional_schema(node, "items", path),
            enum=_str_tuple(node.get("enum", []), f"{path}.enum"),
            enum_descriptions=_str_tuple(node.get("enumDescriptions", []), f"{path}.enumDescriptions"),
            format=_optional_str(node, "format", path),
            read_only=_bool(node, "readOnly", path),
            **_bounds(node, path),
        )

    def ref(self, node: Mapping[str, Any], path: str) -> str | None:
        ref = _required_str(node, "$ref", path) if "$ref" in node else None
        if ref is not None and ref not in self.schema_names:
            raise DiscoveryError(f"{path}.$ref: unresolvable reference {ref!r}")
        return ref


def _bounds(node: Mapping[str, Any], path: str) -> dict[str, Any]:
    """``default``, ``minimum``, ``maximum`` (strings, or JSON scalars written as strings) and ``deprecated``."""
    found: dict[str, Any] = {"deprecated": _bool(node, "deprecated", path)}
    for key in ("default", "minimum", "maximum"):
        value = node.get(key)
        if isinstance(value, (dict, list)):
            raise DiscoveryError(f"{path}.{key}: expected a string, got {_json_type(value)}")
        found[key] = None if value is None else json.dumps(value) if not isinstance(value, str) else value
    return found


def _object(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise DiscoveryError(f"{path}: expected an object, got {_json_type(value)}")
    return value


def _short(name: str, path: str) -> str:
    if len(name) > MAX_NAME:
        raise DiscoveryError(f"{path}: name longer than {MAX_NAME} characters")
    return name


def _check_depth(root: dict[str, Any]) -> None:
    """Refuse nesting past MAX_DEPTH, naming the path where it passes; iterative, so it cannot overflow."""
    stack: list[tuple[Any, str, int]] = [(root, "$", 1)]
    while stack:
        node, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise DiscoveryError(f"{path}: nested deeper than {MAX_DEPTH} levels")
        if isinstance(node, dict):
            stack.extend((v, k if path == "$" else f"{path}.{k}", depth + 1) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, f"{path}.{i}" if path != "$" else str(i), depth + 1) for i, v in enumerate(node))


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"\s*:?|[\[\]{}]')


def _deep_path(text: str | bytes) -> str:
    """The JSON path where ``text`` passes MAX_DEPTH (for documents too deep for the json module)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    keys: list[str] = []
    pending: str | None = None
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token.endswith(":"):
            pending = json.loads(token[:-1].rstrip())
        elif token in "[{":
            keys.append(pending if pending is not None else "0")
            pending = None
            if len(keys) > MAX_DEPTH:
                return ".".join(keys[1:]) or "$"
        elif token in "]}":
            if keys:
                keys.pop()
            pending = None
    return "$"


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
