# A stand-in for an untyped module: attributes are Any, as mypy's follow_imports = "skip" makes them.
from typing import Any

def __getattr__(name: str) -> Any: ...
