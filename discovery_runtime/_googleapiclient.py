"""Every private name of googleapiclient (and google-auth) the runtime uses, in one place.

The runtime reproduces googleapiclient's behaviour exactly, and a few of the
pieces it needs have no public name. Each is reached only through this
module, and ``PRIVATE_NAMES`` lists them so a test can check, for the
installed version, that every one still exists and still means what it did.
Where a public name exists, it is used instead and is not listed here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar, cast

from googleapiclient import _helpers
from googleapiclient.http import HttpRequest

__all__ = [
    "PRIVATE_NAMES",
    "add_query_parameter",
    "auth",
    "build_query",
    "create_self_signed_jwt",
    "http_request_init",
    "positional",
    "uses_data_wrapper",
]

# (module, attribute path, why there is no public alternative)
PRIVATE_NAMES: tuple[tuple[str, str, str], ...] = (
    ("googleapiclient._helpers", "positional", "the decorator behind build()'s positional-argument errors"),
    ("googleapiclient._helpers", "_add_query_parameter", "how list_next and media uploads edit a URI"),
    ("googleapiclient._auth", "default_credentials", "ADC with googleapiclient's oauth2client fallback"),
    ("googleapiclient._auth", "credentials_from_file", "client_options.credentials_file as build() reads it"),
    ("googleapiclient._auth", "with_scopes", "scoping as build() does it, oauth2client included"),
    ("googleapiclient._auth", "authorized_http", "the AuthorizedHttp build() makes"),
    ("googleapiclient.http", "HttpRequest.__init__.__wrapped__", "HttpRequest() without @positional's cost"),
    ("googleapiclient.model", "JsonModel._build_query", "the query string JsonModel.request writes"),
    ("googleapiclient.model", "JsonModel._data_wrapper", "whether a JsonModel wraps bodies in {'data': ...}"),
    ("google.oauth2.service_account", "Credentials._create_self_signed_jwt", "always_use_jwt_access's audience"),
)

_F = TypeVar("_F", bound=Callable[..., Any])


class _Decorator(Protocol):
    def __call__(self, function: _F, /) -> _F: ...


positional = cast(Callable[[int], _Decorator], _helpers.positional)
add_query_parameter: Callable[[str, str, str | None], str] = _helpers._add_query_parameter
# HttpRequest.__init__ minus its @positional(4) wrapper, which only counts
# positional arguments: the runtime always passes three.
http_request_init: Callable[..., None] = getattr(HttpRequest.__init__, "__wrapped__", HttpRequest.__init__)


def auth() -> Any:
    """googleapiclient._auth, imported when a service makes its own credentials."""
    from googleapiclient import _auth

    return _auth


def build_query(model: Any, params: dict[str, Any]) -> str:
    """JsonModel._build_query: the query string, key and alt included."""
    return str(model._build_query(params))


def uses_data_wrapper(model: Any) -> bool:
    """Whether a JsonModel serializes bodies as ``{"data": body}``."""
    return bool(model._data_wrapper)


def create_self_signed_jwt(credentials: Any, audience: str) -> None:
    """What build_from_document does to service-account credentials with always_use_jwt_access."""
    credentials._create_self_signed_jwt(audience)
