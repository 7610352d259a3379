"""Read Google's JSON error body out of a ``googleapiclient.errors.HttpError``.

The same module as ``discovery_runtime.errors``, under the import path
``workspaceevents.errors``.
"""

from discovery_runtime.errors import (
    CANONICAL_CODES,
    ApiError,
    ErrorInfo,
    RpcStatus,
    api_error,
    error_info,
    error_status,
    find_error_info,
    has_status,
    status_name,
)

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
