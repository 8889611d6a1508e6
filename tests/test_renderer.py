"""The renderer's page facts (title, TOC, anchors, description, meta, diagnostics) and its building blocks."""

from __future__ import annotations

import pytest
from troubledocs import renderer as renderer_module
from troubledocs.keywords import KeywordMap
from troubledocs.renderer import Renderer, render_page

PAGE = """---

copyright:
  years: 2014, 2026
lastupdated: "2026-01-02"
keywords: {{site.data.keyword.cloud_notm}}, clusters

---

{{site.data.keyword.attribute-definition-list}}

# Debugging clusters
{: #cs_debug}

Start here when a cluster fails.
{: shortdesc}

## Worker nodes
{: #workers}

### Reboot
{: #reboot}

## Networking

Table:
{: #a-table-id}

[link](other.md) and ![image](img.png)
{: scree}
"""


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(KeywordMap.load())


def test_page_facts(renderer: Renderer) -> None:
    page = renderer.render(PAGE, "dir/debug.md")
    assert page.title == "Debugging clusters"
    assert page.description == "Start here when a cluster fails."
    assert page.meta["keywords"] == "IBM Cloud, clusters"
    assert page.meta["lastupdated"] == "2026-01-02"
    assert '<p class="td-last-updated">Last updated: <time>2026-01-02</time></p>' in page.html
    assert {"cs_debug", "workers", "reboot", "networking", "a-table-id"} <= page.anchors
    assert page.path == "dir/debug.md"
    assert page.tokens


def test_toc_nests_under_the_h1(renderer: Renderer) -> None:
    toc = renderer.render(PAGE, "debug.md").toc
    assert [(e.level, e.id, e.title) for e in toc] == [(1, "cs_debug", "Debugging clusters")]
    children = toc[0].children
    assert [(e.id, [c.id for c in e.children]) for e in children] == [
        ("workers", ["reboot"]),
        ("networking", []),
    ]


def test_toc_leaves_out_headings_marked_notoc(renderer: Renderer) -> None:
    text = (
        "# Tour\n{: #tour}\n\n## Setup\n{: #setup}\n\n### Details\n{: #details}\n\n"
        "## Transcript of the tour\n{: #transcript}\n{: notoc}\n\nWords.\n\n## Next\n{: #next}\n"
    )
    page = renderer.render(text, "tour.md")
    assert [(e.id, [c.id for c in e.children]) for e in page.toc[0].children] == [
        ("setup", ["details"]),
        ("next", []),
    ]
    # The heading itself stays, with its id: links to it still work.
    assert '<h2 id="transcript" class="notoc">Transcript of the tour</h2>' in page.html
    assert "transcript" in page.anchors and not page.diagnostics


def test_diagnostics_count_the_front_matter(renderer: Renderer) -> None:
    page = renderer.render(PAGE, "debug.md")
    assert [(d.code, d.line) for d in page.diagnostics] == [("TD201", 30)]
    assert str(page.diagnostics[0]).startswith("debug.md:30: [TD201] unknown attribute name 'scree'")


def test_title_falls_back_to_the_file_name(renderer: Renderer) -> None:
    assert renderer.render("Just text.\n", "guides/setup-notes.md").title == "setup-notes"
    assert renderer.render("---\ntitle: From meta\n---\nText.\n", "x.md").title == "From meta"
    # A page that starts at ``##`` (current troubleshooting pages) is titled by that heading, not its file name.
    assert (
        renderer.render("Text.\n\n## Why does it fail?\n\n### Cause\n", "ts-x.md").title
        == "Why does it fail?"
    )


def test_page_definitions_do_not_leak_to_the_next_page(renderer: Renderer) -> None:
    first = renderer.render("{:mine: .mine}\n\nText.\n{: mine}\n", "a.md")
    second = renderer.render("Text.\n{: mine}\n", "b.md")
    assert '<p class="mine">' in first.html
    assert '<p class="mine">' not in second.html
    assert [d.code for d in second.diagnostics] == ["TD201"]


def test_one_markdown_parser_per_renderer(renderer: Renderer) -> None:
    parser = renderer.md
    renderer.render("a\n", "a.md")
    renderer.render("b\n", "b.md")
    assert renderer.md is parser


def test_page_is_parsed_once_when_its_parse_confirms_the_guess_of_code(
    renderer: Renderer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A keyword in a fence: the fence scan's guess, checked against the page's own parse, needs no second parse;
    an unknown keyword in indented code (guessed prose, parsed as code) is parsed again, as the block parse of the
    page decides."""
    parses: list[str] = []
    original = renderer.md.block.parse

    def counted(text: str, *args: object) -> object:
        parses.append(text)
        return original(text, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(renderer.md.block, "parse", counted)
    fenced = renderer.render("Run:\n\n```\nibmcloud {{site.data.keyword.cloud_notm}}\n```\n", "f.md")
    assert "ibmcloud IBM Cloud" in fenced.html
    assert len(parses) == 1
    indented = renderer.render("Text.\n\n    run {{site.data.keyword.nope }}\n", "i.md")
    assert "run {{site.data.keyword.nope }}" in indented.html
    assert len(parses) == 4


def test_link_resolver_sees_every_link_and_image() -> None:
    calls: list[tuple[str, str, int]] = []

    def resolve(href: str, page: str, line: int, holder: str) -> str:
        calls.append((href, page, line))
        return "/resolved/" + href

    page = Renderer(link_resolver=resolve).render(PAGE, "debug.md")
    assert ("other.md", "debug.md", 29) in calls
    assert ("img.png", "debug.md", 29) in calls
    assert 'href="/resolved/other.md"' in page.html
    assert 'src="/resolved/img.png"' in page.html


def test_render_page_convenience() -> None:
    page = render_page("# Hi\n{: #hi}\n", "hi.md")
    assert page.html.startswith('<h1 id="hi">Hi</h1>')


def test_crlf_input_renders_like_lf(renderer: Renderer) -> None:
    assert renderer.render(PAGE.replace("\n", "\r\n"), "x.md").html == renderer.render(PAGE, "x.md").html


@pytest.mark.parametrize(
    "text",
    [
        "{:",
        "{: }",
        "{:}",
        "```",
        "\0{: #x}\0",
        "[" * 5000,
        "> " * 500 + "{: .x}",
        "* " * 300 + "x\n{: y}",
        "{:a: b}" * 50,
    ],
)
def test_bad_input_never_raises(renderer: Renderer, text: str) -> None:
    page = renderer.render(text, "bad.md")
    assert isinstance(page.html, str)
    assert not [d for d in page.diagnostics if d.code == "TD900"]


def test_token_contract_for_the_extractor(renderer: Renderer) -> None:
    text = """## Pods do not start
{: #pods}
{: troubleshoot}

The pod stays pending.
{: tsSymptoms}

```
0/3 nodes are available
```
{: screen}

No capacity.
{: tsCauses}

Add workers.
{: tsResolve}
"""
    tokens = renderer.render(text, "ts.md").tokens
    heading = next(t for t in tokens if t.type == "heading_open")
    assert heading.attrGet("id") == "pods" and heading.attrGet("data-hd-content-type") == "troubleshoot"
    parts = [(t.type, t.meta["part"], t.map) for t in tokens if t.type.startswith("ts_part_")]
    assert parts == [
        ("ts_part_open", "symptoms", [4, 10]),
        ("ts_part_close", "symptoms", [4, 10]),
        ("ts_part_open", "causes", [12, 13]),
        ("ts_part_close", "causes", [12, 13]),
        ("ts_part_open", "resolve", [15, 16]),
        ("ts_part_close", "resolve", [15, 16]),
    ]
    fence = next(t for t in tokens if t.type == "fence")
    assert fence.attrGet("class") == "screen" and fence.content == "0/3 nodes are available\n"
    assert [t.attrGet("class") for t in tokens if t.type == "paragraph_open"] == [
        "tsSymptoms",
        "tsCauses",
        "tsResolve",
    ]
    assert all(t.map is not None for t in tokens if t.block and t.nesting >= 0)


def test_a_page_over_its_time_budget_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    page = render_page("# Title\n\nText.\n", "p.md")
    assert not [d for d in page.diagnostics if d.code == "TD902"]
    monkeypatch.setattr(renderer_module, "PAGE_SECONDS", 0.0)
    page = render_page("# Title\n\nText.\n", "p.md")
    (over,) = page.diagnostics
    assert str(over).startswith("p.md:1: [TD902] rendering took ") and "(budget 0 s)" in str(over)
