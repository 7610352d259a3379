"""Generate every discovery document bundled with googleapiclient, import it, check parity.

    .venv/bin/python tools/generate_all.py [--jobs 2] [--limit N] [--no-format] [--out DIR] [API ...]

Three phases, the first and last on a process pool: (1) build the IR and write
one package per API (all its versions) into ``--out`` (a temporary folder by
default); (2) one ruff call formats the whole tree, as ``codegen generate``
would; (3) import each package, build its services with a developer key and
an ``HttpMock``, and compare them with ``build_from_document`` on the same
documents (``tools/parity.py``). A progress bar goes to stderr, a summary
table to stdout; the exit status is 1 when any document fails.
"""

from __future__ import annotations

import argparse
import importlib
import json
import multiprocessing
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from codegen import render  # noqa: E402
from codegen.discovery import parse_document  # noqa: E402
from codegen.model import Api, build_api  # noqa: E402
from tools import parity  # noqa: E402


@dataclass
class Result:
    source: str  # "drive.v3"
    root: str = ""  # the folder to put on sys.path
    package: str = ""
    module: str = ""
    generated: bool = False
    imported: bool = False
    parity: bool = False
    methods: int = 0
    requests: int = 0
    error: str = ""
    failures: list[str] = field(default_factory=list)


def bundled_documents() -> dict[str, Path]:
    """``API.VERSION`` -> path of every bundled discovery document."""
    from googleapiclient import discovery_cache

    folder = Path(discovery_cache.__file__).parent / "documents"
    return {p.name[: -len(".json")]: p for p in sorted(folder.glob("*.json")) if p.name != "index.json"}


def group_by_api(documents: dict[str, Path]) -> list[tuple[str, list[tuple[str, Path]]]]:
    """One work item per API name, largest first so the pool stays busy."""
    groups: dict[str, list[tuple[str, Path]]] = {}
    for source, path in documents.items():
        groups.setdefault(source.split(".", 1)[0], []).append((source, path))
    return sorted(groups.items(), key=lambda item: -sum(p.stat().st_size for _, p in item[1]))


def generate(item: tuple[str, list[tuple[str, Path]], str]) -> list[Result]:
    """Phase 1: build the IR of each version and write the API's package.

    A version given twice (admin.directory_v1 and admin.directoryv1 are the
    same document) goes to a package of its own in a sibling folder.
    """
    _, sources, out = item
    results: list[Result] = []
    trees: list[list[tuple[Api, Result]]] = []
    for source, path in sources:
        result = Result(source=source)
        results.append(result)
        try:
            doc = parse_document(path.read_bytes())
            api = build_api(doc, source=f"{doc.name}.{doc.version}")
        except Exception as error:  # DiscoveryError, or a generator bug: report it, keep going
            result.error = f"generate: {type(error).__name__}: {error}"
            continue
        result.package, result.module = api.package, api.module
        tree = next((t for t in trees if all(a.module != api.module for a, _ in t)), None)
        if tree is None:
            tree = []
            trees.append(tree)
        tree.append((api, result))
    for index, tree in enumerate(trees):
        folder = Path(out) if index == 0 else Path(out) / f"_alias{index}"
        try:
            _write(render.render_package(sorted((a for a, _ in tree), key=lambda a: a.module)), folder)
        except Exception as error:
            for _, result in tree:
                result.error = f"render: {type(error).__name__}: {error}"
            continue
        for _, result in tree:
            result.generated, result.root = True, str(folder)
    return results


def _write(files: dict[str, str], folder: Path) -> None:
    for relative, text in sorted(files.items()):
        target = folder / relative
        if not render._inside(folder, target):
            raise ValueError(f"{relative}: outside the output folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")


def check(item: tuple[list[Result], int | None, dict[str, str]]) -> list[Result]:
    """Phase 3: import the package, build each service, compare with the dynamic client."""
    results, limit, paths = item
    from googleapiclient import discovery
    from googleapiclient.http import HttpMock

    for result in results:
        if not result.generated:
            continue
        sys.path.insert(0, result.root)
        try:
            service_module = importlib.import_module(f"{result.package}.{result.module}.service")
            generated = service_module.build_service(http=HttpMock(), developerKey="KEY")
            result.imported = True
        except Exception as error:
            result.error = f"import: {type(error).__name__}: {error}"
            continue
        finally:
            sys.path.remove(result.root)
        text = Path(paths[result.source]).read_text(encoding="utf-8")
        try:
            dynamic = discovery.build_from_document(text, http=HttpMock(), developerKey="KEY")
        except Exception as error:
            result.error = f"dynamic client refuses the document: {type(error).__name__}: {error}"
            continue
        report = parity.Report()
        try:
            parity.compare(dynamic, generated, where=result.source, report=report, limit=limit)
        except Exception as error:
            report.fail(result.source, f"parity crashed: {type(error).__name__}: {error}")
        result.methods, result.requests, result.failures = report.methods, report.requests, report.failures
        result.parity = not report.failures
        if report.failures:
            result.error = f"parity: {report.failures[0]}"
    # The next item may hold another package of the same name (an alias folder).
    for name in [n for n in sys.modules if results and n.split(".")[0] == results[0].package]:
        del sys.modules[name]
    return results


def _progress(done: int, total: int, phase: str, label: str) -> None:
    width = 30
    filled = width * done // max(total, 1)
    sys.stderr.write(f"\r{phase:9} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} {label[:30]:30}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def _run_pool(
    pool: multiprocessing.pool.Pool | None, function: Callable[[Any], list[Result]], items: Sequence[Any], phase: str
) -> list[Result]:
    out: list[Result] = []
    mapped: Iterable[list[Result]] = pool.imap_unordered(function, items) if pool is not None else map(function, items)
    for done, results in enumerate(mapped, 1):
        out.extend(results)
        _progress(done, len(items), phase, results[0].source if results else "")
    return out


def summary(results: Sequence[Result], seconds: float) -> str:
    total = len(results)
    rows = [
        ("documents", total),
        ("generated", sum(r.generated for r in results)),
        ("imported", sum(r.imported for r in results)),
        ("parity pass", sum(r.parity for r in results)),
        ("methods seen", sum(r.methods for r in results)),
        ("requests compared", sum(r.requests for r in results)),
    ]
    lines = [f"{'':20} {'count':>8}", *(f"{name:20} {count:>8}" for name, count in rows)]
    failures = [r for r in results if not r.parity]
    if failures:
        reasons = Counter(r.error.split(":", 1)[0] for r in failures)
        lines.append("")
        lines.append("failures: " + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())))
        lines.extend(f"  {r.source}: {r.error[:300]}" for r in sorted(failures, key=lambda r: r.source))
    lines.append(f"\n{seconds:.0f}s")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("apis", nargs="*", help="only these API names or API.VERSION sources")
    parser.add_argument("--out", help="output folder (default: a temporary one, removed afterwards)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2; 0 runs in-process)")
    parser.add_argument("--limit", type=int, default=None, help="requests compared per resource (default: all)")
    parser.add_argument("--no-format", action="store_true", help="skip the ruff step (faster)")
    parser.add_argument("--json", help="write every result to this file")
    args = parser.parse_args(argv)

    start = time.monotonic()
    documents = bundled_documents()
    if args.apis:
        wanted = set(args.apis)
        documents = {s: p for s, p in documents.items() if s in wanted or s.split(".", 1)[0] in wanted}
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="generate-all-"))
    out.mkdir(parents=True, exist_ok=True)
    groups = group_by_api(documents)
    pool = multiprocessing.get_context("fork").Pool(args.jobs, maxtasksperchild=40) if args.jobs else None
    try:
        generated = _run_pool(pool, generate, [(n, s, str(out)) for n, s in groups], "generate")
        if not args.no_format:
            sys.stderr.write("format    (one ruff call over the whole tree)\n")
            render.format_python([out])
        by_package: dict[tuple[str, str], list[Result]] = {}
        for result in generated:
            by_package.setdefault((result.root, result.package or result.source), []).append(result)
        paths = {s: str(p) for s, p in documents.items()}
        items = [(rs, args.limit, paths) for rs in by_package.values()]
        results = _run_pool(pool, check, items, "check")
    finally:
        if pool is not None:
            pool.close()
            pool.join()
        if not args.out:
            shutil.rmtree(out, ignore_errors=True)
    results.sort(key=lambda r: r.source)
    if args.json:
        Path(args.json).write_text(json.dumps([asdict(r) for r in results], indent=1), encoding="utf-8")
    print(summary(results, time.monotonic() - start))
    return 0 if all(r.parity for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
