"""tools/conformance: the exclusions file, the JUnit parsing and the route's document matching.

The run itself (``make conformance``) downloads an sdist and runs a whole
suite twice; CI runs it. These tests cover its parts offline.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest
import workspaceevents

from tests.conftest import DOCUMENT_TEXT, REPO

sys.path.insert(0, str(REPO / "tools"))
driver: Any = importlib.import_module("conformance.__main__")
route: Any = importlib.import_module("conformance.route")


def test_the_exclusions_file_parses_and_every_entry_has_a_reason() -> None:
    exclusions = driver.load_exclusions()
    assert exclusions
    assert all(reason for reason in exclusions.values())
    assert len(exclusions) <= 3  # a few, by policy


def test_a_malformed_exclusion_is_one_line_naming_the_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "exclusions.txt"
    bad.write_text("# comment\ntests.x::test_y\n", encoding="utf-8")
    monkeypatch.setattr(driver, "EXCLUSIONS", bad)
    with pytest.raises(driver.SetupError, match=r"exclusions.txt:2: expected '<test id> \| <reason>'"):
        driver.load_exclusions()


def test_junit_outcomes_count_errors_as_failures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report = tmp_path / "report.xml"
    report.write_text(
        """<testsuites><testsuite>
        <testcase classname="tests.a.T" name="test_ok"/>
        <testcase classname="tests.a.T" name="test_fail"><failure message="x"/></testcase>
        <testcase classname="tests.a.T" name="test_skip"><skipped message="y"/></testcase>
        <testcase classname="tests.a.T" name="test_teardown"/>
        <testcase classname="tests.a.T" name="test_teardown"><error message="z"/></testcase>
        </testsuite></testsuites>""",
        encoding="utf-8",
    )

    class Done:
        returncode = 0
        stdout = "conformance route: static services built: x=1\n"
        stderr = ""

    monkeypatch.setattr(driver.subprocess, "run", lambda *args, **kwargs: Done())
    outcomes, line = driver.run_suite(tmp_path, report, [], {})
    assert outcomes == {
        "tests.a.T::test_ok": "passed",
        "tests.a.T::test_fail": "failed",
        "tests.a.T::test_skip": "skipped",
        "tests.a.T::test_teardown": "failed",
    }
    assert line.endswith("x=1")


def test_the_route_takes_exactly_the_generated_document(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(route, "ROUTES", {})
    route._load("workspaceevents")
    # By name: another test may have re-imported the package.
    assert route._match(DOCUMENT_TEXT).__name__ == workspaceevents.__name__
    assert route._match(DOCUMENT_TEXT.encode("utf-8")).__name__ == workspaceevents.__name__
    edited = json.loads(DOCUMENT_TEXT)
    edited["description"] = "edited by a test"
    assert route._match(edited) is None
    assert route._match("{") is None
    assert route._match(b"\xef\xbb\xbf" + DOCUMENT_TEXT.encode("utf-8")) is None
