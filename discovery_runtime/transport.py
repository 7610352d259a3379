"""Runtime support for the generated classes: a thin layer over googleapiclient.

This module is the same for every API. It holds what googleapiclient's
``createMethod`` closure and ``build_from_document`` do at run time, fed by
the constant tables the generator wrote, and delegates everything else to
googleapiclient and google-auth: ``HttpRequest``, the models, credentials,
``build_http``, ``BatchHttpRequest``, media uploads and errors.
"""

from __future__ import annotations

import json
import logging
import os
import re
import urllib.parse
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, cast

from googleapiclient import model as _model
from googleapiclient.http import HttpRequest

from . import _googleapiclient as _private
from .contract import ApiInfo, MethodSpec

if TYPE_CHECKING:
    from googleapiclient.http import MediaUpload

__all__ = ["ApiInfo", "Client", "MethodSpec", "Request", "Resource", "configure"]

logger = logging.getLogger(__name__)

_T_co = TypeVar("_T_co", covariant=True)
_F = TypeVar("_F", bound=Callable[..., Any])

DEFAULT_UNIVERSE = "googleapis.com"
GOOGLE_API_USE_MTLS_ENDPOINT = "GOOGLE_API_USE_MTLS_ENDPOINT"
GOOGLE_CLOUD_UNIVERSE_DOMAIN = "GOOGLE_CLOUD_UNIVERSE_DOMAIN"

# The headers JsonModel.request adds to every request, taken from JsonModel
# itself so they follow the installed googleapiclient.
_JSON_HEADERS: dict[str, str] = _model.JsonModel().request({}, {}, {}, None)[0]
_JSON_ALT: str = _model.JsonModel().alt_param
# What json.dumps(obj) calls when given no options.
_JSON_ENCODER = json.JSONEncoder()
_HTTP_REQUEST_INIT = _private.http_request_init
_MEDIA_MODEL = _model.MediaModel()
_RAW_MODEL = _model.RawModel()


class Request(Protocol, Generic[_T_co]):
    """What a generated method returns, for type checkers.

    At run time this is whatever ``requestBuilder`` built (``HttpRequest`` by
    default); the type parameter records what ``execute()`` returns.
    """

    uri: str
    method: str
    body: Any
    headers: dict[str, str]
    methodId: str | None
    resumable: MediaUpload | None

    def execute(self, http: Any = None, num_retries: int = 0) -> _T_co: ...

    def add_response_callback(self, cb: Callable[[Any], object]) -> None: ...

    def to_json(self) -> str: ...


class Client:
    """What every resource of one service shares: transport, model and settings."""

    __slots__ = (
        "base_url",
        "batch_uri",
        "credentials_validated",
        "developer_key",
        "drop_stale",
        "http",
        "json_tail",
        "model",
        "request_builder",
        "universe_domain",
        "url_prefix",
    )

    def __init__(
        self,
        *,
        http: Any,
        base_url: str,
        batch_uri: str,
        model: Any,
        developer_key: str | None,
        request_builder: Any,
        universe_domain: str,
    ) -> None:
        self.http = http
        self.batch_uri = batch_uri
        self.model = model
        self.developer_key = developer_key
        self.request_builder = request_builder
        self.universe_domain = universe_domain
        self.credentials_validated = False
        self.set_base_url(base_url)
        # A caller's httplib2.Http is used as given; its dead pooled sockets are dropped before each call.
        self.drop_stale = _pools_its_own_sockets(http)
        # How every JsonModel query string ends: the developer key, then alt,
        # as createMethod adds them and JsonModel._build_query encodes them.
        tail: list[tuple[str, str]] = [("key", developer_key)] if developer_key else []
        self.json_tail = urllib.parse.urlencode([*tail, ("alt", _JSON_ALT)])

    def validate_credentials(self) -> bool:
        """Resource._validate_credentials: the credentials' universe must be the client's."""
        if self.credentials_validated:
            return True
        credentials = getattr(self.http, "credentials", None)
        if getattr(credentials, "universe_domain", DEFAULT_UNIVERSE) != self.universe_domain:
            from google.api_core import universe

            self.credentials_validated = universe.compare_domains(self.universe_domain, credentials)
        else:
            self.credentials_validated = True
        return self.credentials_validated

    def set_base_url(self, base_url: str) -> None:
        self.base_url = base_url
        # _urljoin's result for any relative path, less the path.
        self.url_prefix = base_url if base_url.endswith("/") else base_url + "/"

    def close(self) -> None:
        # Test doubles such as HttpMockSequence have no close().
        close = getattr(self.http, "close", None)
        if close is not None:
            close()


def _pools_its_own_sockets(http: Any) -> bool:
    """A caller's httplib2.Http or AuthorizedHttp (not one of the shim's shared objects, which drop their own)."""
    return hasattr(http, "connections") and not getattr(type(http), "shares_connections", False)


def resource_accessor(function: _F) -> _F:
    """Mark an accessor the way googleapiclient does, for its docs tooling."""
    function.__is_resource__ = True  # type: ignore[attr-defined]
    return function


class Resource:
    """Base of every generated resource class and of the service class."""

    __slots__ = ("_client",)

    def __init__(self, client: Client) -> None:
        self._client = client

    def __enter__(self: _R) -> _R:
        return self

    def __exit__(self, exc_type: object, exc: object, exc_tb: object) -> None:
        self.close()

    def close(self) -> None:
        """Close httplib2 connections."""
        self._client.close()

    # googleapiclient.discovery.Resource's attributes, which user code and tests read and set.
    # They are the service's: every resource of one service shares them.
    @property
    def _http(self) -> Any:
        return self._client.http

    @_http.setter
    def _http(self, http: Any) -> None:
        self._client.http = http
        self._client.drop_stale = _pools_its_own_sockets(http)

    @property
    def _baseUrl(self) -> str:
        return self._client.base_url

    @_baseUrl.setter
    def _baseUrl(self, base_url: str) -> None:
        self._client.set_base_url(base_url)

    @property
    def _universe_domain(self) -> str:
        return self._client.universe_domain

    @property
    def _developerKey(self) -> str | None:
        return self._client.developer_key

    @property
    def _model(self) -> Any:
        return self._client.model

    @property
    def _requestBuilder(self) -> Any:
        return self._client.request_builder

    @property
    def _credentials_validated(self) -> bool:
        return self._client.credentials_validated

    def _validate_credentials(self) -> bool:
        """Whether the credentials' universe domain is the service's; raises UniverseMismatchError if not."""
        return self._client.validate_credentials()

    def _request(self, spec: MethodSpec, kwargs: Mapping[str, Any]) -> Request[Any]:
        """createMethod's ``method``: check and cast the arguments, build the request.

        ``kwargs`` is the caller's ``**kwargs``: the caller's order, and a dict
        this call owns.
        """
        client = self._client
        if not client.credentials_validated:
            client.validate_credentials()
        if client.drop_stale:
            from . import connections

            connections.drop_stale(client.http)
        kwargs = cast("dict[str, Any]", kwargs)
        argmap = spec.argmap
        for name in kwargs:
            if name not in argmap:
                raise TypeError(f"Got an unexpected keyword argument {name}")
        for name in [name for name, value in kwargs.items() if value is None]:
            del kwargs[name]
        _check(spec, kwargs)

        query: dict[str, Any] = {}
        path: dict[str, Any] = {}
        # JsonModel._build_query's output, built alongside while every value is
        # a plain str and the caller set neither ``key`` nor ``alt``.
        encoded: list[str] | None = []
        wire = spec.wire or spec.wire_table()
        for key, value in kwargs.items():
            where = wire.get(key)
            if where is None:  # body and media arguments
                continue
            wire_name, quoted, to_type, in_query, in_path = where
            if to_type == "string" and type(value) is str:
                sent: Any = value
            elif key in spec.repeated and type(value) is list:
                sent = _cast_each(value, to_type)
            else:
                sent = _cast(value, to_type)
            if in_path:
                path[wire_name] = sent
            if in_query:
                query[wire_name] = sent
                if encoded is not None:
                    if type(sent) is str and wire_name not in ("key", "alt"):
                        encoded.append(
                            quoted + "=" + (sent if _PLAIN.fullmatch(sent) else urllib.parse.quote_plus(sent))
                        )
                    else:
                        encoded = None

        model = client.model
        if spec.response != "json":
            model = _MEDIA_MODEL if spec.response == "media" else _RAW_MODEL
        body = kwargs.get("body")
        plain_json = type(model) is _model.JsonModel and spec.api_version is None and not _model.dump_request_response
        if encoded is None or not plain_json:
            if client.developer_key:
                query["key"] = client.developer_key
        if plain_json:
            # JsonModel.request without its per-call string building.
            headers = dict(_JSON_HEADERS)
            query_string = (
                "?" + "&".join([*encoded, client.json_tail])
                if encoded is not None
                else _private.build_query(model, query)
            )
            if body is not None:
                headers["content-type"] = model.content_type
                # JsonModel.serialize is json.dumps with every default, unless it wraps data.
                body = _JSON_ENCODER.encode(body) if not _private.uses_data_wrapper(model) else model.serialize(body)
        else:
            headers, path, query_string, body = model.request({}, path, query, body, spec.api_version)

        expanded = _expand(spec, path)
        if expanded.startswith(("/", "http://", "https://")):
            url = urljoin(client.base_url, expanded + query_string)
        else:  # what urljoin does for every relative path
            url = client.url_prefix + expanded + query_string
        resumable = None
        media = kwargs.get("media_body")
        if media:
            from . import media as _media

            url, headers, body, resumable = _media.prepare(
                spec, media, kwargs.get("media_mime_type"), path, query_string, headers, body, client.base_url
            )
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("URL being requested: %s %s", spec.http_method, url)
        builder = client.request_builder
        if builder is HttpRequest:
            # HttpRequest(...) minus its @positional(4) wrapper, which only
            # counts positional arguments: three here, as always.
            request: Any = HttpRequest.__new__(HttpRequest)
            _HTTP_REQUEST_INIT(
                request, client.http, model.response, url,
                method=spec.http_method, body=body, headers=headers, methodId=spec.method_id, resumable=resumable,
            )  # fmt: skip
            return cast("Request[Any]", request)
        request = builder(
            client.http,
            model.response,
            url,
            method=spec.http_method,
            body=body,
            headers=headers,
            methodId=spec.method_id,
            resumable=resumable,
        )
        return cast("Request[Any]", request)

    def _next_request(
        self,
        previous_request: Any,
        previous_response: Mapping[str, Any],
        page_token: str,
        next_page_token: str,
        in_query: bool,
    ) -> Request[Any] | None:
        """createNextMethod's ``methodNext``: the request for the next page, or None."""
        import copy

        token = previous_response.get(next_page_token, None)
        if not token:
            return None
        request: Request[Any] = copy.copy(previous_request)
        if in_query:
            request.uri = _private.add_query_parameter(request.uri, page_token, token)
        else:
            model = self._client.model
            body = model.deserialize(request.body)
            body[page_token] = token
            request.body = model.serialize(body)
            request.body_size = len(request.body)  # type: ignore[attr-defined]
            if "content-length" in request.headers:
                del request.headers["content-length"]
        return request


_R = TypeVar("_R", bound=Resource)


def _check(spec: MethodSpec, kwargs: dict[str, Any]) -> None:
    """createMethod's validation, in its order and with its messages."""
    for name in spec.required:
        if name not in kwargs:
            raise TypeError(f'Missing required parameter "{name}"')
    if spec.patterns:
        for name, regex, pattern in spec.compiled_patterns():
            if name in kwargs:
                value = kwargs[name]
                items: list[Any] = [value] if isinstance(value, str) else value
                for item in items:
                    if pattern.match(item) is None:
                        raise TypeError(f'Parameter "{name}" value "{item}" does not match the pattern "{regex}"')
    for name, allowed in spec.enums:
        if name in kwargs:
            value = kwargs[name]
            values = value if name in spec.repeated and not isinstance(value, str) else [value]
            for item in values:
                if item not in allowed:
                    raise TypeError(f'Parameter "{name}" value "{item}" is not an allowed value in "{list(allowed)}"')


def _cast_each(values: Any, schema_type: str) -> list[str]:
    """_cast over the members of a repeated argument given as a list."""
    return [_cast(value, schema_type) for value in values]


def _cast(value: Any, schema_type: str) -> str:
    """discovery._cast: a value as the string its JSON type puts on the wire."""
    if schema_type == "integer":
        return str(int(value))
    if schema_type == "number":
        return str(float(value))
    if schema_type == "boolean":
        return str(bool(value)).lower()
    return value if type(value) is str else str(value)


_RESERVED = ":/?#[]@!$&'()*+,;="
# Strings urllib.parse.quote leaves unchanged: with safe="" ({var}, quote_plus),
# and with safe=_RESERVED ({+var}; no "%", so unquote() is the identity too).
_PLAIN = re.compile(r"[A-Za-z0-9_.~-]*")
_PLAIN_RESERVED = re.compile(r"[A-Za-z0-9_.~\-:/?#\[\]@!$&'()*+,;=]*")


def _expand(spec: MethodSpec, params: dict[str, Any]) -> str:
    """uritemplate.expand for the plain {var} and {+var} templates of discovery paths."""
    parts = spec.path_parts
    if parts is None:
        import uritemplate

        return str(uritemplate.expand(spec.path, params))
    out: list[str] = []
    for literal, name, reserved in parts:
        out.append(literal)
        if not name:
            continue
        value = params.get(name)
        if value is None:
            continue
        if type(value) is str and (_PLAIN_RESERVED if reserved else _PLAIN).fullmatch(value):
            out.append(value)
            continue
        if type(value) is not str:
            import uritemplate

            return str(uritemplate.expand(spec.path, params))
        if not reserved:
            out.append(urllib.parse.quote(value.encode("utf-8"), ""))
        elif urllib.parse.unquote(value) == value:
            out.append(urllib.parse.quote(value.encode("utf-8"), _RESERVED))
        else:
            out.append(value)
    return "".join(out)


def urljoin(base: str, url: str) -> str:
    """discovery._urljoin: join on exactly one '/', unless ``url`` is absolute."""
    if url.startswith("http://") or url.startswith("https://"):
        return urllib.parse.urljoin(base, url)
    new_base = base if base.endswith("/") else base + "/"
    new_url = url[1:] if url.startswith("/") else url
    return new_base + new_url


def configure(
    api: ApiInfo,
    *,
    http: Any,
    developerKey: str | None,
    model: Any,
    requestBuilder: Any,
    credentials: Any,
    client_options: Any,
    adc_cert_path: str | None,
    adc_key_path: str | None,
    always_use_jwt_access: bool,
) -> Client:
    """build_from_document's transport setup: endpoint, credentials, mTLS, model."""
    import google.api_core.client_options as client_options_lib
    from google.api_core import universe

    if client_options is None:
        client_options = client_options_lib.ClientOptions()
    if isinstance(client_options, Mapping):
        client_options = client_options_lib.from_dict(cast("Mapping[str, Any]", client_options))

    if http is not None:
        for option, name in (
            (credentials, "credentials"),
            (client_options.credentials_file, "client_options.credentials_file"),
        ):
            if option is not None:
                raise ValueError(f"Arguments http and {name} are mutually exclusive")

    base = urllib.parse.urljoin(api.root_url, api.service_path)
    universe_domain = universe.determine_domain(
        client_options.universe_domain, os.getenv(GOOGLE_CLOUD_UNIVERSE_DOMAIN, None)
    )
    base = base.replace(universe.DEFAULT_UNIVERSE, universe_domain)
    audience_for_self_signed_jwt = base
    if client_options.api_endpoint:
        base = client_options.api_endpoint

    if http is None:
        http, base = _build_http(
            api, base, universe_domain, audience_for_self_signed_jwt,
            developerKey=developerKey,
            credentials=credentials,
            client_options=client_options,
            adc_cert_path=adc_cert_path,
            adc_key_path=adc_key_path,
            always_use_jwt_access=always_use_jwt_access,
        )  # fmt: skip

    if model is None:
        model = _model.JsonModel(api.data_wrapper)
    return Client(
        http=http,
        base_url=base,
        batch_uri=api.root_url + api.batch_path,
        model=model,
        developer_key=developerKey,
        request_builder=requestBuilder,
        universe_domain=universe_domain,
    )


def _build_http(
    api: ApiInfo,
    base: str,
    universe_domain: str,
    audience: str,
    *,
    developerKey: str | None,
    credentials: Any,
    client_options: Any,
    adc_cert_path: str | None,
    adc_key_path: str | None,
    always_use_jwt_access: bool,
) -> tuple[Any, str]:
    """The http object build_from_document makes when the caller gave none."""
    import sys

    from google.auth.exceptions import MutualTLSChannelError
    from google.auth.transport import mtls

    from . import connections

    _auth = _private.auth()

    scopes = list(api.scopes)
    if scopes and not developerKey:
        if client_options.credentials_file and credentials:
            import google.api_core.exceptions

            raise google.api_core.exceptions.DuplicateCredentialArgs(
                "client_options.credentials_file and credentials are mutually exclusive."
            )
        if client_options.credentials_file:
            credentials = _auth.credentials_from_file(
                client_options.credentials_file,
                scopes=client_options.scopes,
                quota_project_id=client_options.quota_project_id,
            )
        if credentials is None:
            credentials = _auth.default_credentials(
                scopes=client_options.scopes, quota_project_id=client_options.quota_project_id
            )
        if not client_options.scopes:
            credentials = _auth.with_scopes(credentials, scopes)

    # Service-account credentials can only exist if their module was imported.
    service_account = sys.modules.get("google.oauth2.service_account")
    if (
        credentials
        and service_account is not None
        and isinstance(credentials, service_account.Credentials)
        and always_use_jwt_access
        and hasattr(service_account.Credentials, "with_always_use_jwt_access")
    ):
        credentials = credentials.with_always_use_jwt_access(always_use_jwt_access)
        _private.create_self_signed_jwt(credentials, audience)

    http = connections.new_http(credentials)

    client_cert_to_use: Any = None
    use_client_cert = mtls.should_use_client_cert()
    if client_options and client_options.client_cert_source:
        raise MutualTLSChannelError(
            "ClientOptions.client_cert_source is not supported, please use ClientOptions.client_encrypted_cert_source."
        )
    if use_client_cert:
        if client_options and getattr(client_options, "client_encrypted_cert_source", None):
            client_cert_to_use = client_options.client_encrypted_cert_source
        elif adc_cert_path and adc_key_path and mtls.has_default_client_cert_source():
            client_cert_to_use = cast(Any, mtls).default_client_encrypted_cert_source(adc_cert_path, adc_key_path)
    if client_cert_to_use:
        cert_path, key_path, passphrase = client_cert_to_use()
        if isinstance(http, connections.ThreadLocalConnections):
            http.add_certificate(key_path, cert_path, "", passphrase)  # every thread's connection
        else:
            # An AuthorizedHttp wraps the httplib2.Http that takes the certificate.
            import google_auth_httplib2

            channel = http.http if isinstance(http, google_auth_httplib2.AuthorizedHttp) else http
            channel.add_certificate(key_path, cert_path, "", passphrase)

    if api.mtls_root_url is not None and (not client_options or not client_options.api_endpoint):
        mtls_endpoint = urllib.parse.urljoin(api.mtls_root_url, api.service_path)
        use_mtls_endpoint = os.getenv(GOOGLE_API_USE_MTLS_ENDPOINT, "auto")
        if use_mtls_endpoint not in ("never", "auto", "always"):
            raise MutualTLSChannelError(
                "Unsupported GOOGLE_API_USE_MTLS_ENDPOINT value. Accepted values: never, auto, always"
            )
        if use_mtls_endpoint == "always" or (use_mtls_endpoint == "auto" and client_cert_to_use):
            if universe_domain != DEFAULT_UNIVERSE:
                raise MutualTLSChannelError(f"mTLS is not supported in any universe other than {DEFAULT_UNIVERSE}.")
            base = mtls_endpoint
    return http, base
