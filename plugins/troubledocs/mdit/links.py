"""Hand every link and image target to the renderer's link resolver (topic-id links, relative pages…)."""

from __future__ import annotations

from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

#: ``(href, page_path, line) -> href``; ``line`` is 1-based and counts the front matter.
LinkResolver = Callable[[str, str, int], str]


def links_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("td_links", _resolve_links)


def _resolve_links(state: StateCore) -> None:
    resolve = state.env.get("td_link_resolver")
    if resolve is None:
        return
    path = str(state.env.get("td_path", ""))
    offset = int(state.env.get("td_line_offset", 0))
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        line = (block.map[0] + 1 + offset) if block.map else 0
        for child in block.children:
            key = "href" if child.type == "link_open" else "src" if child.type == "image" else None
            if key is None:
                continue
            value = child.attrGet(key)
            if isinstance(value, str):
                child.attrSet(key, resolve(value, path, line))
