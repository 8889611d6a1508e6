"""How the cost of every regular expression of the renderer and the matcher grows with hostile input.

Usage: python bench/patterns.py [--size N] [--show K]

A pattern with two ways to read the same text (``(?:-{1,2}[\\w-]+|[\\w./-]+)+``) backtracks exponentially on a
line that fails at its end, and an unanchored one that scans a long run from every start (``[A-Za-z][\\w.-]*://``)
is quadratic. Both passed every test and showed only on real repositories (a command of many options took 18 s of
a build). This bench finds them: each module-level pattern of ``troubledocs`` and ``troubleshooter`` is run
anchored (``match``) and over every start (``finditer``) on strings made of a repeated unit (an option, a word, a tag opening, a
brace, spaces …) behind a few prefixes and before a tail that makes the match fail, at ``N`` and ``8 N`` units.
The table lists the patterns whose cost grows fastest, with the growth exponent of each use (1.0 linear, 2.0
quadratic). A pattern the code only anchors (``match``, ``fullmatch``) is harmless when only its search grows:
read the code that uses it. Times are the best of three runs.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
import importlib
import math
import pkgutil
import re
import time
from types import ModuleType

import troubledocs

import troubleshooter

#: Units a hostile line repeats: options, words with punctuation, markup openings, whitespace runs.
UNITS = (
    "--a-b ", "a.", "a ", "a:", "a/", "aa-", "0,", "a_", "_a", "{", "{{a", "${a}", "<a ", "[a]", '"a" ',
    "a=b ", "a\t", " ", "\\", "`a", "*", "a\n", " \n", "- a ", "$ a ", "#", "&",
)  # fmt: skip
PREFIXES = ("", "x ", "Error: ")
#: What ends the line so that a pattern that needs a closing part fails there and backtracks.
TAILS = ("", "|", "\x00")
REPEATS = 3
#: Above this exponent a pattern grows faster than linear (measurement noise stays well under it).
LINEAR = 1.5


def _modules() -> Iterator[ModuleType]:
    for package in (troubledocs, troubleshooter):
        yield package
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if not info.name.endswith("__main__"):
                yield importlib.import_module(info.name)


def patterns() -> dict[str, re.Pattern[str]]:
    """Every compiled pattern held by a module of the two packages, by ``module.NAME``."""
    found: dict[str, re.Pattern[str]] = {}
    for module in _modules():
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                found.setdefault(f"{module.__name__}.{name}", value)
    return found


def _cost(operation: Callable[[str], object], text: str) -> float:
    best = math.inf
    for _ in range(REPEATS):
        started = time.perf_counter()
        operation(text)
        best = min(best, time.perf_counter() - started)
    return best


def _operations(pattern: re.Pattern[str]) -> dict[str, Callable[[str], object]]:
    return {"match": pattern.match, "search": lambda text: list(pattern.finditer(text))}


@dataclass
class Growth:
    """The worst growth exponent of one way of using a pattern, its cost at the larger size, and the string."""

    exponent: float = 0.0
    seconds: float = 0.0
    string: str = ""


def growth(pattern: re.Pattern[str], size: int) -> dict[str, Growth]:
    """Per operation (``match`` anchored at the start, ``search`` over every start), the worst growth over all
    hostile strings."""
    worst = {name: Growth() for name in _operations(pattern)}
    for unit in UNITS:
        for prefix in PREFIXES:
            for tail in TAILS:
                for name, operation in _operations(pattern).items():
                    small = _cost(operation, prefix + unit * size + tail)
                    large = _cost(operation, prefix + unit * size * 8 + tail)
                    if (
                        large < 1e-3
                    ):  # too fast to tell growth from noise: linear enough at any size that matters
                        continue
                    exponent = math.log(large / max(small, 1e-7)) / math.log(8)
                    if exponent > worst[name].exponent:
                        worst[name] = Growth(exponent, large, f"{prefix!r} + {unit!r}×n + {tail!r}")
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=250, help="units of the smaller string (default 250)")
    parser.add_argument("--show", type=int, default=15, help="rows of the table (default 15)")
    args = parser.parse_args()
    found = patterns()
    measured = {name: growth(pattern, args.size) for name, pattern in found.items()}
    print(f"{len(found)} patterns, strings of {args.size} and {8 * args.size} units\n")
    print(
        "| pattern | match: exponent / s at 8× | search: exponent / s at 8× | worst string (match, else search) |"
    )
    print("| --- | --- | --- | --- |")
    ranked = sorted(
        measured.items(), key=lambda item: (-item[1]["match"].exponent, -item[1]["search"].exponent)
    )
    for name, by_operation in ranked[: args.show]:
        anchored, anywhere = by_operation["match"], by_operation["search"]
        shown = anchored.string or anywhere.string
        print(
            f"| {name} | {anchored.exponent:.2f} / {anchored.seconds:.4f} | {anywhere.exponent:.2f} / "
            f"{anywhere.seconds:.4f} | {shown} |"
        )
    for operation in ("match", "search"):
        over = [name for name, by_operation in ranked if by_operation[operation].exponent > LINEAR]
        print(f"\n{operation}: faster than linear (exponent > {LINEAR}): {len(over)} {', '.join(over)}")


if __name__ == "__main__":
    main()
