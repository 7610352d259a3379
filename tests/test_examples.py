"""Every program under examples/ runs offline with ``--local`` and exits 0.

Each runs as a user runs it (``python examples/NAME.py --local``, a fresh
process, from a folder outside the repository), against
``workspaceevents.testing.LocalServer`` on 127.0.0.1. Bad command lines give a
one-line usage error and exit 2, with no traceback.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((REPO / "examples").glob("*.py"))


def _run(tmp_path: Path, script: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(script), *args], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize("script", EXAMPLES, ids=[path.name for path in EXAMPLES])
def test_example_runs_offline(script: Path, tmp_path: Path) -> None:
    result = _run(tmp_path, script, "--local")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_subscriptions_example_uses_every_method(tmp_path: Path) -> None:
    lines = _run(tmp_path, REPO / "examples" / "subscriptions.py", "--local").stdout.splitlines()
    assert any(line.startswith("operations/") and line.endswith("done=True") for line in lines)
    assert any(line.startswith("expires ") for line in lines)
    assert any("FAILED_PRECONDITION" in line for line in lines)  # reactivate of an ACTIVE subscription
    assert any(line.startswith("second delete: NOT_FOUND") for line in lines)


@pytest.mark.parametrize(
    "args",
    [(), ("spaces/A",), ("--token", "missing.json", "spaces/A", "projects/p/topics/t"), ("--bogus",)],
    ids=["no-arguments", "no-topic", "no-token-file", "unknown-option"],
)
def test_subscriptions_example_bad_input_is_one_clear_line(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = _run(tmp_path, REPO / "examples" / "subscriptions.py", *args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("subscriptions.py: error: ")


def test_the_live_path_needs_only_credentials() -> None:
    text = (REPO / "examples" / "subscriptions.py").read_text(encoding="utf-8")
    assert "developerKey" not in text and "WORKSPACEEVENTS_KEY" not in text
    assert "credentials=credentials" in text
