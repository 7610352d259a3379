"""Sources -> IR -> rendered files: the steps every command shares.

``cli``, ``docs`` and ``update`` call these; this module imports none of them.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from . import render
from .discovery import DiscoveryError, parse_document, read_source
from .model import Api, build_api

# Top-level names a generated package must not take: importing it would hide
# the standard library module, or the packages the generated code imports.
RESERVED_PACKAGES = frozenset(sys.stdlib_module_names) | {
    "google",
    "googleapiclient",
    "google_auth_httplib2",
    "httplib2",
    "uritemplate",
    "discovery_runtime",
    "discovery_codegen",
}


def check_package_name(package: str) -> None:
    """Refuse a ``--package`` that would shadow the standard library or a dependency."""
    if package in RESERVED_PACKAGES:
        raise DiscoveryError(f"--package: {package!r} would shadow the module of that name; choose another name")


def load_apis(sources: Sequence[str], package: str | None = None) -> dict[str, list[Api]]:
    """Build the IR of every source, grouped into packages (one per API name).

    With ``package``, every source must be a version of one API: one package
    routes ``build(name, version)`` for a single API name.
    """
    if package is not None:
        check_package_name(package)
    packages: dict[str, list[Api]] = {}
    for source in sources:
        text, label = read_source(source)
        try:
            doc = parse_document(text)
            api = build_api(doc, source=f"{doc.name}.{doc.version}", package=package)
        except DiscoveryError as error:
            raise DiscoveryError(f"{label}: {error}") from None
        versions = packages.setdefault(api.package, [])
        if versions and versions[0].name != api.name:
            raise DiscoveryError(
                f"{label}: is API {api.name!r}, but package {api.package!r} already holds {versions[0].name!r}; "
                "one --package takes versions of one API"
            )
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


def addon_files(packages: Mapping[str, object], folder: str | None) -> dict[str, str]:
    """The hand-written modules in ``folder`` (``--addons``), as verbatim files of the one package generated."""
    if not folder:
        return {}
    return render.addon_files(_only_package("--addons", packages), Path(folder))


def events_files(packages: Mapping[str, object], spec: str | None) -> dict[str, str]:
    """The typed events module described by ``spec`` (``--events``), as files of the one package generated."""
    if not spec:
        return {}
    from . import events

    return events.render_events(Path(spec), _only_package("--events", packages))


def _only_package(option: str, packages: Mapping[str, object]) -> str:
    if len(packages) != 1:
        raise DiscoveryError(f"{option}: needs exactly one package, got " + ", ".join(sorted(packages)))
    return next(iter(packages))


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
