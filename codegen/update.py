"""``python -m codegen update [SOURCE]``: move the pinned document to a newer revision.

Wiring, like ``cli``: read the newer document (the copy bundled with the
installed google-api-python-client by default, a file, or an https URL fetched
within :mod:`codegen.fetch`'s limits), print its diff against the pinned copy,
then regenerate the bindings and pages, replace the pinned copy and append the
report to the changelog, all in one :class:`codegen.transaction.Transaction`:
every file changes, or none does.

Exit status: 0 updated (or already up to date), 1 refused because the diff has
a breaking change (a changed ``rootUrl``/``servicePath``/``batchPath``/
``mtlsRootUrl`` included) and ``--allow-breaking`` was not given, 2 bad input.
Only 0 changes anything; an accepted breaking change is marked in the changelog.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import diff, docs, fetch, pipeline, render, transaction
from .discovery import DiscoveryError, Document, parse_document, read_source

# Defaults relative to the working directory (a checkout of this project): installed, the
# generator's own folder is inside site-packages.
PINNED = Path("discovery") / "workspaceevents.v1.json"
GENERATED = Path("generated")
CHANGELOG = Path("CHANGELOG.md")
_CHANGELOG_HEADER = "# Changelog\n\nAPI surface changes of the pinned discovery document, newest last.\n"
BREAKING_MARK = "BREAKING, accepted with --allow-breaking"


def _parse(text: str, label: str) -> Document:
    try:
        return parse_document(text)
    except DiscoveryError as error:
        raise DiscoveryError(f"{label}: {error}") from None


def cmd_update(args: argparse.Namespace) -> int:
    pinned = Path(args.pinned)
    old_text, old_label = read_source(str(pinned))
    old = _parse(old_text, old_label)
    new_text, new_label = read_source(args.source or f"{old.name}.{old.version}", fetch.options_from(args))
    new = _parse(new_text, new_label)
    if (new.name, new.version) != (old.name, old.version):
        raise DiscoveryError(
            f"{new_label}: is {new.name}.{new.version}, but the pinned document is {old.name}.{old.version}"
        )
    report = diff.diff_documents(old, new)
    # Everything that can fail on the input (code, pages, changelog) is made before the report is printed.
    rendered = _render(new_text, pinned, args) if report.changes else None
    title = f"{old.name}.{old.version} revision {new.revision}" + (f" ({BREAKING_MARK})" if report.breaking else "")
    changelog = Path(args.changelog)
    entry = _appended(changelog, diff.render_markdown(report, title)) if rendered is not None else ""
    sys.stdout.write(diff.render_text(report))
    if rendered is None:
        print(f"{pinned} is already up to date")
        return 0
    if report.breaking and not args.allow_breaking:
        first = report.of(diff.BREAKING)[0]
        print(
            f"error: {new_label}: {len(report.of(diff.BREAKING))} breaking change(s), e.g. {first.element}: "
            f"{first.detail}; nothing changed (--allow-breaking accepts them)",
            file=sys.stderr,
        )
        return 1
    if args.dry_run:
        return 0
    with transaction.Transaction() as txn:  # an OutputError changes nothing; cli.main makes it one line
        rendered.stage(Path(args.out))
        txn.replace_file(pinned, new_text)
        txn.replace_file(changelog, entry)
    print(f"updated {pinned}, regenerated {args.out}, appended to {args.changelog}")
    return 0


@dataclass(frozen=True, slots=True)
class _Rendered:
    """The package's files and pages, in memory."""

    files: dict[str, str]
    roots: list[str]
    verbatim: dict[str, str]
    pages: dict[str, str]

    def stage(self, out: Path) -> None:
        """Stage package and pages (they join the running transaction)."""
        render.write_tree(self.files, out, self.roots, self.verbatim)
        docs.write_docs(self.pages, out / "html")


def _render(text: str, pinned: Path, args: argparse.Namespace) -> _Rendered:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / pinned.name
        source.write_text(text, encoding="utf-8", newline="")
        packages = pipeline.load_apis([str(source)])
    verbatim = pipeline.addon_files(packages, args.addons)
    files = {**pipeline.render_all(packages), **pipeline.events_files(packages, args.events)}
    pages = docs.render_docs(pipeline.all_apis(packages))
    return _Rendered(files=files, roots=sorted(packages), verbatim=verbatim, pages=pages)


def _appended(changelog: Path, entry: str) -> str:
    try:
        existing = changelog.read_text(encoding="utf-8") if changelog.exists() else _CHANGELOG_HEADER
    except (OSError, UnicodeDecodeError) as error:
        raise DiscoveryError(f"{changelog}: cannot read: {error}") from None
    separator = "" if existing.endswith("\n\n") else "\n" if existing.endswith("\n") else "\n\n"
    return existing + separator + entry


def register(commands: Any) -> None:
    """Add ``update`` to the ``python -m codegen`` subcommands."""
    update = commands.add_parser(
        "update",
        help="diff a newer discovery document against the pinned one, then pin it and regenerate",
        description="Exit status: 0 updated or already up to date, 1 breaking change refused, "
        "2 bad input (nothing is changed unless the status is 0).",
    )
    update.add_argument(
        "source",
        nargs="?",
        metavar="SOURCE",
        help="a file, an https URL, or API.VERSION bundled with googleapiclient "
        "(default: the pinned API's bundled copy)",
    )
    update.add_argument("--pinned", default=str(PINNED), help="the pinned document (default: %(default)s)")
    update.add_argument("--out", default=str(GENERATED), help="output folder (default: generated/)")
    update.add_argument("--changelog", default=str(CHANGELOG), help="changelog to append to (default: CHANGELOG.md)")
    update.add_argument("--addons", metavar="DIR", help="the add-ons folder to copy into the package")
    update.add_argument("--events", metavar="SPEC", help="the events spec to render into the package")
    update.add_argument("--dry-run", action="store_true", help="print the report only; change no file")
    update.add_argument(
        "--allow-breaking",
        action="store_true",
        help="accept a breaking change (marked in the changelog); without it update refuses, exit 1",
    )
    fetch.add_flags(update)
    update.set_defaults(run=cmd_update)
