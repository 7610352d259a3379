"""Documents the generator must refuse: exit status 2, one line naming the JSON path, output untouched."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent

GOOD: dict[str, Any] = {
    "name": "tiny",
    "version": "v1",
    "rootUrl": "https://tiny.example.com/",
    "servicePath": "",
    "schemas": {"Node": {"id": "Node", "type": "object", "properties": {"name": {"type": "string"}}}},
    "resources": {
        "things": {
            "methods": {
                "get": {
                    "id": "tiny.things.get",
                    "path": "v1/{name}",
                    "httpMethod": "GET",
                    "parameters": {"name": {"type": "string", "location": "path", "required": True}},
                    "response": {"$ref": "Node"},
                }
            }
        }
    },
}


def _mutated(path: tuple[str | int, ...], value: Any) -> str:
    doc = copy.deepcopy(GOOD)
    node: Any = doc
    for key in path[:-1]:
        node = node[key]
    if value is _DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return json.dumps(doc)


_DELETE = object()


def _nested(depth: int) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "string"}
    for _ in range(depth):
        node = {"type": "object", "properties": {"p": node}}
    return node


_GET = ("resources", "things", "methods", "get")

# (case, document text, the JSON path the message must name)
CASES: list[tuple[str, str | bytes, str]] = [
    ("not json", "{", "$: not valid JSON"),
    ("not utf-8", b'{"name": "\xff"}', "$: not valid UTF-8"),
    ("top level array", "[]", "$: expected an object, got an array"),
    ("name is a number", _mutated(("name",), 5), "name: expected a string, got a number"),
    ("missing rootUrl", _mutated(("rootUrl",), _DELETE), "rootUrl: missing"),
    ("missing resources", _mutated(("resources",), _DELETE), "resources: missing"),
    ("resources is a list", _mutated(("resources",), []), "resources: expected an object, got an array"),
    ("method is a string", _mutated((*_GET,), "get"), "resources.things.methods.get: expected an object"),
    (
        "missing httpMethod",
        _mutated((*_GET, "httpMethod"), _DELETE),
        "resources.things.methods.get.httpMethod: missing",
    ),
    (
        "unresolvable $ref",
        _mutated((*_GET, "response", "$ref"), "Nope"),
        "resources.things.methods.get.response.$ref: unresolvable reference 'Nope'",
    ),
    (
        "unresolvable $ref in a schema",
        _mutated(("schemas", "Node", "properties", "name"), {"$ref": "Gone"}),
        "schemas.Node.properties.name.$ref: unresolvable reference 'Gone'",
    ),
    (
        "unknown parameter type",
        _mutated((*_GET, "parameters", "name", "type"), "uuid"),
        "resources.things.methods.get.parameters.name.type: unknown type 'uuid'",
    ),
    (
        "required is a string",
        _mutated((*_GET, "parameters", "name", "required"), "yes"),
        "resources.things.methods.get.parameters.name.required: expected a boolean",
    ),
    (
        "enum of numbers",
        _mutated((*_GET, "parameters", "name", "enum"), [1, 2]),
        "resources.things.methods.get.parameters.name.enum: expected a list of strings",
    ),
    (
        "bad pattern",
        _mutated((*_GET, "parameters", "name", "pattern"), "(["),
        "resources.things.methods.get.parameters.name.pattern: not a regular expression",
    ),
    (
        "parameterOrder names nothing",
        _mutated((*_GET, "parameterOrder"), ["ghost"]),
        "resources.things.methods.get.parameterOrder: names no parameter 'ghost'",
    ),
    ("array without items", _mutated(("schemas", "Node", "type"), "array"), "schemas.Node.items: missing"),
    (
        "a method name the runtime needs",
        _mutated(("resources", "things", "methods"), {"_client": GOOD["resources"]["things"]["methods"]["get"]}),
        "resources.things.methods._client: the name '_client' is reserved",
    ),
    (
        "bad maxSize",
        _mutated((*_GET, "mediaUpload"), {"maxSize": "lots"}),
        "resources.things.methods.get.mediaUpload.maxSize",
    ),
    (
        "$ref is null",
        _mutated((*_GET, "response", "$ref"), None),
        "resources.things.methods.get.response.$ref: expected a string, got null",
    ),
    ("items is null", _mutated(("schemas", "Node"), {"type": "array", "items": None}), "schemas.Node.items: expected"),
    ("response is null", _mutated((*_GET, "response"), None), "resources.things.methods.get.response: expected an"),
    (
        "additionalProperties is null",
        _mutated(("schemas", "Node", "additionalProperties"), None),
        "schemas.Node.additionalProperties: expected an object, got null",
    ),
    (
        "minimum is an object",
        _mutated((*_GET, "parameters", "name", "minimum"), {"x": 1}),
        "resources.things.methods.get.parameters.name.minimum: expected a string, got an object",
    ),
    (
        "deprecated is a string",
        _mutated((*_GET, "deprecated"), "yes"),
        "resources.things.methods.get.deprecated: expected a boolean",
    ),
    (
        "deep nesting",
        _mutated(("schemas", "Node", "properties", "name"), _nested(150)),
        "schemas.Node.properties.name.properties.p.properties.p.",
    ),
    ("deeper than json can read", "[" * 100_000 + "]" * 100_000, "nested deeper than 100 levels"),
    ("name too long", _mutated(("name",), "n" * 129), "name: name longer than 128 characters"),
    (
        "newline in a resource name",
        _mutated(("resources",), {"a\nb": {"methods": {"get": {"id": "x", "path": "v1/x"}}}}),
        "resources.a\\x0ab.methods.get.httpMethod: missing",
    ),
]


def _snapshot(folder: Path) -> dict[str, bytes | None]:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None) for p in sorted(folder.rglob("*"))}


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An output folder that already holds a package of the same name and an unrelated file."""
    folder = tmp_path / "out"
    (folder / "tiny" / "v1").mkdir(parents=True)
    (folder / "tiny" / "__init__.py").write_text("# an earlier generation\n")
    (folder / "tiny" / "v1" / "service.py").write_bytes(b"# keep me\r\n\x00")
    (folder / "unrelated.txt").write_text("not ours\n")
    return folder


@pytest.mark.parametrize(("case", "text", "message"), CASES, ids=[c[0] for c in CASES])
def test_refused_with_one_line_and_output_untouched(
    case: str, text: str | bytes, message: str, out: Path, tmp_path: Path
) -> None:
    source = tmp_path / "tiny.v1.json"
    source.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    before = _snapshot(out)
    result = subprocess.run(
        [sys.executable, "-m", "codegen", "generate", str(source), "--out", str(out)],
        cwd=REPO,
        env={**os.environ, "PYTHONHASHSEED": "0"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2, (case, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and result.stderr.endswith("\n"), result.stderr
    assert message in lines[0], lines[0]
    assert "Traceback" not in result.stderr
    assert _snapshot(out) == before


def test_the_unmutated_document_is_accepted(tmp_path: Path) -> None:
    source = tmp_path / "tiny.v1.json"
    source.write_text(json.dumps(GOOD))
    result = subprocess.run(
        [sys.executable, "-m", "codegen", "generate", str(source), "--out", str(tmp_path / "out")],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
