"""Measure regular-expression inclusion over the bundled documents' parameter patterns.

``python tools/pattern_inclusion.py [--library interegular|greenery|both] [--budget 2] [--limit N]``

Collects every distinct ``pattern`` of every parameter in the discovery
documents bundled with the installed googleapiclient, then decides inclusion
(old within new, new within old) for these pairs:

* each pattern against itself, rewritten (``^(?:body)$``) so the strings differ;
* each pattern with ``[^/]+`` against the same pattern with ``.+`` (a widening);
* each parameter's pattern against the same parameter's pattern in another
  version of the same API, where they differ (real revisions).

For each library it prints how many pairs were decided, how many were not
(unsupported syntax, or over the per-pair budget, counted apart) and the time
taken: the figures behind ``codegen/patterns.py``'s choice of interegular.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import json
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from codegen.patterns import match_language  # noqa: E402


class _OverBudget(Exception):
    pass


def documents() -> Iterator[tuple[str, str, Any]]:
    """(api, version, document) of every bundled discovery document."""
    import googleapiclient

    folder = Path(googleapiclient.__file__).parent / "discovery_cache" / "documents"
    for path in sorted(folder.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        yield str(doc.get("name")), str(doc.get("version")), doc


def parameter_patterns(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(JSON path of the parameter, pattern) under ``node``."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "parameters" and isinstance(value, dict):
                for name, param in value.items():
                    if isinstance(param, dict) and isinstance(param.get("pattern"), str):
                        yield f"{path}.{name}", param["pattern"]
            yield from parameter_patterns(value, f"{path}.{key}")


def pairs() -> tuple[int, list[tuple[str, str, str]]]:
    """(distinct pattern count, [(kind, old, new)])."""
    by_api: dict[str, dict[str, dict[str, str]]] = collections.defaultdict(dict)
    distinct: set[str] = set()
    for api, version, doc in documents():
        found = dict(parameter_patterns(doc))
        by_api[api][version] = found
        distinct.update(found.values())
    result = [("self", p, _regrouped(p)) for p in sorted(distinct)]
    result += [("widened", p, p.replace("[^/]+", ".+", 1)) for p in sorted(distinct) if "[^/]+" in p]
    seen: set[tuple[str, str]] = set()
    for versions in by_api.values():
        names = sorted(versions)
        for old_version, new_version in itertools.pairwise(names):
            old, new = versions[old_version], versions[new_version]
            for where in sorted(set(old) & set(new)):
                pair = (old[where], new[where])
                if pair[0] != pair[1] and pair not in seen:
                    seen.add(pair)
                    result.append(("revision", *pair))
    return len(distinct), result


def _regrouped(pattern: str) -> str:
    """The same language, spelled differently: the body between the anchors in a group."""
    start = "^" if pattern.startswith("^") else ""
    body = pattern.removeprefix("^")
    end = "$" if body.endswith("$") and not body.endswith("\\$") else ""
    return f"{start}(?:{body.removesuffix(end) if end else body}){end}"


def interegular_inclusion(old: str, new: str) -> tuple[bool, bool]:
    import interegular
    from interegular.fsm import Alphabet

    patterns = [interegular.parse_pattern(p) for p in (match_language(old), match_language(new), ".*")]
    flags = interegular.REFlags(0)
    alphabet = Alphabet.union(*(p.get_alphabet(flags) for p in patterns))[0]
    a, b, line = (p.to_fsm(alphabet) for p in patterns)
    a, b = a & line, b & line
    return bool(a.issubset(b)), bool(b.issubset(a))


def greenery_inclusion(old: str, new: str) -> tuple[bool, bool]:
    import greenery  # type: ignore[import-untyped,import-not-found,unused-ignore]

    line = greenery.parse("[^\n]*").to_fsm()
    a = greenery.parse(match_language(old)).to_fsm() & line
    b = greenery.parse(match_language(new)).to_fsm() & line
    return bool(a.issubset(b)), bool(b.issubset(a))


LIBRARIES: dict[str, Callable[[str, str], tuple[bool, bool]]] = {
    "interegular": interegular_inclusion,
    "greenery": greenery_inclusion,
}


def measure(name: str, work: list[tuple[str, str, str]], budget: float) -> dict[str, Any]:
    def expire(signum: int, frame: object) -> None:
        raise _OverBudget

    signal.signal(signal.SIGALRM, expire)
    decided: collections.Counter[str] = collections.Counter()
    outcome: collections.Counter[str] = collections.Counter()
    unsupported = over_budget = 0
    slowest = 0.0
    started = time.perf_counter()
    for kind, old, new in work:
        begin = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, budget)
        try:
            old_in_new, new_in_old = LIBRARIES[name](old, new)
        except _OverBudget:
            over_budget += 1
            continue
        except Exception:  # any failure of the library is "not decided"; the kind is not the point
            unsupported += 1
            continue
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            slowest = max(slowest, time.perf_counter() - begin)
        decided[kind] += 1
        outcome[
            {(True, True): "same", (True, False): "wider", (False, True): "narrower"}.get(
                (old_in_new, new_in_old), "incomparable"
            )
        ] += 1
    return {
        "library": name,
        "pairs": len(work),
        "decided": sum(decided.values()),
        "decided_by_kind": dict(decided),
        "outcomes": dict(outcome),
        "unsupported": unsupported,
        "over_budget": over_budget,
        "seconds": round(time.perf_counter() - started, 1),
        "slowest_pair_seconds": round(slowest, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", choices=[*LIBRARIES, "both"], default="both")
    parser.add_argument("--budget", type=float, default=2.0, help="seconds per pair (default: %(default)s)")
    parser.add_argument("--limit", type=int, default=0, help="measure only every k-th pair, so N in all (default: all)")
    args = parser.parse_args()
    count, work = pairs()
    if args.limit and args.limit < len(work):
        work = work[:: len(work) // args.limit][: args.limit]
    kinds = collections.Counter(kind for kind, _, _ in work)
    print(json.dumps({"distinct_patterns": count, "pairs": len(work), "pairs_by_kind": dict(kinds)}))
    for name in LIBRARIES if args.library == "both" else [args.library]:
        try:
            __import__(name)
        except ImportError:
            print(json.dumps({"library": name, "error": f"not installed (pip install {name})"}))
            continue
        print(json.dumps(measure(name, work, args.budget)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
