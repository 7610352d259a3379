"""from_snake_case: Google's snake_case samples become the schema's camelCase bodies, and nothing else changes.

Bodies are drawn from the generated TypedDicts themselves (nested objects,
lists of them, map fields with arbitrary keys). The snake_case spelling of a
body converts back to exactly that body, and the request the static client
then builds is the one googleapiclient's dynamic client builds for the
camelCase body.
"""

from __future__ import annotations

import importlib
import re
import typing
from types import ModuleType
from typing import Any

import hypothesis.strategies as st
import pytest
from typing_extensions import is_typeddict
from workspaceevents.casing import camel_case, from_snake_case
from workspaceevents.v1 import WorkspaceeventsService

from tests.strategies import assert_same_request, given, settings


def _schemas() -> ModuleType:
    # Imported when used: other tests drop and re-import ``workspaceevents``
    # modules, and a schema's names resolve in the module its class is in.
    return importlib.import_module("workspaceevents.v1.schemas")


_leaf: st.SearchStrategy[Any] = st.none() | st.booleans() | st.integers() | st.text(max_size=5)


def _snake(name: str) -> str:
    return re.sub(r"[A-Z]", lambda match: "_" + match.group(0).lower(), name)


def _values(hint: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values of a schema field's type (nested TypedDicts to a bounded depth)."""
    origin = typing.get_origin(hint)
    if is_typeddict(hint):
        if depth > 2:
            return st.just({})
        fields = typing.get_type_hints(hint)
        return st.fixed_dictionaries({}, optional={k: _values(v, depth + 1) for k, v in fields.items()})
    if origin is list:
        return st.lists(_values(typing.get_args(hint)[0], depth + 1), max_size=2)
    if origin is dict:
        # Map keys are data: snake_case, camelCase or anything else, never converted.
        return st.dictionaries(st.sampled_from(["a_b", "cD", "x", "with space"]), _leaf, max_size=3)
    return _leaf


def _snake_body(hint: Any, value: Any) -> Any:
    """``value`` with every field name spelled the proto way (snake_case), map keys untouched."""
    origin = typing.get_origin(hint)
    if is_typeddict(hint):
        fields = typing.get_type_hints(hint)
        return {_snake(k): _snake_body(fields[k], v) for k, v in value.items()}
    if origin is list:
        return [_snake_body(typing.get_args(hint)[0], item) for item in value]
    return value


_subscriptions = st.deferred(lambda: _values(_schemas().Subscription))


@settings(max_examples=150)
@given(_subscriptions)
def test_snake_case_body_converts_to_the_camel_case_body(body: dict[str, Any]) -> None:
    subscription = _schemas().Subscription
    assert from_snake_case(subscription, _snake_body(subscription, body)) == body
    assert from_snake_case(subscription, body) == body  # camelCase is left alone


@settings(max_examples=60)
@given(_subscriptions)
def test_the_wire_is_the_dynamic_clients_for_the_camel_case_body(
    static: WorkspaceeventsService, dynamic: Any, body: dict[str, Any]
) -> None:
    subscription = _schemas().Subscription
    converted = from_snake_case(subscription, _snake_body(subscription, body))
    assert_same_request(static.subscriptions().create(body=converted), dynamic.subscriptions().create(body=body))


def test_google_sample_body() -> None:
    sample = {
        "target_resource": "//chat.googleapis.com/spaces/AAAA",
        "event_types": ["google.workspace.chat.message.v1.created"],
        "notification_endpoint": {"pubsub_topic": "projects/p/topics/t"},
        "payload_options": {"include_resource": True, "field_mask": "message.text"},
    }
    assert from_snake_case(_schemas().Subscription, sample) == {
        "targetResource": "//chat.googleapis.com/spaces/AAAA",
        "eventTypes": ["google.workspace.chat.message.v1.created"],
        "notificationEndpoint": {"pubsubTopic": "projects/p/topics/t"},
        "payloadOptions": {"includeResource": True, "fieldMask": "message.text"},
    }


def test_map_keys_and_values_are_data() -> None:
    operation = {"metadata": {"some_key": "a_value"}, "error": {"details": [{"type_url": 1}]}}
    assert from_snake_case(_schemas().Operation, operation) == operation


def test_an_unknown_key_is_named_with_its_path() -> None:
    with pytest.raises(ValueError, match=r"Subscription\.notificationEndpoint: 'pubsub_topik' is not a field"):
        from_snake_case(_schemas().Subscription, {"notification_endpoint": {"pubsub_topik": "t"}})


def test_both_spellings_of_one_field_are_refused() -> None:
    with pytest.raises(ValueError, match="repeats the field 'pubsubTopic'"):
        from_snake_case(_schemas().NotificationEndpoint, {"pubsub_topic": "a", "pubsubTopic": "b"})


def test_only_schemas_convert() -> None:
    with pytest.raises(TypeError, match="not a TypedDict"):
        from_snake_case(dict, {})


@pytest.mark.parametrize(("snake", "camel"), [("target_resource", "targetResource"), ("ttl", "ttl"), ("a_1b", "a1b")])
def test_camel_case(snake: str, camel: str) -> None:
    assert camel_case(snake) == camel
