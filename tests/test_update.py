"""``codegen update``: diff, re-pin, regenerate, changelog; all in temporary folders.

The real pinned document and generated/ are never written: every test passes
``--pinned``, ``--out`` and ``--changelog`` under ``tmp_path``, and an autouse
fixture checks the real pinned file is byte-for-byte what it was.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from codegen.cli import main
from codegen.discovery import read_source
from tests.diff_cases import CASES, PINNED, pinned

PINNED_BYTES = PINNED.read_bytes()


@dataclass(frozen=True)
class Paths:
    pinned: Path
    out: Path
    changelog: Path

    def args(self) -> list[str]:
        return ["--pinned", str(self.pinned), "--out", str(self.out), "--changelog", str(self.changelog)]


@pytest.fixture(autouse=True)
def _real_pinned_untouched() -> Iterator[None]:
    yield
    assert PINNED.read_bytes() == PINNED_BYTES


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    (tmp_path / "discovery").mkdir()
    pinned_copy = tmp_path / "discovery" / PINNED.name
    pinned_copy.write_bytes(PINNED_BYTES)
    return Paths(pinned=pinned_copy, out=tmp_path / "generated", changelog=tmp_path / "CHANGELOG.md")


def _mutated(*names: str) -> dict[str, Any]:
    doc: dict[str, Any] = pinned()
    for name in names:
        next(c for c in CASES if c.name == name).mutate(doc)
    return doc


def _write(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return path


def _unchanged(paths: Paths) -> bool:
    return paths.pinned.read_bytes() == PINNED_BYTES and not paths.out.exists() and not paths.changelog.exists()


def test_update_repins_regenerates_and_logs(paths: Paths, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = _write(tmp_path / "new.json", _mutated("new_method", "remove_parameter", "revision"))
    assert main(["update", str(new), *paths.args()]) == 0
    out = capsys.readouterr().out
    assert "semver bump: major" in out
    assert "method workspaceevents.subscriptions.watch: added" in out
    assert paths.pinned.read_bytes() == new.read_bytes()
    service = (paths.out / "workspaceevents" / "v1" / "service.py").read_text(encoding="utf-8")
    assert "revision 20991231" in service
    resources = "".join(p.read_text(encoding="utf-8") for p in (paths.out / "workspaceevents").rglob("*.py"))
    assert "def watch(" in resources
    log = paths.changelog.read_text(encoding="utf-8")
    assert log.startswith("# Changelog\n")
    assert "## workspaceevents.v1 revision 20991231" in log
    assert "semver bump: **major**" in log
    assert "- `method workspaceevents.subscriptions.delete, parameter etag`: removed" in log
    assert not list(paths.pinned.parent.glob(".*"))  # no temporary files left beside the pinned copy


def test_second_update_is_a_no_op_and_changelog_appends(
    paths: Paths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths.changelog.write_text("# Changelog\n\n## earlier entry\n", encoding="utf-8")
    first = _write(tmp_path / "first.json", _mutated("new_scope"))
    assert main(["update", str(first), *paths.args()]) == 0
    log = paths.changelog.read_text(encoding="utf-8")
    assert log.startswith("# Changelog\n\n## earlier entry\n\n## workspaceevents.v1 revision 20261004\n")
    assert "semver bump: **minor**" in log
    capsys.readouterr()
    assert main(["update", str(first), *paths.args()]) == 0
    assert "already up to date" in capsys.readouterr().out
    assert paths.changelog.read_text(encoding="utf-8") == log
    second = _write(tmp_path / "second.json", _mutated("new_scope", "method_description"))
    assert main(["update", str(second), *paths.args()]) == 0
    assert paths.changelog.read_text(encoding="utf-8").count("## workspaceevents.v1") == 2


def test_default_source_is_the_bundled_document(paths: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    _write(paths.pinned, _mutated("remove_method"))  # pretend we pinned an older revision
    assert main(["update", *paths.args()]) == 0
    assert "method workspaceevents.subscriptions.reactivate: added" in capsys.readouterr().out
    assert paths.pinned.read_text(encoding="utf-8") == read_source("workspaceevents.v1")[0]
    assert (paths.out / "workspaceevents" / "v1" / "service.py").is_file()


def test_dry_run_changes_nothing(paths: Paths, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = _write(tmp_path / "new.json", _mutated("new_method"))
    assert main(["update", str(new), "--dry-run", *paths.args()]) == 0
    assert "semver bump: minor" in capsys.readouterr().out
    assert _unchanged(paths)


@pytest.mark.parametrize("problem", ["invalid json", "other api", "ungeneratable", "missing file", "bad ref"])
def test_bad_input_exits_2_and_changes_nothing(
    paths: Paths, tmp_path: Path, capsys: pytest.CaptureFixture[str], problem: str
) -> None:
    source = tmp_path / "new.json"
    if problem == "invalid json":
        source.write_text("{", encoding="utf-8")
    elif problem == "other api":
        _write(source, {**pinned(), "name": "drive", "version": "v3"})
    elif problem == "ungeneratable":
        doc = pinned()
        doc["resources"]["subscriptions"]["methods"]["get"]["parameterOrder"] = ["name", "nope"]
        _write(source, doc)
    elif problem == "bad ref":
        doc = pinned()
        doc["schemas"]["Subscription"]["properties"]["etag"] = {"$ref": "Nowhere"}
        _write(source, doc)
    assert main(["update", str(source), *paths.args()]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert _unchanged(paths)


class _Handler(http.server.BaseHTTPRequestHandler):
    body = b""

    def do_GET(self) -> None:
        status = 200 if self.path == "/workspaceevents.v1.json" else 404
        self.send_response(status)
        self.end_headers()
        if status == 200:
            self.wfile.write(self.body)

    def log_message(self, format: str, *args: Any) -> None:  # silence the test output
        del format, args


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, bytes]]:
    """A local http server (no network needed) serving one mutated document."""
    body = json.dumps(_mutated("new_property")).encode("utf-8")
    handler = type("Handler", (_Handler,), {"body": body})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", body
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_update_from_url(paths: Paths, server: tuple[str, bytes], capsys: pytest.CaptureFixture[str]) -> None:
    url, body = server
    assert main(["update", f"{url}/workspaceevents.v1.json", *paths.args()]) == 0
    assert "schema Subscription, property labels: added" in capsys.readouterr().out
    assert paths.pinned.read_bytes() == body


def test_update_from_missing_url_is_bad_input(
    paths: Paths, server: tuple[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    url, _ = server
    assert main(["update", f"{url}/nothing.json", *paths.args()]) == 2
    err = capsys.readouterr().err
    assert "cannot fetch" in err and err.count("\n") == 1
    assert _unchanged(paths)
