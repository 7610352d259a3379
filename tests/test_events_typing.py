"""isinstance narrows event.data: tests/typing_events/ under mypy --strict and pyright strict.

narrowing.py must give no diagnostic at all (``make typecheck`` checks it too); in mistakes.py the lines
reported must be exactly the lines marked ``# expect-error``. mistakes.py is kept as ``mistakes.py.txt`` and
copied to a temporary folder, so the repository's own type check never sees its deliberate errors.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FOLDER = REPO / "tests" / "typing_events"
CLEAN = FOLDER / "narrowing.py"
MISTAKES_SOURCE = FOLDER / "mistakes.py.txt"
_MYPY_LINE = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+): error: (?P<message>.*)$")


@pytest.fixture
def mistakes(tmp_path: Path) -> Path:
    path = tmp_path / "mistakes.py"
    path.write_text(MISTAKES_SOURCE.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def _marked() -> set[int]:
    lines = MISTAKES_SOURCE.read_text(encoding="utf-8").splitlines()
    return {number for number, text in enumerate(lines, start=1) if text.rstrip().endswith("# expect-error")}


def _by_file(found: list[tuple[str, int, str]]) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    for path, line, _ in found:
        out.setdefault(Path(path).name, set()).add(line)
    return out


def test_mypy_strict_narrows(tmp_path: Path, mistakes: Path) -> None:
    command = [sys.executable, "-m", "mypy", "--strict", "--config-file", str(REPO / "pyproject.toml")]
    command += ["--cache-dir", str(tmp_path / "cache"), "--no-error-summary", str(CLEAN), str(mistakes)]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    found = [(m["path"], int(m["line"]), m["message"]) for m in map(_MYPY_LINE.match, result.stdout.splitlines()) if m]
    if result.returncode not in (0, 1) or (result.returncode == 1 and not found):
        pytest.fail(f"mypy did not run:\n{result.stdout}\n{result.stderr}")
    lines = _by_file(found)
    assert "narrowing.py" not in lines, result.stdout
    assert lines.get("mistakes.py", set()) == _marked(), result.stdout


def test_pyright_strict_narrows(tmp_path: Path, mistakes: Path) -> None:
    exe = Path(sys.executable).parent / "pyright"
    command = [str(exe)] if exe.exists() else ([found] if (found := shutil.which("pyright")) else None)
    if command is None:
        pytest.skip("pyright is not installed: pip install pyright (it is in the dev extra)")
    config = tmp_path / "pyrightconfig.json"
    settings = json.loads((FOLDER / "pyrightconfig.json").read_text(encoding="utf-8"))
    settings.update(
        include=[str(CLEAN), str(mistakes)],
        extraPaths=[str(REPO / "generated"), str(REPO)],
        venvPath=str(REPO),
    )
    config.write_text(json.dumps(settings), encoding="utf-8")
    result = subprocess.run(
        [*command, "--outputjson", "-p", str(config), str(CLEAN), str(mistakes)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except ValueError:
        pytest.skip(f"pyright could not run here: {(result.stderr or result.stdout).strip()[:300]}")
    diagnostics = [
        (str(d["file"]), int(d["range"]["start"]["line"]) + 1, str(d["message"]))
        for d in report["generalDiagnostics"]
        if d["severity"] == "error"
    ]
    lines = _by_file(diagnostics)
    assert "narrowing.py" not in lines, diagnostics
    assert lines.get("mistakes.py", set()) == _marked(), diagnostics
