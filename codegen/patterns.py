"""Is one parameter pattern wider than another? Language inclusion, decided by ``interegular``.

googleapiclient checks a parameter with ``re.match(pattern, value)``: anchored at
the start, and at the end only by a final ``$``. :func:`compare` turns both
patterns into that exact language, over values without line breaks (no URL
parameter carries one; counting them would make ``[^/]+`` -> ``.+`` a
narrowing, as ``.`` does not match ``\n``), and asks interegular (a maintained finite-automaton library,
chosen over greenery by ``tools/pattern_inclusion.py``: it builds an automaton
for all 2,439 patterns of the bundled documents, greenery stalls on some) whether
each accepts every string the other accepts.

The answer is a :class:`Verdict`: ``same``, ``wider`` (new accepts all old did),
``narrower``, ``incomparable`` or ``unknown`` (a construct interegular does not
model, a pattern over ``MAX_PATTERN`` characters, or over ``BUDGET_SECONDS`` of
work: an untrusted document must not stall the diff). ``unknown`` carries the
reason; the diff calls it breaking and says why.
"""

from __future__ import annotations

import contextlib
import functools
import re
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

Relation = Literal["same", "wider", "narrower", "incomparable", "unknown"]
MAX_PATTERN = 1000
BUDGET_SECONDS = 2.0
# A leading '^' (redundant under re.match) and a final unescaped '$'.
_ONE_LINE = ".*"  # '.' is everything but '\n'
_END_ANCHOR = re.compile(r"(?<!\\)(?:\\\\)*\$$")


@dataclass(frozen=True, slots=True)
class Verdict:
    relation: Relation
    reason: str = ""


class _OverBudget(Exception):
    pass


@functools.lru_cache(maxsize=4096)
def compare(old: str, new: str) -> Verdict:
    """How the language of ``new`` relates to that of ``old`` under ``re.match``."""
    if old == new:
        return Verdict("same")
    refusal = _not_attempted(old, new)
    if refusal:
        return Verdict("unknown", refusal)
    import interegular

    try:
        with _budget(BUDGET_SECONDS):
            old_in_new, new_in_old = _inclusions(match_language(old), match_language(new))
    except _OverBudget:
        return Verdict("unknown", f"deciding inclusion took over {BUDGET_SECONDS:g} s")
    except (interegular.Unsupported, interegular.InvalidSyntax) as error:
        return Verdict("unknown", f"not decidable here: {_one_line(error)}")
    except (RecursionError, MemoryError, ValueError, KeyError, TypeError, IndexError) as error:
        return Verdict("unknown", f"not decidable here: {type(error).__name__}")
    relation: dict[tuple[bool, bool], Relation] = {
        (True, True): "same",
        (True, False): "wider",
        (False, True): "narrower",
        (False, False): "incomparable",
    }
    return Verdict(relation[old_in_new, new_in_old])


def _not_attempted(old: str, new: str) -> str:
    """Why the inclusion is not even tried ('' when it is)."""
    if max(len(old), len(new)) > MAX_PATTERN:
        return f"pattern longer than {MAX_PATTERN} characters"
    try:
        import interegular  # noqa: F401
    except ImportError:
        return "interegular is not installed (pip install interegular)"
    return ""


def match_language(pattern: str) -> str:
    """A pattern whose full matches are exactly the strings ``re.match(pattern, s)`` accepts."""
    core = pattern.removeprefix("^")
    if _END_ANCHOR.search(core):
        return f"(?:{core[:-1]})"
    return f"(?:{core}).*"


def _inclusions(old: str, new: str) -> tuple[bool, bool]:
    """(old within new, new within old) over one-line values, all automata over one alphabet."""
    import interegular
    from interegular.fsm import Alphabet

    patterns = [interegular.parse_pattern(p) for p in (old, new, _ONE_LINE)]
    flags = interegular.REFlags(0)
    alphabet: Any = Alphabet.union(*(p.get_alphabet(flags) for p in patterns))[0]
    old_fsm, new_fsm, one_line = (p.to_fsm(alphabet) for p in patterns)
    old_fsm, new_fsm = old_fsm & one_line, new_fsm & one_line
    return bool(old_fsm.issubset(new_fsm)), bool(new_fsm.issubset(old_fsm))


@contextlib.contextmanager
def _budget(seconds: float) -> Iterator[None]:
    """Interrupt the work after ``seconds`` (main thread only: elsewhere the length cap is the bound)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        del signum, frame
        raise _OverBudget

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__
