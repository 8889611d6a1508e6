"""Render every page of a build on all cores, ahead of the site generator, which takes them one by one.

MkDocs builds pages one after the other in one process; rendering is most of the work and pages do not depend on
each other (the topic map and TOC are read before), so worker processes render them in parallel. Each page is
parsed once. The workers start when the navigation is known and render the pages in the order MkDocs asks for
them; MkDocs's own per-page work (link rewriting, table of contents) in the main process goes on meanwhile, each
page waiting only for its own rendering. What crosses back to the main process is kept small: HTML, title, TOC,
anchors, diagnostics, the link resolver's findings, and whatever the caller's ``finish`` step computes from the
page in the worker; the token stream only if ``finish`` keeps it (the plugin extracts what it needs from the tokens
in the worker instead: pickling token streams costs more than it saves).

Worker processes are forked, so they start with the build's renderer and site context as they are; where fork is
not available (or for a handful of pages) nothing is rendered ahead and pages render on demand as before; so do
the pages of a worker that failed. :func:`run_ahead` is the same machinery for any job over keyed items (the
theme's page templates use it too, :mod:`troubledocs.material.theme_pages`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
import gc
import multiprocessing
from multiprocessing.pool import IMapIterator, Pool
import os
import signal
from types import TracebackType
from typing import Generic, Self, TypeVar, cast

from troubledocs.page import RenderedPage
from troubledocs.renderer import Renderer
from troubledocs.repository.links import LinkResolver, LinkStats, LinkWork

_In = TypeVar("_In")
_Out = TypeVar("_Out")
_T = TypeVar("_T")
_R = TypeVar("_R")

#: Below this many pages, starting workers costs more than it saves.
MIN_PAGES = 40
#: Seconds without any result after which the workers are given up (the pages not in yet render in the main
#: process): far beyond any page's rendering time.
STALL_SECONDS = 120.0
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
    #: Paths the page's links looked up and did not find (noted only where the caller asks for them).
    misses: frozenset[str] = frozenset()


#: One page rendered in a worker: (source text, path) → the result.
PageJob = Callable[[tuple[str, str]], Prerendered]
#: A step around :data:`PageJob` in the worker (given the job and its argument).
Around = Callable[[PageJob, tuple[str, str]], Prerendered]


#: The job of this worker process (set by the pool's initializer: forked workers inherit it, nothing is pickled).
_JOB: Callable[[object], object] | None = None


def _start_worker(job: Callable[[object], object]) -> None:
    global _JOB
    _JOB = job
    # Ctrl-C reaches every process of the terminal: the build stops the workers, they print no traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.set_threshold(*GC_THRESHOLD)
    # A forked worker inherits the caller's handlers (``troubledocs serve`` turns SIGTERM into KeyboardInterrupt):
    # the pool stops its workers with SIGTERM, and Ctrl-C reaches the whole process group, where the main process
    # alone decides. Either would print a traceback per worker.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run(items: Sequence[tuple[str, object]]) -> list[tuple[str, object]]:
    """The job on a few items (a task of the pool: fewer, larger messages than one item each)."""
    assert _JOB is not None
    done: list[tuple[str, object]] = []
    for key, argument in items:
        try:
            done.append((key, _JOB(argument)))
        except Exception:  # noqa: BLE001 -- the caller does the work itself, where a failure is reported properly
            done.append((key, None))
    return done


def _render_page(
    renderer: Renderer, links: LinkResolver | None, finish: Finish, text_and_path: tuple[str, str]
) -> Prerendered:
    text, path = text_and_path
    page = renderer.render(text, path)
    extra = finish(page)
    work = links.take_work() if links is not None else LinkWork([], [], LinkStats())
    return Prerendered(page, work, extra)


class _Pool(Pool):
    """multiprocessing's pool, minus a busy loop: its worker handler (the thread that replaces exited workers)
    also waits on the results pipe, so while a result waits there to be read it wakes over and over, a core's
    worth of CPU and of the main process's GIL while results stream in (a tenth of the build's CPU). It wakes for
    what it acts on: a worker's exit and the pool's own notices."""

    def _get_sentinels(self) -> list[object]:
        notifier = getattr(self, "_change_notifier", None)
        reader = getattr(notifier, "_reader", None)
        if reader is None:  # a Python whose pool is built otherwise: keep its own behaviour
            return cast(list[object], super()._get_sentinels())  # type: ignore[misc]
        return [reader]


def workers() -> int:
    """How many processes to render with (the CPUs this process may use)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class Ahead(Generic[_Out]):
    """The results of a job run over keyed items by worker processes, handed out with :meth:`take` as they are
    done."""

    def __init__(
        self,
        pool: Pool | None = None,
        results: IMapIterator[list[tuple[str, object]]] | None = None,
        stall: float = STALL_SECONDS,
        keys: frozenset[str] = frozenset(),
    ) -> None:
        self._pool = pool
        self._results = results
        self._stall = stall
        #: The keys worked on (any other is answered ``None`` at once).
        self._keys = keys
        self._arrived: dict[str, _Out | None] = {}

    @property
    def running(self) -> bool:
        """Whether worker processes work on the items (else :meth:`take` answers ``None`` to every key)."""
        return self._pool is not None

    def take(self, key: str) -> _Out | None:
        """The result for ``key``, once a worker has it; ``None`` when it is not worked on ahead (or the job failed
        there: the caller does the work itself)."""
        while key not in self._arrived and key in self._keys and self._results is not None:
            try:
                results = self._results.next(timeout=self._stall)
            # All results in (StopIteration), a broken pool, or nothing for ``stall`` seconds (a worker killed
            # from outside, by the out-of-memory killer say, loses its task for good): the caller does any work
            # not in yet itself.
            except Exception:  # noqa: BLE001
                self.close()
            else:
                self._arrived.update((done, cast(_Out | None, result)) for done, result in results)
        return self._arrived.pop(key, None)

    def submit(self, work: Callable[[_T], _R], argument: _T) -> Callable[[], _R]:
        """Run ``work(argument)`` in an idle worker; the returned function waits for the result (or, when the
        pool is gone, the job fails there or no answer comes within the stall time, computes it here)."""
        if self._pool is None:
            return lambda: work(argument)
        pending = self._pool.apply_async(work, (argument,))

        def result() -> _R:
            try:
                return pending.get(timeout=self._stall)
            except Exception:  # noqa: BLE001 -- a closed, broken or stalled pool: do the work here instead
                return work(argument)

        return result

    def close(self) -> None:
        """Stop the workers (results not yet taken stay available)."""
        self._results = None
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


#: Pages rendered ahead (see :func:`prerender`).
Prerendering = Ahead[Prerendered]


def run_ahead(
    job: Callable[[_In], _Out], items: Iterable[tuple[str, _In]], *, stall: float = STALL_SECONDS
) -> Ahead[_Out]:
    """Start ``job`` on every ``(key, argument)`` of ``items`` in forked worker processes, in the items' order;
    nothing runs ahead when it is not worth it or not possible. Close the result when done with it.

    The workers start with the process as it is (``job`` and all it refers to are inherited, not pickled); only
    the arguments and results cross between processes."""
    jobs = list(items)
    processes = min(workers(), len(jobs))
    if len(jobs) < MIN_PAGES or processes < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return Ahead()
    # What the workers inherit (the whole build's state) lives as long as they do: frozen, their collections
    # never walk it. The main process unfreezes at once.
    gc.freeze()
    try:
        pool = _Pool(processes, _start_worker, (job,), context=multiprocessing.get_context("fork"))
    finally:
        gc.unfreeze()
    # Two items a task; the pool's own chunking would hide the iterator that can wait with a timeout.
    tasks = [jobs[at : at + 2] for at in range(0, len(jobs), 2)]
    return Ahead(pool, pool.imap_unordered(_run, tasks), stall, frozenset(key for key, _ in jobs))


def prerender(
    renderer: Renderer,
    links: LinkResolver | None,
    pages: Iterable[tuple[str, str]],
    finish: Finish,
    *,
    around: Around | None = None,
) -> Prerendering:
    """Start rendering ``pages`` (path, source text) in parallel, in their order (``around``: a step around each
    page's job). Close the result when done with it."""
    job: PageJob = partial(_render_page, renderer, links, finish)
    if around is not None:
        job = partial(around, job)
    return run_ahead(job, ((path, (text, path)) for path, text in _big_pages_first(list(pages))))


def _big_pages_first(pages: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``pages`` with the few much larger than the rest (changelogs, site maps: a tenth of a second each) moved
    to the front, largest first: left in their place near the end of the queue, one worker renders them while the
    others have nothing left to do. The main process waits a little longer for the first page, but it has less
    work than the workers and catches up."""
    if not pages:
        return pages
    big = 8 * sum(len(text) for _, text in pages) / len(pages)
    first = sorted((page for page in pages if len(page[1]) > big), key=lambda page: -len(page[1]))
    return first + [page for page in pages if len(page[1]) <= big]
