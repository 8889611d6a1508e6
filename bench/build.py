"""Build one documentation repository three ways and compare them: troubledocs, plain MkDocs + Material, marked-it.

    .venv/bin/python bench/build.py [SRC] [--runs 3] [--baseline DIR]
    .venv/bin/python bench/build.py --family [REPO…] [--runs 3]    # several repositories (default: the six shared)
    .venv/bin/python bench/build.py --incremental [SRC] [--runs 5]  # a saved page: time until the server has it

* troubledocs: ``troubledocs build SRC -o OUT`` (the site, with navigation, search, troubleshooter);
* MkDocs: plain ``mkdocs build`` with Material and ``plugins: [search]`` on the same files (leaves the dialect raw);
* with ``--baseline DIR``: also ``troubledocs build`` from the source tree ``DIR`` (say ``git archive main`` unpacked),
  interleaved with the others, to compare a change with what it changes in the same run;
* marked-it: IBM's ``marked-it-core`` from npm through ``bench/marked_it_driver.js`` (bare HTML fragments, no site),
  installed once into ``~/.cache/troubledocs/bench``; skipped when Node or npm is missing.

``--family``: troubledocs builds the repositories into one site, cold (no shard cached) and with every shard
cached (the link step alone); MkDocs builds the same files as one docs folder (a folder per repository).
``--incremental``: ``troubledocs serve`` and ``mkdocs serve`` on a copy of SRC; a page is saved and the time until
the server sends the new page is measured (what the browser's reload waits for). The page is one the served site
lists at its own name (``a/b.md`` at ``a/b.html``), so never the TOC's landing page; a server that exits or does
not answer in time stops the bench with the reason and the end of its log (exit 1).

Runs are interleaved (tool A, B, C, then again) so that machine noise spreads evenly. Prints the median wall time,
pages per second, peak memory (of the whole process tree: the sum of the resident memory of the process and its
children, sampled every 20 ms; and the largest single process, from ``wait4``) and output size (distinct files:
hard links count once), with ratios to MkDocs. This is a script, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
import json
import os
from pathlib import Path
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

from troubledocs.keywords import ALD_KEYWORD, KeywordMap
from troubledocs.material.instant_nav import PAGES
import yaml

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SRC = REPO.parent / "shared" / "corpus" / "openshift"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "troubledocs" / "bench"
#: marked-it-core requires highlight.js but declares it only as a development dependency (its CLI provides it).
MARKED_IT = ("marked-it-core@2.4.2", "highlight.js@11.1.0")


@dataclass
class Run:
    wall: float
    #: User + system CPU seconds of the process tree: less disturbed than wall time by other load on the machine.
    cpu: float
    #: Largest resident memory of one process of the tree.
    peak_mib: float
    output_bytes: int
    returncode: int
    #: Largest sum of the resident memory of the process tree at one time.
    tree_mib: float = 0.0


PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants now (Linux ``/proc``)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, grew = {root}, True
    while grew:
        found = {pid for pid, parent in parents.items() if parent in tree} - tree
        grew = bool(found)
        tree |= found
    total = 0
    for pid in tree:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
        except (OSError, IndexError, ValueError):
            continue
    return total


class TreeMemory:
    """The peak of :func:`tree_rss` while a process runs, sampled in a thread."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._done.wait(0.02):
            self.peak = max(self.peak, tree_rss(self.pid))

    def stop(self) -> float:
        """Stop sampling; the peak in MiB."""
        self._done.set()
        self._thread.join()
        return self.peak / 2**20


def output_bytes(out: Path) -> int:
    """Bytes of the distinct files under ``out`` (a hard-linked file counts once)."""
    seen: dict[tuple[int, int], int] = {}
    for path in out.rglob("*"):
        if path.is_file():
            stat = path.stat()
            seen[(stat.st_dev, stat.st_ino)] = stat.st_size
    return sum(seen.values())


@dataclass
class Tool:
    name: str
    command: Callable[[Path], list[str]]
    env: dict[str, str] = field(default_factory=dict)
    runs: list[Run] = field(default_factory=list)
    note: str = ""
    #: Run before each measurement (not timed).
    prepare: Callable[[], None] = lambda: None


def measure(command: list[str], out: Path, env: dict[str, str], log: Path) -> Run:
    """Run ``command`` once; wall time, peak RSS of it and its children, bytes written under ``out``."""
    if out.exists():
        shutil.rmtree(out)
    started = time.perf_counter()
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env={**os.environ, **env})
        memory = TreeMemory(process.pid)
        _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    tree = memory.stop()
    process.returncode = os.waitstatus_to_exitcode(status)
    size = output_bytes(out) if out.exists() else 0
    # Linux reports ru_maxrss in KiB.
    cpu = usage.ru_utime + usage.ru_stime
    return Run(wall, cpu, usage.ru_maxrss / 1024, size, process.returncode, tree)


def mkdocs_config(src: Path, out: Path, folder: Path, **extra: object) -> Path:
    config = {
        "site_name": src.name,
        "docs_dir": str(src.resolve()),
        "site_dir": str(out.resolve()),
        "theme": {"name": "material"},
        "plugins": ["search"],
        **extra,
    }
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def marked_it_ready() -> str:
    """Install marked-it-core into the cache when needed; the reason it cannot run, or ``""``."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        return "node/npm not found"
    modules = CACHE / "node_modules"
    if all((modules / spec.rpartition("@")[0] / "package.json").is_file() for spec in MARKED_IT):
        return ""
    CACHE.mkdir(parents=True, exist_ok=True)
    package = CACHE / "package.json"
    if not package.exists():
        package.write_text('{"name": "troubledocs-bench", "private": true}\n', encoding="utf-8")
    done = subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", *MARKED_IT],
        check=False,
        cwd=CACHE,
        capture_output=True,
        text=True,
    )
    return (
        ""
        if done.returncode == 0
        else f"npm install {' '.join(MARKED_IT)} failed: {done.stderr.strip()[-300:]}"
    )


def marked_it_keywords(src: Path, folder: Path) -> Path:
    """The same keyword values troubledocs uses, as marked-it's variables map (ALDs included)."""
    values = dict(KeywordMap.for_source(src).values)
    ald = (REPO / "plugins" / "troubledocs" / "data" / "ald.txt").read_text(encoding="utf-8")
    values[ALD_KEYWORD] = "\n".join(line for line in ald.splitlines() if not line.startswith("#"))
    path = folder / "keywords.json"
    path.write_text(json.dumps({"site": {"data": {"keyword": values}}}), encoding="utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "src", nargs="*", type=Path, help="repository folder(s) (default: openshift; --family: all six)"
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--family", action="store_true", help="one site of several repositories")
    mode.add_argument(
        "--incremental", action="store_true", help="serve, save a page, time until it is served"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep outputs and logs in this folder")
    parser.add_argument(
        "--baseline",
        type=Path,
        help="also build with the troubledocs source tree in this folder (before/after)",
    )
    args = parser.parse_args()
    work = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="td-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        if args.incremental:
            return incremental((args.src or [DEFAULT_SRC])[0].resolve(), args.runs, work)
        if args.family:
            return family([p.resolve() for p in args.src] or FAMILY, args.runs, work)
        return single((args.src or [DEFAULT_SRC])[0].resolve(), args.runs, work, args.baseline)
    except BenchError as error:
        print(f"bench/build.py: error: {error}", file=sys.stderr)
        return 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def troubledocs_command() -> str:
    return shutil.which("troubledocs", path=str(Path(sys.executable).parent)) or "troubledocs"


def mkdocs_tool(src: Path, work: Path) -> Tool:
    return Tool(
        "mkdocs+material",
        lambda out: [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(mkdocs_config(src, out, work))],
        env={"NO_MKDOCS_2_WARNING": "1"},
    )


def compile_sources(*trees: Path) -> None:
    """Byte-compile the troubledocs sources as an installed wheel has them: an editable install under
    ``PYTHONDONTWRITEBYTECODE`` would otherwise compile every changed module again in every timed run."""
    for tree in trees:
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(tree / "plugins"), str(tree / "troubleshooter")],
            check=False,
            capture_output=True,
        )


def single(src: Path, runs: int, work: Path, baseline: Path | None) -> int:
    pages = sum(1 for _ in src.rglob("*.md"))
    compile_sources(REPO, *([baseline.resolve()] if baseline is not None else []))
    troubledocs = troubledocs_command()
    tools = [
        Tool("troubledocs", lambda out: [troubledocs, "build", str(src), "-o", str(out)]),
        mkdocs_tool(src, work),
    ]
    if baseline is not None:
        tree = baseline.resolve()
        tools.append(
            Tool(
                "troubledocs-base",
                lambda out: [sys.executable, "-m", "troubledocs", "build", str(src), "-o", str(out)],
                env={"PYTHONPATH": f"{tree / 'plugins'}{os.pathsep}{tree}"},
                note=f"source tree {tree}",
            )
        )
    reason = marked_it_ready()
    if reason:
        print(f"marked-it-core skipped: {reason}")
    else:
        keywords = marked_it_keywords(src, work)
        driver = str(REPO / "bench" / "marked_it_driver.js")
        tools.append(
            Tool(
                "marked-it-core",
                lambda out: ["node", driver, str(src), str(out), str(keywords)],
                env={"NODE_PATH": str(CACHE / "node_modules")},
                note="bare fragments",
            )
        )
    run_tools(tools, runs, work)
    report(str(src), pages, tools)
    return 0 if all(r.returncode == 0 for t in tools for r in t.runs) else 1


#: The shared repositories (``--family`` without REPO).
FAMILY = sorted(
    p
    for p in (REPO.parent / "shared" / "corpus").glob("*")
    if (p / "toc.yaml").is_file() or (p / "README.md").is_file()
)


def family(repos: list[Path], runs: int, work: Path) -> int:
    """The repositories as one site: troubledocs cold and with cached shards, MkDocs on one folder of them all."""
    pages = sum(1 for repo in repos for _ in repo.rglob("*.md"))
    compile_sources(REPO)
    troubledocs = troubledocs_command()
    cold, warm = work / "shards-cold", work / "shards-warm"
    docs = work / "family-docs"
    docs.mkdir(exist_ok=True)
    for repo in repos:
        link = docs / repo.name
        if not link.exists():
            link.symlink_to(repo, target_is_directory=True)

    def build(shards: Path) -> Callable[[Path], list[str]]:
        return lambda out: [
            troubledocs,
            "build",
            *map(str, repos),
            "-o",
            str(out),
            "--shards",
            str(shards),
            "-q",
        ]

    tools = [
        Tool("troubledocs cold", build(cold), prepare=lambda: shutil.rmtree(cold, ignore_errors=True)),
        Tool("troubledocs cached", build(warm), note="every shard cached: the link step"),
        mkdocs_tool(docs, work),
    ]
    # Fill the cache of the "cached" tool once, untimed.
    measure(build(warm)(work / "warm-up"), work / "warm-up", {}, work / "warm-up.log")
    run_tools(tools, runs, work)
    report(f"{len(repos)} repositories ({', '.join(r.name for r in repos)})", pages, tools)
    return 0 if all(r.returncode == 0 for t in tools for r in t.runs) else 1


def run_tools(tools: list[Tool], runs: int, work: Path) -> None:
    for run in range(runs):
        for tool in tools:
            out = work / f"out-{tool.name.replace(' ', '-')}"
            tool.prepare()
            result = measure(tool.command(out), out, tool.env, work / f"{tool.name}.run{run + 1}.log")
            tool.runs.append(result)
            status = "" if result.returncode == 0 else f"  EXIT {result.returncode} (see {work})"
            print(
                f"run {run + 1} {tool.name:18} {result.wall:7.2f} s wall {result.cpu:7.2f} s CPU"
                f" {result.tree_mib:7.0f} MiB tree{status}",
                flush=True,
            )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class BenchError(Exception):
    """A measurement that cannot be made: printed with its reason, and the bench exits 1."""


def fetch(url: str) -> str:
    """The body ``url`` answers with, or ``""`` (an error status, no server)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            body: bytes = answer.read()
            return body.decode("utf-8", errors="replace")
    except OSError:
        return ""


def site_urls(base: str) -> set[str]:
    """The site-relative URL of every page of the site served at ``base``: the sitemap troubledocs writes for
    instant navigation (:data:`troubledocs.material.instant_nav.PAGES`)."""
    listed = fetch(base + PAGES)
    try:
        urls = json.loads(listed)
    except ValueError:
        urls = None
    if not isinstance(urls, list):
        raise BenchError(f"{base}{PAGES} is no list of the site's pages: {listed[:200]!r}")
    return {str(url) for url in urls}


def edited_page(root: Path, urls: set[str]) -> Path:
    """The page to save: the first the TOC names (else the first by name) that the site serves at its own name
    (``a/b.md`` at ``a/b.html``; not the home page, which the landing page of a TOC is served as), so that
    ``mkdocs serve`` (without directory URLs) has it at the same address."""
    toc = root / "toc.yaml"
    named = re.findall(r"[\w./-]+\.md\b", toc.read_text(encoding="utf-8")) if toc.is_file() else []
    candidates = [root / name for name in named if not name.startswith("/")] + sorted(root.rglob("*.md"))
    for page in candidates:
        url = page.relative_to(root).with_suffix(".html").as_posix()
        if page.is_file() and url != "index.html" and url in urls:
            return page
    raise BenchError(f"no page of {root} is served at its own name (.md → .html) among {len(urls)} pages")


def wait_for(url: str, text: str, server: subprocess.Popen[bytes], seconds: float) -> None:
    """Poll ``url`` until it answers with ``text`` in its body (any body for ``""``); :class:`BenchError` when the
    server exits or ``seconds`` pass first."""
    deadline = time.monotonic() + seconds
    what = f"{text!r} in {url}" if text else f"answer from {url}"
    while True:
        body = fetch(url)
        if body and text in body:
            return
        if server.poll() is not None:
            raise BenchError(f"the server exited ({server.returncode}) before any {what}")
        if time.monotonic() > deadline:
            raise BenchError(f"no {what} after {seconds:.0f} s")
        time.sleep(0.02)


def log_tail(log: Path, lines: int = 15) -> str:
    text = log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:] if log.is_file() else []
    return "\n".join(f"    {line}" for line in text)


def incremental(src: Path, runs: int, work: Path) -> int:
    """Serve a copy of ``src`` with each tool; save a page ``runs`` times, timing until the server sends it.
    troubledocs serves first: its site's list of pages chooses the page (see :func:`edited_page`)."""
    copy = work / "src"
    if not copy.exists():
        shutil.copytree(src, copy)
    servers = {
        "troubledocs serve": lambda port: [
            troubledocs_command(),
            "serve",
            str(copy),
            "-a",
            f"127.0.0.1:{port}",
        ],
        "mkdocs serve": lambda port: [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "-a",
            f"127.0.0.1:{port}",
            "-f",
            str(mkdocs_config(copy, work / "mkdocs-site", work, use_directory_urls=False)),
        ],
    }
    times: dict[str, list[float]] = {}
    page: Path | None = None
    original = ""
    for tool, command in servers.items():
        port = free_port()
        base = f"http://127.0.0.1:{port}/"
        log = work / f"{tool.replace(' ', '-')}.log"
        with log.open("wb") as sink:
            server = subprocess.Popen(
                command(port),
                stdout=sink,
                stderr=subprocess.STDOUT,
                env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            )
        try:
            wait_for(base, "", server, 600)
            if page is None:
                page = edited_page(copy, site_urls(base))
                original = page.read_text(encoding="utf-8")
            url = base + page.relative_to(copy).with_suffix(".html").as_posix()
            wait_for(url, "", server, 60)
            time.sleep(1.0)  # the watcher starts after the first build
            for run in range(runs):
                marker = f"Bench edit {run} of {tool}."
                started = time.perf_counter()
                page.write_text(f"{original}\n\n{marker}\n", encoding="utf-8")
                wait_for(url, marker, server, 300)
                elapsed = time.perf_counter() - started
                times.setdefault(tool, []).append(elapsed)
                print(f"run {run + 1} {tool:18} {elapsed:7.2f} s until {url} is served anew", flush=True)
                time.sleep(1.0)
        except BenchError as error:
            raise BenchError(f"{tool}: {error}; the end of its log ({log}):\n{log_tail(log)}") from None
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
            if page is not None:
                page.write_text(original, encoding="utf-8")
    if page is None:
        raise BenchError("no server ran")
    pages = sum(1 for _ in copy.rglob("*.md"))
    base_time = statistics.median(times["mkdocs serve"])
    print(
        f"\n{src} — {pages} pages, saving {page.relative_to(copy)}, {runs} saves each,"
        f" load now {os.getloadavg()[0]:.1f}"
    )
    print(f"{'server':18} {'median s':>9} {'saves (s)':>40} {'×mkdocs':>8}")
    for tool, measured in times.items():
        median = statistics.median(measured)
        saves = " / ".join(f"{t:.2f}" for t in measured)
        print(f"{tool:18} {median:9.2f} {saves:>40} {median / base_time:8.2f}")
    return 0


def report(src: str, pages: int, tools: list[Tool]) -> None:
    base = next(t for t in tools if t.name == "mkdocs+material")
    base_wall = statistics.median(r.wall for r in base.runs)
    base_tree = max(r.tree_mib for r in base.runs)
    base_size = statistics.median(r.output_bytes for r in base.runs)
    base_cpu = statistics.median(r.cpu for r in base.runs)
    load = os.getloadavg()[0]
    print(f"\n{src} — {pages} pages, {len(base.runs)} runs each, {os.cpu_count()} CPUs, load now {load:.1f}")
    header = (
        f"{'tool':18} {'median s':>9} {'runs (s)':>22} {'pages/s':>8} {'CPU s':>7} {'tree MiB':>9} {'1 proc':>7}"
        f" {'output MB':>10} {'time ×mkdocs':>13} {'CPU ×mkdocs':>12} {'mem ×mkdocs':>12} {'size ×mkdocs':>13}"
    )
    print(header)
    print("-" * len(header))
    for tool in tools:
        wall = statistics.median(r.wall for r in tool.runs)
        tree = max(r.tree_mib for r in tool.runs)
        peak = max(r.peak_mib for r in tool.runs)
        size = statistics.median(r.output_bytes for r in tool.runs)
        cpu = statistics.median(r.cpu for r in tool.runs)
        runs = " / ".join(f"{r.wall:.2f}" for r in tool.runs)
        print(
            f"{tool.name:18} {wall:9.2f} {runs:>22} {pages / wall:8.1f} {cpu:7.2f} {tree:9.0f} {peak:7.0f}"
            f" {size / 1e6:10.1f} {wall / base_wall:13.2f} {cpu / base_cpu:12.2f} {tree / base_tree:12.2f}"
            f" {size / base_size:13.2f}" + (f"  ({tool.note})" if tool.note else "")
        )
    medians = {
        t.name: (statistics.median(r.wall for r in t.runs), statistics.median(r.cpu for r in t.runs))
        for t in tools
    }
    if "marked-it-core" in medians and "troubledocs" in medians:
        (wall, cpu), (m_wall, m_cpu) = medians["troubledocs"], medians["marked-it-core"]
        print(f"\ntroubledocs / marked-it-core: wall {wall / m_wall:.2f}, CPU {cpu / m_cpu:.2f}")


if __name__ == "__main__":
    raise SystemExit(main())
