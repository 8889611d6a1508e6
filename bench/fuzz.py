"""Fuzz the renderer: many small pages a second, whole corrupted corpus pages now and then (issues 6 and 14).

    .venv/bin/python bench/fuzz.py [--minutes 10 | --inputs N] [--seed 1] [--corpus ../shared/corpus]

Every input is one document through every oracle of ``tests/fuzzkit.check_render``: no exception from the renderer
or the troubleshooting extractor, no hang, every source word visible, no dialect syntax shown outside code,
nothing a browser would run, diagnostics inside the file. The inputs:

* generated: a page composed from parts that Hypothesis drew (``fuzzkit.draw_parts``/``compose``: every block
  shape of ``fuzzkit.SHAPES``, hostile ones in a third of the pages, content reuse from ``fuzzkit.CONREF``);
* generated, mutated: the same, corrupted 1 to 3 times (``fuzzkit.mutate``: truncation, line deletion,
  duplication or swap, byte flips decoded with ``errors="replace"``);
* page slice, mutated: 5 to 80 lines of a real corpus page, corrupted 1 to 3 times;
* whole page, mutated: a whole corpus page, corrupted, one in ``--whole-every`` inputs; it must also render within
  10 times its intact render time (floor: ``--slow-floor`` seconds). Render times are CPU seconds of the worker, as
  is the hang limit: on a loaded machine a 20 ms render can wait seconds for a core, and a real hang spins;
* built site: every ``--build-every`` inputs, the next ``--site-pages`` generated pages are written as a
  repository, built by ``troubledocs build`` (MkDocs, Material, the CSP step) and each built page is loaded in
  Chromium without a CSP header: an ``alert()`` that runs, a dialog, or an event handler or ``javascript:`` URL
  left in the DOM is a ``script`` failure (``tests/browser/browser_harness.ScriptWatch``); a build that fails
  is an ``exception``.

Pages are checked in a worker process, a batch at a time; a batch with no answer after ``--kill-after`` seconds
kills the worker, and its inputs are checked again one by one to find the one that hangs. The parts are drawn
again every ``--redraw`` inputs (from the seed and the round), so a long run does not recombine the same pieces.

Prints the inputs and failures by source and by block shape, and the rate; failing inputs are saved under
``bench/output/fuzz/`` (kind, signature, number) with a ``.txt`` that says what failed. This is a script, not a
test: it asserts nothing. Exit status 1 when anything failed.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
import hashlib
import multiprocessing as mp
from multiprocessing.connection import Connection
import os
from pathlib import Path
import random
import signal
import sys
import tempfile
import time

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "tests" / "browser"))

from fuzzkit import Outcome, Parts, Problem, check_render, compose, draw_parts, fuzz_reuse, mutate
from troubledocs.keywords import KeywordMap
from troubledocs.renderer import Renderer

OUTPUT = REPO / "bench" / "output" / "fuzz"
KINDS = ("exception", "hang", "slow", "missing", "leftover", "diagnostic", "script")
SITE = "built site (Chromium)"
SOURCES = ("generated", "generated, mutated", "page slice, mutated", "whole page, mutated", SITE)
#: The "max ratio" column only counts pages whose intact render takes this long (below, it is timer noise).
RATIO_MIN_BASE = 0.02
#: At most this many saved inputs per failure signature.
SAVE_PER_SIGNATURE = 5
#: A small input taking this much CPU time is a hang (the worker's own label; the parent kills after --kill-after).
SMALL_LIMIT = 2.0
#: Parts of each kind Hypothesis draws per round.
PARTS_PER_ROUND = 400


def _worker(connection: Connection) -> None:
    keywords = KeywordMap.load()
    reuse = fuzz_reuse()
    renderer = Renderer(keywords, reuse=reuse)
    while True:
        job = connection.recv()
        if job is None:
            return
        texts, time_limit = job
        connection.send(
            [
                check_render(renderer.render, text, keywords, time_limit=time_limit, reuse=reuse)
                for text in texts
            ]
        )


class Worker:
    """A checking process; replaced when a batch hangs it."""

    def __init__(self, kill_after: float) -> None:
        self.kill_after = kill_after
        self._start()

    def _start(self) -> None:
        self.connection, child = mp.Pipe()
        self.process = mp.Process(target=_worker, args=(child,), daemon=True)
        self.process.start()

    def check(self, texts: list[str], time_limit: float = SMALL_LIMIT) -> list[Outcome]:
        """The outcome of each text (a render longer than ``time_limit`` is a ``hang`` too); a text that hangs the
        worker gets a ``hang`` problem."""
        self.connection.send((texts, time_limit))
        if self.connection.poll(self.kill_after):
            outcomes: list[Outcome] = self.connection.recv()
            return outcomes
        self._restart()
        if len(texts) == 1:
            return [
                Outcome(
                    self.kill_after, [Problem("hang", f"no answer after {self.kill_after:.0f} s (killed)")]
                )
            ]
        return [outcome for text in texts for outcome in self.check([text], time_limit)]

    def _restart(self) -> None:
        self.process.kill()
        self.process.join()
        self._start()

    def close(self) -> None:
        self.connection.send(None)
        self.process.join(5)


@dataclass
class Tally:
    inputs: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    slowest_seconds: float = 0.0
    slowest_ratio: float = 0.0
    bytes: int = 0

    def add(self, size: int, seconds: float, kinds: set[str]) -> None:
        self.inputs += 1
        self.bytes += size
        self.slowest_seconds = max(self.slowest_seconds, seconds)
        self.failures.update(kinds)


@dataclass(frozen=True)
class Input:
    source: str
    text: str
    note: str
    shapes: frozenset[str] = frozenset()
    #: The intact render time of a whole page (the slow oracle), else ``None``.
    base: float | None = None


@dataclass
class Session:
    worker: Worker
    slow_floor: float
    by_source: dict[str, Tally] = field(default_factory=lambda: {source: Tally() for source in SOURCES})
    by_shape: dict[str, Tally] = field(default_factory=dict)
    saved: Counter[str] = field(default_factory=Counter)
    base_failures: list[str] = field(default_factory=list)

    @property
    def inputs(self) -> int:
        return sum(t.inputs for t in self.by_source.values())

    def check(self, inputs: list[Input]) -> None:
        small = [i for i in inputs if i.base is None]
        for item, outcome in zip(small, self.worker.check([i.text for i in small]), strict=True):
            self.record(item, outcome)
        # A whole page may take long (the slow oracle judges it); only the kill makes it a hang.
        for item in (i for i in inputs if i.base is not None):
            self.record(item, self.worker.check([item.text], self.worker.kill_after)[0])

    def record(self, item: Input, outcome: Outcome) -> None:
        problems = list(outcome.problems)
        tally = self.by_source[item.source]
        if item.base is not None and not any(p.kind == "hang" for p in problems):
            ratio = outcome.seconds / max(item.base, 1e-4)
            if item.base >= RATIO_MIN_BASE and ratio > tally.slowest_ratio:
                tally.slowest_ratio = ratio
                about = f"{item.note}\n{outcome.seconds:.3f} s vs {item.base:.3f} s"
                self._keep(OUTPUT / "slowest-ratio", item.text, about)
            if outcome.seconds > max(10 * item.base, self.slow_floor):
                detail = f"{outcome.seconds:.3f} s vs {item.base:.3f} s unmutated ({ratio:.1f}x)"
                problems.append(Problem("slow", detail))
        kinds = {p.kind for p in problems}
        size = len(item.text.encode("utf-8", errors="replace"))
        tally.add(size, outcome.seconds, kinds)
        for shape in item.shapes:
            self.by_shape.setdefault(shape, Tally()).add(size, outcome.seconds, kinds)
        for problem in problems:
            self._save(item, problem)

    @staticmethod
    def _keep(stem: Path, text: str, about: str) -> None:
        OUTPUT.mkdir(parents=True, exist_ok=True)
        stem.with_suffix(".md").write_text(text, encoding="utf-8", errors="surrogateescape")
        stem.with_suffix(".txt").write_text(about + "\n", encoding="utf-8")

    def _save(self, item: Input, problem: Problem) -> None:
        # Group by the exception's last line, or by the first word / marker that went wrong.
        detail = problem.detail.strip()
        first = detail.splitlines()[-1] if problem.kind == "exception" else detail.partition("[")[2][:20]
        signature = hashlib.sha1(f"{item.source}:{problem.kind}:{first}".encode()).hexdigest()[:8]
        self.saved[signature] += 1
        if self.saved[signature] > SAVE_PER_SIGNATURE:
            return
        stem = OUTPUT / f"{problem.kind}-{signature}-{self.saved[signature]}"
        self._keep(stem, item.text, f"{item.source}: {item.note}\n{problem.kind}: {problem.detail}")


class SiteSampler:
    """The full build path, sampled: pages built into a site by ``troubledocs build`` and loaded in Chromium."""

    def __init__(self) -> None:
        from browser_harness import launch
        from playwright.sync_api import sync_playwright

        self.playwright = sync_playwright().start()
        self.browser = launch(self.playwright)

    def check(self, items: list[Input]) -> list[Outcome | None]:
        """The outcome of each page (``None``: the build made no page of it, so Chromium did not check it)."""
        from browser_harness import ScriptWatch, Tab, build_site, serve

        with tempfile.TemporaryDirectory(prefix="fuzz-site-") as folder:
            src, site = Path(folder) / "src", Path(folder) / "site"
            src.mkdir()
            for number, item in enumerate(items):
                (src / f"page-{number}.md").write_text(item.text, encoding="utf-8")
            started = time.perf_counter()
            try:
                build_site(src, site)
            except RuntimeError as error:
                seconds = time.perf_counter() - started
                return [Outcome(seconds, [Problem("exception", str(error)[-3000:])]) for _ in items]
            seconds = (time.perf_counter() - started) / len(items)
            outcomes: list[Outcome | None] = []
            with serve(site) as server:
                tab = Tab(self.browser, server.origin)
                watch = ScriptWatch(tab)
                for number in range(len(items)):
                    page = site / f"page-{number}.html"
                    if not page.is_file():
                        outcomes.append(None)
                        continue
                    ran = watch.load(f"{server.origin}/{page.name}")
                    problems = [Problem("script", f"ran in Chromium: {ran[:5]}")] if ran else []
                    outcomes.append(Outcome(seconds, problems))
                tab.close()
            return outcomes

    def close(self) -> None:
        self.browser.close()
        self.playwright.stop()


def corrupt(text: str, rng: random.Random) -> tuple[str, str]:
    """``text`` corrupted 1 to 3 times, and what was done."""
    notes = []
    for _ in range(rng.choice((1, 1, 2, 3))):
        text, note = mutate(text, rng)
        notes.append(note)
    return text, ", ".join(notes)


class Inputs:
    """The small inputs, endlessly: generated pages (half of them corrupted) and corrupted slices of real pages."""

    def __init__(self, seed: int, pages: list[Path], redraw: int) -> None:
        self.seed, self.pages, self.redraw = seed, pages, redraw
        self.rng = random.Random(seed)
        self.texts: dict[Path, str] = {}
        self.round = 0
        self.parts: Parts | None = None
        self.made = 0

    def _parts(self) -> Parts:
        if self.parts is None or self.made >= (self.round + 1) * self.redraw:
            if self.parts is not None:
                self.round += 1
            self.parts = draw_parts(PARTS_PER_ROUND, self.seed * 1000 + self.round)
        return self.parts

    def text_of(self, page: Path) -> str:
        if page not in self.texts:
            self.texts[page] = page.read_bytes().decode("utf-8", errors="replace")
        return self.texts[page]

    def __iter__(self) -> Iterator[Input]:
        while True:
            parts = self._parts()
            self.made += 1
            if self.pages and self.rng.random() < 0.25:
                page = self.rng.choice(self.pages)
                lines = self.text_of(page).split("\n")
                start = self.rng.randrange(len(lines))
                end = min(len(lines), start + self.rng.randint(5, 80))
                text, note = corrupt("\n".join(lines[start:end]), self.rng)
                yield Input("page slice, mutated", text, f"{page} lines {start + 1}-{end}: {note}")
                continue
            composed = compose(parts, self.rng)
            kind = "hostile" if composed.document.hostile else "well-formed"
            if self.rng.random() < 0.5:
                yield Input("generated", composed.document.text, kind, composed.shapes)
            else:
                text, note = corrupt(composed.document.text, self.rng)
                yield Input("generated, mutated", text, f"{kind}: {note}", composed.shapes)


def build_site_sample(session: Session, sampler: SiteSampler, stream: Iterator[Input], count: int) -> None:
    """The next ``count`` generated pages (mutated or not) built into a site and loaded in Chromium."""
    built = []
    while len(built) < count:
        item = next(stream)
        if item.source.startswith("generated"):
            built.append(item)
    for item, outcome in zip(built, sampler.check(built), strict=True):
        if outcome is not None:
            session.record(Input(SITE, item.text, f"built site: {item.note}", item.shapes), outcome)


def whole_page(session: Session, inputs: Inputs, bases: dict[Path, float]) -> Input:
    """A whole corpus page, corrupted, with its intact render time (best of three) for the slow oracle."""
    page = inputs.rng.choice(inputs.pages)
    original = inputs.text_of(page)
    if page not in bases:
        outcomes = [session.worker.check([original], session.worker.kill_after)[0] for _ in range(3)]
        bases[page] = min(o.seconds for o in outcomes)
        if outcomes[0].problems:
            session.base_failures.append(f"{page}: {'; '.join(p.kind for p in outcomes[0].problems)}")
    text, note = corrupt(original, inputs.rng)
    return Input("whole page, mutated", text, f"{page}: {note}", base=bases[page])


def _row(name: str, tally: Tally, ratio: bool) -> tuple[str, ...]:
    return (
        name,
        str(tally.inputs),
        f"{tally.bytes / 1e6:.1f}",
        *(str(tally.failures[kind]) for kind in KINDS),
        f"{tally.slowest_seconds:.3f}",
        f"{tally.slowest_ratio:.1f}x" if ratio else "-",
    )


def _print_rows(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


def print_tables(session: Session, seconds: float, cpu: float) -> None:
    header = ("source", "inputs", "MB", *KINDS, "slowest s", "max ratio*")
    rows = [
        _row(source, tally, source == "whole page, mutated") for source, tally in session.by_source.items()
    ]
    total = Tally(session.inputs, sum((t.failures for t in session.by_source.values()), Counter()))
    total.bytes = sum(t.bytes for t in session.by_source.values())
    total.slowest_seconds = max(t.slowest_seconds for t in session.by_source.values())
    rows.append(_row("total", total, False))
    print(
        f"fuzzed for {seconds / 60:.1f} min: {session.inputs} inputs, {session.inputs / seconds:.0f} inputs/s"
    )
    print(f"(CPU of both processes: {cpu / 60:.1f} min; load average {os.getloadavg()[0]:.2f})")
    _print_rows(header, rows)
    print(
        f"* mutated / intact render time, over pages whose intact render takes >= {RATIO_MIN_BASE * 1000:.0f} ms"
    )
    print()
    print("generated inputs (mutated or not) by the shapes of their blocks (a page holds several):")
    shape_rows = [_row(shape, tally, False)[:-2] for shape, tally in sorted(session.by_shape.items())]
    _print_rows(("block shape", "inputs", "MB", *KINDS), shape_rows)
    print(f"unmutated pages that already fail a property: {len(session.base_failures)}")
    for line in session.base_failures[:20]:
        print(f"  {line}")
    if session.saved:
        print(f"failing inputs saved under {OUTPUT} ({len(session.saved)} signatures)")


def chromium_present() -> bool:
    from browser_harness import CHROMIUM

    return CHROMIUM.exists()


def _cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def load_pages(corpus: Path) -> list[Path]:
    pages = sorted(p for p in corpus.rglob("*.md") if p.name != "SOURCE.md")
    seed = corpus.parent / "seed"
    return pages + sorted(seed.glob("*.md")) if seed.is_dir() else pages


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--inputs", type=int, default=0, help="stop after this many inputs (0: --minutes)")
    parser.add_argument("--seed", type=int, default=None, help="seed of the whole run (default: random)")
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--batch", type=int, default=100, help="inputs per batch sent to the worker")
    parser.add_argument(
        "--whole-every", type=int, default=500, help="one whole corpus page in this many inputs"
    )
    parser.add_argument(
        "--build-every", type=int, default=50_000, help="build a site every this many inputs (0: never)"
    )
    parser.add_argument("--site-pages", type=int, default=10, help="generated pages per built site")
    parser.add_argument("--redraw", type=int, default=100_000, help="draw new parts after this many inputs")
    parser.add_argument(
        "--kill-after", type=float, default=30.0, help="seconds before a batch counts as hung"
    )
    parser.add_argument("--slow-floor", type=float, default=1.0, help="never call a render under this slow")
    args = parser.parse_args()

    # Stop cleanly (and print the tables) on SIGTERM too: a run started in the background ignores Ctrl-C.
    signal.signal(signal.SIGTERM, _interrupt)
    seed = args.seed if args.seed is not None else random.randrange(2**31)
    pages = load_pages(args.corpus) if args.corpus.is_dir() else []
    print(
        f"seed {seed}; {len(pages)} corpus pages"
        + ("" if pages else f" ({args.corpus} absent: generated only)")
    )
    started, cpu_started = time.monotonic(), _cpu_seconds()
    deadline = started + args.minutes * 60
    session = Session(Worker(args.kill_after), args.slow_floor)
    inputs = Inputs(seed, pages, args.redraw)
    bases: dict[Path, float] = {}
    stream = iter(inputs)
    sampler = SiteSampler() if args.build_every and chromium_present() else None
    if args.build_every and sampler is None:
        print("no Chromium: no site is built")
    try:
        while (session.inputs < args.inputs) if args.inputs else (time.monotonic() < deadline):
            batch = [next(stream) for _ in range(args.batch)]
            before, after = session.inputs, session.inputs + len(batch)
            if pages and before // args.whole_every != after // args.whole_every:
                batch[-1] = whole_page(session, inputs, bases)
            session.check(batch)
            if sampler is not None and (
                not before or before // args.build_every != after // args.build_every
            ):
                build_site_sample(session, sampler, stream, args.site_pages)
    except KeyboardInterrupt:
        print("interrupted")
    finally:
        session.worker.close()
        if sampler is not None:
            sampler.close()
    print_tables(session, time.monotonic() - started, _cpu_seconds() - cpu_started)
    return 1 if any(t.failures for t in session.by_source.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
