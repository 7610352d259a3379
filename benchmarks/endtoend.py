"""One ``get`` executed end to end against LocalServer (CPU microseconds per call, medians).

A real HTTP/1.1 server on 127.0.0.1 (``workspaceevents.testing.LocalServer``,
in this process) answers ``subscriptions.get``. Three sides, interleaved:

- static: ``service.subscriptions().get(name=...).execute()``, the service
  built with a developer key (so it makes its own per-thread connection);
- dynamic: the same call on googleapiclient's dynamic client, built the same way;
- limit: a bare ``httplib2.Http().request()`` for the very URL and headers
  the static request carries, its body left unparsed: what any client must
  spend on the round trip.

Every side keeps its connection alive across calls, as a real client does.
The server runs in this process, so each figure includes the server's CPU
time for the request; it is the same work on every side.
"""

from __future__ import annotations

from typing import Any

import httplib2
import workspaceevents
from googleapiclient import discovery
from workspaceevents.testing import LocalServer

from . import _harness
from ._harness import Row

NAME, VERSION, DEVELOPER_KEY = "workspaceevents", "v1", "bench-key"


def run(rounds: int) -> list[Row]:
    with LocalServer(operation_polls=0) as server:
        name = server.add_subscription(
            targetResource="//chat.googleapis.com/spaces/BENCH",
            eventTypes=["google.workspace.chat.message.v1.created"],
        )["name"]
        options = {"api_endpoint": server.url}
        static: Any = workspaceevents.build(NAME, VERSION, developerKey=DEVELOPER_KEY, client_options=options)
        dynamic: Any = discovery.build(NAME, VERSION, developerKey=DEVELOPER_KEY, client_options=options)
        request = static.subscriptions().get(name=name)
        bare = httplib2.Http()
        uri, headers = request.uri, dict(request.headers)

        def bare_get() -> object:
            response, _content = bare.request(uri, "GET", headers=headers)
            if response.status != 200:
                raise RuntimeError(f"bare request failed: {response.status}")
            return response

        try:
            dynamic_s, static_s, limit_s = _harness.interleaved_all(
                (
                    lambda: dynamic.subscriptions().get(name=name).execute(),
                    lambda: static.subscriptions().get(name=name).execute(),
                    bare_get,
                ),
                rounds=rounds,
            )
        finally:
            static.close()
            dynamic.close()
            bare.close()
    return [
        Row(
            metric="end to end: subscriptions().get().execute() on LocalServer",
            unit="us/call",
            dynamic=dynamic_s * 1e6,
            static=static_s * 1e6,
            goal=_harness.faster_by(1.5),
            limit=limit_s * 1e6,
            limit_text="a bare httplib2 request for the same URL and headers (no JSON decoding)",
        )
    ]
