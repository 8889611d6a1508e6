"""Check saved failing fuzz inputs again on the current code, grouped by what still fails.

    .venv/bin/python bench/fuzz_recheck.py [FOLDER ...]   (default: bench/output/fuzz)

Each ``.md`` that ``bench/fuzz.py`` saved (its ``.txt`` says what failed and how the input was made) goes through
``fuzzkit.check_render`` again, with the renderer and content reuse of the fuzzer. Prints how many pass now and,
for each problem still found (kind and the start of its detail), the inputs that show it. Inputs that failed in a
built site (the Chromium oracle) are built again into one site and loaded in Chromium (``fuzz.SiteSampler``) with
``--sites``; without it they are listed as not checked. This is a script, not a test: it asserts nothing. Exit
status 1 when anything still fails (or was not checked).
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path
import sys

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "tests" / "browser"))
sys.path.insert(0, str(REPO / "bench"))

from fuzz import Input, SiteSampler
from fuzzkit import check_render, fuzz_reuse
from troubledocs.keywords import KeywordMap
from troubledocs.renderer import Renderer

#: A saved input is a hang only when it takes this long again (CPU seconds, as in bench/fuzz.py).
TIME_LIMIT = 2.0
SITE = "built site"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=[REPO / "bench" / "output" / "fuzz"])
    parser.add_argument("--sites", action="store_true", help="build the built-site failures and load them")
    args = parser.parse_args()
    keywords = KeywordMap.load()
    reuse = fuzz_reuse()
    renderer = Renderer(keywords, reuse=reuse)
    failing: defaultdict[str, list[Path]] = defaultdict(list)
    passing = 0
    sites: list[Path] = []
    for folder in args.folders:
        for saved in sorted(folder.glob("*.md")):
            about = saved.with_suffix(".txt")
            if saved.stem.startswith("slowest") or not about.is_file():
                continue
            made = about.read_text(encoding="utf-8", errors="replace")
            text = saved.read_bytes().decode("utf-8", errors="replace")
            if made.startswith(SITE):
                if args.sites:
                    sites.append(saved)
                else:
                    failing[f"({SITE}, not checked: --sites) {made.splitlines()[-1][:100]}"].append(saved)
                continue
            outcome = check_render(renderer.render, text, keywords, time_limit=TIME_LIMIT, reuse=reuse)
            passing += not outcome.problems
            for problem in outcome.problems:
                failing[f"{problem.kind}: {problem.detail[:100]}"].append(saved)
    if sites:
        passing += _check_sites(sites, failing)
    print(f"saved inputs that pass now: {passing}; problems still found: {len(failing)}")
    for signature, inputs in sorted(failing.items()):
        print(f"\n{signature}")
        for saved in inputs:
            print(f"    {saved}")
    return 1 if failing else 0


def _check_sites(saved: list[Path], failing: defaultdict[str, list[Path]]) -> int:
    """Build ``saved`` into one site, load each page in Chromium; record what ran; the number that pass."""
    texts = [path.read_bytes().decode("utf-8", errors="replace") for path in saved]
    sampler = SiteSampler()
    try:
        outcomes = sampler.check(
            [Input(SITE, text, str(path)) for text, path in zip(texts, saved, strict=True)]
        )
    finally:
        sampler.close()
    passing = 0
    for path, outcome in zip(saved, outcomes, strict=True):
        problems = [] if outcome is None else outcome.problems
        passing += not problems
        for problem in problems:
            failing[f"{SITE}: {problem.kind}: {problem.detail[:100]}"].append(path)
    return passing


if __name__ == "__main__":
    sys.exit(main())
