"""A wheel built from the project carries the generated package, importable outside the repo."""

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
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]); import workspaceevents as w; "
        "assert w.__file__.startswith(sys.argv[1]), w.__file__; "
        "s = w.build('workspaceevents', 'v1', developerKey='k'); print(s.operations().get(name='operations/x').uri)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(site)], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "https://workspaceevents.googleapis.com/v1/operations/x?key=k&alt=json"
