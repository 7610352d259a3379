"""``python -m codegen update [SOURCE]``: move the pinned document to a newer revision.

Wiring, like ``cli``: read the newer document (the copy bundled with the
installed google-api-python-client by default, a file, or an http(s) URL),
print its diff against the pinned copy, regenerate the bindings from it, then
replace the pinned copy and append the report to the changelog. Nothing is
written until the new document has been checked and generated into a staging
folder, so bad input (exit 2) leaves every file as it was.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from . import diff, docs, pipeline, render
from .discovery import DiscoveryError, Document, parse_document, read_source

REPO = Path(__file__).resolve().parent.parent
PINNED = REPO / "discovery" / "workspaceevents.v1.json"
GENERATED = REPO / "generated"
CHANGELOG = REPO / "CHANGELOG.md"
_CHANGELOG_HEADER = "# Changelog\n\nAPI surface changes of the pinned discovery document, newest last.\n"
_TIMEOUT = 30  # seconds, for an http(s) SOURCE


def fetch(source: str) -> tuple[str, str]:
    """(text, label) of an http(s) URL, a file path or a bundled ``API.VERSION``."""
    if not source.startswith(("http://", "https://")):
        return read_source(source)
    try:
        with urllib.request.urlopen(source, timeout=_TIMEOUT) as response:
            data: bytes = response.read()
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise DiscoveryError(f"{source}: cannot fetch: {error}") from None
    try:
        return data.decode("utf-8"), source
    except UnicodeDecodeError as error:
        raise DiscoveryError(f"{source}: not UTF-8: {error}") from None


def _parse(text: str, label: str) -> Document:
    try:
        return parse_document(text)
    except DiscoveryError as error:
        raise DiscoveryError(f"{label}: {error}") from None


def cmd_update(args: argparse.Namespace) -> int:
    pinned = Path(args.pinned)
    old_text, old_label = read_source(str(pinned))
    old = _parse(old_text, old_label)
    new_text, new_label = fetch(args.source or f"{old.name}.{old.version}")
    new = _parse(new_text, new_label)
    if (new.name, new.version) != (old.name, old.version):
        raise DiscoveryError(
            f"{new_label}: is {new.name}.{new.version}, but the pinned document is {old.name}.{old.version}"
        )
    report = diff.diff_documents(old, new)
    sys.stdout.write(diff.render_text(report))
    if not report.changes:
        print(f"{pinned} is already up to date")
        return 0
    if args.dry_run:
        return 0
    _regenerate(new_text, pinned, Path(args.out), args)
    _replace(pinned, new_text)
    _append(Path(args.changelog), diff.render_markdown(report, f"{old.name}.{old.version} revision {new.revision}"))
    print(f"updated {pinned}, regenerated {args.out}, appended to {args.changelog}")
    return 0


def _regenerate(text: str, pinned: Path, out: Path, args: argparse.Namespace) -> None:
    """Generate from the new text before the pinned copy is touched: a failure changes nothing."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / pinned.name
        source.write_text(text, encoding="utf-8", newline="")
        packages = pipeline.load_apis([str(source)])
    package = next(iter(packages))
    verbatim = render.addon_files(package, Path(args.addons)) if args.addons else None
    files = pipeline.render_all(packages)
    if args.events:
        from . import events

        files.update(events.render_events(Path(args.events), package))
    render.write_tree(files, out, sorted(packages), verbatim)
    docs.write_docs(docs.render_docs(pipeline.all_apis(packages)), out / "html")


def _replace(path: Path, text: str) -> None:
    """Write through a temporary sibling and rename, so the pinned copy is never half-written."""
    fd, name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        shutil.copymode(path, name)  # mkstemp makes 0600 files
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def _append(changelog: Path, entry: str) -> None:
    existing = changelog.read_text(encoding="utf-8") if changelog.exists() else _CHANGELOG_HEADER
    separator = "" if existing.endswith("\n\n") else "\n" if existing.endswith("\n") else "\n\n"
    changelog.write_text(existing + separator + entry, encoding="utf-8", newline="\n")


def register(commands: Any) -> None:
    """Add ``update`` to the ``python -m codegen`` subcommands."""
    update = commands.add_parser(
        "update",
        help="diff a newer discovery document against the pinned one, then pin it and regenerate",
        description="Exit status: 0 updated or already up to date, 2 bad input (nothing is changed).",
    )
    update.add_argument(
        "source",
        nargs="?",
        metavar="SOURCE",
        help="a file, an http(s) URL, or API.VERSION bundled with googleapiclient "
        "(default: the pinned API's bundled copy)",
    )
    update.add_argument("--pinned", default=str(PINNED), help="the pinned document (default: %(default)s)")
    update.add_argument("--out", default=str(GENERATED), help="output folder (default: generated/)")
    update.add_argument("--changelog", default=str(CHANGELOG), help="changelog to append to (default: CHANGELOG.md)")
    update.add_argument("--addons", metavar="DIR", help="the add-ons folder to copy into the package")
    update.add_argument("--events", metavar="SPEC", help="the events spec to render into the package")
    update.add_argument("--dry-run", action="store_true", help="print the report only; change no file")
    update.set_defaults(run=cmd_update)
