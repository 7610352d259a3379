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
from typing import Any


def pyrepr(value: Any) -> str:
    """Return ``value`` as Python source that evaluates back to an equal value.

    Sets are written sorted and dataclasses by class name with their
    ``init`` fields, so the text depends on the value only.
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
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        arguments = (f"{f.name}={pyrepr(getattr(value, f.name))}" for f in dataclasses.fields(value) if f.init)
        return f"{type(value).__name__}({', '.join(arguments)})"
    raise TypeError(f"pyrepr cannot render {type(value).__name__}")
