"""Readers move between pages: the troubleshooter page is in the navigation of a ``toc.yaml`` site, and Material's
instant navigation keeps the booted runtime, so a second troubleshooting page answers without a new boot."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
import shutil
import textwrap
import time
from typing import Any

from browser_harness import (
    RESULT,
    SEARCH_RESULT_LINK,
    WIDGET,
    Tab,
    build_site,
    concrete,
    index_entries,
    search,
    serve,
)
import pytest

from tests.conftest import shared_path

pytestmark = pytest.mark.browser

TOC_YAML = """\
toc:
  properties:
    label: Demo clusters
  entries:
  - topicgroup:
      label: Troubleshooting
      topics:
      - cs_troubleshoot_clusters.md
      - ts-pods.md
"""

TS_PODS = """\
---
copyright:
  years: 2026
lastupdated: "2026-11-24"
---

# Pods
{: #ts-pods}

## Why do my pods stay pending?
{: #ts-pods-pending}
{: troubleshoot}

{: tsSymptoms}
When you describe a pod, you see this event:

```txt
0/3 nodes are available: 3 Insufficient cpu.
```
{: screen}

{: tsCauses}
No worker node has enough free CPU for the pod's requests.

{: tsResolve}
Add worker nodes to the worker pool, or lower the pod's CPU requests.
"""


def click(link: Any) -> None:
    """Click ``link`` through the DOM (a bubbling click event, as the theme's instant navigation listens for)."""
    link.evaluate("(a) => a.click()")


@pytest.fixture(scope="module")
def toc_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A repository with a ``toc.yaml`` (the seed page and a second troubleshooting page), built and served."""
    src = tmp_path_factory.mktemp("toc-src")
    shutil.copy(shared_path("seed") / "cs_troubleshoot_clusters.md", src)
    (src / "ts-pods.md").write_text(textwrap.dedent(TS_PODS), encoding="utf-8")
    (src / "toc.yaml").write_text(TOC_YAML, encoding="utf-8")
    site = build_site(src, tmp_path_factory.mktemp("toc") / "site")
    with serve(site) as server:
        yield site, server.origin


def test_a_second_page_answers_without_a_new_boot(browser: Any, toc_site: tuple[Path, str]) -> None:
    site, origin = toc_site
    first = next(e for e in index_entries(site) if e.get("errors") and "ts-pods" not in e["url"])
    second = next(e for e in index_entries(site) if e["anchor"] == "ts-pods-pending")
    tab = Tab(browser, origin)
    try:
        page = tab.page
        page.goto(f"{origin}/{first['url'].split('#')[0]}")
        tab.answer(concrete(first["errors"][0], 1), timeout=90_000)
        page.evaluate("() => { window.sameDocument = true; }")
        # The toc.yaml navigation lists the second page and the troubleshooter page.
        nav = page.locator("nav.md-nav--primary")
        # A collapsed navigation group hides the link: click it as the reader's click would arrive.
        click(nav.locator("a.md-nav__link[href$='ts-pods.html']").first)
        page.wait_for_url("**/ts-pods.html")
        # The address changes before the theme swaps the content in: wait for the new page's box.
        page.wait_for_selector("#ts-pods", timeout=30_000)
        page.wait_for_selector(f"{WIDGET}[data-troubleshooter-hydrated][data-state=ready]", timeout=30_000)
        started = time.monotonic()
        tab.answer(f"Warning FailedScheduling {second['errors'][0]}", timeout=30_000)
        took = time.monotonic() - started
        assert "ts-pods-pending" in (page.locator(RESULT).first.locator("a").get_attribute("href") or "")
        click(nav.locator("a.md-nav__link", has_text="Troubleshooter").first)
        page.wait_for_url("**/troubleshooter/index.html")
        page.wait_for_selector(f"{WIDGET}[data-troubleshooter-preload][data-troubleshooter-hydrated]")
        tab.answer(concrete(first["errors"][0], 2), timeout=30_000)
        assert page.locator(RESULT).count() == 1
        assert page.evaluate("() => window.sameDocument"), "the page was reloaded"
        boots = page.evaluate("() => performance.getEntriesByName('troubleshooter:boot-start').length")
        wasm = [url for url in tab.guard.inside if url.endswith("pyodide.asm.wasm")]
        assert (boots, len(wasm)) == (1, 1), f"the runtime was started {boots} and fetched {len(wasm)} times"
        print(f"second page: paste to answer {took * 1000:.0f} ms (with the test driver's round trips)")
    finally:
        tab.close()


def test_every_page_of_a_toc_yaml_site_links_to_the_troubleshooter(
    browser: Any, toc_site: tuple[Path, str]
) -> None:
    site, origin = toc_site
    tab = Tab(browser, origin)
    try:
        for name in ("cs_troubleshoot_clusters.html", "ts-pods.html", "index.html"):
            if not (site / name).exists():
                continue
            tab.page.goto(f"{origin}/{name}")
            link = tab.page.locator("nav.md-nav--primary a.md-nav__link", has_text="Troubleshooter")
            assert link.count() >= 1, name
        tab.page.goto(f"{origin}/ts-pods.html")
        own = tab.page.locator(f"{WIDGET} a[data-troubleshooter-page]")
        own.click()
        tab.page.wait_for_url("**/troubleshooter/index.html")
    finally:
        tab.close()


@pytest.mark.parametrize("word", ["troubleshoot", "error"])
def test_search_finds_the_troubleshooter_page(browser: Any, toc_site: tuple[Path, str], word: str) -> None:
    _, origin = toc_site
    tab = Tab(browser, origin)
    try:
        tab.page.goto(f"{origin}/ts-pods.html")
        search(tab, word)
        hrefs = [link.get_attribute("href") or "" for link in tab.page.locator(SEARCH_RESULT_LINK).all()]
        assert [href for href in hrefs if "troubleshooter/index.html" in href], hrefs
    finally:
        tab.close()
