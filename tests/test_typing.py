"""The generated package and the examples type-check cleanly; deliberate mistakes are caught.

mypy --strict runs once over generated/workspaceevents, examples/ and
tests/typing/mistakes.py; pyright (strict, tests/typing/pyrightconfig.json)
runs once over the same files. The package and the examples must give no
diagnostic at all; in mistakes.py, the lines reported must be exactly the
lines marked ``# expect-error``.
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
TYPING = REPO / "tests" / "typing"
MISTAKES = TYPING / "mistakes.py"
CHECKED = ("generated/workspaceevents", "examples")
_MYPY_LINE = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+): (?P<severity>error|note): (?P<message>.*)$")


def _marked_lines() -> set[int]:
    lines = MISTAKES.read_text(encoding="utf-8").splitlines()
    return {number for number, text in enumerate(lines, start=1) if text.rstrip().endswith("# expect-error")}


def _relative(path: str) -> str:
    candidate = Path(path)
    if candidate.is_absolute() and candidate.resolve().is_relative_to(REPO):
        return candidate.resolve().relative_to(REPO).as_posix()
    return candidate.as_posix()


def _mypy(cache_dir: str) -> dict[str, list[str]]:
    """mypy's errors by file (paths relative to the repository)."""
    command = [
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--config-file",
        str(REPO / "pyproject.toml"),
        "--cache-dir",
        cache_dir,
        "--no-error-summary",
        "--show-absolute-path",
        *CHECKED,
        str(MISTAKES.relative_to(REPO)),
    ]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    errors: dict[str, list[str]] = {}
    for line in result.stdout.splitlines():
        match = _MYPY_LINE.match(line)
        if match and match["severity"] == "error":
            errors.setdefault(_relative(match["path"]), []).append(f"{match['line']}: {match['message']}")
    if result.returncode not in (0, 1) or (result.returncode == 1 and not errors):
        pytest.fail(f"mypy did not run:\n{result.stdout}\n{result.stderr}")
    return errors


@pytest.fixture(scope="module")
def mypy_errors(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    return _mypy(str(tmp_path_factory.mktemp("mypy-cache")))


def _pyright_command() -> list[str] | None:
    # pyright (the PyPI wrapper, a dev extra) needs node; without it the check is skipped.
    exe = Path(sys.executable).parent / "pyright"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("pyright")
    return [found] if found else None


@pytest.fixture(scope="module")
def pyright_errors() -> dict[str, list[str]]:
    command = _pyright_command()
    if command is None:
        pytest.skip("pyright is not installed: pip install pyright==1.1.414 (it is in the dev extra)")
    config = TYPING / "pyrightconfig.json"
    result = subprocess.run(
        [*command, "--outputjson", "-p", str(config), *CHECKED, str(MISTAKES.relative_to(REPO))],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except ValueError:
        pytest.skip(f"pyright could not run here: {(result.stderr or result.stdout).strip()[:500]}")
    errors: dict[str, list[str]] = {}
    for diagnostic in report["generalDiagnostics"]:
        if diagnostic["severity"] == "error":
            line = diagnostic["range"]["start"]["line"] + 1
            rule = diagnostic.get("rule", "")
            errors.setdefault(_relative(diagnostic["file"]), []).append(f"{line}: {diagnostic['message']} {rule}")
    return errors


def _outside_mistakes(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    mistakes = MISTAKES.relative_to(REPO).as_posix()
    return {path: found for path, found in errors.items() if path != mistakes}


def _listing(errors: dict[str, list[str]]) -> str:
    return "\n".join(f"{path}:{entry}" for path, found in sorted(errors.items()) for entry in found)


def _reported_lines(errors: dict[str, list[str]]) -> set[int]:
    found = errors.get(MISTAKES.relative_to(REPO).as_posix(), [])
    return {int(entry.split(":", 1)[0]) for entry in found}


def test_mypy_strict_finds_nothing_in_the_package_and_examples(mypy_errors: dict[str, list[str]]) -> None:
    unexpected = _outside_mistakes(mypy_errors)
    assert not unexpected, _listing(unexpected)


def test_mypy_reports_every_deliberate_mistake_and_nothing_else(mypy_errors: dict[str, list[str]]) -> None:
    marked = _marked_lines()
    assert len(marked) >= 8
    reported = _reported_lines(mypy_errors)
    assert sorted(marked - reported) == [], "mistakes mypy did not report"
    assert sorted(reported - marked) == [], "lines mypy reported that are not marked"


def test_pyright_strict_finds_nothing_in_the_package_and_examples(pyright_errors: dict[str, list[str]]) -> None:
    unexpected = _outside_mistakes(pyright_errors)
    assert not unexpected, _listing(unexpected)


def test_pyright_reports_every_deliberate_mistake_and_nothing_else(pyright_errors: dict[str, list[str]]) -> None:
    marked = _marked_lines()
    reported = _reported_lines(pyright_errors)
    assert sorted(marked - reported) == [], "mistakes pyright did not report"
    assert sorted(reported - marked) == [], "lines pyright reported that are not marked"
