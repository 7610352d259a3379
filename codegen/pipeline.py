"""Sources -> IR -> rendered files: the steps every command shares.

``cli``, ``docs`` and ``update`` call these; this module imports none of them.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from . import render
from .discovery import DiscoveryError, parse_document, read_source
from .model import Api, build_api


def load_apis(sources: Sequence[str], package: str | None = None) -> dict[str, list[Api]]:
    """Build the IR of every source, grouped into packages (one per API name)."""
    packages: dict[str, list[Api]] = {}
    for source in sources:
        text, label = read_source(source)
        try:
            doc = parse_document(text)
            api = build_api(doc, source=f"{doc.name}.{doc.version}", package=package)
        except DiscoveryError as error:
            raise DiscoveryError(f"{label}: {error}") from None
        versions = packages.setdefault(api.package, [])
        if any(v.module == api.module for v in versions):
            raise DiscoveryError(f"{label}: version {api.version!r} given twice for package {api.package!r}")
        versions.append(api)
    for versions in packages.values():
        versions.sort(key=lambda api: api.module)
    return packages


def render_all(packages: dict[str, list[Api]]) -> dict[str, str]:
    """Every file of every package, keyed by path relative to the output folder."""
    files: dict[str, str] = {}
    for apis in packages.values():
        files.update(render.render_package(apis))
    return files


def all_apis(packages: dict[str, list[Api]]) -> list[Api]:
    return [api for versions in packages.values() for api in versions]


def report_staleness(problems: Sequence[str], out: Path) -> int:
    """Print a stale-check result: the diff and the one fix command (exit 1), or that all is well."""
    if problems:
        sys.stdout.writelines(problems)
        print(f"\n{out} is stale: run `make generate` and commit the result.", file=sys.stderr)
        return 1
    print(f"{out} is up to date")
    return 0
