"""TypedDict classes for a document's schemas.

Each named schema becomes one ``TypedDict`` (``total=False``: the API omits
fields freely); an object property with its own ``properties`` becomes a
nested class named after its parent. Keys that are not identifiers (``@type``)
force the functional ``TypedDict("Name", {...})`` form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from . import typehints
from .discovery import Document, SchemaNode
from .naming import NamePool, class_name, is_identifier

# Names the generated schemas module imports; a schema may not take them.
_IMPORTED = frozenset({"Any", "Literal", "TypedDict"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Field:
    name: str
    annotation: str
    description: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Schema:
    template: ClassVar[str] = "schema"

    class_name: str
    docstring: str
    fields: tuple[Field, ...]
    functional: bool  # some key is not an identifier: use TypedDict("Name", {...})


def build_schemas(doc: Document) -> tuple[tuple[Schema, ...], dict[str, str]]:
    """All schema classes in a stable order, and the wire name -> class name map."""
    pool = NamePool(_IMPORTED)
    classes = {name: pool.claim(class_name(name)) for name, _ in sorted(doc.schemas, key=lambda item: item[0])}
    out: list[Schema] = []

    def emit(name: str, node: SchemaNode) -> None:
        fields = []
        for key, prop in node.properties:

            def inline(child: SchemaNode, key: str = key) -> str:
                nested = pool.claim(name + class_name(key))
                emit(nested, child)
                return nested

            fields.append(
                Field(name=key, annotation=typehints.schema(prop, classes, inline), description=prop.description or "")
            )
        out.append(
            Schema(
                class_name=name,
                docstring=(node.description or "").strip() or f"The {name} schema.",
                fields=tuple(fields),
                functional=not all(is_identifier(f.name) for f in fields),
            )
        )

    for wire, node in sorted(doc.schemas, key=lambda item: item[0]):
        emit(classes[wire], node)
    return tuple(out), classes


def properties(node: SchemaNode | None, doc: Document) -> dict[str, SchemaNode]:
    """discovery._methodProperties: the properties of a request or response."""
    if node is None:
        return {}
    if node.ref is not None:
        node = dict(doc.schemas).get(node.ref)
        if node is None:
            return {}
    return dict(node.properties)
