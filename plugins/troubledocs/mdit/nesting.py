"""Blocks nested deeper than markdown-it's limit are shown as text, with a warning, instead of vanishing.

markdown-it stops parsing a container at ``maxNesting`` levels (20) and drops the lines it did not parse: a list
loses its items from the tenth level on, a quote its text from the twentieth ``>``. This rule runs first at the
last two levels before the limit where a block that holds blocks (a list, a quote, a table …) would start, and
turns what is left of the container into one paragraph of its text (``TD409``): no container opens there, so
nothing reaches the limit. The limit itself stays: markdown-it-py
parses nested blocks recursively, and a higher one would trade lost text for a ``RecursionError``.
"""

from __future__ import annotations

import re

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
    end_line = _container_end(state, start_line, end_line)
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


#: A line that starts a block (a list item, a quote, a heading, a fence), so it cannot continue a paragraph.
_BLOCK_START = re.compile(r"[ \t]*(?:[-*+](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|>|#{1,6}(?:[ \t]|$)|```|~~~)")


def _container_end(state: StateBlock, start_line: int, end_line: int) -> int:
    """Where the deep container ends: markdown-it hands a nested block every line to the end of the outer ones,
    and stops at the first block left of the current indentation; a line there ends it after a blank line, or
    when it starts a block (else it may be a lazy continuation of the deep paragraph)."""
    for line in range(start_line + 1, end_line):
        if state.isEmpty(line) or state.sCount[line] >= state.blkIndent:
            continue
        text = state.src[state.bMarks[line] : state.eMarks[line]]
        if state.isEmpty(line - 1) or _BLOCK_START.match(text):
            return line
    return end_line


def _container_at(state: StateBlock, line: int, end_line: int) -> bool:
    """Whether a block that holds blocks (a list, a quote, a table …) starts at ``line``."""
    return any(
        rule.enabled
        and rule.name not in _LEAVES
        and rule.fn is not _too_deep
        and rule.fn(state, line, end_line, True)
        for rule in state.md.block.ruler.__rules__
    )
