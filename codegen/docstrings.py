"""Method docstrings, character for character as googleapiclient renders them.

The layout is createMethod's (``Args:``, ``(required)``, ``Allowed values``,
``Returns:``); the schema prototypes come from googleapiclient's own
pretty-printer, called here at generation time only. One
:class:`DocstringWriter` serves a whole document because the printer caches
per schema name, and the cache makes recursive schemas print differently
depending on which method reached them first: the builder visits methods in
the order a dynamic client renders them.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from . import quirks
from .discovery import Document, MethodDoc
from .parameters import ArgumentTable, argument_order


class DocstringWriter:
    def __init__(self, doc: Document) -> None:
        from googleapiclient.schema import Schemas

        self._doc = doc
        self._schemas = Schemas(doc.raw)
        self._skip = {p.name for p in doc.parameters} | set(quirks.STACK_QUERY_PARAMETERS)

    def method_parts(
        self, name: str, method: MethodDoc, raw_method: Mapping[str, Any], table: ArgumentTable
    ) -> list[str]:
        """createMethod's docstring for the (already fixed) method ``name``, in pieces
        that join to it: each pretty-printed schema is a piece of its own.

        Large APIs print the same schema into many docstrings (compute's
        Instance: 50 KB, a dozen times); the builder shares such pieces.
        """
        docs = [method.description if method.description is not None else quirks.DEFAULT_METHOD_DOC, "\n\n"]
        if table.argmap:
            docs.append("Args:\n")
        for arg in argument_order(method, table):
            if arg in self._skip:
                continue
            desc = table.merged[table.argmap[arg]]
            repeated = " (repeated)" if arg in table.repeated else ""
            required = " (required)" if arg in table.required else ""
            text = desc.description if desc.description is not None else "A parameter"
            if desc.ref is not None:
                pretty = self._schemas.prettyPrintByName(desc.ref)
                docs.append(f"  {arg}: object, {text}{required}{repeated}\n    The object takes the form of:\n\n")
                docs.extend((pretty, "\n\n"))
            else:
                docs.append(f"  {arg}: {desc.type}, {text}{required}{repeated}\n")
            if desc.enum and desc.enum_descriptions:
                docs.append("    Allowed values\n")
                docs.extend(
                    f"      {value} - {meaning}\n"
                    for value, meaning in zip(desc.enum, desc.enum_descriptions, strict=False)
                )
        if "response" in raw_method:
            if name.endswith("_media"):
                docs.append("\nReturns:\n  The media object as a string.\n\n    ")
            else:
                docs.append("\nReturns:\n  An object of the form:\n\n    ")
                docs.append(self._schemas.prettyPrintSchema(raw_method["response"]))
        return docs


@functools.cache
def library_docstrings() -> dict[str, str]:
    """Docstrings of the members googleapiclient adds to every Resource."""
    from googleapiclient import discovery
    from googleapiclient.http import HttpMock

    _, next_method = discovery.createNextMethod("list_next")
    tiny = {"rootUrl": "https://example.invalid/", "servicePath": "", "name": "x", "version": "v"}
    root = discovery.build_from_document(tiny, http=HttpMock())
    return {
        "close": str(discovery.Resource.close.__doc__),
        "new_batch_http_request": str(root.new_batch_http_request.__doc__),
        "next": str(next_method.__doc__),
        "accessor": quirks.RESOURCE_ACCESSOR_DOC,
    }
