"""The contract between the generator and the runtime: the objects generated modules hold.

The generator builds these very classes and writes them as Python literals
with one generic serializer (``codegen.literals.pyrepr``): each keyword-only
argument of ``__init__`` is written by name, read back from the attribute of
the same name. Adding a field is a change to this file only; what the runtime
derives for itself is set in ``__init__`` without being an argument. Plain
``__slots__`` classes, not dataclasses: creating a dataclass costs about 2 ms
of every cold start, and a big API imports thousands of these objects.

``CONTRACT_VERSION`` changes whenever a generated module written for the old
contract could no longer be served: a field added without a default, one
removed or renamed, or a meaning changed. The generated package checks it at
import (:func:`discovery_runtime.require_contract`).
"""

from __future__ import annotations

import re
import urllib.parse

__all__ = ["CONTRACT_VERSION", "OLDEST_CONTRACT", "ApiInfo", "MethodSpec"]

CONTRACT_VERSION = 1
# The oldest contract this runtime still serves.
OLDEST_CONTRACT = 1

# Per argument sent as a parameter: (wire name, that name urlencoded, its JSON
# type, sent in the query, sent in the path).
WireEntry = tuple[str, str, str, bool, bool]


class ApiInfo:
    """Document-level constants that ``build_from_document`` reads."""

    __slots__ = ("batch_path", "data_wrapper", "mtls_root_url", "root_url", "scopes", "service_path")

    def __init__(
        self,
        *,
        root_url: str,
        service_path: str,
        batch_path: str,
        mtls_root_url: str | None,
        scopes: tuple[str, ...],
        data_wrapper: bool,
    ) -> None:
        self.root_url = root_url
        self.service_path = service_path
        self.batch_path = batch_path
        self.mtls_root_url = mtls_root_url
        self.scopes = scopes
        self.data_wrapper = data_wrapper

    def __eq__(self, other: object) -> bool:
        return type(other) is ApiInfo and all(getattr(self, n) == getattr(other, n) for n in self.__slots__)

    __hash__ = None  # type: ignore[assignment]


class MethodSpec:
    """The tables googleapiclient's ``createMethod`` closure holds for one method."""

    __slots__ = (
        "_compiled",
        "api_version",
        "argmap",
        "enums",
        "http_method",
        "media_accept",
        "media_max_size",
        "media_path_url",
        "method_id",
        "path",
        "path_params",
        "path_parts",
        "patterns",
        "query",
        "repeated",
        "required",
        "response",
        "types",
        "wire",
    )

    def __init__(
        self,
        *,
        method_id: str,
        http_method: str,
        path: str,
        # The path as (literal, variable, reserved) triples when every expression
        # is a plain {var} or {+var}; None sends expansion through uritemplate.
        path_parts: tuple[tuple[str, str, bool], ...] | None,
        # Python argument name -> wire name, in createMethod's order.
        argmap: dict[str, str],
        required: tuple[str, ...],
        repeated: frozenset[str],
        patterns: tuple[tuple[str, str], ...],
        enums: tuple[tuple[str, tuple[str, ...]], ...],
        # JSON type of the arguments that are not strings.
        types: dict[str, str],
        query: frozenset[str],
        path_params: frozenset[str],
        # 'json' (the service's model), 'raw' (no response body) or 'media'.
        response: str,
        media_path_url: str | None = None,
        media_accept: tuple[str, ...] = (),
        media_max_size: int = 0,
        api_version: str | None = None,
    ) -> None:
        self.method_id = method_id
        self.http_method = http_method
        self.path = path
        self.path_parts = path_parts
        self.argmap = argmap
        self.required = required
        self.repeated = repeated
        self.patterns = patterns
        self.enums = enums
        self.types = types
        self.query = query
        self.path_params = path_params
        self.response = response
        self.media_path_url = media_path_url
        self.media_accept = media_accept
        self.media_max_size = media_max_size
        self.api_version = api_version
        # Built on first use: big APIs import many specs, most never called.
        self.wire: dict[str, WireEntry] | None = None
        self._compiled: tuple[tuple[str, str, re.Pattern[str]], ...] | None = None

    def wire_table(self) -> dict[str, WireEntry]:
        """The arguments sent as parameters (not body or media), with how each is sent."""
        if self.wire is None:
            table = {
                name: (
                    wire,
                    urllib.parse.quote_plus(wire),
                    self.types.get(name, "string"),
                    name in self.query,
                    name in self.path_params,
                )
                for name, wire in self.argmap.items()
                if name in self.query or name in self.path_params
            }
            self.wire = table
            return table
        return self.wire

    def compiled_patterns(self) -> tuple[tuple[str, str, re.Pattern[str]], ...]:
        """(argument, regex, compiled) for every pattern-checked argument."""
        # Compiled on first use: a bad pattern fails the call, as it does in
        # googleapiclient, and unused methods cost nothing at import.
        if self._compiled is None:
            compiled = tuple((name, regex, re.compile(regex)) for name, regex in self.patterns)
            self._compiled = compiled
            return compiled
        return self._compiled
