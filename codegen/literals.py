"""The one way a value from a discovery document becomes Python source.

Everything the generator writes into code that came from a document goes
through :func:`pyrepr`. ``repr`` of ``str``/``int``/``bool``/``None`` is a
single valid literal: it escapes quotes, backslashes, newlines and
non-printable characters such as U+2028, so no document text can end a string
early or start a statement. Containers are written item by item through the
same function, and the runtime's contract records (``MethodSpec``,
``ApiInfo``) field by field, so the generator never lists their fields.
"""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any


def pyrepr(value: Any) -> str:
    """Return ``value`` as Python source that evaluates back to an equal value.

    Sets are written sorted and contract records by class name with their
    ``__init__`` arguments, so the text depends on the value only.
    """
    if value is None or isinstance(value, (str, int, bool)):
        return repr(value)
    if isinstance(value, tuple):
        inner = ", ".join(pyrepr(item) for item in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(pyrepr(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{pyrepr(k)}: {pyrepr(v)}" for k, v in value.items()) + "}"
    if isinstance(value, frozenset):
        items = sorted(value, key=pyrepr)
        return f"frozenset({{{', '.join(pyrepr(item) for item in items)}}})" if items else "frozenset()"
    if type(value).__module__.startswith("discovery_runtime."):
        arguments = (f"{name}={pyrepr(getattr(value, name))}" for name in _fields(type(value)))
        return f"{type(value).__name__}({', '.join(arguments)})"
    raise TypeError(f"pyrepr cannot render {type(value).__name__}")


def _fields(record: type) -> list[str]:
    """A runtime record's fields: a dataclass's ``init`` fields, else the keyword-only arguments of ``__init__``."""
    if dataclasses.is_dataclass(record):
        return [f.name for f in dataclasses.fields(record) if f.init]
    parameters = inspect.signature(record).parameters.values()
    return [p.name for p in parameters if p.kind is inspect.Parameter.KEYWORD_ONLY]
