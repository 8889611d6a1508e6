"""Material's search on the seed site: opened from ``file://`` (see :mod:`troubledocs.material.file_search`) and served
with its compressed index (see :mod:`troubledocs.material.compressed_search`).

The ``embed_runtime`` build searches from ``file://``; the default build says in the search box how to get search,
with no page error. Over http the worker shim stays out of the way, and the search worker loads the compressed
index, also from a server that sends ``.gz`` files with ``Content-Encoding: gzip``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from browser_harness import RESULT, SEARCH_QUERY, Tab, a_section, concrete, error_anchors, search, serve
import pytest

pytestmark = pytest.mark.browser

SEED_PAGE = "cs_troubleshoot_clusters.html"
SEARCH_META = ".md-search-result__meta"


def test_the_embedded_build_searches_from_a_file_url(browser: Any, embedded_site: Path) -> None:
    section = a_section(embedded_site, SEED_PAGE)
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
        query = tab.page.locator(SEARCH_QUERY)
        tab.page.wait_for_function(f"() => document.querySelector('{SEARCH_QUERY}').disabled")
        assert query.get_attribute("placeholder") == "Search needs a web server"
        meta = tab.page.locator(SEARCH_META).inner_text()
        assert "http.server" in meta and "embed_runtime" in meta
    finally:
        tab.close()  # no page error: the theme did not fail to load the index or start the worker


def test_over_http_the_browser_worker_is_untouched_and_search_works(
    tab: Tab, origin: str, seed_site: Path
) -> None:
    section = a_section(seed_site, SEED_PAGE)
    tab.page.goto(f"{origin}/{SEED_PAGE}")
    assert tab.page.evaluate("() => Worker.name") == "Worker"
    links = search(tab, section["title"])
    assert section["location"] in links, links
    assert not [url for url in tab.guard.inside if url.endswith((".embedded.js", "search_index.js"))]
    # The page fetched the index without its documents; the worker fetched them, compressed.
    assert json.loads((seed_site / "search/search_index.json").read_text(encoding="utf-8"))["docs"] == []
    assert f"{origin}/search/search_index.json.gz" in tab.guard.inside
    assert [url for url in tab.guard.inside if "/workers/search." in url and "?v=" in url]


def test_a_server_that_decompresses_gz_files_serves_search_and_the_troubleshooter(
    browser: Any, seed_site: Path
) -> None:
    section = a_section(seed_site, SEED_PAGE)
    error, anchors = next(iter(error_anchors(seed_site).items()))
    with serve(seed_site, gzip_encoding=True) as server:
        tab = Tab(browser, server.origin)
        try:
            tab.page.goto(f"{server.origin}/{SEED_PAGE}")
            assert section["location"] in search(tab, section["title"])
            tab.page.keyboard.press("Escape")
            tab.answer(concrete(error, 1))
            href = tab.page.locator(f"{RESULT} a").first.get_attribute("href") or ""
            assert href.rsplit("#", 1)[-1] in anchors, href
        finally:
            tab.close()
