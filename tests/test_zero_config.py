"""A user's own code type-checks with no configuration, against the installed package.

Everything runs in temporary folders outside the repository, with no
``pyproject.toml``, ``mypy.ini`` or ``pyrightconfig.json`` in sight:

- the package is built as a wheel and unpacked into a throwaway virtual
  environment whose only other content is a ``.pth`` line pointing at the
  dependencies (googleapiclient, google-auth, httplib2, mypy) of this repo's
  ``.venv``; the editable install is not on that path;
- ``tests/typing/user_program.py`` (build, every method, pagination, a typed
  batch, typed errors and credentials) and the README's typed example pass
  ``mypy --strict`` and pyright strict (by a ``# pyright: strict`` comment);
- the generated package copied as source next to the user's code, with only
  ``discovery_runtime`` installed, passes ``mypy --strict`` and pyright's
  defaults there.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
USER_PROGRAM = REPO / "tests" / "typing" / "user_program.py"
README = REPO / "README.md"
CONFIG_FILES = ("pyproject.toml", "mypy.ini", ".mypy.ini", "setup.cfg", "pyrightconfig.json")


@dataclass(frozen=True)
class Environment:
    python: Path  # the throwaway venv's interpreter
    site: Path  # its site-packages


def _pyright() -> Path:
    exe = Path(sys.executable).parent / "pyright"
    if not exe.exists():
        pytest.skip("pyright is not installed (it is in the dev extra)")
    return exe


def _venv(root: Path, wheel: Path, *, packages: tuple[str, ...]) -> Environment:
    """A venv with ``packages`` from ``wheel`` installed and this repo's dependencies on its path."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True, capture_output=True)
    python = root / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (site / "repo-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if name.split("/", 1)[0] in packages:
                archive.extract(name, site)
    return Environment(python=python, site=site)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out)]
    subprocess.run([*command, str(REPO)], check=True, capture_output=True, cwd=out)
    (built,) = out.glob("workspaceevents-*.whl")
    return built


def _user_folder(root: Path) -> Path:
    folder = root / "project"
    folder.mkdir()
    for parent in (folder, *folder.parents):
        found = [name for name in CONFIG_FILES if (parent / name).exists()]
        assert not found, f"a configuration file would apply: {parent}/{found[0]}"
    return folder


def _mypy(env: Environment, folder: Path, *targets: str) -> str:
    # The venv's own interpreter, as a user runs it: its site-packages decide what is installed.
    command = [str(env.python), "-m", "mypy", "--strict", "--no-error-summary", "--cache-dir", "/dev/null", *targets]
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)
    assert result.returncode in (0, 1), result.stderr
    return result.stdout.strip()


def _pyright_errors(env: Environment, folder: Path, *targets: str) -> list[str]:
    command = [str(_pyright()), "--outputjson", "--pythonpath", str(env.python), *targets]
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)
    try:
        report = json.loads(result.stdout)
    except ValueError:
        pytest.skip(f"pyright could not run here: {(result.stderr or result.stdout).strip()[:300]}")
    return [
        f"{Path(d['file']).relative_to(folder)}:{d['range']['start']['line'] + 1}: {d['message']} ({d.get('rule', '')})"
        for d in report["generalDiagnostics"]
        if d["severity"] == "error"
    ]


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Environment, Path]:
    root = tmp_path_factory.mktemp("installed")
    env = _venv(root / "venv", wheel, packages=("workspaceevents", "discovery_runtime"))
    folder = _user_folder(root)
    shutil.copy(USER_PROGRAM, folder / "app.py")
    (folder / "readme_example.py").write_text("# pyright: strict\n" + _readme_typed_example(), encoding="utf-8")
    return env, folder


def _readme_typed_example() -> str:
    section = README.read_text(encoding="utf-8").split("### A typed example\n", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


@pytest.fixture(scope="module")
def as_source(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Environment, Path]:
    root = tmp_path_factory.mktemp("as-source")
    env = _venv(root / "venv", wheel, packages=("discovery_runtime",))
    folder = _user_folder(root)
    shutil.copytree(
        REPO / "generated" / "workspaceevents", folder / "workspaceevents", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(USER_PROGRAM, folder / "app.py")
    return env, folder


def test_the_environment_sees_the_wheel_not_the_repository(installed: tuple[Environment, Path]) -> None:
    env, folder = installed
    probe = "import workspaceevents, discovery_runtime; print(workspaceevents.__file__, discovery_runtime.__file__)"
    where = subprocess.run([str(env.python), "-c", probe], cwd=folder, capture_output=True, text=True, check=True)
    assert all(Path(path).is_relative_to(env.site) for path in where.stdout.split()), where.stdout


def test_user_program_passes_mypy_strict(installed: tuple[Environment, Path]) -> None:
    env, folder = installed
    assert _mypy(env, folder, "app.py") == ""


def test_user_program_passes_pyright_strict(installed: tuple[Environment, Path]) -> None:
    env, folder = installed
    assert (folder / "app.py").read_text(encoding="utf-8").startswith("# pyright: strict\n")
    assert _pyright_errors(env, folder, "app.py") == []


def test_readme_typed_example_passes_both_checkers(installed: tuple[Environment, Path]) -> None:
    env, folder = installed
    assert "googleapiclient" not in _readme_typed_example()
    assert _mypy(env, folder, "readme_example.py") == ""
    assert _pyright_errors(env, folder, "readme_example.py") == []


def test_a_mistake_in_the_user_program_is_still_reported(installed: tuple[Environment, Path]) -> None:
    env, folder = installed
    wrong = folder / "wrong.py"
    wrong.write_text(
        "# pyright: strict\nfrom workspaceevents import build\n"
        "service = build('workspaceevents', 'v1')\n"
        "batch = service.new_batch_http_request()\n"
        "batch.add(service.subscriptions().get(name=1))\n",
        encoding="utf-8",
    )
    try:
        assert ":5: error:" in _mypy(env, folder, "wrong.py")
        assert [line.split(":")[1] for line in _pyright_errors(env, folder, "wrong.py")] == ["5"]
    finally:
        wrong.unlink()


def test_generated_package_as_source_passes_mypy_strict(as_source: tuple[Environment, Path]) -> None:
    env, folder = as_source
    assert _mypy(env, folder, "workspaceevents", "app.py") == ""


def test_generated_package_as_source_passes_pyright(as_source: tuple[Environment, Path]) -> None:
    env, folder = as_source
    assert _pyright_errors(env, folder, "workspaceevents", "app.py") == []
