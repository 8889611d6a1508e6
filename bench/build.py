"""Build one documentation repository three ways and compare them: troubledocs, plain MkDocs + Material, marked-it.

    .venv/bin/python bench/build.py [SRC] [--runs 3] [--baseline DIR]

* troubledocs: ``troubledocs build SRC -o OUT`` (the site, with navigation, search, troubleshooter);
* MkDocs: plain ``mkdocs build`` with Material and ``plugins: [search]`` on the same files (leaves the dialect raw);
* with ``--baseline DIR``: also ``troubledocs build`` from the source tree ``DIR`` (say ``git archive main`` unpacked),
  interleaved with the others, to compare a change with what it changes in the same run;
* marked-it: IBM's ``marked-it-core`` from npm through ``bench/marked_it_driver.js`` (bare HTML fragments, no site),
  installed once into ``~/.cache/troubledocs/bench``; skipped when Node or npm is missing.

Runs are interleaved (tool A, B, C, then again) so that machine noise spreads evenly. Prints the median wall time,
pages per second, peak memory (max RSS of the process tree, from ``wait4``) and output size, with ratios to MkDocs.
This is a script, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
import json
import os
from pathlib import Path
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from troubledocs.keywords import ALD_KEYWORD, KeywordMap
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
    peak_mib: float
    output_bytes: int
    returncode: int


@dataclass
class Tool:
    name: str
    command: Callable[[Path], list[str]]
    env: dict[str, str] = field(default_factory=dict)
    runs: list[Run] = field(default_factory=list)
    note: str = ""


def measure(command: list[str], out: Path, env: dict[str, str], log: Path) -> Run:
    """Run ``command`` once; wall time, peak RSS of it and its children, bytes written under ``out``."""
    if out.exists():
        shutil.rmtree(out)
    started = time.perf_counter()
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env={**os.environ, **env})
        _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) if out.exists() else 0
    # Linux reports ru_maxrss in KiB.
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, size, process.returncode)


def mkdocs_config(src: Path, out: Path, folder: Path) -> Path:
    config = {
        "site_name": src.name,
        "docs_dir": str(src.resolve()),
        "site_dir": str(out.resolve()),
        "theme": {"name": "material"},
        "plugins": ["search"],
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
        "src", nargs="?", type=Path, default=DEFAULT_SRC, help="repository folder (default: openshift)"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep outputs and logs in this folder")
    parser.add_argument(
        "--baseline",
        type=Path,
        help="also build with the troubledocs source tree in this folder (before/after)",
    )
    args = parser.parse_args()
    src: Path = args.src.resolve()
    pages = sum(1 for _ in src.rglob("*.md"))
    work = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="td-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    bindir = Path(sys.executable).parent
    troubledocs = shutil.which("troubledocs", path=str(bindir)) or "troubledocs"
    tools = [
        Tool("troubledocs", lambda out: [troubledocs, "build", str(src), "-o", str(out)]),
        Tool(
            "mkdocs+material",
            lambda out: [
                sys.executable,
                "-m",
                "mkdocs",
                "build",
                "-q",
                "-f",
                str(mkdocs_config(src, out, work)),
            ],
            env={"NO_MKDOCS_2_WARNING": "1"},
        ),
    ]
    if args.baseline:
        baseline = args.baseline.resolve()
        tools.append(
            Tool(
                "troubledocs-base",
                lambda out: [sys.executable, "-m", "troubledocs", "build", str(src), "-o", str(out)],
                env={"PYTHONPATH": f"{baseline / 'plugins'}{os.pathsep}{baseline}"},
                note=f"source tree {baseline}",
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
    for run in range(args.runs):
        for tool in tools:
            out = work / f"out-{tool.name}"
            result = measure(tool.command(out), out, tool.env, work / f"{tool.name}.run{run + 1}.log")
            tool.runs.append(result)
            status = "" if result.returncode == 0 else f"  EXIT {result.returncode} (see {work})"
            print(
                f"run {run + 1} {tool.name:16} {result.wall:7.2f} s wall {result.cpu:7.2f} s CPU"
                f" {result.peak_mib:7.0f} MiB{status}",
                flush=True,
            )
    report(src, pages, tools)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if all(r.returncode == 0 for t in tools for r in t.runs) else 1


def report(src: Path, pages: int, tools: list[Tool]) -> None:
    base = next(t for t in tools if t.name == "mkdocs+material")
    base_wall = statistics.median(r.wall for r in base.runs)
    base_peak = max(r.peak_mib for r in base.runs)
    base_size = statistics.median(r.output_bytes for r in base.runs)
    base_cpu = statistics.median(r.cpu for r in base.runs)
    load = os.getloadavg()[0]
    print(f"\n{src} — {pages} pages, {len(base.runs)} runs each, {os.cpu_count()} CPUs, load now {load:.1f}")
    header = (
        f"{'tool':16} {'median s':>9} {'runs (s)':>22} {'pages/s':>8} {'CPU s':>7} {'peak MiB':>9}"
        f" {'output MB':>10} {'time ×mkdocs':>13} {'CPU ×mkdocs':>12} {'mem ×mkdocs':>12} {'size ×mkdocs':>13}"
    )
    print(header)
    print("-" * len(header))
    for tool in tools:
        wall = statistics.median(r.wall for r in tool.runs)
        peak = max(r.peak_mib for r in tool.runs)
        size = statistics.median(r.output_bytes for r in tool.runs)
        cpu = statistics.median(r.cpu for r in tool.runs)
        runs = " / ".join(f"{r.wall:.2f}" for r in tool.runs)
        print(
            f"{tool.name:16} {wall:9.2f} {runs:>22} {pages / wall:8.1f} {cpu:7.2f} {peak:9.0f} {size / 1e6:10.1f}"
            f" {wall / base_wall:13.2f} {cpu / base_cpu:12.2f} {peak / base_peak:12.2f} {size / base_size:13.2f}"
            + (f"  ({tool.note})" if tool.note else "")
        )
    others = {t.name: statistics.median(r.wall for r in t.runs) for t in tools}
    if "marked-it-core" in others:
        print(
            f"\ntroubledocs / marked-it-core wall time: {others['troubledocs'] / others['marked-it-core']:.2f}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
