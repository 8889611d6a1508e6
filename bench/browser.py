"""Benchmark: the troubleshooter in Chromium against bare Pyodide, in one run on the same machine.

    .venv/bin/python bench/browser.py [--runs 3] [--queries 50] [--src ../shared/seed]

Builds the seed site (``troubledocs build``, and a second build with ``embed_runtime`` for file://), serves
it on 127.0.0.1 and measures, each in a fresh browser context (cold) and after a reload (warm):

* bare Pyodide: a module worker that loads the site's Pyodide files and runs one call, from creating the
  worker to its answer on the page;
* our page: the seed's troubleshooting page, from the paste to the first rendered answer (its widget
  starts the runtime on focus or paste; the dedicated ``troubleshooter/`` page preloads it when idle);
* the longest main-thread task between the paste and the answer (Long Tasks API; 0 when none >50 ms);
* the bytes the server sent for that load;
* then the median and p95 of ``--queries`` further pastes on the warm page (paste to rendered answer);
* a second troubleshooting page reached by the theme's instant navigation after the first page booted: paste
  to its first answer (the runtime is not started again);
* the layout shift (CLS) of the troubleshooting page while its widget loads and boots;
* the same paste-to-answer from ``file://`` with the embedded runtime.

No host but 127.0.0.1 resolves in the browser; the run aborts if a page requests anything outside the site.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
import statistics
import sys
import tempfile
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "browser"))

from browser_harness import (
    ANSWERED,
    INPUT,
    PASTE_JS,
    WIDGET,
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

# Long tasks of the main thread and layout shifts, collected from the first script on (buffered observers).
LONG_TASKS_JS = """
window.__longTasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__longTasks.push([entry.startTime, entry.duration]);
}).observe({type: "longtask", buffered: true});
window.__shift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
}).observe({type: "layout-shift", buffered: true});
"""

# Go to another page with the theme's instant navigation: click a link to it (the theme listens for clicks).
INSTANT_JS = """
(url) => {
  window.__samePage = true;
  document.querySelector("[data-troubleshooter]").dataset.previousPage = "";
  const link = document.createElement("a");
  link.href = url;
  document.querySelector("article").append(link);
  link.click();
}
"""

# Paste every query in turn; time each from the paste to the rendered answer (a results mutation).
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
  }
  return times;
}
"""


SETTLE_MS = 1000


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


def page_load(tab: Tab, url: str, paste: str, *, reload: bool) -> dict[str, float]:
    """Paste on a freshly loaded troubleshooter page; time to the first answer and the longest task."""
    page = tab.page
    if reload:
        page.reload()
    else:
        page.goto(url)
    page.wait_for_selector(f"{WIDGET}[data-troubleshooter-hydrated]")
    # A reader pastes after the page has settled (Material's search worker has built its index).
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(SETTLE_MS)
    pasted: float = page.evaluate(PASTE_JS, paste)
    page.wait_for_selector(ANSWERED, timeout=120_000)
    answered: float = page.evaluate(
        "() => performance.getEntriesByName('troubleshooter:answer').at(-1).startTime"
    )
    tasks: list[list[float]] = page.evaluate("() => window.__longTasks")
    longest = max((duration for start, duration in tasks if start + duration >= pasted), default=0.0)
    stages: dict[str, float] = page.evaluate("() => globalThis.troubleshooterClient.stages")
    shift: float = page.evaluate("() => window.__shift")
    return {
        "answer": answered - pasted,
        "longest": longest,
        "shift": shift,
        **{f"boot: {k}": v for k, v in stages.items()},
    }


def second_page(tab: Tab, url: str, paste: str) -> float:
    """Go to ``url`` by instant navigation; the time from a paste there to its first answer."""
    page = tab.page
    page.evaluate(INSTANT_JS, url)
    page.wait_for_url(url)
    # The address changes before the theme swaps the content in: wait for the new page's box.
    fresh = f"{WIDGET}:not([data-previous-page])[data-troubleshooter-hydrated][data-state=ready]"
    page.wait_for_selector(fresh, timeout=120_000)
    if not page.evaluate("() => window.__samePage === true"):
        raise RuntimeError(f"instant navigation to {url} reloaded the page")
    page.evaluate("() => document.querySelector('.troubleshooter__results').replaceChildren()")
    pasted: float = page.evaluate(PASTE_JS, paste)
    page.wait_for_selector(ANSWERED, timeout=120_000)
    answered: float = page.evaluate(
        "() => performance.getEntriesByName('troubleshooter:answer').at(-1).startTime"
    )
    boots = page.evaluate("() => performance.getEntriesByName('troubleshooter:boot-start').length")
    if boots != 1:
        raise RuntimeError(f"the runtime was started {boots} times")
    return answered - pasted


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def run(args: argparse.Namespace) -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="troubledocs-bench-") as folder:
        root = Path(folder)
        site = build_site(args.src, root / "site")
        embedded = build_site(args.src, root / "embedded", embed_runtime=True)
        (root / "bare").mkdir()
        (root / "bare" / "index.html").write_text(BARE_PAGE, encoding="utf-8")
        lock = json.dumps({"info": dict(PYODIDE_LOCK_INFO), "packages": {}})
        (root / "bare" / "worker.mjs").write_text(f"const LOCK = {lock};\n{BARE_WORKER}", encoding="utf-8")
        index = json.loads(index_text((site / SITE_INDEX_PATH).read_bytes()))
        errors = [
            error for entry in index["entries"] for error in entry.get("errors", []) if len(error) < 2000
        ]
        pastes = [concrete(errors[i % len(errors)], i) for i in range(args.queries + 2)]

        rows: dict[str, list[float]] = {}

        def add(name: str, value: float) -> None:
            rows.setdefault(name, []).append(value)

        with serve(root) as server, sync_playwright() as playwright:
            profiles = iter(range(1_000_000))

            def fresh(origin: str | None, **options: Any) -> Tab:
                context = launch_profile(playwright, root / "profiles" / str(next(profiles)))
                return Tab(None, origin, block=False, context=context, **options)

            bare_url = f"{server.origin}/bare/index.html"
            # A troubleshooting page: its widget boots once in view (the dedicated page preloads when idle).
            page_url = f"{server.origin}/site/{index['entries'][0]['url'].split('#')[0]}"
            # Another troubleshooting page for the second answer, the troubleshooter page when there is none.
            first_page = page_url.rsplit("/site/", 1)[1]
            others = [e for e in index["entries"] if e["url"].split("#")[0] != first_page and e.get("errors")]
            other = others[0] if others else None
            other_url = f"{server.origin}/site/{(other['url'] if other else 'troubleshooter/index.html').split('#')[0]}"
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
                tab.context.add_init_script(LONG_TASKS_JS)
                sent = server.bytes_sent
                cold = page_load(tab, page_url, pastes[0], reload=False)
                add("our page, paste to first answer: cold", cold["answer"])
                add("our page: longest main-thread task, cold", cold["longest"])
                add("our page: layout shift (CLS) while booting, cold", cold["shift"])
                add("our page: bytes cold", server.bytes_sent - sent)
                for name in ("runtime", "matcher", "index"):
                    add(f"  worker boot stages, cold: {name} done", cold[f"boot: {name}"])
                sent = server.bytes_sent
                warm = page_load(tab, page_url, pastes[1], reload=True)
                add("our page, paste to first answer: warm", warm["answer"])
                add("our page: longest main-thread task, warm", warm["longest"])
                add("our page: bytes warm", server.bytes_sent - sent)
                times: list[float] = tab.page.evaluate(QUERIES_JS, pastes[2:])
                rows.setdefault("queries", []).extend(times)
                assert tab.page.locator(INPUT).count() == 1
                add(
                    "second page (instant navigation), paste to first answer",
                    second_page(tab, other_url, other_paste),
                )
                tab.close()

                tab = fresh(None, tolerate="search_index.js")
                tab.context.add_init_script(LONG_TASKS_JS)
                file_url = (embedded / index["entries"][0]["url"].split("#")[0]).as_uri()
                cold = page_load(tab, file_url, pastes[0], reload=False)
                add("file:// embedded, paste to first answer: cold", cold["answer"])
                add("file:// embedded: longest main-thread task, cold", cold["longest"])
                warm = page_load(tab, file_url, pastes[1], reload=True)
                add("file:// embedded, paste to first answer: warm", warm["answer"])
                tab.close()

    report(rows, args)


def report(rows: dict[str, list[float]], args: argparse.Namespace) -> None:
    queries = rows.pop("queries")
    print(
        f"troubleshooter in Chromium: {args.runs} run(s), site of {args.src}, medians (all runs in brackets)\n"
    )
    print(f"| {'measure':<50} | {'median':>12} | runs")
    print(f"|{'-' * 52}|{'-' * 14}|------")
    for name, values in rows.items():
        unit = "B" if "bytes" in name else "ms"
        shown = ", ".join(f"{value:,.0f}" for value in values)
        print(f"| {name:<50} | {median(values):>9,.0f} {unit:>2} | {shown}")
    print(f"| {'further queries (warm): median':<50} | {median(queries):>9,.1f} ms | n={len(queries)}")
    print(f"| {'further queries (warm): p95':<50} | {percentile(queries, 0.95):>9,.1f} ms |")
    bare = median(rows["bare Pyodide, boot + one call: cold"])
    ours = median(rows["our page, paste to first answer: cold"])
    longest = max(rows["our page: longest main-thread task, cold"])
    print()
    print(f"cold paste-to-answer / bare boot+call: {ours / bare:.2f}x (target <= 1.0x)")
    print(
        f"warm queries: median {median(queries):.1f} ms (target <= 30), "
        f"p95 {percentile(queries, 0.95):.1f} ms (target <= 60)"
    )
    print(f"longest main-thread task while booting: {longest:.0f} ms (target <= 50)")
    second = median(rows["second page (instant navigation), paste to first answer"])
    print(f"second troubleshooting page, paste to first answer: {second:.0f} ms (target <= 300)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="cold+warm runs per variant (default 3)")
    parser.add_argument("--queries", type=int, default=50, help="further warm queries per run (default 50)")
    parser.add_argument(
        "--src", type=Path, default=REPO.parent / "shared" / "seed", help="docs folder to build"
    )
    run(parser.parse_args())


if __name__ == "__main__":
    main()
