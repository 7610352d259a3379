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
from tests.test_fetch import Servers, servers

__all__ = ["servers"]  # the https fixture, shared with test_fetch

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
    assert main(["update", str(new), "--allow-breaking", *paths.args()]) == 0
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
    assert "## workspaceevents.v1 revision 20991231 (BREAKING, accepted with --allow-breaking)\n" in log
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
    assert "BREAKING" not in paths.changelog.read_text(encoding="utf-8")
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


@pytest.mark.parametrize("case", ["remove_method", "root_url_changed", "pattern_tightened", "service_path_changed"])
def test_breaking_change_is_refused_without_the_flag(
    paths: Paths, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    new = _write(tmp_path / "new.json", _mutated(case, "new_method"))
    assert main(["update", str(new), *paths.args()]) == 1
    captured = capsys.readouterr()
    assert "semver bump: major" in captured.out
    assert captured.err.startswith("error: new.json: ") and captured.err.count("\n") == 1, captured.err
    assert "--allow-breaking accepts them" in captured.err
    assert _unchanged(paths)
    # --dry-run with the flag reports and still changes nothing.
    assert main(["update", str(new), "--allow-breaking", "--dry-run", *paths.args()]) == 0
    assert _unchanged(paths)


def test_everything_or_nothing_when_the_output_is_foreign(paths: Paths, tmp_path: Path) -> None:
    """A folder update may not replace: the pinned copy and the changelog stay as they were too."""
    (paths.out / "workspaceevents").mkdir(parents=True)
    (paths.out / "workspaceevents" / "mine.py").write_text("# hand-written\n", encoding="utf-8")
    new = _write(tmp_path / "new.json", _mutated("new_method"))
    assert main(["update", str(new), *paths.args()]) != 0
    assert paths.pinned.read_bytes() == PINNED_BYTES and not paths.changelog.exists()
    assert (paths.out / "workspaceevents" / "mine.py").read_text(encoding="utf-8") == "# hand-written\n"


@pytest.mark.parametrize("flag", ["--max-bytes", "--timeout", "--connect-timeout"])
def test_bad_fetch_flags_are_one_line(paths: Paths, capsys: pytest.CaptureFixture[str], flag: str) -> None:
    assert main(["update", "https://127.0.0.1:1/x.json", flag, "lots", *paths.args()]) == 2
    err = capsys.readouterr().err
    assert err == f"error: {flag}: not a number: 'lots'\n"
    assert _unchanged(paths)


class _Handler(http.server.BaseHTTPRequestHandler):
    body = b""
    moved = json.dumps({**pinned(), "rootUrl": "http://attacker.example/"}).encode("utf-8")

    def do_GET(self) -> None:
        bodies = {"/workspaceevents.v1.json": self.body, "/moved.json": self.moved}
        status = 200 if self.path in bodies else 404
        self.send_response(status)
        self.end_headers()
        if status == 200:
            self.wfile.write(bodies[self.path])

    def log_message(self, format: str, *args: Any) -> None:  # silence the test output
        del format, args


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, bytes]]:
    """A local plain-http server (no network needed) serving mutated documents."""
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
    assert main(["update", f"{url}/workspaceevents.v1.json", "--allow-http", *paths.args()]) == 0
    assert "schema Subscription, property labels: added" in capsys.readouterr().out
    assert paths.pinned.read_bytes() == body


def test_plain_http_is_refused_without_the_flag(
    paths: Paths, server: tuple[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    url, _ = server
    assert main(["update", f"{url}/workspaceevents.v1.json", *paths.args()]) == 2
    err = capsys.readouterr().err
    assert "only https URLs are fetched" in err and err.count("\n") == 1
    assert _unchanged(paths)


def test_swapped_root_url_needs_approval(
    paths: Paths, server: tuple[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    url, _ = server
    assert main(["update", f"{url}/moved.json", "--allow-http", *paths.args()]) == 1
    captured = capsys.readouterr()
    assert "document rootUrl: 'https://workspaceevents.googleapis.com/' -> 'http://attacker.example/'" in captured.out
    assert "host 'workspaceevents.googleapis.com' -> 'attacker.example'" in captured.out
    assert _unchanged(paths)


def test_update_over_https_with_a_ca_file(paths: Paths, servers: Servers, capsys: pytest.CaptureFixture[str]) -> None:
    source = f"{servers.https}/doc"
    assert main(["update", source, "--ca-file", str(servers.ca_file), *paths.args()]) == 0
    assert "already up to date" in capsys.readouterr().out
    assert main(["update", source, *paths.args()]) == 2  # the system's CAs do not know the test's
    assert "CERTIFICATE_VERIFY_FAILED" in capsys.readouterr().err
    assert _unchanged(paths)


def test_update_from_missing_url_is_bad_input(
    paths: Paths, server: tuple[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    url, _ = server
    assert main(["update", f"{url}/nothing.json", "--allow-http", *paths.args()]) == 2
    err = capsys.readouterr().err
    assert "HTTP status 404" in err and err.count("\n") == 1
    assert _unchanged(paths)
