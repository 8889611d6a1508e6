"""Bracketed spans: ``[Label]{: tag-vpc}`` → ``<span class="tag-vpc td-badge">Label</span>``.

The label is parsed as inline Markdown; the attribute list right after ``]`` is left in place for the span-IAL
rule (:mod:`troubledocs.mdit.span_ial`), which puts it on the ``span``. Only a ``]`` followed directly by a
well-formed ``{: …}`` makes a span, so links (``[t](u)``, ``[t][ref]``, ``[t]``) keep their meaning. Every
``tag-*`` badge span also gets the class ``td-badge`` so that the theme can style all badges with one rule.
"""

from __future__ import annotations

from bisect import bisect_left
import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline

from troubledocs.mdit.span_ial import attr_list_at
from troubledocs.mdit.tokens import classes

_SPAN_END = re.compile(r"\]\{:")
#: Class added to every ``tag-*`` span (the colour comes from its own ``tag-*`` class).
BADGE_CLASS = "td-badge"


def brackets_plugin(md: MarkdownIt) -> None:
    """Register the bracketed-span rule (before links) and the badge marker (after span IALs are attached)."""
    md.inline.ruler.before("link", "bracketed_span", _bracketed_span)
    md.core.ruler.push("badge_class", _mark_badges)


def _bracketed_span(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "[" or not _span_end_ahead(state):
        return False
    label_end = state.md.helpers.parseLinkLabel(state, state.pos, False)
    if label_end < 0 or attr_list_at(state.src, label_end + 1, state.posMax) is None:
        return False
    if not silent:
        old_max = state.posMax
        state.push("span_open", "span", 1)
        state.pos, state.posMax = state.pos + 1, label_end
        state.md.inline.tokenize(state)
        state.posMax = old_max
        state.push("span_close", "span", -1)
    state.pos = label_end + 1
    return True


def _span_end_ahead(state: StateInline) -> bool:
    """Whether ``]{:`` occurs between here and the end: most brackets are links, which need no label scan here.

    The positions are found once per inline source (kept in ``env``), so a paragraph of many links stays linear.
    """
    cached = state.env.get("td_span_ends")
    if not (isinstance(cached, tuple) and cached[0] is state.src):
        cached = (state.src, [match.start() for match in _SPAN_END.finditer(state.src)])
        state.env["td_span_ends"] = cached
    ends: list[int] = cached[1]
    found = bisect_left(ends, state.pos)
    return found < len(ends) and ends[found] < state.posMax


def _mark_badges(state: StateCore) -> None:
    for token in state.tokens:
        for child in token.children or ():
            if child.type == "span_open" and any(name.startswith("tag-") for name in classes(child)):
                child.attrSet("class", " ".join([*classes(child), BADGE_CLASS]))
