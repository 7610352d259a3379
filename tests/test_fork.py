"""After ``os.fork()`` the child has its own connections and locks: never the parent's socket, never a held lock.

The parent waits for each child with a bounded loop and kills one that hangs;
a child reports through its exit status only (``os._exit``).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from workspaceevents.testing import LocalServer

from tests.load_threads import generated_service, seed

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")

HUNG = 3


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        seed(running, 2, 20)
        yield running


def get(service: Any, name: str) -> bool:
    return bool(service.subscriptions().get(name=name).execute()["name"] == name)


def start_child(body: Callable[[], bool], *, limit: float = 10.0) -> int:
    """Fork; the child runs ``body`` and exits 0 if it returned True, 1 if False or raised. Returns the pid."""
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        status = 1
        try:
            signal.alarm(int(limit))  # a deadlocked child dies instead of hanging the suite
            status = 0 if body() else 1
        finally:
            os._exit(status)
    return pid


def wait_child(pid: int, *, limit: float = 12.0) -> int:
    """The child's exit status, or HUNG if it was killed (by its alarm, or here after ``limit`` seconds)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else HUNG
        time.sleep(0.02)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return HUNG


def in_child(body: Callable[[], bool], *, limit: float = 10.0) -> int:
    return wait_child(start_child(body, limit=limit), limit=limit + 2)


def test_the_child_opens_its_own_connection(server: LocalServer) -> None:
    service = generated_service(server.url)
    assert get(service, "subscriptions/t0r0")  # the parent's keep-alive connection is open
    before = server.connections
    assert in_child(lambda: all(get(service, f"subscriptions/t1r{i}") for i in range(5))) == 0
    assert server.connections == before + 1  # the child's own
    assert get(service, "subscriptions/t0r1")
    assert server.connections == before + 1  # the parent still uses its own


def test_parent_and_child_at_once_never_read_each_others_responses(server: LocalServer) -> None:
    service = generated_service(server.url)
    assert get(service, "subscriptions/t0r0")  # both processes hold this connection after the fork
    pid = start_child(lambda: all(get(service, f"subscriptions/t1r{i}") for i in range(20)))
    try:
        parent_ok = all(get(service, f"subscriptions/t0r{i}") for i in range(20))
    finally:
        status = wait_child(pid)
    assert parent_ok
    assert status == 0


def test_a_fork_while_another_thread_holds_the_lock_does_not_deadlock_the_child(server: LocalServer) -> None:
    service = generated_service(server.url)
    http = service.subscriptions().get(name="subscriptions/t1r0").http
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        # Forced: the moment a thread is inside the connection object's critical section.
        with http._lock:
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    assert held.wait(5)
    try:
        assert in_child(lambda: get(service, "subscriptions/t1r0") and get(service, "subscriptions/t1r1"), limit=5) == 0
    finally:
        release.set()
        holder.join(5)
