"""Callouts: ``{: note}``, ``{: tip}``, ``{: important}`` … become Material admonitions.

The marked block (paragraph, list, code block, table, definition list, blockquote) is wrapped in
``callout_open``/``callout_close`` tokens that render ``<div class="admonition TYPE td-KIND"><p
class="admonition-title">Label</p>`` … ``</div>``; the callout class leaves the inner block (Material styles the
wrapper; on a list item the box goes inside the ``<li>``). ``TYPE`` is the Material admonition type whose colour
fits (``important`` → ``warning``). Headings keep such classes untouched (``{: deprecated}`` on a heading is a
marker, not a box). ``{: shortdesc}`` stays a class on its ``<p>`` (the theme draws the lead paragraph); the first
one is the page description.
"""

from __future__ import annotations

from collections.abc import Sequence
import html
import re

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererProtocol
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from troubledocs.mdit.tokens import (
    PART_BLOCKS,
    Wrap,
    classes,
    insert_wraps,
    is_block_start,
    matching_close,
    remove_class,
    span_map,
)

#: callout class → (Material admonition type, label). Every name is also an ALD name of ``data/ald.txt``.
CALLOUTS: dict[str, tuple[str, str]] = {
    "note": ("note", "Note"),
    "tip": ("tip", "Tip"),
    "important": ("warning", "Important"),
    "deprecated": ("danger", "Deprecated"),
    "preview": ("info", "Preview"),
    "beta": ("info", "Beta"),
    "experimental": ("info", "Experimental"),
    "unsupported": ("warning", "Unsupported"),
    "attention": ("danger", "Attention"),
    "restriction": ("warning", "Restriction"),
    "requirement": ("info", "Requirement"),
    "remember": ("note", "Remember"),
    "exception": ("info", "Exception"),
    "fast-path": ("tip", "Fast path"),
}
_CALLOUT_CLASS = re.compile(r"(?:^|\s)(?:" + "|".join(map(re.escape, CALLOUTS)) + r")(?:\s|$)")
#: A callout on a list item boxes the item's content; other inner blocks and headings get no box.
_NOT_BOXED = (PART_BLOCKS - {"list_item_open"}) | {"heading_open"}


def callouts_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("td_callouts", _callouts)
    md.add_render_rule("callout_open", _render_open)
    md.add_render_rule("callout_close", _render_close)


def _callouts(state: StateCore) -> None:
    tokens = state.tokens
    if not any(
        token.attrs and token.block and _CALLOUT_CLASS.search(str(token.attrs.get("class", "")))
        for token in tokens
    ):
        return
    close = matching_close(tokens)
    wraps: list[Wrap] = []
    for index, token in enumerate(tokens):
        if (
            not token.attrs
            or not is_block_start(token)
            or token.type in _NOT_BOXED
            or token.type.startswith("callout")
        ):
            continue
        kind = next((c for c in classes(token) if c in CALLOUTS), None)
        if kind is None:
            continue
        remove_class(token, kind)
        # On a list item (a tight item's paragraph is not rendered) the box goes inside the item.
        start, end = (
            (index + 1, close[index] - 1) if token.type == "list_item_open" else (index, close[index])
        )
        if start > end:
            continue
        for inner in tokens[start : end + 1]:
            if inner.type.startswith("paragraph_") and inner.level == token.level + 1:
                inner.hidden = False  # text inside the box needs its <p>
        lines = span_map(tokens, start, end)
        opening = Token("callout_open", "div", 1)
        opening.block, opening.level, opening.map = True, token.level, lines
        opening.meta = {"kind": kind}
        closing = Token("callout_close", "div", -1)
        closing.block, closing.level, closing.map = True, token.level, lines
        wraps.append(Wrap(start, end, opening, closing))
    state.tokens = insert_wraps(tokens, wraps)


def _render_open(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    kind = str(tokens[idx].meta["kind"])
    material, label = CALLOUTS[kind]
    return (
        f'<div class="admonition {material} td-{kind}"><p class="admonition-title">{html.escape(label)}</p>\n'
    )


def _render_close(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return "</div>\n"
