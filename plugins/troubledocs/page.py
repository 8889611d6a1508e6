"""What rendering one page produces: HTML plus the facts the site needs about it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from troubledocs.diagnostics import Diagnostic, LineMap


@dataclass
class TocEntry:
    """A heading of the page, nested under the heading it belongs to."""

    level: int
    id: str
    title: str
    children: list[TocEntry] = field(default_factory=list)


@dataclass
class RenderedPage:
    """The result of :func:`troubledocs.render_page`.

    ``tokens`` is the final markdown-it token stream (after every dialect rule),
    kept so that the troubleshooting extractor reads the same parse that rendered
    the page. ``anchors`` holds every id present in ``html``. ``lines`` tells where each line of the text that
    was parsed comes from when reused text was substituted in it (token maps and link diagnostics count those
    lines; :meth:`~troubledocs.diagnostics.LineMap.locate` points them at their file).
    """

    path: str
    html: str
    title: str
    toc: list[TocEntry]
    anchors: set[str]
    meta: dict[str, Any]
    description: str
    diagnostics: list[Diagnostic]
    tokens: list[Any] = field(default_factory=list, repr=False)
    lines: LineMap | None = None
