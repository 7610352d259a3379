"""The one way a string from a discovery document becomes Python source.

Everything the generator writes into code that came from a document goes
through :func:`pyrepr`. ``repr`` of ``str``/``int``/``bool``/``None`` (and of
tuples of them) is a single valid literal: it escapes quotes, backslashes,
newlines and non-printable characters such as U+2028, so no document text can
end a string early or start a statement.
"""

from __future__ import annotations

from typing import TypeAlias

Scalar: TypeAlias = "str | int | bool | None"
Literal: TypeAlias = "Scalar | tuple[Literal, ...]"


def pyrepr(value: Literal) -> str:
    """Return ``value`` as Python source that evaluates back to it."""
    if isinstance(value, tuple):
        inner = ", ".join(pyrepr(item) for item in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if value is None or isinstance(value, (str, int, bool)):
        return repr(value)
    raise TypeError(f"pyrepr cannot render {type(value).__name__}")
