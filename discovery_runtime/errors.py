"""Read Google's JSON error body out of a ``googleapiclient.errors.HttpError``.

Opt-in helpers; errors are still raised by googleapiclient unchanged. Both
envelopes that ``$.xgafv`` selects are understood::

    {"error": {"code": 409, "message": "...", "status": "ALREADY_EXISTS",     # "2" or absent
               "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                            "reason": "...", "domain": "...", "metadata": {...}}]}}

    {"error": {"code": 409, "message": "...", "status": "ALREADY_EXISTS",     # "1": adds the
               "errors": [{"message": "...", "domain": "global", "reason": "conflict"}],
               "details": [...]}}                                            # legacy errors[]

The canonical status comes from ``error.status``; a legacy body without one
gets it from the HTTP status (google.rpc.Code's HTTP mapping). ErrorInfo comes
from ``details``; when there is none, ``reason``/``domain`` fall back to the
first legacy ``errors[]`` entry.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict, cast

__all__ = [
    "CANONICAL_CODES",
    "ApiError",
    "ErrorInfo",
    "RpcStatus",
    "api_error",
    "error_info",
    "error_status",
    "find_error_info",
    "has_status",
    "status_name",
]

# google.rpc.Code: the canonical status names, indexed by their number.
CANONICAL_CODES = (
    "OK",
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
    "OUT_OF_RANGE",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
    "UNAUTHENTICATED",
)

# google.rpc.Code's HTTP mapping, for legacy bodies that carry no "status".
# 409 is left out: it is ABORTED or ALREADY_EXISTS and only the body can tell.
_HTTP_TO_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    412: "FAILED_PRECONDITION",
    416: "OUT_OF_RANGE",
    429: "RESOURCE_EXHAUSTED",
    499: "CANCELLED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}

_ERROR_INFO_TYPE = "type.googleapis.com/google.rpc.ErrorInfo"


class RpcStatus(TypedDict, total=False):
    """google.rpc.Status, as an operation's ``error`` carries it (same keys as the schema ``Status``)."""

    code: int
    message: str
    details: list[dict[str, Any]]


@dataclass(frozen=True)
class ErrorInfo:
    """google.rpc.ErrorInfo: why the call failed, in machine-readable form."""

    reason: str
    domain: str
    metadata: Mapping[str, str] = field(default_factory=dict[str, str])


@dataclass(frozen=True)
class ApiError:
    """What an error response says, whichever envelope it came in."""

    http_status: int
    status: str
    message: str
    error_info: ErrorInfo | None = None
    details: tuple[Mapping[str, Any], ...] = ()
    legacy_errors: tuple[Mapping[str, Any], ...] = ()

    @property
    def reason(self) -> str | None:
        return self.error_info.reason if self.error_info is not None else None

    @property
    def domain(self) -> str | None:
        return self.error_info.domain if self.error_info is not None else None


def status_name(code: int) -> str:
    """The canonical name of a google.rpc.Code number (``6`` -> ``"ALREADY_EXISTS"``)."""
    return CANONICAL_CODES[code] if 0 <= code < len(CANONICAL_CODES) else "UNKNOWN"


def api_error(exc: BaseException) -> ApiError | None:
    """Parse an ``HttpError``'s body; ``None`` for any other exception.

    A body that is not Google's JSON error still gives an ``ApiError``: its
    status comes from the HTTP status and its message is the raw text.
    """
    content = getattr(exc, "content", None)
    resp = getattr(exc, "resp", None)
    if not isinstance(content, bytes) or resp is None:
        return None
    http_status = _int(getattr(resp, "status", 0))
    text = content.decode("utf-8", errors="replace")
    try:
        data: object = json.loads(text)
    except ValueError:
        data = None
    # A batch part may carry a list of error objects; googleapiclient reads the first.
    items = _seq(data)
    if items:
        data = items[0]
    body = _map(_map(data).get("error"))
    if not body:
        return ApiError(
            http_status=http_status, status=_HTTP_TO_STATUS.get(http_status, "UNKNOWN"), message=text.strip()
        )
    details = _maps(body.get("details"))
    legacy = _maps(body.get("errors"))
    status = body.get("status")
    if not isinstance(status, str) or not status:
        status = _HTTP_TO_STATUS.get(http_status, "UNKNOWN")
    message = body.get("message")
    return ApiError(
        http_status=_int(body.get("code", http_status)) or http_status,
        status=status,
        message=message if isinstance(message, str) else "",
        error_info=_error_info(details, legacy),
        details=details,
        legacy_errors=legacy,
    )


def error_status(exc: BaseException) -> str | None:
    """The canonical status of an ``HttpError`` (e.g. ``"ALREADY_EXISTS"``), else ``None``."""
    parsed = api_error(exc)
    return parsed.status if parsed is not None else None


def error_info(exc: BaseException) -> ErrorInfo | None:
    """The ErrorInfo of an ``HttpError`` (reason, domain, metadata), if it has one."""
    parsed = api_error(exc)
    return parsed.error_info if parsed is not None else None


def has_status(exc: BaseException, *statuses: str) -> bool:
    """Whether ``exc`` is an ``HttpError`` with one of these canonical statuses."""
    return error_status(exc) in statuses


def find_error_info(details: object) -> ErrorInfo | None:
    """The google.rpc.ErrorInfo among a Status's ``details`` list, if there is one."""
    for detail in _maps(details):
        if detail.get("@type") == _ERROR_INFO_TYPE:
            metadata = _map(detail.get("metadata"))
            return ErrorInfo(
                reason=_str(detail.get("reason")),
                domain=_str(detail.get("domain")),
                metadata={str(k): _str(v) for k, v in metadata.items()},
            )
    return None


def _error_info(details: Sequence[Mapping[str, Any]], legacy: Sequence[Mapping[str, Any]]) -> ErrorInfo | None:
    found = find_error_info(list(details))
    if found is None and legacy:
        found = ErrorInfo(reason=_str(legacy[0].get("reason")), domain=_str(legacy[0].get("domain")))
    return found


def _map(value: object) -> Mapping[str, Any]:
    return cast("Mapping[str, Any]", value) if isinstance(value, Mapping) else {}


def _seq(value: object) -> Sequence[object]:
    return cast("list[object]", value) if isinstance(value, list) else ()


def _maps(value: object) -> tuple[Mapping[str, Any], ...]:
    return tuple(_map(item) for item in _seq(value) if _map(item))


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
