"""Keeps Workspace Events subscriptions alive: renew ahead of expiry, explain suspensions, recreate what expired.

    keeper = SubscriptionKeeper(service)
    keeper.watch(subscription)            # or let lifecycle events introduce them
    keeper.handle(decode(message))        # from the Pub/Sub subscriber callback
    keeper.run_once()                     # and/or on a schedule (cron, a timer)

Contract:

- ``expirationReminder`` (or ``run_once`` finding ``expireTime`` within
  ``renew_before``) renews with ``patch(updateMask="ttl")``, asking for the
  longest TTL the API allows: 4 hours when payloads include the resource,
  7 days otherwise. The same reminder twice renews once.
- ``suspended`` is reported with the fix in words (which account needs which
  role on which topic; re-consent for revoked scopes). The keeper never
  reactivates on its own: call ``resolved(name)`` once the cause is fixed.
- ``expired`` (or ``run_once`` getting NOT_FOUND) recreates the subscription
  from its target, event types, endpoint and payload options; ALREADY_EXISTS
  reuses the existing one.
- Every write waits for a token of a bucket of ``writes_per_minute`` (the
  API's quota is 100 writes per minute per user); 429 and 5xx answers are
  retried with exponential backoff, ``max_attempts`` times. Clock and sleep
  are injectable; each action logs one JSON line on ``logger``.
"""

from __future__ import annotations

import datetime
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from discovery_runtime.cloudevents import Event
from discovery_runtime.errors import api_error, error_status

from .events import EVENT_INFO, SubscriptionExpirationReminder, SubscriptionExpired, SubscriptionSuspended
from .subscription_helpers import create_subscription, find_subscription, reactivate_subscription, renew_subscription

if TYPE_CHECKING:
    from .v1.schemas import Subscription
    from .v1.service import WorkspaceeventsService

__all__ = ["Action", "SubscriptionKeeper", "suspension_advice", "watch_all"]

_T = TypeVar("_T")
ActionKind = Literal["renewed", "skipped", "suspended", "reactivated", "recreated", "reused", "gone"]

MAX_TTL = datetime.timedelta(days=7)
MAX_TTL_WITH_RESOURCE = datetime.timedelta(hours=4)
_RECIPE = ("targetResource", "eventTypes", "notificationEndpoint", "payloadOptions", "driveOptions")
_RETRYABLE = frozenset({"RESOURCE_EXHAUSTED", "UNAVAILABLE", "INTERNAL", "DEADLINE_EXCEEDED", "ABORTED"})
_SEEN_EVENTS = 1024  # event IDs remembered for deduplication


@dataclass(frozen=True)
class Action:
    """What the keeper did about one subscription."""

    kind: ActionKind
    subscription: str
    detail: str = ""
    expire_time: str | None = None
    replacement: str | None = None  # the new subscription's name, after recreate/reuse


def _utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def _parse_time(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def suspension_advice(subscription: Mapping[str, Any]) -> str:
    """What to do about a suspended subscription, in words, from its ``suspensionReason``."""
    reason = str(subscription.get("suspensionReason", "ERROR_TYPE_UNSPECIFIED"))
    topic = subscription.get("notificationEndpoint", {}).get("pubsubTopic", "the notification topic")
    target = subscription.get("targetResource", "the target resource")
    publishers = sorted(
        {
            info.publisher
            for event_type in subscription.get("eventTypes", ())
            if (info := EVENT_INFO.get(event_type)) is not None and info.publisher
        }
    )
    accounts = " and ".join(f"serviceAccount:{account}" for account in publishers) or "the app's push service account"
    fixes = {
        "USER_SCOPE_REVOKED": "The authorizing user revoked OAuth scopes: have them sign in again and grant the "
        "scopes for these event types (re-consent), then call resolved().",
        "APP_SCOPE_REVOKED": "A domain administrator revoked the app's OAuth scopes: ask them to grant the scopes "
        "again (domain-wide delegation / app access), then call resolved().",
        "RESOURCE_DELETED": f"{target} no longer exists: delete this subscription; reactivating cannot help.",
        "USER_AUTHORIZATION_FAILURE": f"The authorizing user lost access to {target}: restore their access, "
        "then call resolved().",
        "APP_AUTHORIZATION_FAILURE": f"The app lost access to {target}: add it back, then call resolved().",
        "ENDPOINT_PERMISSION_DENIED": f"Grant {accounts} the role roles/pubsub.publisher on {topic} "
        f"(gcloud pubsub topics add-iam-policy-binding {topic.rsplit('/', 1)[-1]} --member=... "
        "--role=roles/pubsub.publisher), then call resolved().",
        "ENDPOINT_NOT_FOUND": f"The topic {topic} does not exist in its project: create it (and grant {accounts} "
        "roles/pubsub.publisher on it), then call resolved().",
        "ENDPOINT_RESOURCE_EXHAUSTED": f"Publishing to {topic} hit a Pub/Sub quota or rate limit: raise the quota "
        "or slow the publishers, then call resolved().",
    }
    fix = fixes.get(
        reason, "The API gave no specific cause: check the target, the topic and the grants, then call resolved()."
    )
    return f"{reason}: {fix}"


class _Bucket:
    """A token bucket: ``rate`` writes per minute, on the keeper's clock."""

    def __init__(self, rate: int, clock: Callable[[], datetime.datetime], sleep: Callable[[float], object]) -> None:
        if rate < 1:
            raise ValueError("writes_per_minute must be at least 1")
        self.rate, self.clock, self.sleep = rate, clock, sleep
        self.tokens = float(rate)
        self.stamp = clock()

    def take(self) -> None:
        for _ in range(self.rate + 2):  # bounded: each pass sleeps until a token is due
            now = self.clock()
            elapsed = max((now - self.stamp).total_seconds(), 0.0)
            self.tokens = min(float(self.rate), self.tokens + elapsed * self.rate / 60.0)
            self.stamp = now
            if self.tokens >= 1.0:
                self.tokens -= 1.0
                return
            self.sleep((1.0 - self.tokens) * 60.0 / self.rate)
        raise RuntimeError("the write budget never refilled: is the clock moving?")


class SubscriptionKeeper:
    """Renews, explains, reactivates and recreates the subscriptions it watches (see the module docstring)."""

    def __init__(
        self,
        service: WorkspaceeventsService,
        *,
        renew_before: datetime.timedelta = datetime.timedelta(hours=2),
        clock: Callable[[], datetime.datetime] = _utcnow,
        sleep: Callable[[float], object] = time.sleep,
        logger: logging.Logger | None = None,
        writes_per_minute: int = 100,
        max_attempts: int = 5,
        initial_backoff: float = 1.0,
        max_backoff: float = 60.0,
        operation_timeout: float = 300.0,
    ) -> None:
        self.service = service
        self.renew_before = renew_before
        self.clock = clock
        self.sleep = sleep
        self.logger = logger or logging.getLogger("workspaceevents.keeper")
        self.max_attempts = max_attempts
        self.initial_backoff = initial_backoff
        self.max_backoff = max_backoff
        self.operation_timeout = operation_timeout
        self._bucket = _Bucket(writes_per_minute, clock, sleep)
        self._known: dict[str, dict[str, Any]] = {}  # name -> last subscription seen
        self._seen: OrderedDict[str, None] = OrderedDict()
        self.suspended: dict[str, str] = {}  # name -> advice, until resolved()

    # -- what the keeper knows -------------------------------------------

    def watch(self, subscription: Mapping[str, Any]) -> None:
        """Keep ``subscription`` (as returned by get/create) alive."""
        self._known[str(subscription["name"])] = dict(subscription)

    @property
    def subscriptions(self) -> dict[str, dict[str, Any]]:
        return {name: dict(value) for name, value in self._known.items()}

    # -- lifecycle events --------------------------------------------------

    def handle(self, event: Event[Any]) -> Action | None:
        """Act on one decoded event; events that are not lifecycle events give ``None``."""
        if not isinstance(event, (SubscriptionExpirationReminder, SubscriptionSuspended, SubscriptionExpired)):
            return None
        subscription: dict[str, Any] = dict(event.data.get("subscription", {}))
        name = str(subscription.get("name", ""))
        if event.id in self._seen:
            return self._log(Action("skipped", name, f"event {event.id} already handled"))
        self._seen[event.id] = None
        while len(self._seen) > _SEEN_EVENTS:
            self._seen.popitem(last=False)
        if not name:
            return self._log(Action("skipped", "", f"{event.type} without a subscription name"))
        known = self._known.get(name, {})
        self._known[name] = {**known, **subscription}
        if isinstance(event, SubscriptionExpirationReminder):
            return self._remind(name, known.get("expireTime"), subscription.get("expireTime"))
        if isinstance(event, SubscriptionSuspended):
            return self._suspended(name, self._known[name])
        return self.recreate(name)

    def _remind(self, name: str, renewed: str | None, reminded: str | None) -> Action:
        if renewed and reminded and _parse_time(renewed) > _parse_time(reminded):
            self._known[name]["expireTime"] = renewed
            return self._log(Action("skipped", name, "already renewed past this reminder", renewed))
        return self.renew(name)

    # -- on a schedule ---------------------------------------------------

    def run_once(self) -> list[Action]:
        """One pass over the watched subscriptions: renew what expires soon, recreate what is gone."""
        actions: list[Action] = []
        for name in list(self._known):
            request = self.service.subscriptions().get(name=name)
            try:
                current = self._call(request.execute)
            except Exception as exc:
                if error_status(exc) != "NOT_FOUND":
                    raise
                actions.append(self.recreate(name))
                continue
            self._known[name] = dict(current)
            if current.get("state") == "SUSPENDED":
                actions.append(self._suspended(name, self._known[name]))
            elif _parse_time(current.get("expireTime", "")) - self.clock() <= self.renew_before:
                actions.append(self.renew(name))
        return actions

    def run(self, interval: datetime.timedelta, *, passes: int | None = None) -> None:
        """``run_once`` every ``interval`` (``passes`` times, or until interrupted). Never spins."""
        if interval.total_seconds() <= 0:
            raise ValueError("interval must be positive")
        count = 0
        while passes is None or count < passes:
            self.run_once()
            count += 1
            if passes is None or count < passes:
                self.sleep(interval.total_seconds())

    # -- actions ---------------------------------------------------------

    def renew(self, name: str) -> Action:
        """Extend ``name`` by the longest TTL allowed (4 h with resource payloads, else 7 days)."""
        known = self._known.get(name, {})
        include = bool(known.get("payloadOptions", {}).get("includeResource"))
        ttl = MAX_TTL_WITH_RESOURCE if include else MAX_TTL
        renewed = self._write(lambda: renew_subscription(self.service, name, ttl, **self._wait()))
        self._known[name] = {**known, **renewed}
        return self._log(Action("renewed", name, f"ttl {int(ttl.total_seconds())}s", renewed.get("expireTime")))

    def resolved(self, name: str) -> Action:
        """The cause of the suspension is fixed: reactivate ``name``."""
        reactivated = self._write(lambda: reactivate_subscription(self.service, name, **self._wait()))
        self._known[name] = {**self._known.get(name, {}), **reactivated}
        self.suspended.pop(name, None)
        return self._log(Action("reactivated", name, "", reactivated.get("expireTime")))

    def recreate(self, name: str) -> Action:
        """Create ``name``'s replacement from its recipe; reuse an existing one on ALREADY_EXISTS."""
        known = self._known.pop(name, {})
        body: dict[str, Any] = {key: known[key] for key in _RECIPE if key in known}
        if not body.get("targetResource") or not body.get("eventTypes"):
            return self._log(Action("gone", name, "expired, and its target or event types are unknown"))

        def create() -> tuple[Subscription, bool]:
            try:
                return create_subscription(self.service, cast("Subscription", body), **self._wait()), False
            except Exception as exc:
                if error_status(exc) != "ALREADY_EXISTS":
                    raise
                existing = find_subscription(self.service, body["targetResource"], body["eventTypes"])
                if existing is None:
                    raise
                return existing, True

        created, reused = self._write(create)
        new_name = str(created.get("name", ""))
        self._known[new_name] = dict(created)
        kind: ActionKind = "reused" if reused else "recreated"
        return self._log(Action(kind, name, body["targetResource"], created.get("expireTime"), new_name))

    # -- plumbing --------------------------------------------------------

    def _suspended(self, name: str, subscription: Mapping[str, Any]) -> Action:
        advice = suspension_advice(subscription)
        self.suspended[name] = advice
        return self._log(Action("suspended", name, advice, subscription.get("expireTime")))

    def _wait(self) -> dict[str, Any]:
        return {
            "clock": lambda: self.clock().timestamp(),
            "sleep": self.sleep,
            "timeout": self.operation_timeout,
        }

    def _write(self, call: Callable[[], _T]) -> _T:
        self._bucket.take()
        return self._call(call)

    def _call(self, call: Callable[[], _T]) -> _T:
        delay = self.initial_backoff
        for attempt in range(1, self.max_attempts + 1):
            try:
                return call()
            except Exception as exc:
                parsed = api_error(exc)
                retryable = error_status(exc) in _RETRYABLE or (parsed is not None and parsed.http_status >= 500)
                if not retryable or attempt == self.max_attempts:
                    raise
                self.logger.warning(
                    json.dumps({"action": "retry", "attempt": attempt, "delay": delay, "error": str(exc)[:200]})
                )
                self.sleep(delay)
                delay = min(delay * 2, self.max_backoff)
        raise AssertionError("unreachable")

    def _log(self, action: Action) -> Action:
        record = {
            "action": action.kind,
            "subscription": action.subscription,
            "detail": action.detail,
            "expire_time": action.expire_time,
            "replacement": action.replacement,
        }
        level = logging.WARNING if action.kind in ("suspended", "gone") else logging.INFO
        self.logger.log(level, json.dumps({k: v for k, v in record.items() if v}, sort_keys=True))
        return action


def watch_all(keeper: SubscriptionKeeper, subscriptions: Iterable[Mapping[str, Any]]) -> None:
    """Watch every subscription of an iterable (e.g. ``iter_subscriptions``)."""
    for subscription in subscriptions:
        keeper.watch(subscription)
