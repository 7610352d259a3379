# pyright: strict
"""A user's own program: checked from an empty folder with no configuration file.

tests/test_typing.py copies this file into a temporary folder outside the
repository and runs ``mypy --strict`` and pyright (strict, by the comment on
the first line) there, against the package installed from a wheel. It uses
build, every method, pagination, a batch with typed callbacks, the typed
errors and credentials. Never run.
"""

from __future__ import annotations

from workspaceevents import HttpError, build
from workspaceevents.casing import from_snake_case
from workspaceevents.credentials import from_authorized_user_file
from workspaceevents.errors import api_error
from workspaceevents.operations import OperationError, wait_operation
from workspaceevents.pagination import Request, iter_items, iter_pages
from workspaceevents.subscription_helpers import find_subscription, renew_subscription, subscription_filter
from workspaceevents.v1.schemas import ListSubscriptionsResponse, Operation, Subscription

SPACE = "//chat.googleapis.com/spaces/AAAA"
EVENTS = ["google.workspace.chat.message.v1.created"]

credentials = from_authorized_user_file("token.json", scopes=["https://www.googleapis.com/auth/chat.messages"])
service = build("workspaceevents", "v1", credentials=credentials)
subscriptions = service.subscriptions()

body: Subscription = {
    "targetResource": SPACE,
    "eventTypes": EVENTS,
    "notificationEndpoint": {"pubsubTopic": "projects/my-project/topics/events"},
}
# Google's snake_case sample, converted to the typed camelCase body.
sample = from_snake_case(
    Subscription, {"target_resource": SPACE, "event_types": EVENTS, "payload_options": {"include_resource": True}}
)
try:
    operation: Operation = subscriptions.create(body=body, validateOnly=False).execute()
    created = wait_operation(service, operation, response_type=Subscription, timeout=120)
except HttpError as exc:
    error = api_error(exc)
    print(exc.status_code, exc.reason, exc.resp.status, exc.content.decode())
    if error is None or error.status != "ALREADY_EXISTS":
        raise
    existing = find_subscription(service, SPACE, EVENTS)
    assert existing is not None
    created = existing
except OperationError as exc:
    raise SystemExit(f"create failed: {exc.status_name}: {exc.message}") from exc

name = created.get("name", "")
polled: Operation = service.operations().get(name="operations/o").execute()
current: Subscription = subscriptions.get(name=name).execute()
renewed = renew_subscription(service, name, "86400s")
subscriptions.patch(name=name, updateMask="ttl", body={"ttl": "0s"}).execute()
if current.get("state") == "SUSPENDED":
    subscriptions.reactivate(name=name, body={}).execute()
subscriptions.delete(name=name, etag=renewed.get("etag"), allowMissing=True).execute()

request: Request[ListSubscriptionsResponse] | None = subscriptions.list(filter=subscription_filter(EVENTS))
while request is not None:
    page = request.execute()
    request = subscriptions.list_next(request, page)
for listed in iter_pages(subscriptions, subscriptions.list(pageSize=10)):
    print(len(listed.get("subscriptions", [])))


def items(page: ListSubscriptionsResponse) -> list[Subscription]:
    return page.get("subscriptions", [])


for sub in iter_items(subscriptions, subscriptions.list(filter=subscription_filter(EVENTS)), items):
    print(sub.get("name"), sub.get("targetResource"))


def on_subscription(request_id: str, response: Subscription | None, exception: HttpError | None) -> None:
    if exception is not None:
        print(request_id, exception.status_code)
    elif response is not None:
        print(request_id, response.get("state"))


def on_any(request_id: str, response: object, exception: HttpError | None) -> None:
    print(request_id, response, exception)


batch = service.new_batch_http_request(callback=on_any)
batch.add(subscriptions.get(name="subscriptions/a"), callback=on_subscription)
batch.add(subscriptions.get(name="subscriptions/b"), request_id="b")
batch.execute()
service.close()
