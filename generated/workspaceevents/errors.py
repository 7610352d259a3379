"""Read Google's JSON error body out of a ``googleapiclient.errors.HttpError``.

The same module as ``discovery_runtime.errors``, under the import path
``workspaceevents.errors``; plus ``HttpError`` and ``BatchError``, which are
googleapiclient's classes with typed declarations (``discovery_runtime.types``),
so ``except HttpError`` type-checks without importing untyped googleapiclient.
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
from discovery_runtime.types import BatchError, Error, HttpError

__all__ = [
    "CANONICAL_CODES",
    "ApiError",
    "BatchError",
    "Error",
    "ErrorInfo",
    "HttpError",
    "RpcStatus",
    "api_error",
    "error_info",
    "error_status",
    "find_error_info",
    "has_status",
    "status_name",
]
