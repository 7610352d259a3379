"""End to end on the real Pub/Sub emulator with the real google-cloud-pubsub client.

LocalServer publishes CloudEvents to an emulator topic (it picks the emulator up from
PUBSUB_EMULATOR_HOST); a streaming-pull subscriber decodes them as a user's callback would; the keeper
renews, reactivates and recreates from the lifecycle events it receives. One emulator per session, on a
free loopback port, stopped (its whole process group) at the end.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import queue
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import workspaceevents
from google.oauth2.credentials import Credentials
from workspaceevents.events import (
    ConferenceStarted,
    Event,
    FileAdded,
    MessageCreated,
    SubscriptionExpirationReminder,
    SubscriptionExpired,
    SubscriptionSuspended,
    decode,
)
from workspaceevents.events_delivery import EmulatorPublisher, ManualClock
from workspaceevents.keeper import SubscriptionKeeper
from workspaceevents.subscription_helpers import create_subscription
from workspaceevents.testing import LocalServer

PROJECT = "local-project"
TOPIC = f"projects/{PROJECT}/topics/workspace-events"
PULL = f"projects/{PROJECT}/subscriptions/workspace-events-pull"
SPACE = "//chat.googleapis.com/spaces/AAA"
MEETING = "//meet.googleapis.com/spaces/MEET"
FILE = "//drive.googleapis.com/files/F1"
STARTUP_SECONDS = 90.0
INSTALL_HINT = "apt-get install google-cloud-cli-pubsub-emulator (.ci/run does this)"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(host: str) -> bool:
    try:
        with urllib.request.urlopen(f"http://{host}/", timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    # gcloud starts java in the same (new) session: signal the whole group.
    for sig, wait in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


@contextlib.contextmanager
def _emulator_env(host: str) -> Iterator[None]:
    """PUBSUB_EMULATOR_HOST set for a while only: other tests' LocalServers must keep their in-process sink."""
    previous = os.environ.get("PUBSUB_EMULATOR_HOST")
    os.environ["PUBSUB_EMULATOR_HOST"] = host
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("PUBSUB_EMULATOR_HOST", None)
        else:
            os.environ["PUBSUB_EMULATOR_HOST"] = previous


@pytest.fixture(scope="session")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The emulator's host:port (one per session; PUBSUB_EMULATOR_HOST is set only where a test uses it)."""
    pytest.importorskip("google.cloud.pubsub_v1", reason="google-cloud-pubsub is not installed (the pubsub extra)")
    gcloud = shutil.which("gcloud")
    if gcloud is None:
        pytest.skip(f"the Pub/Sub emulator is not installed: {INSTALL_HINT}")
    host = f"127.0.0.1:{_free_port()}"
    folder = tmp_path_factory.mktemp("pubsub-emulator")
    log = (folder / "emulator.log").open("wb")
    command = [gcloud, "beta", "emulators", "pubsub", "start", f"--host-port={host}", f"--data-dir={folder}"]
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + STARTUP_SECONDS
    while not _answers(host):
        if process.poll() is not None or time.monotonic() > deadline:
            _stop(process)
            log.close()
            tail = Path(log.name).read_text(errors="replace")[-300:].strip()
            pytest.skip(f"the Pub/Sub emulator did not start ({INSTALL_HINT}): {tail}")
        time.sleep(0.2)
    try:
        yield host
    finally:
        _stop(process)
        log.close()


class Received:
    """A streaming-pull subscriber whose callback decodes each message, as a user's would."""

    def __init__(self) -> None:
        pubsub_v1: Any = importlib.import_module("google.cloud.pubsub_v1")

        self.publisher = pubsub_v1.PublisherClient()
        self.subscriber = pubsub_v1.SubscriberClient()
        self.publisher.create_topic(name=TOPIC)
        self.subscriber.create_subscription(name=PULL, topic=TOPIC)
        self.events: queue.Queue[Event[Any]] = queue.Queue()
        self.future = self.subscriber.subscribe(PULL, callback=self._callback)

    def _callback(self, message: Any) -> None:
        self.events.put(decode(message))  # the real Message: .attributes and .data
        message.ack()

    def take(self, count: int, timeout: float = 30.0) -> list[Event[Any]]:
        deadline = time.monotonic() + timeout
        out: list[Event[Any]] = []
        while len(out) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                pytest.fail(f"got {len(out)} of {count} events from the emulator: {out}")
            try:
                out.append(self.events.get(timeout=min(remaining, 1.0)))
            except queue.Empty:
                continue
        return out

    def close(self) -> None:
        self.future.cancel()
        try:
            self.future.result(timeout=10)
        except Exception:  # the cancelled future reports its cancellation
            pass
        self.subscriber.close()


@pytest.fixture(scope="module")
def received(emulator: str) -> Iterator[Received]:
    with _emulator_env(emulator):  # the clients read it when they are made
        subscriber = Received()
    yield subscriber
    subscriber.close()


def _body(target: str, event_type: str, **extra: Any) -> dict[str, Any]:
    return {
        "targetResource": target,
        "eventTypes": [event_type],
        "notificationEndpoint": {"pubsubTopic": TOPIC},
        **extra,
    }


def test_events_and_the_keeper_end_to_end(received: Received, emulator: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PUBSUB_EMULATOR_HOST", emulator)  # LocalServer picks the emulator up from it
    clock = ManualClock()
    with LocalServer(operation_polls=1, clock=clock) as server:
        assert isinstance(server.publisher, EmulatorPublisher)
        service = workspaceevents.build(
            "workspaceevents", "v1", credentials=Credentials(token="t"), client_options={"api_endpoint": server.url}
        )
        slept: list[float] = []

        def sleep(seconds: float) -> None:
            slept.append(seconds)
            clock.advance(seconds)

        keeper = SubscriptionKeeper(service, clock=clock, sleep=sleep)
        created = [
            create_subscription(service, body, sleep=sleep)  # type: ignore[arg-type]
            for body in (
                _body(SPACE, "google.workspace.chat.message.v1.created", payloadOptions={"includeResource": True}),
                _body(MEETING, "google.workspace.meet.conference.v2.started"),
                _body(FILE, "google.workspace.drive.file.v3.added"),
            )
        ]
        chat, meet, drive = (dict[str, Any](s) for s in created)
        for subscription in (chat, meet, drive):
            keeper.watch(subscription)

        server.emit(SPACE, "google.workspace.chat.message.v1.created", {"name": "spaces/AAA/messages/1", "text": "hi"})
        server.emit(MEETING, "google.workspace.meet.conference.v2.started", {"name": "conferenceRecords/C1"})
        server.emit(FILE, "google.workspace.drive.file.v3.added", {"name": "files/F1", "mimeType": "text/plain"})
        events = sorted(received.take(3), key=lambda e: type(e).__name__)
        meeting, added, message = events
        assert isinstance(message, MessageCreated) and message.data["message"].get("text") == "hi"
        assert isinstance(meeting, ConferenceStarted) and meeting.resource_names == ("conferenceRecords/C1",)
        assert isinstance(added, FileAdded) and added.data["file"] == {"name": "files/F1"}
        assert all(e.time is not None and e.time.tzinfo is not None for e in events)

        # Renew: the chat subscription (4 h, resource payloads) gets its 1 h reminder.
        clock.advance(timedelta(hours=3, minutes=30))
        server.tick()
        (reminder,) = received.take(1)
        assert isinstance(reminder, SubscriptionExpirationReminder)
        renewed = keeper.handle(reminder)
        assert renewed is not None and renewed.kind == "renewed"
        assert (
            keeper.handle(reminder) is not None
            and len([r for r in server.requests if r.method_id == "workspaceevents.subscriptions.patch"]) == 1
        )

        # Reactivate: the meet subscription loses its publisher grant, the cause gets fixed.
        server.suspend(meet["name"], "ENDPOINT_PERMISSION_DENIED")
        (suspended,) = received.take(1)
        assert isinstance(suspended, SubscriptionSuspended)
        action = keeper.handle(suspended)
        assert action is not None and "meet-api-event-push@system.gserviceaccount.com" in action.detail
        assert keeper.resolved(meet["name"]).kind == "reactivated"
        assert server.subscriptions[meet["name"]]["state"] == "ACTIVE"

        # Recreate: the drive subscription expires (7 days) and is deleted for good.
        clock.advance(timedelta(days=7))
        sent = server.tick()
        lifecycle = received.take(len(sent))
        expired = [e for e in lifecycle if isinstance(e, SubscriptionExpired)]
        assert {e.data["subscription"].get("name") for e in expired} >= {drive["name"]}
        for event in expired:
            keeper.handle(event)
        replacements = [s for s in server.subscriptions.values() if s["targetResource"] == FILE]
        assert len(replacements) == 1 and replacements[0]["name"] != drive["name"]
        service.close()
