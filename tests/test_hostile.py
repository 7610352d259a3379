"""Hostile documents: the pinned document, mutated hundreds of ways, must still give safe, faithful code.

Each example applies one to three mutations (hostile descriptions, names,
enums, patterns, schemas, recursion, deep nesting, media, root methods) and
then checks the output: every path stays inside the output folder, every
module compiles and imports, no payload ran (the sentinel file does not
exist), and, when googleapiclient accepts the document, the generated service
exposes the same names, docstrings and requests (``tools/parity.py``).
Rendering is in-process and skips ruff, for speed.
"""

from __future__ import annotations

import copy
import importlib
import itertools
import json
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from googleapiclient import discovery
from googleapiclient.http import HttpMock
from hypothesis import Phase
from hypothesis import strategies as st

from codegen import naming, render
from codegen.discovery import DiscoveryError, parse_document
from codegen.model import build_api
from tests.strategies import DOCUMENT, event, given, settings
from tools import parity

SANDBOX = Path(tempfile.mkdtemp(prefix="hostile-"))
SENTINEL = SANDBOX / "pwned"
_CODE = f"__import__('os').system('touch {SENTINEL}')"

PAYLOADS = [
    '"""',
    "'''",
    '"""' + _CODE + '"""',
    "'''\n" + _CODE + "\n'''",
    '" + ' + _CODE + ' + "',
    "\n" + _CODE + "\n",
    "{{ " + _CODE + " }}",
    "{% if True %}" + _CODE + "{% endif %}",
    "{#",
    "\\",
    "\\n\\x00\\",
    "\u2028\u2029",
    "\x00",
    "\r",
    "\r\n\t",
    "# -*- coding: latin-1 -*-",
    "../../etc/passwd",
    "é漢字😀",
    "\ufeff",
    "x" * 50_000,
]
NAMES = [
    "import",
    "class",
    "return",
    "global",
    "match",
    "list",
    "list_next",
    "close",
    "execute",
    "body",
    "new_batch_http_request",
    "media_body",
    "x__xgafv",
    "a.b",
    "x y",
    "get-all",
    "$x",
    "@at",
    "1st",
    "../up",
    "é",
    "漢字",
    "😀",
    "\ufb01le",
    "_request",
    "_next_request",
    "__private",
    "self",
    "extra",
    "_extra",
    "Any",
    "TypedDict",
    "True",
    "none",
    "str",
    "builtins",
    "_transport",
    "_schemas",
    "operations",
    "subscriptions",
]
VERSIONS = ["v1.2", "directory_v1", "1", "../x", "v1 beta", "é", "class"]
API_NAMES = ["../evil", "logging", "import", "My API", "é", "1abc", "a.b", "__init__"]
PATTERNS = ['^"""$', "^.*'''.*$", "^\\d+$", "^{{x}}$", "^[^/]+/\\\\$"]

payloads = st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=40))
names = st.one_of(st.sampled_from(NAMES), st.text(min_size=1, max_size=12)).filter(
    lambda n: not naming.is_reserved_member(naming.fix_method_name(n))
)
# A document parameter named like a media argument on a method without
# mediaUpload: see test_media_body_parameter_without_media_upload.
_MEDIA_ARGUMENTS = ("media_body", "media_mime_type")
KINDS = [
    "description",
    "rename_method",
    "rename_resource",
    "rename_parameter",
    "enum",
    "pattern",
    "rename_schema",
    "rename_property",
    "recursion",
    "deep",
    "root_method",
    "media",
    "path",
    "api",
]
mutation = st.tuples(st.sampled_from(KINDS), st.integers(0, 10**6), payloads, names)


def _walk(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, (*path, str(index)))


def _holders(doc: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """Every object that holds ``key`` (an object) under a key of that name."""
    return [n for p, n in _walk(doc) if p and p[-1] == key and isinstance(n, dict)]


def _methods(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for holder in _holders(doc, "methods") for m in holder.values()]


def _rename(holder: dict[str, Any], old: str, new: str) -> None:
    if new in holder or old not in holder:
        return
    items = [(new if k == old else k, v) for k, v in holder.items()]
    holder.clear()
    holder.update(items)


def mutate(doc: dict[str, Any], kind: str, pick: int, text: str, name: str) -> None:
    methods = _methods(doc)
    method = methods[pick % len(methods)]
    params = method.setdefault("parameters", {})
    schemas = doc["schemas"]
    schema_name = sorted(schemas)[pick % len(schemas)]
    if kind == "description":
        targets = [n for _, n in _walk(doc) if isinstance(n, dict) and "description" in n]
        targets += [doc]
        target = targets[pick % len(targets)]
        target["description"] = text
        doc["title"] = text[:200]
    elif kind == "rename_method":
        holder = _holders(doc, "methods")[pick % len(_holders(doc, "methods"))]
        _rename(holder, sorted(holder)[pick % len(holder)], name)
    elif kind == "rename_resource":
        holder = _holders(doc, "resources")[pick % len(_holders(doc, "resources"))]
        _rename(holder, sorted(holder)[pick % len(holder)], name)
    elif kind == "rename_parameter" and params and (name not in _MEDIA_ARGUMENTS or "mediaUpload" in method):
        old = sorted(params)[pick % len(params)]
        _rename(params, old, name)
        method["parameterOrder"] = [name if p == old else p for p in method.get("parameterOrder", [])]
    elif kind == "enum":
        size = [2, 3, 500][pick % 3]
        values = list(dict.fromkeys([text, name, *(f"V{i}" for i in range(size))]))
        params[name if name not in params else "extraEnum"] = {
            "type": "string",
            "location": "query",
            "repeated": bool(pick % 2),
            "enum": values,
            "enumDescriptions": [text] * len(values),
            "description": text,
        }
    elif kind == "pattern" and params:
        params[sorted(params)[pick % len(params)]]["pattern"] = PATTERNS[pick % len(PATTERNS)]
    elif kind == "rename_schema":
        new = name if name not in schemas else name + "2"
        _rename(schemas, schema_name, new)
        schemas[new]["id"] = new
        for _, node in _walk(doc):
            if isinstance(node, dict) and node.get("$ref") == schema_name:
                node["$ref"] = new
    elif kind == "rename_property":
        props = schemas[schema_name].setdefault("properties", {})
        props[name] = {"type": "string", "description": text}
    elif kind == "recursion":
        other = sorted(schemas)[(pick + 1) % len(schemas)]
        schemas[schema_name].setdefault("properties", {})["me"] = {"$ref": schema_name}
        schemas[schema_name]["properties"]["others"] = {"type": "array", "items": {"$ref": other}}
        schemas[other].setdefault("properties", {})["back"] = {
            "type": "object",
            "additionalProperties": {"$ref": schema_name},
        }
    elif kind == "deep":
        leaf = copy.deepcopy(method)
        leaf["path"] = "v1/{+name}/deep/{id}"
        leaf.setdefault("parameters", {})["id"] = {"type": "string", "location": "path", "required": True}
        tree: dict[str, Any] = {"methods": {name: leaf}}
        for level in range(6):
            tree = {"resources": {f"level{level}" if level else name: tree}}
        doc["resources"]["deep"] = tree
    elif kind == "root_method":
        doc.setdefault("methods", {})[name] = copy.deepcopy(method)
    elif kind == "media":
        method["supportsMediaDownload"] = True
        method["mediaUpload"] = {"accept": ["*/*"], "maxSize": "1MB", "protocols": {"simple": {"path": "/x"}}}
    elif kind == "path":
        method["path"] = ["v1/{+name}:x", "v1/{name}/{+name}", "v1/{name*}", "v1/{?name}", "v1/{na-me}"][pick % 5]
    elif kind == "api":
        doc["name"] = API_NAMES[pick % len(API_NAMES)]
        doc["version"] = VERSIONS[pick % len(VERSIONS)]


_counter = itertools.count()


def _generate(doc: dict[str, Any]) -> tuple[Any, Path]:
    """Render in-process into a fresh folder; return (IR, folder)."""
    text = json.dumps(doc)
    api = build_api(parse_document(text), source="hostile", package=f"hostile{next(_counter)}")
    assert naming.package_name(doc["name"]).isidentifier()
    files = render.render_package([api])
    folder = Path(tempfile.mkdtemp(dir=SANDBOX))
    for relative, content in files.items():
        target = folder / relative
        assert ".." not in Path(relative).parts and not Path(relative).is_absolute(), relative
        assert render._inside(folder, target), relative
        compile(content, relative, "exec")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    return api, folder


@settings(max_examples=220, phases=[Phase.explicit, Phase.generate])
@given(st.lists(mutation, min_size=1, max_size=3))
def test_hostile_documents(mutations: list[tuple[str, int, str, str]]) -> None:
    doc = copy.deepcopy(DOCUMENT)
    for kind, pick, text, name in mutations:
        mutate(doc, kind, pick, text, name)
        event(f"mutation: {kind}")
    api, folder = _generate(doc)
    sys.path.insert(0, str(folder))
    try:
        importlib.import_module(api.package)
        service_module = importlib.import_module(f"{api.package}.{api.module}.service")
        generated = service_module.build_service(http=HttpMock(), developerKey="k")
        try:
            dynamic = discovery.build_from_document(json.dumps(doc), http=HttpMock(), developerKey="k")
        except Exception:
            dynamic = None  # googleapiclient refuses it too: nothing to compare with
        event(f"dynamic client {'refuses' if dynamic is None else 'accepts'} the document")
        if dynamic is not None:
            report = parity.Report()
            parity.compare(dynamic, generated, where="hostile", report=report)
            assert not report.failures, report.failures[:5]
    finally:
        sys.path.remove(str(folder))
        for module in [m for m in sys.modules if m.split(".")[0] == api.package]:
            del sys.modules[module]
        shutil.rmtree(folder, ignore_errors=True)
    assert not SENTINEL.exists(), "a payload from the document was executed"


def test_media_body_parameter_without_media_upload() -> None:
    doc = copy.deepcopy(DOCUMENT)
    params = doc["resources"]["subscriptions"]["methods"]["create"]["parameters"]
    params["media_body"] = params.pop("validateOnly")
    api, folder = _generate(doc)
    sys.path.insert(0, str(folder))
    try:
        service = importlib.import_module(f"{api.package}.{api.module}.service").build_service(http=HttpMock())
        dynamic = discovery.build_from_document(json.dumps(doc), http=HttpMock())
        report = parity.Report()
        parity.compare(dynamic.subscriptions(), service.subscriptions(), where="subscriptions", report=report)
        assert not report.failures, report.failures
    finally:
        sys.path.remove(str(folder))
        for module in [m for m in sys.modules if m.split(".")[0] == api.package]:
            del sys.modules[module]


@pytest.mark.parametrize("name", ["__init__", "__class__", "_client"])
def test_names_the_runtime_cannot_host_are_refused(name: str) -> None:
    doc = copy.deepcopy(DOCUMENT)
    _rename(doc["resources"], sorted(doc["resources"])[0], name)
    with pytest.raises(DiscoveryError, match=re.escape(f"resources.{name}: the name {name!r} is reserved")):
        build_api(parse_document(json.dumps(doc)), source="hostile")


# Names a generated class can take although they mean something in Python or in the runtime.
ORDINARY = ["self", "cls", "kwargs", "http", "json", "type", "body", "close", "execute", "typing", "Any", "str"]


def test_python_names_that_are_not_dunders_work_in_a_document_of_their_own() -> None:
    """Kept apart from the dunder refusals: one refused name must not hide that all these work."""
    doc = copy.deepcopy(DOCUMENT)
    methods = doc["resources"]["subscriptions"]["methods"]
    for old, new in zip(sorted(methods), ORDINARY, strict=False):
        _rename(methods, old, new)
    _rename(doc["resources"], "operations", "json")
    for method in methods.values():
        params = method.get("parameters", {})
        for old, new in zip(sorted(p for p in params if p != "name"), ORDINARY[::-1], strict=False):
            _rename(params, old, new)
    api, folder = _generate(doc)
    sys.path.insert(0, str(folder))
    try:
        service = importlib.import_module(f"{api.package}.{api.module}.service").build_service(http=HttpMock())
        dynamic = discovery.build_from_document(json.dumps(doc), http=HttpMock())
        report = parity.Report()
        parity.compare(dynamic, service, where="ordinary", report=report)
        assert not report.failures, report.failures[:5]
        assert {"self", "cls", "kwargs", "http", "json", "type"} <= set(dir(service.subscriptions()))
        assert callable(service.json)
    finally:
        sys.path.remove(str(folder))
        for module in [m for m in sys.modules if m.split(".")[0] == api.package]:
            del sys.modules[module]


def teardown_module() -> None:
    shutil.rmtree(SANDBOX, ignore_errors=True)
