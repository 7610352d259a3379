"""A pytest plugin: googleapiclient's ``build_from_document`` returns the static service where one was generated.

Loaded with ``-p route`` by the conformance driver. ``CONFORMANCE_PACKAGES``
names the generated packages (comma-separated, importable). A document is
routed only when its name, version and canonical SHA-256 are exactly those a
package was generated from; any other document (edited by a test, or never
generated) goes to googleapiclient unchanged. ``googleapiclient.discovery.build``
calls the module's ``build_from_document``, so it is routed too. The patch is
made when the plugin loads, before the test modules import the names.
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import threading
from collections.abc import Callable
from typing import Any

from googleapiclient import discovery

from discovery_runtime.entry import document_sha256

_ORIGINAL: Callable[..., Any] = discovery.build_from_document
_GUARD = threading.local()
# (name, version, sha256) -> the generated top-level package
ROUTES: dict[tuple[str, str, str], Any] = {}
# How many services each route built, printed at the end as proof the route was taken.
BUILT: dict[str, int] = {}


def _load(packages: str) -> None:
    # The runtime holds the real http classes: import it before any test patches them.
    importlib.import_module("discovery_runtime.connections")
    for package in filter(None, packages.split(",")):
        module = importlib.import_module(package)
        for version, (_module, _revision, sha256) in module.VERSIONS.items():
            ROUTES[(module.NAME, version, sha256)] = module


def _match(service: Any) -> Any:
    document = service
    try:
        if isinstance(document, bytes):
            document = document.decode("utf-8")
        if isinstance(document, str):
            document = json.loads(document)
    except ValueError:
        return None
    if not isinstance(document, dict) or not ROUTES:
        return None
    key = (str(document.get("name")), str(document.get("version")), document_sha256(document))
    return ROUTES.get(key)


@functools.wraps(_ORIGINAL)
def build_from_document(service: Any, *args: Any, **kwargs: Any) -> Any:
    # The package falls back to googleapiclient for what it does not serve: that call must not loop.
    package = None if getattr(_GUARD, "active", False) else _match(service)
    if package is None:
        return _ORIGINAL(service, *args, **kwargs)
    _GUARD.active = True
    try:
        service_object = package.build_from_document(service, *args, **kwargs)
    finally:
        _GUARD.active = False
    BUILT[package.__name__] = BUILT.get(package.__name__, 0) + 1
    return service_object


def pytest_configure(config: Any) -> None:
    _load(os.environ.get("CONFORMANCE_PACKAGES", ""))
    discovery.build_from_document = build_from_document


def pytest_terminal_summary(terminalreporter: Any) -> None:
    routed = ", ".join(f"{name}={count}" for name, count in sorted(BUILT.items())) or "none"
    terminalreporter.write_line(f"conformance route: static services built: {routed}")
