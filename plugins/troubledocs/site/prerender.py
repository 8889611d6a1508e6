"""Render every page of a build on all cores, ahead of the site generator, which takes them one by one.

MkDocs builds pages one after the other in one process; rendering is most of the work and pages do not depend on
each other (the topic map and TOC are read before), so worker processes render them in parallel. Each page is
parsed once. The workers start when the navigation is known and render the pages in the order MkDocs asks for
them; MkDocs's own per-page work (link rewriting, table of contents) in the main process goes on meanwhile, each
page waiting only for its own rendering. What crosses back to the main process is kept small: HTML, title, TOC,
anchors, diagnostics, the link resolver's findings, whatever the caller's ``finish`` step computes from the page
in the worker, and the token stream only when ``finish`` keeps it (troubleshooting pages, for the index);
pickling every token stream would cost more than it saves.

Worker processes are forked, so they start with the build's renderer and site context as they are; where fork is
not available (or for a handful of pages) nothing is rendered ahead and pages render on demand as before; so do
the pages of a worker that failed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
import gc
import multiprocessing
from multiprocessing.pool import Pool
import os
from types import TracebackType
from typing import Self, TypeVar

from troubledocs.page import RenderedPage
from troubledocs.renderer import Renderer
from troubledocs.site.links import LinkResolver, LinkStats, LinkWork

_In = TypeVar("_In")
_Out = TypeVar("_Out")

#: Below this many pages, starting workers costs more than it saves.
MIN_PAGES = 40
#: Collection thresholds for building: parsing and the theme's templates make many short-lived objects (tokens,
#: template contexts), and collecting every 700 allocations, Python's default, costs a tenth of the time.
GC_THRESHOLD = (10_000, 50, 100)
#: Runs in the worker after rendering: may drop ``page.tokens``; its result travels back as ``Prerendered.extra``.
Finish = Callable[[RenderedPage], object]


@dataclass
class Prerendered:
    page: RenderedPage
    links: LinkWork
    extra: object = None


# Set in the main process right before the fork, for as long as the pool lives (a worker that dies is replaced
# by a new fork); the workers read their inherited copy.
_JOB: tuple[Renderer, LinkResolver | None, Finish] | None = None


def _start_worker() -> None:
    gc.set_threshold(*GC_THRESHOLD)


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


class Prerendering:
    """Pages being rendered by worker processes, handed out with :meth:`take` as they are done."""

    def __init__(
        self, pool: Pool | None = None, results: Iterator[tuple[str, Prerendered | None]] | None = None
    ) -> None:
        self._pool = pool
        self._results = results
        self._arrived: dict[str, Prerendered | None] = {}

    def take(self, path: str) -> Prerendered | None:
        """The page at ``path``, once a worker has rendered it; ``None`` when it is not rendered ahead (or its
        worker failed: the caller renders it itself)."""
        while path not in self._arrived and self._results is not None:
            try:
                done, page = next(self._results)
            # All pages in (StopIteration), or a broken pool: any page not in yet renders on demand.
            except Exception:  # noqa: BLE001
                self.close()
            else:
                self._arrived[done] = page
        return self._arrived.pop(path, None)

    def submit(self, work: Callable[[_In], _Out], argument: _In) -> Callable[[], _Out]:
        """Run ``work(argument)`` in an idle worker; the returned function waits for the result (or, when the
        pool is gone or the job fails there, computes it here)."""
        if self._pool is None:
            return lambda: work(argument)
        pending = self._pool.apply_async(work, (argument,))

        def result() -> _Out:
            try:
                return pending.get()
            except Exception:  # noqa: BLE001 -- a closed or broken pool: do the work here instead
                return work(argument)

        return result

    def close(self) -> None:
        """Stop the workers (rendered pages not yet taken stay available)."""
        global _JOB
        self._results = None
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
            _JOB = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def prerender(
    renderer: Renderer,
    links: LinkResolver | None,
    pages: Iterable[tuple[str, str]],
    finish: Finish,
) -> Prerendering:
    """Start rendering ``pages`` (path, source text) in parallel, in their order; nothing is rendered ahead when
    it is not worth it or not possible. Close the result when done with it."""
    global _JOB
    jobs = list(pages)
    processes = min(workers(), len(jobs))
    if len(jobs) < MIN_PAGES or processes < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return Prerendering()
    _JOB = (renderer, links, finish)
    # What the workers inherit (the whole build's state) lives as long as they do: frozen, their collections
    # never walk it. The main process unfreezes at once.
    gc.freeze()
    try:
        pool = multiprocessing.get_context("fork").Pool(processes, initializer=_start_worker)
    finally:
        gc.unfreeze()
    return Prerendering(pool, pool.imap_unordered(_render, jobs, chunksize=2))
