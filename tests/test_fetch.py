"""``codegen.fetch`` against real servers on 127.0.0.1: https with a certificate made here, and plain http.

The certificate is self-signed, made with ``cryptography`` for 127.0.0.1, and
reaches the fetcher only through its documented CA option (``ca_file`` /
``--ca-file``). Each limit is tested with the server misbehaving for real: a
huge ``Content-Length``, an endless body, a body cut short, a one-byte drip,
redirects to http and in circles.
"""

from __future__ import annotations

import datetime
import http.server
import ipaddress
import json
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from codegen.cli import main
from codegen.discovery import DiscoveryError, read_source
from codegen.fetch import FetchError, FetchOptions, fetch_url, is_url
from tests.diff_cases import pinned

DOC = json.dumps(pinned()).encode("utf-8")


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """(certificate PEM, key PEM) for 127.0.0.1, self-signed, valid for a day."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "codegen test CA")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


class Handler(http.server.BaseHTTPRequestHandler):
    """Routes that each misbehave in one way. ``other`` is the base URL of the other server."""

    body: ClassVar[bytes] = DOC
    other: ClassVar[str] = ""
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        route = self.path.split("?")[0]
        if route == "/doc":
            self._send(200, self.body)
        elif route == "/to-https":
            self._redirect(self.other.replace("http://", "https://") + "/doc")
        elif route == "/to-http":
            self._redirect(self.other.replace("https://", "http://") + "/doc")
        elif route == "/relative":
            self._redirect("/doc")
        elif route == "/loop":
            self._redirect("/loop")
        elif route == "/huge-length":
            self.send_response(200)
            self.send_header("Content-Length", str(2 * 1024**3))
            self.end_headers()
            self.wfile.write(b"{" * 1024)
        elif route == "/endless":
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            for _ in range(4096):  # 4 MiB at most, against a 1 MiB cap
                self.wfile.write(b" " * 1024)
        elif route == "/short":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b'{"name": ')
            self.close_connection = True
        elif route == "/drip":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            for _ in range(100):  # 20 s in all, unless the client hangs up first
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.2)
        else:
            self._send(404, b"not here")

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def handle(self) -> None:
        try:
            super().handle()
        except (OSError, ssl.SSLError):
            pass  # the client hung up on purpose (a cap or a deadline): not a server failure

    def log_message(self, format: str, *args: Any) -> None:
        del format, args


@dataclass(frozen=True)
class Servers:
    https: str
    http: str
    ca_file: Path

    def options(self, **kwargs: Any) -> FetchOptions:
        return FetchOptions(ca_file=str(self.ca_file), **kwargs)


def _serve(httpd: http.server.ThreadingHTTPServer) -> threading.Thread:
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    return thread


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = make_certificate(folder)
    plain = http.server.ThreadingHTTPServer(("127.0.0.1", 0), type("Plain", (Handler,), {}))
    secure = http.server.ThreadingHTTPServer(("127.0.0.1", 0), type("Secure", (Handler,), {}))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    secure.socket = context.wrap_socket(secure.socket, server_side=True)
    urls = Servers(
        https=f"https://127.0.0.1:{secure.server_address[1]}",
        http=f"http://127.0.0.1:{plain.server_address[1]}",
        ca_file=cert,
    )
    plain.RequestHandlerClass.other = urls.https  # type: ignore[attr-defined]
    secure.RequestHandlerClass.other = urls.http  # type: ignore[attr-defined]
    threads = [_serve(plain), _serve(secure)]
    try:
        yield urls
    finally:
        for server in (plain, secure):
            server.shutdown()
            server.server_close()
        for thread in threads:
            thread.join()


def _refused(url: str, options: FetchOptions, message: str) -> str:
    with pytest.raises(FetchError) as error:
        fetch_url(url, options)
    text = str(error.value)
    assert text.startswith(url) or text.startswith("--"), text
    assert message in text, text
    assert "\n" not in text
    return text


def test_https_with_the_given_ca(servers: Servers) -> None:
    assert fetch_url(f"{servers.https}/doc", servers.options()) == DOC


def test_https_without_the_ca_is_refused(servers: Servers) -> None:
    _refused(f"{servers.https}/doc", FetchOptions(), "CERTIFICATE_VERIFY_FAILED")


def test_plain_http_needs_the_flag(servers: Servers) -> None:
    _refused(f"{servers.http}/doc", servers.options(), "only https URLs are fetched")
    assert fetch_url(f"{servers.http}/doc", servers.options(allow_http=True)) == DOC


@pytest.mark.parametrize("url", ["ftp://example.com/x.json", "file:///etc/passwd", "HTTP://127.0.0.1:1/x"])
def test_other_schemes_are_refused(url: str) -> None:
    assert is_url(url)
    _refused(url, FetchOptions(), "only https URLs are fetched")


def test_redirects_stay_on_https(servers: Servers) -> None:
    assert fetch_url(f"{servers.https}/relative", servers.options()) == DOC
    assert fetch_url(f"{servers.http}/to-https", servers.options(allow_http=True)) == DOC
    _refused(f"{servers.https}/to-http", servers.options(), "(redirected to http://127.0.0.1")
    _refused(f"{servers.https}/loop", servers.options(), "more than 5 redirects")


def test_huge_content_length_is_refused_before_reading(servers: Servers) -> None:
    _refused(f"{servers.https}/huge-length", servers.options(), "body of 2147483648 bytes is over the")


def test_body_without_length_is_cut_at_the_cap(servers: Servers) -> None:
    _refused(f"{servers.https}/endless", servers.options(max_bytes=1024**2), "over the 1048576-byte limit")


def test_short_body_is_one_line(servers: Servers) -> None:
    _refused(f"{servers.https}/short", servers.options(), "body ended")


def test_drip_meets_the_deadline(servers: Servers) -> None:
    started = time.monotonic()
    _refused(f"{servers.https}/drip", servers.options(deadline=0.6), "deadline")
    assert time.monotonic() - started < 10  # the drip alone would take 20 s


def test_http_errors_and_refused_connections(servers: Servers) -> None:
    _refused(f"{servers.https}/missing", servers.options(), "HTTP status 404")
    _refused("https://127.0.0.1:1/doc", servers.options(connect_timeout=1.0), "cannot fetch")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (FetchOptions(max_bytes=0), "--max-bytes: must be positive"),
        (FetchOptions(deadline=0), "--timeout: must be more than 0"),
        (FetchOptions(connect_timeout=float("nan")), "--connect-timeout"),
    ],
)
def test_bad_options(options: FetchOptions, message: str) -> None:
    _refused("https://127.0.0.1:1/doc", options, message)


def test_missing_ca_file(tmp_path: Path) -> None:
    _refused("https://127.0.0.1:1/doc", FetchOptions(ca_file=str(tmp_path / "none.pem")), "cannot load --ca-file")


def test_read_source_fetches_urls(servers: Servers) -> None:
    text, label = read_source(f"{servers.https}/doc", servers.options())
    assert (text.encode("utf-8"), label) == (DOC, f"{servers.https}/doc")
    with pytest.raises(DiscoveryError, match="only https"):
        read_source(f"{servers.http}/doc")


def test_diff_takes_urls_and_the_same_flags(servers: Servers, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"{servers.https}/doc"
    assert main(["diff", url, url, "--ca-file", str(servers.ca_file)]) == 0
    assert "no changes" in capsys.readouterr().out
    assert main(["diff", url, f"{servers.http}/doc", "--ca-file", str(servers.ca_file)]) == 2
    err = capsys.readouterr().err
    assert "only https URLs are fetched" in err and err.count("\n") == 1
