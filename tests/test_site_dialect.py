"""Tabbed tables, the interface switch and tutorial steps, rendered by the full renderer."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from troubledocs.renderer import Renderer

TABLES = """# Flavors

| Name | Cores |
| --- | --- |
| b3c | 4 |
{: caption="Virtual flavors." caption-side="bottom"}
{: tab-title="Virtual"}
{: tab-group="ams"}



| Name | Cores |
| --- | --- |
| mb4c | 20 |
{: tab-title="Physical"}
{: tab-group="ams"}

| Alone |
| --- |
| x |
{: tab-title="Only"}
{: tab-group="single"}
"""


def test_tables_sharing_a_tab_group_become_material_tabs() -> None:
    html = Renderer().render(TABLES, "flavors.md").html
    assert html.count('class="tabbed-set tabbed-alternate td-tabbed-tables"') == 1
    labels = re.findall(r'<label for="(__tabbed_td1_\d)">([^<]*)</label>', html)
    assert labels == [("__tabbed_td1_1", "Virtual"), ("__tabbed_td1_2", "Physical")]
    assert re.findall(r'<input( checked)? id="__tabbed_td1_\d" name="__tabbed_td1" type="radio">', html) == [
        " checked",
        "",
    ]
    assert html.count('<div class="tabbed-block">') == 2
    # The lone table of its group stays a plain table; the tab set closes before it.
    tab_set_end = html.index("</div></div>")
    assert html.index("Alone") > tab_set_end
    assert html.count("<table") == 3


INTERFACES = """# Setting access

Intro for everyone.

## From the console
{: #ui}
{: ui}

Click things.

### Console details

More console.

## From the CLI
{: #cli}
{: cli}

Run things.

## After either

Everyone again.

* A step for the CLI.{: cli}
"""


def test_interface_sections_and_switch() -> None:
    html = Renderer().render(INTERFACES, "access.md").html
    assert '<div class="td-interface-switch" data-interfaces="ui cli">' in html
    assert html.index("td-interface-switch") < html.index('id="ui"')
    ui = html[html.index('<div class="td-interface-section" data-hd-interface="ui">') :]
    assert ui.index("More console.") < ui.index("</div>") < ui.index('id="cli"')
    cli = html[html.index('<div class="td-interface-section" data-hd-interface="cli">') :]
    assert cli.index("Run things.") < cli.index("</div>") < cli.index("After either")
    assert html.count('<div class="td-interface-section"') == 2
    assert "Everyone again." in html
    assert re.search(r'<li[^>]*data-hd-interface="cli"', html)


def test_pages_without_interfaces_get_no_switch() -> None:
    assert "td-interface" not in Renderer().render("# Plain\n\nText.\n", "plain.md").html


def test_tutorial_steps_are_numbered() -> None:
    text = "# Tutorial\n\n## Before\n\n## Create\n{: #create}\n{: step}\n\n## Test\n{: #test}\n{: step}\n"
    page = Renderer().render(text, "tutorial.md")
    steps = re.findall(r'<h2 id="(\w+)"[^>]*data-step="(\d)"', page.html)
    assert steps == [("create", "1"), ("test", "2")]
    assert [entry.title for entry in page.toc[0].children] == ["Before", "Create", "Test"]


NESTED_INTERFACES = """# Keys

## In the console
{: #console}
{: ui}

Open the page.

### From the command line
{: #console-cli}
{: cli}

Run the command.

### Check the result
{: #console-check}

Look at the list.

Or call the endpoint.
{: api}

## Afterwards

Everyone reads this.
"""


def _visible_under(html: str, chosen: str) -> str:
    """The text a reader sees when the site's script hides every ``data-hd-interface`` other than ``chosen``."""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.select("[data-hd-interface]"):
        if not element.decomposed and element.get("data-hd-interface") != chosen:
            element.decompose()
    return soup.get_text(" ")


def test_nested_interface_sections_stay_reachable() -> None:
    html = Renderer().render(NESTED_INTERFACES, "keys.md").html
    assert html.count("<div") == html.count("</div>")
    # Each interface's content shows when that interface is picked, and the content of none is always there.
    assert "Open the page." in _visible_under(html, "ui")
    assert "Look at the list." in _visible_under(html, "ui")
    assert "Run the command." in _visible_under(html, "cli")
    assert "Open the page." not in _visible_under(html, "cli")
    assert "Or call the endpoint." in _visible_under(html, "api")
    for chosen in ("ui", "cli", "api"):
        assert "Everyone reads this." in _visible_under(html, chosen)


def test_tutorial_front_matter_shows_its_details() -> None:
    text = (
        "---\ncontent-type: tutorial\ncompletion-time: 2h\naccount-plan: paid\nservices: containers, vpc\n"
        "lastupdated: '2025-01-02'\n---\n\n# Deploy an app\n{: #deploy}\n\n## Create\n{: #create}\n{: step}\n\n"
        "Do it.\n\n## Related content\n{: #related}\n{: related}\n\n* [Docs](/docs/vpc)\n"
    )
    page = Renderer().render(text, "tutorial.md")
    details = BeautifulSoup(page.html, "html.parser").select_one("p.td-tutorial-details")
    assert details is not None
    assert details.get_text() == "Completion time: 2h · Account plan: paid · Services: containers, vpc"
    assert page.html.index("td-last-updated") < page.html.index("td-tutorial-details")
    assert '<h2 id="related" class="related">Related content</h2>' in page.html
    assert page.diagnostics == []
    # Another page with the same keys is no tutorial: nothing is added.
    other = Renderer().render(text.replace("content-type: tutorial", "content-type: howto"), "x.md")
    assert "td-tutorial-details" not in other.html
