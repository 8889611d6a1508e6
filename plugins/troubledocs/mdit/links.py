"""Hand every link and image target to the renderer's link resolver (topic-id links, relative pages…)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

#: ``(href, page_path, line) -> href``; ``line`` is 1-based and counts the front matter.
LinkResolver = Callable[[str, str, int], str]


def links_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("td_links", _resolve_links)
    md.add_render_rule("td_unavailable_image", _render_unavailable_image)


def unavailable_image(alt: str, src: str) -> str:
    """What stands for an image the site cannot offer (outside the repository): its alt text, marked."""
    where = escapeHtml(src)
    return f'<span class="td-unavailable-image" title="Image not in this repository: {where}">{escapeHtml(alt)}</span>'


def _render_unavailable_image(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    return unavailable_image(
        self.renderInlineAsText(token.children or [], options, env), str(token.meta.get("src", ""))
    )


#: The ``meta`` key under which a link or image whose target the resolver changed keeps the target as written.
SOURCE_URL = "source_url"


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
            if not isinstance(value, str):
                continue
            resolved = resolve(value, path, line)
            if key == "src" and not resolved and value:
                # The resolver cannot offer this image (outside the repository): show its alt text instead.
                child.type = "td_unavailable_image"
                child.meta = {**child.meta, "src": value}
            else:
                if resolved != value:
                    # What the author wrote (the extractor reads topic ids from it).
                    child.meta = {**child.meta, SOURCE_URL: value}
                child.attrSet(key, resolved)
