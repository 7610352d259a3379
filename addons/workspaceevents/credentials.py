"""Typed constructors for the credentials ``build(credentials=...)`` takes.

The same module as ``discovery_runtime.credentials``, under the import path
``workspaceevents.credentials``: google-auth's own objects, with declared types.
"""

from discovery_runtime.credentials import (
    Credentials,
    default,
    from_authorized_user_file,
    from_authorized_user_info,
    from_service_account_file,
    from_service_account_info,
    from_token,
)

__all__ = [
    "Credentials",
    "default",
    "from_authorized_user_file",
    "from_authorized_user_info",
    "from_service_account_file",
    "from_service_account_info",
    "from_token",
]
