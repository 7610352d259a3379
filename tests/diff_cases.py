"""Hand-made mutations of the pinned document, each with the class ``codegen diff`` must give it.

Every case applies small JSON-patch-like operations (``add``, ``remove``,
``replace`` at a JSON pointer) to a deep copy of
``discovery/workspaceevents.v1.json`` (after ``base``, which is applied to
both sides: how a case starts from a document that already has, say, a
minimum). ``expected`` is the most severe class
the report must contain ("none" when it must be empty) and ``element`` a
substring of "element: detail" of a change of that class.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PINNED = Path(__file__).resolve().parent.parent / "discovery" / "workspaceevents.v1.json"
Doc = dict[str, Any]
Mutation = Callable[[Doc], None]


@dataclass(frozen=True, slots=True, kw_only=True)
class Case:
    name: str
    mutate: Mutation
    expected: str  # "breaking", "additive", "documentation" or "none"
    element: str
    base: Mutation | None = None  # applied to the old and the new document

    def old(self) -> Doc:
        doc = pinned()
        if self.base is not None:
            self.base(doc)
        return doc

    def new(self) -> Doc:
        doc = self.old()
        self.mutate(doc)
        return doc


def pinned() -> Doc:
    """A fresh copy of the pinned document (json.loads is a deep copy)."""
    doc: Doc = json.loads(PINNED.read_text(encoding="utf-8"))
    return doc


def _parent(doc: Doc, pointer: str) -> tuple[Any, str]:
    """The container holding ``pointer``'s target, and the last key (RFC 6901 escapes)."""
    keys = [k.replace("~1", "/").replace("~0", "~") for k in pointer.split("/")[1:]]
    node: Any = doc
    for key in keys[:-1]:
        node = node[int(key)] if isinstance(node, list) else node[key]
    return node, keys[-1]


def add(pointer: str, value: Any) -> Mutation:
    """Add a member, or append to a list with the key ``-``; the member must be new."""

    def mutate(doc: Doc) -> None:
        node, key = _parent(doc, pointer)
        if isinstance(node, list):
            node.append(json.loads(json.dumps(value)))
        else:
            assert key not in node, pointer
            node[key] = json.loads(json.dumps(value))

    return mutate


def remove(pointer: str) -> Mutation:
    def mutate(doc: Doc) -> None:
        node, key = _parent(doc, pointer)
        del node[int(key) if isinstance(node, list) else key]

    return mutate


def replace(pointer: str, value: Any) -> Mutation:
    """Replace an existing member: a typo in the pointer fails instead of adding."""

    def mutate(doc: Doc) -> None:
        node, key = _parent(doc, pointer)
        index: Any = int(key) if isinstance(node, list) else key
        assert isinstance(node, list) or key in node, pointer
        assert node[index] != value, f"{pointer}: already {value!r}"
        node[index] = json.loads(json.dumps(value))

    return mutate


def patch(*operations: Mutation) -> Mutation:
    def mutate(doc: Doc) -> None:
        for operation in operations:
            operation(doc)

    return mutate


def _noop(doc: Doc) -> None:
    del doc


def _esc(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


SCOPE = "https://www.googleapis.com/auth/chat.bot"
NEW_SCOPE = "https://www.googleapis.com/auth/chat.events"
SCOPES = "/auth/oauth2/scopes"
SUBS = "/resources/subscriptions/methods"
LIST = f"{SUBS}/list/parameters"
DELETE = f"{SUBS}/delete/parameters"
PROPS = "/schemas/Subscription/properties"
OP_GET = "/resources/operations/methods/get"
B, A, D = "breaking", "additive", "documentation"


def _remove_scope(doc: Doc) -> None:
    """Drop SCOPE from the document and from every method that lists it."""
    remove(f"{SCOPES}/{_esc(SCOPE)}")(doc)
    for resource in doc["resources"].values():
        for method in resource["methods"].values():
            if SCOPE in method.get("scopes", []):
                method["scopes"].remove(SCOPE)


WATCH = {"id": "workspaceevents.subscriptions.watch", "path": "v1/subscriptions:watch", "httpMethod": "POST"}
EVENTS = {
    "methods": {
        "get": {
            "id": "workspaceevents.events.get",
            "path": "v1/{+name}",
            "httpMethod": "GET",
            "parameters": {"name": {"location": "path", "required": True, "type": "string"}},
            "parameterOrder": ["name"],
            "response": {"$ref": "Status"},
        }
    }
}
UPLOAD = {"accept": ["*/*"], "protocols": {"simple": {"multipart": True, "path": "/upload/v1/subscriptions"}}}
QUERY = {"location": "query", "type": "string"}

_MIN = add(f"{LIST}/pageSize/minimum", "1")
_MAX = add(f"{LIST}/pageSize/maximum", "1000")
_DEPRECATED = add(f"{SUBS}/reactivate/deprecated", True)

# (name, mutation, expected, element[, base])
_TABLE: tuple[tuple[Any, ...], ...] = (
    ("identity", _noop, "none", ""),
    # --- breaking ---------------------------------------------------------------------------------------------
    ("remove_method", remove(f"{SUBS}/reactivate"), B, "method workspaceevents.subscriptions.reactivate: removed"),
    ("remove_resource", remove("/resources/operations"), B, "resource operations: removed"),
    ("remove_parameter", remove(f"{DELETE}/etag"), B, "subscriptions.delete, parameter etag: removed"),
    ("remove_global_parameter", remove("/parameters/quotaUser"), B, "global parameter quotaUser: removed"),
    ("parameter_becomes_required", add(f"{LIST}/filter/required", True), B, "list, parameter filter: required set"),
    ("new_required_parameter", add(f"{LIST}/parent", {**QUERY, "required": True}), B, "parameter parent: added"),
    ("parameter_enum_value_removed", remove("/parameters/alt/enum/2"), B, "alt: enum value 'proto' removed"),
    ("parameter_gains_enum", add(f"{LIST}/filter/enum", ["a", "b"]), B, "parameter filter: now restricted"),
    ("property_enum_value_removed", remove(f"{PROPS}/state/enum/3"), B, "property state: enum value 'DELETED'"),
    ("parameter_type_changed", replace(f"{LIST}/pageSize/type", "string"), B, "parameter pageSize: type"),
    ("parameter_format_changed", replace(f"{LIST}/pageSize/format", "int64"), B, "parameter pageSize: format"),
    ("property_type_changed", replace("/schemas/Status/properties/code/type", "string"), B, "property code: type"),
    ("property_format_changed", replace(f"{PROPS}/expireTime/format", "date"), B, "property expireTime: format"),
    ("items_type_changed", replace(f"{PROPS}/eventTypes/items/type", "integer"), B, "property eventTypes[]: type"),
    ("property_ref_changed", replace(f"{PROPS}/driveOptions/$ref", "PayloadOptions"), B, "driveOptions: ref"),
    ("property_becomes_read_only", add(f"{PROPS}/ttl/readOnly", True), B, "property ttl: readOnly set"),
    ("http_method_changed", replace(f"{SUBS}/patch/httpMethod", "PUT"), B, "subscriptions.patch: http_method"),
    ("path_changed", replace(f"{SUBS}/get/path", "v2/{+name}"), B, "subscriptions.get: path 'v1/{+name}'"),
    ("method_id_changed", replace(f"{OP_GET}/id", "workspaceevents.ops.get"), B, "operations.get: id"),
    ("pattern_tightened", replace(f"{DELETE}/name/pattern", "^subscriptions/[a-z]+$"), B, "name: pattern"),
    ("pattern_added", add(f"{DELETE}/etag/pattern", "^[0-9]+$"), B, "delete, parameter etag: pattern none ->"),
    ("request_changed", replace(f"{SUBS}/create/request/$ref", "DriveOptions"), B, "create: request schema"),
    ("response_changed", replace(f"{SUBS}/get/response/$ref", "Operation"), B, "get: response schema"),
    ("parameter_order_changed", add(f"{SUBS}/delete/parameterOrder/-", "etag"), B, "delete: parameter_order"),
    ("property_removed", remove(f"{PROPS}/etag"), B, "schema Subscription, property etag: removed"),
    (
        "schema_removed",
        patch(remove(f"{PROPS}/driveOptions"), remove("/schemas/DriveOptions")),
        B,
        "schema DriveOptions: removed",
    ),
    ("scope_removed", _remove_scope, B, f"scope {SCOPE}: removed"),
    ("method_scope_removed", remove(f"{SUBS}/list/scopes/0"), B, "subscriptions.list: scope"),
    ("root_url_changed", replace("/rootUrl", "https://example.com/"), B, "document rootUrl"),
    ("service_path_changed", replace("/servicePath", "api/"), B, "document servicePath"),
    ("data_wrapper_added", add("/features", ["dataWrapper"]), B, "document feature dataWrapper"),
    # A schema that sorts first claims the Python class name "Operation": only the IR shows it.
    ("class_name_stolen", add("/schemas/-Operation", {"type": "object"}), B, "schemas.Operation renamed"),
    # A resource named like a method replaces the method attribute, as in the dynamic client.
    (
        "resource_hides_method",
        add("/resources/subscriptions/resources", {"list": EVENTS}),
        B,
        "attribute subscriptions.list",
    ),
    # --- additive ---------------------------------------------------------------------------------------------
    ("new_method", add(f"{SUBS}/watch", WATCH), A, "method workspaceevents.subscriptions.watch: added"),
    ("new_resource", add("/resources/events", EVENTS), A, "resource events: added"),
    ("new_optional_parameter", add(f"{LIST}/orderBy", QUERY), A, "list, parameter orderBy: added (optional)"),
    ("parameter_becomes_repeated", add(f"{LIST}/pageSize/repeated", True), A, "pageSize: repeated set"),
    ("parameter_not_required", remove(f"{DELETE}/name/required"), A, "delete, parameter name: required cleared"),
    ("pattern_removed", remove(f"{DELETE}/name/pattern"), A, "delete, parameter name: pattern"),
    ("parameter_enum_value_added", add("/parameters/alt/enum/-", "xml"), A, "alt: enum value 'xml' added"),
    ("property_enum_value_added", add(f"{PROPS}/state/enum/-", "PAUSED"), A, "state: enum value 'PAUSED' added"),
    ("new_property", add(f"{PROPS}/labels", {"type": "object"}), A, "schema Subscription, property labels: added"),
    ("new_nested_property", add(f"{PROPS}/ttl/properties", {"seconds": QUERY}), A, "property ttl.seconds: added"),
    ("new_schema", add("/schemas/Label", {"type": "object"}), A, "schema Label: added"),
    ("new_scope", add(f"{SCOPES}/{_esc(NEW_SCOPE)}", {"description": "Events"}), A, f"scope {NEW_SCOPE}: added"),
    ("property_not_read_only", remove(f"{PROPS}/uid/readOnly"), A, "property uid: readOnly cleared"),
    ("media_upload_added", add(f"{SUBS}/create/mediaUpload", UPLOAD), A, "create: mediaUpload added"),
    ("media_download_added", add(f"{OP_GET}/supportsMediaDownload", True), A, "operations.get: supportsMediaDownload"),
    ("method_gains_scope", add(f"{SUBS}/list/scopes/-", NEW_SCOPE), A, f"list: scope {NEW_SCOPE} now accepted"),
    # --- documentation only -----------------------------------------------------------------------------------
    ("method_description", replace(f"{SUBS}/delete/description", "Deletes."), D, "subscriptions.delete: description"),
    ("parameter_description", replace(f"{LIST}/pageSize/description", "Size."), D, "pageSize: description"),
    ("property_description", replace(f"{PROPS}/state/description", "State."), D, "property state: description"),
    ("enum_descriptions", replace(f"{PROPS}/state/enumDescriptions/1", "Live."), D, "state: enumDescriptions"),
    ("schema_description", replace("/schemas/Subscription/description", "A sub."), D, "schema Subscription: desc"),
    ("scope_description", replace(f"{SCOPES}/{_esc(SCOPE)}/description", "Bots."), D, f"scope {SCOPE}: desc"),
    ("revision", replace("/revision", "20991231"), D, "document revision: '20261004' -> '20991231'"),
    ("etag", add("/etag", '"abc"'), D, "document etag"),
    ("documentation_link", replace("/documentationLink", "https://example.com/"), D, "document documentationLink"),
    ("api_description", replace("/description", "Events."), D, "document description"),
    ("title", replace("/title", "Events API"), D, "document title"),
    ("flat_path_only", replace(f"{SUBS}/delete/flatPath", "v1/subscriptions/{id}"), D, "delete: flatPath"),
    ("flat_path_removed", remove(f"{SUBS}/get/flatPath"), D, "subscriptions.get: flatPath"),
    # --- patterns, by language inclusion ----------------------------------------------------------------------
    ("pattern_widened", replace(f"{DELETE}/name/pattern", "^subscriptions/.+$"), A, "name: pattern widened"),
    ("pattern_end_anchor_dropped", replace(f"{DELETE}/name/pattern", "^subscriptions/[^/]+"), A, "pattern widened"),
    ("pattern_alternation", replace(f"{DELETE}/name/pattern", "^(subscriptions|subs)/[^/]+$"), A, "widened"),
    ("pattern_rewritten", replace(f"{DELETE}/name/pattern", "^(?:subscriptions/[^/]+)$"), D, "exactly the same"),
    ("pattern_caret_dropped", replace(f"{DELETE}/name/pattern", "subscriptions/[^/]+$"), D, "exactly the same"),
    ("pattern_dotstar_dollar", replace(f"{OP_GET}/parameters/name/pattern", "^operations/"), D, "exactly the same"),
    ("pattern_incomparable", replace(f"{DELETE}/name/pattern", "^subs/[^/]+$"), B, "each accepts values the other"),
    ("pattern_length_bound", replace(f"{DELETE}/name/pattern", "^subscriptions/[^/]{1,64}$"), B, "pattern narrowed"),
    ("pattern_nonempty", replace(f"{OP_GET}/parameters/name/pattern", "^operations/.+$"), B, "name: pattern narrowed"),
    ("pattern_backreference", replace(f"{DELETE}/name/pattern", "^(subscriptions)/\\1$"), B, "inclusion not decided"),
    (
        "pattern_too_long",
        replace(f"{DELETE}/name/pattern", "^(" + "|".join(f"x{i}" for i in range(300)) + ")$"),
        B,
        "pattern longer than 1000 characters",
    ),
    # --- defaults, bounds, deprecation ------------------------------------------------------------------------
    ("default_removed", remove("/parameters/prettyPrint/default"), B, "parameter prettyPrint: default 'true' removed"),
    ("default_changed", replace("/parameters/alt/default", "proto"), B, "alt: default 'json' -> 'proto'"),
    ("default_documented", add(f"{LIST}/pageSize/default", "50"), D, "pageSize: default '50' documented"),
    ("default_as_number", add(f"{LIST}/pageSize/default", 50), D, "pageSize: default '50' documented"),
    ("property_default_documented", add(f"{PROPS}/ttl/default", "0s"), D, "property ttl: default '0s' documented"),
    ("minimum_added", add(f"{LIST}/pageSize/minimum", "1"), B, "pageSize: minimum none -> '1' (tighter)"),
    ("maximum_added", add(f"{LIST}/pageSize/maximum", "100"), B, "pageSize: maximum none -> '100' (tighter)"),
    ("property_maximum_added", add("/schemas/Status/properties/code/maximum", "16"), B, "code: maximum none"),
    ("minimum_raised", replace(f"{LIST}/pageSize/minimum", "10"), B, "minimum '1' -> '10' (tighter)", _MIN),
    ("minimum_lowered", replace(f"{LIST}/pageSize/minimum", "0"), A, "minimum '1' -> '0' (looser)", _MIN),
    ("minimum_removed", remove(f"{LIST}/pageSize/minimum"), A, "pageSize: minimum '1' removed", _MIN),
    ("minimum_rewritten", replace(f"{LIST}/pageSize/minimum", "1.0"), D, "minimum rewritten", _MIN),
    ("minimum_not_a_number", replace(f"{LIST}/pageSize/minimum", "one"), B, "cannot tell looser", _MIN),
    ("minimum_nan", replace(f"{LIST}/pageSize/minimum", "NaN"), B, "cannot tell looser", _MIN),
    ("maximum_lowered", replace(f"{LIST}/pageSize/maximum", "100"), B, "maximum '1000' -> '100' (tighter)", _MAX),
    ("maximum_raised", replace(f"{LIST}/pageSize/maximum", "5000"), A, "maximum '1000' -> '5000' (looser)", _MAX),
    ("maximum_removed", remove(f"{LIST}/pageSize/maximum"), A, "pageSize: maximum '1000' removed", _MAX),
    ("parameter_deprecated", add(f"{DELETE}/etag/deprecated", True), A, "etag: deprecated set (notice"),
    ("global_parameter_deprecated", add("/parameters/callback/deprecated", True), A, "callback: deprecated set"),
    ("method_deprecated", add(f"{SUBS}/reactivate/deprecated", True), A, "reactivate: deprecated set"),
    ("property_deprecated", add(f"{PROPS}/etag/deprecated", True), A, "property etag: deprecated set"),
    ("schema_deprecated", add("/schemas/DriveOptions/deprecated", True), A, "schema DriveOptions: deprecated set"),
    ("deprecated_cleared", remove(f"{SUBS}/reactivate/deprecated"), D, "reactivate: deprecated cleared", _DEPRECATED),
    # --- where requests go ------------------------------------------------------------------------------------
    (
        "root_url_host_changed",
        replace("/rootUrl", "https://attacker.example/"),
        B,
        "host 'workspaceevents.googleapis.com' -> 'attacker.example'",
    ),
    ("root_url_plain_http", replace("/rootUrl", "http://workspaceevents.googleapis.com/"), B, "document rootUrl"),
    ("mtls_root_url_changed", replace("/mtlsRootUrl", "https://evil.example/"), B, "document mtlsRootUrl"),
    ("mtls_root_url_removed", remove("/mtlsRootUrl"), B, "document mtlsRootUrl"),
    ("batch_path_changed", replace("/batchPath", "batch/v2"), B, "document batchPath: 'batch' -> 'batch/v2'"),
    ("batch_path_absolute", replace("/batchPath", "https://evil.example/batch"), B, "host '' -> 'evil.example'"),
    ("service_path_absolute", replace("/servicePath", "https://evil.example/"), B, "document servicePath"),
    # --- more of the surface ----------------------------------------------------------------------------------
    (
        "enum_reordered",
        replace(f"{PROPS}/state/enum", ["ACTIVE", "STATE_UNSPECIFIED", "SUSPENDED", "DELETED"]),
        D,
        "property state: enum values reordered",
    ),
    ("parameter_location_changed", replace(f"{LIST}/filter/location", "path"), B, "parameter filter: location"),
    (
        "parameter_not_repeated",
        remove(f"{LIST}/pageSize/repeated"),
        B,
        "pageSize: repeated cleared",
        add(f"{LIST}/pageSize/repeated", True),
    ),
    (
        "media_upload_removed",
        remove(f"{SUBS}/create/mediaUpload"),
        B,
        "create: mediaUpload removed",
        add(f"{SUBS}/create/mediaUpload", UPLOAD),
    ),
    (
        "media_upload_changed",
        replace(f"{SUBS}/create/mediaUpload/accept", ["image/*"]),
        B,
        "mediaUpload changed",
        add(f"{SUBS}/create/mediaUpload", UPLOAD),
    ),
    (
        "media_download_removed",
        remove(f"{OP_GET}/supportsMediaDownload"),
        B,
        "supportsMediaDownload cleared",
        add(f"{OP_GET}/supportsMediaDownload", True),
    ),
    ("api_version_added", add(f"{SUBS}/get/apiVersion", "v1_20261004"), B, "subscriptions.get: api_version"),
    ("other_feature_added", add("/features", ["mediaUpload"]), A, "document feature mediaUpload: feature set"),
    (
        "data_wrapper_removed",
        remove("/features"),
        A,
        "feature dataWrapper: feature cleared",
        add("/features", ["dataWrapper"]),
    ),
    ("items_removed", replace(f"{PROPS}/eventTypes", {"type": "string"}), B, "property eventTypes: items removed"),
    ("additional_properties_added", add(f"{PROPS}/ttl/additionalProperties", QUERY), B, "additionalProperties added"),
    ("ref_to_inline", replace(f"{PROPS}/driveOptions", {"type": "object"}), B, "property driveOptions: ref"),
    ("request_removed", remove(f"{SUBS}/create/request"), B, "create: request schema 'Subscription' -> none"),
    ("response_description", add(f"{SUBS}/get/response/description", "A sub."), D, "get: response description"),
    ("parameter_enum_descriptions", replace("/parameters/alt/enumDescriptions/0", "JSON."), D, "enumDescriptions"),
    ("canonical_name", replace("/canonicalName", "Events"), D, "document canonicalName"),
    ("owner_domain", replace("/ownerDomain", "example.com"), D, "document ownerDomain"),
    ("kind_only", replace("/kind", "discovery#restDescription2"), D, "outside the API surface"),
    (
        "nested_resource_added",
        add("/resources/subscriptions/resources", {"events": EVENTS}),
        A,
        "resource subscriptions.events: added",
    ),
    ("root_method_added", add("/methods", {"watch": WATCH}), A, "method workspaceevents.subscriptions.watch: added"),
    ("add_and_remove", patch(add(f"{SUBS}/watch", WATCH), remove(f"{SUBS}/reactivate")), B, "reactivate: removed"),
)
CASES: tuple[Case, ...] = tuple(
    Case(name=row[0], mutate=row[1], expected=row[2], element=row[3], base=row[4] if len(row) > 4 else None)
    for row in _TABLE
)
