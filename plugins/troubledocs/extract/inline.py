"""Plain text and links of markdown-it inline tokens."""

from __future__ import annotations

import re

from markdown_it.token import Token

from troubledocs.mdit.links import SOURCE_URL

BREAK = re.compile(r"</?br\s*/?>", re.IGNORECASE)
_TOPIC_LINK = re.compile(
    r"[?&]topic=[\w-]*?-(?P<topic>[\w.-]+?)(?:#(?P<frag>[\w.-]+))?$|#(?P<anchor>[\w.-]+)$"
    r"|(?:^|/)(?P<file>[\w.-]+)\.md$"
)


def inline_text(token: Token) -> str:
    """Plain text of an inline token: text and code spans, breaks as spaces, markup dropped."""
    children = token.children
    if not children:
        return str(token.content)
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "html_inline" and BREAK.match(child.content):
            parts.append("\n")
    return "".join(parts)


def link_text_length(token: Token) -> tuple[int, int]:
    """How many links an inline token holds and how many characters of its text are link text."""
    links = length = 0
    inside = False
    for child in token.children or []:
        if child.type == "link_open":
            links += 1
            inside = True
        elif child.type == "link_close":
            inside = False
        elif inside and child.type in ("text", "code_inline"):
            length += len(child.content)
    return links, length


def link_targets(token: Token) -> list[str]:
    """The link targets of an inline token as written (before the site's link resolver rewrote them)."""
    return [
        str(child.meta.get(SOURCE_URL) or child.attrGet("href"))
        for child in token.children or []
        if child.type == "link_open" and child.attrGet("href")
    ]


def topic_of(href: str) -> str | None:
    """The topic or anchor id that a docs link points at (``?topic=containers-x`` → ``x``), or the page it
    names once the site's link rewriting made it a file link (``ts-x.md`` → ``ts-x``)."""
    match = _TOPIC_LINK.search(href)
    if not match:
        return None
    return match.group("frag") or match.group("topic") or match.group("anchor") or match.group("file")
