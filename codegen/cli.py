"""Command line: ``python -m codegen generate|check|docs|diff|update``.

Wiring only: read sources, build IR, render, write. A DiscoveryError (or an
unreadable source) becomes one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from . import render
from .discovery import DiscoveryError
from .pipeline import all_apis, load_apis, render_all, report_staleness

REPO = Path(__file__).resolve().parent.parent
PINNED = REPO / "discovery" / "workspaceevents.v1.json"
GENERATED = REPO / "generated"


def cmd_generate(args: argparse.Namespace) -> int:
    packages = load_apis(args.sources, args.package)
    files = {**render_all(packages), **events_files(args, packages)}
    render.write_tree(files, Path(args.out), sorted(packages), addons(args, packages))
    for name, apis in sorted(packages.items()):
        print(f"generated {Path(args.out) / name} ({', '.join(a.version for a in apis)})")
    if args.docs:
        from . import docs

        pages = docs.render_docs(all_apis(packages))
        docs.write_docs(pages, Path(args.docs))
        print(f"generated {args.docs} ({len(pages)} pages)")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Regenerate into a temporary folder and compare with the committed output."""
    packages = load_apis(args.sources)
    out = Path(args.out)
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "fresh"
        files = {**render_all(packages), **events_files(args, packages)}
        render.build_tree(files, fresh, addons(args, packages))
        problems = compare_trees(fresh, out, sorted(packages))
    if args.docs:
        from . import docs

        problems += docs.compare_docs(docs.render_docs(all_apis(packages)), Path(args.docs))
    return report_staleness(problems, out)


def addons(args: argparse.Namespace, packages: Mapping[str, object]) -> dict[str, str]:
    """The --addons modules, as files of the one package being generated."""
    if not args.addons:
        return {}
    return render.addon_files(_only_package("--addons", packages), Path(args.addons))


def events_files(args: argparse.Namespace, packages: Mapping[str, object]) -> dict[str, str]:
    """The --events module of the one package being generated."""
    if not args.events:
        return {}
    from . import events

    return events.render_events(Path(args.events), _only_package("--events", packages))


def _only_package(option: str, packages: Mapping[str, object]) -> str:
    if len(packages) != 1:
        raise DiscoveryError(f"{option}: needs exactly one package, got " + ", ".join(sorted(packages)))
    return next(iter(packages))


def compare_trees(fresh: Path, committed: Path, roots: Sequence[str]) -> list[str]:
    lines: list[str] = []
    for root in roots:
        want = {p.relative_to(fresh) for p in (fresh / root).rglob("*") if p.is_file()}
        have = {
            p.relative_to(committed)
            for p in (committed / root).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        }
        for relative in sorted(want | have):
            old = (committed / relative).read_text(encoding="utf-8") if relative in have else None
            new = (fresh / relative).read_text(encoding="utf-8") if relative in want else None
            lines.extend(render.file_diff(relative, old, new))
    return lines


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m codegen", description=__doc__)
    commands = top.add_subparsers(dest="command", required=True)

    generate = commands.add_parser("generate", help="generate packages from discovery documents")
    generate.add_argument(
        "sources", nargs="+", metavar="SOURCE", help="a file, or API.VERSION bundled with googleapiclient"
    )
    generate.add_argument("--out", default=str(GENERATED), help="output folder (default: generated/)")
    generate.add_argument("--package", help="package name (default: the API's name)")
    generate.add_argument("--docs", metavar="DIR", help="also write the HTML reference pages to DIR")
    generate.add_argument("--addons", metavar="DIR", help="copy the hand-written modules in DIR into the package")
    generate.add_argument("--events", metavar="SPEC", help="also write the typed events module described by SPEC")
    generate.set_defaults(run=cmd_generate)

    check = commands.add_parser("check", help="fail if the committed output is not what the generator makes now")
    check.add_argument("sources", nargs="*", metavar="SOURCE", default=[str(PINNED)])
    check.add_argument("--out", default=str(GENERATED))
    check.add_argument("--docs", metavar="DIR", help="also compare the HTML reference pages in DIR")
    check.add_argument("--addons", metavar="DIR", help="the add-ons folder the package was generated with")
    check.add_argument("--events", metavar="SPEC", help="the events spec the package was generated with")
    check.set_defaults(run=cmd_check)

    # Commands that live in their own modules register themselves.
    import importlib

    for module in (".docs", ".diff", ".update"):
        try:
            importlib.import_module(module, __package__).register(commands)
        except ModuleNotFoundError as error:
            if error.name != f"{__package__}{module}":
                raise
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except DiscoveryError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except (OSError, RuntimeError, RecursionError) as error:
        print(f"error: {type(error).__name__}: {error}", file=sys.stderr)
        return 2
