"""The troubleshooter in Chromium, on the seed site built by ``troubledocs build`` with the real matcher.

The expected answers come from the built site's own index: each error of the seed page, pasted with
concrete values and log noise, must rank its own section first.
"""

from __future__ import annotations

from pathlib import Path
import re
import socket
import subprocess
import sys
import time
from typing import Any
import urllib.request

from browser_harness import (
    INPUT,
    NONE,
    NUMBER,
    PLACEHOLDER,
    RESULT,
    WIDGET,
    Tab,
    concrete,
    error_anchors,
    index_entries,
)
import pytest

from tests.conftest import shared_path

pytestmark = pytest.mark.browser

OUTPUT = Path(__file__).resolve().parent.parent / "output"
ANSWER_TIMEOUT = 90_000


def top_result(tab: Tab) -> dict[str, Any]:
    result = tab.page.locator(RESULT).first
    return {
        "href": result.locator("a").first.get_attribute("href") or "",
        "title": result.locator("a").first.inner_text(),
        "evidence": result.locator("blockquote").inner_text() if result.locator("blockquote").count() else "",
        "captures": result.locator("dd").all_inner_texts(),
    }


def test_the_dedicated_page_preloads_the_runtime_when_idle(ready_tab: Tab) -> None:
    page = ready_tab.page
    assert page.evaluate("() => !document.activeElement.matches('[data-troubleshooter-input]')")
    assert [url for url in ready_tab.guard.inside if url.endswith("/pyodide/pyodide.asm.wasm")]


def test_every_seed_error_ranks_its_section_first(ready_tab: Tab, seed_site: Path) -> None:
    by_error = error_anchors(seed_site)
    assert by_error, "the seed index has no error messages to paste"
    failures = []
    for salt, (error, anchors) in enumerate(sorted(by_error.items())):
        paste = concrete(error, salt)
        ready_tab.answer(paste, timeout=ANSWER_TIMEOUT)
        if ready_tab.page.locator(RESULT).count() == 0:
            failures.append(f"no result for {paste!r}")
            continue
        top = top_result(ready_tab)
        anchor = top["href"].rsplit("#", 1)[-1]
        if anchor not in anchors:
            failures.append(f"{paste!r}: top result #{anchor}, expected one of {sorted(anchors)}")
        # Captured values are read from the paste, not from the docs.
        failures.extend(
            f"{paste!r}: captured {value!r}, which is not in the paste"
            for value in top["captures"]
            if value not in paste
        )
    assert not failures, "\n".join(failures)


def test_pasted_markup_stays_text(ready_tab: Tab, seed_site: Path) -> None:
    error = next(e for entry in index_entries(seed_site) for e in entry.get("errors", []))
    markup = '<img src=x onerror="window.__pwned = 1"><script>window.__pwned = 2</script>'
    ready_tab.answer(f"{markup}\n{error}")
    page = ready_tab.page
    widget = page.locator(WIDGET)
    assert widget.locator("img, script").count() == 0
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator(INPUT).input_value() == f"{markup}\n{error}"
    assert (
        widget.locator(
            ".troubleshooter__results *:not(mark, li, ol, a, div, span, blockquote, dl, dt, dd, p)"
        ).count()
        == 0
    )


def test_unrelated_text_gets_the_no_match_answer(ready_tab: Tab) -> None:
    ready_tab.answer("zqxv plokij wubba 0xdeadbeef frobnicate the quux")
    none = ready_tab.page.locator(NONE)
    assert none.is_visible()
    assert "No matching section" in none.inner_text()
    assert ready_tab.page.locator(RESULT).count() == 0


def test_a_huge_paste_is_shown_capped_and_matched_whole(ready_tab: Tab, seed_site: Path) -> None:
    error = next(e for entry in index_entries(seed_site) for e in entry.get("errors", []))
    # The error is at the end, past what the box shows: the worker gets the whole paste.
    huge = "x" * (10 * 1024 * 1024) + "\n" + error
    ready_tab.answer(huge)
    page = ready_tab.page
    assert len(page.locator(INPUT).input_value()) <= 20_000
    assert "reads all of it" in page.locator(".troubleshooter__notice").inner_text()
    assert page.locator(RESULT).count() >= 1


def test_troubleshooting_page_boots_on_focus_and_links_to_the_section(
    tab: Tab, origin: str, seed_site: Path
) -> None:
    page = tab.page
    entry = next(entry for entry in index_entries(seed_site) if entry.get("errors"))
    page_url = f"{origin}/{entry['url'].split('#')[0]}"
    page.goto(page_url)
    widget = page.locator(WIDGET)
    assert widget.get_attribute("data-state") == "idle"
    assert not [url for url in tab.guard.inside if "/pyodide/" in url], "Pyodide loaded on page view"
    # Keyboard: tab to the box; focusing it starts the boot, with a visible progress state.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('[data-troubleshooter-input]')"):
            break
    else:
        pytest.fail("the troubleshooter box is not reachable with the keyboard")
    page.wait_for_selector(f"{WIDGET}[data-state=loading] progress:visible", timeout=10_000)
    page.wait_for_selector(f"{WIDGET}[data-state=ready]", timeout=ANSWER_TIMEOUT)
    tab.answer(concrete(entry["errors"][0], 3))
    link = page.locator(f"{RESULT} a").first
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#"))
    anchor = page.url.rsplit("#", 1)[-1]
    assert page.locator(f"[id='{anchor}']").count() == 1
    assert [url for url in tab.guard.inside if url.endswith("pyodide.asm.wasm")], "worker requests not seen"


def test_dark_and_light_schemes_and_mobile(browser: Any, origin: str, seed_site: Path) -> None:
    OUTPUT.mkdir(exist_ok=True)
    # The screenshot shows values captured from the paste: take the shortest error with a placeholder or number.
    errors = [e for entry in index_entries(seed_site) for e in entry.get("errors", [])]
    error = min((e for e in errors if PLACEHOLDER.search(e) or NUMBER.search(e)), key=len, default=errors[0])
    colours = {}
    for scheme, viewport in (
        ("light", {"width": 1100, "height": 900}),
        ("dark", {"width": 390, "height": 844}),
    ):
        tab = Tab(browser, origin, color_scheme=scheme, viewport=viewport)
        try:
            tab.page.goto(f"{origin}/troubleshooter/")
            tab.answer(concrete(error, 5), timeout=ANSWER_TIMEOUT)
            widget = tab.page.locator(WIDGET)
            colours[scheme] = widget.evaluate(
                "(root) => [getComputedStyle(root).backgroundColor, getComputedStyle(root).color,"
                " document.body.getAttribute('data-md-color-scheme')]"
            )
            box = widget.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
            widget.screenshot(path=str(OUTPUT / f"troubleshooter-{scheme}.png"))
        finally:
            tab.close()
    assert colours["light"][2] == "default" and colours["dark"][2] == "slate"
    assert colours["light"][0] != colours["dark"][0]
    assert colours["light"][1] != colours["dark"][1]


def test_file_url_without_embedding_says_how_to_serve(browser: Any, seed_site: Path) -> None:
    tab = Tab(browser, None)
    try:
        tab.page.goto((seed_site / "troubleshooter" / "index.html").as_uri())
        tab.page.locator(INPUT).focus()
        tab.page.wait_for_selector(f"{WIDGET}[data-state=error]", timeout=10_000)
        assert "http.server" in tab.page.locator(".troubleshooter__status").inner_text()
    finally:
        tab.close()


def test_file_url_with_embedded_runtime_answers(browser: Any, embedded_site: Path) -> None:
    error = next(e for entry in index_entries(embedded_site) for e in entry.get("errors", []))
    tab = Tab(browser, None)
    try:
        tab.page.goto((embedded_site / "troubleshooter" / "index.html").as_uri())
        tab.answer(concrete(error, 7), timeout=ANSWER_TIMEOUT)
        assert tab.page.locator(RESULT).count() >= 1
        assert tab.page.locator(WIDGET).get_attribute("data-state") == "ready"
        # A real worker, though the page's Worker is the file:// shim (troubledocs.file_search), not the main thread.
        kind = "() => Object.prototype.toString.call(globalThis.troubleshooterClient.worker)"
        assert tab.page.evaluate(kind) == "[object Worker]"
        assert tab.page.evaluate("() => Worker.name") == "FileUrlWorker"
    finally:
        tab.close()


def test_instant_navigation_hydrates_the_new_page_and_keeps_one_runtime(
    tab: Tab, origin: str, seed_site: Path
) -> None:
    entry = next(entry for entry in index_entries(seed_site) if entry.get("errors"))
    page = tab.page
    page.goto(f"{origin}/{entry['url'].split('#')[0]}")
    tab.answer(concrete(entry["errors"][0], 11), timeout=ANSWER_TIMEOUT)
    # What Material's instant navigation does: swap the content in place, then emit on document$.
    page.evaluate(
        """async () => {
          window.sameDocument = true;
          const html = await (await fetch('troubleshooter/index.html')).text();
          const next = new DOMParser().parseFromString(html, 'text/html');
          document.querySelector('article').replaceWith(next.querySelector('article'));
          document$.next(document);
        }"""
    )
    page.wait_for_selector(f"{WIDGET}[data-state=ready] {INPUT}")
    tab.answer(concrete(entry["errors"][0], 12), timeout=ANSWER_TIMEOUT)
    assert page.locator(RESULT).count() >= 1
    assert page.evaluate("() => window.sameDocument")
    wasm = [url for url in tab.guard.inside if url.endswith("pyodide.asm.wasm")]
    boots = page.evaluate("() => performance.getEntriesByName('troubleshooter:boot-start').length")
    assert (boots, len(wasm)) == (1, 1), f"the runtime was started {boots} and fetched {len(wasm)} times"


def test_a_runtime_that_fails_to_load_is_reported(tab: Tab, origin: str, seed_site: Path) -> None:
    error = next(e for entry in index_entries(seed_site) for e in entry.get("errors", []))
    tab.context.route("**/pyodide.asm.wasm", lambda route: route.fulfill(status=404, body="gone"))
    page = tab.page
    page.goto(f"{origin}/{index_entries(seed_site)[0]['url'].split('#')[0]}")
    tab.paste(concrete(error, 13))
    page.wait_for_selector(f"{WIDGET}[data-state=error]", timeout=ANSWER_TIMEOUT)
    assert "could not start" in page.locator(".troubleshooter__status").inner_text()
    # The paste that started the boot is answered too: with the failure, not silence.
    assert "Matching failed" in page.locator(".troubleshooter__notice").inner_text()


def test_troubledocs_serve_serves_a_working_troubleshooter(browser: Any, seed_site: Path) -> None:
    source = shared_path("seed")  # serve builds from the sources itself
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "troubledocs",
            "serve",
            str(source),
            "-a",
            f"127.0.0.1:{port}",
            "--no-livereload",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    origin = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{origin}/troubleshooter/", timeout=2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        f"troubledocs serve did not start: {server.stderr.read()!r}"
                    ) from None
                time.sleep(0.3)
        error = next(e for entry in index_entries(seed_site) for e in entry.get("errors", []))
        tab = Tab(browser, origin)
        try:
            tab.page.goto(f"{origin}/{index_entries(seed_site)[0]['url'].split('#')[0]}")
            tab.answer(concrete(error, 17), timeout=ANSWER_TIMEOUT)
            assert tab.page.locator(RESULT).count() >= 1
        finally:
            tab.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
