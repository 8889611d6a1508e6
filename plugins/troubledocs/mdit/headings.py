"""Heading ids and the page's table of contents.

A heading keeps the id its attribute list gives (``## Title`` + ``{: #id}``) and never gets a slug then; other
headings get a slug made like Python-Markdown's ``toc`` extension does (so anchors look familiar to MkDocs
users), made unique with ``_1``, ``_2`` … and never equal to an explicit id anywhere on the page. An explicit id
used twice warns ``TD301``. A heading included from another file has IBM's id ``PAGEID-include-ID``
(:mod:`troubledocs.mdit.reuse`); where ``ID`` is used by nothing else on the page, an empty ``<span id="ID">``
at the start of the heading keeps links to the plain id working. Heading attributes such as ``troubleshoot``/``support`` arrive through the ALD table as
``data-hd-content-type``/``data-reuse`` and stay on the ``<hN>``.
"""

from __future__ import annotations

import re
import unicodedata

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from troubledocs.mdit.env import report
from troubledocs.mdit.reuse import ALIASES
from troubledocs.mdit.tokens import inline_text
from troubledocs.page import TocEntry

_NOT_WORD = re.compile(r"[^\w\s-]")
_DASHES = re.compile(r"[-\s]+")


def headings_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("td_heading_ids", _heading_ids)


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _DASHES.sub("-", _NOT_WORD.sub("", ascii_text).strip().lower()) or "section"


def _heading_ids(state: StateCore) -> None:
    tokens = state.tokens
    taken: set[str] = set()
    for token in tokens:
        if token.attrs and "id" in token.attrs:
            ident = str(token.attrs["id"])
            if ident in taken:
                line = token.map[0] + 1 if token.map else 0
                report(state.env, line, "TD301", f"id {ident!r} is used more than once on this page")
            taken.add(ident)
    # The next suffix to try per base: the n-th heading of a base does not try the n-1 taken ones again.
    counters: dict[str, int] = {}
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or token.attrGet("id") is not None:
            continue
        base = slugify(inline_text(tokens[index + 1])) if index + 1 < len(tokens) else "section"
        ident, counter = base, counters.get(base, 0)
        if counter:
            ident = f"{base}_{counter}"
        while ident in taken:
            counter += 1
            ident = f"{base}_{counter}"
        counters[base] = counter + 1
        taken.add(ident)
        token.attrSet("id", ident)
    _add_aliases(tokens, state.env.get(ALIASES) or {}, taken)


def _add_aliases(tokens: list[Token], aliases: dict[str, str], taken: set[str]) -> None:
    """An anchor with the plain id inside each included heading whose plain id is free and unique."""
    if not aliases:
        return
    uses: dict[str, int] = {}
    headings = [
        (i, t) for i, t in enumerate(tokens) if t.type == "heading_open" and t.attrGet("id") in aliases
    ]
    for _, token in headings:
        plain = aliases[str(token.attrGet("id"))]
        uses[plain] = uses.get(plain, 0) + 1
    for index, token in headings:
        plain = aliases[str(token.attrGet("id"))]
        inline = tokens[index + 1] if index + 1 < len(tokens) else None
        if plain in taken or uses[plain] > 1 or inline is None or inline.type != "inline":
            continue
        anchor = Token("html_inline", "", 0)
        anchor.content = f'<span id="{plain}"></span>'
        inline.children = [anchor, *(inline.children or [])]
        taken.add(plain)


#: The class of a heading the page's table of contents leaves out (``{: notoc}``, a video's transcript heading).
NOTOC = "notoc"


def heading_entries(tokens: list[Token], listed: bool = False) -> list[TocEntry]:
    """Every heading in order, flat (level, id, text); with ``listed``, only those the page's table of contents
    lists (not the ones marked ``notoc``)."""
    return [
        TocEntry(int(token.tag[1]), str(token.attrGet("id") or ""), inline_text(tokens[index + 1]))
        for index, token in enumerate(tokens)
        if token.type == "heading_open"
        and index + 1 < len(tokens)
        and not (listed and NOTOC in str(token.attrGet("class") or "").split())
    ]


def toc_tree(entries: list[TocEntry]) -> list[TocEntry]:
    """Nest headings under the nearest shallower one. The H1 is the root, its sections its children, which is
    what MkDocs gives Material (Material's TOC then lists the H1's children)."""
    roots: list[TocEntry] = []
    stack: list[TocEntry] = []
    for entry in entries:
        while stack and stack[-1].level >= entry.level:
            stack.pop()
        (stack[-1].children if stack else roots).append(entry)
        stack.append(entry)
    return roots
