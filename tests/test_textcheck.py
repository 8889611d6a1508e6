"""The fidelity check: losses that keep the words on the page (lost reuse, raw tables, hidden content, resources
from another host), on hand-written pages and on what the renderer makes of small sources."""

from __future__ import annotations

from pathlib import Path

from troubledocs.renderer import Renderer
from troubledocs.textcheck import fidelity


def page(article: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body><article>{article}</article></body></html>"


def test_reuse_placeholders_count_as_lost(tmp_path: Path) -> None:
    (tmp_path / "_include-segments").mkdir()
    (tmp_path / "_include-segments" / "steps.md").write_text("1. Log in.\n", encoding="utf-8")
    html = page(
        "<p><em>Reused content <code>site.data.content.login</code> is not available.</em></p>"
        "<p><em>Content included from another documentation set is not part of this site:</em> "
        '<a href="https://cloud.ibm.com/docs"><code>_include-segments/steps.md</code></a></p>'
        "<p><em>Content included from another documentation set is not part of this site:</em> "
        '<a href="https://cloud.ibm.com/docs/cli"><code>../cli/reference.md</code></a></p>'
    )
    found = fidelity(html, tmp_path)
    assert found.lost_reuse == [
        "Reused content site.data.content.login is not available",
        "include _include-segments/steps.md exists in the repository",
    ]
    # Without the repository, only the conref placeholder can be judged.
    assert len(fidelity(html).lost_reuse) == 1


def test_a_paragraph_of_pipe_rows_is_a_raw_table() -> None:
    assert fidelity(page("<p>Events:\n| A | B |\n|---|---|</p>")).raw_tables == ["| A | B |"]
    assert fidelity(page("<p>Pick a | b, or c | d.</p><p>| one row |</p>")).raw_tables == []


def test_content_of_one_interface_inside_another_is_hidden() -> None:
    html = page(
        '<div data-hd-interface="ui"><p>Click.</p><p data-hd-interface="cli">Run it.</p>'
        '<p data-hd-interface="ui">Also click.</p></div>'
    )
    assert fidelity(html).hidden == ["cli inside ui: Run it."]


def test_resources_from_another_host_anywhere_in_the_page() -> None:
    html = page(
        '<img src="images/a.svg"><img src="https://example.com/b.png"><iframe src="//video.example.com/x"></iframe>',
        head='<link rel="stylesheet" href="https://fonts.example.com/f.css"><link rel="canonical" '
        'href="https://cloud.ibm.com/docs/x"><script src="assets/site.js"></script>',
    )
    assert fidelity(html).external == [
        "<img src=https://example.com/b.png>",
        "<iframe src=//video.example.com/x>",
        "<link href=https://fonts.example.com/f.css>",
    ]


def test_rendered_sources_keep_fidelity() -> None:
    source = (
        "# Events\n\nSummary of events:\n| Event | When |\n|---|---|\n| start | boot |\n\n"
        "## Console\n{: #console}\n{: ui}\n\nClick.\n\n### Command line\n{: #cli}\n{: cli}\n\nRun it.\n\n"
        '![Tour](https://www.youtube.com/embed/abc){: video output="iframe" allowfullscreen}\n'
    )
    found = fidelity(Renderer().render(source, "events.md").html)
    assert found.problems() == []
