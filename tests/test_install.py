"""The project installs like any distribution, outside the repo, and the generator runs from any directory.

The wheel and the sdist are built from the repo and installed with pip into
throwaway virtualenvs under the test's temporary folder. Their other
dependencies come from the dev virtualenv through a plain path line (no
``.pth`` processing, so the repo's editable install stays invisible); the
installed copy of the project is the only one the venv can import. Every
subcommand then runs with a working directory outside the repo.
"""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import tarfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PINNED = REPO / "discovery" / "workspaceevents.v1.json"
COMMAND = "discovery-codegen"


def _run(args: list[str], cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)
    if check:
        assert result.returncode == 0, f"{args}: exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


def _venv(folder: Path, artifact: Path) -> Path:
    """A virtualenv with ``artifact`` installed by pip; returns its bin folder."""
    _run([sys.executable, "-m", "venv", "--without-pip", str(folder)], cwd=folder.parent)
    python = folder / "bin" / "python"
    site = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], folder).stdout
    (Path(site.strip()) / "dev_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps"]
    _run([*install, "--no-build-isolation", "--no-index", str(artifact)], cwd=folder.parent)
    return folder / "bin"


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sdist, built from the repo, and the wheel, built from the unpacked sdist (as ``python -m build`` does)."""
    dist = tmp_path_factory.mktemp("dist")
    build = "import sys; from setuptools import build_meta as b; print(getattr(b, sys.argv[1])(sys.argv[2]))"
    name = _run([sys.executable, "-c", build, "build_sdist", str(dist)], cwd=REPO).stdout.split()[-1]
    sdist = dist / name
    unpacked = tmp_path_factory.mktemp("unpacked")
    with tarfile.open(sdist) as archive:
        archive.extractall(unpacked, filter="data")
    (source,) = unpacked.iterdir()
    name = _run([sys.executable, "-c", build, "build_wheel", str(dist)], cwd=source).stdout.split()[-1]
    return {"wheel": dist / name, "sdist": sdist}


@pytest.fixture(scope="module", params=["wheel", "sdist"])
def installed(
    request: pytest.FixtureRequest, artifacts: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    kind: str = request.param
    return _venv(tmp_path_factory.mktemp(kind) / "venv", artifacts[kind])


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A working directory outside the repo holding an older and a newer copy of the pinned document."""
    document = json.loads(PINNED.read_text(encoding="utf-8"))
    newer = dict(document, description=str(document.get("description", "")) + " (newer)")
    older = dict(document, revision="20200101")
    (tmp_path / "older.json").write_text(json.dumps(older), encoding="utf-8")
    (tmp_path / "newer.json").write_text(json.dumps(newer), encoding="utf-8")
    return tmp_path


def test_every_subcommand_runs_outside_the_repo(installed: Path, work: Path) -> None:
    command = str(installed / COMMAND)
    assert _run([command, "--version"], work).stdout.startswith(f"{COMMAND} ")
    help_text = _run([command, "--help"], work).stdout
    for subcommand in ("generate", "check", "docs", "diff", "update"):
        assert subcommand in help_text
    _run([command, "generate", "older.json", "--out", "out", "--docs", "out/html"], work)
    assert (work / "out" / "workspaceevents" / "v1" / "service.py").is_file()
    _run([command, "check", "older.json", "--out", "out", "--docs", "out/html"], work)
    _run([command, "docs", "older.json", "--out", "pages"], work)
    assert (work / "pages" / "index.html").is_file()
    diff = _run([command, "diff", "older.json", "newer.json"], work, check=False)
    assert diff.returncode in (0, 1), diff.stderr
    (work / "pinned.json").write_text((work / "older.json").read_text(encoding="utf-8"), encoding="utf-8")
    update = [command, "update", "newer.json", "--pinned", "pinned.json", "--out", "out"]
    _run([*update, "--changelog", "CHANGELOG.md"], work)
    assert json.loads((work / "pinned.json").read_text(encoding="utf-8"))["revision"] != "20200101"
    # The installed runtime serves the package just generated.
    probe = (
        "import sys; sys.path.insert(0, 'out'); import workspaceevents as w, discovery_runtime as r; "
        "assert 'site-packages' in r.__file__, r.__file__; "
        "print(w.build('workspaceevents', 'v1', developerKey='k').operations().get(name='operations/x').uri)"
    )
    uri = _run([str(installed / "python"), "-c", probe], work).stdout.strip()
    assert uri == "https://workspaceevents.googleapis.com/v1/operations/x?key=k&alt=json"
    assert _run([str(installed / "python"), "-m", "discovery_codegen", "--version"], work).returncode == 0


def test_no_top_level_codegen_module(installed: Path, work: Path) -> None:
    probe = (
        "import importlib.util as u; "
        "print(u.find_spec('codegen'), u.find_spec('discovery_codegen').origin, u.find_spec('workspaceevents').origin)"
    )
    missing, generator, package = _run([str(installed / "python"), "-c", probe], work).stdout.split()
    assert missing == "None"
    assert "site-packages" in generator and "site-packages" in package
    site = installed.parent / "lib"
    assert not list(site.glob("python*/site-packages/codegen")), "a top-level codegen package was installed"


def test_bad_input_is_one_line_outside_the_repo(installed: Path, work: Path) -> None:
    result = _run([str(installed / COMMAND), "check", "--out", "out"], work, check=False)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
