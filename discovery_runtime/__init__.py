"""The runtime every generated package imports: the same code for every API.

Generated packages hold only what comes from their discovery document (the
method tables, types and docstrings); this package holds what they run:

- ``contract``: ``MethodSpec`` and ``ApiInfo``, the objects generated modules hold;
- ``transport``: googleapiclient's createMethod and build_from_document, fed by those tables;
- ``entry``: ``build()`` and ``build_from_document()`` routing to a static service or to googleapiclient;
- ``connections``, ``media``: per-thread connections and media uploads;
- ``errors``, ``pagination``, ``operations``: opt-in helpers for any API.
"""

from __future__ import annotations

from .contract import CONTRACT_VERSION, OLDEST_CONTRACT

__all__ = ["CONTRACT_VERSION", "__version__", "require_contract"]

__version__ = "0.2.0"


class ContractError(ImportError):
    """A generated package needs a runtime contract this runtime does not serve."""


def require_contract(version: int, package: str) -> None:
    """Fail the import of ``package`` in one line if this runtime cannot serve it."""
    if OLDEST_CONTRACT <= version <= CONTRACT_VERSION:
        return
    if version > CONTRACT_VERSION:
        fix = "upgrade discovery_runtime (pip install -U workspaceevents)"
    else:
        fix = f"regenerate {package} with this version's generator"
    raise ContractError(
        f"{package} was generated for runtime contract {version}, but discovery_runtime {__version__} serves "
        f"contracts {OLDEST_CONTRACT} to {CONTRACT_VERSION}: {fix}"
    )
