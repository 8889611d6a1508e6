"""Material's search on the seed site opened from ``file://`` (see :mod:`troubledocs.file_search`).

The ``embed_runtime`` build searches from ``file://``; the default build says in the search box how to get search,
with no page error. Over http the worker shim stays out of the way.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from browser_harness import Tab
import pytest

pytestmark = pytest.mark.browser

SEED_PAGE = "cs_troubleshoot_clusters.html"
QUERY = "[data-md-component=search-query]"
RESULT_LINK = "a.md-search-result__link"
SEARCH_META = ".md-search-result__meta"


def a_section(site: Path) -> dict[str, Any]:
    """The seed page's section with the longest title in the site's search index."""
    data = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    sections = [doc for doc in data["docs"] if doc["location"].startswith(f"{SEED_PAGE}#")]
    assert sections, "the seed page has no sections in the search index"
    section: dict[str, Any] = max(sections, key=lambda doc: len(doc["title"]))
    return section


def search(tab: Tab, text: str) -> list[str]:
    """Type ``text`` into Material's search box; return the results as ``page.html#anchor`` (no highlight query)."""
    page = tab.page
    page.locator(QUERY).click()
    page.keyboard.type(text)
    page.wait_for_selector(RESULT_LINK, timeout=30_000)
    links = [urlsplit(link.get_attribute("href") or "") for link in page.locator(RESULT_LINK).all()]
    return [f"{link.path.rsplit('/', 1)[-1]}#{link.fragment}" for link in links]


def test_the_embedded_build_searches_from_a_file_url(browser: Any, embedded_site: Path) -> None:
    section = a_section(embedded_site)
    tab = Tab(browser, None)
    try:
        tab.page.goto((embedded_site / SEED_PAGE).as_uri())
        links = search(tab, section["title"])
        assert section["location"] in links, links
        # Material's search worker runs in a real worker made from the embedded source, not in an <iframe>.
        assert tab.page.evaluate("() => document.querySelectorAll('iframe').length") == 0
        assert tab.page.evaluate("() => Object.keys(globalThis.troubledocsWorkerSources)") == [
            (embedded_site / "assets/javascripts/workers").as_uri() + "/" + name
            for name in sorted(p.name for p in (embedded_site / "assets/javascripts/workers").iterdir())
            if name.endswith(".embedded.js")
        ]
    finally:
        tab.close()


def test_the_default_build_explains_that_search_needs_a_server(browser: Any, seed_site: Path) -> None:
    tab = Tab(browser, None)
    try:
        tab.page.goto((seed_site / SEED_PAGE).as_uri())
        query = tab.page.locator(QUERY)
        tab.page.wait_for_function(f"() => document.querySelector('{QUERY}').disabled")
        assert query.get_attribute("placeholder") == "Search needs a web server"
        meta = tab.page.locator(SEARCH_META).inner_text()
        assert "http.server" in meta and "embed_runtime" in meta
    finally:
        tab.close()  # no page error: the theme did not fail to load the index or start the worker


def test_over_http_the_browser_worker_is_untouched_and_search_works(
    tab: Tab, origin: str, seed_site: Path
) -> None:
    section = a_section(seed_site)
    tab.page.goto(f"{origin}/{SEED_PAGE}")
    assert tab.page.evaluate("() => Worker.name") == "Worker"
    links = search(tab, section["title"])
    assert section["location"] in links, links
    assert not [url for url in tab.guard.inside if url.endswith((".embedded.js", "search_index.js"))]
