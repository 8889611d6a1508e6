"""Render every page of a build up front, on all cores, before the site generator asks for them one by one.

MkDocs builds pages one after the other in one process; rendering is most of the work and pages do not depend on
each other (the topic map and TOC are read before), so worker processes render them in parallel. Each page is
parsed once. What crosses back to the main process is kept small: HTML, title, TOC, anchors, diagnostics, the
link resolver's findings, whatever the caller's ``finish`` step computes from the page in the worker, and the
token stream only when ``finish`` keeps it (troubleshooting pages, for the index); pickling every token stream
would cost more than it saves.

Worker processes are forked, so they start with the build's renderer and site context as they are; where fork is
not available (or for a handful of pages) nothing is rendered up front and pages render on demand as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
import multiprocessing
import os

from troubledocs.page import RenderedPage
from troubledocs.renderer import Renderer
from troubledocs.site.links import LinkResolver, LinkStats, LinkWork

#: Below this many pages, starting workers costs more than it saves.
MIN_PAGES = 40
#: Runs in the worker after rendering: may drop ``page.tokens``; its result travels back as ``Prerendered.extra``.
Finish = Callable[[RenderedPage], object]


@dataclass
class Prerendered:
    page: RenderedPage
    links: LinkWork
    extra: object = None


# Set in the main process right before the fork; the workers read their inherited copy.
_JOB: tuple[Renderer, LinkResolver | None, Finish] | None = None


def _render(item: tuple[str, str]) -> tuple[str, Prerendered | None]:
    assert _JOB is not None
    renderer, links, finish = _JOB
    path, text = item
    try:
        page = renderer.render(text, path)
        extra = finish(page)
    except Exception:  # noqa: BLE001 -- rendered again on demand, where the failure becomes the page's error page
        return path, None
    work = links.take_work() if links is not None else LinkWork([], [], LinkStats())
    return path, Prerendered(page, work, extra)


def workers() -> int:
    """How many processes to render with (the CPUs this process may use)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def prerender(
    renderer: Renderer,
    links: LinkResolver | None,
    pages: Iterable[tuple[str, str]],
    finish: Finish,
) -> dict[str, Prerendered]:
    """Render ``pages`` (path, source text) in parallel; ``{}`` when it is not worth it or not possible."""
    global _JOB
    jobs = list(pages)
    processes = min(workers(), len(jobs))
    if len(jobs) < MIN_PAGES or processes < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return {}
    # Big pages first, so that no worker is left with one at the end.
    jobs.sort(key=lambda job: -len(job[1]))
    _JOB = (renderer, links, finish)
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            done = pool.imap_unordered(_render, jobs, chunksize=2)
            return {path: page for path, page in done if page is not None}
    finally:
        _JOB = None
