"""Renderer throughput on the shared corpora: plain markdown-it (the floor) against the full dialect renderer.

Usage: python bench/render.py [CORPUS ...]   (default: openshift, containers, containers-2018 under ../shared/corpus)
Prints one row per corpus: pages, MB, seconds for plain CommonMark and for troubledocs, and the ratio. Both run in
the same process one after the other, so the ratio stays meaningful on a busy machine.
"""

from __future__ import annotations

from pathlib import Path
import sys
import time

from markdown_it import MarkdownIt
from troubledocs.keywords import KeywordMap
from troubledocs.renderer import Renderer

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def pages(root: Path) -> list[tuple[str, str]]:
    return [
        (str(p.relative_to(root)), p.read_text(encoding="utf-8"))
        for p in sorted(root.rglob("*.md"))
        if "nl" not in p.relative_to(root).parts
    ]


def timed(render: object, texts: list[tuple[str, str]]) -> float:
    start = time.perf_counter()
    for path, text in texts:
        render(text, path)  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> int:
    names = sys.argv[1:] or ["openshift", "containers", "containers-2018"]
    plain = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    print(f"{'corpus':<18}{'pages':>7}{'MB':>7}{'plain s':>9}{'troubledocs s':>15}{'ratio':>7}{'ms/page':>9}")
    for name in names:
        root = SHARED / name
        if not root.is_dir():
            print(f"{name:<18} absent ({root})")
            continue
        texts = pages(root)
        renderer = Renderer(KeywordMap.for_source(root))
        size = sum(len(t.encode()) for _, t in texts) / 1e6
        base = timed(lambda text, _path: plain.render(text), texts)
        ours = timed(renderer.render, texts)
        print(
            f"{name:<18}{len(texts):>7}{size:>7.1f}{base:>9.2f}{ours:>15.2f}{ours / base:>7.2f}"
            f"{1000 * ours / len(texts):>9.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
