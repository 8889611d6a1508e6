"""Site size: compact page markup, a plain-text search index, pruned theme files; translations and the context."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from types import SimpleNamespace

from troubledocs.cli import main
from troubledocs.keywords import KeywordMap
from troubledocs.material.lean import (
    compact_html,
    lean_search_index,
    plain_text,
    prune_theme_assets,
    search_sections,
)
from troubledocs.material.search_sections import HeldContent
from troubledocs.renderer import Renderer
from troubledocs.repository.context import site_assets
from troubledocs.repository.model import Repository
from troubledocs.repository.prerender import MIN_PAGES
from troubledocs.repository.translations import alternates, language_sections, languages


def test_compact_html_keeps_preformatted_text() -> None:
    page = "<ul>\n    <li>\n      a\n    </li>\n\n</ul>\n<pre><code>x\n    indented\n</code></pre>\n  <script>\n  var a;\n</script>"
    assert compact_html(page) == (
        "<ul><li>\na\n</li></ul>\n<pre><code>x\n    indented\n</code></pre>\n<script>\n  var a;\n</script>"
    )


def test_compact_html_drops_newlines_next_to_blocks_only() -> None:
    page = (
        "<nav>\n  <ul>\n    <li>\n      <a href=x>\n        <span>A</span>\n        <span>B</span>\n      </a>\n"
        "    </li>\n  </ul>\n</nav>\n<p>one\n<em>two</em>\n</p>\n<table>\n<tr>\n<td>c</td>\n</tr>\n</table>\n<table>"
    )
    # Between inline elements (the spans, text) and before tables (inline blocks in Material) a newline is a space.
    assert compact_html(page) == (
        "<nav><ul><li>\n<a href=x>\n<span>A</span>\n<span>B</span>\n</a></li></ul></nav><p>one\n<em>two</em></p>"
        "\n<table><tr><td>c</td></tr>\n</table>\n<table>"
    )


def test_compact_html_drops_svg_namespace_and_config_spaces() -> None:
    page = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M0"/></svg>'
        '<script id="__config" type="application/json">{"base": ".", "t": {"a": "</script-like> & \'"}}</script>'
        '<pre><svg xmlns="http://www.w3.org/2000/svg"></svg></pre>'
    )
    compact = compact_html(page)
    assert compact.startswith('<svg viewBox="0 0 24 24"><path d="M0"/></svg>')
    config = compact.split('type="application/json">', 1)[1].split("</script>", 1)[0]
    assert config == '{"base":".","t":{"a":"\\u003c/script-like\\u003e \\u0026 \\u0027"}}'
    assert json.loads(config) == {"base": ".", "t": {"a": "</script-like> & '"}}
    assert compact.endswith('<pre><svg xmlns="http://www.w3.org/2000/svg"></svg></pre>')


def test_search_index_becomes_plain_text(tmp_path: Path) -> None:
    index = tmp_path / "search" / "search_index.json"
    index.parent.mkdir()
    docs = [
        {
            "location": "a.html",
            "title": "A",
            "text": "<p>Run <code>x</code> &amp; go</p><pre><code>cmd\n</code></pre>",
        }
    ]
    index.write_text(json.dumps({"config": {"lang": ["en"]}, "docs": docs}))
    assert lean_search_index(tmp_path) == ["en"]
    assert json.loads(index.read_text())["docs"][0]["text"] == "Run x &amp; go"
    assert lean_search_index(tmp_path / "nowhere") == []


def test_plain_search_index_needs_no_second_pass(tmp_path: Path) -> None:
    """Texts cut by ``search_sections`` and joined as Material joins a section's pieces are plain already: the
    build skips the per-text pass for them (``plain=True``) and the file is the same as after the full pass."""
    page = (
        "<h1>T</h1><p>Run <code>&lt;cluster&gt;</code> &amp; go</p><pre><code>cmd &amp;\n</code></pre>"
        "<ul><li>one</li><li>two   words</li></ul><!-- note --><h2 id='s'>S &lt;x&gt;</h2><p>caf\u00e9 \u2014 A&amp;B</p>"
    )
    sections = search_sections(page)
    assert sections is not None
    docs = [
        {"location": "a.html", "title": "".join(s.title), "text": "".join(s.text).strip()} for s in sections
    ]
    assert "&lt;cluster&gt;" in docs[0]["text"] and "cmd" not in docs[0]["text"]
    written = {}
    for plain in (False, True):
        site = tmp_path / str(plain)
        (site / "search").mkdir(parents=True)
        (site / "search" / "search_index.json").write_text(
            json.dumps({"config": {"lang": ["en"]}, "docs": docs})
        )
        assert lean_search_index(site, plain=plain) == ["en"]
        written[plain] = (site / "search" / "search_index.json").read_bytes()
    assert written[True] == written[False]


def test_theme_assets_pruned_to_the_search_languages(tmp_path: Path) -> None:
    lunr = tmp_path / "assets" / "javascripts" / "lunr"
    (lunr / "min").mkdir(parents=True)
    for name in (
        "min/lunr.de.min.js",
        "min/lunr.ja.min.js",
        "min/lunr.multi.min.js",
        "tinyseg.js",
        "wordcut.js",
    ):
        (lunr / name).write_text("x")
    (tmp_path / "assets" / "javascripts" / "bundle.min.js.map").write_text("map")
    assert prune_theme_assets(tmp_path, ["en", "ja"]) == 5  # bytes: lunr.de, wordcut, the map
    assert sorted(p.name for p in lunr.rglob("*.js")) == ["lunr.ja.min.js", "lunr.multi.min.js", "tinyseg.js"]
    assert prune_theme_assets(tmp_path, ["en"]) == 3


PAGES = {
    "README.md",
    "a.md",
    "b.md",
    "nl/de/README.md",
    "nl/de/a.md",
    "nl/pt/BR/README.md",
    "nl/pt/BR/b.md",
    "nl/pt/BR/extra.md",
}


def test_translations_get_sections_and_a_switch() -> None:
    assert languages(PAGES) == ["de", "pt/BR"]
    nav = [{"Learn": ["a.md", {"More": ["b.md"]}, {"Out": "https://example.com"}]}]
    assert language_sections(nav, PAGES) == [
        {"Deutsch": [{"Learn": ["nl/de/a.md"]}, "nl/de/README.md"]},
        {
            "Português (Brasil)": [
                {"Learn": [{"More": ["nl/pt/BR/b.md"]}]},
                "nl/pt/BR/README.md",
                "nl/pt/BR/extra.md",
            ]
        },
    ]
    urls = {
        "README.md": "index.html",
        "nl/de/README.md": "nl/de/index.html",
        "nl/pt/BR/README.md": "nl/pt/BR/index.html",
    }
    assert alternates(PAGES, urls) == [
        {"name": "English", "link": "index.html", "lang": "en"},
        {"name": "Deutsch", "link": "nl/de/index.html", "lang": "de"},
        {"name": "Português (Brasil)", "link": "nl/pt/BR/index.html", "lang": "pt-BR"},
    ]


def test_context_reads_the_repository_once(tmp_path: Path) -> None:
    (tmp_path / "toc.yaml").write_text(
        "toc:\n  properties:\n    subcollection: demo\n  entries:\n  - topic: a.md\n"
    )
    (tmp_path / "a.md").write_text("# A\n{: #topic-a}\n")
    (tmp_path / "b.md").write_text("# B\n{: #topic-b}\n")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "c.md").write_text("# C\n")
    site = Repository.open(tmp_path).context()
    assert site.nav() == ["a.md", {"Other topics": ["b.md"]}]
    assert site.links("/docs/demo?topic=demo-topic-b", "a.md", 1) == "b.md"
    assert site.links("/docs/demo", "b.md", 1) == "a.md"
    assert site.diagnostics == []
    assert [path for path, data in site_assets() if data] == ["assets/site/site.css", "assets/site/site.js"]


PAGE = """<p>Before any heading &amp; more.</p>
<h1 id="title">The <code>title</code></h1>
<p class="td-last-updated">Last updated: <time>2026-01-02</time></p>
<!--<qna:considerations>-->
<p>Use <code>&lt;cluster_name&gt;</code>, then <a href="x.html">read "this"</a>.</p>
<div class="highlight"><pre><code>secret command
</code></pre></div>
<h2>No id, no section</h2>
<h3 id='single' class="x">Single &quot;quoted&quot;</h3>
<ul>
<li>one</li>
<li>two</li>
</ul>
"""


def test_search_sections_match_materials_parser() -> None:
    from material.plugins.search.plugin import Parser

    parser = Parser()
    parser.feed(PAGE)
    parser.close()
    expected = [
        (s.id, "".join(s.title).strip(), plain_text("".join(s.text).replace("secret command", "")))
        for s in parser.data
    ]
    sections = search_sections(PAGE)
    assert sections is not None
    ours = [(s.id, "".join(s.title), " ".join(s.text)) for s in sections]
    assert ours == expected
    # Text before the H1 makes a section of its own, so the H1's section keeps its id.
    assert ours[1] == (
        "title",
        "The <code>title</code>",
        'Last updated: 2026-01-02 Use &lt;cluster_name&gt; , then read "this". No id, no section',
    )


EXCLUDING_PAGE = """\
# Page with exclusions

Indexed paragraph.

Secret paragraph xyzzy.
{: data-search-exclude=""}

<div data-search-exclude="">Raw secret frobozz.</div>

## Hidden section
{: #hidden data-search-exclude=""}

Section text plugh.

## Shown section
{: #shown}

Shown text.
"""


def test_data_search_exclude_on_a_site_rendered_ahead(tmp_path: Path) -> None:
    """``data-search-exclude`` is honoured on a site large enough for its pages to be rendered ahead (their search
    sections cut by the workers): such a page is left to Material's own parser."""
    src = tmp_path / "src"
    src.mkdir()
    count = MIN_PAGES + 5
    for number in range(count):
        (src / f"page-{number}.md").write_text(
            f"# Page {number}\n\nOrdinary text {number}.\n", encoding="utf-8"
        )
    (src / "page-7.md").write_text(EXCLUDING_PAGE, encoding="utf-8")
    assert search_sections(Renderer(KeywordMap.load()).render(EXCLUDING_PAGE, "page-7.md").html) is None
    assert main(["build", str(src), "-o", str(tmp_path / "site"), "-q"]) == 0
    index = json.loads(gzip.decompress((tmp_path / "site" / "search" / "search_index.json.gz").read_bytes()))
    text = json.dumps(index["docs"])
    assert "Indexed paragraph" in text and "Shown text" in text and "Ordinary text 44" in text
    for secret in ("xyzzy", "frobozz", "plugh", "Hidden section"):
        assert secret not in text, secret
    # Every page keeps its content (held aside while the search plugin would have stripped nothing from it, see
    # HeldContent).
    assert "Secret paragraph xyzzy" in (tmp_path / "site" / "page-7.html").read_text(encoding="utf-8")
    assert "Ordinary text 3." in (tmp_path / "site" / "page-3.html").read_text(encoding="utf-8")


class _Page:
    def __init__(self, path: str, content: str) -> None:
        self.file = SimpleNamespace(src_uri=path)
        self.content = content


def test_content_is_held_only_when_the_search_plugin_would_strip_nothing() -> None:
    held = HeldContent()
    plain, marked = _Page("a.md", "<p>Text</p>"), _Page("b.md", '<p data-search-exclude="">Text</p>')
    held.hold(plain)
    held.hold(marked)
    assert (plain.content, marked.content) == ("", '<p data-search-exclude="">Text</p>')
    held.put_back(plain)
    held.put_back(marked)
    assert (plain.content, marked.content, held) == ("<p>Text</p>", '<p data-search-exclude="">Text</p>', {})
    # In another process (a worker that renders the page's template), nothing is held.
    held.process = -1
    held.hold(plain)
    assert plain.content == "<p>Text</p>" and not held
