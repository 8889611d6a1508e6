"""Renderer fuzzing kit, shared by the fuzz tests and ``bench/fuzz.py``.

* ``documents()``: a Hypothesis strategy that composes pages of IBM's dialect (front matter, ALDs, headings with
  stacked IALs, legacy IAL-before-paragraph, keywords known and unknown, fences with ``{: pre|screen|codeblock}``
  closed or not, pipe tables with captions and literal ``\\n``, raw HTML tables with unclosed cells and
  ``<provider>`` placeholders, definition lists, lists with indented content, span and link IALs, junk, CRLF).
* ``mutate(text, rng)``: one random corruption of a real page (truncation, line deletion or duplication, byte
  flips decoded with ``errors="replace"`` as the build reads files).
* ``check_render(...)``: the properties every render must have, returned as a list of problems (empty = good).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from html.parser import HTMLParser
import random
import re
import time
import traceback
from typing import Any

import hypothesis
from hypothesis import strategies as st
from troubledocs.conref import ConrefLibrary
from troubledocs.extract import extract_entries
from troubledocs.frontmatter import split_front_matter
from troubledocs.keywords import KeywordMap
from troubledocs.mdit.code import code_lines
from troubledocs.mdit.reuse import Reuse, expand
from troubledocs.renderer import build_markdown
from troubledocs.sanitize import URL_ATTRS, url_allowed
from troubledocs.textcheck import missing_words, unexplained_leftovers

#: Keywords that the default map knows (the tests assert it) and names it does not.
KNOWN_KEYWORDS = ("cloud_notm", "containerlong_notm", "openshiftlong_notm", "IBM_notm", "registrylong_notm")
UNKNOWN_KEYWORDS = ("nosuch_keyword", "containerlong_typo")
#: Class names the dialect defines, typos that occur in real pages, and attributes with values.
BLOCK_NAMES = (
    "shortdesc",
    "note",
    "important",
    "tip",
    "tsSymptoms",
    "tsCauses",
    "tsResolve",
    "cli",
    "ui",
    "beta",
)
TYPO_NAMES = ("scree", "shordesc", "tsResovle", "exteral", "worker_node_commands", "json")
HEADING_NAMES = ("troubleshoot", "support", "step", "faq", "help", "release-note", "cli")
CODE_CLASSES = ("pre", "screen", "codeblock")
TAGS = ("tag-vpc", "tag-classic-inf", "tag-satellite", "tag-red", "tag-deprecated")

_WORDS = st.sampled_from(
    [
        "cluster",
        "worker",
        "node",
        "Ingress",
        "ALB",
        "pod",
        "kubectl",
        "error",
        "failed",
        "timeout",
        "the",
        "of",
        "to",
        "a",
        "is",
        "42",
        "v4.13",
        "ERRADNF",
        "Überprüfen",
        "naïve",
        "日本語",
        "café",
        "résumé",
        "x_y",
        "ImagePullBackOff",
    ]
)
_ODD_TEXT = st.text(
    alphabet=st.characters(
        codec="utf-8", categories=("L", "N", "P", "S", "Zs", "Cc"), exclude_characters="\r\n"
    ),
    max_size=12,
)
_ID = st.from_regex(r"[a-z][a-z0-9_-]{0,11}", fullmatch=True)


@dataclass(frozen=True)
class Document:
    """A generated page. ``hostile`` says that it holds deliberately broken or random syntax."""

    text: str
    hostile: bool = False


@st.composite
def _inline_piece(draw: st.DrawFn) -> str:
    word = draw(_WORDS)
    choice = draw(st.integers(0, 19))
    pieces: dict[int, Callable[[], str]] = {
        0: lambda: f"**{word} {draw(_WORDS)}**",
        1: lambda: f"_{word}_",
        2: lambda: f"`{word} <none> {{{{.name}}}}`",
        3: lambda: f"{{{{site.data.keyword.{draw(st.sampled_from(KNOWN_KEYWORDS))}}}}}",
        4: lambda: f"{{{{site.data.keyword.{draw(st.sampled_from(UNKNOWN_KEYWORDS))}}}}}",
        5: lambda: f"[{word} {draw(_WORDS)}](https://example.com/{word}_(x)){{: external}}",
        6: lambda: f"[{word}](/docs/containers?topic=containers-{draw(_ID)}#{draw(_ID)})",
        7: lambda: f"[{word} {draw(_WORDS)}]{{: {draw(st.sampled_from(TAGS))}}}",
        8: lambda: f"![{word} icon](images/{draw(_ID)}.svg)",
        9: lambda: f"<{draw(st.sampled_from(('provider', 'region', 'cluster_name', 'ID')))}>",
        10: lambda: draw(st.sampled_from(("&reg;", "&amp;", "&lt;", "&nbsp;", "&#169;"))),
        11: lambda: f"<strong>{word}</strong>",
        12: lambda: draw(st.sampled_from(("<br>", "</br>", "<br/>"))),
        13: lambda: f"[{word}](#{draw(_ID)}){{: term}}",
    }
    return pieces.get(choice, lambda: word)()


@st.composite
def inline_text(draw: st.DrawFn, min_pieces: int = 1) -> str:
    """A line of prose mixing words with the dialect's inline constructs."""
    return " ".join(draw(st.lists(_inline_piece(), min_size=min_pieces, max_size=8)))


def _ial(draw: st.DrawFn, names: tuple[str, ...]) -> str:
    kind = draw(st.integers(0, 5))
    if kind == 0:
        return f"{{: #{draw(_ID)}}}"
    if kind == 1:
        return f"{{: {draw(st.sampled_from(TYPO_NAMES))}}}"
    if kind == 2:
        return f'{{: caption="{draw(_WORDS)} {{{{site.data.keyword.cloud_notm}}}}" caption-side="bottom"}}'
    return f"{{: {draw(st.sampled_from(names))}}}"


def _ial_lines(draw: st.DrawFn, names: tuple[str, ...], indent: str = "", most: int = 3) -> list[str]:
    return [indent + _ial(draw, names) for _ in range(draw(st.integers(0, most)))]


@st.composite
def heading(draw: st.DrawFn) -> list[str]:
    level = draw(st.integers(1, 6))
    lines = [f"{'#' * level} {draw(inline_text())}"]
    if draw(st.booleans()):
        lines.append(f"{{: #{draw(_ID)}}}")
    return lines + _ial_lines(draw, HEADING_NAMES)


@st.composite
def paragraph(draw: st.DrawFn) -> list[str]:
    lines = draw(st.lists(inline_text(), min_size=1, max_size=3))
    if draw(st.integers(0, 4)) == 0:
        lines[-1] += f" {{: {draw(st.sampled_from(('cli', 'ui', 'shortdesc')))}}}"
    return lines + _ial_lines(draw, BLOCK_NAMES, most=2)


@st.composite
def legacy_paragraph(draw: st.DrawFn) -> list[str]:
    """marked-it 1.x: the IAL sits between a blank line and the paragraph it applies to."""
    marker = draw(st.sampled_from(("tsSymptoms", "tsCauses", "tsResolve", "shortdesc")))
    return ["", f"{{: {marker}}}", *draw(st.lists(inline_text(), min_size=1, max_size=2))]


@st.composite
def fence(draw: st.DrawFn, indent: str = "") -> list[str]:
    ticks = draw(st.sampled_from(("```", "````", "~~~")))
    info = draw(st.sampled_from(("", "sh", "yaml", "text {: pre}")))
    code_line = st.one_of(
        inline_text(),
        st.sampled_from(
            (
                "ibmcloud ks worker ls --cluster <cluster_name_or_id>",
                "{{site.data.keyword.containerlong_notm}} error: {{.name}} {{range .items}}",
                "{{site.data.keyword.nosuch_keyword}}",
                "{: pre}",
                "Error: ImagePullBackOff",
            )
        ),
    )
    body = draw(st.lists(code_line, max_size=4))
    lines = [indent + ticks + info, *(indent + line for line in body)]
    if draw(st.integers(0, 5)) > 0:  # one in six fences is never closed
        lines.append(indent + ticks)
        if draw(st.booleans()):
            lines.append(f"{indent}{{: {draw(st.sampled_from(CODE_CLASSES))}}}")
    return lines


def _cell(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 5))
    if kind == 0:
        return f"{draw(_WORDS)} \\n {draw(_WORDS)}"
    if kind == 1:
        return f"{draw(_WORDS)} \\n * {draw(_WORDS)} \\n * {draw(_WORDS)}"
    if kind == 2:
        return f"`{draw(_WORDS)} \\n {draw(_WORDS)}`"
    return draw(inline_text()).replace("|", "/")


@st.composite
def pipe_table(draw: st.DrawFn) -> list[str]:
    columns = draw(st.integers(1, 4))
    header = [draw(_WORDS) for _ in range(columns)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * columns]
    for _ in range(draw(st.integers(0, 4))):
        width = columns if draw(st.integers(0, 4)) else draw(st.integers(1, columns + 2))
        lines.append("| " + " | ".join(_cell(draw) for _ in range(width)) + " |")
    names = (
        'class="simple-tab-table"',
        "row-headers",
        'tab-title="One"',
        'tab-group="g1"',
        'summary="About"',
    )
    return lines + _ial_lines(draw, names, most=4)


@st.composite
def html_table(draw: st.DrawFn) -> list[str]:
    # Four spaces at the top level make it an indented code block (which keyword substitution cannot see).
    indent = draw(st.sampled_from(("", "    ")))
    lines = [f'<table summary="{draw(_WORDS)}">', f"<caption>{draw(_WORDS)}</caption>", "<thead>"]
    lines.append(f"<th>{draw(_WORDS)}</th>" if draw(st.integers(0, 4)) else f"<th>{draw(_WORDS)}")
    lines += ["</thead>", "<tbody>"]
    for _ in range(draw(st.integers(1, 3))):
        cell = draw(
            st.sampled_from((f"**{draw(_WORDS)}**", f"`{draw(_WORDS)}`", f"[{draw(_WORDS)}](u.html)"))
        )
        end = "</td>" if draw(st.integers(0, 4)) else ""
        lines.append(f"<tr><td>{cell} {draw(inline_text())}</br>{draw(_WORDS)}{end}</tr>")
    if draw(st.integers(0, 5)):
        lines += ["</tbody>", "</table>"]
    return [indent + line for line in lines]


@st.composite
def definition_list(draw: st.DrawFn) -> list[str]:
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        lines += [draw(inline_text()), f":   {draw(inline_text())}"]
        if draw(st.booleans()):
            lines += ["", f"    * {draw(inline_text())}"]
        if draw(st.integers(0, 3)) == 0:
            lines += ["", *draw(fence(indent="    "))]
        lines.append("")
    return lines


@st.composite
def bullet_list(draw: st.DrawFn) -> list[str]:
    ordered = draw(st.booleans())
    lines: list[str] = []
    for number in range(1, draw(st.integers(2, 4))):
        marker = f"{number}. " if ordered else draw(st.sampled_from(("* ", "- ", "+ ")))
        indent = " " * len(marker)
        lines.append(marker + draw(inline_text()))
        extra = draw(st.integers(0, 5))
        if extra == 0:
            lines += draw(fence(indent=indent))
        elif extra == 1:
            lines += ["", indent + draw(inline_text()), *_ial_lines(draw, BLOCK_NAMES, indent, most=1)]
        elif extra == 2:
            lines.append(f"{indent}* {draw(inline_text())}")
        elif extra == 3:  # the seed's 4-space-indented <table> inside a list item
            lines += ["", *("    " + line for line in draw(html_table()))]
    return lines


@st.composite
def ald_lines(draw: st.DrawFn) -> list[str]:
    names = draw(
        st.lists(st.sampled_from(("codeblock", "pre", "screen", "tip", "new_window", "table")), max_size=4)
    )
    values = {"new_window": 'target="_blank"', "table": '.aria-labeledby="caption"'}
    return [f"{{:{name}: {values.get(name, '.' + name)}}}" for name in names]


@st.composite
def hostile(draw: st.DrawFn) -> list[str]:
    """Broken or random syntax: the renderer must show it as text, lose nothing and not hang."""
    return [
        draw(
            st.one_of(
                st.sampled_from(
                    (
                        '{: caption="Table class size ranges and IOPS}',
                        "{: #id?}",
                        "{:",
                        "{::comment}",
                        "}{: tip}{:",
                        "{{site.data.keyword.}}",
                        "{{site.data.keyword.cloud_notm}",
                        "{{../cli/index.md#ibmcloud_cli}}",
                        "{[target_ both]}",
                        "<!-- never closed",
                        "<div>",
                        "</table>",
                        "<td>stray cell",
                        "<script>alert(1)</script>",
                        "| lone | pipe",
                        ":   orphan definition",
                        "    indented code",
                        "> quoted {: tip}",
                        "\t\x0b\x0c\x1b[0m\ufeff\u200b\u202e",
                        "[unclosed](link",
                        "![](",
                        "***",
                        "\\",
                    )
                ),
                _ODD_TEXT,
            )
        )
    ]


#: Ways script could get in: comment, CDATA and processing-instruction tricks and quotes in every construct that
#: carries attributes (raw HTML, attribute lists, link and image targets, heading ids). Each calls alert().
_RUN = "alert(1)"
_PAYLOADS = (
    f'"><img src=x onerror={_RUN}>',
    f"'><svg onload={_RUN}>",
    f"javascript:{_RUN}",
    f" JaVa\tScRiPt:{_RUN}",
    f"data:text/html,<script>{_RUN}</script>",
    f"data:image/svg+xml,<svg onload={_RUN}>",
    f"--><script>{_RUN}</script>",
    f"<!--><img src=x onerror={_RUN}>-->",
)
_CARRIERS = (
    "<!-- c -->{p}",
    "<!-- a --!> {p} -->",
    "<![CDATA[ >{p} ]]>",
    "<? >{p} ?>",
    '<div title="{p}">x</div>',
    "<div><a href='{p}'>x</a></div>",
    '<div><iframe src="{p}"></iframe></div>',
    '<div><object data="{p}"></object><embed src="{p}"></div>',
    'Text <a href="{p}">x</a> and <img src="{p}">.',
    "[x]({p})",
    "![x]({p})",
    "[x](page.md){{: href='{p}'}}",
    "Para\n{{: onclick='{p}' title='{p}'}}",
    "## Heading\n{{: id='{p}'}}",
    "**x**{{: title='{p}'}}",
    "<table><tr><td title='{p}'>{p}</td></tr></table>",
)


@st.composite
def injection(draw: st.DrawFn) -> list[str]:
    """An attempt to run script from a page: a carrier construct around a payload."""
    carrier, payload = draw(st.sampled_from(_CARRIERS)), draw(st.sampled_from(_PAYLOADS))
    return carrier.replace("{p}", payload).replace("{{", "{").replace("}}", "}").split("\n")


@st.composite
def deep_nesting(draw: st.DrawFn) -> list[str]:
    """Lists and quotes nested beyond markdown-it's limit (it used to drop what was deeper)."""
    depth = draw(st.integers(8, 40))
    if draw(st.booleans()):
        return ["  " * level + f"- level{level}" for level in range(depth)]
    return [">" * depth + " deeply quoted"]


_BLOCKS = st.one_of(
    heading(), paragraph(), paragraph(), legacy_paragraph(), fence(), pipe_table(), html_table(),
    definition_list(), bullet_list(),
)  # fmt: skip

#: The ``conref.md`` of :func:`fuzz_reuse`: blocks of every kind, one reusing another, a keyword in one.
CONREF = """Log in to {{site.data.keyword.cloud_notm}} with `ibmcloud login`.
{: #login}

1. Open the **Clusters** page.
2. Select your cluster.
{: #steps}

```
ibmcloud ks cluster ls --output json
```
{: pre}
{: #command}

| Field | Value |
|---|---|
| region | us-south |
{: #fields}

Nested: {{site.data.content.login}}
{: #nested}
"""
CONREF_IDS = ("login", "steps", "command", "fields", "nested", "no_such_block")


def fuzz_reuse() -> Reuse:
    """What pages with :func:`reuse_reference` blocks are rendered with (and their source expanded with)."""
    return Reuse(ConrefLibrary.from_text(CONREF))


@st.composite
def reuse_reference(draw: st.DrawFn) -> list[str]:
    """A ``{{site.data.content.ID}}`` reference where pages put them: alone, after text, in a list item, in a
    table cell, in code (never substituted)."""
    ref = f"{{{{site.data.content.{draw(st.sampled_from(CONREF_IDS))}}}}}"
    where = draw(st.integers(0, 5))
    if where == 0:
        return [ref]
    if where == 1:
        return [f"{draw(inline_text())} {ref}"]
    if where == 2:
        return [f"1. {draw(inline_text())}", "", f"   {ref}", f"2. {ref}"]
    if where == 3:
        return ["| Name | Text |", "|---|---|", f"| {draw(_WORDS)} | {ref} |"]
    if where == 4:
        return ["```", ref, "```"]
    return [f"* {ref}"]


#: Every kind of block the generators write, by name: :func:`compose` tallies its pages by these.
SHAPES: dict[str, st.SearchStrategy[list[str]]] = {
    "heading": heading(),
    "paragraph": paragraph(),
    "legacy IAL paragraph": legacy_paragraph(),
    "fence": fence(),
    "pipe table": pipe_table(),
    "HTML table": html_table(),
    "definition list": definition_list(),
    "list": bullet_list(),
    "content reuse": reuse_reference(),
    "hostile syntax": hostile(),
    "injection": injection(),
    "deep nesting": deep_nesting(),
}
#: The shapes that make a page hostile.
HOSTILE_SHAPES = ("hostile syntax", "injection", "deep nesting")


#: Front-matter values that are not text, or that alias other values (an alias bomb is refused at its line).
_ODD_YAML = (
    f"title: {{x: '<img src=x onerror={_RUN}>'}}",
    f"description: [['\"><script>{_RUN}</script>']]",
    "lastupdated: 2024-01-02",
    "lastupdated: [1, 2]",
    "template: partials/nav.html",
    "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\ntitle: [*b, *b, *b, *b, *b, *b]",
    "navtitle: 1.30",
    "title: true",
)


@st.composite
def _front_matter(draw: st.DrawFn) -> list[str]:
    keywords = draw(st.sampled_from(("kubernetes, {{site.data.keyword.cloud_notm}}", "[unclosed", "a: b: c")))
    lines = [
        "---",
        "",
        "copyright:",
        "  years: 2014, 2026",
        f"keywords: {keywords}",
        "subcollection: containers",
    ]
    if draw(st.integers(0, 2)) == 0:
        lines += draw(st.sampled_from(_ODD_YAML)).split("\n")
    return [*lines, "", "---", ""] if draw(st.integers(0, 5)) else lines  # sometimes never closed


@st.composite
def documents(draw: st.DrawFn, allow_hostile: bool = True) -> Document:
    """One page of the dialect; about a third of them carry hostile fragments."""
    lines: list[str] = []
    if draw(st.booleans()):
        lines += draw(_front_matter())
    if draw(st.booleans()):
        lines += ["{{site.data.keyword.attribute-definition-list}}", ""]
    lines += draw(ald_lines())
    is_hostile = allow_hostile and draw(st.integers(0, 2)) == 0
    blocks = st.one_of(_BLOCKS, hostile(), injection(), deep_nesting()) if is_hostile else _BLOCKS
    for block in draw(st.lists(blocks, min_size=1, max_size=8)):
        lines += block
        lines.append(draw(st.sampled_from(("", "", "", "\n"))) if draw(st.integers(0, 5)) else "")
    newline = "\r\n" if draw(st.integers(0, 5)) == 0 else "\n"
    return Document(newline.join(lines) + draw(st.sampled_from(("", newline))), is_hostile)


# --- pages composed from drawn parts (bench/fuzz.py: thousands a second) -----------------------------------


@dataclass(frozen=True)
class Parts:
    """Pieces of pages drawn by Hypothesis once (front matters, ALD lines, blocks of every shape), which
    :func:`compose` recombines with a seeded random generator: drawing a whole page from Hypothesis costs ~20 ms,
    recombining a few microseconds."""

    front_matters: list[list[str]]
    ald_lines: list[list[str]]
    blocks: dict[str, list[list[str]]]


def draw_parts(count: int, seed: int) -> Parts:
    """``count`` of each part, drawn by Hypothesis from ``seed`` (duplicates dropped)."""
    parts = Parts([], [], {name: [] for name in SHAPES})

    @hypothesis.seed(seed)
    @hypothesis.settings(
        max_examples=count,
        deadline=None,
        database=None,
        phases=[hypothesis.Phase.generate],
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    @hypothesis.given(_front_matter(), ald_lines(), st.tuples(*SHAPES.values()))
    def collect(front: list[str], ald: list[str], blocks: tuple[list[str], ...]) -> None:
        parts.front_matters.append(front)
        parts.ald_lines.append(ald)
        for name, block in zip(SHAPES, blocks, strict=True):
            parts.blocks[name].append(block)

    collect()
    unique = {name: list({"\n".join(b): b for b in found}.values()) for name, found in parts.blocks.items()}
    return Parts(parts.front_matters, parts.ald_lines, unique)


@dataclass(frozen=True)
class Composed:
    """A composed page and the shapes of its blocks."""

    document: Document
    shapes: frozenset[str]


def compose(parts: Parts, rng: random.Random) -> Composed:
    """A page as :func:`documents` makes them (front matter, the ALD keyword, ALD lines, 1 to 8 blocks, about a
    third of the pages with hostile blocks among them, CRLF in one of six), from ``parts``."""
    lines: list[str] = []
    if rng.random() < 0.5:
        lines += rng.choice(parts.front_matters)
    if rng.random() < 0.5:
        lines += ["{{site.data.keyword.attribute-definition-list}}", ""]
    lines += rng.choice(parts.ald_lines)
    hostile_page = rng.randrange(3) == 0
    names = [name for name in parts.blocks if hostile_page or name not in HOSTILE_SHAPES]
    shapes = set()
    for _ in range(rng.randint(1, 8)):
        name = rng.choice(names)
        shapes.add(name)
        lines += rng.choice(parts.blocks[name])
        lines.append(rng.choice(("", "", "", "\n")) if rng.randrange(6) else "")
    newline = "\r\n" if rng.randrange(6) == 0 else "\n"
    text = newline.join(lines) + rng.choice(("", newline))
    return Composed(Document(text, hostile_page and bool(shapes & set(HOSTILE_SHAPES))), frozenset(shapes))


# --- mutations of real pages -------------------------------------------------------------------------------


def mutate(text: str, rng: random.Random) -> tuple[str, str]:
    """One random corruption of ``text``; returns (mutated text, what was done)."""
    kind = rng.choice(("truncate", "delete", "duplicate", "flip", "swap"))
    lines = text.split("\n")
    if kind == "truncate":
        cut = rng.randrange(len(text) + 1)
        return text[:cut], f"truncate at {cut}"
    if kind in ("delete", "duplicate", "swap") and len(lines) > 1:
        start = rng.randrange(len(lines))
        count = min(rng.choice((1, 1, 1, 2, 5)), len(lines) - start)
        if kind == "delete":
            return "\n".join(lines[:start] + lines[start + count :]), f"delete lines {start + 1}+{count}"
        if kind == "duplicate":
            chunk = lines[start : start + count]
            return "\n".join(
                lines[: start + count] + chunk + lines[start + count :]
            ), f"duplicate {start + 1}+{count}"
        other = rng.randrange(len(lines))
        lines[start], lines[other] = lines[other], lines[start]
        return "\n".join(lines), f"swap lines {start + 1} and {other + 1}"
    data = bytearray(text.encode("utf-8"))
    if not data:
        return text, "flip (empty)"
    spots = [rng.randrange(len(data)) for _ in range(rng.choice((1, 2, 8)))]
    for spot in spots:
        data[spot] ^= 1 << rng.randrange(8)
    return data.decode("utf-8", errors="replace"), f"flip bytes at {sorted(spots)}"


# --- the properties ---------------------------------------------------------------------------------------------

#: The renderer's own safety net: it shows the page as text and reports this code when a rule raised.
INTERNAL_ERROR = "TD900"


@dataclass(frozen=True)
class Problem:
    """One violated property: ``kind`` is exception, hang, missing, leftover or diagnostic."""

    kind: str
    detail: str


@dataclass(frozen=True)
class Outcome:
    seconds: float
    problems: list[Problem]


def check_render(
    render: Callable[[str, str], Any],
    text: str,
    keywords: KeywordMap,
    *,
    time_limit: float,
    path: str = "x.md",
    reuse: Reuse | None = None,
) -> Outcome:
    """Render ``text`` once, extract its troubleshooting entries, and check: no exception, within ``time_limit``
    CPU seconds (a hang detector, not a benchmark), no source word missing from the output, no dialect syntax
    leaked outside code, diagnostics on real lines. ``reuse``: what the renderer substitutes content reuse from; the words
    that must show are then those of the page with reuse substituted.
    """
    # CPU time, not wall time: on a loaded machine a 20 ms render waits seconds for a core; a hang spins.
    started = time.process_time()
    try:
        page = render(text, path)
        extract_entries(page)
    except Exception:  # noqa: BLE001 -- the property under test: any exception is a finding
        return Outcome(time.process_time() - started, [Problem("exception", traceback.format_exc(limit=8))])
    seconds = time.process_time() - started
    problems: list[Problem] = []
    if seconds > time_limit:
        problems.append(Problem("hang", f"{seconds:.2f} s > {time_limit:.2f} s"))
    source = text if reuse is None else _with_reuse(text, path, reuse)
    missing = missing_words(source, page.html, keywords)
    if missing:
        problems.append(Problem("missing", f"{len(missing)} words missing: {missing[:20]}"))
    leftovers = unexplained_leftovers(source, page.html, keywords)
    if leftovers:
        problems.append(Problem("leftover", f"syntax shown outside code: {leftovers[:10]}"))
    runnable = what_could_run(page.html)
    if runnable:
        problems.append(Problem("script", f"a browser would run: {runnable[:5]}"))
    # The renderer, like editors, takes a lone CR for a line break too.
    last_line = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    # Reused text is reported in the file it comes from.
    files = {path: last_line}
    if reuse is not None:
        files[reuse.library.path] = CONREF.count("\n") + 1
    for diagnostic in page.diagnostics:
        if diagnostic.code == INTERNAL_ERROR:
            problems.append(Problem("exception", str(diagnostic)))
        elif diagnostic.path not in files or not 0 <= diagnostic.line <= files[diagnostic.path]:
            problems.append(Problem("diagnostic", f"diagnostic outside the file: {diagnostic}"))
    return Outcome(seconds, problems)


#: The renderer's parser, for :func:`_with_reuse` to decide what is code as the renderer does.
_MARKDOWN = build_markdown()


def _with_reuse(text: str, path: str, reuse: Reuse) -> str:
    """The body of ``text`` with content reuse substituted, as the renderer parses it."""
    body = split_front_matter(text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")).body
    expansion = expand(body, path, 1, reuse, partial(code_lines, _MARKDOWN))
    return text if expansion is None else expansion.text


#: A name a browser may run as an event handler: ``on`` and letters, five in all at least (``oncut``); ``on="…"``,
#: ``one="…"`` or ``on-side="…"`` are attributes that run nothing.
_HANDLER = re.compile(r"on[a-z]{3,}")


class _Runnable(HTMLParser):
    """Collects what a browser would run in a rendered page: ``<script>``, event handlers, refused URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.found.append("<script>")
        for name, value in attrs:
            if _HANDLER.fullmatch(name) or name == "srcdoc":
                self.found.append(f"<{tag} {name}>")
            elif name in URL_ATTRS and value is not None and not url_allowed(value):
                self.found.append(f"<{tag} {name}={value[:40]!r}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def what_could_run(page_html: str) -> list[str]:
    """The XSS oracle of the fuzzers: every element or attribute of a rendered page a browser would run (the
    built-site check in a real browser is ``tests/browser/test_hostile.py``)."""
    parser = _Runnable()
    parser.feed(page_html)
    parser.close()
    return parser.found
