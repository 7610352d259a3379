"""Generate static Python bindings and reference pages from Google discovery documents.

Layers, imported one way only:

    discovery  (JSON -> checked, frozen records)
        -> model  (records -> the IR the templates print; naming, docstrings, quirks)
            -> render  (IR -> files, through Jinja2)

``cli`` wires them together; nothing imports ``cli``. ``transaction`` makes
every write all-or-nothing. In the repository this package is ``codegen``
(``python -m codegen``); installed, it is ``discovery_codegen`` (an unrelated
PyPI distribution owns the name ``codegen``), with the console command
``discovery-codegen``. Imports inside it are relative, so both names work.
"""

from __future__ import annotations

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    # Lazy, so `python -m codegen` starts without importing the runtime (Ctrl-C lands in our handler sooner).
    if name == "__version__":
        from discovery_runtime import __version__

        return __version__
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
