"""Run googleapiclient's own tests twice: dynamic (baseline), then routed to static packages.

Steps: download the sdist of the installed google-api-python-client with pip
(cached in ``.cache/conformance/``, gitignored), extract its ``tests/``,
generate a static package with ``python -m codegen generate`` for every
discovery document in ``tests/data/``, run the suite without and with the
``route`` plugin, and print both counts and every regression by test id: a
test that passes on the dynamic client and not on the static route. Exits 1
on any regression not listed in ``tests/conformance_exclusions.txt``, 2 on a
setup problem (one line, no traceback).

Usage: ``python tools/conformance [--cache DIR] [-k EXPR]``
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
EXCLUSIONS = REPO / "tests" / "conformance_exclusions.txt"
DISTRIBUTION = "google-api-python-client"


class SetupError(Exception):
    """Something the run needs is missing or broken: reported as one line."""


def fetch_sdist(version: str, cache: Path) -> Path:
    """The sdist of ``version``, downloaded once with pip from the package index."""
    name = f"google_api_python_client-{version}.tar.gz"
    sdist = cache / name
    if not sdist.exists():
        cache.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:"]
        done = subprocess.run(
            [*command, f"{DISTRIBUTION}=={version}", "-d", str(cache)], check=False, capture_output=True, text=True
        )
        if done.returncode != 0 or not sdist.exists():
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            raise SetupError(f"pip download {DISTRIBUTION}=={version} failed: {last}")
    return sdist


def extract_tests(sdist: Path, into: Path) -> Path:
    """Extract ``tests/`` (data included) and return the folder to run pytest in."""
    root = sdist.name.removesuffix(".tar.gz")
    with tarfile.open(sdist) as archive:
        members = [m for m in archive.getmembers() if m.name.startswith(f"{root}/tests/")]
        if not members:
            raise SetupError(f"{sdist.name} has no tests/ folder")
        archive.extractall(into, members=members, filter="data")
    suite = into / root
    # An empty ini makes this folder pytest's rootdir, away from this repository's settings.
    (suite / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    return suite


def discovery_documents(data: Path) -> list[tuple[Path, str]]:
    """(file, package name) for every discovery document the tests build from."""
    found = []
    for path in sorted(data.glob("*.json")):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            continue  # malformed.json is malformed on purpose
        if isinstance(document, dict) and str(document.get("kind", "")).startswith("discovery#"):
            package = f"conformance_{document['name']}_{document['version']}".replace(".", "_").replace("-", "_")
            found.append((path, package))
    return found


def generate(documents: list[tuple[Path, str]], out: Path) -> tuple[list[str], list[str]]:
    """Generate each document; return (packages made, one line per document the generator rejected).

    A rejected document (moderator.json has no rootUrl) is one googleapiclient
    cannot build a service from either, so there is nothing to route.
    """
    made, rejected = [], []
    for path, package in documents:
        command = [sys.executable, "-m", "codegen", "generate", str(path), "--out", str(out), "--package", package]
        done = subprocess.run(command, cwd=REPO, check=False, capture_output=True, text=True)
        if done.returncode == 0:
            made.append(package)
        else:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            rejected.append(f"{path.name}: {last}")
    return made, rejected


def run_suite(suite: Path, report: Path, extra: list[str], env: dict[str, str]) -> tuple[dict[str, str], str]:
    """Run pytest; return {test id: passed|failed|skipped} from its JUnit XML, and its last line."""
    command = [sys.executable, "-m", "pytest", "tests", "-q", "-p", "no:cacheprovider", f"--junitxml={report}"]
    done = subprocess.run([*command, *extra], cwd=suite, env=env, check=False, capture_output=True, text=True)
    if not report.exists():
        raise SetupError(f"pytest wrote no report (exit {done.returncode}): {done.stderr.strip()[-300:]}")
    outcomes: dict[str, str] = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        test_id = f"{case.get('classname')}::{case.get('name')}"
        tags = {child.tag for child in case}
        outcome = "failed" if tags & {"failure", "error"} else "skipped" if "skipped" in tags else "passed"
        # A teardown error adds a second entry for the same test: the worse one wins.
        if outcomes.get(test_id) != "failed":
            outcomes[test_id] = outcome
    route_lines = [line for line in done.stdout.splitlines() if line.startswith("conformance route:")]
    return outcomes, route_lines[-1] if route_lines else ""


def load_exclusions() -> dict[str, str]:
    """test id -> reason, from the one exclusions file (``<test id> | <reason>`` per line)."""
    if not EXCLUSIONS.exists():
        return {}
    exclusions = {}
    for number, line in enumerate(EXCLUSIONS.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        test_id, _, reason = (part.strip() for part in line.partition("|"))
        if not test_id or not reason:
            raise SetupError(f"{EXCLUSIONS.name}:{number}: expected '<test id> | <reason>'")
        exclusions[test_id] = reason
    return exclusions


def counts(outcomes: dict[str, str]) -> str:
    tally = {name: sum(1 for o in outcomes.values() if o == name) for name in ("passed", "failed", "skipped")}
    return " / ".join(f"{n} {name}" for name, n in tally.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="conformance", description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=REPO / ".cache" / "conformance", help="sdist cache folder")
    parser.add_argument("-k", dest="keyword", help="run only the tests pytest -k selects")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        version = importlib.metadata.version(DISTRIBUTION)
        exclusions = load_exclusions()
        sdist = fetch_sdist(version, args.cache)
        with tempfile.TemporaryDirectory(prefix="conformance-") as temp:
            work = Path(temp)
            suite = extract_tests(sdist, work)
            documents = discovery_documents(suite / "tests" / "data")
            packages, rejected = generate(documents, work / "packages")
            extra = ["-k", args.keyword] if args.keyword else []
            env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
            baseline, _ = run_suite(suite, work / "baseline.xml", extra, env)
            path = os.pathsep.join([str(work / "packages"), str(HERE), str(REPO), env.get("PYTHONPATH", "")])
            routed_env = {
                **env,
                "PYTHONPATH": path,
                "CONFORMANCE_PACKAGES": ",".join(packages),
            }
            static, route_line = run_suite(suite, work / "static.xml", [*extra, "-p", "route"], routed_env)
    except SetupError as error:
        print(f"conformance: {error}", file=sys.stderr)
        return 2

    print(f"{DISTRIBUTION} {version}: {len(packages)} of {len(documents)} documents generated ({', '.join(packages)})")
    for line in rejected:
        print(f"not generated (googleapiclient cannot build it either): {line}")
    print(f"baseline (dynamic): {counts(baseline)}")
    print(f"static route:       {counts(static)}")
    if route_line:
        print(route_line)
    regressions = sorted(t for t, o in baseline.items() if o == "passed" and static.get(t) != "passed")
    excluded = [t for t in regressions if t in exclusions]
    regressions = [t for t in regressions if t not in exclusions]
    for test_id in excluded:
        print(f"excluded: {test_id}: {exclusions[test_id]}")
    unused = sorted(set(exclusions) - set(excluded))
    for test_id in unused:
        print(f"note: exclusion no longer needed: {test_id}")
    for test_id in regressions:
        print(f"REGRESSION: {test_id} ({static.get(test_id, 'missing')})")
    print(f"{len(regressions)} regressions, {len(excluded)} excluded, {time.monotonic() - started:.1f} s")
    return 1 if regressions else 0


if __name__ == "__main__":
    sys.exit(main())
