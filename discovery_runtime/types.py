"""Typed names for the googleapiclient objects users catch, pass and receive.

googleapiclient ships without type information, so a user's ``mypy --strict``
rejects ``from googleapiclient.errors import HttpError`` and pyright strict
reports every batch or error attribute as "partially unknown". This module
gives those very classes typed declarations: type checkers read the
declarations below, while at run time each name *is* googleapiclient's class
(``except types.HttpError`` catches what googleapiclient raises, and
``isinstance`` keeps working). Only the public, documented surface is declared.

``Batch`` callbacks receive ``(request_id, response, exception)``: the response
is ``None`` when ``exception`` (an ``HttpError``) is set, as googleapiclient
calls them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

__all__ = [
    "BatchCallback",
    "BatchError",
    "BatchHttpRequest",
    "Error",
    "HttpError",
    "HttpRequest",
    "MediaFileUpload",
    "MediaInMemoryUpload",
    "MediaIoBaseUpload",
    "MediaUpload",
    "Response",
]

_T = TypeVar("_T")

if TYPE_CHECKING:
    from typing import IO

    from .transport import Request

    class Response(dict[str, str]):
        """httplib2.Response: the response headers, plus the status line."""

        status: int
        reason: str
        version: int

    class Error(Exception):
        """googleapiclient.errors.Error: the base of every googleapiclient error."""

    class HttpError(Error):
        """googleapiclient.errors.HttpError: the server answered with an error status."""

        resp: Response
        content: bytes
        uri: str | None
        reason: str
        error_details: Any

        def __init__(self, resp: Response, content: bytes, uri: str | None = None) -> None: ...

        @property
        def status_code(self) -> int: ...

    class BatchError(HttpError):
        """googleapiclient.errors.BatchError: the batch as a whole failed."""

        def __init__(self, reason: str, resp: Response | None = None, content: bytes | None = None) -> None: ...

    class MediaUpload:
        """googleapiclient.http.MediaUpload: the base of every ``media_body`` object."""

        def chunksize(self) -> int: ...
        def mimetype(self) -> str: ...
        def size(self) -> int | None: ...
        def resumable(self) -> bool: ...
        def getbytes(self, begin: int, end: int) -> bytes: ...
        def has_stream(self) -> bool: ...
        def to_json(self) -> str: ...

    class MediaIoBaseUpload(MediaUpload):
        def __init__(self, fd: IO[bytes], mimetype: str, chunksize: int = ..., resumable: bool = False) -> None: ...

    class MediaFileUpload(MediaIoBaseUpload):
        def __init__(
            self, filename: str, mimetype: str | None = None, chunksize: int = ..., resumable: bool = False
        ) -> None: ...

    class MediaInMemoryUpload(MediaIoBaseUpload):
        def __init__(self, body: bytes, mimetype: str = ..., chunksize: int = ..., resumable: bool = False) -> None: ...

    class HttpRequest:
        """googleapiclient.http.HttpRequest: what ``requestBuilder`` builds by default."""

        uri: str
        method: str
        body: Any
        headers: dict[str, str]
        methodId: str | None
        resumable: MediaUpload | None

        def __init__(
            self,
            http: Any,
            postproc: Callable[[Response, bytes], Any],
            uri: str,
            method: str = "GET",
            body: str | None = None,
            headers: dict[str, str] | None = None,
            methodId: str | None = None,
            resumable: MediaUpload | None = None,
        ) -> None: ...
        def execute(self, http: Any = None, num_retries: int = 0) -> Any: ...
        def add_response_callback(self, cb: Callable[[Response], object]) -> None: ...
        def to_json(self) -> str: ...

    class BatchHttpRequest:
        """googleapiclient.http.BatchHttpRequest, with typed ``add`` and ``execute``.

        ``add`` keeps the request's response type: a callback for a
        ``Request[Subscription]`` receives ``Subscription | None``.
        """

        def __init__(self, callback: BatchCallback[Any] | None = None, batch_uri: str | None = None) -> None: ...
        def add(
            self,
            request: Request[_T],
            callback: BatchCallback[_T] | None = None,
            request_id: str | None = None,
        ) -> None: ...
        def execute(self, http: Any = None) -> None: ...

else:
    from googleapiclient.errors import BatchError, Error, HttpError
    from googleapiclient.http import (
        BatchHttpRequest,
        HttpRequest,
        MediaFileUpload,
        MediaInMemoryUpload,
        MediaIoBaseUpload,
        MediaUpload,
    )
    from httplib2 import Response

# (request_id, response or None, HttpError or None): what a batch calls back with.
BatchCallback = Callable[[str, _T | None, HttpError | None], object]
