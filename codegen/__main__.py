"""Entry points: ``python -m codegen`` in the repo; ``discovery-codegen`` / ``python -m discovery_codegen`` installed.

Ctrl-C and SIGTERM while the generator is still importing get the same one
line and exit status (130, 143) as they do later; nothing has been written yet.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType


class _Terminated(BaseException):
    pass


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise _Terminated


def run() -> None:
    """The console command: the generator's dependencies come with the ``generate`` extra; say so if absent."""
    try:
        signal.signal(signal.SIGTERM, _terminate)
        try:
            from .cli import main
        except ModuleNotFoundError as error:
            if error.name not in ("jinja2", "markupsafe"):
                raise
            print(f"error: the generator needs {error.name}: pip install 'workspaceevents[generate]'", file=sys.stderr)
            sys.exit(2)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    except _Terminated:
        print("terminated", file=sys.stderr)
        sys.exit(143)
    sys.exit(main())


if __name__ == "__main__":
    run()
