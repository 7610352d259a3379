"""Shared fixtures: the pinned document and, per test module, one service of each client.

Both services share one ``http`` object and developer key, so the requests
they build can be compared field by field, ``http`` included.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import workspaceevents
from googleapiclient import discovery
from googleapiclient.http import HttpMock
from workspaceevents.v1 import WorkspaceeventsService

REPO = Path(__file__).resolve().parent.parent
# Test modules import their helpers as ``tests.strategies``, the name mypy gives
# them; plain ``pytest`` (unlike ``python -m pytest``) does not put the root on sys.path.
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
DOCUMENT_TEXT = (REPO / "discovery" / "workspaceevents.v1.json").read_text(encoding="utf-8")
DEVELOPER_KEY = "k"
# Environment variables build_from_document reads; cleared so the host cannot leak in.
ENVIRONMENT = (
    "GOOGLE_API_USE_MTLS_ENDPOINT",
    "GOOGLE_API_USE_CLIENT_CERTIFICATE",
    "GOOGLE_CLOUD_UNIVERSE_DOMAIN",
    "GOOGLE_APPLICATION_CREDENTIALS",
)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """A monkeypatch with none of the endpoint or credential environment variables set."""
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    yield monkeypatch


@pytest.fixture(scope="module")
def shared_http() -> HttpMock:
    """One http object for both clients of a module: requests must carry this very object."""
    return HttpMock(None, {"status": "200"})


@pytest.fixture(scope="module")
def dynamic(shared_http: HttpMock) -> Any:
    """googleapiclient's dynamic client on the pinned document: the reference."""
    return discovery.build_from_document(DOCUMENT_TEXT, developerKey=DEVELOPER_KEY, http=shared_http)


@pytest.fixture(scope="module")
def static(shared_http: HttpMock) -> WorkspaceeventsService:
    """The generated client, through the drop-in build_from_document."""
    service: WorkspaceeventsService = workspaceevents.build_from_document(
        DOCUMENT_TEXT, developerKey=DEVELOPER_KEY, http=shared_http
    )
    return service


@pytest.fixture(scope="module")
def static_built(shared_http: HttpMock) -> WorkspaceeventsService:
    """The generated client, through the drop-in build()."""
    return workspaceevents.build("workspaceevents", "v1", developerKey=DEVELOPER_KEY, http=shared_http)
