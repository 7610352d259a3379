"""The intermediate representation, and ``build_api``: discovery records -> IR.

Layer 2 of 3. Everything the templates print is computed here, once: Python
names, annotations, docstrings, the constant tables the runtime needs, and
which members win when names collide (the dynamic client sets attributes in a
fixed order and the last one wins). The builder is pure: no I/O, no globals,
and the input document is never mutated.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from discovery_runtime import __version__
from discovery_runtime.contract import CONTRACT_VERSION, ApiInfo, MethodSpec

from . import quirks
from .discovery import DiscoveryError, Document, MethodDoc, ResourceDoc
from .docstrings import DocstringWriter, library_docstrings
from .naming import (
    NamePool,
    class_name,
    fix_method_name,
    is_identifier,
    is_reserved_member,
    module_name,
    needs_alias,
    package_name,
    safe_version,
)
from .schemas import Schema, build_schemas
from .specs import build_spec, signature

# Public members of the runtime's Resource class that a document's method may replace.
BASE_MEMBERS = frozenset({"close"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Argument:
    """One keyword argument of a generated method: a field of its arguments TypedDict."""

    name: str
    annotation: str  # ``Required[T]`` or ``T | None``


# Docstring pieces at least this long become module-level constants that
# every docstring using them concatenates: one copy in the module, not one
# per method (pretty-printed schemas repeat, and make up most of a module).
SHARED_DOC_MIN = 512


@dataclass(frozen=True, slots=True, kw_only=True)
class DocPart:
    """A piece of a method docstring: a literal, or the name of a shared constant."""

    text: str
    constant: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class SharedDoc:
    constant: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Method:
    template: ClassVar[str] = "method"

    attribute: str  # the name the dynamic client exposes
    function: str  # the def name: ``attribute`` unless that is no identifier
    constant: str  # module-level name of the MethodSpec
    arguments: tuple[Argument, ...]  # the fields of ``arguments_class``, in docstring order
    arguments_class: str  # the TypedDict that types ``**kwargs``
    arguments_functional: bool  # some name is no identifier: TypedDict("Name", {...}) form
    overrides_base: bool  # replaces a member of the runtime base class (``close``), as in googleapiclient
    returns: str
    docstring: str
    doc_parts: tuple[DocPart, ...]  # ``docstring`` as the module spells it
    spec: MethodSpec


@dataclass(frozen=True, slots=True, kw_only=True)
class NextMethod:
    template: ClassVar[str] = "next_method"

    attribute: str
    function: str
    page_token: str
    next_page_token: str
    in_query: bool
    returns: str
    docstring: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Accessor:
    attribute: str
    function: str
    class_name: str
    module: str  # module under ``resources/`` that defines the class
    docstring: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Alias:
    """A member whose name Python cannot spell in a class body: defined as ``function``, then renamed."""

    attribute: str
    function: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Resource:
    template: ClassVar[str] = "resource"

    class_name: str
    docstring: str
    module: str
    path: tuple[str, ...]  # wire names from the root
    methods: tuple[Method, ...]
    next_methods: tuple[NextMethod, ...]
    accessors: tuple[Accessor, ...]
    resources: tuple[Resource, ...]  # classes the accessors return
    aliases: tuple[Alias, ...]  # set with setattr after the class body
    batch: bool  # the root's new_batch_http_request, unless a method took the name
    shared_docs: tuple[SharedDoc, ...]  # on the root and on each module's top resource


@dataclass(frozen=True, slots=True, kw_only=True)
class Api:
    name: str
    version: str
    package: str
    module: str  # the version's sub-package: 'v1', 'v1_2'
    revision: str
    title: str
    source: str  # the document's file name, for headers
    sha256: str
    info: ApiInfo  # the runtime's own record, written as it is
    contract_version: int  # of the runtime contract the package is written for
    generator_version: str  # the package's __version__: the generator and runtime ship as one
    service: Resource  # the root: root methods, accessors, new_batch_http_request
    modules: tuple[tuple[str, tuple[Resource, ...]], ...]  # resources/<module>.py -> classes
    schemas: tuple[Schema, ...]
    docstrings: dict[str, str]


def build_api(doc: Document, *, source: str, package: str | None = None) -> Api:
    """Build the IR for one document. Raises DiscoveryError for what it cannot represent."""
    schemas, classes = build_schemas(doc)
    builder = _Builder(doc, classes, DocstringWriter(doc))
    service = builder.resource(
        ResourceDoc(name=doc.name, methods=doc.methods, resources=doc.resources),
        path=(),
        raw=doc.raw,
        class_name=class_name(doc.name) + "Service",
        module="",
    )
    modules = tuple(
        (accessor.module, (child,)) for accessor, child in zip(service.accessors, service.resources, strict=True)
    )
    return Api(
        name=doc.name,
        version=doc.version,
        package=_package(package, doc.name),
        module=safe_version(doc.version),
        revision=doc.revision,
        title=doc.title,
        source=source,
        sha256=doc.sha256,
        info=ApiInfo(
            root_url=doc.root_url,
            service_path=doc.service_path,
            batch_path=doc.batch_path,
            mtls_root_url=doc.mtls_root_url,
            scopes=tuple(name for name, _ in doc.scopes),
            data_wrapper="dataWrapper" in doc.features,
        ),
        contract_version=CONTRACT_VERSION,
        generator_version=__version__,
        service=service,
        modules=modules,
        schemas=schemas,
        docstrings=library_docstrings(),
    )


class _Builder:
    def __init__(self, doc: Document, classes: dict[str, str], docstrings: DocstringWriter) -> None:
        self._doc = doc
        self._classes = classes
        self._docstrings = docstrings
        self._class_names = NamePool()
        self._modules = NamePool({"__init__"})
        self._constants = NamePool()
        self._argument_classes = NamePool()
        self._shared: dict[str, dict[str, str]] = {}  # module -> text -> constant

    def resource(
        self, res: ResourceDoc, *, path: tuple[str, ...], raw: object, class_name: str, module: str
    ) -> Resource:
        raw_methods = _child(raw, "methods")
        # Attribute order of Resource._set_service_methods: methods (with their
        # _media twins), then nested resources, then _next methods; a later
        # attribute replaces an earlier one of the same name.
        members: dict[str, Method | tuple[Accessor, Resource] | NextMethod] = {}
        for method in res.methods:
            raw_method = _child(raw_methods, method.name)
            members.update((m.attribute, m) for m in self.methods(method, raw_method, path, module))
        raw_resources = _child(raw, "resources")
        for child in res.resources:
            attribute = fix_method_name(child.name)
            child_module = module or self._modules.claim(module_name(child.name))
            child_class = self._class_names.claim(_class((*path, child.name)))
            members[attribute] = (
                Accessor(
                    attribute=attribute,
                    function=attribute,
                    class_name=child_class,
                    module=child_module,
                    docstring=quirks.RESOURCE_ACCESSOR_DOC,
                ),
                self.resource(
                    child,
                    path=(*path, child.name),
                    raw=_child(raw_resources, child.name),
                    class_name=child_class,
                    module=child_module,
                ),
            )
        for method in res.methods:
            next_method = self.next_method(method)
            if next_method is not None:
                members[next_method.attribute] = next_method
        members = _private_functions(members, path)
        accessors = [m for m in members.values() if isinstance(m, tuple)]
        return Resource(
            class_name=class_name,
            # The service class keeps googleapiclient.discovery.Resource's docstring (help(service) reads the same).
            docstring=f"The {'.'.join(path)} resource." if path else "A class for interacting with a resource.",
            module=module,
            path=path,
            methods=tuple(m for m in members.values() if isinstance(m, Method)),
            next_methods=tuple(m for m in members.values() if isinstance(m, NextMethod)),
            accessors=tuple(a for a, _ in accessors),
            resources=tuple(r for _, r in accessors),
            aliases=tuple(
                Alias(attribute=name, function=_member(m).function)
                for name, m in members.items()
                if _member(m).function != name
            ),
            # Resource._add_basic_methods sets new_batch_http_request first; a
            # method of that name replaces it.
            batch=not path and "new_batch_http_request" not in members,
            shared_docs=tuple(
                SharedDoc(constant=name, text=text) for text, name in self._shared.get(module, {}).items()
            )
            if len(path) <= 1
            else (),
        )

    def methods(self, method: MethodDoc, raw_method: object, path: tuple[str, ...], module: str) -> list[Method]:
        names = [method.name] + ([method.name + "_media"] if method.supports_media_download else [])
        return [self.method(fix_method_name(name), method, raw_method, path, module) for name in names]

    def method(
        self, attribute: str, method: MethodDoc, raw_method: object, path: tuple[str, ...], module: str
    ) -> Method:
        where = _json_path(path) + f"methods.{method.name}"
        spec, table = build_spec(method, self._doc, media=attribute.endswith("_media"), where=where)
        # ``self`` is accepted by no call (it is the method's own first argument).
        arguments = [(n, a) for n, a in signature(method, table, spec, self._classes) if n != "self"]
        pieces = self._docstrings.method_parts(attribute, method, raw_method, table)  # type: ignore[arg-type]
        constant = self._constants.claim("_" + _constant((*path, attribute)))
        return Method(
            attribute=attribute,
            function=attribute,
            constant=constant,
            arguments=tuple(Argument(name=n, annotation=a) for n, a in arguments),
            arguments_class=self._argument_classes.claim(class_name(*path, attribute) + "Arguments"),
            arguments_functional=not all(is_identifier(n) for n, _ in arguments),
            overrides_base=attribute in BASE_MEMBERS,
            returns=_returns(method, spec, self._classes),
            docstring="".join(pieces),
            doc_parts=self.doc_parts(pieces, module),
            spec=spec,
        )

    def doc_parts(self, pieces: list[str], module: str) -> tuple[DocPart, ...]:
        """Join short pieces into literals; name long ones once per module."""
        shared = self._shared.setdefault(module, {})
        parts: list[DocPart] = []
        literal: list[str] = []
        for piece in pieces:
            if len(piece) < SHARED_DOC_MIN:
                literal.append(piece)
                continue
            if literal:
                parts.append(DocPart(text="".join(literal), constant=False))
                literal = []
            # Lowercase: spec constants are upper case, so the names cannot meet.
            name = shared.setdefault(piece, f"_doc{len(shared) + 1}")
            parts.append(DocPart(text=name, constant=True))
        if literal or not parts:
            parts.append(DocPart(text="".join(literal), constant=False))
        return tuple(parts)

    def next_method(self, method: MethodDoc) -> NextMethod | None:
        """Resource._add_next_methods: a ``_next`` method when both sides of paging exist."""
        from .parameters import merged_parameters, page_token_name
        from .schemas import properties

        next_token = page_token_name(properties(method.response, self._doc))
        if next_token is None:
            return None
        token = page_token_name(merged_parameters(method, self._doc))
        in_query = token is not None
        if token is None:
            token = page_token_name(properties(method.request, self._doc))
        if token is None:
            return None
        attribute = fix_method_name(method.name + "_next")
        return NextMethod(
            attribute=attribute,
            function=attribute,
            page_token=token,
            next_page_token=next_token,
            in_query=in_query,
            returns=_returns(method, None, self._classes),
            docstring=library_docstrings()["next"],
        )


def _returns(method: MethodDoc, spec: MethodSpec | None, classes: dict[str, str]) -> str:
    if spec is not None and spec.response == "media":
        return "bytes"
    if method.response is not None and method.response.ref is not None:
        return f"_schemas.{classes[method.response.ref]}"
    return "Any"


_Member = Method | NextMethod | tuple[Accessor, "Resource"]


def _member(member: _Member) -> Method | NextMethod | Accessor:
    return member[0] if isinstance(member, tuple) else member


def _private_functions(members: dict[str, _Member], path: tuple[str, ...]) -> dict[str, _Member]:
    """Give members whose names a class body cannot spell a private ``def`` name.

    The dynamic client sets attributes with setattr, so any string is a member
    name there; the generated class does the same after its body.
    """
    pool = NamePool(set(members))
    out: dict[str, _Member] = {}
    for name, member in members.items():
        if is_reserved_member(name):
            where = _json_path(path) + ("resources." if isinstance(member, tuple) else "methods.")
            raise DiscoveryError(f"{where}{name}: the name {name!r} is reserved by the generated runtime")
        out[name] = _renamed(member, pool.claim("_member")) if needs_alias(name) else member
    return out


def _renamed(member: _Member, function: str) -> _Member:
    if isinstance(member, tuple):
        return (replace(member[0], function=function), member[1])
    return replace(member, function=function)


def _json_path(path: tuple[str, ...]) -> str:
    """Where a resource sits in the document: 'resources.a.resources.b.'."""
    return "".join(f"resources.{name}." for name in path)


def _package(package: str | None, api_name: str) -> str:
    if package is None:
        return package_name(api_name)
    if not is_identifier(package):
        raise DiscoveryError(f"--package: {package!r} is not a Python identifier")
    return package


def _class(path: tuple[str, ...]) -> str:
    return class_name(*path) + "Resource"


def _constant(parts: tuple[str, ...]) -> str:
    return "_".join(module_name(p).upper() for p in parts)


def _child(raw: object, key: str) -> object:
    return raw.get(key, {}) if isinstance(raw, dict) else {}
