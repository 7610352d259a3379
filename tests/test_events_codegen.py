"""codegen.events: the spec renders the events package, only reachable schemas, and bad specs fail in one line."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from codegen.discovery import DiscoveryError
from codegen.events import build_events, export_order, render_events

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "discovery" / "workspace-events.json"
PINNED = REPO / "discovery" / "workspaceevents.v1.json"


def test_the_package_files_and_only_reachable_schemas() -> None:
    files = render_events(SPEC, "workspaceevents")
    assert sorted(files) == [
        "workspaceevents/events/__init__.py",
        "workspaceevents/events/payloads/__init__.py",
        "workspaceevents/events/payloads/chat_v1.py",
        "workspaceevents/events/payloads/drive_v3.py",
        "workspaceevents/events/payloads/meet_v2.py",
        "workspaceevents/events/payloads/workspaceevents_v1.py",
        "workspaceevents/events/types.py",
    ]
    chat = files["workspaceevents/events/payloads/chat_v1.py"]
    assert "class MessageCreatedEventData(TypedDict" in chat and "class Message(TypedDict" in chat
    assert "ListSpacesResponse" not in chat  # a response schema no payload reaches
    assert "class Subscription(TypedDict" in files["workspaceevents/events/payloads/workspaceevents_v1.py"]
    assert "ListSubscriptionsResponse" not in files["workspaceevents/events/payloads/workspaceevents_v1.py"]


def test_the_model_is_the_table() -> None:
    model = build_events(SPEC)
    rows = json.loads(SPEC.read_text(encoding="utf-8"))["events"]
    assert [e.info.type for e in model.events] == [row["type"] for row in rows]
    assert list(model.exports) == list(export_order(model.exports))


def _spec(tmp_path: Path, change: dict[str, Any] | None = None, row: dict[str, Any] | None = None) -> Path:
    for name in ("chat.v1.json", "meet.v2.json", "drive.v3.json", "workspaceevents.v1.json"):
        shutil.copy(REPO / "discovery" / name, tmp_path / name)
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    spec.update(change or {})
    if row is not None:
        spec["events"] = [{**spec["events"][0], **row}]
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "row", "problem"),
    [
        ({"documents": {"chat.v1": "missing.json"}}, None, "documents.chat.v1: cannot read missing.json"),
        ({"documents": {"chat.v2": "chat.v1.json"}}, None, "chat.v1.json is chat.v1"),
        ({"events": []}, None, "events: must be a non-empty list"),
        (None, {"payload": "chat.v1:NoSuchSchema"}, "events[0].payload: chat.v1 has no schema 'NoSuchSchema'"),
        (None, {"payload": "chat.v9:Message"}, "names no document"),
        (None, {"class": "not a class"}, "events[0].class"),
        (None, {"class": "Event"}, "already used by the module itself"),
        (None, {"extra": 1}, "events[0].extra: unknown key"),
        (None, {"payload": {"bad-member": "chat.v1:Message"}}, "not an identifier"),
    ],
)
def test_bad_specs_raise_one_error_naming_the_path(
    tmp_path: Path, change: dict[str, Any] | None, row: dict[str, Any] | None, problem: str
) -> None:
    with pytest.raises(DiscoveryError, match=re.escape(problem)):
        build_events(_spec(tmp_path, change, row))


def test_the_command_line_fails_in_one_line_and_writes_nothing(tmp_path: Path) -> None:
    spec = _spec(tmp_path, row={"payload": "chat.v1:NoSuchSchema"})
    out = tmp_path / "out"
    command = [sys.executable, "-m", "codegen", "generate", str(PINNED), "--out", str(out), "--events", str(spec)]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "NoSuchSchema" in lines[0] and "Traceback" not in result.stderr
    assert not out.exists()
