"""Tiny single-feature documents and the exact output the generator makes for them.

Each ``tests/data/<case>.json`` has its expected package in ``tests/golden/<case>/``.
A failure prints the diff; if the change is intended, run ``make goldens``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from codegen.cli import compare_trees

TESTS = Path(__file__).resolve().parent
CASES = sorted(p.stem for p in (TESTS / "data").glob("*.json") if not p.stem.startswith("docs_"))


@pytest.mark.parametrize("case", CASES)
def test_output_matches_the_golden_copy(case: str, tmp_path: Path) -> None:
    document = TESTS / "data" / f"{case}.json"
    command = [sys.executable, "-m", "codegen", "generate", str(document), "--out", str(tmp_path)]
    result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=TESTS.parent)
    assert result.returncode == 0, result.stderr
    problems = compare_trees(tmp_path, TESTS / "golden" / case, [case])
    assert not problems, "".join(problems) + "\nIf this change is intended, run `make goldens`."
