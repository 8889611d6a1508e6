"""Benchmark: the troubleshooter in Chromium against bare Pyodide, in one run on the same machine.

    .venv/bin/python bench/browser.py [--runs 3] [--queries 50] [--src ../shared/seed --src ../shared/corpus/openshift]

Builds each ``--src`` site (``troubledocs build``, and a second build with ``embed_runtime`` for file://),
serves them on 127.0.0.1 and measures, each in a fresh browser profile (cold) and after a reload (warm), one
column per site:

* bare Pyodide: a module worker that loads the site's Pyodide files and runs one call, from creating the
  worker to its answer on the page;
* our page: the site's first troubleshooting page, from the paste to the first rendered answer (its widget
  starts the runtime once the box is in view; the dedicated ``troubleshooter/`` page preloads it when idle);
* the longest frame *from the widget*, from the page's start to the answer: a long animation frame (over
  50 ms of tasks and rendering) in which the widget ran, told by its ``troubleshooter:*`` marks or its
  scripts, without the scripts of other files (the theme's) that ran in it (see ``FRAMES_READ_JS`` in
  tests/browser/browser_harness.py); 0 when there is none; the notes under the table say what the longest
  of each load was made of. Under it, how long those frames blocked the main thread beyond 50 ms
  (blockingDuration: 0 when no task of theirs, rendering included, took over 50 ms; it leaves out the waits
  for the next frame that a loaded machine adds to a frame's length). Beside it the
  page's longest frame without the widget's work, the page's longest task after the paste (Long Tasks API,
  any script, the theme's included), and the same page with the widget's scripts taken out, loaded cold
  (the theme's own frames);
* the bytes the server sent for that load;
* then the median and p95 of ``--queries`` further pastes on the warm page (paste to rendered answer);
* a second troubleshooting page reached by the theme's instant navigation after the first page booted: paste
  to its first answer (the runtime is not started again) and the longest frame from the widget there;
* the layout shift (CLS) of the troubleshooting page while its widget loads and boots;
* the same paste-to-answer from ``file://`` with the embedded runtime.

The paste is a real ``paste`` event in a task of its own after the box is focused, and the wait for the
answer runs in the page, so that no polling from Playwright shares the page's frames. No host but 127.0.0.1
resolves in the browser; the run aborts if a page requests anything outside the site.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
import re
import statistics
import sys
import tempfile
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "browser"))

from browser_harness import (
    FRAMES_JS,
    FRAMES_READ_JS,
    INPUT,
    PASTE_AND_WAIT_JS,
    WIDGET,
    LocalServer,
    Tab,
    build_site,
    concrete,
    launch_profile,
    serve,
)
from troubledocs.browser.pyodide_dist import PYODIDE_LOCK_INFO

from troubleshooter.model import SITE_INDEX_PATH, index_text

BARE_PAGE = """<!doctype html><meta charset="utf-8"><title>bare Pyodide</title>
<script>
  const started = performance.now();
  const worker = new Worker("worker.mjs", {type: "module"});
  worker.onmessage = (event) => { window.bare = {...event.data, pageMs: performance.now() - started}; };
</script>"""

BARE_WORKER = """const started = performance.now();
const base = new URL("../site/assets/troubleshooter/pyodide/", import.meta.url).href;
const { loadPyodide } = await import(base + "pyodide.mjs");
const pyodide = await loadPyodide({indexURL: base, lockFileContents: LOCK});
const result = pyodide.runPython("import re; len(re.findall(r'\\\\d+', 'node 10.1.2.3 failed 42 times'))");
postMessage({result, workerMs: performance.now() - started});
"""

# Go to another page with the theme's instant navigation: click a link to it (the theme listens for clicks).
INSTANT_JS = """
(url) => {
  window.__samePage = true;
  const clicked = performance.now();
  document.querySelector("[data-troubleshooter]").dataset.previousPage = "";
  const link = document.createElement("a");
  link.href = url;
  document.querySelector("article").append(link);
  link.click();
  return clicked;
}
"""

# Paste every query in turn; time each from the paste to the rendered answer (a results mutation). The next
# paste waits until the answer has been drawn, as a reader's would.
QUERIES_JS = """
async (queries) => {
  const results = document.querySelector('.troubleshooter__results');
  const input = document.querySelector('[data-troubleshooter-input]');
  const times = [];
  for (const text of queries) {
    const rendered = new Promise((resolve) => {
      const observer = new MutationObserver(() => { observer.disconnect(); resolve(performance.now()); });
      observer.observe(results, {childList: true, subtree: true});
    });
    input.focus(); input.select();
    const data = new DataTransfer();
    data.setData('text/plain', text);
    const start = performance.now();
    input.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
    times.push((await rendered) - start);
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50)));
  }
  return times;
}
"""


SETTLE_MS = 1000
ANSWER_TIMEOUT_MS = 120_000
WIDGET_SCRIPT = re.compile(r'<script src="[^"]*assets/troubleshooter/[^"]*"></script>')


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bare_load(tab: Tab, url: str, *, reload: bool) -> float:
    page = tab.page
    if reload:
        page.reload()
    else:
        page.goto(url)
    page.wait_for_function("() => window.bare", timeout=120_000)
    page.wait_for_timeout(SETTLE_MS)  # as long as the other variant waits, so both runs keep the same pace
    result: float = page.evaluate("() => window.bare.pageMs")
    return result


def frames(tab: Tab, since: float) -> list[dict[str, Any]]:
    """The page's long animation frames that end after ``since`` (see ``FRAMES_READ_JS``)."""
    found: list[dict[str, Any]] = tab.page.evaluate(FRAMES_READ_JS, since)
    return found


def longest(found: list[dict[str, Any]], *, widget: bool) -> float:
    """The widget's longest share of a frame (``widget``), or the longest frame without the widget's work;
    0 when no frame is over 50 ms."""
    if widget:
        return max((frame["share"] for frame in found if frame["widget"]), default=0.0)
    return max((frame["duration"] for frame in found if not frame["widget"]), default=0.0)


def blocking(found: list[dict[str, Any]]) -> float:
    """The longest time a frame with the widget's work blocked the main thread beyond 50 ms (its
    blockingDuration: 0 when none of its tasks, rendering included, took over 50 ms)."""
    return max((frame["blocking"] for frame in found if frame["widget"]), default=0.0)


def explain(found: list[dict[str, Any]]) -> str:
    """What the longest frame from the widget was made of: its rendering, the widget's steps, the scripts."""
    ours = [frame for frame in found if frame["widget"]]
    if not ours:
        return ""
    frame = max(ours, key=lambda frame: frame["share"])
    steps = ", ".join(step.removeprefix("troubleshooter:") for step in frame["steps"]) or "none"
    scripts = "; ".join(frame["scripts"]) or "none over 5 ms"
    return (
        f"{frame['share']:.0f} ms of a {frame['duration']:.0f} ms frame at {frame['start']:,.0f} ms "
        f"(blocking {frame['blocking']:.0f} ms), rendering {frame['render']:.0f} ms; widget steps: {steps}; "
        f"scripts: {scripts}"
    )


def longest_task(tab: Tab, since: float) -> float:
    """The page's longest task (Long Tasks API, any script) that ends after ``since``; 0 when none is over 50 ms."""
    tasks: list[list[float]] = tab.page.evaluate("() => window.__longTasks")
    return max((duration for start, duration in tasks if start + duration >= since), default=0.0)


def settled(tab: Tab, url: str, *, reload: bool) -> None:
    """Load ``url`` (or reload) and wait as a reader would before pasting: the theme has settled (Material's
    search worker has built its index)."""
    page = tab.page
    if reload:
        page.reload()
    else:
        page.goto(url)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(SETTLE_MS)


def page_load(tab: Tab, url: str, paste: str, *, reload: bool) -> dict[str, Any]:
    """Paste on a freshly loaded troubleshooting page: the time to the first answer, the page's longest task
    after the paste, and the longest frames with and without the widget's work from the page's start on."""
    settled(tab, url, reload=reload)
    tab.page.wait_for_selector(f"{WIDGET}[data-troubleshooter-hydrated]")
    times: dict[str, float] = tab.page.evaluate(PASTE_AND_WAIT_JS, [paste, ANSWER_TIMEOUT_MS])
    found = frames(tab, 0)
    stages: dict[str, float] = tab.page.evaluate("() => globalThis.troubleshooterClient.stages")
    return {
        "frame": explain(found),
        "answer": times["answered"] - times["pasted"],
        "task": longest_task(tab, times["pasted"]),
        "widget": longest(found, widget=True),
        "blocking": blocking(found),
        "theme": longest(found, widget=False),
        "shift": tab.page.evaluate("() => window.__shift"),
        **{f"boot: {k}": v for k, v in stages.items()},
    }


def page_without_widget(tab: Tab, url: str, *, reload: bool) -> dict[str, float]:
    """The same page without the widget's scripts, loaded and left idle as long as ``page_load`` waits: the
    theme's own longest frame and task."""
    settled(tab, url, reload=reload)
    tab.page.wait_for_timeout(SETTLE_MS)
    found = frames(tab, 0)
    if any(frame["widget"] for frame in found):
        raise RuntimeError(f"{url} still runs the widget")
    return {"frame": longest(found, widget=False), "task": longest_task(tab, 0)}


def second_page(tab: Tab, url: str, paste: str) -> dict[str, Any]:
    """Go to ``url`` by instant navigation: the time from a paste there to its first answer, and the longest
    frame with the widget's work from the click on."""
    page = tab.page
    clicked: float = page.evaluate(INSTANT_JS, url)
    page.wait_for_url(url)
    # The address changes before the theme swaps the content in: wait for the new page's box.
    fresh = f"{WIDGET}:not([data-previous-page])[data-troubleshooter-hydrated][data-state=ready]"
    page.wait_for_selector(fresh, timeout=120_000)
    if not page.evaluate("() => window.__samePage === true"):
        raise RuntimeError(f"instant navigation to {url} reloaded the page")
    times: dict[str, float] = page.evaluate(PASTE_AND_WAIT_JS, [paste, ANSWER_TIMEOUT_MS])
    boots = page.evaluate("() => performance.getEntriesByName('troubleshooter:boot-start').length")
    if boots != 1:
        raise RuntimeError(f"the runtime was started {boots} times")
    found = frames(tab, clicked)
    return {
        "answer": times["answered"] - times["pasted"],
        "widget": longest(found, widget=True),
        "blocking": blocking(found),
        "frame": explain(found),
    }


def without_widget_scripts(page: Path) -> Path:
    """A copy of the built ``page`` beside it without the troubleshooter's scripts (its markup and styles
    stay, so the page lays out the same)."""
    html, count = WIDGET_SCRIPT.subn("", page.read_text(encoding="utf-8"))
    if not count:
        raise RuntimeError(f"{page} loads no troubleshooter script")
    copy = page.with_name(f"{page.stem}.no-widget.html")
    copy.write_text(html, encoding="utf-8")
    return copy


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


Rows = dict[str, list[float]]
#: Per site, what the longest frame from the widget of each load was made of.
Notes = list[str]


def measure(
    playwright: Any, server: LocalServer, folder: Path, src: Path, args: argparse.Namespace
) -> tuple[Rows, Notes]:
    """Every measure of the site of ``src``, built into ``folder`` (served by ``server`` from its parent)."""
    site = build_site(src, folder / "site")
    embedded = build_site(src, folder / "embedded", embed_runtime=True)
    (folder / "bare").mkdir()
    (folder / "bare" / "index.html").write_text(BARE_PAGE, encoding="utf-8")
    lock = json.dumps({"info": dict(PYODIDE_LOCK_INFO), "packages": {}})
    (folder / "bare" / "worker.mjs").write_text(f"const LOCK = {lock};\n{BARE_WORKER}", encoding="utf-8")
    index = json.loads(index_text((site / SITE_INDEX_PATH).read_bytes()))
    errors = [error for entry in index["entries"] for error in entry.get("errors", []) if len(error) < 2000]
    pastes = [concrete(errors[i % len(errors)], i) for i in range(args.queries + 2)]

    rows: Rows = {}
    notes: Notes = []

    def add(name: str, value: float) -> None:
        rows.setdefault(name, []).append(value)

    def note(load: str, measured: dict[str, Any]) -> None:
        if measured["frame"]:
            notes.append(f"{load}: {measured['frame']}")

    def fresh(origin: str | None, **options: Any) -> Tab:
        context = launch_profile(playwright, folder / "profiles" / str(len(list(folder.glob("profiles/*")))))
        tab = Tab(None, origin, block=False, context=context, **options)
        tab.context.add_init_script(FRAMES_JS)
        return tab

    base = f"{server.origin}/{folder.name}"
    bare_url = f"{base}/bare/index.html"
    # A troubleshooting page: its widget boots once in view (the dedicated page preloads when idle).
    first_page = index["entries"][0]["url"].split("#")[0]
    page_url = f"{base}/site/{first_page}"
    plain_url = f"{base}/site/{without_widget_scripts(site / first_page).relative_to(site).as_posix()}"
    # Another troubleshooting page for the second answer, the troubleshooter page when there is none.
    others = [e for e in index["entries"] if e["url"].split("#")[0] != first_page and e.get("errors")]
    other = others[0] if others else None
    other_url = f"{base}/site/{(other['url'] if other else 'troubleshooter/index.html').split('#')[0]}"
    other_paste = concrete(other["errors"][0], 99) if other else pastes[0]
    for _ in range(args.runs):
        tab = fresh(server.origin)
        sent = server.bytes_sent
        add("bare Pyodide, boot + one call: cold", bare_load(tab, bare_url, reload=False))
        add("bare: bytes cold", server.bytes_sent - sent)
        sent = server.bytes_sent
        add("bare Pyodide, boot + one call: warm", bare_load(tab, bare_url, reload=True))
        add("bare: bytes warm", server.bytes_sent - sent)
        tab.close()

        tab = fresh(server.origin)
        plain = page_without_widget(tab, plain_url, reload=False)
        add("same page without the widget: longest frame, cold", plain["frame"])
        add("same page without the widget: longest task, cold", plain["task"])
        tab.close()

        tab = fresh(server.origin)
        sent = server.bytes_sent
        cold = page_load(tab, page_url, pastes[0], reload=False)
        add("our page, paste to first answer: cold", cold["answer"])
        add("our page: longest frame from the widget, cold", cold["widget"])
        add("  its frames' blocking beyond 50 ms, cold", cold["blocking"])
        note("our page, cold", cold)
        add("our page: longest frame without it, cold", cold["theme"])
        add("our page: longest task after the paste, cold", cold["task"])
        add("our page: layout shift (CLS) while booting, cold", cold["shift"])
        add("our page: bytes cold", server.bytes_sent - sent)
        for name in ("runtime", "matcher", "index"):
            add(f"  worker boot stages, cold: {name} done", cold[f"boot: {name}"])
        sent = server.bytes_sent
        warm = page_load(tab, page_url, pastes[1], reload=True)
        add("our page, paste to first answer: warm", warm["answer"])
        add("our page: longest frame from the widget, warm", warm["widget"])
        add("  its frames' blocking beyond 50 ms, warm", warm["blocking"])
        note("our page, warm", warm)
        add("our page: longest task after the paste, warm", warm["task"])
        add("our page: bytes warm", server.bytes_sent - sent)
        times: list[float] = tab.page.evaluate(QUERIES_JS, pastes[2:])
        rows.setdefault("queries", []).extend(times)
        assert tab.page.locator(INPUT).count() == 1
        second = second_page(tab, other_url, other_paste)
        add("second page (instant navigation), paste to first answer", second["answer"])
        add("second page: longest frame from the widget", second["widget"])
        add("  its frames' blocking beyond 50 ms, second page", second["blocking"])
        note("second page", second)
        tab.close()

        tab = fresh(None, tolerate="search_index.js")
        file_url = (embedded / first_page).as_uri()
        cold = page_load(tab, file_url, pastes[0], reload=False)
        add("file:// embedded, paste to first answer: cold", cold["answer"])
        add("file:// embedded: longest frame from the widget, cold", cold["widget"])
        add("  its frames' blocking beyond 50 ms, file://", cold["blocking"])
        note("file:// embedded, cold", cold)
        warm = page_load(tab, file_url, pastes[1], reload=True)
        add("file:// embedded, paste to first answer: warm", warm["answer"])
        tab.close()
    return rows, notes


def run(args: argparse.Namespace) -> None:
    from playwright.sync_api import sync_playwright

    results: dict[str, tuple[Rows, Notes]] = {}
    with tempfile.TemporaryDirectory(prefix="troubledocs-bench-") as folder:
        root = Path(folder)
        with serve(root) as server, sync_playwright() as playwright:
            loads = [os.getloadavg()[0]]
            for number, src in enumerate(args.src):
                results[src.name] = measure(playwright, server, root / str(number), src, args)
                loads.append(os.getloadavg()[0])
    report(results, args)
    # Frame lengths are wall time: on a loaded machine they also count the waits for a CPU.
    print(f"\n1-minute load average before and after each site: {', '.join(f'{load:.1f}' for load in loads)}")


def report(measured: dict[str, tuple[Rows, Notes]], args: argparse.Namespace) -> None:
    results = {name: rows for name, (rows, _) in measured.items()}
    names = list(results)
    queries = {name: rows.pop("queries") for name, rows in results.items()}
    print(f"troubleshooter in Chromium: {args.runs} run(s) per site, medians (every run in brackets)\n")
    print("| measure | " + " | ".join(names) + " |")
    print("| --- |" + " --- |" * len(names))
    for measure_name in results[names[0]]:
        cells = []
        for rows in results.values():
            values = rows[measure_name]
            unit = "B" if "bytes" in measure_name else "ms"
            runs = f" ({', '.join(f'{value:,.0f}' for value in values)})" if len(values) > 1 else ""
            cells.append(f"{median(values):,.0f} {unit}{runs}")
        print(f"| {measure_name} | " + " | ".join(cells) + " |")
    print(
        "| further queries (warm): median / p95 | "
        + " | ".join(
            f"{median(times):,.1f} / {percentile(times, 0.95):,.1f} ms (n={len(times)})"
            for times in queries.values()
        )
        + " |"
    )
    print()
    for name, rows in results.items():
        times = queries[name]
        bare = median(rows["bare Pyodide, boot + one call: cold"])
        ours = median(rows["our page, paste to first answer: cold"])
        widget = max(
            max(rows[measure_name])
            for measure_name in rows
            if "longest frame from the widget" in measure_name
        )
        second = median(rows["second page (instant navigation), paste to first answer"])
        print(f"{name}:")
        print(f"  cold paste-to-answer / bare boot+call: {ours / bare:.2f}x (target <= 1.0x)")
        print(
            f"  warm queries: median {median(times):.1f} ms (target <= 30), p95 {percentile(times, 0.95):.1f} ms"
        )
        blocked = max(max(rows[measure_name]) for measure_name in rows if "blocking beyond" in measure_name)
        print(f"  longest frame from the widget, every load: {widget:.0f} ms (target <= 50)")
        print(
            f"  its frames' longest blocking beyond 50 ms: {blocked:.0f} ms (0: no task of the widget over 50 ms)"
        )
        print(f"  second troubleshooting page, paste to first answer: {second:.0f} ms (target <= 300)")
        print("  the longest frame from the widget of each load:")
        for line in measured[name][1]:
            print(f"    {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="cold+warm runs per variant (default 3)")
    parser.add_argument("--queries", type=int, default=50, help="further warm queries per run (default 50)")
    parser.add_argument(
        "--src",
        type=Path,
        action="append",
        help="docs folder to build; repeat for several sites in one run (default ../shared/seed)",
    )
    args = parser.parse_args()
    args.src = args.src or [REPO.parent / "shared" / "seed"]
    run(args)


if __name__ == "__main__":
    main()
