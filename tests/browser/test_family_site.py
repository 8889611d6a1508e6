"""The troubleshooter of a multi-repository site in Chromium: a paste that belongs to another product's section is
answered from the one index over all the products, the product shown, and the product filter narrows it."""

from __future__ import annotations

from collections.abc import Iterator
import subprocess
import sys

from browser_harness import ANSWERED, RELATED, RESULT, SEARCH_RESULT_LINK, WIDGET, Tab, search, serve
import pytest

from tests.test_family import make_repository

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def family_origin(tmp_path_factory: pytest.TempPathFactory, browser: object) -> Iterator[str]:
    root = tmp_path_factory.mktemp("family")
    repos = [make_repository(root / "src", "alpha", "beta"), make_repository(root / "src", "beta", "alpha")]
    site = root / "site"
    command = [sys.executable, "-m", "troubledocs", "build", *map(str, repos), "-o", str(site)]
    result = subprocess.run(
        [*command, "--shards", str(root / "shards")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    with serve(site) as server:
        yield server.origin


def test_a_paste_of_another_product_is_answered_from_the_combined_index(
    browser: object, family_origin: str
) -> None:
    tab = Tab(browser, family_origin)
    try:
        page = tab.page
        # On alpha's troubleshooting page, an error of beta's agent.
        page.goto(f"{family_origin}/alpha/ts-agent.html")
        tab.answer("2024-05-01T10:00:00Z Error: beta collector cannot reach endpoint")
        top = page.locator(RESULT).first
        link = top.locator("a").first
        assert link.get_attribute("href") == f"{family_origin}/beta/ts-agent.html#ts-beta-agent"
        assert "Product BETA" in top.inner_text()
        # The filter lists both products; keeping to alpha answers with alpha's section only.
        page.wait_for_selector(f"{WIDGET} [data-troubleshooter-filter]:visible")
        options = page.locator(f"{WIDGET} [data-troubleshooter-filter] option").all_inner_texts()
        assert options == ["All products", "Product ALPHA", "Product BETA"]
        page.locator(f"{WIDGET} .troubleshooter__results").evaluate("(node) => node.replaceChildren()")
        page.locator(f"{WIDGET} [data-troubleshooter-filter]").select_option("Product ALPHA")
        page.wait_for_selector(ANSWERED, timeout=90_000)
        hrefs = [a.get_attribute("href") or "" for a in page.locator(f"{RESULT} a, {RELATED} a").all()]
        assert all("/alpha/" in href for href in hrefs)
        # The page that the answer links to opens.
        page.goto(f"{family_origin}/beta/ts-agent.html#ts-beta-agent")
        assert page.locator("#ts-beta-agent").count() == 1
    finally:
        tab.close()


def test_one_search_finds_the_pages_of_every_product(browser: object, family_origin: str) -> None:
    tab = Tab(browser, family_origin)
    try:
        tab.page.goto(f"{family_origin}/alpha/index.html")
        search(tab, "beta collector")  # on a page of alpha
        hrefs = [link.get_attribute("href") or "" for link in tab.page.locator(SEARCH_RESULT_LINK).all()]
        # Pages of both products, at their own URLs.
        assert any("/beta/ts-agent.html" in href for href in hrefs), hrefs
        assert any("/alpha/about.html" in href for href in hrefs), hrefs
    finally:
        tab.close()
