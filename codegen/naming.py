"""Every name the generator invents, as pure functions.

The rules for method and argument names are googleapiclient's own
(``fix_method_name``, ``key2param``): the generated classes must expose
exactly the names the dynamic client exposes, so these rules are frozen.
Changing them is a breaking change for every user.
"""

from __future__ import annotations

import keyword
import re
import unicodedata

# googleapiclient.discovery.RESERVED_WORDS: library words beyond keywords.
RESERVED_WORDS = frozenset({"body"})

# The runtime's Resource keeps its state in this slot: a member of that name
# would hide it from every method of the class.
RUNTIME_SLOTS = frozenset({"_client"})

# Top-level modules a generated package must not shadow when its folder is on
# sys.path: the public standard library (Python 3.11's sys.stdlib_module_names,
# frozen here so output does not depend on the running Python) and the
# packages the generated code imports. The 'logging' and 'calendar' APIs exist.
_STDLIB = frozenset(
    """abc aifc antigravity argparse array ast asynchat asyncio asyncore atexit audioop base64 bdb binascii bisect
    builtins bz2 cProfile calendar cgi cgitb chunk cmath cmd code codecs codeop collections colorsys compileall
    concurrent configparser contextlib contextvars copy copyreg crypt csv ctypes curses dataclasses datetime dbm
    decimal difflib dis distutils doctest email encodings ensurepip enum errno faulthandler fcntl filecmp fileinput
    fnmatch fractions ftplib functools gc genericpath getopt getpass gettext glob graphlib grp gzip hashlib heapq hmac
    html http idlelib imaplib imghdr imp importlib inspect io ipaddress itertools json keyword lib2to3 linecache
    locale logging lzma mailbox mailcap marshal math mimetypes mmap modulefinder msilib msvcrt multiprocessing netrc
    nis nntplib nt ntpath nturl2path numbers opcode operator optparse os ossaudiodev pathlib pdb pickle pickletools
    pipes pkgutil platform plistlib poplib posix posixpath pprint profile pstats pty pwd py_compile pyclbr pydoc
    pydoc_data pyexpat queue quopri random re readline reprlib resource rlcompleter runpy sched secrets select
    selectors shelve shlex shutil signal site smtpd smtplib sndhdr socket socketserver spwd sqlite3 sre_compile
    sre_constants sre_parse ssl stat statistics string stringprep struct subprocess sunau symtable sys sysconfig
    syslog tabnanny tarfile telnetlib tempfile termios textwrap this threading time timeit tkinter token tokenize
    tomllib trace traceback tracemalloc tty turtle turtledemo types typing unicodedata unittest urllib uu uuid venv
    warnings wave weakref webbrowser winreg winsound wsgiref xdrlib xml xmlrpc zipapp zipfile zipimport zlib
    zoneinfo""".split()
)
_DEPENDENCIES = frozenset(
    {"google", "googleapiclient", "google_auth_httplib2", "httplib2", "uritemplate", "typing_extensions", "codegen"}
)


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
    """True when ``name`` can be written as a Python parameter or attribute name.

    Python reads identifiers NFKC-normalised ('\ufb01le' is 'file'), so a name that
    normalisation changes cannot be spelled in source and keep its identity.
    """
    return name.isidentifier() and not keyword.iskeyword(name) and unicodedata.normalize("NFKC", name) == name


def needs_alias(attribute: str) -> bool:
    """True when a member must be defined under a private name and set with ``setattr``.

    That covers names Python cannot spell (``a.b``, ``x y``) and names a class body
    would mangle (``__x``).
    """
    return not is_identifier(attribute) or attribute.startswith("__")


def is_reserved_member(attribute: str) -> bool:
    """Names a generated class cannot take: dunders and the runtime's slot."""
    dunder = len(attribute) > 4 and attribute.startswith("__") and attribute.endswith("__")
    return dunder or attribute in RUNTIME_SLOTS


def package_name(api_name: str) -> str:
    """The top-level package for an API: its module name, with '_' if it would shadow a module."""
    name = module_name(api_name)
    return name + "_" if name in _STDLIB or name in _DEPENDENCIES else name


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
    # 'none', 'true' and 'false' capitalise into keywords.
    return name + "_" if keyword.iskeyword(name) else name


def module_name(name: str) -> str:
    """A lowercase, file-safe module name; never a path, never a dunder."""
    name = python_identifier(name.lower(), fallback="module").lstrip("_") or "module"
    # Leading digits: python_identifier's '_' prefix is gone, so key2param's 'x' it is.
    return "x" + name if name[0].isdigit() else name


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
