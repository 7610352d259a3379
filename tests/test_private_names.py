"""Every private googleapiclient (and google-auth) name the runtime uses exists in the installed versions.

``discovery_runtime/_googleapiclient.py`` lists them in ``PRIVATE_NAMES``; a
failure names the installed version and the name, so a new release that drops
one is caught by ``make compat`` before users meet it.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import re
from pathlib import Path

import pytest

from discovery_runtime import _googleapiclient

RUNTIME = Path(_googleapiclient.__file__).resolve().parent
DISTRIBUTIONS = {"googleapiclient": "google-api-python-client", "google": "google-auth"}


def _installed(module: str) -> str:
    distribution = DISTRIBUTIONS[module.split(".", 1)[0]]
    return f"{distribution} {importlib.metadata.version(distribution)}"


@pytest.mark.parametrize(("module", "path", "why"), _googleapiclient.PRIVATE_NAMES, ids=lambda v: str(v)[:40])
def test_private_name_exists(module: str, path: str, why: str) -> None:
    where = _installed(module)
    try:
        value: object = importlib.import_module(module)
    except ImportError as error:
        pytest.fail(f"{where}: module {module} is gone ({error}); the runtime needs {module}.{path} for {why}")
    through_instance = False
    for part in path.split("."):
        if not hasattr(value, part) and isinstance(value, type):
            value, through_instance = value(), True  # an attribute __init__ sets (JsonModel._data_wrapper)
        if not hasattr(value, part):
            pytest.fail(
                f"{where}: {module}.{path} is gone (no {part!r}); the runtime needs it for {why}. "
                "Update discovery_runtime/_googleapiclient.py or narrow the bound in pyproject.toml."
            )
        value = getattr(value, part)
    assert through_instance or callable(value), (
        f"{where}: {module}.{path} is no longer callable; the runtime calls it for {why}"
    )


def test_list_is_complete() -> None:
    """No runtime module other than _googleapiclient.py reaches a private googleapiclient name."""
    private = re.compile(r"googleapiclient\._|from googleapiclient(\.\w+)* import _|from googleapiclient\._")
    offenders = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(RUNTIME.glob("*.py"))
        if path.name != "_googleapiclient.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if private.search(line)
    ]
    assert not offenders, "private googleapiclient names outside _googleapiclient.py:\n" + "\n".join(offenders)


def test_names_are_listed_once() -> None:
    keys = [(module, path) for module, path, _ in _googleapiclient.PRIVATE_NAMES]
    assert len(keys) == len(set(keys))
