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

from discovery_runtime import __version__

__all__ = ["__version__"]
