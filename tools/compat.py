"""Run the parity suite against other google-api-python-client versions (``make compat``).

Usage: ``python tools/compat.py [--oldest] [VERSION ...]`` (default: the oldest and the
newest version of the range declared in pyproject.toml that the package index
serves). For each version a throwaway virtualenv is made under a temporary
folder outside the repo; it sees the dev virtualenv's packages (a ``.pth``
line) but has its own ``google-api-python-client==VERSION``, installed with
pip, which shadows the dev pin. Then ``tests/test_private_names.py`` and the
parity tests run against it. Exit status: 0 all versions pass, 1 one failed,
2 bad input (one line on stderr).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

REPO = Path(__file__).resolve().parent.parent
DISTRIBUTION = "google-api-python-client"
SUITE = (
    "tests/test_private_names.py",
    "tests/test_parity.py",
    "tests/test_build_options.py",
    "tests/test_mocks.py",
)


def declared_range() -> SpecifierSet:
    """The google-api-python-client specifier in [project] dependencies."""
    # The first quoted requirement of it in pyproject.toml: [project] dependencies come before the extras.
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(rf'"{DISTRIBUTION}\s*([<>=!~,.\d\s]*)"', text)
    if match:
        return SpecifierSet(match.group(1).replace(" ", ""))
    raise SystemExit(f"error: pyproject.toml: no {DISTRIBUTION} dependency")


def served_versions() -> list[Version]:
    """Every release of the distribution the package index serves (``pip index versions``)."""
    result = subprocess.run(
        [sys.executable, "-m", "pip", "index", "versions", DISTRIBUTION],
        capture_output=True,
        text=True,
        check=False,
    )
    listed = re.search(r"Available versions: (.+)", result.stdout)
    if result.returncode != 0 or not listed:
        raise SystemExit(f"error: pip index versions {DISTRIBUTION}: {result.stderr.strip() or 'no versions'}")
    return sorted(Version(v.strip()) for v in listed.group(1).split(","))


def make_venv(folder: Path, version: Version) -> Path:
    """A virtualenv with its own google-api-python-client and the dev virtualenv's other packages."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    python = folder / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    dev_site = sysconfig.get_paths()["purelib"]
    # Processed after the venv's own site-packages, so the version installed here wins.
    (Path(site) / "_dev_packages.pth").write_text(f"import site; site.addsitedir({dev_site!r})\n", encoding="utf-8")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            site,
            f"{DISTRIBUTION}=={version}",
        ],
        check=True,
    )
    return python


def run_suite(python: Path, version: Version) -> bool:
    installed = subprocess.run(
        [str(python), "-c", f"import importlib.metadata as m; print(m.version({DISTRIBUTION!r}))"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if installed != str(version):
        print(f"{version}: the throwaway venv imports googleapiclient {installed or '(none)'}", file=sys.stderr)
        return False
    start = time.monotonic()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run([str(python), "-m", "pytest", "-q", "-x", *SUITE], cwd=REPO, env=env, check=False)
    print(
        f"{DISTRIBUTION} {version}: {'pass' if result.returncode == 0 else 'FAIL'} ({time.monotonic() - start:.0f} s)"
    )
    return result.returncode == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tools/compat.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("versions", nargs="*", metavar="VERSION", help="versions to test (default: range ends)")
    parser.add_argument("--oldest", action="store_true", help="only the oldest served version of the range (CI)")
    args = parser.parse_args(argv)
    try:
        wanted = [Version(v) for v in args.versions]
    except InvalidVersion as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not wanted:
        span = declared_range()
        inside = [v for v in served_versions() if v in span]
        if not inside:
            print(f"error: the index serves no {DISTRIBUTION} version in {span}", file=sys.stderr)
            return 2
        wanted = [inside[0]] if args.oldest else sorted({inside[0], inside[-1]})
        print(f"{DISTRIBUTION}{span}: testing the oldest and newest served, {', '.join(map(str, wanted))}")
    results = {}
    for version in wanted:
        with tempfile.TemporaryDirectory(prefix=f"compat-{version}-") as tmp:
            try:
                python = make_venv(Path(tmp) / "venv", version)
            except subprocess.CalledProcessError as error:
                print(f"error: {version}: could not make the venv ({error})", file=sys.stderr)
                return 2
            results[version] = run_suite(python, version)
    failed = [str(v) for v, ok in results.items() if not ok]
    print("all versions pass" if not failed else f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
