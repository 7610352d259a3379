"""build()/build_from_document(): endpoints, credentials and http, against googleapiclient.

Every case builds one service with each client from the same arguments and
environment, then compares what build_from_document resolved (base URL,
universe, http object, credentials, certificates) and the first call, which
is where a universe mismatch surfaces.
"""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import google.auth
import google.auth.credentials
import google.oauth2.credentials
import google_auth_httplib2
import httplib2
import pytest
import workspaceevents
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.api_core.client_options import ClientOptions
from google.auth.transport import mtls
from google.oauth2 import service_account
from googleapiclient import discovery
from googleapiclient.http import HttpMock
from hypothesis import strategies as st

from tests.strategies import DOCUMENT, DOCUMENT_TEXT, PINNED, REPO, assert_same_outcome, given, outcome, settings

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::UserWarning")

CERT_ENV = ("GOOGLE_API_CERTIFICATE_CONFIG", "CLOUDSDK_CONTEXT_AWARE_CERTIFICATE_CONFIG_FILE_PATH")


@dataclass(frozen=True)
class Files:
    service_account: dict[str, Any]
    service_account_file: str
    user_file: str


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Files:
    """A fake service-account key (a real RSA key, so google-auth can load it) and a fake user file."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    info = {
        "type": "service_account",
        "project_id": "project",
        "private_key_id": "1",
        "private_key": pem.decode(),
        "client_email": "robot@project.iam.gserviceaccount.com",
        "client_id": "1",
        "token_uri": "https://oauth2.googleapis.com/token",
    }
    user = {"type": "authorized_user", "client_id": "c", "client_secret": "s", "refresh_token": "r"}
    folder = tmp_path_factory.mktemp("credentials")
    (folder / "sa.json").write_text(json.dumps(info))
    (folder / "user.json").write_text(json.dumps({**user, "quota_project_id": "from-file"}))
    return Files(info, str(folder / "sa.json"), str(folder / "user.json"))


@pytest.fixture(autouse=True)
def _environment(clean_env: pytest.MonkeyPatch, files: Files, tmp_path: Path) -> Iterator[None]:
    """No host settings, and Application Default Credentials without the network."""
    for name in CERT_ENV:
        clean_env.delenv(name, raising=False)
    clean_env.setenv("HOME", str(tmp_path))

    def default(scopes: Any = None, quota_project_id: Any = None, **_: Any) -> tuple[Any, str]:
        credentials = service_account.Credentials.from_service_account_info(files.service_account, scopes=scopes)
        if quota_project_id:
            credentials = credentials.with_quota_project(quota_project_id)
        return credentials, "project"

    clean_env.setattr(google.auth, "default", default)
    yield


# ---- what a built service resolved ------------------------------------------------------------------


def _cert_source() -> tuple[str, str, str]:
    return "cert.pem", "key.pem", "passphrase"


def _credentials_state(credentials: Any) -> dict[str, Any]:
    if credentials is None:
        return {}
    jwt = getattr(credentials, "_jwt_credentials", None)
    return {
        "type": type(credentials),
        "scopes": getattr(credentials, "scopes", None),
        "default_scopes": getattr(credentials, "default_scopes", None),
        "quota_project_id": getattr(credentials, "quota_project_id", None),
        "universe_domain": getattr(credentials, "universe_domain", None),
        "token": getattr(credentials, "token", None),
        "always_use_jwt_access": getattr(credentials, "_always_use_jwt_access", None),
        "jwt_audience": getattr(jwt, "_audience", None),
    }


def _effective_http(http: Any) -> Any:
    """What serves this thread: the generated client's ThreadLocalHttp makes, per thread,
    the very object googleapiclient makes for the whole service."""
    # By name: other test modules may re-import workspaceevents, which makes new class objects.
    return http._current() if type(http).__name__ in ("ThreadLocalHttp", "ThreadLocalAuthorizedHttp") else http


def _http_state(http: Any) -> dict[str, Any]:
    http = _effective_http(http)
    channel = http.http if isinstance(http, google_auth_httplib2.AuthorizedHttp) else http
    certificates = getattr(channel, "certificates", None)
    return {
        "type": type(http),
        # The shared object's per-thread channel is an httplib2.Http subclass (its timeout reaches every thread).
        "channel": httplib2.Http if isinstance(channel, httplib2.Http) else type(channel),
        "certificates": getattr(certificates, "credentials", None),
        "timeout": getattr(channel, "timeout", None),
        "credentials": _credentials_state(getattr(http, "credentials", None)),
    }


def _state(service: Any) -> dict[str, Any]:
    """Everything build_from_document decided, read from either client."""
    client = getattr(service, "_client", None)
    if client is not None:
        base, http, universe = client.base_url, client.http, client.universe_domain
        key, model, builder = client.developer_key, client.model, client.request_builder
    else:
        base, http, universe = service._baseUrl, service._http, service._universe_domain
        key, model, builder = service._developerKey, service._model, service._requestBuilder
    return {
        "base_url": base,
        "universe_domain": universe,
        "developer_key": key,
        "model": (type(model), vars(model)),
        "request_builder": builder,
        "batch_uri": service.new_batch_http_request()._batch_uri,
        "http": _http_state(http),
    }


def assert_same_build(make_kwargs: Callable[[], dict[str, Any]]) -> None:
    """Both builds fail alike, or resolve alike and fail or succeed alike on two calls."""
    ok_static, static = outcome(lambda: workspaceevents.build_from_document(DOCUMENT_TEXT, **make_kwargs()))
    ok_dynamic, dynamic = outcome(lambda: discovery.build_from_document(DOCUMENT_TEXT, **make_kwargs()))
    assert ok_static == ok_dynamic, (static, dynamic)
    if not ok_static:
        assert type(static) is type(dynamic)
        assert str(static) == str(dynamic)
        return
    assert type(static).__module__.startswith("workspaceevents")
    assert _state(static) == _state(dynamic)
    for _ in range(2):
        assert_same_outcome(
            lambda: static.subscriptions().get(name="subscriptions/x"),
            lambda: dynamic.subscriptions().get(name="subscriptions/x"),
            same_http=False,
        )


# ---- the sweep ----------------------------------------------------------------------------------------

AUTH = (
    "developer_key",
    "anonymous",
    "user",
    "user_other_universe",
    "service_account",
    "adc",
    "user_file",
    "service_account_file",
    "credentials_and_file",
    "http",
    "http_and_credentials",
    "http_and_file",
)
OPTIONS: tuple[dict[str, Any] | None, ...] = (
    None,
    {},
    {"api_endpoint": "https://endpoint.example/base/"},
    {"api_endpoint": "http://localhost:8080"},
    {"universe_domain": "universe.example"},
    {"universe_domain": ""},
    {"universe_domain": " googleapis.com "},
    {"universe_domain": "universe.example", "api_endpoint": "https://endpoint.example/"},
    {"scopes": ["https://www.googleapis.com/auth/chat.bot"]},
    {"quota_project_id": "quota"},
    {"scopes": ["s"], "quota_project_id": "quota"},
    {"client_encrypted_cert_source": _cert_source},
    {"client_cert_source": _cert_source},
)


def _arguments(auth: str, options: dict[str, Any] | None, files: Files) -> dict[str, Any]:
    """Fresh build arguments for one client: credentials are never shared between the two."""
    kwargs: dict[str, Any] = {}
    options = None if options is None else dict(options)
    if auth == "developer_key":
        kwargs["developerKey"] = "k"
    if auth == "anonymous":
        kwargs["credentials"] = google.auth.credentials.AnonymousCredentials()
    if auth in ("user", "credentials_and_file", "http_and_credentials"):
        kwargs["credentials"] = google.oauth2.credentials.Credentials(token="x")
    if auth == "user_other_universe":
        kwargs["credentials"] = google.oauth2.credentials.Credentials(token="x", universe_domain="other.example")
    if auth == "service_account":
        kwargs["credentials"] = service_account.Credentials.from_service_account_info(files.service_account)
    if auth in ("user_file", "credentials_and_file", "http_and_file"):
        options = {**(options or {}), "credentials_file": files.user_file}
    if auth == "service_account_file":
        options = {**(options or {}), "credentials_file": files.service_account_file}
    if auth.startswith("http"):
        kwargs["http"] = HttpMock(None, {"status": "200"})
    if options is not None:
        kwargs["client_options"] = options
    return kwargs


@settings(max_examples=300)
@given(
    auth=st.sampled_from(AUTH),
    options=st.sampled_from(OPTIONS),
    as_object=st.booleans(),
    mtls_env=st.sampled_from([None, "never", "auto", "always", "sometimes"]),
    cert_env=st.sampled_from([None, "true", "false", "bogus"]),
    universe_env=st.sampled_from([None, "env.example", "", "googleapis.com"]),
    adc_cert=st.sampled_from([None, "present", "absent"]),
    jwt=st.booleans(),
)
def test_resolution_matches(
    files: Files,
    auth: str,
    options: dict[str, Any] | None,
    as_object: bool,
    mtls_env: str | None,
    cert_env: str | None,
    universe_env: str | None,
    adc_cert: str | None,
    jwt: bool,
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        for name, value in (
            ("GOOGLE_API_USE_MTLS_ENDPOINT", mtls_env),
            ("GOOGLE_API_USE_CLIENT_CERTIFICATE", cert_env),
            ("GOOGLE_CLOUD_UNIVERSE_DOMAIN", universe_env),
        ):
            if value is not None:
                patch.setenv(name, value)
        patch.setattr(mtls, "has_default_client_cert_source", lambda: adc_cert == "present")
        patch.setattr(mtls, "default_client_encrypted_cert_source", lambda cert, key: _cert_source)

        def make() -> dict[str, Any]:
            kwargs = _arguments(auth, options, files)
            if as_object and isinstance(kwargs.get("client_options"), dict):
                kwargs["client_options"] = ClientOptions(**kwargs["client_options"])
            if adc_cert is not None:
                kwargs.update(adc_cert_path="adc-cert.pem", adc_key_path="adc-key.pem")
            kwargs["always_use_jwt_access"] = jwt
            return kwargs

        assert_same_build(make)


# ---- the cases the sweep must not miss, by name -------------------------------------------------------

CASES: dict[str, tuple[str, dict[str, Any] | None, dict[str, str]]] = {
    "api_endpoint": ("developer_key", {"api_endpoint": "https://endpoint.example/base/"}, {}),
    "universe option": ("developer_key", {"universe_domain": "universe.example"}, {}),
    "universe env": ("developer_key", None, {"GOOGLE_CLOUD_UNIVERSE_DOMAIN": "env.example"}),
    "universe option beats env": (
        "developer_key",
        {"universe_domain": "universe.example"},
        {"GOOGLE_CLOUD_UNIVERSE_DOMAIN": "env.example"},
    ),
    "empty universe": ("developer_key", {"universe_domain": ""}, {}),
    "mtls never": ("developer_key", None, {"GOOGLE_API_USE_MTLS_ENDPOINT": "never"}),
    "mtls auto": ("developer_key", None, {"GOOGLE_API_USE_MTLS_ENDPOINT": "auto"}),
    "mtls always": ("developer_key", None, {"GOOGLE_API_USE_MTLS_ENDPOINT": "always"}),
    "mtls bad value": ("developer_key", None, {"GOOGLE_API_USE_MTLS_ENDPOINT": "bad"}),
    "mtls always in another universe": (
        "developer_key",
        {"universe_domain": "universe.example"},
        {"GOOGLE_API_USE_MTLS_ENDPOINT": "always"},
    ),
    "mtls always with api_endpoint": (
        "developer_key",
        {"api_endpoint": "https://endpoint.example/"},
        {"GOOGLE_API_USE_MTLS_ENDPOINT": "always"},
    ),
    "client certificate, auto": (
        "developer_key",
        {"client_encrypted_cert_source": _cert_source},
        {"GOOGLE_API_USE_CLIENT_CERTIFICATE": "true"},
    ),
    "client certificate not enabled": ("developer_key", {"client_encrypted_cert_source": _cert_source}, {}),
    "client_cert_source unsupported": ("developer_key", {"client_cert_source": _cert_source}, {}),
    "credentials_file, authorized user": ("user_file", None, {}),
    "credentials_file, service account": ("service_account_file", {"quota_project_id": "quota"}, {}),
    "credentials_file and scopes": ("service_account_file", {"scopes": ["a", "b"]}, {}),
    "adc with quota project": ("adc", {"quota_project_id": "quota"}, {}),
    "adc with scopes": ("adc", {"scopes": ["a"]}, {}),
    "adc with default scopes": ("adc", None, {}),
    "service account, scoped": ("service_account", None, {}),
    "http and credentials": ("http_and_credentials", None, {}),
    "http and credentials_file": ("http_and_file", None, {}),
    "credentials and credentials_file": ("credentials_and_file", None, {}),
    "credentials in another universe": ("user_other_universe", None, {}),
    "client in another universe": ("user", {"universe_domain": "universe.example"}, {}),
    "http without credentials, another universe": ("http", {"universe_domain": "universe.example"}, {}),
    "anonymous credentials": ("anonymous", None, {}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_named_case_matches(case: str, files: Files, clean_env: pytest.MonkeyPatch) -> None:
    auth, options, environment = CASES[case]
    for name, value in environment.items():
        clean_env.setenv(name, value)
    assert_same_build(lambda: _arguments(auth, options, files))


@pytest.mark.parametrize("jwt", [False, True])
def test_self_signed_jwt_matches(jwt: bool, files: Files) -> None:
    assert_same_build(lambda: {**_arguments("service_account", None, files), "always_use_jwt_access": jwt})


def test_universe_mismatch_raises_on_first_call_only(files: Files) -> None:
    static = workspaceevents.build_from_document(DOCUMENT_TEXT, **_arguments("user_other_universe", None, files))
    dynamic = discovery.build_from_document(DOCUMENT_TEXT, **_arguments("user_other_universe", None, files))
    for service in (static, dynamic):
        with pytest.raises(ValueError, match="does not match the universe domain"):
            service.subscriptions().list()


# ---- build() and build_from_document() themselves --------------------------------------------------------


@pytest.mark.parametrize("name", ["build", "build_from_document"])
def test_signatures_match(name: str) -> None:
    mine = inspect.signature(getattr(workspaceevents, name)).parameters
    theirs = inspect.signature(getattr(discovery, name)).parameters
    assert [(p.name, p.default, p.kind) for p in mine.values()] == [
        (p.name, p.default, p.kind) for p in theirs.values()
    ]


def _is_static(service: Any) -> bool:
    # By name: other test modules may re-import workspaceevents, which makes new class objects.
    return (type(service).__module__, type(service).__name__) == (
        "workspaceevents.v1.service",
        "WorkspaceeventsService",
    )


def test_build_returns_the_static_service() -> None:
    service = workspaceevents.build("workspaceevents", "v1", developerKey="k")
    assert _is_static(service)


def test_other_api_is_delegated() -> None:
    service = workspaceevents.build("drive", "v3", developerKey="k", static_discovery=True)
    assert isinstance(service, discovery.Resource)
    assert service._baseUrl == discovery.build("drive", "v3", developerKey="k", static_discovery=True)._baseUrl


@pytest.mark.parametrize(
    "kwargs",
    [{"static_discovery": False}, {"discoveryServiceUrl": "https://discovery.example/{api}/{apiVersion}"}],
    ids=["static_discovery=False", "discoveryServiceUrl"],
)
def test_fetched_discovery_is_delegated(kwargs: dict[str, Any]) -> None:
    # HttpMock serves the pinned document as the fetched one, so nothing leaves the machine.
    http = HttpMock(str(PINNED), {"status": "200"})
    service = workspaceevents.build("workspaceevents", "v1", http=http, cache_discovery=False, **kwargs)
    assert isinstance(service, discovery.Resource)


@pytest.mark.parametrize(
    "document",
    [
        {**DOCUMENT, "revision": "20200101"},
        {**DOCUMENT, "version": "v2"},
        {**DOCUMENT, "name": "other"},
        json.dumps({**DOCUMENT, "revision": "20200101"}),
    ],
    ids=["revision", "version", "name", "text of another revision"],
)
def test_other_documents_go_to_the_dynamic_client(document: Any) -> None:
    service = workspaceevents.build_from_document(document, developerKey="k")
    assert isinstance(service, discovery.Resource)


@pytest.mark.parametrize("document", [DOCUMENT_TEXT, DOCUMENT_TEXT.encode(), DOCUMENT], ids=["str", "bytes", "dict"])
def test_the_pinned_document_gets_the_static_service(document: Any) -> None:
    service = workspaceevents.build_from_document(document, developerKey="k")
    assert _is_static(service)


def test_discovery_module_is_not_imported() -> None:
    script = (
        "import sys\n"
        "import workspaceevents\n"
        "service = workspaceevents.build('workspaceevents', 'v1', developerKey='k')\n"
        "service.subscriptions().get(name='subscriptions/x')\n"
        "service.operations().get(name='operations/x')\n"
        "service.subscriptions().list_next(service.subscriptions().list(), {'nextPageToken': 't'})\n"
        "print(sorted(m for m in sys.modules if m.startswith('googleapiclient.discovery')))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", result.stdout


@pytest.mark.parametrize(
    "edit",
    [{"rootUrl": "https://proxy.example/"}, {"servicePath": "prefix/"}, {"batchPath": "b"}],
    ids=["rootUrl", "servicePath", "batchPath"],
)
def test_an_edited_document_behaves_like_the_dynamic_client(edit: dict[str, str]) -> None:
    document = {**DOCUMENT, **edit}
    static = workspaceevents.build_from_document(document, developerKey="k")
    dynamic = discovery.build_from_document(document, developerKey="k")
    assert static.subscriptions().list().uri == dynamic.subscriptions().list().uri
    assert static.new_batch_http_request()._batch_uri == dynamic.new_batch_http_request()._batch_uri


@pytest.mark.parametrize("kwargs", [{"name": "subscriptions/x", "foo": 1}, {}], ids=["unknown keyword", "omitted"])
def test_universe_is_checked_before_the_arguments(kwargs: dict[str, Any], files: Files) -> None:
    static = workspaceevents.build_from_document(DOCUMENT_TEXT, **_arguments("user_other_universe", None, files))
    dynamic = discovery.build_from_document(DOCUMENT_TEXT, **_arguments("user_other_universe", None, files))
    assert_same_outcome(
        lambda: static.subscriptions().get(**kwargs), lambda: dynamic.subscriptions().get(**kwargs), same_http=False
    )
