"""The renderer's page facts (title, TOC, anchors, description, meta, diagnostics) and its building blocks."""

from __future__ import annotations

from pathlib import Path

import pytest
from troubledocs.attrs import AttrList, AttrResolver, parse_ald_definition, parse_attr_list
from troubledocs.keywords import KeywordFileError, KeywordMap
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
    assert [(e.id, [c.id for c in e.children]) for e in children] == [("workers", ["reboot"]), ("networking", [])]


def test_diagnostics_count_the_front_matter(renderer: Renderer) -> None:
    page = renderer.render(PAGE, "debug.md")
    assert [(d.code, d.line) for d in page.diagnostics] == [("TD201", 30)]
    assert str(page.diagnostics[0]).startswith("debug.md:30: [TD201] unknown attribute name 'scree'")


def test_title_falls_back_to_the_file_name(renderer: Renderer) -> None:
    assert renderer.render("Just text.\n", "guides/setup-notes.md").title == "setup-notes"
    assert renderer.render("---\ntitle: From meta\n---\nText.\n", "x.md").title == "From meta"


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


def test_link_resolver_sees_every_link_and_image() -> None:
    calls: list[tuple[str, str, int]] = []

    def resolve(href: str, page: str, line: int) -> str:
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
    ["{:", "{: }", "{:}", "```", "\0{: #x}\0", "[" * 5000, "> " * 500 + "{: .x}", "* " * 300 + "x\n{: y}", "{:a: b}" * 50],
)
def test_bad_input_never_raises(renderer: Renderer, text: str) -> None:
    page = renderer.render(text, "bad.md")
    assert isinstance(page.html, str)
    assert not [d for d in page.diagnostics if d.code == "TD900"]


# --- attribute lists -------------------------------------------------------------------------------------------


def test_parse_attr_list_forms() -> None:
    parsed = parse_attr_list('{: #id .a.b k="v w" j=\'x\' n=bare pre tag-vpc}')
    assert parsed == AttrList(
        id="id", classes=["a", "b"], pairs=[("k", "v w"), ("j", "x"), ("n", "bare")], names=["pre", "tag-vpc"]
    )
    assert parse_attr_list(".only") == AttrList(classes=["only"])
    assert parse_attr_list("{: #cluster-autoscaler-1.1.0}") == AttrList(id="cluster-autoscaler-1.1.0")


@pytest.mark.parametrize("text", ['{: "oops}', "{::comment}", "{:/x}", "not braces {", "{: a} trailing"])
def test_parse_attr_list_rejects(text: str) -> None:
    assert parse_attr_list(text) is None


def test_parse_ald_definition() -> None:
    assert parse_ald_definition("{:external: target=\"_blank\" .external}") == (
        "external",
        AttrList(classes=["external"], pairs=[("target", "_blank")]),
    )
    assert parse_ald_definition('{:table: .aria-labeledby="caption"}') is None
    assert parse_ald_definition("{: note}") is None


def test_resolver_kramdown_precedence() -> None:
    resolver = AttrResolver()
    resolver.define("one", AttrList(id="one", classes=["oneClass"], pairs=[("one", "oneValue")]))
    resolver.define("nested", AttrList(classes=["n"], names=["one"]))
    resolved = resolver.resolve(AttrList(id="local", classes=["x"], pairs=[("one", "alt")], names=["nested", "typo"]))
    assert resolved.id == "local"
    assert resolved.classes == ["oneClass", "n", "x"]
    assert resolved.attrs == {"one": "alt"}
    assert resolved.unknown == ["typo"]


def test_standard_names_resolve() -> None:
    resolver = AttrResolver()
    assert resolver.resolve(AttrList(names=["support"])).attrs == {"data-reuse": "support"}
    assert resolver.resolve(AttrList(names=["tag-whatever"])).classes == ["tag-whatever"]
    assert resolver.resolve(AttrList(names=["external"])).attrs == {"target": "_blank"}


# --- keyword maps ------------------------------------------------------------------------------------------------


def test_default_keywords_decode_entities() -> None:
    keywords = KeywordMap.load()
    assert keywords.get("openshiftlong") == "Red Hat® OpenShift® on IBM Cloud™"
    assert keywords.get("attribute-definition-list") is None
    assert KeywordMap.load(default=False).values == {}


def test_keyword_files_merge_later_wins(tmp_path: Path) -> None:
    (tmp_path / "keyref.yaml").write_text("keyword:\n  cloud_notm: Own Cloud\n  mine: A &amp; B\n", encoding="utf-8")
    extra = tmp_path / "extra.yaml"
    extra.write_text("mine: Override\n", encoding="utf-8")
    keywords = KeywordMap.for_source(tmp_path, [extra])
    assert keywords.get("cloud_notm") == "Own Cloud"
    assert keywords.get("mine") == "Override"
    assert keywords.get("IBM_notm") == "IBM"
    assert KeywordMap.for_source(tmp_path).get("mine") == "A & B"


def test_bad_keyword_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(KeywordFileError, match=r"bad\.yaml"):
        KeywordMap.load(files=[bad])
    with pytest.raises(KeywordFileError, match=r"missing\.yaml"):
        KeywordMap.load(files=[tmp_path / "missing.yaml"])


def test_substitution_keeps_lines_and_reports_them() -> None:
    keywords = KeywordMap({"a": "Alpha"})
    result = keywords.substitute("x\n{{site.data.keyword.a}}\n{{site.data.keyword.b}}\n", "p.md", first_line=10)
    assert result.text == 'x\nAlpha\n<span class="td-missing-keyword" title="Unknown keyword">b</span>\n'
    assert [(d.line, d.code) for d in result.diagnostics] == [(12, "TD101")]
