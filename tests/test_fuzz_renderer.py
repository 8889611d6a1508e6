"""Property tests of the renderer over generated pages of IBM's dialect (issue 6: hostile and broken input).

Every generated page (see ``fuzzkit.documents``) must render without an exception, within a generous time
bound (a hang detector, not a benchmark), with every source word visible in the output, no attribute list,
keyword reference or include leaked as text outside code, and diagnostics that point into the file. The CI
profile is short and deterministic; ``bench/fuzz.py`` runs the same properties for minutes.
"""

from __future__ import annotations

import random
import time
from typing import Any

from fuzzkit import (
    KNOWN_KEYWORDS,
    SHAPES,
    UNKNOWN_KEYWORDS,
    Document,
    check_render,
    compose,
    documents,
    draw_parts,
    fuzz_reuse,
    what_could_run,
)
from hypothesis import HealthCheck, given, settings
import pytest
from troubledocs.keywords import KeywordMap
from troubledocs.renderer import Renderer
from troubledocs.textcheck import literal_leftovers, missing_words, unexplained_leftovers

#: Seconds one small generated page may take before it counts as a hang.
HANG_SECONDS = 2.0

#: The CI run: short and deterministic (same 200 pages every time); bench/fuzz.py runs the same properties long.
CI = settings(
    max_examples=200,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

KEYWORDS = KeywordMap.load()
RENDERER = Renderer(KEYWORDS)


def _assert_sound(document: Document) -> None:
    outcome = check_render(RENDERER.render, document.text, KEYWORDS, time_limit=HANG_SECONDS)
    assert not outcome.problems, "\n".join(f"{p.kind}: {p.detail}" for p in outcome.problems)


def test_keyword_names_of_the_generator_are_what_they_claim() -> None:
    assert all(KEYWORDS.get(name) for name in KNOWN_KEYWORDS)
    assert not any(KEYWORDS.get(name) for name in UNKNOWN_KEYWORDS)


@CI
@given(documents(allow_hostile=False))
def test_well_formed_dialect_pages(document: Document) -> None:
    _assert_sound(document)


@CI
@given(documents())
def test_pages_with_broken_and_random_syntax(document: Document) -> None:
    _assert_sound(document)


def test_composed_pages_with_content_reuse() -> None:
    """bench/fuzz.py's pages: parts drawn once, recombined (reuse from fuzzkit.CONREF substituted), a fixed seed."""
    parts = draw_parts(30, seed=1)
    rng = random.Random(1)
    reuse = fuzz_reuse()
    renderer = Renderer(KEYWORDS, reuse=reuse)
    composed = [compose(parts, rng) for _ in range(200)]
    assert {shape for page in composed for shape in page.shapes} == set(SHAPES)
    for page in composed:
        outcome = check_render(
            renderer.render, page.document.text, KEYWORDS, time_limit=HANG_SECONDS, reuse=reuse
        )
        assert not outcome.problems, (page.document.text, outcome.problems)


# The checks themselves must be able to fail: a renderer that drops text or leaks syntax is caught.


def test_word_check_catches_a_dropped_paragraph() -> None:
    source = "First paragraph.\n\nSecond {{site.data.keyword.cloud_notm}} paragraph.\n{: note}\n"
    html = RENDERER.render(source, "x.md").html
    assert missing_words(source, html, KEYWORDS) == []
    assert missing_words(source, html.replace("Second", ""), KEYWORDS) == ["Second"]
    assert missing_words(source, "<p>First paragraph.</p>", KEYWORDS) == [
        "Cloud",
        "IBM",
        "Second",
        "paragraph",
    ]


def test_word_check_catches_a_swallowed_placeholder() -> None:
    source = "<table><tr><td>Replace <provider> here</td></tr></table>\n"
    assert missing_words(source, "<table><tr><td>Replace <provider> here</td></tr></table>", KEYWORDS) == [
        "provider"
    ]
    assert missing_words(source, RENDERER.render(source, "x.md").html, KEYWORDS) == []


def test_leftover_check_sees_attribute_lists_outside_code_only() -> None:
    assert [s.strip() for s in literal_leftovers("<p>text {: tip}</p><pre><code>{: pre}</code></pre>")] == [
        "text {: tip}"
    ]
    assert literal_leftovers("<p>a <code>{{site.data.keyword.x}}</code></p>") == []


@pytest.mark.parametrize(
    ("source", "html", "leftovers"),
    [
        # Outside a table a pipe is text: ``{:|`` is no list left open (the renderer keeps it, TD204) ...
        ("a {:|", "<p>a {:|</p>", []),
        # ... in a table cell, the list left open ends at the cell's pipe and is read as one: shown, it leaked.
        ("| a {:| b |\n|---|---|\n", "<table><tr><th>a {:</th><th>b</th></tr></table>", ["{:"]),
        ("| a {:| b |\n|---|---|\n", "<table><tr><th>a</th><th>b</th></tr></table>", []),
        # A delimiter row is no row of a table without a header: one row is a paragraph.
        ("|-\n|{:|\n", "<p>|-\n|{:|</p>", []),
        # A list item ends a table's body, as markdown-it reads it: its pipe is text there.
        (
            "| a |\n|---|\n| b |\n+ item [x]{: tag-x|y} z\n",
            "<table></table><ul><li>item [x]{: tag-x|y} z</li></ul>",
            [],
        ),
        # Two rows that start with a pipe are a table without a header.
        ("| a {:| b |\n| c |\n", "<table><tr><td>a {:</td><td>b</td></tr></table>", ["{:"]),
        # Read left to right: ``{:{:}`` is text, then a list.
        ("{:{:}", "<p>{:</p>", []),
        ("{:{:}", "<p>{:{:}</p>", ["{:"]),
        # Keywords first, as the renderer: no definition line is left once the unknown name shows.
        ("{:n:{{{site.data.o}}", "<p>{:n:{o</p>", []),
        # A header over a delimiter row of another number of cells is no table (GFM): the pipe is text there.
        ("a {: b| c |\n|---|\n", "<p>a {: b| c |\n|---|</p>", []),
        # An escaped character shows as itself: an escaped brace or colon writes the marker as text.
        ("{\\{site.data.keyword.x}} and x\n{\\: pre}", "<p>{{site.data.keyword.x}} and x\n{: pre}</p>", []),
        # A link's brackets between two braces leave them side by side on the page.
        ("[{[{site.data.x}} d](u)", "<p>[{<a>{site.data.x}} d</a></p>", []),
        # An element with the hidden attribute shows nothing (a table summary's text, as written in its value).
        (
            '<table summary="{: x}"><tr><td>a</td></tr></table>',
            "<span hidden>{: x}</span><table></table>",
            [],
        ),
        ("{: .x}\na", "<p hidden>{: .x}</p><p>a</p>", []),
        # A caption shows its value as written; the list itself never shows.
        ("f|\n-|\n{:caption={{site.data}", "<table><caption>{{site.data</caption></table>", []),
        ('text\n{: caption="x"}', '<p>text\n{: caption="x"}</p>', ["{:"]),
    ],
)
def test_what_the_leftover_check_allows(source: str, html: str, leftovers: list[str]) -> None:
    assert unexplained_leftovers(source, html, KEYWORDS) == leftovers


@pytest.mark.parametrize(
    "source",
    [
        "```\nnever closed\n{: pre}\n",
        "<!-- never closed\n\ntext after it\n",
        "| a | b |\n|---|---|\n| one | two | three |\n",
        '{: caption="Table class size ranges and IOPS}\n\ntext\n',
        "---\nkeywords: [unclosed\n---\n\nbody text\n",
        "\ufeff# Title\r\n{: #t}\r\n\r\nbody\x00with NUL\r\n",
        "<div>\n\n*unclosed div* text\n",
        # An element's text that starts with what the HTML parser read as no tag is no HTML block again (recursion).
        "{:tip: .tip}\n<table summary\n{:tip: .tip}\n###### Title\n{: cli}\n\n\n{:codeblock: .codeblock}",
    ],
)
def test_known_hostile_inputs(source: str) -> None:
    _assert_sound(Document(source, hostile=True))


@pytest.mark.parametrize(
    ("source", "html", "missing"),
    [
        ("1. Step one\n2. Step two\n", "<ol><li>Step one</li><li>Step two</li></ol>", []),
        (
            "[the docs](https://example.com/a_(b) 'title')",
            '<p><a href="https://example.com/a_(b)">the docs</a></p>',
            [],
        ),
        ("Use {{site.data.keyword.cloud_notm}}.\n{: tip}\n", "<p>Use IBM Cloud.</p>", []),
        ("Use {{site.data.keyword.nosuch}}.", "<p>Use <span>nosuch</span>.</p>", []),
        ("Set <region> now", "<p>Set now</p>", ["region"]),
        ('<td class="x">cell</td>', "<td>cell</td>", []),
        ("```sh\nkubectl get pods\n```\n{: pre}\n", "<pre><code>kubectl get\n</code></pre>", ["pods"]),
        ('{: "oops}', "<p></p>", ["oops"]),
        ("| a \\n b |\n|---|\n", "<table><tr><th>a<br>b</th></tr></table>", []),
        ("see ![Big icon](i.svg)", '<p>see <img src="i.svg" alt="Big icon"></p>', []),
        # The legacy icon is dropped, its title going on over a line break too (as any link title may).
        ('see ![Big icon](../icons/launch-glyph.svg "Big\nicon") now', "<p>see now</p>", []),
        ('see ![Big\nicon](../icons/launch-glyph.svg "Big icon") now', "<p>see now</p>", []),
        ("word word", "<p>word</p>", ["word"]),
        # An attribute list left open to the end of its line or cell is read as one (TD204): not text.
        ("[x](u){: externa", '<p><a href="u">x</a></p>', []),
        (
            "| a |\n|---|\n| [x](u){: tag-vp |",
            "<table><tr><th>a</th></tr><tr><td><a>x</a></td></tr></table>",
            [],
        ),
        ("[x](u){: exte rnal", '<p><a href="u">x</a></p>', []),
        # A closed span list that the renderer repairs is read as one too (TD204): not text.
        ('[x](u){: external"} y', '<p><a href="u">x</a> y</p>', []),
        ("[x](u){: @id} y", '<p><a href="u" id="id">x</a> y</p>', []),
        # An attribute list after plain text is dropped without a trace (TD404): the words around it glue.
        ("J{: .x}s", "<p>Js</p>", []),
        # A cell's text is Markdown: a list number right after the tag is the list's.
        (
            "<table><tr><td>text</td><td>3. x</td></tr></table>",
            "<table><tr><td>text</td><td><ol start=3><li>x</li></ol></td></tr></table>",
            [],
        ),
        # A tag as a browser reads it: '>' inside a quoted value does not end it; a tag with no end is text.
        ('<em title="a>b">shown</em> <a title="<b>"', "<p><em>shown</em> &lt;a title=&quot;&quot;</p>", []),
        ('<em title="a>b">shown</em> <a title="<b>"', "<p><em>shown</em></p>", ["a", "title"]),
        ("</em< par une durée> x", "<p> x</p>", []),
        # An element with the hidden attribute shows nothing: words in it are missing, the void <br hidden> hides none.
        ("shown hid", "<p>shown <span hidden>hid</span></p>", ["hid"]),
        ("shown hid", "<p>shown <br hidden>hid</p>", []),
        # An end tag ends at its first '>', quotes or not, as the renderer's parser reads it: what follows is text.
        ('<div></em title="-->"> tail</div>', "<div>&quot;&gt; tail</div>", []),
        ('<div></em title="-->"> tail</div>', "<div></div>", ["tail"]),
        # A <script> inside another tag is an attribute of it, no script ('<td <script>' is a cell).
        ("<td <script> shown", "<td> shown</td>", []),
        # A comment that a line opens holds the lines to its '-->', an attribute list's too.
        ("<!-- a\n{: .x -->\nshown", "<p>shown</p>", []),
        ("<!-- a\n{: .x -->\nshown", "", ["shown"]),
        # Words with only a tag between them may show glued when the tag is dropped; a line break never glues.
        ("<td>t</tr>e", "<td>te</td>", []),
        ("<td>t</>e", "<td>te</td>", []),
        ("t\ne", "<p>te</p>", ["e", "t"]),
        # Without its second brace a reference shows its value, in prose and in code (TD103).
        ("a {{site.data.keyword.cloud_notm}y b", "<p>a IBM Cloudy b</p>", []),
        ("a {{site.data.keyword.cloud_notm}y b", "<p>a b</p>", ["Cloudy", "IBM"]),
        ("```\n{{site.data.keyword.cloud_notm}\n```", "<pre><code>IBM Cloud</code></pre>", []),
        ("`{{site.data.keyword.cloud_notm}`", "<p><code>IBM Cloud</code></p>", []),
        (
            "`{{site.data.keyword.cloud_notm}`",
            "<p><code>{{site.data.keyword.cloud_notm}</code></p>",
            ["Cloud", "IBM"],
        ),
        # Without its second brace a reference that shows no value shows its name in prose and is left as written
        # in code: the word glued to it reads as one word in prose, as two in code.
        ("a {{site.data.keyword.nosuch}y", "<p>a <span>nosuch</span>y</p>", []),
        ("```\na{{site.data.content.c}y\n```", "<pre><code>a{{site.data.content.c}y</code></pre>", []),
        (
            "```\n{{site.data.keyword.nosuch}y\n```",
            "<pre><code>{{site.data.keyword.nosuch}</code></pre>",
            ["nosuchy"],
        ),
        # A reference left as written in code reads with the text glued to it as it stands there: a backslash
        # before it, a reference substituted after it.
        (
            "```\na\\{{site.data.keyword.nosuch}}y\n```",
            "<pre><code>a\\{{site.data.keyword.nosuch}}y</code></pre>",
            [],
        ),
        (
            "```\n{{site.data.keyword.nosuch}}zx{{site.data.keyword.cloud_notm}}\n```",
            "<pre><code>{{site.data.keyword.nosuch}}zxIBM Cloud</code></pre>",
            [],
        ),
        # A reference broken at a line end is read joined, as the renderer reads it, in code too.
        (
            "```\nrun {{\nsite.data.keyword.nosuch}}z\n```",
            "<pre><code>run\n{{site.data.keyword.nosuch}}z</code></pre>",
            [],
        ),
        # An escaped brace starts no reference: the page shows the reference's text.
        ("{\\{site.data.keyword.x}}", "<p>{{site.data.keyword.x}}</p>", []),
        # An escaped brace is no reference: its words show.
        ("{{site.data.d\\}", "<p>{{site.data.d}</p>", []),
        # A word glued across two elements within a longer glued run.
        ("[a icon](u)0{{site.data.keyword.nosuch}} x", "<p><a>a icon</a>0<span>nosuch</span> x</p>", []),
        (
            "[a icon](u)0{{site.data.keyword.nosuch}} x",
            "<p><a>a icon</a>0 <span>nosuch</span> x</p>",
            ["0nosuch"],
        ),
        # A definition line ends with any white space (a vertical tab too): the renderer ignores it.
        ("{:a:\0.b}\v\ntext", "<p>text</p>", []),
        # An element's text is Markdown: a fence may open right after its tag, and its info string never shows.
        (
            "<table><tr><td>```x y z</td></tr></table>",
            '<td><pre><code class="language-x"></code></pre></td>',
            [],
        ),
        ("<table><tr><td>a ```x y z</td></tr></table>", "<td>a</td>", ["x", "y", "z"]),
        # A word glued across three elements within a longer glued run.
        ("**a**x{{site.data.keyword.nosuch}}q", "<p><strong>a</strong>x<span>nosuch</span>q</p>", []),
        # A quote marker needs no space after it: the list number in it is the list's.
        (">1. Step", "<blockquote><ol><li>Step</li></ol></blockquote>", []),
        # White space after '</' still ends a tag; a fence after a cell's end tag is one; a fence marker inside a tag
        # that a line above opened is part of that tag.
        ("<table><tr><td>a</\ntd></tr></table>", "<table><tr><td>a</td></tr></table>", []),
        (
            "<table><tr><td>a</td>```x y\n</tr></table>",
            '<td>a</td><pre><code class="language-x"></code></pre>',
            [],
        ),
        (
            "<table><tr><td>a</td><td\n```x y</td></tr></table>",
            "<table><tr><td>a</td><td></td></tr></table>",
            [],
        ),
        # A doubled colon before a space is repaired in a table cell too (TD204).
        (
            "| a |\n|---|\n| [x](u){:: external} |",
            "<table><tr><th>a</th></tr><tr><td><a>x</a></td></tr></table>",
            [],
        ),
        # A definition may be marked with '~' too; a start tag's name ends at white space, '/' or '>'.
        ("a\n~ 1. x", "<dl><dt>a</dt><dd><ol><li>x</li></ol></dd></dl>", []),
        ("q <data.x\n> 1. item", "<p>q &lt;data.x</p><blockquote><ol><li>item</li></ol></blockquote>", []),
        # A list item opening a list on its line: both numbers are list numbers, shown by the browser.
        ("2. 1. Step", "<ol start=2><li><ol><li>Step</li></ol></li></ol>", []),
        # A <script> left open is dropped to the end of its HTML block, as a browser would not show it either.
        ("<!-- c --><script>alert(1)</s\n\nshown", "<p>shown</p>", []),
        ("<!-- c --><script>alert(1)</s\n\nshown", "", ["shown"]),
        # An unknown name reads the same bare (prose) and in its braces (code): the text glued to it too.
        ("{{site.data.keyword.no_notm}}의 예", "<p><span>no_notm</span>의 예</p>", []),
        (
            "```\n{{site.data.keyword.no_notm}}의 예\n```",
            "<pre><code>{{site.data.keyword.no_notm}}의 예</code></pre>",
            [],
        ),
        (
            "```\n{{site.data.keyword.no_notm}}의 예\n```",
            "<pre><code>{{site.data.keyword.no_notm}} 예</code></pre>",
            ["notm의"],
        ),
        # A comment that no later line ends is text, and the line after it an attribute list as anywhere (one that
        # the inline reading cannot take: a brace in its value).
        ('<!-- x\n{: title=" {: #id}\ntext', '<p title=" {: #id">&lt;!-- x</p><p>text</p>', []),
        ('<!-- x\n{: title=" {: #id}\ntext', "<p>&lt;!-- x</p>", ["text"]),
    ],
)
def test_what_the_word_check_counts(source: str, html: str, missing: list[str]) -> None:
    assert missing_words(source, html, KEYWORDS) == missing


def test_the_hang_check_counts_cpu_time_not_waiting() -> None:
    # A loaded machine makes a quick render wait for a core; a render that hangs spins.
    def spins(text: str, path: str) -> Any:
        end = time.process_time() + 0.3
        while time.process_time() < end:
            pass
        return RENDERER.render(text, path)

    def waits(text: str, path: str) -> Any:
        time.sleep(0.3)
        return RENDERER.render(text, path)

    assert [p.kind for p in check_render(spins, "text", KEYWORDS, time_limit=0.2).problems] == ["hang"]
    assert check_render(waits, "text", KEYWORDS, time_limit=0.2).problems == []


def test_the_script_check_sees_event_handlers_only() -> None:
    page = '<p onclick="x()" one="1" on="2"><a href="javascript:x()" on-side="3" onmouseover="y()">a</a></p>'
    assert what_could_run(page) == ["<p onclick>", "<a href='javascript:x()'>", "<a onmouseover>"]


def test_a_conref_broken_at_a_line_end_is_read_as_one() -> None:
    page = Renderer(KEYWORDS, reuse=fuzz_reuse()).render("- b {{\nsite.data.content.login}} done\n", "x.md")
    assert "Log in to IBM Cloud" in page.html and "site.data" not in page.html, page.html
    assert [(d.code, d.line) for d in page.diagnostics] == [("TD103", 1)]


def test_a_vertical_tab_before_a_list_number_in_an_element_keeps_it_text() -> None:
    # Markdown's white space is spaces and tabs, in an element's text too (fuzz finding: the number vanished).
    source = "<tbody>\n<tr><td>a</tr>\n\x0b1. b\n```"
    assert "<ol" not in RENDERER.render(source, "x.md").html
    assert missing_words(source, RENDERER.render(source, "x.md").html, KEYWORDS) == []
