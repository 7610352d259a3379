"""Typed constructors for the credentials ``build(credentials=...)`` takes.

google-auth's constructors carry no annotations, so ``mypy --strict`` reports
``Credentials.from_authorized_user_file(...)`` as an untyped call and pyright
strict as partially unknown. These functions call exactly those constructors
(the objects are google-auth's own) and declare what they return. google-auth
is imported on first use, as googleapiclient imports it.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from google.auth.credentials import Credentials

__all__ = [
    "Credentials",
    "default",
    "from_authorized_user_file",
    "from_authorized_user_info",
    "from_service_account_file",
    "from_service_account_info",
    "from_token",
]


def __getattr__(name: str) -> Any:
    # ``Credentials`` (google.auth.credentials.Credentials) without importing google-auth up front.
    if name == "Credentials":
        return _google("google.auth.credentials", "Credentials")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _google(module: str, name: str) -> Any:
    # Through importlib: google-auth's own annotations are incomplete, so the types are declared here.
    return getattr(importlib.import_module(module), name)


def _scopes(scopes: Sequence[str] | None) -> list[str] | None:
    return list(scopes) if scopes is not None else None


def from_authorized_user_file(filename: str | os.PathLike[str], scopes: Sequence[str] | None = None) -> Credentials:
    """OAuth user credentials from a ``token.json`` (google.oauth2.credentials.Credentials)."""
    user = _google("google.oauth2.credentials", "Credentials")
    return cast("Credentials", user.from_authorized_user_file(os.fspath(filename), _scopes(scopes)))


def from_token(token: str) -> Credentials:
    """OAuth credentials that send ``token`` as is (no refresh): a token your app obtained elsewhere."""
    user = _google("google.oauth2.credentials", "Credentials")
    return cast("Credentials", user(token=token))


def from_authorized_user_info(info: Mapping[str, Any], scopes: Sequence[str] | None = None) -> Credentials:
    """OAuth user credentials from the parsed contents of a ``token.json``."""
    user = _google("google.oauth2.credentials", "Credentials")
    return cast("Credentials", user.from_authorized_user_info(dict(info), _scopes(scopes)))


def from_service_account_file(
    filename: str | os.PathLike[str], scopes: Sequence[str] | None = None, subject: str | None = None
) -> Credentials:
    """Service-account credentials from a key file; ``subject`` for domain-wide delegation."""
    service_account = _google("google.oauth2.service_account", "Credentials")
    return cast(
        "Credentials",
        service_account.from_service_account_file(os.fspath(filename), scopes=_scopes(scopes), subject=subject),
    )


def from_service_account_info(
    info: Mapping[str, Any], scopes: Sequence[str] | None = None, subject: str | None = None
) -> Credentials:
    """Service-account credentials from the parsed contents of a key file."""
    service_account = _google("google.oauth2.service_account", "Credentials")
    return cast(
        "Credentials",
        service_account.from_service_account_info(dict(info), scopes=_scopes(scopes), subject=subject),
    )


def default(scopes: Sequence[str] | None = None, quota_project_id: str | None = None) -> tuple[Credentials, str | None]:
    """Application Default Credentials and the project they name: ``google.auth.default``."""
    found = _google("google.auth", "default")(scopes=_scopes(scopes), quota_project_id=quota_project_id)
    return cast("tuple[Credentials, str | None]", found)
