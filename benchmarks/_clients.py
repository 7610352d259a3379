"""How both clients under comparison are built, identically but for the import.

In-process benchmarks build with ``build("workspaceevents", "v1",
developerKey=..., http=...)`` and one shared ``HttpMock``: the developer key
puts ``key=`` on every request as in production, and the shared mock keeps
the cost of an ``httplib2.Http`` (the same on both sides) out of the figures.
The dynamic side reads the discovery document bundled with
google-api-python-client, which is the pinned ``discovery/workspaceevents.v1.json``.
Nothing here touches the network.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import workspaceevents
from googleapiclient import discovery
from googleapiclient.http import HttpMock

NAME = "workspaceevents"
VERSION = "v1"
DEVELOPER_KEY = "bench-key"

SHARED_HTTP: Any = HttpMock(headers={"status": "200"})


def build_dynamic() -> Any:
    """googleapiclient's dynamic service, from the bundled (static) document."""
    return discovery.build(NAME, VERSION, http=SHARED_HTTP, developerKey=DEVELOPER_KEY)


def build_static() -> Any:
    """The generated service; fails loudly if ``build`` fell back to googleapiclient."""
    service = workspaceevents.build(NAME, VERSION, http=SHARED_HTTP, developerKey=DEVELOPER_KEY)
    if not type(service).__module__.startswith("workspaceevents."):
        raise RuntimeError(f"workspaceevents.build returned {type(service)!r}, not the generated service")
    return service


BUILDERS: tuple[Callable[[], Any], Callable[[], Any]] = (build_dynamic, build_static)
