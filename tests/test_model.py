"""IR-builder rules on small inline documents: one rule per test, no generated code involved."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from codegen.discovery import DiscoveryError, load_document
from codegen.model import Api, Method, NextMethod, Resource, build_api

BASE: dict[str, Any] = {
    "name": "tiny",
    "version": "v1",
    "rootUrl": "https://tiny.example.com/",
    "servicePath": "",
    "parameters": {"alt": {"type": "string", "location": "query"}},
    "schemas": {
        "Page": {
            "id": "Page",
            "type": "object",
            "properties": {"nextPageToken": {"type": "string"}, "items": {"type": "array", "items": {"$ref": "Node"}}},
        },
        "Node": {"id": "Node", "type": "object", "properties": {"child": {"$ref": "Node"}, "name": {"type": "string"}}},
        "Query": {"id": "Query", "type": "object", "properties": {"pageToken": {"type": "string"}}},
    },
    "resources": {},
}


def method(http: str = "GET", **extra: Any) -> dict[str, Any]:
    return {"id": "tiny.m", "path": "v1/things/{name}", "httpMethod": http, **extra}


def build(resources: dict[str, Any] | None = None, **top: Any) -> Api:
    raw = copy.deepcopy(BASE)
    raw["resources"] = resources or {}
    raw.update(top)
    return build_api(load_document(raw), source="tiny.v1")


def things(methods: dict[str, Any], **more: Any) -> Resource:
    return build({"things": {"methods": methods, **more}}).service.resources[0]


def only(resource: Resource, attribute: str) -> Method:
    return next(m for m in resource.methods if m.attribute == attribute)


def test_keyword_method_names_get_an_underscore() -> None:
    assert [m.attribute for m in things({"import": method(), "list": method()}).methods] == ["import_", "list"]


def test_media_download_adds_a_media_twin() -> None:
    res = things({"get": method(supportsMediaDownload=True, response={"$ref": "Node"})})
    assert [m.attribute for m in res.methods] == ["get", "get_media"]
    assert only(res, "get_media").spec.response == "media"
    assert only(res, "get_media").returns == "bytes"
    assert "The media object as a string." in only(res, "get_media").docstring


def test_media_upload_adds_media_arguments_and_the_upload_url() -> None:
    upload = {"accept": ["image/*"], "maxSize": "10MB", "protocols": {"simple": {"path": "/upload/x"}}}
    res = things({"insert": method("POST", mediaUpload=upload, request={"$ref": "Node"})})
    m = only(res, "insert")
    assert {"body", "media_body", "media_mime_type"} <= {a.name for a in m.arguments}
    assert m.spec.media_path_url == "https://tiny.example.com/upload/v1/things/{name}"
    assert m.spec.media_max_size == 10 << 20


def test_a_request_on_get_gives_no_body_argument() -> None:
    m = only(things({"get": method("GET", request={"$ref": "Node"})}), "get")
    assert "body" not in {a.name for a in m.arguments}


def test_nested_resource_wins_over_a_method_of_the_same_name() -> None:
    res = things({"child": method()}, resources={"child": {"methods": {"get": method()}}})
    assert [m.attribute for m in res.methods] == []
    assert [a.attribute for a in res.accessors] == ["child"]


def test_next_method_with_the_token_in_the_query_or_in_the_body() -> None:
    query = things(
        {"list": method(parameters={"pageToken": {"type": "string", "location": "query"}}, response={"$ref": "Page"})}
    )
    body = things({"search": method("POST", request={"$ref": "Query"}, response={"$ref": "Page"})})
    assert [(n.attribute, n.in_query) for n in query.next_methods] == [("list_next", True)]
    assert [(n.attribute, n.in_query, n.page_token) for n in body.next_methods] == [("search_next", False, "pageToken")]


def test_next_method_replaces_a_method_of_the_same_name() -> None:
    paged = method(parameters={"pageToken": {"type": "string", "location": "query"}}, response={"$ref": "Page"})
    res = things({"list": paged, "list_next": method()})
    assert [m.attribute for m in res.methods] == ["list"]
    assert [n.attribute for n in res.next_methods] == ["list_next"]


def test_required_page_token_is_optional_when_the_response_is_not_paged() -> None:
    token = {"pageToken": {"type": "string", "location": "query", "required": True}}
    assert "pageToken" not in only(things({"watch": method(parameters=token)}), "watch").spec.required
    assert (
        "pageToken" in only(things({"list": method(parameters=token, response={"$ref": "Page"})}), "list").spec.required
    )


def test_names_python_cannot_spell_are_aliased() -> None:
    res = things({"a.b": method(), "get all": method(), "__hidden": method()})
    assert [(a.attribute, a.function) for a in res.aliases] == [
        ("a.b", "_member"),
        ("get all", "_member2"),
        ("__hidden", "_member3"),
    ]
    assert {m.function for m in res.methods} == {"_member", "_member2", "_member3"}


@pytest.mark.parametrize("name", ["__init__", "_client"])
def test_names_the_runtime_needs_are_refused_with_their_path(name: str) -> None:
    with pytest.raises(DiscoveryError, match=rf"^resources\.things\.methods\.{name}: .*reserved"):
        things({name: method()})


def test_a_method_named_new_batch_http_request_replaces_the_library_one() -> None:
    assert build({"things": {"methods": {"get": method()}}}).service.batch
    assert not build(methods={"new_batch_http_request": method()}).service.batch


def test_root_level_methods_live_on_the_service() -> None:
    api = build(methods={"ping": method()})
    assert [m.attribute for m in api.service.methods] == ["ping"]


def test_names_python_rewrites_force_the_functional_arguments_typeddict() -> None:
    params = {"self": {"type": "string", "location": "query"}, "\ufb01le": {"type": "string", "location": "query"}}
    m = only(things({"get": method(parameters=params)}), "get")
    names = {a.name for a in m.arguments}
    assert "\ufb01le" in names
    assert "self" not in names  # no call can pass it: it is the method's own first argument
    assert m.arguments_functional


def test_plain_names_use_the_class_form() -> None:
    m = only(things({"get": method(parameters={"pageSize": {"type": "integer", "location": "query"}})}), "get")
    assert not m.arguments_functional
    assert ("pageSize", "int | None") in {(a.name, a.annotation) for a in m.arguments}


def test_parameter_order_must_name_parameters() -> None:
    with pytest.raises(DiscoveryError, match=r"^resources\.things\.methods\.get\.parameterOrder: "):
        things({"get": method(parameterOrder=["missing"])})


def test_reserved_expansion_and_plain_variables_are_kept_apart() -> None:
    plus = only(things({"get": method(path="v1/{+name}:do/{id}")}), "get").spec.path_parts
    assert plus == (("v1/", "name", True), (":do/", "id", False), ("", "", False))
    assert only(things({"get": method(path="v1/{name*}")}), "get").spec.path_parts is None


@pytest.mark.parametrize(
    ("top", "field", "expected"),
    [
        ({"version": "v1.2"}, "module", "v1_2"),
        ({"version": "directory_v1"}, "module", "directory_v1"),
        ({"name": "logging"}, "package", "logging_"),
        ({"features": ["dataWrapper"]}, "info.data_wrapper", True),
        ({}, "info.data_wrapper", False),
    ],
)
def test_document_level_fields(top: dict[str, Any], field: str, expected: object) -> None:
    value: object = build(**top)
    for name in field.split("."):
        value = getattr(value, name)
    assert value == expected


def test_recursive_schemas_are_one_class_that_refers_to_itself() -> None:
    node = next(s for s in build().schemas if s.class_name == "Node")
    assert [(f.name, f.annotation) for f in node.fields] == [("child", "Node"), ("name", "str")]


def test_deep_nesting_gives_unique_classes_in_the_top_level_module() -> None:
    tree: dict[str, Any] = {"methods": {"get": method()}}
    for level in ("e", "d", "c", "b"):
        tree = {"resources": {level: tree}, "methods": {"get": method()}}
    api = build({"a": tree})
    (module, (top,)) = api.modules[0]
    names = []
    stack = [top]
    while stack:
        res = stack.pop()
        names.append(res.class_name)
        stack.extend(res.resources)
    assert module == "a"
    assert sorted(names) == ["ABCDEResource", "ABCDResource", "ABCResource", "ABResource", "AResource"]


def test_builder_does_not_mutate_its_input() -> None:
    raw = copy.deepcopy(BASE)
    raw["resources"] = {"things": {"methods": {"get": method(supportsMediaDownload=True)}}}
    before = copy.deepcopy(raw)
    build_api(load_document(raw), source="tiny.v1")
    assert raw == before


def test_next_methods_are_ir_records() -> None:
    res = things({"list": method(parameters={"pageToken": {"type": "string"}}, response={"$ref": "Page"})})
    assert all(isinstance(n, NextMethod) for n in res.next_methods)


def test_long_docstring_pieces_are_shared_once_per_module() -> None:
    big = {
        "type": "object",
        "properties": {f"field{i}": {"type": "string", "description": "x" * 40} for i in range(20)},
    }
    raw = copy.deepcopy(BASE)
    raw["schemas"]["Big"] = {"id": "Big", **big}
    raw["resources"] = {
        "things": {
            "methods": {
                "get": method(response={"$ref": "Big"}),
                "put": method("PUT", request={"$ref": "Big"}, response={"$ref": "Big"}),
            }
        }
    }
    res = build_api(load_document(raw), source="tiny.v1").service.resources[0]
    (shared,) = res.shared_docs
    for m in res.methods:
        joined = "".join(shared.text if p.constant else p.text for p in m.doc_parts)
        assert joined == m.docstring
        assert shared.constant in [p.text for p in m.doc_parts if p.constant]
