"""Content reuse: conref.md blocks ({{site.data.content.ID}}) and {{file.md#id}} includes."""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt
from troubledocs.mdit.env import diagnostics, page_env
from troubledocs.mdit.reuse import Reuse, reuse_plugin
from troubledocs.renderer import Renderer
from troubledocs.repository import Repository
from troubledocs.site.conref import ConrefLibrary

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


def test_conref_blocks_by_id() -> None:
    library = ConrefLibrary.from_text(CONREF)
    assert library.get("install-cli") == (
        "## Install the CLI\n\nRun this:\n\n```sh\nibmcloud plugin install x\n```\n{: pre}\n\n### Details\nMore."
    )
    assert library.get("para") == "A paragraph\non two lines.\n{: note}"
    assert library.get("list") == "* one\n* two"
    assert library.get("nope") is None
    assert library.diagnostics == []


def test_conref_problems_are_reported() -> None:
    library = ConrefLibrary.from_text("{: #orphan}\n\nText\n{: #twice}\n\nMore\n{: #twice}\n")
    assert [(d.code, d.line) for d in library.diagnostics] == [("TD609", 1), ("TD609", 7)]


def render(text: str, reuse: Reuse, path: str = "page.md") -> tuple[str, list[str]]:
    md = MarkdownIt("commonmark")
    reuse_plugin(md, reuse)
    env = page_env(path)
    return md.render(text, env), [str(d) for d in diagnostics(env)]


def test_block_and_inline_conrefs() -> None:
    reuse = Reuse(ConrefLibrary.from_text(CONREF))
    html, problems = render(
        "Intro.\n\n{{site.data.content.list}}\n\nSee {{site.data.content.para}} here.\n", reuse
    )
    assert html == (
        "<p>Intro.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<p>See A paragraph\non two lines.\n{: note} here.</p>\n"
    )
    assert problems == []


def test_external_include_is_a_placeholder_with_one_warning() -> None:
    html, problems = render(
        "{{../cli/index.md#step1}}\n\n`{{../cli/x.md}}` stays code\n", Reuse(ConrefLibrary())
    )
    assert html.startswith('<p class="td-include-missing" id="page-include-step1"><em>')
    assert '<a href="https://cloud.ibm.com/docs/cli"><code>../cli/index.md#step1</code></a>' in html
    assert "<code>{{../cli/x.md}}</code> stays code" in html
    warning = "page.md:1: [TD608] include '../cli/index.md' is outside this repository (another doc set)"
    assert problems == [f"{warning}; a placeholder is shown"]


def test_local_include_and_unknown_conref(tmp_path: Path) -> None:
    (tmp_path / "_include-segments").mkdir()
    (tmp_path / "_include-segments" / "x.md").write_text(
        "---\ntitle: x\n---\nShared **text**.\n\nPart\n{: #p}\n"
    )
    reuse = Reuse(ConrefLibrary(), tmp_path)
    html, problems = render(
        "{{_include-segments/x.md}}\n\n{{_include-segments/x.md#p}}\n\n{{site.data.content.zz}}\n", reuse
    )
    assert html.startswith("<p>Shared <strong>text</strong>.</p>\n<p>Part\n{: #p}</p>\n<p>Part</p>\n")
    assert problems == ["page.md:5: [TD608] conref 'zz' (no block with that id in conref.md)"]


def test_reuse_in_a_whole_build(tmp_path: Path) -> None:
    (tmp_path / "conref.md").write_text(CONREF)
    (tmp_path / "page.md").write_text("# Page\n{: #page}\n\n{{site.data.content.install-cli}}\n")
    site = Repository.open(tmp_path).context()
    renderer = Renderer()
    site.attach(renderer)
    page = renderer.render((tmp_path / "page.md").read_text(), "page.md")
    assert '<pre class="pre"' in page.html
    assert "Install the CLI" in page.html
    assert [d.code for d in page.diagnostics] == []
