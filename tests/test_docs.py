"""HTML reference pages: byte-identical to describe.py for the pinned document, same structure elsewhere."""

from __future__ import annotations

import html
import json
import os
import re
import string
import subprocess
import sys
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from googleapiclient import discovery, discovery_cache
from googleapiclient.http import HttpMock

from codegen import docs
from codegen.discovery import DiscoveryError, parse_document
from codegen.model import Api, build_api

REPO = Path(__file__).resolve().parent.parent
PINNED = REPO / "discovery" / "workspaceevents.v1.json"
DATA = Path(__file__).resolve().parent / "data"
REFERENCE = next(
    (p / "reference" / "docs" for p in (REPO.parent / "shared", Path(__file__).parents[2] / "shared") if p.is_dir()),
    REPO.parent / "shared" / "reference" / "docs",
)

# Bundled documents with nested resources, paging, media download and upload;
# iap.v1 adds a resource named 'iap_tunnel', whose children describe.py skips.
BUNDLED = ("deepreview.v1", "cloudsupport.v2", "artifactregistry.v1beta2", "iap.v1")


def _api(text: str | bytes, label: str) -> Api:
    doc = parse_document(text)
    return build_api(doc, source=label)


# -- reference: describe.py's page logic -------------------------------------------------------------
# A trimmed copy of document_collection, document_collection_recursive,
# method_params and breadcrumbs from google-api-python-client's describe.py
# (Apache-2.0), run on a live dynamic client, collecting pages into a dict
# instead of writing files. CSS and templates are describe.py's own.

_CSS = """<style>

body, h1, h2, h3, div, span, p, pre, a {
  margin: 0;
  padding: 0;
  border: 0;
  font-weight: inherit;
  font-style: inherit;
  font-size: 100%;
  font-family: inherit;
  vertical-align: baseline;
}

body {
  font-size: 13px;
  padding: 1em;
}

h1 {
  font-size: 26px;
  margin-bottom: 1em;
}

h2 {
  font-size: 24px;
  margin-bottom: 1em;
}

h3 {
  font-size: 20px;
  margin-bottom: 1em;
  margin-top: 1em;
}

pre, code {
  line-height: 1.5;
  font-family: Monaco, 'DejaVu Sans Mono', 'Bitstream Vera Sans Mono', 'Lucida Console', monospace;
}

pre {
  margin-top: 0.5em;
}

h1, h2, h3, p {
  font-family: Arial, sans serif;
}

h1, h2, h3 {
  border-bottom: solid #CCC 1px;
}

.toc_element {
  margin-top: 0.5em;
}

.firstline {
  margin-left: 2 em;
}

.method  {
  margin-top: 1em;
  border: solid 1px #CCC;
  padding: 1em;
  background: #EEE;
}

.details {
  font-weight: bold;
  font-size: 14px;
}

</style>
"""
_METHOD_TEMPLATE = """<div class="method">
    <code class="details" id="$name">$name($params)</code>
  <pre>$doc</pre>
</div>
"""
_COLLECTION_LINK = """<p class="toc_element">
  <code><a href="$href">$name()</a></code>
</p>
<p class="firstline">Returns the $name Resource.</p>
"""
_METHOD_LINK = """<p class="toc_element">
  <code><a href="#$name">$name($params)</a></code></p>
<p class="firstline">$firstline</p>"""


def _ref_method_params(doc: str) -> str:
    doclines = doc.splitlines()
    if "Args:" not in doclines:
        return ""
    begin = doclines.index("Args:")
    if "Returns:" in doclines[begin + 1 :]:
        args = doclines[begin + 1 : doclines.index("Returns:", begin)]
    else:
        args = doclines[begin + 1 :]
    parameters: list[str] = []
    sorted_parameters: list[str] = []
    pname: str | None = None
    desc = ""

    def add_param(pname: str | None, desc: str) -> None:
        if pname is None:
            return
        if "(required)" not in desc:
            parameters.append(pname + "=None")
        else:
            sorted_parameters.append(pname)

    for line in args:
        m = re.search(r"^\s+([a-zA-Z0-9_]+): (.*)", line)
        if m is None:
            desc += line
            continue
        add_param(pname, desc)
        pname, desc = m.group(1), m.group(2)
    add_param(pname, desc)
    return ", ".join([*sorted_parameters, *sorted(parameters)])


def _ref_breadcrumbs(path: str, root: dict[str, Any]) -> str:
    crumbs: list[str] = []
    accumulated: list[str] = []
    for i, p in enumerate(path.split(".")):
        prefix = ".".join(accumulated)
        if prefix:
            prefix += "."
        display = root.get("title", p) if i == 0 else p
        crumbs.append(f'<a href="{prefix + p}.html">{display}</a>')
        accumulated.append(p)
    return " . ".join(crumbs)


def _ref_collection(resource: Any, path: str, root: dict[str, Any]) -> str:
    collections: list[str] = []
    methods: list[str] = []
    page = ["<html><body>", _CSS, f"<h1>{_ref_breadcrumbs(path[:-1], root)}</h1>", "<h2>Instance Methods</h2>"]
    for name in dir(resource):
        if not name.startswith("_") and callable(getattr(resource, name)):
            (collections if hasattr(getattr(resource, name), "__is_resource__") else methods).append(name)
    for name in collections:
        page.append(string.Template(_COLLECTION_LINK).substitute(href=path + name + ".html", name=name))
    for name in methods:
        doc = getattr(resource, name).__doc__
        page.append(
            string.Template(_METHOD_LINK).substitute(
                name=name, params=_ref_method_params(doc), firstline=doc.splitlines()[0]
            )
        )
    if methods:
        page.append("<h3>Method Details</h3>")
        for name in methods:
            doc = getattr(resource, name).__doc__
            page.append(
                string.Template(_METHOD_TEMPLATE).substitute(
                    name=name, params=_ref_method_params(doc), doc=html.escape(doc)
                )
            )
    page.append("</body></html>")
    return "\n".join(page)


def _ref_recursive(resource: Any, path: str, root: dict[str, Any], desc: dict[str, Any], out: dict[str, str]) -> None:
    out[path + "html"] = _ref_collection(resource, path, root)
    for name in dir(resource):
        attr = getattr(resource, name)
        if not name.startswith("_") and callable(attr) and hasattr(attr, "__is_resource__") and desc != {}:
            dname = name.rsplit("_")[0]
            _ref_recursive(attr(), path + name + ".", root, desc["resources"].get(dname, {}), out)


def describe_pages(text: str) -> dict[str, str]:
    root = json.loads(text)
    service = discovery.build_from_document(root, http=HttpMock())
    out: dict[str, str] = {}
    _ref_recursive(service, "{}_{}.".format(root["name"], root["version"].replace(".", "_")), root, root, out)
    return out


# -- structure ---------------------------------------------------------------------------------------


class _Events(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[str, ...]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(("start", tag, *(f"{k}={v}" for k, v in attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.events.append(("end", tag))

    def handle_data(self, data: str) -> None:
        if self.events and self.events[-1][0] == "data":
            data = self.events.pop()[1] + data
        self.events.append(("data", data))


def structure(page: str) -> list[tuple[str, ...]]:
    """Tags, attributes and text as a browser reads them: escaping differences disappear."""
    parser = _Events()
    parser.feed(page)
    parser.close()
    return parser.events


# -- tests -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pinned_pages() -> dict[str, str]:
    return docs.render_docs([_api(PINNED.read_bytes(), "workspaceevents.v1")])


def test_pinned_pages_are_byte_identical_to_the_published_ones(pinned_pages: dict[str, str]) -> None:
    if not REFERENCE.is_dir():
        pytest.skip(f"reference pages not found at {REFERENCE}: run with the shared/ checkout beside the repository")
    expected = {p.name: p.read_bytes() for p in REFERENCE.glob("*.html")}
    assert expected, f"no pages in {REFERENCE}"
    assert {name: page.encode() for name, page in pinned_pages.items() if name != docs.INDEX} == expected


def test_pinned_pages_are_byte_identical_to_describe_py(pinned_pages: dict[str, str]) -> None:
    reference = describe_pages(PINNED.read_text(encoding="utf-8"))
    assert {k: v for k, v in pinned_pages.items() if k != docs.INDEX} == reference


@pytest.mark.parametrize("source", BUNDLED)
def test_bundled_documents_match_describe_py_structurally(source: str) -> None:
    text = discovery_cache.get_static_doc(*source.split("."))
    assert text is not None, source
    ours = docs.render_docs([_api(text, source)])
    reference = describe_pages(text)
    assert sorted(ours) == sorted([*reference, docs.INDEX])
    for name, page in reference.items():
        assert structure(ours[name]) == structure(page), name
    assert any(name.count(".") >= 3 for name in reference), "expected a nested resource page"


def test_iap_tunnel_children_are_skipped_as_describe_py_skips_them() -> None:
    text = discovery_cache.get_static_doc("iap", "v1")
    assert text is not None
    names = set(docs.render_docs([_api(text, "iap.v1")]))
    assert "iap_v1.projects.iap_tunnel.html" in names
    assert not any(
        n.startswith("iap_v1.projects.iap_tunnel.") and n != "iap_v1.projects.iap_tunnel.html" for n in names
    )


def test_pages_carry_describe_py_css(pinned_pages: dict[str, str]) -> None:
    for name, page in pinned_pages.items():
        assert _CSS in page, name


def test_markup_in_the_document_is_escaped() -> None:
    text = (DATA / "docs_escaping.json").read_text(encoding="utf-8")
    pages = docs.render_docs([_api(text, "escaping.v1")])
    assert set(pages) == {docs.INDEX, "escaping_v1.html", "escaping_v1.things.html"}
    for name, page in pages.items():
        lowered = page.lower()
        assert "<script" not in lowered, name
        assert "<iframe" not in lowered, name
        assert lowered.count("</pre>") == lowered.count("<pre>"), name
        assert "& " not in page, name
    things = pages["escaping_v1.things.html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in things
    assert "&lt;iframe src=&quot;https://evil.invalid&quot;&gt;" in things  # in <pre>: quotes too
    # Browser-visible text is the document's text, unchanged.
    assert ("data", "Gets <iframe src='x'> a thing & more </pre>.") in structure(things)
    assert "&lt;script&gt;" in pages[docs.INDEX]


def test_method_params_reads_the_signature_back_from_the_docstring() -> None:
    doc = "Do it.\n\nArgs:\n  name: string, A name. (required)\n  body: object, The body.\n  alt: string, x\n\nReturns:\n  x\n"
    assert docs.method_params(doc) == "name, alt=None, body=None"
    assert docs.method_params("No arguments.") == ""


def test_render_is_deterministic_and_index_lists_every_version() -> None:
    apis = [_api(PINNED.read_bytes(), "workspaceevents.v1")]
    text = discovery_cache.get_static_doc("deepreview", "v1")
    assert text is not None
    apis.append(_api(text, "deepreview.v1"))
    first, second = docs.render_docs(apis), docs.render_docs(reversed(apis))
    assert first == second
    index = first[docs.INDEX]
    assert '<a href="workspaceevents_v1.html">v1</a>' in index
    assert '<a href="deepreview_v1.html">v1</a>' in index
    assert "revision 20261004" in index


def _codegen(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "codegen", *args], cwd=REPO, env=env, capture_output=True, text=True, check=False
    )


def test_cli_writes_checks_and_refuses_foreign_folders(tmp_path: Path) -> None:
    out = tmp_path / "docs"
    # An earlier run wrote a page for a resource that is gone now: the manifest lets this run remove it.
    earlier = json.loads(PINNED.read_text(encoding="utf-8"))
    earlier["resources"]["gone"] = earlier["resources"]["operations"]
    (tmp_path / "earlier.json").write_text(json.dumps(earlier), encoding="utf-8")
    assert _codegen("docs", str(tmp_path / "earlier.json"), "--out", str(out)).returncode == 0
    assert (out / "workspaceevents_v1.gone.html").is_file()
    result = _codegen("docs", str(PINNED), "--out", str(out))
    assert result.returncode == 0, result.stderr
    (out / ".codegen-manifest.json").unlink()
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [
            docs.INDEX,
            "workspaceevents_v1.html",
            "workspaceevents_v1.operations.html",
            "workspaceevents_v1.subscriptions.html",
        ]
    )
    assert _codegen("docs", str(PINNED), "--out", str(out), "--check").returncode == 0
    # A page nobody generated is not replaced.
    (out / "notes.html").write_text("mine")
    result = _codegen("docs", str(PINNED), "--out", str(out))
    assert result.returncode == 2 and "notes.html: not written by this generator" in result.stderr
    (out / "notes.html").unlink()
    (out / "workspaceevents_v1.html").write_text("edited")
    result = _codegen("docs", str(PINNED), "--out", str(out), "--check")
    assert result.returncode == 1
    assert "-edited" in result.stdout
    assert "make generate" in result.stderr
    # A folder that holds more than pages is never replaced.
    result = _codegen("docs", str(PINNED), "--out", str(tmp_path))
    assert result.returncode == 2
    assert "refusing" in result.stderr
    assert (out / "workspaceevents_v1.html").read_text() == "edited"
    # A bad document leaves the pages untouched.
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    assert _codegen("docs", str(bad), "--out", str(out)).returncode == 2
    assert (out / "workspaceevents_v1.html").read_text() == "edited"


# -- links built from document text -----------------------------------------------------------------

HOSTILE_LINK_NAMES = [
    "javascript:alert(document.domain);",
    "JavaScript:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "Data:text/html,x",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "https:evil.example",
    "//evil.example",
    "?x=1",
    "#top",
    "a b",
    "%2e%2e",
]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [value or "" for name, value in attrs if name in {"href", "src", "action", "formaction"}]


def _hrefs(page: str) -> list[str]:
    parser = _Links()
    parser.feed(page)
    return parser.hrefs


_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def _scheme(href: str) -> str | None:
    """The scheme a browser reads (WHATWG URL: leading C0 and spaces stripped, tabs and newlines removed)."""
    cleaned = re.sub(r"[\t\n\r]", "", href).lstrip("".join(map(chr, range(0x21))))
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def _assert_links_are_ours(pages: dict[str, str]) -> None:
    for name, page in pages.items():
        for href in _hrefs(page):
            if href.startswith("#"):
                continue
            scheme = _scheme(href)
            assert scheme in {None, "https"}, (name, href)
            if scheme is None:
                # A relative link: to a page of this run, with no host part.
                assert not href.startswith(("/", "\\")), (name, href)
                target = urllib.parse.unquote(href.removeprefix("./"))
                assert target in pages or docs.page_href(target) == target, (name, href)


@pytest.mark.parametrize("name", HOSTILE_LINK_NAMES)
def test_api_name_never_becomes_a_scheme(name: str) -> None:
    doc = json.loads((DATA / "docs_escaping.json").read_text(encoding="utf-8"))
    doc["name"] = name
    pages = _pages_or_refused(doc, name)
    if pages:
        _assert_links_are_ours(pages)
        hrefs = [h for page in pages.values() for h in _hrefs(page)]
        assert any(urllib.parse.unquote(h.removeprefix("./")).startswith(name) for h in hrefs)


def _pages_or_refused(doc: dict[str, Any], name: str) -> dict[str, str]:
    """The pages; or, for a name no file can carry ('/', control characters), the refusal: {}."""
    if re.search(r"[/\\\x00-\x1f]", name):
        with pytest.raises(DiscoveryError, match="cannot be part of a page file name"):
            docs.render_docs([_api(json.dumps(doc), "hostile.v1")])
        return {}
    return docs.render_docs([_api(json.dumps(doc), "hostile.v1")])


@pytest.mark.parametrize("name", HOSTILE_LINK_NAMES)
def test_resource_name_never_becomes_a_scheme(name: str) -> None:
    doc = json.loads((DATA / "docs_escaping.json").read_text(encoding="utf-8"))
    resources = doc["resources"]
    resources[name] = resources.pop(next(iter(resources)))
    _assert_links_are_ours(_pages_or_refused(doc, name))


def test_plain_names_keep_describe_py_links() -> None:
    assert docs.page_href("workspaceevents_v1.subscriptions.html") == "workspaceevents_v1.subscriptions.html"
    assert docs.page_href("javascript:x.html") == "./javascript%3Ax.html"
    assert docs.page_href(" x.html") == "./%20x.html"


@pytest.mark.parametrize(
    ("where", "value", "message"),
    [
        (("name",), "a/b", "name: 'a/b' cannot be part of a page file name"),
        (("version",), "v\x001", "version: 'v\\x001' cannot be part of a page file name"),
        (("name",), ".hidden", "name: '.hidden' would make hidden page files"),
    ],
)
def test_names_that_cannot_be_page_files_are_refused(where: tuple[str, ...], value: str, message: str) -> None:
    doc = json.loads((DATA / "docs_escaping.json").read_text(encoding="utf-8"))
    doc[where[0]] = value
    with pytest.raises(DiscoveryError) as error:
        docs.render_docs([_api(json.dumps(doc), "hostile.v1")])
    assert str(error.value).startswith(message), str(error.value)


@pytest.mark.parametrize("name", ["a/b", "..", "a\\b", "x\x00y", "new\nline"])
def test_resource_names_that_cannot_be_page_files_name_the_path(name: str) -> None:
    doc = json.loads((DATA / "docs_escaping.json").read_text(encoding="utf-8"))
    resources = doc["resources"]
    resources[name] = resources.pop(next(iter(resources)))
    with pytest.raises(DiscoveryError) as error:
        docs.render_docs([_api(json.dumps(doc), "hostile.v1")])
    message = str(error.value)
    assert message.startswith("resources."), message
    assert "\n" not in message and "\x00" not in message
