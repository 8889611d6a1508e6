"""Hand every link and image target to the renderer's link resolver (topic-id links, relative pages…).

A page loads nothing from another host (it works offline and under a strict Content-Security-Policy): an image
or video embed whose source is on another host (``![Intro](https://www.youtube.com/embed/…){: video …}``)
becomes a link to it, with its alt text (the video's title); an image the site cannot offer shows its alt text.
A video or sound file of the site in image syntax (``![Demo](demo.mp4){: video controls}``) plays in a ``<video>``
or ``<audio>`` element, which an ``<img>`` could not.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
import re

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from troubledocs.diagnostics import LineMap
from troubledocs.mdit.span_ial import with_caption
from troubledocs.sanitize import url_allowed

#: ``(href, page_path, line, holder) -> href``; ``line`` is 1-based and counts the front matter; ``holder`` is the
#: file whose text holds the link (an included file, else the page).
LinkResolver = Callable[[str, str, int, str], str]
#: The ``env`` key of the page's :class:`~troubledocs.diagnostics.LineMap` (set when the page reuses content).
LINES = "td_lines"
#: A URL on another host: ``https://…``, ``http://…``, protocol-relative ``//…``.
_REMOTE = re.compile(r"\A\s*(?:[A-Za-z][A-Za-z0-9+.-]*:)?//")


def is_remote(url: str) -> bool:
    """Whether loading ``url`` would leave the site."""
    return _REMOTE.match(url) is not None


#: File endings of what an ``<img>`` cannot show: the image syntax names a video or a sound.
_MEDIA_ENDINGS = {
    **dict.fromkeys((".mp4", ".m4v", ".webm", ".ogv", ".mov"), "video"),
    **dict.fromkeys((".mp3", ".wav", ".m4a", ".oga", ".ogg", ".flac"), "audio"),
}
_ENDING = re.compile(r"\.[A-Za-z0-9]+\Z")


def links_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("td_links", _resolve_links)
    md.add_render_rule("td_unavailable_image", _render_unavailable_image)
    md.add_render_rule("td_media", _render_media)


def _media_kind(src: str) -> str:
    """``"video"`` or ``"audio"`` when ``src`` names such a file (``images/demo.mp4``), else ``""``."""
    ending = _ENDING.search(src.split("?", 1)[0].split("#", 1)[0])
    return _MEDIA_ENDINGS.get(ending.group(0).lower(), "") if ending else ""


def _render_media(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """``![Demo](demo.mp4){: video controls}``: a ``<video>`` (or ``<audio>``) with the image's attributes; the alt
    text is its accessible name and what a browser without the format shows."""
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    attrs = {name: value for name, value in (token.attrs or {}).items() if name != "alt"}
    attrs.setdefault("controls", "controls")
    attrs["aria-label"] = alt
    shown = f"<{token.tag}{self.renderAttrs(_with_attrs(token, attrs))}>{escapeHtml(alt)}</{token.tag}>"
    return with_caption(shown, token)


def _with_attrs(token: Token, attrs: dict[str, str | int | float]) -> Token:
    copy = token.copy()
    copy.attrs = attrs
    return copy


def unavailable_image(alt: str, src: str, link: bool = False) -> str:
    """What stands for an image the site cannot offer: its alt text, marked; with ``link``, a remote image or
    video becomes a link to it (never inside another link, never to a scheme the URL policy refuses)."""
    where = escapeHtml(src)
    if link and is_remote(src) and url_allowed(src):
        return f'<a class="td-remote-media" href="{where}">{escapeHtml(alt or src)}</a>'
    why = "On another site" if is_remote(src) else "Image not in this repository"
    return f'<span class="td-unavailable-image" title="{why}: {where}">{escapeHtml(alt)}</span>'


def _render_unavailable_image(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    inside_link = sum(t.nesting for t in tokens[:idx] if t.type in ("link_open", "link_close")) > 0
    shown = unavailable_image(
        self.renderInlineAsText(token.children or [], options, env),
        str(token.meta.get("src", "")),
        link=not inside_link,
    )
    return with_caption(shown, token)


#: The ``meta`` key under which a link or image whose target the resolver changed keeps the target as written.
SOURCE_URL = "source_url"


def _resolve_links(state: StateCore) -> None:
    resolve = state.env.get("td_link_resolver")
    path = str(state.env.get("td_path", ""))
    offset = int(state.env.get("td_line_offset", 0))
    lines = state.env.get(LINES)
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        line = (block.map[0] + 1 + offset) if block.map else 0
        holder = lines.holder(line) if isinstance(lines, LineMap) else path
        for child in block.children:
            key = "href" if child.type == "link_open" else "src" if child.type == "image" else None
            if key is None:
                continue
            value = child.attrGet(key)
            if not isinstance(value, str):
                continue
            if key == "src" and is_remote(value):
                resolved = ""
            else:
                resolved = value if resolve is None else resolve(value, path, line, holder)
            if key == "src" and not resolved and value:
                # On another host, or the resolver cannot offer it (missing, outside the repository).
                child.type = "td_unavailable_image"
                child.meta = {**child.meta, "src": value}
            else:
                if resolved != value:
                    # What the author wrote (the extractor reads topic ids from it).
                    child.meta = {**child.meta, SOURCE_URL: value}
                child.attrSet(key, resolved)
                if key == "src" and (kind := _media_kind(resolved)):
                    child.type, child.tag = "td_media", kind
