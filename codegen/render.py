"""IR -> files: the Jinja2 environments, the file manifest, formatting and writing.

Layer 3 of 3. Templates receive IR objects only. ``render_package`` returns
the files as a ``{relative path: text}`` mapping; ``write_tree`` puts such a
mapping on disk through :mod:`transaction`: staged beside the target, swapped in
whole, refused when the target holds files this generator did not write.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import jinja2

from . import transaction
from .literals import pyrepr
from .model import Api


def _templates() -> Path:
    """templates/: package data when installed (discovery_codegen/templates), else the repo's top-level folder."""
    here = Path(__file__).resolve().parent
    installed = here / "templates"
    return installed if installed.is_dir() else here.parent / "templates"


TEMPLATES = _templates()

# template -> output path, relative to the output folder. One table, no scanning.
PACKAGE_FILES = (
    ("python/__init__.py.j2", "{package}/__init__.py"),
    ("python/py.typed.j2", "{package}/py.typed"),
)
VERSION_FILES = (
    ("python/version_init.py.j2", "{package}/{module}/__init__.py"),
    ("python/service.py.j2", "{package}/{module}/service.py"),
    ("python/schemas.py.j2", "{package}/{module}/schemas.py"),
    ("python/resources_init.py.j2", "{package}/{module}/resources/__init__.py"),
)
RESOURCE_MODULE = ("python/resources.py.j2", "{package}/{module}/resources/{name}.py")


def comment_text(value: str) -> str:
    """Document text made safe for a ``#`` comment: escaped, one line."""
    return pyrepr(str(value))[1:-1]


def docstring_text(value: str) -> str:
    """Document text made safe inside a triple-quoted docstring: plain characters only."""
    return "".join(c if c.isalnum() or c in " .,:()-_/" else "_" for c in str(value)).strip() or "_"


def python_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(pyrepr=pyrepr, comment=comment_text, docstring_text=docstring_text)
    return env


def render_package(apis: Sequence[Api]) -> dict[str, str]:
    """Every file of one package (one API, one or more versions)."""
    env = python_environment()
    first = apis[0]
    files: dict[str, str] = {}
    for template, target in PACKAGE_FILES:
        files[target.format(package=first.package)] = env.get_template(template).render(api=first, apis=apis)
    for api in apis:
        names = {"package": api.package, "module": api.module}
        for template, target in VERSION_FILES:
            files[target.format(**names)] = env.get_template(template).render(api=api, apis=apis)
        template, target = RESOURCE_MODULE
        for module, resources in api.modules:
            text = env.get_template(template).render(api=api, module=module, resources=_flatten(resources))
            files[target.format(name=module, **names)] = text
    return files


def _flatten(resources: Sequence[object]) -> list[object]:
    out: list[object] = []
    for resource in resources:
        out.append(resource)
        out.extend(_flatten(resource.resources))  # type: ignore[attr-defined]
    return out


def format_python(paths: Sequence[Path]) -> None:
    """Tidy generated Python files (or whole folders) in place with the pinned ruff: unused imports, order, format.

    Templates import everything a module might need; ruff removes what one
    module does not use. Same ruff version, same bytes.
    """
    if not paths:
        return
    ruff = [sys.executable, "-m", "ruff"]
    config = ["--no-cache", "--config", str(_RUFF_CONFIG)]
    for command in (["check", "--fix-only", "--unsafe-fixes", "--select", "F401,I", *config], ["format", *config]):
        result = subprocess.run([*ruff, *command, *map(str, paths)], capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"ruff {command[0]} failed: {result.stderr.strip() or result.stdout.strip()}")


_RUFF_CONFIG = Path(__file__).resolve().parent / "ruff-generated.toml"


def build_tree(
    files: Mapping[str, str],
    folder: Path,
    verbatim: Mapping[str, str] | None = None,
    *,
    manifest: bool | None = None,
) -> None:
    """Write ``files`` under ``folder`` and format their Python.

    ``verbatim`` files (hand-written add-ons) are written as they are, unformatted.
    ``manifest`` (default: for each top-level folder that holds Python) writes the
    ``.codegen-manifest.json`` that lets a later run know these files are its own.
    """
    verbatim = verbatim or {}
    everything = {**files, **verbatim}
    for relative, text in sorted(everything.items()):
        target = folder / relative
        if not _inside(folder, target) or Path(relative).name == transaction.MANIFEST:
            raise ValueError(f"{relative}: refusing to write outside the output folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
    format_python([folder / relative for relative in sorted(files) if relative.endswith(".py")])
    roots = sorted({Path(relative).parts[0] for relative in everything if len(Path(relative).parts) > 1})
    for root in roots:
        if manifest or (manifest is None and any(r.endswith(".py") and r.startswith(f"{root}/") for r in everything)):
            text = transaction.manifest_text(folder / root)
            (folder / root / transaction.MANIFEST).write_text(text, encoding="utf-8", newline="\n")


def write_tree(
    files: Mapping[str, str],
    out: Path,
    roots: Sequence[str],
    verbatim: Mapping[str, str] | None = None,
    *,
    force: bool = False,
    manifest: bool | None = None,
) -> None:
    """Replace the top-level entries ``roots`` of ``out`` with the rendered files, all or nothing.

    Inside a running :class:`transaction.Transaction` the change joins it (and
    lands with the rest of it); otherwise it is a transaction of its own.
    """
    running = transaction.current()
    if running is not None:
        running.replace_tree(files, out, roots, verbatim, force=force, manifest=manifest)
        return
    with transaction.Transaction() as txn:
        txn.replace_tree(files, out, roots, verbatim, force=force, manifest=manifest)


def addon_files(package: str, folder: Path) -> dict[str, str]:
    """The hand-written modules in ``folder``, as files of ``package``: copied verbatim."""
    if not folder.is_dir():
        raise OSError(f"{folder}: add-ons folder not found")
    return {f"{package}/{path.name}": path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.py"))}


def file_diff(relative: object, old: str | None, new: str | None) -> list[str]:
    """Unified diff lines from the committed text to the regenerated one (None: no such file)."""
    a = old.splitlines(keepends=True) if old is not None else []
    b = new.splitlines(keepends=True) if new is not None else []
    lines = list(difflib.unified_diff(a, b, f"committed/{relative}", f"regenerated/{relative}"))
    if lines and not lines[-1].endswith("\n"):
        lines.append("\n")
    return lines


def _inside(folder: Path, target: Path) -> bool:
    return os.path.commonpath([folder.resolve(), target.resolve()]) == str(folder.resolve())
