"""Mutation run over real pages (issue 6): corrupted copies of corpus pages render soundly.

A deterministic sample of ``../shared/corpus`` pages (the seed, the 600 KB sitemap, pages of each repository) is
corrupted a dozen times each (``fuzzkit.mutate``: truncation, line deletion / duplication / swap, byte flips
decoded with ``errors="replace"`` as the build reads files). Each mutated page must render with no exception,
every source word visible, no dialect syntax leaked, diagnostics inside the file, and no slower than ten times
its unmutated render (floor one second: this detects a hang or a blow-up, it is not a benchmark). The long run
is ``bench/fuzz.py``.
"""

from __future__ import annotations

from pathlib import Path
import random
import time

from fuzzkit import check_render, mutate
import pytest
from troubledocs.keywords import KeywordMap
from troubledocs.renderer import Renderer

from tests.conftest import shared_path

MUTATIONS_PER_PAGE = 12
#: Pages every run uses (relative to ../shared/corpus), then every STRIDE-th page of the rest.
NAMED_PAGES = ("openshift/sitemap.md", "containers-2018/cs_troubleshoot.md", "containers/ts-app-pod-fail.md")
STRIDE = 97
SLOW_FACTOR = 10
SLOW_FLOOR_SECONDS = 1.0

KEYWORDS = KeywordMap.load()
RENDERER = Renderer(KEYWORDS)


def _sample() -> list[str]:
    corpus = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
    rest = sorted(
        p.relative_to(corpus).as_posix()
        for p in corpus.rglob("*.md")
        if p.name != "SOURCE.md" and p.relative_to(corpus).as_posix() not in NAMED_PAGES
    )
    return ["../seed/cs_troubleshoot_clusters.md", *NAMED_PAGES, *rest[::STRIDE]]


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


@pytest.mark.parametrize("page", _sample())
def test_mutated_page_renders_soundly(page: str) -> None:
    text = _read(shared_path("corpus", page))
    base = check_render(RENDERER.render, text, KEYWORDS, time_limit=60)
    if base.problems:
        pytest.skip(f"the unmutated page already fails (tests/test_corpus.py reports it): {base.problems[0]}")
    started = time.process_time()  # the clock of check_render
    RENDERER.render(text, "x.md")
    base_seconds = min(base.seconds, time.process_time() - started)
    limit = max(SLOW_FACTOR * base_seconds, SLOW_FLOOR_SECONDS)
    rng = random.Random(page)
    failures: list[str] = []
    for _ in range(MUTATIONS_PER_PAGE):
        mutated, what = mutate(text, rng)
        outcome = check_render(RENDERER.render, mutated, KEYWORDS, time_limit=limit)
        failures += [f"{what}: {p.kind}: {p.detail}" for p in outcome.problems]
    assert not failures, "\n".join(failures)
