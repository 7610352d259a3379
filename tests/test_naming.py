"""The naming rules, table by table. Method and argument names must be googleapiclient's own."""

from __future__ import annotations

import keyword

import pytest
from googleapiclient import discovery

from codegen import naming

# Names that reach fix_method_name / key2param in the bundled documents or in hostile ones.
WIRE_NAMES = [
    "list",
    "import",
    "class",
    "body",
    "get-all",
    "$.xgafv",
    "max-results",
    "1st",
    "a.b",
    "with space",
    "émoji😀",
    "\ufb01le",
    "../etc",
    "@type",
    "__init__",
    "",
    "x",
]


@pytest.mark.parametrize("name", WIRE_NAMES)
def test_fix_method_name_is_googleapiclients(name: str) -> None:
    assert naming.fix_method_name(name) == discovery.fix_method_name(name)


@pytest.mark.parametrize("name", [n for n in WIRE_NAMES if n])
def test_key2param_is_googleapiclients(name: str) -> None:
    assert naming.key2param(name) == discovery.key2param(name)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("list", True),
        ("import_", True),
        ("import", False),
        ("a.b", False),
        ("with space", False),
        ("1st", False),
        ("émoji", True),
        ("\ufb01le", False),  # NFKC turns it into 'file' in source
        ("match", True),  # soft keywords are fine as names
    ],
)
def test_is_identifier(name: str, expected: bool) -> None:
    assert naming.is_identifier(name) is expected


@pytest.mark.parametrize(
    ("name", "alias", "reserved"),
    [
        ("list", False, False),
        ("a.b", True, False),
        ("get all", True, False),
        ("__private", True, False),
        ("_private", False, False),
        ("__init__", True, True),
        ("__slots__", True, True),
        ("_client", False, True),
        ("_request", False, False),  # generated methods call the runtime through the class
        ("close", False, False),  # replaces Resource.close, as in the dynamic client
    ],
)
def test_members_python_cannot_spell(name: str, alias: bool, reserved: bool) -> None:
    assert naming.needs_alias(name) is alias
    assert naming.is_reserved_member(name) is reserved


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("v1", "v1"),
        ("v1.2", "v1_2"),
        ("directory_v1", "directory_v1"),
        ("v1beta1a", "v1beta1a"),
        ("1", "_1"),
        ("../../x", "x"),
        ("", "version"),
        ("class", "class_"),
        ("é", "e"),
    ],
)
def test_safe_version(version: str, expected: str) -> None:
    assert naming.safe_version(version) == expected


@pytest.mark.parametrize(
    ("api", "expected"),
    [
        ("drive", "drive"),
        ("workspaceevents", "workspaceevents"),
        ("logging", "logging_"),  # would shadow the standard library
        ("calendar", "calendar_"),
        ("googleapiclient", "googleapiclient_"),
        ("My-API", "my_api"),
        ("../evil", "evil"),
        ("__init__", "init"),
        ("import", "import_"),
        ("1password", "x1password"),
        ("", "module"),
    ],
)
def test_package_name(api: str, expected: str) -> None:
    assert naming.package_name(api) == expected


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("subscriptions",), "Subscriptions"),
        (("projects", "locations", "operations"), "ProjectsLocationsOperations"),
        (("get-all",), "GetAll"),
        (("$foo.bar@baz",), "FooBarBaz"),
        (("1st",), "X1st"),
        (("class",), "Class"),
        (("über",), "Uber"),
        (("😀",), "X"),
        (("",), "X"),
        (("True",), "True_"),
        (("none",), "None_"),
        (("false",), "False_"),
    ],
)
def test_class_name(parts: tuple[str, ...], expected: str) -> None:
    assert naming.class_name(*parts) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Subscriptions", "subscriptions"),
        ("../../etc/passwd", "etc_passwd"),
        ("/abs", "abs"),
        ("__init__", "init"),
        ("con.sole", "con_sole"),
        ("with space", "with_space"),
        ("for", "for_"),
        ("", "module"),
    ],
)
def test_module_name_is_one_safe_file_name(name: str, expected: str) -> None:
    result = naming.module_name(name)
    assert result == expected
    assert result.isidentifier() and not keyword.iskeyword(result)
    assert "/" not in result and "\\" not in result and not result.startswith("_")


def test_name_pool_is_collision_free_and_case_insensitive() -> None:
    pool = naming.NamePool({"Any"})
    assert [pool.claim(n) for n in ("Any", "Foo", "foo", "Foo", "Foo2")] == ["Any2", "Foo", "foo2", "Foo3", "Foo22"]
