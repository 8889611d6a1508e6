"""The interface switch in a built site: the reader picks an interface once and every page follows it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from browser_harness import Tab, build_site, serve
import pytest

pytestmark = pytest.mark.browser

PAGE = """# {title}
{{: #{ident}}}

Intro for everyone.

## From the console
{{: #{ident}-ui}}
{{: ui}}

Click Create in the console.

## From the CLI
{{: #{ident}-cli}}
{{: cli}}

Run the create command.

## Afterwards

Check the result.
"""


@pytest.fixture(scope="module")
def switch_origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    src = tmp_path_factory.mktemp("switch") / "docs"
    src.mkdir()
    (src / "index.md").write_text(PAGE.format(title="First", ident="first"))
    (src / "second.md").write_text(
        PAGE.format(title="Second", ident="second") + "\n[First, UI](/docs/x?topic=x-first&interface=ui)\n"
    )
    (src / "toc.yaml").write_text(
        "toc:\n  properties:\n    subcollection: x\n  entries:\n  - index.md\n  - second.md\n"
    )
    site = build_site(src, Path(str(src) + "-site"))
    with serve(site) as server:
        yield server.origin


def shown(tab: Tab, text: str) -> bool:
    return bool(tab.page.get_by_text(text).is_visible())


def test_choice_applies_to_every_page_and_is_remembered(browser: Any, switch_origin: str) -> None:
    tab = Tab(browser, switch_origin)
    try:
        tab.page.goto(f"{switch_origin}/index.html")
        buttons = tab.page.locator(".td-interface-switch button")
        assert buttons.all_inner_texts() == ["UI", "CLI"]
        # The first interface is chosen until the reader picks one.
        assert shown(tab, "Click Create in the console.") and not shown(tab, "Run the create command.")
        tab.page.get_by_role("button", name="CLI").click()
        assert shown(tab, "Run the create command.") and not shown(tab, "Click Create in the console.")
        assert shown(tab, "Intro for everyone.") and shown(tab, "Check the result.")
        tab.page.goto(f"{switch_origin}/second.html")
        assert shown(tab, "Run the create command.") and not shown(tab, "Click Create in the console.")
        assert tab.page.get_by_role("button", name="CLI").get_attribute("aria-pressed") == "true"
        # A link that names an interface selects it (and the choice sticks).
        tab.page.get_by_role("link", name="First, UI").click()
        tab.page.wait_for_url("**/index.html?interface=ui")
        # Instant navigation changes the address before it swaps the page in: wait for the switch to act.
        tab.page.get_by_text("Run the create command.").wait_for(state="hidden")
        assert shown(tab, "Click Create in the console.") and not shown(tab, "Run the create command.")
        tab.page.goto(f"{switch_origin}/second.html")
        assert shown(tab, "Click Create in the console.")
    finally:
        tab.close()
