"""Time and memory of the renderer against input size, per hostile shape: every rule must be linear.

Usage: python bench/scale.py [--base N] [SHAPE ...]
Each shape is a page built from ``N`` units (an identical heading, a keyword reference on one line, a stacked
attribute line …), rendered at 1×, 2×, 4× and 8× its size; the table shows seconds and peak traced memory at each
size and the growth exponent of each (the slope of log cost against log size: 1.0 is linear, 2.0 quadratic).
Linear is at most 1.2. Time is the best of three runs, so that load on the machine does not count.

The shape ``small-repo build`` builds a two-page repository whose big page has ``N / 4`` sections (headings and
links) with ``troubledocs build``: below 40 pages nothing renders ahead in workers, and the adapter's own steps
(Material's TOC lookup for search, the link lines) must be linear too.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
import logging
import math
from pathlib import Path
import tempfile
import time
import tracemalloc

from troubledocs.cli import main as troubledocs
from troubledocs.keywords import KeywordMap
from troubledocs.renderer import Renderer

FACTORS = (1, 2, 4, 8)

#: Shape name → page made of ``n`` units.
SHAPES: dict[str, Callable[[int], str]] = {
    "identical headings": lambda n: "## Same heading\n\nText.\n\n" * n,
    "keyword refs on a line": lambda n: "Use " + "{{site.data.keyword.cloud_notm}} " * n + "\n",
    "stacked attribute lines": lambda n: "Text.\n" + '{: .cls #id data-x="1"}\n' * n,
    "unclosed tags": lambda n: "<div>\n" + "<table><tr><td>x\n" * n,
    "deep lists, repeated": lambda n: "".join("  " * i + "- item\n" for i in range(25)) * max(1, n // 25),
    "deep quotes, repeated": lambda n: (">" * 30 + " quote\n\n") * max(1, n // 10),
    "span attribute lists": lambda n: "**x**{: .c} " * n + "\n",
    "comments and CDATA": lambda n: "<!-- a --!> <![CDATA[ x ]]> <? y ?> text " * n + "\n",
    "many links on a line": lambda n: "[a](b.md#c) " * n + "\n",
    "table rows": lambda n: "| a | b |\n|---|---|\n" + "| x | y |\n" * n,
    "nested emphasis": lambda n: "*a " * min(n, 5000) + "x" + " a*" * min(n, 5000) + "\n" + "word " * n,
}


BUILD_SHAPE = "small-repo build"


def _big_page(n: int) -> str:
    sections = n // 4
    return "# Big\n\n" + "".join(
        f"## Section {i}\n\nSee [the other page](other.md) and [a part](#section-{i // 2}).\n\n"
        for i in range(sections)
    )


def _build(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        src = Path(folder) / "src"
        src.mkdir()
        (src / "big.md").write_text(text, "utf-8")
        (src / "other.md").write_text("# Other\n\nText.\n", "utf-8")
        troubledocs(["build", str(src), "-o", str(Path(folder) / "site"), "-q"])


def _cost(run: Callable[[str], object], text: str) -> tuple[float, int]:
    best = math.inf
    for _ in range(3):
        start = time.perf_counter()
        run(text)
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    run(text)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return best, peak


def exponent(sizes: list[int], costs: list[float]) -> float:
    """Least-squares slope of log(cost) against log(size)."""
    xs = [math.log(s) for s in sizes]
    ys = [math.log(max(c, 1e-9)) for c in costs]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mean_x) ** 2 for x in xs
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", type=int, default=2000, help="units at 1× (default 2000)")
    parser.add_argument(
        "shapes", nargs="*", default=[*SHAPES, BUILD_SHAPE], help="shapes to run (default: all)"
    )
    args = parser.parse_args()
    renderer = Renderer(keywords=KeywordMap.load())
    logging.disable(logging.WARNING)  # the build shape's pages warn about nothing worth printing here
    head = "".join(f"{f}× s".rjust(9) for f in FACTORS) + "".join(f"{f}× MB".rjust(8) for f in FACTORS)
    print(f"{'shape':<26}{'KB 1×':>7}{head}{'exp t':>7}{'exp mem':>8}")
    worst = 0.0
    for name in args.shapes:
        make = _big_page if name == BUILD_SHAPE else SHAPES[name]
        texts = [make(args.base * factor) for factor in FACTORS]
        run = _build if name == BUILD_SHAPE else lambda text: renderer.render(text, "scale.md")
        costs = [_cost(run, text) for text in texts]
        sizes = [len(text) for text in texts]
        times, peaks = [c[0] for c in costs], [float(c[1]) for c in costs]
        exp_t, exp_m = exponent(sizes, times), exponent(sizes, peaks)
        worst = max(worst, exp_t, exp_m)
        cells = "".join(f"{t:9.3f}" for t in times) + "".join(f"{m / 1e6:8.1f}" for m in peaks)
        print(f"{name:<26}{sizes[0] / 1000:7.0f}{cells}{exp_t:7.2f}{exp_m:8.2f}", flush=True)
    print(f"worst growth exponent: {worst:.2f} ({'linear' if worst <= 1.2 else 'NOT linear'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
