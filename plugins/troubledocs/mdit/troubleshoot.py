"""Troubleshooting parts: the blocks marked ``tsSymptoms``, ``tsCauses``, ``tsResolve`` open labelled sections.

IBM's app prints the labels with CSS; here they are real text so every theme (and a screen reader) shows them:
each part is wrapped in ``ts_part_open``/``ts_part_close`` tokens (``meta["part"]`` = ``symptoms``/``causes``/
``resolve``) rendering ``<section class="td-ts td-ts-symptoms"><p class="td-ts-label">What's happening</p>`` …
``</section>``. A part starts at its marked block and runs, among that block's siblings, up to the next marked
block, the next heading or the end of the enclosing container, so the symptoms part holds the symptom paragraph
and the ``{: screen}`` blocks after it, and the resolve part every step up to the next heading. A marked heading
(``## Fixing registry quota issues`` + ``{: tsResolve}``) makes its whole section, after the heading, the part. The marked block
keeps its class (extractor contract). Both placements of the marker (after the paragraph, or before it in the
legacy pages) arrive here the same way, through :mod:`troubledocs.mdit.block_ial`.
"""

from __future__ import annotations

from collections.abc import Sequence
import html

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
    span_map,
)

#: marker class → (part name, label)
PARTS: dict[str, tuple[str, str]] = {
    "tsSymptoms": ("symptoms", "What's happening"),
    "tsCauses": ("causes", "Why it's happening"),
    "tsResolve": ("resolve", "How to fix it"),
}
LABELS = dict(PARTS.values())


def troubleshoot_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("td_troubleshoot", _parts)
    md.add_render_rule("ts_part_open", _render_open)
    md.add_render_rule("ts_part_close", _render_close)


def part_of(token: Token) -> str | None:
    """The part a block marks (``symptoms``/``causes``/``resolve``), or ``None``."""
    if not token.attrs or not is_block_start(token) or token.type in PART_BLOCKS:
        return None
    found = next((c for c in classes(token) if c in PARTS), None)
    return PARTS[found][0] if found else None


def _parts(state: StateCore) -> None:
    tokens = state.tokens
    if not any(part_of(token) for token in tokens):
        return
    close = matching_close(tokens)
    wraps: list[Wrap] = []
    index = 0
    while index < len(tokens):
        part = part_of(tokens[index])
        if part is None:
            index += 1
            continue
        marker = tokens[index]
        # A marked heading (``## Fixing it`` + ``{: tsResolve}``): the part is its section, up to the next
        # heading of the same or a higher rank; a marked block runs up to any heading.
        rank = int(marker.tag[1]) if marker.type == "heading_open" else 7
        start = close[index] + 1 if marker.type == "heading_open" else index
        end = start - 1 if marker.type == "heading_open" else close[index]
        following = end + 1
        while following < len(tokens):
            sibling = tokens[following]
            if sibling.nesting == -1 or part_of(sibling) is not None:
                break
            if sibling.type == "heading_open" and (rank == 7 or int(sibling.tag[1]) <= rank):
                break
            end = close[following]
            following = end + 1
        if end >= start:
            wraps.append(_wrap(tokens[start], part, start, end, span_map(tokens, start, end)))
        index = following
    state.tokens = insert_wraps(tokens, wraps)


def _wrap(first: Token, part: str, start: int, end: int, lines: list[int] | None) -> Wrap:
    opening = Token("ts_part_open", "section", 1)
    opening.block, opening.level, opening.map = True, first.level, lines
    opening.meta = {"part": part}
    opening.attrSet("class", f"td-ts td-ts-{part}")
    closing = Token("ts_part_close", "section", -1)
    closing.block, closing.level, closing.map = True, first.level, lines
    closing.meta = {"part": part}
    return Wrap(start, end, opening, closing)


def _render_open(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    label = html.escape(LABELS[str(token.meta["part"])], quote=False)
    return f'<section class="{token.attrGet("class")}">\n<p class="td-ts-label">{label}</p>\n'


def _render_close(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return "</section>\n"
