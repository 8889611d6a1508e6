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
    RELATED,
    RESULT,
    UNSURE,
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
            ".troubleshooter__results *:not(mark, li, ol, ul, a, div, span, strong, blockquote, dl, dt, dd, p)"
        ).count()
        == 0
    )


def test_unrelated_text_gets_the_no_match_answer(ready_tab: Tab) -> None:
    ready_tab.answer("zqxv plokij wubba 0xdeadbeef frobnicate the quux")
    none = ready_tab.page.locator(NONE)
    assert none.is_visible()
    assert "Nothing in these docs matches this error" in none.inner_text()
    assert ready_tab.page.locator(f"{RESULT}, {RELATED}").count() == 0
    assert ready_tab.page.locator(".troubleshooter__status").inner_text() == "No match in these docs."


def test_a_huge_paste_is_shown_capped_and_matched_whole(ready_tab: Tab, seed_site: Path) -> None:
    error = next(e for entry in index_entries(seed_site) for e in entry.get("errors", []))
    # The error is at the end, past what the box shows: the worker gets the whole paste.
    huge = "x" * (10 * 1024 * 1024) + "\n" + error
    ready_tab.answer(huge)
    page = ready_tab.page
    assert len(page.locator(INPUT).input_value()) <= 20_000
    assert "reads all of it" in page.locator(".troubleshooter__notice").inner_text()
    assert page.locator(RESULT).count() >= 1


def test_troubleshooting_page_boots_when_the_box_is_in_view_and_links_to_the_section(
    tab: Tab, origin: str, seed_site: Path
) -> None:
    page = tab.page
    entry = next(entry for entry in index_entries(seed_site) if entry.get("errors"))
    page_url = f"{origin}/{entry['url'].split('#')[0]}"
    # The box is below the fold of a short window: nothing loads until it scrolls into view.
    page.set_viewport_size({"width": 1100, "height": 120})
    page.goto(page_url)
    widget = page.locator(WIDGET)
    page.wait_for_timeout(1500)
    assert widget.get_attribute("data-state") == "idle"
    assert not [url for url in tab.guard.inside if "/pyodide/" in url], (
        "Pyodide loaded before the box was seen"
    )
    page.set_viewport_size({"width": 1100, "height": 900})
    # Keyboard: the skip link is the second Tab stop (after the theme's "Skip to content") and reaches the box.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to the troubleshooter"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.matches('[data-troubleshooter-input]')")
    page.wait_for_selector(f"{WIDGET}[data-state=ready]", timeout=ANSWER_TIMEOUT)
    tab.answer(concrete(entry["errors"][0], 3))
    link = page.locator(f"{RESULT} a").first
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#"))
    anchor = page.url.rsplit("#", 1)[-1]
    assert page.locator(f"[id='{anchor}']").count() == 1
    assert [url for url in tab.guard.inside if url.endswith("pyodide.asm.wasm")], "worker requests not seen"


#: Pastes for the answer states that do not depend on the docs: no evidence at all, and a traceback that shares
#: a few words with the seed page's messages but none of them.
NOTHING = "my coffee machine is out of beans"
UNSURE_PASTE = (
    'Traceback (most recent call last):\n  File "x.py", line 3, in <module>\n    import foo\n'
    "ModuleNotFoundError: No module named foo\nerror: cluster not found"
)


def test_the_three_answer_states_in_light_and_dark(browser: Any, origin: str, seed_site: Path) -> None:
    """A confident answer (section, page title, first step of the fix, only meaningful captures), "no confident
    match" with a few quieter links, "nothing matches"; screenshots of each in both schemes (tests/output)."""
    OUTPUT.mkdir(exist_ok=True)
    entry = next(e for e in index_entries(seed_site) if e.get("errors") and e.get("resolution"))
    states = {"confident": concrete(entry["errors"][0], 5), "unsure": UNSURE_PASTE, "none": NOTHING}
    colours = {}
    for scheme, viewport in (
        ("light", {"width": 1100, "height": 900}),
        ("dark", {"width": 390, "height": 844}),
    ):
        tab = Tab(browser, origin, color_scheme=scheme, viewport=viewport)
        try:
            page = tab.page
            page.goto(f"{origin}/troubleshooter/")
            widget = page.locator(WIDGET)
            for state, paste in states.items():
                tab.answer(paste, timeout=ANSWER_TIMEOUT)
                results = widget.locator(".troubleshooter__results")
                assert results.get_attribute("data-troubleshooter-verdict") == state, paste
                text = widget.inner_text()
                assert "medium" not in text and "score" not in text
                assert ".md" not in text, "a file name is shown instead of a title"
                if state == "confident":
                    top = page.locator(RESULT)
                    assert top.count() == 1
                    assert entry["page_title"] in top.inner_text()
                    assert top.locator(".troubleshooter__fix").inner_text().startswith("How to fix it: ")
                    assert page.locator(RELATED).count() <= 3
                    status = "Found the section that describes this error."
                elif state == "unsure":
                    assert page.locator(RESULT).count() == 0
                    assert 1 <= page.locator(RELATED).count() <= 3
                    assert page.locator(UNSURE).is_visible()
                    status = "No confident match."
                else:
                    assert page.locator(f"{RESULT}, {RELATED}").count() == 0
                    assert page.locator(NONE).is_visible()
                    status = "No match in these docs."
                assert widget.locator(".troubleshooter__status").inner_text() == status
                box = widget.bounding_box()
                assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
                widget.screenshot(path=str(OUTPUT / f"troubleshooter-{state}-{scheme}.png"))
            colours[scheme] = widget.evaluate(
                "(root) => [getComputedStyle(root).backgroundColor, getComputedStyle(root).color,"
                " document.body.getAttribute('data-md-color-scheme')]"
            )
        finally:
            tab.close()
    assert colours["light"][2] == "default" and colours["dark"][2] == "slate"
    assert colours["light"][0] != colours["dark"][0]
    assert colours["light"][1] != colours["dark"][1]


def test_escape_clears_the_box_and_ctrl_z_brings_the_paste_back(ready_tab: Tab) -> None:
    page = ready_tab.page
    ready_tab.answer(NOTHING)
    page.locator(INPUT).focus()
    page.keyboard.press("Escape")
    assert page.locator(INPUT).input_value() == ""
    assert "Ctrl+Z" in page.locator(".troubleshooter__status").inner_text()
    page.keyboard.press("Control+z")
    assert page.locator(INPUT).input_value() == NOTHING


def test_file_url_without_embedding_says_how_to_serve(browser: Any, seed_site: Path) -> None:
    tab = Tab(browser, None)
    try:
        tab.page.goto((seed_site / "troubleshooter" / "index.html").as_uri())
        tab.page.wait_for_selector(f"{WIDGET}[data-state=error]", timeout=10_000)
        tab.paste("FAILED: The location provided for this order is invalid.")
        tab.page.wait_for_timeout(500)
        status = tab.page.locator(".troubleshooter__status").inner_text()
        assert "http.server" in status
        # One message: the paste adds no second copy of it.
        assert tab.page.locator(WIDGET).inner_text().count("file://") == 1
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
        # A real worker, though the page's Worker is the file:// shim (troubledocs.material.file_search), not the main thread.
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
    # Told once, on the status line (the paste that waited for the runtime adds no second copy).
    assert "could not start" in page.locator(".troubleshooter__status").inner_text()
    assert page.locator(".troubleshooter__notice").inner_text() == ""


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
