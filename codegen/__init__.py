"""Generate static Python bindings and reference pages from Google discovery documents.

Layers, imported one way only:

    discovery  (JSON -> checked, frozen records)
        -> model  (records -> the IR the templates print; naming, docstrings, quirks)
            -> render  (IR -> files, through Jinja2)

``cli`` wires them together; nothing imports ``cli``.
"""
