"""Python type expressions for schemas and parameters.

Pure functions from discovery records to the annotation text the templates
print. Literal values and forward references go through ``pyrepr`` like every
other document string.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from .discovery import ParameterDoc, SchemaNode
from .literals import pyrepr

_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "any": "Any", "null": "None"}


def literal(values: tuple[str, ...]) -> str:
    return f"Literal[{', '.join(pyrepr(v) for v in values)}]"


def scalar(kind: str, enum: tuple[str, ...]) -> str:
    if enum and kind == "string":
        return literal(enum)
    return _SCALARS.get(kind, "Any")


def parameter(param: ParameterDoc, classes: Mapping[str, str]) -> str:
    """The type a method argument accepts (before ``| None``)."""
    if param.ref is not None:
        return f"_schemas.{classes[param.ref]}"
    if param.type in ("object", "array"):
        return "Any"
    base = scalar(param.type, param.enum)
    # _cast() maps each member of a list (exactly list) for repeated arguments.
    # Resource modules refer to builtins through ``_builtins``: a method named
    # ``list`` would otherwise shadow the type for mypy.
    return f"{base} | _builtins.list[{base}]" if param.repeated else base


def schema(node: SchemaNode, classes: Mapping[str, str], inline: Callable[[SchemaNode], str]) -> str:
    """The type of a schema value inside ``schemas.py``; ``inline`` names nested object schemas."""
    if node.ref is not None:
        return classes[node.ref]
    if node.type == "array" and node.items is not None:
        return f"list[{schema(node.items, classes, inline)}]"
    if node.type == "object" or (node.type is None and node.properties):
        if node.properties:
            return inline(node)
        if node.additional is not None:
            return f"dict[str, {schema(node.additional, classes, inline)}]"
        return "dict[str, Any]"
    return scalar(node.type or "any", node.enum)
