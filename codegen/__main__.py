"""Entry points: ``python -m codegen`` in the repo; ``discovery-codegen`` / ``python -m discovery_codegen`` installed."""

from __future__ import annotations

import sys


def run() -> None:
    """The console command: the generator's dependencies come with the ``generate`` extra; say so if absent."""
    try:
        from .cli import main
    except ModuleNotFoundError as error:
        if error.name not in ("jinja2", "markupsafe"):
            raise
        print(
            f"error: the generator needs {error.name}: pip install 'workspaceevents[generate]'",
            file=sys.stderr,
        )
        sys.exit(2)
    sys.exit(main())


if __name__ == "__main__":
    run()
