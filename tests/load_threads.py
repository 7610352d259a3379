"""One service shared by many threads, against the local server: the generated client and the dynamic one.

Run: ``.venv/bin/python -m tests.load_threads [--threads 16] [--requests 500]``. Not collected by
pytest; ``tests/test_threads.py`` runs a smaller workload through :func:`run_load`.

Every request reads its own subscription (``subscriptions/t<thread>r<i>``), so a response delivered to
the wrong caller shows as a name mismatch. The dynamic client shares one ``httplib2.Http`` between the
threads; the generated one gives each thread its own connection.
"""

from __future__ import annotations

import argparse
import collections
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import workspaceevents
from google.oauth2.credentials import Credentials
from workspaceevents.testing import LocalServer

TOKEN = "load-test-token"


@dataclass
class LoadResult:
    client: str
    threads: int
    requests: int
    seconds: float = 0.0
    ok: int = 0
    wrong: int = 0  # a response for another request
    exceptions: collections.Counter[str] = field(default_factory=collections.Counter)
    hung: int = 0  # threads still running at the deadline
    unauthorized: int = 0  # requests the server saw without the bearer token
    connections: int = 0
    server_requests: int = 0

    def summary(self) -> str:
        errors = ", ".join(f"{name} x{count}" for name, count in self.exceptions.most_common()) or "none"
        return (
            f"{self.client}: {self.threads} threads x {self.requests} requests in {self.seconds:.1f}s: "
            f"ok {self.ok}, wrong response {self.wrong}, exceptions {sum(self.exceptions.values())} ({errors}), "
            f"hung threads {self.hung}, unauthorized {self.unauthorized}, connections {self.connections}, "
            f"requests seen by the server {self.server_requests}"
        )


def seed(server: LocalServer, threads: int, requests: int) -> None:
    for thread in range(threads):
        for index in range(requests):
            server.add_subscription(
                name=f"subscriptions/t{thread}r{index}",
                targetResource=f"//chat.googleapis.com/spaces/t{thread}r{index}",
                eventTypes=["google.workspace.chat.message.v1.created"],
            )


def generated_service(url: str) -> Any:
    return workspaceevents.build(
        "workspaceevents", "v1", credentials=Credentials(token=TOKEN), client_options={"api_endpoint": url}
    )


def dynamic_service(url: str) -> Any:
    from googleapiclient import discovery

    return discovery.build(
        "workspaceevents",
        "v1",
        credentials=Credentials(token=TOKEN),
        client_options={"api_endpoint": url},
        static_discovery=True,
    )


@contextmanager
def default_timeout(seconds: float) -> Iterator[None]:
    """build_http reads the socket default when the http object is made: bound every wait."""
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(seconds)
    try:
        yield
    finally:
        socket.setdefaulttimeout(previous)


def run_load(
    server: LocalServer,
    make_service: Callable[[str], Any],
    *,
    client: str,
    threads: int,
    requests: int,
    deadline: float = 60.0,
    socket_timeout: float = 5.0,
) -> LoadResult:
    """``threads`` threads share one service and each make ``requests`` calls; the server must be seeded."""
    result = LoadResult(client, threads, requests)
    lock = threading.Lock()
    server.clear_requests()
    connections_before = server.connections
    with default_timeout(socket_timeout):
        service = make_service(server.url)
    start_line = threading.Barrier(threads)
    stop = threading.Event()

    def work(thread: int) -> None:
        ok = wrong = 0
        errors: collections.Counter[str] = collections.Counter()
        start_line.wait()
        for index in range(requests):
            if stop.is_set():
                break
            name = f"subscriptions/t{thread}r{index}"
            try:
                response = service.subscriptions().get(name=name).execute()
            except Exception as error:
                errors[type(error).__name__] += 1
                continue
            if isinstance(response, dict) and response.get("name") == name:
                ok += 1
            else:
                wrong += 1
        with lock:
            result.ok += ok
            result.wrong += wrong
            result.exceptions.update(errors)

    workers = [threading.Thread(target=work, args=(n,), daemon=True, name=f"load-{n}") for n in range(threads)]
    began = time.monotonic()
    for worker in workers:
        worker.start()
    end = began + deadline
    for worker in workers:
        worker.join(max(0.0, end - time.monotonic()))
    stop.set()
    result.seconds = time.monotonic() - began
    result.hung = sum(worker.is_alive() for worker in workers)
    service.close()
    seen = server.requests
    result.server_requests = len(seen)
    result.unauthorized = sum(request.authorization != f"Bearer {TOKEN}" for request in seen)
    result.connections = server.connections - connections_before
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--deadline", type=float, default=120.0, help="seconds before a run counts its threads as hung")
    parser.add_argument("--client", choices=("generated", "dynamic", "both"), default="both")
    args = parser.parse_args(argv)
    clients = {"generated": generated_service, "dynamic": dynamic_service}
    chosen = list(clients) if args.client == "both" else [args.client]
    with LocalServer() as server:
        seed(server, args.threads, args.requests)
        for name in chosen:
            result = run_load(
                server, clients[name], client=name, threads=args.threads, requests=args.requests, deadline=args.deadline
            )
            print(result.summary(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
