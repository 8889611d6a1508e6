"""Content reuse substituted in the text before parsing: conref.md blocks ({{site.data.content.ID}}) and
{{file.md}} / {{file.md#id}} / {{/root/file.md}} includes, wherever they stand."""

from __future__ import annotations

from pathlib import Path

from repo_files import write_tree
from troubledocs.cli import main
from troubledocs.conref import ConrefLibrary
from troubledocs.diagnostics import Severity
from troubledocs.keywords import KeywordMap
from troubledocs.page import RenderedPage
from troubledocs.renderer import Renderer
from troubledocs.repository.model import Repository

CONREF = """# Reusable content

## Install the CLI
{: #install-cli}

Run this:

```sh
ibmcloud plugin install x
```
{: pre}

### Details
More.

## Next section
{: #next}

A paragraph
on two lines.
{: #para}
{: note}

* one
* two
{: #list}
"""


def render(root: Path, page: str, keywords: KeywordMap | None = None) -> RenderedPage:
    """Render ``root/page`` the way a build does (the repository's conref.md and files reusable)."""
    site = Repository.open(root).context()
    renderer = Renderer(keywords or KeywordMap({}))
    site.attach(renderer)
    return renderer.render((root / page).read_text(encoding="utf-8"), page)


def shown(page: RenderedPage) -> list[str]:
    return [str(d) for d in page.diagnostics]


def test_conref_blocks_by_id() -> None:
    library = ConrefLibrary.from_text(CONREF)
    assert library.get("install-cli") == (
        "## Install the CLI\n{: #install-cli}\n\nRun this:\n\n```sh\nibmcloud plugin install x\n```\n{: pre}"
        "\n\n### Details\nMore."
    )
    assert library.blocks["install-cli"].numbers[:3] == (3, 4, 5)
    assert library.get("para") == "A paragraph\non two lines.\n{: note}"
    assert library.blocks["para"].numbers == (19, 20, 22)
    assert library.get("list") == "* one\n* two"
    assert library.get("nope") is None
    assert library.diagnostics == []


def test_conref_problems_are_reported() -> None:
    library = ConrefLibrary.from_text("{: #orphan}\n\nText\n{: #twice}\n\nMore\n{: #twice}\n")
    assert [(d.code, d.line) for d in library.diagnostics] == [("TD609", 1), ("TD609", 7)]


def test_adjacent_conrefs_and_conref_inside_a_sentence(tmp_path: Path) -> None:
    """Two references on adjacent lines are both substituted as blocks; one inside a sentence is spliced in."""
    conref = CONREF + "\nthe short form\n{: #short}\n"
    write_tree(
        tmp_path,
        {
            "conref.md": conref,
            "page.md": (
                "# Page\n\n{{site.data.content.list}}\n{{site.data.content.para}}\n\nSee {{site.data.content.short}} here.\n"
            ),
        },
    )
    page = render(tmp_path, "page.md")
    assert '<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<div class="admonition note' in page.html
    assert "<p>A paragraph\non two lines.</p>" in page.html
    assert "<p>See the short form here.</p>" in page.html
    assert "Reused content" not in page.html
    assert shown(page) == []


def test_include_after_a_text_line_in_a_list_and_in_a_table(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "_include-segments/steps.md": "---\ncopyright: 2024\n---\n\n1. Open the console.\n2. Click **Save**.\n",
            "_include-segments/cell.md": "a **bold**\nvalue\n",
            "_include-segments/more.md": "First line.\n\nSecond paragraph.\n",
            "page.md": (
                "# Page\n\nSteps:\n{{_include-segments/steps.md}}\n\n"
                "* Item:\n\n  {{_include-segments/more.md}}\n\n"
                "| Name | Value |\n| --- | --- |\n| x | {{_include-segments/cell.md}} |\n"
            ),
        },
    )
    page = render(tmp_path, "page.md")
    assert (
        "<p>Steps:</p>\n<ol>\n<li>Open the console.</li>\n<li>Click <strong>Save</strong>.</li>\n</ol>"
        in page.html
    )
    # Both paragraphs of the include stay inside the list item.
    assert "<li>\n<p>Item:</p>\n<p>First line.</p>\n<p>Second paragraph.</p>\n</li>" in page.html
    assert "<td>a <strong>bold</strong> value</td>" in page.html
    assert shown(page) == []


def test_root_relative_and_relative_includes_stay_in_the_repository(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "_include-segments/x.md": "Shared text.\n\nPart\n{: #p}\n",
            "sub/local.md": "Beside the page.\n",
            "sub/page.md": (
                "# Page\n\n{{/_include-segments/x.md}}\n\n{{../_include-segments/x.md#p}}\n\n{{local.md}}\n\n"
                "{{_include-segments/x.md#p}}\n\n{{/../secret.md}}\n"
            ),
            "../secret.md": "Outside the repository.\n",
        },
    )
    page = render(tmp_path / "", "sub/page.md")
    text = page.html
    assert text.count("<p>Part</p>") == 2  # the block by id, relative and from the root
    assert "Shared text." in text and "Beside the page." in text
    assert "Outside the repository" not in text
    # A path that leaves the repository names another documentation set: never read, linked instead.
    assert [d.code for d in page.diagnostics] == ["TD610"]


def test_paths_in_included_text_read_from_the_page_else_from_the_included_file(tmp_path: Path) -> None:
    """Included text is substituted into the page, so its relative paths are the page's; where the page's folder
    names nothing, the author wrote them from the included file's own folder, which works at any depth."""
    write_tree(
        tmp_path,
        {
            "_include-segments/parts.md": "![Parts](../media/parts.svg)\n\nSee [the setup](../setup.md).\n",
            "media/parts.svg": "<svg/>",
            "setup.md": "# Setup\n",
            "top.md": "# Top\n\n{{_include-segments/parts.md}}\n",
            "guide/deep/page.md": "# Deep\n\n{{../../_include-segments/parts.md}}\n",
            "other/sub/page.md": "# Other\n\n{{../../_include-segments/parts.md}}\n",
            "other/media/parts.svg": "<svg/>",
        },
    )
    top = render(tmp_path, "top.md")
    assert '<img src="media/parts.svg" alt="Parts"' in top.html
    assert '<a href="setup.md">the setup</a>' in top.html
    deep = render(tmp_path, "guide/deep/page.md")
    # From guide/deep/, ../media/parts.svg names no file: the included file's reading, ../../media/parts.svg.
    assert '<img src="../../media/parts.svg" alt="Parts"' in deep.html
    assert '<a href="../../setup.md">the setup</a>' in deep.html
    # From other/sub/, ../media/parts.svg is a file: the page's reading stands.
    other = render(tmp_path, "other/sub/page.md")
    assert '<img src="../media/parts.svg" alt="Parts"' in other.html
    assert not top.diagnostics and not deep.diagnostics


def test_nested_includes_cycles_and_line_numbers(tmp_path: Path) -> None:
    """Included text includes more; a cycle is reported once where it closes; diagnostics name the file and line
    holding the text and the reference that brought it in."""
    write_tree(
        tmp_path,
        {
            "_include-segments/outer.md": "Outer {{site.data.keyword.nope}}.\n\n{{_include-segments/inner.md}}\n",
            "_include-segments/inner.md": "Inner text.\n\n{{_include-segments/outer.md}}\n",
            "page.md": "---\ntitle: P\n---\n# Page\n\n{{_include-segments/outer.md}}\n\nAfter {{site.data.keyword.nope}}.\n",
        },
    )
    page = render(tmp_path, "page.md")
    assert "Outer" in page.html and "Inner text." in page.html
    assert page.html.count("Outer") == 1
    assert shown(page) == [
        "page.md:8: [TD101] unknown keyword 'nope'",
        (
            "_include-segments/inner.md:3: [TD608] include cycle _include-segments/outer.md → "
            "_include-segments/inner.md → _include-segments/outer.md; not expanded again "
            "(included from _include-segments/outer.md:3, included from page.md:6)"
        ),
        "_include-segments/outer.md:1: [TD101] unknown keyword 'nope' (included from page.md:6)",
    ]


def test_keywords_and_attribute_definitions_inside_reused_text(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "_include-segments/x.md": (
                "{{site.data.keyword.attribute-definition-list}}\n{:mine: .special}\n\n"
                "Use {{site.data.keyword.product}}.\n{: mine}\n"
            ),
            "conref.md": "Reused {{site.data.keyword.product}} block.\n{: #blk}\n",
            "page.md": "# Page\n\n{{_include-segments/x.md}}\n\n{{site.data.content.blk}}\n",
        },
    )
    page = render(tmp_path, "page.md", KeywordMap({"product": "Widget"}))
    assert '<p class="special">Use Widget.</p>' in page.html
    assert "<p>Reused Widget block.</p>" in page.html
    assert "{{" not in page.html and "{:" not in page.html
    assert shown(page) == []


def test_included_headings_get_the_include_id_and_the_plain_id_where_unique(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "_include-segments/a.md": "## Prerequisites\n{: #prereqs}\n\nText.\n\n## Twice {: #twice}\n",
            "page.md": "# My topic\n{: #my-topic}\n\n{{_include-segments/a.md}}\n\n{{_include-segments/a.md}}\n",
            "other.md": "# Other\n{: #other}\n\n## Prerequisites\n{: #prereqs}\n\n{{_include-segments/a.md}}\n",
        },
    )
    page = render(tmp_path, "page.md")
    # Included twice: the include id repeats (reported) and no plain alias is made.
    assert page.html.count('<h2 id="my-topic-include-prereqs">Prerequisites</h2>') == 2
    assert 'id="prereqs"' not in page.html
    assert [d.code for d in page.diagnostics] == ["TD301", "TD301"]
    other = render(tmp_path, "other.md")
    # The page has its own 'prereqs': the included heading keeps only IBM's id.
    assert '<h2 id="other-include-prereqs">Prerequisites</h2>' in other.html
    assert '<h2 id="other-include-twice"><span id="twice"></span>Twice</h2>' in other.html
    assert {"other-include-prereqs", "prereqs", "twice", "other-include-twice"} <= other.anchors


def test_missing_and_external_references(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "page.md": (
                "# Page\n{: #page}\n\n{{../cli/index.md#step1}}\n\n{{site.data.content.zz}}\n\n{{_include-segments/no.md}}\n\n"
                "`{{../cli/x.md}}` stays code\n\n```\n{{site.data.content.zz}}\n```\n"
            )
        },
    )
    page = render(tmp_path, "page.md")
    assert (
        '<p id="page-include-step1" class="td-include-missing"><em>Content included from another documentation'
        in page.html
    )
    assert 'href="https://cloud.ibm.com/docs/cli"' in page.html
    assert "<code>{{../cli/x.md}}</code> stays code" in page.html
    assert "<code>{{site.data.content.zz}}\n</code>" in page.html
    assert "Reused content <code>site.data.content.zz</code> is not available." in page.html
    assert [(d.line, d.code, d.severity) for d in page.diagnostics] == [
        (4, "TD610", Severity.INFO),
        (6, "TD608", Severity.WARNING),
        (8, "TD608", Severity.WARNING),
    ]


def test_links_to_include_ids_resolve_in_a_build(tmp_path: Path, capsys: object) -> None:
    """A link to IBM's PAGEID-include-ID anchor, and to the plain id, finds the included heading; a warning in
    included text is shown at the include file's line; an include of another doc set is not a warning."""
    src = write_tree(
        tmp_path / "src",
        {
            "_include-segments/steps.md": "## Set up\n{: #setup}\n\nText with {{site.data.keyword.nope}}.\n",
            "task.md": "# Task\n{: #task}\n\n{{/_include-segments/steps.md}}\n\n{{../cli/index.md#x}}\n",
            "index.md": "# Home\n\n[IBM form](task.md#task-include-setup) and [plain](task.md#setup).\n",
        },
    )
    assert main(["build", str(src), "-o", str(tmp_path / "site")]) == 0
    err = capsys.readouterr().err  # type: ignore[attr-defined]
    assert "TD604" not in err, err
    assert "_include-segments/steps.md:4: [TD101] unknown keyword 'nope' (included from task.md:4)" in err
    assert "[TD610]" not in err  # counted in the summary, never one line per include


def test_reuse_after_a_fence_the_parser_ends_early_is_substituted(tmp_path: Path) -> None:
    """The fence scan takes the line after a fence left open in an HTML cell for code; the parser does not, and
    decides: the reference is substituted, not shown as written (fuzz finding)."""
    write_tree(
        tmp_path,
        {
            "conref.md": CONREF,
            "page.md": "<table>\n<tr><td>\n```\n</td></tr>\n</table>\n\n{{site.data.content.para}}\n",
        },
    )
    page = render(tmp_path, "page.md")
    assert "{{site.data" not in page.html
    assert "<p>A paragraph\non two lines.</p>" in page.html


def test_reuse_left_as_code_that_reused_blocks_make_prose_is_substituted(tmp_path: Path) -> None:
    """A fence reused after text on its line shifts where code is: the reference the first pass left as code is
    prose in the text that results, and a second pass substitutes it (fuzz finding)."""
    write_tree(
        tmp_path,
        {
            "conref.md": "```\nls\n```\n{: #command}\n\nShort.\n{: #short}\n",
            "page.md": "Run {{site.data.content.command}}\n\n```\n{{site.data.content.short}}\n```\n",
        },
    )
    page = render(tmp_path, "page.md")
    assert "{{site.data" not in page.html
    assert "<p>Short.</p>" in page.html
