"""``build()`` and ``build_from_document()`` for a generated package.

Each generated package keeps googleapiclient's exact signatures (and typed
overloads) in its ``__init__`` and hands the call here with its version
table. The static service is returned when googleapiclient would use the
bundled document; anything else goes to googleapiclient unchanged.
"""

from __future__ import annotations

import hashlib
import importlib
import json
from collections.abc import Mapping
from typing import Any, cast

from . import _googleapiclient

__all__ = ["Versions", "build", "build_from_document", "document_sha256", "positional"]

# version -> (sub-package, discovery revision, SHA-256 of the canonical document)
Versions = Mapping[str, tuple[str, str, str]]

# googleapiclient's own decorator, so positional misuse is reported the same way.
positional = _googleapiclient.positional

# The arguments both entry points pass on to a version's build_service().
_SERVICE_ARGUMENTS = (
    "http",
    "developerKey",
    "model",
    "requestBuilder",
    "credentials",
    "client_options",
    "adc_cert_path",
    "adc_key_path",
    "always_use_jwt_access",
)


def build(package: str, name: str, versions: Versions, serviceName: str, version: str, **options: Any) -> Any:
    """googleapiclient.discovery.build, or the static service of ``package``."""
    static_discovery = options["static_discovery"]
    static = static_discovery if static_discovery is not None else options["discoveryServiceUrl"] is None
    found = versions.get(version) if serviceName == name and static else None
    if found is None:
        from googleapiclient import discovery

        return discovery.build(serviceName, version, **options)
    return _build_service(package, found[0], options)


def build_from_document(package: str, name: str, versions: Versions, service: Any, **options: Any) -> Any:
    """googleapiclient.discovery.build_from_document, or the static service for the very document generated."""
    # googleapiclient decodes bytes as UTF-8 (no BOM, no UTF-16/32) and checks its
    # arguments before parsing: a document it would reject, or one that does not
    # parse, goes to it, which raises its own error in its own order.
    document = service
    try:
        if isinstance(document, bytes):
            document = document.decode("utf-8")
        if isinstance(document, str):
            document = json.loads(document)
    except ValueError:
        document = None
    found = None
    if isinstance(document, dict):
        fields = cast("dict[str, Any]", document)
        if fields.get("name") == name:
            found = versions.get(str(fields.get("version", "")))
            if found is not None and found[2] != document_sha256(fields):
                found = None
    if found is None:
        from googleapiclient import discovery

        return discovery.build_from_document(service, **options)
    return _build_service(package, found[0], options)


def document_sha256(document: Mapping[str, Any]) -> str:
    """The generator's document hash: SHA-256 of the canonical JSON."""
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _build_service(package: str, module: str, options: Mapping[str, Any]) -> Any:
    version_module = importlib.import_module(f"{package}.{module}")
    return version_module.build_service(**{key: options[key] for key in _SERVICE_ARGUMENTS})
