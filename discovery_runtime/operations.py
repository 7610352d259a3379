"""Wait for a long-running operation (google.longrunning.Operation) to finish.

Opt-in: ``wait_operation`` only calls the generated ``operations().get(name=...)``
and ``execute()``. It polls with capped exponential backoff (``initial_delay``,
times ``multiplier`` after each poll, at most ``max_delay``) until the
operation is done or ``timeout`` seconds have passed on ``clock``. The clock and
the sleep function are parameters, so tests can run it without sleeping.

    operation = service.subscriptions().create(body=body).execute()
    subscription = wait_operation(service, operation, response_type=Subscription)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypedDict, TypeVar, cast, overload

from .errors import ErrorInfo, RpcStatus, find_error_info, status_name
from .transport import Request

__all__ = ["OperationError", "OperationTimeout", "OperationsService", "WaitOptions", "wait_operation"]

_T = TypeVar("_T")
_Op_co = TypeVar("_Op_co", bound=Mapping[str, Any], covariant=True)

DEFAULT_TIMEOUT = 300.0
DEFAULT_INITIAL_DELAY = 1.0
DEFAULT_MULTIPLIER = 2.0
DEFAULT_MAX_DELAY = 30.0


class _Operations(Protocol[_Op_co]):
    def get(self, *, name: str) -> Request[_Op_co]: ...


class OperationsService(Protocol[_Op_co]):
    """A service with an ``operations`` resource that has ``get(name=...)``."""

    def operations(self) -> _Operations[_Op_co]: ...


class WaitOptions(TypedDict, total=False):
    """``wait_operation``'s polling options, for helpers that pass them through."""

    timeout: float
    initial_delay: float
    multiplier: float
    max_delay: float
    clock: Callable[[], float]
    sleep: Callable[[float], object]
    num_retries: int


class OperationError(Exception):
    """The operation finished with an error: its google.rpc.Status is ``status``."""

    def __init__(self, operation: Mapping[str, Any]) -> None:
        error = operation.get("error")
        self.operation: Mapping[str, Any] = operation
        self.status: RpcStatus = cast(
            RpcStatus, dict(cast("Mapping[str, Any]", error)) if isinstance(error, Mapping) else {}
        )
        super().__init__(f"operation {operation.get('name', '')!s} failed: {self.status_name}: {self.message}")

    @property
    def code(self) -> int:
        """The google.rpc.Code number (``6`` for ALREADY_EXISTS)."""
        return self.status.get("code", 2)

    @property
    def status_name(self) -> str:
        """The canonical name of ``code``, such as ``"ALREADY_EXISTS"``."""
        return status_name(self.code)

    @property
    def message(self) -> str:
        return self.status.get("message", "")

    @property
    def details(self) -> list[dict[str, Any]]:
        return self.status.get("details", [])

    @property
    def error_info(self) -> ErrorInfo | None:
        """The google.rpc.ErrorInfo among ``details``, if any."""
        return find_error_info(self.details)


class OperationTimeout(TimeoutError):
    """The operation was not done when the deadline passed; ``operation`` is the last one seen."""

    def __init__(self, operation: Mapping[str, Any], timeout: float) -> None:
        self.operation: Mapping[str, Any] = operation
        self.timeout = timeout
        super().__init__(f"operation {operation.get('name', '')!s} not done after {timeout:g}s")


@overload
def wait_operation(
    service: OperationsService[Mapping[str, Any]],
    operation: Mapping[str, Any],
    *,
    timeout: float = ...,
    initial_delay: float = ...,
    multiplier: float = ...,
    max_delay: float = ...,
    clock: Callable[[], float] = ...,
    sleep: Callable[[float], object] = ...,
    num_retries: int = ...,
) -> dict[str, Any]: ...


@overload
def wait_operation(
    service: OperationsService[Mapping[str, Any]],
    operation: Mapping[str, Any],
    *,
    response_type: type[_T],
    timeout: float = ...,
    initial_delay: float = ...,
    multiplier: float = ...,
    max_delay: float = ...,
    clock: Callable[[], float] = ...,
    sleep: Callable[[float], object] = ...,
    num_retries: int = ...,
) -> _T: ...


def wait_operation(
    service: OperationsService[Mapping[str, Any]],
    operation: Mapping[str, Any],
    *,
    response_type: object = None,
    timeout: float = DEFAULT_TIMEOUT,
    initial_delay: float = DEFAULT_INITIAL_DELAY,
    multiplier: float = DEFAULT_MULTIPLIER,
    max_delay: float = DEFAULT_MAX_DELAY,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], object] = time.sleep,
    num_retries: int = 0,
) -> Any:
    """Poll ``operation`` until done; return its ``response`` (``{}`` when it has none).

    ``response_type`` only informs the type checker (for example the schema
    ``Subscription`` for subscription calls); the value is the response dict
    as received. Raises ``OperationError`` if the operation failed and
    ``OperationTimeout`` if it is not done ``timeout`` seconds after the call.
    An operation that is already done is returned without any request. An
    ``HttpError`` from a poll propagates; ``num_retries`` is passed to each
    ``execute()``, which retries 5xx and 429 answers as googleapiclient does.
    """
    if timeout < 0 or initial_delay < 0 or max_delay < 0 or multiplier < 1:
        raise ValueError("timeout, initial_delay and max_delay must be >= 0 and multiplier >= 1")
    deadline = clock() + timeout
    delay = min(initial_delay, max_delay)
    operations: _Operations[Mapping[str, Any]] | None = None
    while not operation.get("done", False):
        name = operation.get("name")
        if not isinstance(name, str) or not name:
            raise ValueError("the operation is not done and has no name to poll")
        remaining = deadline - clock()
        if remaining <= 0:
            raise OperationTimeout(operation, timeout)
        sleep(min(delay, remaining))
        delay = min(delay * multiplier, max_delay)
        if operations is None:
            operations = service.operations()
        operation = operations.get(name=name).execute(num_retries=num_retries)
    if "error" in operation:
        raise OperationError(operation)
    response: object = operation.get("response")
    return dict(cast("Mapping[str, Any]", response)) if isinstance(response, Mapping) else {}
