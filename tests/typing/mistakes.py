"""Deliberate mistakes: every line marked ``# expect-error`` must be reported by the type checkers.

tests/test_typing.py runs mypy (and pyright) over this file and compares the
reported line numbers with the marked ones, both ways. Never imported or run.
"""

from __future__ import annotations

from workspaceevents import HttpError, build
from workspaceevents.casing import from_snake_case
from workspaceevents.operations import wait_operation
from workspaceevents.pagination import iter_items
from workspaceevents.v1.schemas import Operation, Subscription

service = build("workspaceevents", "v1", developerKey="key")
subscriptions = service.subscriptions()

# A misspelled keyword argument.
subscriptions.list(pagesize=10)  # expect-error
# A value outside a parameter's enum.
subscriptions.list(x__xgafv="3")  # expect-error
# A value of the wrong type.
subscriptions.list(pageSize="10")  # expect-error
# An enum value a body field does not allow.
subscriptions.create(body={"targetResource": "//chat.googleapis.com/spaces/S", "state": "PAUSED"})  # expect-error
# A resource that does not exist.
service.widgets()  # expect-error
# A misspelled key on a typed result.
subscription = subscriptions.get(name="subscriptions/s").execute()
target = subscription["targetResorce"]  # expect-error
# A required argument left out.
subscriptions.get()  # expect-error
# A body key the schema does not have.
subscriptions.create(body={"targetResource": "//chat.googleapis.com/spaces/S", "ttlSeconds": 60})  # expect-error
# A body key the schema does not have, in a nested object.
subscriptions.create(body={"notificationEndpoint": {"pubsubTopic": "t", "pushEndpoint": "u"}})  # expect-error
# A body assembled first, then given a key the schema does not have.
body: Subscription = {"targetResource": "//chat.googleapis.com/spaces/S"}
body["eventType"] = "google.workspace.chat.message.v1.created"  # expect-error
# A method that does not exist on a resource.
subscriptions.update(name="subscriptions/s")  # expect-error
# A positional argument where only keywords are accepted.
subscriptions.get("subscriptions/s")  # expect-error
# The result of a list used as a Subscription.
page = subscriptions.list(filter="f").execute()
state = page["state"]  # expect-error
# A wrong key on an operation's typed response.
created = wait_operation(service, subscriptions.create(body=body).execute(), response_type=Subscription)
created_name: int = created["name"]  # expect-error
# Items typed from the page: a Subscription has no "subscriptions".
for item in iter_items(subscriptions, subscriptions.list(filter="f"), lambda p: p.get("subscriptions", [])):
    nested = item["subscriptions"]  # expect-error


# A batch callback for another response type than its request's.
def on_operation(request_id: str, response: Operation | None, exception: HttpError | None) -> None: ...


batch = service.new_batch_http_request()
batch.add(subscriptions.get(name="subscriptions/s"), callback=on_operation)  # expect-error
# A converted snake_case body is typed as the schema it was converted for.
snake = {"target_resource": "//chat.googleapis.com/spaces/S"}
converted: Operation = from_snake_case(Subscription, snake)  # expect-error
