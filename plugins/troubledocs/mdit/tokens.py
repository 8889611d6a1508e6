"""Token-stream helpers shared by the core rules: matching pairs, wrapping runs of blocks, classes, text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it.token import Token


def matching_close(tokens: Sequence[Token]) -> list[int]:
    """For each index, the index of the token that closes it (itself for tokens that open nothing)."""
    result = list(range(len(tokens)))
    stack: list[int] = []
    for index, token in enumerate(tokens):
        if token.nesting == 1:
            stack.append(index)
        elif token.nesting == -1 and stack:
            result[stack.pop()] = index
    return result


def classes(token: Token) -> list[str]:
    return str(token.attrGet("class") or "").split()


def remove_class(token: Token, name: str) -> None:
    remaining = [c for c in classes(token) if c != name]
    if remaining:
        token.attrSet("class", " ".join(remaining))
    elif token.attrs and "class" in token.attrs:
        del token.attrs["class"]


#: Blocks whose parent allows only their kind (``<li>`` in a list, rows in a table): never wrap them in a box.
PART_BLOCKS = frozenset(
    {"list_item_open", "tr_open", "th_open", "td_open", "thead_open", "tbody_open", "dt_open", "dd_open"}
)


def is_block_start(token: Token) -> bool:
    """An opening block token or a self-contained block (fence, hr, html block, …); not inline, not a close."""
    return token.block and token.nesting >= 0 and token.type != "inline"


def inline_text(token: Token) -> str:
    """The plain text of an inline token: text, code spans and image alt text; markup dropped."""
    if not token.children:
        return token.content
    parts: list[str] = []
    for child in token.children:
        if child.type in {"text", "code_inline", "image", "td_media"}:
            parts.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
    return "".join(parts).strip()


@dataclass
class Wrap:
    """Wrap ``tokens[start..end]`` (inclusive) in ``open``/``close``; ``outer`` wraps sharing a start go first."""

    start: int
    end: int
    open: Token
    close: Token


def span_map(tokens: Sequence[Token], start: int, end: int) -> list[int] | None:
    """The source lines ``[first, last + 1)`` that ``tokens[start..end]`` cover (for wrapper tokens' ``map``)."""
    maps = [t.map for t in tokens[start : end + 1] if t.map]
    return [min(m[0] for m in maps), max(m[1] for m in maps)] if maps else None


def insert_wraps(tokens: list[Token], wraps: Sequence[Wrap]) -> list[Token]:
    """A new list with the wraps inserted; wraps must nest properly (given outermost first when they share ends)."""
    if not wraps:
        return tokens
    opens: dict[int, list[Token]] = {}
    closes: dict[int, list[Token]] = {}
    for wrap in wraps:
        opens.setdefault(wrap.start, []).append(wrap.open)
        closes.setdefault(wrap.end, []).insert(0, wrap.close)
    out: list[Token] = []
    for index, token in enumerate(tokens):
        out.extend(opens.get(index, ()))
        out.append(token)
        out.extend(closes.get(index, ()))
    return out
