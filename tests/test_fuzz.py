"""Fuzzed documents through every command: exit 0 or 2, one line on error, no traceback, output whole or untouched.

Structure-aware: each document is a small but complete discovery document
(every feature the generator reads: global and method parameters with enums,
patterns and bounds, nested resources, media, schemas with arrays, maps and
references) with one to three mutations at JSON paths drawn from the document
itself: a value swapped for another JSON type, null, a huge or a tiny value,
a key deleted, a name replaced with odd characters (``/``, NUL, dunders,
``javascript:``, 300 characters...), or deep nesting.

Each document runs through ``generate --docs``, ``docs``, ``diff``, ``check``
and ``update`` in-process (``codegen.cli.main``), in a sandbox folder whose
output folders already hold an earlier generation. Asserted for each run:
no exception escapes; the status is 0 or 2 (``diff`` and ``update`` may also
say 1: breaking; ``check`` 1: stale); status 2 prints exactly one line
``error: ...`` and nothing else; no file appears or changes outside the
output folders; a failed run leaves them byte for byte as they were; a
successful generate is complete (``check`` then finds it up to date).

Formatting with ruff is replaced by a no-op and the Python templates'
environment is reused: neither is about input, and they would take most of
the time. ``FUZZ_EXAMPLES`` sets the count (default 2,000).
"""

from __future__ import annotations

import contextlib
import copy
import functools
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import Phase
from hypothesis import strategies as st

from codegen import render
from codegen.cli import main
from tests.strategies import event, given, settings

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2000"))

_NAME = {"type": "string", "location": "path", "required": True, "pattern": "^things/[^/]+$"}
BASE: dict[str, Any] = {
    "kind": "discovery#restDescription",
    "name": "fuzzy",
    "version": "v1",
    "revision": "20260101",
    "title": "Fuzzy API",
    "description": "A document for fuzzing.",
    "rootUrl": "https://fuzzy.example.com/",
    "mtlsRootUrl": "https://fuzzy.mtls.example.com/",
    "servicePath": "",
    "batchPath": "batch",
    "auth": {"oauth2": {"scopes": {"https://example.com/auth/fuzzy": {"description": "Everything."}}}},
    "parameters": {
        "alt": {"type": "string", "location": "query", "default": "json", "enum": ["json", "media"]},
        "prettyPrint": {"type": "boolean", "location": "query", "default": "true"},
    },
    "schemas": {
        "Thing": {
            "id": "Thing",
            "type": "object",
            "description": "A thing.",
            "properties": {
                "name": {"type": "string"},
                "size": {"type": "integer", "format": "int32", "minimum": "0", "maximum": "10"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "parent": {"$ref": "Thing"},
                "state": {"type": "string", "enum": ["ON", "OFF"], "enumDescriptions": ["On.", "Off."]},
            },
        },
        "ListThingsResponse": {
            "id": "ListThingsResponse",
            "type": "object",
            "properties": {
                "things": {"type": "array", "items": {"$ref": "Thing"}},
                "nextPageToken": {"type": "string"},
            },
        },
    },
    "resources": {
        "things": {
            "methods": {
                "get": {
                    "id": "fuzzy.things.get",
                    "path": "v1/{+name}",
                    "flatPath": "v1/things/{thingsId}",
                    "httpMethod": "GET",
                    "description": "Gets a thing.",
                    "parameters": {"name": _NAME},
                    "parameterOrder": ["name"],
                    "response": {"$ref": "Thing"},
                    "scopes": ["https://example.com/auth/fuzzy"],
                },
                "list": {
                    "id": "fuzzy.things.list",
                    "path": "v1/things",
                    "httpMethod": "GET",
                    "parameters": {
                        "pageSize": {"type": "integer", "location": "query", "format": "int32", "minimum": "1"},
                        "pageToken": {"type": "string", "location": "query"},
                        "view": {"type": "string", "location": "query", "enum": ["BASIC", "FULL"], "repeated": True},
                    },
                    "response": {"$ref": "ListThingsResponse"},
                },
                "upload": {
                    "id": "fuzzy.things.upload",
                    "path": "v1/{+name}:upload",
                    "httpMethod": "POST",
                    "parameters": {"name": _NAME},
                    "parameterOrder": ["name"],
                    "request": {"$ref": "Thing"},
                    "response": {"$ref": "Thing"},
                    "supportsMediaDownload": True,
                    "mediaUpload": {
                        "accept": ["*/*"],
                        "maxSize": "10MB",
                        "protocols": {"simple": {"multipart": True, "path": "/upload/v1/{+name}:upload"}},
                    },
                },
            },
            "resources": {
                "parts": {
                    "methods": {
                        "delete": {
                            "id": "fuzzy.things.parts.delete",
                            "path": "v1/{+name}",
                            "httpMethod": "DELETE",
                            "parameters": {"name": _NAME, "force": {"type": "boolean", "location": "query"}},
                            "parameterOrder": ["name"],
                            "deprecated": True,
                        }
                    }
                }
            },
        }
    },
}
BASE_TEXT = json.dumps(BASE)

ODD_NAMES = [
    "/",
    "a/b",
    "..",
    "\x00",
    "a\x00b",
    "\\",
    "",
    " ",
    "\n",
    "\u2028",
    "__init__",
    "__class__",
    "_client",
    "self",
    "cls",
    "kwargs",
    "http",
    "json",
    "type",
    "javascript:alert(document.domain);",
    " JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "<b>x</b>",
    '"',
    "'",
    "{{x}}",
    "é",
    "\ud800",
    "1st",
    "index",
    "a" * 300,
]
HUGE = ["x" * 20_000, 10**30, -(10**30), 1e308, "9" * 400]
TINY = ["", 0, -1, 0.5, [], {}, False, True]


def _deep(depth: int) -> Any:
    node: Any = {"type": "string"}
    for _ in range(depth):
        node = {"type": "object", "properties": {"p": node}}
    return node


OPERATIONS = ["null", "swap", "huge", "tiny", "delete", "rename", "odd_value", "deep", "insert"]
mutation = st.tuples(
    st.sampled_from(OPERATIONS),
    st.integers(0, 10**6),
    st.sampled_from(ODD_NAMES),
    st.sampled_from(HUGE),
    st.sampled_from(TINY),
)


def _paths(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*path, index))


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> None:
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def mutate(doc: dict[str, Any], operation: str, pick: int, name: str, huge: Any, tiny: Any) -> None:
    places = [(p, v) for p, v in _paths(doc) if p]
    path, value = places[pick % len(places)]
    parent: Any = doc
    for key in path[:-1]:
        parent = parent[key]
    if operation == "null":
        _set(doc, path, None)
    elif operation == "swap":
        swaps: list[Any] = [42, "text", [value], {"v": value}, True, None]
        _set(doc, path, swaps[pick % len(swaps)])
    elif operation == "huge":
        _set(doc, path, huge)
    elif operation == "tiny":
        _set(doc, path, tiny)
    elif operation == "delete":
        del parent[path[-1]]
    elif operation == "rename" and isinstance(parent, dict):
        items = [(name if k == path[-1] else k, v) for k, v in parent.items()]
        parent.clear()
        parent.update(items)
    elif operation == "odd_value":
        _set(doc, path, name)
    elif operation == "deep":
        _set(doc, path, _deep(20 + pick % 200))
    elif operation == "insert":
        holders = [v for p, v in _paths(doc) if isinstance(v, dict) and p and p[-1] in _NAMED]
        if holders:
            holder = holders[pick % len(holders)]
            template = next(iter(holder.values()), {"type": "string"})
            holder[name] = copy.deepcopy(template)


_NAMED = {"resources", "methods", "parameters", "properties", "schemas", "scopes"}


def _snapshot(folder: Path) -> dict[str, bytes | None]:
    return {
        str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(folder.rglob("*"))
        if "__pycache__" not in p.parts
    }


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module", autouse=True)
def _no_ruff() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render, "format_python", lambda paths: None)
        # One environment for the run: compiling the templates again for every document is most of the time.
        patch.setattr(render, "python_environment", functools.cache(render.python_environment))
        yield


@pytest.fixture(scope="module")
def prepared() -> Iterator[Path]:
    """A sandbox template: the base document, and output folders generated from it."""
    root = Path(tempfile.mkdtemp(prefix="fuzz-"))
    (root / "base.json").write_text(BASE_TEXT, encoding="utf-8")
    status, _, err = _run(
        ["generate", str(root / "base.json"), "--out", str(root / "out"), "--docs", str(root / "html")]
    )
    assert status == 0, err
    yield root
    shutil.rmtree(root, ignore_errors=True)


OUTPUTS = ("out", "html", "upd", "pinned.json", "CHANGELOG.md")
# Each command, and the statuses it may give besides 0 and 2.
COMMANDS: dict[str, frozenset[int]] = {
    "generate": frozenset(),
    "docs": frozenset(),
    "diff": frozenset({1}),
    "check": frozenset({1}),
    "update": frozenset({1}),
}


def _argv(command: str, sandbox: Path) -> list[str]:
    doc = str(sandbox / "doc.json")
    if command == "generate":
        return ["generate", doc, "--out", str(sandbox / "out"), "--docs", str(sandbox / "html")]
    if command == "docs":
        return ["docs", doc, "--out", str(sandbox / "html")]
    if command == "diff":
        return ["diff", str(sandbox / "base.json"), doc]
    if command == "check":
        return ["check", doc, "--out", str(sandbox / "out"), "--docs", str(sandbox / "html")]
    return [
        "update",
        doc,
        "--pinned",
        str(sandbox / "pinned.json"),
        "--out",
        str(sandbox / "upd"),
        "--changelog",
        str(sandbox / "CHANGELOG.md"),
        "--allow-breaking",
    ]


@settings(max_examples=EXAMPLES, phases=[Phase.explicit, Phase.generate, Phase.shrink])
@given(st.lists(mutation, min_size=1, max_size=3), st.sampled_from(sorted(COMMANDS)))
def test_fuzzed_documents(prepared: Path, mutations: list[tuple[str, int, str, Any, Any]], command: str) -> None:
    doc = json.loads(BASE_TEXT)
    for operation, pick, name, huge, tiny in mutations:
        mutate(doc, operation, pick, name, huge, tiny)
        event(f"mutation: {operation}")
    sandbox = Path(tempfile.mkdtemp(prefix="case-", dir=prepared))
    try:
        for entry in ("out", "html"):
            shutil.copytree(prepared / entry, sandbox / entry)
        shutil.copy(prepared / "base.json", sandbox / "base.json")
        shutil.copy(prepared / "base.json", sandbox / "pinned.json")
        try:
            text = json.dumps(doc)
        except (RecursionError, ValueError):
            text = BASE_TEXT
        (sandbox / "doc.json").write_text(text, encoding="utf-8", errors="surrogatepass")
        before = _snapshot(sandbox)
        status, out, err = _run(_argv(command, sandbox))
        event(f"{command}: exit {status}")
        assert status in {0, 2} | COMMANDS[command], (command, status, err)
        assert "Traceback" not in err
        after = _snapshot(sandbox)
        outside = {k: v for k, v in after.items() if not k.startswith(OUTPUTS)}
        assert outside == {k: v for k, v in before.items() if not k.startswith(OUTPUTS)}, "written outside the output"
        if status == 2:
            assert out == "", (command, out)
            assert err.startswith("error: ") and err.endswith("\n") and err.count("\n") == 1, (command, err)
        if status != 0 or command in {"diff", "check"}:
            assert after == before, f"{command} exit {status} changed the output"
        elif command == "generate":
            again, _, err = _run(_argv("check", sandbox))
            assert again == 0, f"generate exit 0, but check says: {err}"
    finally:
        shutil.rmtree(sandbox, ignore_errors=True)
