"""Blocks nested deeper than markdown-it's limit are shown as text, with a warning, instead of vanishing.

markdown-it stops parsing a container at ``maxNesting`` levels (20) and drops the lines it did not parse: a list
loses its items from the tenth level on, a quote its text from the twentieth ``>``. This rule runs first at the
last two levels before the limit where a block that holds blocks (a list, a quote, a table …) would start, and
turns what is left of the container into one paragraph of its text (``TD409``): no container opens there, so
nothing reaches the limit. The limit itself stays: markdown-it-py
parses nested blocks recursively, and a higher one would trade lost text for a ``RecursionError``.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from troubledocs.mdit.env import report

#: Levels a list item needs beyond its own (the list and the item), so the rule runs that much before the limit.
_MARGIN = 2


def nesting_plugin(md: MarkdownIt) -> None:
    """Use it after every other block rule family, so that it runs before all of them."""
    md.block.ruler.before(md.block.ruler.get_all_rules()[0], "td_nesting", _too_deep)


#: Block rules whose blocks hold no other block: they render at any level the rule lets the parser reach.
_LEAVES = frozenset({"code", "fence", "hr", "reference", "heading", "lheading", "paragraph", "td_block_ial"})


def _too_deep(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.level < state.md.options["maxNesting"] - _MARGIN or not _container_at(
        state, start_line, end_line
    ):
        return False
    if silent:
        return True
    text = state.getLines(start_line, end_line, state.blkIndent, False).strip()
    report(
        state.env,
        start_line + 1,
        "TD409",
        f"blocks nested deeper than {state.md.options['maxNesting'] - _MARGIN} levels are shown as text",
    )
    # Not a ``paragraph``: a tight list would hide its <p>, gluing the text to the item's.
    opening = state.push("deep_text_open", "p", 1)
    opening.map = [start_line, end_line]
    inline = state.push("inline", "", 0)
    inline.content = text
    inline.map = [start_line, end_line]
    inline.children = []
    state.push("deep_text_close", "p", -1)
    state.line = end_line
    return True


def _container_at(state: StateBlock, line: int, end_line: int) -> bool:
    """Whether a block that holds blocks (a list, a quote, a table …) starts at ``line``."""
    return any(
        rule.enabled
        and rule.name not in _LEAVES
        and rule.fn is not _too_deep
        and rule.fn(state, line, end_line, True)
        for rule in state.md.block.ruler.__rules__
    )
