"""Rendering pages up front in worker processes gives the same pages and link findings as rendering in turn."""

from __future__ import annotations

import os
from pathlib import Path
import subprocess
import sys
import time

import pytest
from troubledocs.page import RenderedPage
from troubledocs.renderer import Renderer
from troubledocs.repository.model import Repository
from troubledocs.repository.prerender import MIN_PAGES, prerender, run_ahead, workers


def make_repository(root: Path, count: int) -> list[tuple[str, str]]:
    pages = []
    for number in range(count):
        text = (
            f"# Page {number}\n{{: #topic-{number}}}\n\nSee [next](/docs/demo?topic=demo-topic-{number + 1}#top) "
            f"and [gone](/docs/demo?topic=demo-gone-{number}).\n\n```sh\nrun {number}\n```\n{{: pre}}\n"
        )
        (root / f"p{number}.md").write_text(text)
        pages.append((f"p{number}.md", text))
    (root / "toc.yaml").write_text("toc:\n  properties:\n    subcollection: demo\n  entries: []\n")
    return pages


@pytest.mark.skipif(workers() < 2, reason="needs two CPUs")
def test_prerendered_pages_match_pages_rendered_in_turn(tmp_path: Path) -> None:
    pages = make_repository(tmp_path, MIN_PAGES)
    site = Repository.open(tmp_path).context()
    renderer = Renderer()
    site.attach(renderer)

    def finish(page: RenderedPage) -> object:
        if page.path != "p1.md":
            page.tokens = []
        return len(page.html)

    with prerender(renderer, site.links, pages, finish) as stream:
        # Taken in another order than rendered: each page waits for its own worker.
        done = {path: stream.take(path) for path, _ in reversed(pages)}
    assert all(done.values())
    assert done["p1.md"].page.tokens and not done["p2.md"].page.tokens
    assert done["p2.md"].extra == len(done["p2.md"].page.html)
    # The main process's resolver saw nothing yet; the workers' findings come back with each page.
    assert site.links.stats.topic_resolved == 0
    for path, prerendered in done.items():
        assert prerendered is not None
        assert prerendered.page.html == renderer.render(dict(pages)[path], path).html
        site.links.add_work(prerendered.links)
    codes = [d.code for d in site.links.take_diagnostics()]
    assert codes.count("TD602") == MIN_PAGES + 1  # each gone-N and topic-40, once: repeats are reported once
    missing = site.links.check_anchors({f"p{n}.md": {f"topic-{n}"} for n in range(MIN_PAGES)})
    assert [d.code for d in missing] == ["TD604"] * (2 * (MIN_PAGES - 1))


def test_few_pages_render_on_demand(tmp_path: Path) -> None:
    pages = make_repository(tmp_path, 3)
    site = Repository.open(tmp_path).context()
    with prerender(Renderer(), site.links, pages, lambda page: None) as stream:
        assert stream.take("p0.md") is None


def _die_on_seven(number: int) -> int:
    if number == 7:
        os._exit(1)  # as if the out-of-memory killer took the worker: its task is lost
    return number * 2


@pytest.mark.skipif(workers() < 2, reason="needs two CPUs")
def test_a_killed_worker_does_not_hang_the_build() -> None:
    """The results that stop coming are given up after the stall time: the caller does that work itself."""
    items = [(str(number), number) for number in range(MIN_PAGES)]
    with run_ahead(_die_on_seven, items, stall=2.0) as ahead:
        started = time.monotonic()
        results = {key: ahead.take(key) for key, _ in items}
    assert time.monotonic() - started < 60
    assert results["7"] is None
    # Those in before the stall are kept; the rest are the caller's to compute.
    assert all(value in (None, int(key) * 2) for key, value in results.items())
    assert results["0"] == 0


def _large_result(number: int) -> str:
    return str(number) * 200_000


@pytest.mark.skipif(workers() < 2, reason="needs two CPUs")
def test_the_pool_does_not_wake_for_every_result(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pool's worker handler wakes for a worker's exit or the pool's notices, not while results wait to be read
    (multiprocessing's own pool spins then: a core's worth of CPU while results stream in)."""
    from multiprocessing.pool import Pool

    wakes: list[int] = []
    wait = Pool._wait_for_updates  # type: ignore[attr-defined]  # the handler's wait (``Pool._handle_workers``)

    def counted(*args: object, **kwargs: object) -> None:
        wakes.append(1)
        wait(*args, **kwargs)

    monkeypatch.setattr(Pool, "_wait_for_updates", staticmethod(counted))
    items = [(str(number), number) for number in range(MIN_PAGES)]
    results = {}
    with run_ahead(_large_result, items) as ahead:
        for key, _ in items:
            results[key] = ahead.take(key)
            busy = time.thread_time() + 0.02
            while time.thread_time() < busy:  # the main process's own work on each result, holding the GIL
                pass
    assert results["3"] == "3" * 200_000
    assert len(wakes) <= 4


_INTERRUPTED_BUILD = """
import signal, sys, time
from troubledocs.repository.prerender import MIN_PAGES, run_ahead

def interrupt(signum, frame):
    raise KeyboardInterrupt

def slow(number):
    time.sleep(0.2)
    return number

# What `troubledocs serve` does: Ctrl-C and SIGTERM stop the server.
signal.signal(signal.SIGTERM, interrupt)
with run_ahead(slow, [(str(n), n) for n in range(MIN_PAGES)]) as ahead:
    assert ahead.running
    ahead.take("0")
# Closed while the workers are busy: the pool terminates them with SIGTERM.
print("closed")
"""


@pytest.mark.skipif(workers() < 2, reason="needs two CPUs")
def test_workers_stop_quietly_under_the_callers_signal_handler(tmp_path: Path) -> None:
    """Workers do not inherit the handler the serve command installs (a traceback per worker on every build)."""
    done = subprocess.run(
        [sys.executable, "-c", _INTERRUPTED_BUILD], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "closed\n"
    assert "Traceback" not in done.stderr and "KeyboardInterrupt" not in done.stderr, done.stderr
