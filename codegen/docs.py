"""IR -> HTML reference pages, byte for byte as google-api-python-client's ``describe.py``.

A renderer beside ``render.py``: it reads the same IR and never introspects a
live client. ``build_pages`` turns each :class:`~codegen.model.Api` into a small
page IR (frozen records below) holding every string a page prints; the HTML
templates (``templates/html/``) only loop over it and print. Pages are named
and laid out as describe.py's ``document_collection_recursive`` names and lays
them out (``<api>_<version>.<resource>...html``); ``index.html`` is ours.

Escaping: the HTML environment has ``autoescape`` on. Its ``finalize`` escapes
every printed value with the stdlib's ``html.escape`` (``&quot;``, ``&#x27;``),
which is what describe.py applies to method docstrings, instead of
markupsafe's ``&#34;``/``&#39;``. Text that describe.py printed raw (first
lines, the title) goes through the ``text`` filter, which escapes only
``& < >``: apostrophes stay byte-identical and markup still cannot get through.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import html
import re
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import jinja2
from markupsafe import Markup

from . import render
from .discovery import DiscoveryError
from .model import Api, Resource
from .pipeline import all_apis, load_apis, report_staleness
from .transaction import MANIFEST

TEMPLATES = render.TEMPLATES
# Relative to the working directory, as generate's --out is: installed, the package folder is not the user's.
DEFAULT_OUT = Path("generated") / "html"
INDEX = "index.html"


@dataclass(frozen=True, slots=True, kw_only=True)
class Crumb:
    href: str
    label: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CollectionLink:
    name: str  # the accessor's attribute
    href: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MethodEntry:
    name: str
    params: str  # describe.py's method_params(): required first, then sorted ``name=None``
    firstline: str
    doc: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ResourcePage:
    template: ClassVar[str] = "html/resource.html.j2"

    filename: str
    crumbs: tuple[Crumb, ...]
    collections: tuple[CollectionLink, ...]  # dir() order
    methods: tuple[MethodEntry, ...]  # dir() order


@dataclass(frozen=True, slots=True, kw_only=True)
class IndexEntry:
    version: str
    href: str
    title: str
    revision: str
    source: str


@dataclass(frozen=True, slots=True, kw_only=True)
class IndexGroup:
    name: str
    versions: tuple[IndexEntry, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class IndexPage:
    template: ClassVar[str] = "html/index.html.j2"

    filename: str
    groups: tuple[IndexGroup, ...]


# -- describe.py's string rules, ported -------------------------------------------------------------


def describe_safe_version(version: str) -> str:
    """describe.py's ``safe_version`` (only dots; not naming.safe_version)."""
    return version.replace(".", "_")


_PARAM_LINE = re.compile(r"^\s+([a-zA-Z0-9_]+): (.*)")


def method_params(doc: str) -> str:
    """describe.py's ``method_params``: the signature it reads back out of a docstring's ``Args:``."""
    lines = doc.splitlines()
    if "Args:" not in lines:
        return ""
    begin = lines.index("Args:")
    args = lines[begin + 1 : lines.index("Returns:", begin)] if "Returns:" in lines[begin + 1 :] else lines[begin + 1 :]
    required: list[str] = []
    optional: list[str] = []
    name: str | None = None
    desc = ""

    def add(name: str | None, desc: str) -> None:
        if name is None:
            return
        if "(required)" in desc:
            required.append(name)
        else:
            optional.append(name + "=None")

    for line in args:
        match = _PARAM_LINE.search(line)
        if match is None:
            desc += line
            continue
        add(name, desc)
        name, desc = match.group(1), match.group(2)
    add(name, desc)
    return ", ".join([*required, *sorted(optional)])


def first_line(doc: str) -> str:
    lines = doc.splitlines()
    return lines[0] if lines else ""


def breadcrumbs(path: str, title: str) -> tuple[Crumb, ...]:
    """describe.py's ``breadcrumbs``: one link per dotted part; the first shows the API's title."""
    parts = path.split(".")
    crumbs = []
    for i, part in enumerate(parts):
        prefix = ".".join(parts[:i])
        label = (title or part) if i == 0 else part
        crumbs.append(Crumb(href=page_href(f"{prefix}.{part}.html" if prefix else f"{part}.html"), label=label))
    return tuple(crumbs)


_PLAIN_FILE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
_UNSAFE_FILE = re.compile(r"[/\\\x00-\x1f\x7f]")
# Page names must fit a file system's 255-byte limit with room for the staging prefix.
_MAX_FILE_BYTES = 200


def page_href(filename: str) -> str:
    """A link to a page this generator writes, as a relative URL that can never carry a scheme.

    Plain names (every real API's) stay byte-identical to describe.py's; any
    other name becomes ``./`` plus its percent-encoding, so ``javascript:x``,
    `` JavaScript:x`` or ``data:x`` is a path in this folder, not a scheme.
    """
    if _PLAIN_FILE.fullmatch(filename):
        return filename
    return "./" + urllib.parse.quote(filename, safe="")


def _check_file_part(part: str, where: str) -> None:
    """Refuse a document name that cannot be part of a page's file name, naming its JSON path."""
    if _UNSAFE_FILE.search(part) or part in {".", ".."}:
        raise DiscoveryError(f"{where}: {part!r} cannot be part of a page file name (no '/', '\\', control characters)")


# -- page IR ----------------------------------------------------------------------------------------


def build_pages(api: Api) -> list[ResourcePage]:
    """Every resource page of one API, in describe.py's recursion order."""
    pages: list[ResourcePage] = []
    _check_file_part(api.name, "name")
    if api.name.startswith("."):
        raise DiscoveryError(f"name: {api.name!r} would make hidden page files")
    _check_file_part(api.version, "version")
    _collect(api, api.service, f"{api.name}_{describe_safe_version(api.version)}.", api.service, pages)
    for page in pages:
        if len(page.filename.encode("utf-8")) > _MAX_FILE_BYTES:
            raise DiscoveryError(f"{_page_where(page.filename)}: page file name longer than {_MAX_FILE_BYTES} bytes")
    return pages


def _page_where(filename: str) -> str:
    """A JSON path for a page, from its dotted file name: ``a_v1.x.y.html`` -> ``resources.x.resources.y``."""
    parts = filename.removesuffix(".html").split(".")[1:]
    return ".resources.".join(["resources", *parts]) if parts else "name"


def _collect(api: Api, resource: Resource, path: str, described: Resource | None, pages: list[ResourcePage]) -> None:
    pages.append(_page(api, resource, path))
    # document_collection_recursive descends only while the part of the
    # document it tracks is non-empty, and tracks it by ``name.rsplit("_")[0]``:
    # 'iap_tunnel' (iap.v1) gets its page, its children get none. If a sibling
    # 'iap' existed, that sibling's shape would decide the descent instead.
    # "Non-empty" is read as "has methods or resources".
    if described is None or not (described.methods or described.resources):
        return
    wire = {child.path[-1]: child for child in described.resources}
    for accessor, child in sorted(
        zip(resource.accessors, resource.resources, strict=True), key=lambda p: p[0].attribute
    ):
        _check_file_part(accessor.attribute, "resources." + ".resources.".join(child.path))
        dname = accessor.attribute.split("_")[0]
        _collect(api, child, f"{path}{accessor.attribute}.", wire.get(dname), pages)


def _page(api: Api, resource: Resource, path: str) -> ResourcePage:
    # A dynamic Resource's public callables: the class's close(), then the
    # attributes _set_service_methods sets in order (a later one replaces an
    # earlier one); dir() lists them sorted.
    methods: dict[str, MethodEntry | CollectionLink] = {"close": _entry("close", api.docstrings["close"])}
    if not resource.path:
        name = "new_batch_http_request"
        methods[name] = _entry(name, api.docstrings[name])
    for method in resource.methods:
        methods[method.attribute] = _entry(method.attribute, method.docstring)
    for accessor in resource.accessors:
        methods[accessor.attribute] = CollectionLink(
            name=accessor.attribute, href=page_href(f"{path}{accessor.attribute}.html")
        )
    for next_method in resource.next_methods:
        methods[next_method.attribute] = _entry(next_method.attribute, next_method.docstring)
    members = [methods[name] for name in sorted(methods)]
    return ResourcePage(
        filename=path + "html",
        crumbs=breadcrumbs(path[:-1], api.title),
        collections=tuple(m for m in members if isinstance(m, CollectionLink)),
        methods=tuple(m for m in members if isinstance(m, MethodEntry)),
    )


def _entry(name: str, doc: str) -> MethodEntry:
    return MethodEntry(name=name, params=method_params(doc), firstline=first_line(doc), doc=doc)


def build_index(apis: Iterable[Api]) -> IndexPage:
    groups: dict[str, list[IndexEntry]] = {}
    for api in apis:
        groups.setdefault(api.name, []).append(
            IndexEntry(
                version=api.version,
                href=page_href(f"{api.name}_{describe_safe_version(api.version)}.html"),
                title=api.title or api.name,
                revision=api.revision,
                source=api.source,
            )
        )
    return IndexPage(
        filename=INDEX,
        groups=tuple(
            IndexGroup(name=name, versions=tuple(sorted(entries, key=lambda e: e.version)))
            for name, entries in sorted(groups.items())
        ),
    )


# -- rendering --------------------------------------------------------------------------------------


def _escape(value: object) -> Markup:
    """``finalize``: describe.py's ``html.escape`` (quotes too) for every printed value."""
    return value if isinstance(value, Markup) else Markup(html.escape(str(value)))


def text(value: str) -> Markup:
    """Filter for element text describe.py printed unescaped: escape ``& < >`` only."""
    return Markup(html.escape(value, quote=False))


def html_environment() -> jinja2.Environment:
    """The pages' environment: one per templates folder, so each template is compiled once per process."""
    return _environment(TEMPLATES)


@functools.lru_cache(maxsize=4)
def _environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=_escape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,  # describe.py's pages end without a newline
    )
    env.filters["text"] = text
    return env


def render_docs(apis: Iterable[Api]) -> dict[str, str]:
    """Every page for ``apis``: ``{file name: html}``, flat, plus ``index.html``."""
    apis = list(apis)
    env = html_environment()
    pages: dict[str, ResourcePage] = {}
    for api in apis:
        for page in build_pages(api):
            if page.filename in pages or page.filename == INDEX:
                raise DiscoveryError(f"{api.source}: page {page.filename!r} would be written twice")
            pages[page.filename] = page
    written = {*pages, INDEX}
    files = {
        name: env.get_template(page.template).render(page=_only_our_links(page, written))
        for name, page in pages.items()
    }
    index = build_index(apis)
    files[index.filename] = env.get_template(index.template).render(page=index)
    return files


def _only_our_links(page: ResourcePage, written: set[str]) -> ResourcePage:
    """A link built from an odd name to a page this run does not write becomes text (``href`` empty).

    E.g. the crumbs describe.py splits out of an API name holding a dot. Plain
    names keep describe.py's links even when it writes no page for them (the
    children of ``iap_tunnel``): byte-identical pages, and a plain file name is
    a harmless relative link.
    """

    def ours(href: str) -> str:
        return href if _PLAIN_FILE.fullmatch(href) or urllib.parse.unquote(href.removeprefix("./")) in written else ""

    return dataclasses.replace(
        page,
        crumbs=tuple(dataclasses.replace(c, href=ours(c.href)) for c in page.crumbs),
        collections=tuple(dataclasses.replace(c, href=ours(c.href)) for c in page.collections),
    )


# -- files ------------------------------------------------------------------------------------------


def write_docs(files: Mapping[str, str], out: Path) -> None:
    """Replace the folder ``out`` with exactly ``files``, all or nothing.

    ``out`` belongs to the pages: a folder holding anything else is refused
    rather than replaced (``--out generated`` would otherwise wipe the package).
    """
    if out.exists():
        foreign = sorted(
            p.name for p in out.iterdir() if not (p.is_file() and (p.suffix == ".html" or p.name == MANIFEST))
        )
        if foreign or not out.is_dir():
            raise RuntimeError(f"{out}: holds {foreign[:1] or [out.name]} besides pages; refusing to replace it")
    for name in files:
        if Path(name).name != name or name.startswith("."):
            raise DiscoveryError(f"{name!r}: refusing to write outside the output folder")
    # The manifest lets a later run tell these pages from hand-written ones (pages carry no header line).
    pages = {f"{out.name}/{name}": page for name, page in files.items()}
    render.write_tree(pages, out.parent, [out.name], manifest=True)


def compare_docs(files: Mapping[str, str], folder: Path) -> list[str]:
    """Unified diff lines between ``files`` and the pages in ``folder``; empty when they match."""
    have = {p.name for p in folder.glob("*.html")} if folder.is_dir() else set()
    lines: list[str] = []
    for name in sorted(have | set(files)):
        old = (folder / name).read_text(encoding="utf-8") if name in have else None
        lines.extend(render.file_diff(name, old, files.get(name)))
    return lines


# -- command line -----------------------------------------------------------------------------------


def cmd_docs(args: argparse.Namespace) -> int:
    apis = all_apis(load_apis(args.sources))
    out = Path(args.out)
    files = render_docs(apis)
    if args.check:
        return report_staleness(compare_docs(files, out), out)
    write_docs(files, out)
    print(f"generated {out} ({len(files)} pages)")
    return 0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    docs = commands.add_parser("docs", help="HTML reference pages, as google-api-python-client's describe.py")
    docs.add_argument(
        "sources", nargs="+", metavar="SOURCE", help="a file, or API.VERSION bundled with googleapiclient"
    )
    docs.add_argument(
        "--out", default=str(DEFAULT_OUT), help="output folder, replaced whole (default: generated/html/)"
    )
    docs.add_argument(
        "--check", action="store_true", help="compare with --out instead of writing; exit 1 on a difference"
    )
    docs.set_defaults(run=cmd_docs)
