"""The seed site under a strict Content-Security-Policy: no violation, and the troubleshooter still answers.

The server sends :data:`troubledocs.material.csp.POLICY` with every response (the pages, the workers' scripts, Pyodide's
files) plus a ``report-uri``, so that a violation anywhere, in a worker too, is reported back to it. The page's own
``securitypolicyviolation`` events and Chromium's console messages are collected as well.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from browser_harness import (
    RESULT,
    WIDGET,
    LocalServer,
    Tab,
    a_section,
    concrete,
    error_anchors,
    search,
    serve,
)
import pytest
from troubledocs.material.csp import POLICY

pytestmark = pytest.mark.browser

REPORTS = "/csp-report"
SEED_PAGE = "cs_troubleshoot_clusters.html"
# Installed before any page script runs (Playwright injects it outside the page's policy).
COLLECT_JS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.effectiveDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture(scope="module")
def csp_server(seed_site: Path) -> Iterator[LocalServer]:
    with serve(seed_site, {"Content-Security-Policy": f"{POLICY}; report-uri {REPORTS}"}) as server:
        yield server


class Violations:
    """Everything that says the policy refused something, in one tab."""

    def __init__(self, tab: Tab, server: LocalServer) -> None:
        self.tab = tab
        self.server = server
        self.console: list[str] = []
        tab.context.add_init_script(COLLECT_JS)
        tab.context.on("console", self._console)

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def reports(self) -> list[str]:
        return [body.decode() for path, body in self.server.posted if path == REPORTS]

    def all(self) -> list[str]:
        events: list[str] = self.tab.page.evaluate("() => window.__violations")
        return [*events, *self.console, *self.reports()]


def test_the_site_works_under_a_strict_policy(browser: Any, csp_server: LocalServer, seed_site: Path) -> None:
    tab = Tab(browser, csp_server.origin)
    violations = Violations(tab, csp_server)
    page = tab.page
    page.goto(f"{csp_server.origin}/{SEED_PAGE}")
    # Material's scripts ran (they were inline in the template) and its icons come from the site's files.
    assert page.evaluate("() => typeof __md_get") == "function"
    icon = page.evaluate(
        "() => getComputedStyle(document.body).getPropertyValue('--md-admonition-icon--note')"
    )
    assert "td-icons/" in icon

    error, anchors = next(iter(error_anchors(seed_site).items()))
    tab.answer(concrete(error, 3))
    result = page.locator(RESULT).first
    assert result.count() == 1, "no answer under the policy"
    href = result.locator("a").first.get_attribute("href") or ""
    assert href.rsplit("#", 1)[-1] in anchors

    # Material's search: its worker fetches and unpacks the compressed index under the policy too.
    section = a_section(seed_site, SEED_PAGE)
    assert section["location"] in search(tab, section["title"])

    page.goto(f"{csp_server.origin}/troubleshooter/index.html")
    page.wait_for_selector(f"{WIDGET}[data-state=ready]", timeout=90_000)
    page.goto(f"{csp_server.origin}/404.html")
    assert violations.all() == []
    tab.close()


def test_a_violation_would_be_seen(browser: Any, csp_server: LocalServer) -> None:
    """The collectors above are live: an inline script added to the page is refused, and reported."""
    tab = Tab(browser, csp_server.origin)
    violations = Violations(tab, csp_server)
    before = len(violations.reports())
    tab.page.goto(f"{csp_server.origin}/{SEED_PAGE}")
    tab.page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__ran = true";
          document.body.append(script);
        }"""
    )
    assert tab.page.evaluate("() => window.__ran") is None
    tab.page.wait_for_function("() => window.__violations.length > 0")
    for _ in range(50):  # the report is POSTed asynchronously
        if len(violations.reports()) > before:
            break
        tab.page.wait_for_timeout(100)
    assert len(violations.reports()) > before
    assert any("script-src" in text for text in violations.all())
    tab.close()
