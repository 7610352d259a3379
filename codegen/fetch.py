"""Fetch a discovery document from a URL the user gave: untrusted, so bounded in every direction.

Contract of :func:`fetch_url`:

* https only; plain http needs ``allow_http=True`` (``--allow-http``).
* Redirects (301, 302, 303, 307, 308; at most ``MAX_REDIRECTS``) are followed
  only to https (or http when allowed); a downgrade is refused.
* The body is capped at ``max_bytes`` (default ``DEFAULT_MAX_BYTES``, 64 MiB;
  the largest document bundled with googleapiclient is 5.7 MiB): a
  ``Content-Length`` above the cap is refused before any of the body is read,
  and a body without one is refused as soon as it passes the cap, so memory
  stays bounded.
* ``connect_timeout`` (default 10 s) bounds the connection and every single
  read; ``deadline`` (default 30 s) bounds the whole fetch, redirects and a
  slow drip included: a watchdog shuts the socket down when it passes.
* Certificates are checked against the system's CAs, or only against
  ``ca_file`` (``--ca-file``) when given: how tests trust a self-signed server.
* Every failure is one :class:`FetchError` (a :class:`DiscoveryError`, so the
  command line prints one line and exits 2) whose message starts with the URL.

:func:`add_flags` and :func:`options_from` give a command (``update``, ``diff``)
the matching flags: ``--allow-http``, ``--max-bytes``, ``--timeout``,
``--connect-timeout``, ``--ca-file``.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import socket
import ssl
import threading
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any

from .discovery import DiscoveryError

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
DEFAULT_DEADLINE = 30.0
DEFAULT_CONNECT_TIMEOUT = 10.0
MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024


class FetchError(DiscoveryError):
    """A URL that could not be fetched within the limits; the message starts with the URL."""


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchOptions:
    allow_http: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES
    deadline: float = DEFAULT_DEADLINE
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    ca_file: str | None = None


def is_url(source: str) -> bool:
    """True when ``source`` is meant as a URL (then it is fetched or refused, never read as a file)."""
    return "://" in source or source.strip().lower().startswith(("http:", "https:"))


def fetch_url(url: str, options: FetchOptions | None = None) -> bytes:
    """The body of ``url`` within ``options``' limits, or :class:`FetchError`."""
    options = options or FetchOptions()
    _check_options(url, options)
    context = _tls_context(url, options)
    give_up = time.monotonic() + options.deadline
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        parts = _check_url(url, current, options)
        status, location, body = _get(url, parts, options, context, give_up)
        if status not in _REDIRECTS:
            if status != 200:
                raise FetchError(f"{url}: HTTP status {status}, expected 200")
            return body
        if not location:
            raise FetchError(f"{url}: redirect {status} without a Location header")
        current = urllib.parse.urljoin(current, location)
    raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")


def _check_options(url: str, options: FetchOptions) -> None:
    if options.max_bytes <= 0:
        raise FetchError(f"--max-bytes: must be positive, got {options.max_bytes}")
    for flag, seconds in (("--timeout", options.deadline), ("--connect-timeout", options.connect_timeout)):
        if not 0 < seconds <= 3600:  # also refuses NaN
            raise FetchError(f"{flag}: must be more than 0 and at most 3600 seconds, got {seconds}")


def _tls_context(url: str, options: FetchOptions) -> ssl.SSLContext:
    try:
        return ssl.create_default_context(cafile=options.ca_file)
    except (OSError, ssl.SSLError) as error:
        raise FetchError(f"{url}: cannot load --ca-file {options.ca_file}: {_reason(error)}") from None


def _check_url(url: str, current: str, options: FetchOptions) -> urllib.parse.SplitResult:
    try:
        parts = urllib.parse.urlsplit(current)
        port = parts.port
    except ValueError as error:
        raise FetchError(f"{url}: not a valid URL: {error}") from None
    allowed = {"https", "http"} if options.allow_http else {"https"}
    if parts.scheme not in allowed:
        where = "" if current == url else f" (redirected to {current})"
        hint = " (--allow-http allows plain http)" if parts.scheme == "http" else ""
        raise FetchError(f"{url}: only https URLs are fetched{where}{hint}")
    if not parts.hostname:
        raise FetchError(f"{url}: no host in the URL")
    if port == 0:
        raise FetchError(f"{url}: port 0 is not a port")
    return parts


def _get(
    url: str,
    parts: urllib.parse.SplitResult,
    options: FetchOptions,
    context: ssl.SSLContext,
    give_up: float,
) -> tuple[int, str | None, bytes]:
    """One GET: (status, Location, body). The body is read only for a 200."""
    remaining = give_up - time.monotonic()
    if remaining <= 0:
        raise FetchError(f"{url}: took longer than the {options.deadline:g} s deadline")
    timeout = min(options.connect_timeout, remaining)
    host = parts.hostname or ""
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(host, parts.port, timeout=timeout, context=context)
    else:
        connection = http.client.HTTPConnection(host, parts.port, timeout=timeout)
    # The watchdog: a drip of one byte a second never trips a per-read timeout, so close at the deadline.
    expired = threading.Event()
    watchdog = threading.Timer(remaining, _shut, (connection, expired))
    watchdog.daemon = True
    watchdog.start()
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("GET", target, headers={"Accept": "application/json", "Accept-Encoding": "identity"})
        response = connection.getresponse()
        if response.status != 200:
            return response.status, response.getheader("Location"), b""
        return 200, None, _read_capped(url, response, options.max_bytes)
    except (FetchError, OSError, http.client.HTTPException, ValueError) as error:
        # After the watchdog fires, reads fail or end early: either way the deadline is the cause.
        if expired.is_set():
            raise FetchError(f"{url}: took longer than the {options.deadline:g} s deadline") from None
        if isinstance(error, FetchError):
            raise
        raise FetchError(f"{url}: cannot fetch: {_reason(error)}") from None
    finally:
        watchdog.cancel()
        connection.close()


def _read_capped(url: str, response: http.client.HTTPResponse, max_bytes: int) -> bytes:
    length = response.getheader("Content-Length")
    if length is not None and length.strip().isdigit() and int(length) > max_bytes:
        raise FetchError(f"{url}: body of {int(length)} bytes is over the {max_bytes}-byte limit (--max-bytes)")
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = response.read1(_CHUNK)  # what has arrived, not a full chunk: the deadline stays in charge
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"{url}: body is over the {max_bytes}-byte limit (--max-bytes)")
        chunks.append(chunk)
    if length is not None and length.strip().isdigit() and size != int(length):
        raise FetchError(f"{url}: body ended after {size} of {int(length)} bytes")
    return b"".join(chunks)


def _shut(connection: http.client.HTTPConnection, expired: threading.Event) -> None:
    expired.set()
    sock = connection.sock
    if sock is not None:
        # The plain socket's shutdown, not SSLSocket's: that one would tear down TLS state under the reader.
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _reason(error: BaseException) -> str:
    """One line: the exception's text, or its class name when it has none."""
    if isinstance(error, http.client.IncompleteRead):
        return f"body ended early ({len(error.partial)} bytes read, {error.expected} more expected)"
    text = " ".join(str(error).split())
    return text or type(error).__name__


# -- command-line flags -----------------------------------------------------------------------------


def add_flags(parser: argparse.ArgumentParser) -> None:
    """The flags that bound fetching a URL SOURCE (see codegen.fetch)."""
    group = parser.add_argument_group("fetching a URL")
    group.add_argument("--allow-http", action="store_true", help="also fetch plain http URLs (default: https only)")
    group.add_argument(
        "--max-bytes",
        default=DEFAULT_MAX_BYTES,
        help="refuse a body larger than this (default: %(default)s, 64 MiB)",
    )
    group.add_argument(
        "--timeout",
        default=DEFAULT_DEADLINE,
        help="overall deadline for the fetch, redirects included, in seconds (default: %(default)s)",
    )
    group.add_argument(
        "--connect-timeout",
        default=DEFAULT_CONNECT_TIMEOUT,
        help="bound on connecting and on each read, in seconds (default: %(default)s)",
    )
    group.add_argument("--ca-file", metavar="PEM", help="trust only the CA certificates in PEM (default: the system's)")


def options_from(args: argparse.Namespace) -> FetchOptions:
    """The --allow-http, --max-bytes, --timeout, --connect-timeout and --ca-file flags."""
    return FetchOptions(
        allow_http=args.allow_http,
        max_bytes=_number(args, "--max-bytes", int),
        deadline=_number(args, "--timeout", float),
        connect_timeout=_number(args, "--connect-timeout", float),
        ca_file=args.ca_file,
    )


def _number(args: argparse.Namespace, flag: str, kind: type[int] | type[float]) -> Any:
    """A numeric flag's value; a bad one is one line and exit 2 (argparse would print its usage too)."""
    text = getattr(args, flag.removeprefix("--").replace("-", "_"))
    try:
        return kind(text)
    except (TypeError, ValueError):
        raise FetchError(f"{flag}: not a number: {text!r}") from None
