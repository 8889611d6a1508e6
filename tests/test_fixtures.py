"""Dialect fixtures: every ``tests/fixtures/*.md`` case rendered by the real renderer.

File format: markdown-it-py's fixture format (``title`` / ``.`` / input / ``.`` / expected HTML / ``.``), read with
``markdown_it.utils.read_fixture_file``. Each case renders its input with ``Renderer(KeywordMap.load())`` as page
``fixture.md`` and compares ``page.html`` with the expected HTML after :func:`normalise_html` (whitespace between
tags and around lines is not significant; whitespace inside text is).

Flags in a title (anywhere in it):

* ``[warn: TD201]`` or ``[warn: TD201, TD203]`` — the page's diagnostics have exactly these codes (as a set);
* ``[nowarn]`` — the page has no diagnostics;
* no flag — diagnostics are not checked.
* ``[line: 3]`` — combined with one ``[warn: …]`` code: that diagnostic is reported at line 3 of the input.
"""

from __future__ import annotations

from pathlib import Path
import re

from markdown_it.utils import read_fixture_file
import pytest
from troubledocs.keywords import KeywordMap
from troubledocs.renderer import Renderer

FIXTURES = Path(__file__).parent / "fixtures"
_BETWEEN_TAGS = re.compile(r">\s+<")
_WARN = re.compile(r"\[warn:\s*([^\]]*)\]")
_LINE = re.compile(r"\[line:\s*(\d+)\]")


def normalise_html(html: str) -> str:
    """Strip each line, drop blank lines, join, and remove whitespace between tags."""
    lines = [line.strip() for line in html.strip().splitlines()]
    return _BETWEEN_TAGS.sub("><", "\n".join(line for line in lines if line))


def _cases() -> list[object]:
    cases: list[object] = []
    for file in sorted(FIXTURES.glob("*.md")):
        for line, title, text, expected in read_fixture_file(file):
            cases.append(pytest.param(title, text, expected, id=f"{file.stem}:{line}: {title}"))
    return cases


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(KeywordMap.load())


@pytest.mark.parametrize(("title", "text", "expected"), _cases())
def test_fixture(renderer: Renderer, title: str, text: str, expected: str) -> None:
    page = renderer.render(text, "fixture.md")
    assert normalise_html(page.html) == normalise_html(expected)
    codes = {d.code for d in page.diagnostics}
    warn = _WARN.search(title)
    if warn:
        assert codes == {c.strip() for c in warn.group(1).split(",") if c.strip()}, page.diagnostics
    if "[nowarn]" in title:
        assert not page.diagnostics, page.diagnostics
    line = _LINE.search(title)
    if line and warn:
        assert [d.line for d in page.diagnostics] == [int(line.group(1))], page.diagnostics
