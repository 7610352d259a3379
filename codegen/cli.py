"""Command line: ``discovery-codegen`` (``python -m codegen`` in the repo): generate|check|docs|diff|update.

Wiring only: read sources, build IR, render, write. Exit status: 0 done,
1 stale (check), 2 bad input or output that cannot be written (one line on
stderr, nothing changed), 130 interrupted (Ctrl-C), 143 terminated (SIGTERM).
Output goes through :mod:`transaction`: all or nothing, and a folder holding
files this generator did not write is refused unless ``--force`` is given.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from . import __version__, render
from .discovery import DiscoveryError
from .pipeline import addon_files, all_apis, events_files, load_apis, render_all, report_staleness
from .transaction import OutputError, Transaction

REPO = Path(__file__).resolve().parent.parent
PINNED = REPO / "discovery" / "workspaceevents.v1.json"
GENERATED = Path("generated")


def cmd_generate(args: argparse.Namespace) -> int:
    packages = load_apis(args.sources, args.package)
    files = {**render_all(packages), **events_files(packages, args.events)}
    pages: dict[str, str] = {}
    with Transaction():  # code and pages land together, or neither does
        render.write_tree(files, Path(args.out), sorted(packages), addon_files(packages, args.addons), force=args.force)
        if args.docs:
            from . import docs

            pages = docs.render_docs(all_apis(packages))
            docs.write_docs(pages, Path(args.docs))
    for name, apis in sorted(packages.items()):
        print(f"generated {Path(args.out) / name} ({', '.join(a.version for a in apis)})")
    if args.docs:
        print(f"generated {args.docs} ({len(pages)} pages)")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Regenerate into a temporary folder and compare with the committed output."""
    if not args.sources:
        raise DiscoveryError("check: give the SOURCE documents the output was generated from")
    packages = load_apis(args.sources)
    out = Path(args.out)
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "fresh"
        files = {**render_all(packages), **events_files(packages, args.events)}
        render.build_tree(files, fresh, addon_files(packages, args.addons))
        problems = compare_trees(fresh, out, sorted(packages))
    if args.docs:
        from . import docs

        problems += docs.compare_docs(docs.render_docs(all_apis(packages)), Path(args.docs))
    return report_staleness(problems, out)


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
    top = argparse.ArgumentParser(prog=_program(), description=__doc__, formatter_class=_Help)
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = top.add_subparsers(dest="command", required=True)

    generate = commands.add_parser("generate", help="generate packages from discovery documents")
    generate.add_argument(
        "sources", nargs="+", metavar="SOURCE", help="a file, or API.VERSION bundled with googleapiclient"
    )
    generate.add_argument("--out", default=str(GENERATED), help="output folder (default: ./generated)")
    generate.add_argument(
        "--package",
        help="package name (default: the API's name); all SOURCEs must then be versions of one API, "
        "and names of standard-library modules, google and googleapiclient are refused",
    )
    generate.add_argument(
        "--force",
        action="store_true",
        help="replace the package folder even when it holds files this generator did not write "
        "(without it, such a folder is refused with exit status 2)",
    )
    generate.add_argument("--docs", metavar="DIR", help="also write the HTML reference pages to DIR")
    generate.add_argument("--addons", metavar="DIR", help="copy the hand-written modules in DIR into the package")
    generate.add_argument("--events", metavar="SPEC", help="also write the typed events module described by SPEC")
    generate.set_defaults(run=cmd_generate)

    check = commands.add_parser("check", help="fail if the committed output is not what the generator makes now")
    check.add_argument(
        "sources",
        nargs="*",
        metavar="SOURCE",
        default=[str(PINNED)] if PINNED.is_file() else [],
        help="the documents the output was generated from (default in the repo: the pinned one)",
    )
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


class _Help(argparse.RawDescriptionHelpFormatter):
    """Keep the module docstring's line breaks in --help."""


class Terminated(BaseException):
    """SIGTERM, raised where the program is, so staged output is removed on the way out."""


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated


def _program() -> str:
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return f"python -m {__package__}" if name in ("", "__main__.py", "-c") else name


def main(argv: Sequence[str] | None = None) -> int:
    main_thread = threading.current_thread() is threading.main_thread()  # signals go to the main thread only
    previous = signal.signal(signal.SIGTERM, _terminate) if main_thread else None
    try:
        args = parser().parse_args(argv)
        return int(args.run(args))
    except (DiscoveryError, OutputError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except (OSError, RuntimeError, RecursionError, ValueError) as error:
        print(f"error: {type(error).__name__}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Terminated:
        print("terminated", file=sys.stderr)
        return 143
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)
