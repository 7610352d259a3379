"""Every name the generator invents, as pure functions.

The rules for method and argument names are googleapiclient's own
(``fix_method_name``, ``key2param``): the generated classes must expose
exactly the names the dynamic client exposes, so these rules are frozen.
Changing them is a breaking change for every user.
"""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata

# googleapiclient.discovery.RESERVED_WORDS: library words beyond keywords.
RESERVED_WORDS = frozenset({"body"})

# Names googleapiclient adds to every method (STACK_QUERY_PARAMETERS).
STACK_QUERY_PARAMETERS = ("trace", "pp", "userip", "strict")

# Attributes our own classes define; a resource or method may not shadow them.
_CLASS_MEMBERS = frozenset({"close", "new_batch_http_request"})


def fix_method_name(name: str) -> str:
    """googleapiclient's ``fix_method_name``: '$' and '-' become '_', keywords get '_'."""
    name = name.replace("$", "_").replace("-", "_")
    if keyword.iskeyword(name) or name in RESERVED_WORDS:
        return name + "_"
    return name


def key2param(key: str) -> str:
    """googleapiclient's ``key2param``: 'max-results' -> 'max_results', '$.xgafv' -> 'x__xgafv'."""
    result = [] if key[:1].isalpha() else ["x"]
    result.extend(c if c.isalnum() else "_" for c in key)
    return "".join(result)


def is_identifier(name: str) -> bool:
    """True when ``name`` can be written as a Python parameter or attribute name."""
    return name.isidentifier() and not keyword.iskeyword(name)


def safe_version(version: str) -> str:
    """A version string as a module name: 'v1.2' -> 'v1_2', 'directory_v1' stays."""
    return python_identifier(version.replace(".", "_"), fallback="version")


def python_identifier(text: str, *, fallback: str) -> str:
    """Any text as an ASCII identifier that is no keyword: for modules and classes."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"\W+", "_", text).strip("_") or fallback
    if text[0].isdigit():
        text = "_" + text
    if keyword.iskeyword(text) or keyword.issoftkeyword(text):
        text += "_"
    return text


def class_name(*parts: str) -> str:
    """PascalCase class name from document names: ('subscriptions',) -> 'Subscriptions'."""
    words: list[str] = []
    for part in parts:
        cleaned = python_identifier(part, fallback="X")
        words.extend(w[:1].upper() + w[1:] for w in cleaned.split("_") if w)
    name = "".join(words) or "X"
    if name[0].isdigit():
        name = "X" + name
    return name


def module_name(name: str) -> str:
    """A lowercase, file-safe module name; never a path, never a dunder."""
    return python_identifier(name.lower(), fallback="module").lstrip("_") or "module"


class NamePool:
    """Hands out unique names, adding a numeric suffix on collision."""

    def __init__(self, taken: frozenset[str] | set[str] = frozenset()) -> None:
        self._taken = {n.lower() for n in taken}

    def claim(self, name: str) -> str:
        candidate, n = name, 1
        while candidate.lower() in self._taken:
            n += 1
            candidate = f"{name}{n}"
        self._taken.add(candidate.lower())
        return candidate


def shadows_builtin(name: str) -> bool:
    return hasattr(builtins, name)


def is_class_member(name: str) -> bool:
    return name in _CLASS_MEMBERS
