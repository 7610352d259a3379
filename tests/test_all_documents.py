"""Bundled discovery documents, one per generator feature: generate, import, and match the dynamic client.

Each document is rendered in-process (no ruff, for speed) into a temporary
folder, imported, built with a developer key and an ``HttpMock``, and walked
together with ``build_from_document`` on the same document: same member names
and docstrings everywhere, and the same requests for up to ``LIMIT`` methods
per resource (``tools/parity.py``). ``tools/generate_all.py`` (``make
generate-all``) does the same for every bundled document; set
``GENERATE_ALL=1`` to run it from here.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from tools.generate_all import bundled_documents, check, generate, main

REPO = Path(__file__).resolve().parent.parent
LIMIT = 4  # requests compared per resource; names and docstrings are compared for every member

# document -> the feature it covers
FEATURES = {
    "workspaceevents.v1": "the pinned document; {+name} paths; paging in the query",
    "drive.v3": "media upload and download (files.create / files.get_media)",
    "storage.v1": "media upload with a body (multipart); repeated parameters",
    "youtube.v3": "multipart uploads; repeated and enum parameters",
    "groupsmigration.v1": "media upload without a request body",
    "translate.v2": "the dataWrapper feature",
    "oauth2.v2": "root-level methods on the service",
    "driveactivity.v2": "paging with pageToken in the request body",
    "datastore.v1": "a method named 'import' (import_)",
    "classroom.v1": "a method named 'return' (return_)",
    "gkehub.v1alpha2": "a resource named 'global' (global_)",
    "sts.v1": "dashed method and resource names (well-known -> well_known)",
    "healthcare.v1": "dashed method names (Patient-everything); nesting 5+ deep",
    "workflowexecutions.v1": "resources nested 5+ deep",
    "cloudkms.v1": "a method named 'execute'",
    "vault.v1": "a method named 'close', which replaces Resource.close",
    "webfonts.v1": "a repeated enum parameter",
    "localservices.v1": "dashed and dotted parameter names (key2param)",
    "kgsearch.v1": "schema properties that are no identifiers (@type)",
    "discovery.v1": "recursive schemas; $ref-named properties",
    "adexchangebuyer.v1.2": "a dotted version (v1_2)",
    "admin.directory_v1": "an underscore version (directory_v1)",
    "admin.directoryv1": "the same document under a second name",
    "logging.v2": "a package that would shadow the standard library (logging_)",
    "calendar.v3": "a package that would shadow the standard library (calendar_)",
}
# A few more, seeded, so the sample drifts over the bundle only when this number changes.
SEED = 2026


def _sample() -> list[str]:
    documents = bundled_documents()
    rest = sorted(set(documents) - set(FEATURES))
    return [*FEATURES, *random.Random(SEED).sample(rest, 4)]


@pytest.mark.parametrize("source", _sample())
def test_generated_package_matches_the_dynamic_client(source: str, tmp_path: Path) -> None:
    path = bundled_documents()[source]
    (result,) = generate((source, [(source, path)], str(tmp_path)))
    assert result.generated, result.error
    (result,) = check(([result], LIMIT, {source: str(path)}))
    assert result.imported, result.error
    assert result.parity, "\n".join(result.failures[:10])
    assert result.requests > 0


def test_the_cli_generates_bundled_documents_by_name(tmp_path: Path) -> None:
    """API.VERSION sources through the real command, ruff step included; the output imports."""
    out = tmp_path / "out"
    command = [sys.executable, "-m", "codegen", "generate", "logging.v2", "adexchangebuyer.v1.2", "--out", str(out)]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["adexchangebuyer", "logging_"]
    probe = "import logging_.v2, adexchangebuyer.v1_2, logging; assert logging.getLogger"
    imported = subprocess.run([sys.executable, "-c", probe], cwd=out, capture_output=True, text=True, check=False)
    assert imported.returncode == 0, imported.stderr


def test_sample_covers_each_feature_once() -> None:
    assert len(set(_sample())) == len(_sample()) >= 25


@pytest.mark.skipif(not os.environ.get("GENERATE_ALL"), reason="all documents: set GENERATE_ALL=1 (minutes)")
def test_every_bundled_document() -> None:
    assert main(["--jobs", "2", "--no-format", "--limit", "2"]) == 0
