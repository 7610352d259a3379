"""Wait for a long-running operation (google.longrunning.Operation) to finish.

The same module as ``discovery_runtime.operations``, under the import path
``workspaceevents.operations``.
"""

from discovery_runtime.operations import (
    OperationError,
    OperationsService,
    OperationTimeout,
    WaitOptions,
    wait_operation,
)

__all__ = ["OperationError", "OperationTimeout", "OperationsService", "WaitOptions", "wait_operation"]
