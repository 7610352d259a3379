"""``codegen diff``: the mutation corpus, the exit codes, the JSON format and bad input."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from codegen.cli import main
from codegen.diff import KINDS, Change, Report, diff_documents
from codegen.discovery import load_document
from tests.diff_cases import CASES, PINNED, Case, pinned

OLD = load_document(pinned())


def _mutated(case: Case) -> dict[str, Any]:
    return case.new()


def _report(case: Case) -> Report:
    return diff_documents(load_document(case.old()), load_document(case.new()))


def _top(report: Report) -> str:
    return next((kind for kind in KINDS if report.of(kind)), "none")


def _write(path: Path, doc: dict[str, Any]) -> str:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)


def test_corpus_is_large_and_covers_every_class() -> None:
    assert len(CASES) >= 100
    assert len({case.name for case in CASES}) == len(CASES)
    assert {case.expected for case in CASES} == {*KINDS, "none"}


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_mutation_is_classified(case: Case) -> None:
    report = _report(case)
    lines = [f"{c.kind}: {c.element}: {c.detail}" for c in report.changes]
    assert _top(report) == case.expected, lines
    if case.expected != "none":
        named = [f"{c.element}: {c.detail}" for c in report.changes if c.kind == case.expected]
        assert any(case.element in text for text in named), lines
    bump = {"breaking": "major", "additive": "minor", "documentation": "patch", "none": "none"}
    assert report.bump == bump[case.expected]


def test_every_mutation_changes_the_document() -> None:
    for case in CASES:
        if case.expected != "none":
            assert load_document(case.new()).sha256 != load_document(case.old()).sha256, case.name


def test_diff_is_pure_and_its_records_frozen() -> None:
    case = next(c for c in CASES if c.name == "remove_method")
    new = load_document(_mutated(case))
    before = (json.dumps(OLD.raw, sort_keys=True), json.dumps(new.raw, sort_keys=True))
    first, second = diff_documents(OLD, new), diff_documents(OLD, new)
    assert first == second
    assert before == (json.dumps(OLD.raw, sort_keys=True), json.dumps(new.raw, sort_keys=True))
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.changes[0].kind = "additive"  # type: ignore[misc]
    assert isinstance(first.changes[0], Change)


def test_removed_schema_names_the_schema_and_the_property() -> None:
    report = _report(next(c for c in CASES if c.name == "schema_removed"))
    assert [(c.kind, c.element) for c in report.changes] == [
        ("breaking", "schema DriveOptions"),
        ("breaking", "schema Subscription, property driveOptions"),
    ]


@pytest.mark.parametrize(
    ("name", "status"),
    [("identity", 0), ("revision", 0), ("new_method", 0), ("remove_method", 1), ("pattern_tightened", 1)],
)
def test_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, status: int) -> None:
    case = next(c for c in CASES if c.name == name)
    new = _write(tmp_path / "new.json", _mutated(case))
    assert main(["diff", str(PINNED), new]) == status
    out = capsys.readouterr().out
    assert "semver bump: " in out
    assert case.element in out


def test_text_report_groups_by_class(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = pinned()
    for name in ("remove_method", "new_scope", "method_description"):
        next(c for c in CASES if c.name == name).mutate(doc)
    assert main(["diff", str(PINNED), _write(tmp_path / "new.json", doc)]) == 1
    out = capsys.readouterr().out
    assert out.index("Breaking (1):") < out.index("Additive (1):") < out.index("Documentation-only (1):")
    assert "semver bump: major" in out
    assert "  - method workspaceevents.subscriptions.reactivate: removed" in out


def test_json_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = pinned()
    for name in ("property_enum_value_removed", "new_optional_parameter", "revision"):
        next(c for c in CASES if c.name == name).mutate(doc)
    assert main(["diff", str(PINNED), _write(tmp_path / "new.json", doc), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"old", "new", "bump", "breaking", "additive", "documentation"}
    assert data["bump"] == "major"
    assert data["new"] == "workspaceevents.v1 (revision 20991231)"
    assert data["breaking"] == [
        {"element": "schema Subscription, property state", "detail": "enum value 'DELETED' removed"}
    ]
    assert data["additive"][0]["element"] == "method workspaceevents.subscriptions.list, parameter orderBy"
    assert data["documentation"] == [{"element": "document revision", "detail": "'20261004' -> '20991231'"}]


def test_json_format_without_changes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(PINNED), str(PINNED), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["bump"], data["breaking"], data["additive"], data["documentation"]) == ("none", [], [], [])


def _bad_inputs(tmp_path: Path) -> dict[str, str]:
    missing_name = pinned()
    del missing_name["name"]
    bad_ref = pinned()
    bad_ref["schemas"]["Subscription"]["properties"]["etag"] = {"$ref": "Nowhere"}
    (tmp_path / "invalid.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "list.json").write_text("[]", encoding="utf-8")
    return {
        "missing file": str(tmp_path / "absent.json"),
        "invalid json": str(tmp_path / "invalid.json"),
        "not an object": str(tmp_path / "list.json"),
        "missing name": _write(tmp_path / "noname.json", missing_name),
        "unresolvable ref": _write(tmp_path / "badref.json", bad_ref),
        "unknown bundled api": "nosuchapi.v9",
    }


@pytest.mark.parametrize("side", ["old", "new"])
def test_bad_input_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], side: str) -> None:
    for what, bad in _bad_inputs(tmp_path).items():
        argv = ["diff", bad, str(PINNED)] if side == "old" else ["diff", str(PINNED), bad]
        assert main(argv) == 2, what
        captured = capsys.readouterr()
        assert captured.out == "", what
        assert captured.err.startswith("error: "), what
        assert captured.err.count("\n") == 1, (what, captured.err)
        assert "Traceback" not in captured.err


def test_ungeneratable_document_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = pinned()
    doc["resources"]["subscriptions"]["methods"]["get"]["parameterOrder"] = ["name", "nope"]
    assert main(["diff", str(PINNED), _write(tmp_path / "new.json", doc)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: NEW: cannot be generated: ")
    assert err.count("\n") == 1


def test_cli_lists_diff() -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["diff", "--help"])
    assert exit_info.value.code == 0
