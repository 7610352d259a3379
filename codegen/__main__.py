"""Entry point for ``python -m codegen`` (and ``python -m discovery_codegen`` when installed)."""

from __future__ import annotations

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
