"""A wheel built from the project carries the runtime, the generated package and the generator, importable outside the repo.

tests/test_install.py installs it (and the sdist) into a virtualenv and runs the console command.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_wheel_installs_the_generated_package(tmp_path: Path) -> None:
    build = [
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--quiet",
        "--no-deps",
        "--no-build-isolation",
        "-w",
        str(tmp_path),
        str(REPO),
    ]
    subprocess.run(build, check=True, capture_output=True, cwd=tmp_path)
    (wheel,) = tmp_path.glob("workspaceevents-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(site)
    assert {
        "workspaceevents/py.typed",
        "workspaceevents/v1/service.py",
        "workspaceevents/v1/resources/subscriptions.py",
    } <= names
    assert not any(name.startswith(("codegen/", "tests/", "templates/")) for name in names)
    # pyproject.toml lists packages by hand (a mapped folder cannot be found by name): none may be missing.
    for folder, package in (
        (REPO / "generated" / "workspaceevents", "workspaceevents"),
        (REPO / "discovery_runtime", "discovery_runtime"),
        (REPO / "codegen", "discovery_codegen"),
    ):
        for init in folder.rglob("__init__.py"):
            shipped = f"{package}/{init.relative_to(folder).as_posix()}"
            assert shipped in names, f"{shipped} is missing from the wheel: add its package to pyproject.toml"
        for module in folder.rglob("*.py"):
            assert f"{package}/{module.relative_to(folder).as_posix()}" in names, module
    templates = {
        f"discovery_codegen/templates/{p.relative_to(REPO / 'templates').as_posix()}"
        for p in (REPO / "templates").rglob("*.j2")
    }
    assert templates <= names, sorted(templates - names)
    assert "discovery_codegen/ruff-generated.toml" in names
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)
    (entry_points,) = (name for name in names if name.endswith(".dist-info/entry_points.txt"))
    with zipfile.ZipFile(wheel) as archive:
        assert "discovery-codegen = discovery_codegen.__main__:run" in archive.read(entry_points).decode()
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]); import workspaceevents as w; "
        "assert w.__file__.startswith(sys.argv[1]), w.__file__; "
        "s = w.build('workspaceevents', 'v1', developerKey='k'); print(s.operations().get(name='operations/x').uri)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(site)], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "https://workspaceevents.googleapis.com/v1/operations/x?key=k&alt=json"
