"""The page renderer: one configured markdown-it per build, IBM Cloud docs dialect on top of CommonMark.

Pipeline for one page: split the front matter (keywords substituted in it first), substitute content reuse in
the body (:mod:`troubledocs.mdit.reuse`, each line's origin kept), then keywords (line numbers kept), parse with markdown-it and the dialect rules in ``troubledocs.mdit``, render, and
collect what the site needs (title, TOC, anchors, description, diagnostics, the final tokens).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import PurePosixPath
import re
import time
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common import normalize_url
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from troubledocs.conref import ConrefLibrary
from troubledocs.diagnostics import Diagnostic, LineMap, Severity
from troubledocs.frontmatter import split_front_matter
from troubledocs.keywords import KeywordMap, unmark_missing
from troubledocs.mdit import (
    block_ial,
    brackets,
    callouts,
    code,
    deflists,
    headings,
    html_blocks,
    interface,
    links,
    nesting,
    span_ial,
    steps,
    tables,
    tabs,
    troubleshoot,
)
from troubledocs.mdit.env import diagnostics, page_env
from troubledocs.mdit.links import LINES, LinkResolver
from troubledocs.mdit.reuse import ALIASES, Expansion, Reuse, expand
from troubledocs.mdit.tokens import classes, inline_text
from troubledocs.page import RenderedPage
from troubledocs.sanitize import safe_attrs_plugin

_ID = re.compile(r"""\sid=(?:"([^"]*)"|'([^']*)')""")


#: markdown-it's link normalisation (percent-encoding), remembered: the pages of a repository link to the same
#: few thousand URLs over and over (openshift: 26,000 links, 9,500 distinct), and it is a pure function.
_normalize_link = lru_cache(maxsize=16_384)(normalize_url.normalizeLink)


class _MarkdownIt(MarkdownIt):
    def normalizeLink(self, url: str) -> str:
        return _normalize_link(url)


def build_markdown() -> MarkdownIt:
    """CommonMark + tables + strikethrough, raw HTML allowed, and every dialect rule."""
    md = _MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    for plugin in (
        block_ial.block_ial_plugin,
        span_ial.span_ial_plugin,
        brackets.brackets_plugin,
        html_blocks.html_blocks_plugin,
        tables.tables_plugin,
        deflists.deflists_plugin,
        code.code_plugin,
        troubleshoot.troubleshoot_plugin,
        callouts.callouts_plugin,
        headings.headings_plugin,
        links.links_plugin,
        tabs.tabs_plugin,
        interface.interface_plugin,
        steps.steps_plugin,
    ):
        md.use(plugin)
    md.use(nesting.nesting_plugin)  # after every block rule: it runs before them all
    md.add_render_rule("paragraph_open", _paragraph_open)
    md.use(safe_attrs_plugin)  # last: it checks the attributes every other rule has set
    return md


def _paragraph_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """A tight list item's paragraph right after another (an attribute list or an HTML tag between them ended the
    first) starts on a new line: markdown-it would glue the last word of one to the first of the next."""
    if tokens[idx].hidden and idx and tokens[idx - 1].type == "paragraph_close" and tokens[idx - 1].hidden:
        return "\n"
    return self.renderToken(tokens, idx, options, env)


class Renderer:
    """Renders pages; ``keywords=None`` uses the default keyword map shipped in ``data/keywords.json``,
    ``reuse=None`` reuses nothing (every reference shows a placeholder)."""

    def __init__(
        self,
        keywords: KeywordMap | None = None,
        *,
        link_resolver: LinkResolver | None = None,
        reuse: Reuse | None = None,
    ) -> None:
        self.keywords = keywords if keywords is not None else KeywordMap.load()
        self.link_resolver = link_resolver
        self.reuse = reuse if reuse is not None else Reuse(ConrefLibrary())
        self.md = build_markdown()

    def _code_lines(self, text: str) -> list[bool]:
        return code.code_lines(self.md, text)

    def _env(
        self, path: str, offset: int, expansion: Expansion | None, lines: LineMap | None, code_lines: bool
    ) -> EnvType:
        """A page's env; ``code_lines``: the parse records which lines of the page are code."""
        env = page_env(path, offset)
        if self.link_resolver is not None:
            env["td_link_resolver"] = self.link_resolver
        if expansion is not None:
            env[ALIASES] = expansion.aliases
        if lines is not None:
            env[LINES] = lines
        if code_lines:
            env[code.CODE_LINES] = None
        return env

    def render(self, text: str, path: str) -> RenderedPage:
        started, peak_before = time.perf_counter(), peak_memory()
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")
        found: list[Diagnostic] = []

        def substitute_header(raw: str, first_line: int) -> str:
            result = self.keywords.substitute(raw, path, first_line, markdown=False)
            found.extend(result.diagnostics)
            return result.text

        header = split_front_matter(text, path, substitute=substitute_header)
        found.extend(header.diagnostics)
        first_line = header.offset + 1
        expansion = expand(header.body, path, first_line, self.reuse, self._code_lines)
        lines = LineMap(path, first_line, expansion.origins) if expansion is not None else None
        source = expansion.text if expansion else header.body
        # Code guessed by the fence scan; where a wrong guess would show, the page's own parse checks it.
        body = self.keywords.substitute(source, path, first_line)
        env = self._env(path, header.offset, expansion, lines, body.unchecked)
        try:
            tokens = self.md.parse(body.text, env)
            if body.unchecked and (
                self.keywords.substitute(source, path, first_line, in_code=env[code.CODE_LINES]).text
                != body.text
            ):
                # The parse makes code of what the guess took for prose, or the other way, where it shows: a block
                # parse of the page with references as bare words decides, and the page is parsed again.
                body = self.keywords.substitute(source, path, first_line, code_lines=self._code_lines)
                env = self._env(path, header.offset, expansion, lines, False)
                tokens = self.md.parse(body.text, env)
            _unmark_code(tokens)
            _add_last_updated(tokens, header.meta)
            html = self.md.renderer.render(tokens, self.md.options, env)
        except Exception as error:  # noqa: BLE001 -- a renderer bug must not lose the page: text + error
            tokens, html = [], f"<pre>{_escape(body.text)}</pre>\n"
            found.append(
                Diagnostic(path, 0, "TD900", f"renderer error, page shown as text: {error!r}", Severity.ERROR)
            )
        on_body = [*body.diagnostics, *diagnostics(env)]
        found.extend(on_body if lines is None else [lines.locate(d) for d in on_body])
        if expansion is not None:
            found.extend(expansion.diagnostics)
        found.extend(_over_budget(path, time.perf_counter() - started, peak_memory() - peak_before))
        entries = headings.heading_entries(tokens)
        # The H1, else the front matter's title, else the first heading (a troubleshooting page that starts at
        # ``##``: the heading that also carries its topic id).
        title = (
            next((e.title for e in entries if e.level == 1), "")
            or str(header.meta.get("title") or "")
            or (entries[0].title if entries else "")
        )
        return RenderedPage(
            path=path,
            html=html,
            title=title or PurePosixPath(path).stem,
            toc=headings.toc_tree(headings.heading_entries(tokens, listed=True)),
            anchors={a or b for a, b in _ID.findall(html)},
            meta=header.meta,
            description=_description(tokens),
            diagnostics=sorted(found, key=lambda d: (d.path != path, d.path, d.line)),
            tokens=tokens,
            lines=lines,
        )


#: What one page may cost to render before it is reported (``TD902``): every rule is linear, so only a huge page
#: gets there, and the author should hear that it slows every build.
PAGE_SECONDS = 60.0
PAGE_MEMORY = 1 << 30


def peak_memory() -> int:
    """The process's peak resident memory in bytes so far (0 where the platform does not say)."""
    try:
        import resource
    except ImportError:  # Windows
        return 0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux


def _over_budget(path: str, seconds: float, memory: int) -> list[Diagnostic]:
    found = []
    if seconds > PAGE_SECONDS:
        found.append(
            Diagnostic(path, 1, "TD902", f"rendering took {seconds:.1f} s (budget {PAGE_SECONDS:.0f} s)")
        )
    if memory > PAGE_MEMORY:
        message = f"rendering took {memory >> 20} MB more memory (budget {PAGE_MEMORY >> 20} MB)"
        found.append(Diagnostic(path, 1, "TD902", message))
    return found


def render_page(text: str, path: str, keywords: KeywordMap | None = None) -> RenderedPage:
    """Render one page with a throw-away :class:`Renderer` (build one and reuse it for many pages)."""
    return Renderer(keywords).render(text, path)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _description(tokens: list[Token]) -> str:
    """The text of the first ``{: shortdesc}`` paragraph."""
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and "shortdesc" in classes(token) and index + 1 < len(tokens):
            return inline_text(tokens[index + 1])
    return ""


def _unmark_code(tokens: list[Token]) -> None:
    """Keyword substitution guesses code before parsing; where the parser made code of what it took for prose,
    the unknown-keyword markup goes back to the reference as written."""
    for token in tokens:
        if token.type in ("fence", "code_block") and "td-missing-keyword" in token.content:
            token.content = unmark_missing(token.content)
        for child in token.children or ():
            if child.type == "code_inline" and "td-missing-keyword" in child.content:
                child.content = unmark_missing(child.content)


#: Front matter of IBM's tutorials shown under the H1 (``content-type: tutorial``), with its label.
TUTORIAL_DETAILS = {
    "completion-time": "Completion time",
    "account-plan": "Account plan",
    "services": "Services",
}


def _tutorial_details(meta: dict[str, Any]) -> str:
    """``<p class="td-tutorial-details">`` with the tutorial's completion time, account plan and services."""
    if meta.get("content-type") != "tutorial":
        return ""
    shown = [
        f"{label}: <span>{_escape(str(meta[key]))}</span>"
        for key, label in TUTORIAL_DETAILS.items()
        if meta.get(key) not in (None, "")
    ]
    return f'<p class="td-tutorial-details">{" · ".join(shown)}</p>\n' if shown else ""


def _add_last_updated(tokens: list[Token], meta: dict[str, Any]) -> None:
    """Show front matter ``lastupdated`` as a "Last updated" line under the H1 (or first when there is none), and
    a tutorial's details (:data:`TUTORIAL_DETAILS`)."""
    value = meta.get("lastupdated")
    updated = (
        f'<p class="td-last-updated">Last updated: <time>{_escape(str(value))}</time></p>\n'
        if value not in (None, "")
        else ""
    )
    details = _tutorial_details(meta)
    if not updated and not details:
        return
    line = Token("html_block", "", 0)
    line.content = updated + details
    after = next((i + 1 for i, t in enumerate(tokens) if t.type == "heading_close" and t.tag == "h1"), 0)
    line.map = tokens[after - 2].map if after >= 2 else [0, 0]  # the H1's line(s)
    tokens.insert(after, line)
