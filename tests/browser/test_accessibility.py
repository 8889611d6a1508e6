"""Accessibility and layout of the pages with the troubleshooter: axe-core finds no violation in the project's
markup (light and dark), the widget causes no layout shift, and without JavaScript the page says what it needs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from browser_harness import NONE, RESULT, WIDGET, Tab, axe_source, concrete, index_entries
import pytest

pytestmark = pytest.mark.browser

#: Rules that fail on the theme's own design, whatever the project's markup, with the reason.
THEME_RULES = {
    # Material colours links in running text and does not underline them (its stylesheet's design).
    "link-in-text-block": "Material's links in text are coloured, not underlined",
    # Material wraps each code block's copy/select buttons in an unnamed <nav>.
    "landmark-unique": "Material's per-code-block button <nav>",
}

# The nodes of each violation that belong to the project: the page content (not the theme's code-block
# buttons) and everything the troubleshooter adds. The header, navigation, search and footer are the theme's.
AXE_JS = """
async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  const ours = (node) =>
    node.closest("[data-troubleshooter], [data-troubleshooter-skip]") ||
    (node.closest("article") && !node.closest(".md-code__nav, .md-clipboard, .md-source-file"));
  return result.violations.map((violation) => ({
    id: violation.id,
    nodes: violation.nodes
      .filter((node) => ours(document.querySelector(node.target[0])))
      .map((node) => `${node.target.join(" ")}: ${node.failureSummary}`),
  })).filter((violation) => violation.nodes.length);
}
"""


def violations(tab: Tab) -> list[str]:
    tab.page.add_script_tag(content=axe_source())
    found: list[dict[str, Any]] = tab.page.evaluate(AXE_JS)
    return [f"{v['id']}: {node}" for v in found if v["id"] not in THEME_RULES for node in v["nodes"]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_in_the_project_markup(
    browser: Any, origin: str, seed_site: Path, scheme: str
) -> None:
    entry = next(e for e in index_entries(seed_site) if e.get("errors"))
    page_path = entry["url"].split("#")[0]
    tab = Tab(browser, origin, color_scheme=scheme)
    try:
        found = []
        tab.page.goto(f"{origin}/index.html")
        found += [f"index.html {v}" for v in violations(tab)]
        tab.page.goto(f"{origin}/{page_path}")
        tab.answer(concrete(entry["errors"][0], 1), timeout=90_000)
        assert tab.page.locator(RESULT).count() == 1
        found += [f"{page_path} {v}" for v in violations(tab)]
        tab.page.goto(f"{origin}/troubleshooter/index.html")
        tab.answer("my coffee machine is out of beans", timeout=90_000)
        assert tab.page.locator(NONE).count() == 1
        found += [f"troubleshooter/ {v}" for v in violations(tab)]
        assert not found, "\n".join(found)
    finally:
        tab.close()


LAYOUT_SHIFT_JS = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) {
      window.__shifts.push([entry.value, entry.sources.map((s) => s.node && (s.node.className || s.node.nodeName))]);
    }
  }
}).observe({type: "layout-shift", buffered: true});
"""


def test_the_widget_causes_no_layout_shift(browser: Any, origin: str, seed_site: Path) -> None:
    entry = next(e for e in index_entries(seed_site) if e.get("errors"))
    tab = Tab(browser, origin)
    try:
        tab.context.add_init_script(LAYOUT_SHIFT_JS)
        for path in (entry["url"].split("#")[0], "troubleshooter/index.html"):
            tab.page.goto(f"{origin}/{path}")
            tab.page.wait_for_selector(f"{WIDGET}[data-state=ready]", timeout=90_000)
            tab.page.wait_for_timeout(500)
            shifts = tab.page.evaluate("() => window.__shifts")
            assert not shifts, f"{path}: layout shifts (value, moved elements) {shifts}"
    finally:
        tab.close()


def test_without_javascript_the_page_says_it_needs_it(browser: Any, origin: str) -> None:
    tab = Tab(browser, origin, java_script_enabled=False)
    try:
        tab.page.goto(f"{origin}/troubleshooter/index.html")
        text = tab.page.locator(WIDGET).inner_text()
        assert "The troubleshooter needs JavaScript." in text
        assert "<noscript>" not in tab.page.locator("article").inner_text()
    finally:
        tab.close()
