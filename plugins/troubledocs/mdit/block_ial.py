"""Block attribute lists (``{: …}`` on a line of their own) and ALD definition lines (``{:name: …}``).

The block rule turns such a line into a hidden ``td_ial`` / ``td_ald`` token. It interrupts paragraphs, lists,
tables and blockquotes, so ``para\\n{: note}`` ends the paragraph. A line starting with ``{:`` that is not a
well-formed list stays text (with a ``TD204`` warning).

The core rule then places each run of adjacent IAL lines with kramdown's rule, at the nesting level where the
lines stand (indentation keeps an IAL inside its list item):

* the line above is not blank → the run belongs to the previous block (paragraph, list, table, fence, heading…);
* otherwise, when the next block starts on the line below → to the next block (the legacy ``{: tsSymptoms}``
  written before its paragraph);
* a troubleshooting marker (``tsSymptoms``, ``tsCauses``, ``tsResolve``) goes to the next block even across a
  blank line (the seed writes ``{: tsResolve}``, a blank line, then the steps);
* above the page's first block, a list of names only marks the page (``{: ui-linked}``): kramdown ignores it,
  and so do we, silently;
* otherwise kramdown ignores it. The author meant some block, most often the one above (a caption under a
  table, ``{: screen}`` under a fence, after a stray blank line), so we apply it to the block above (else below)
  and warn ``TD203``; with no block at all it is dropped with ``TD203``.

Reference behaviour: kramdown's placement rules (as IBM marked-it 1.x implements them, ``lib/htmlGenerator.js``)
plus marked-it 2.x's additions (stacking, ``}{:``, unquoted values), from IBM/marked-it @ acc5cff8.

Stacked lines merge (later ids and values win, classes accumulate), as does ``}{:`` on one line. Unknown names
warn ``TD201``; tokens that match no attribute form warn ``TD202``; an invalid definition line ``TD205``; a
line that starts like a list but is not one stays text with ``TD204``. All ``td_ial``/``td_ald`` tokens are removed
from the stream once applied.
"""

from __future__ import annotations

import difflib
import functools
import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from troubledocs.attrs import (
    AttrList,
    merge_all,
    parse_ald_definition,
    read_attr_line,
    standard_definition_lines,
)
from troubledocs.mdit.env import report, resolver
from troubledocs.mdit.span_ial import attr_list_at
from troubledocs.mdit.tokens import is_block_start

_BLANK = re.compile(r"[\s>]*")
#: ``{:name:`` — the shape of a definition, even when what follows is not valid.
_ALD_SHAPE = re.compile(r"\{:[A-Za-z_][\w#.-]*:")
TS_CLASSES = ("tsSymptoms", "tsCauses", "tsResolve")
IAL = "td_ial"
ALD = "td_ald"


def block_ial_plugin(md: MarkdownIt) -> None:
    """Register the IAL/ALD block rule and the placement core rule (after ``block``)."""
    md.block.ruler.before(
        "code",
        "td_block_ial",
        _block_rule,
        {"alt": ["paragraph", "reference", "blockquote", "list", "table"]},
    )
    md.core.ruler.after("block", "td_place_ial", _place)


_parse_ald = functools.lru_cache(maxsize=1024)(parse_ald_definition)


def _block_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    begin = state.bMarks[start] + state.tShift[start]
    if not state.src.startswith("{:", begin) or state.sCount[start] - state.blkIndent >= 4:
        return False
    line = state.src[begin : state.eMarks[start]]
    ald = _parse_ald(line.strip())
    if ald is None and _ALD_SHAPE.match(line) and line.rstrip().endswith("}"):
        # kramdown ignores an invalid definition; IBM's own boilerplate one (``{:table: .aria-labeledby=…}``,
        # repeated on every legacy page) is ignored without a warning.
        if not silent and line.strip() not in standard_definition_lines():
            report(
                state.env, start + 1, "TD205", f"invalid attribute-list definition ignored: {line.strip()}"
            )
        if not silent:
            state.push(ALD, "", 0).map = [start, start + 1]
            state.line = start + 1
        return True
    attrs, repaired = (None, None) if ald is not None else read_attr_line(line)
    if ald is None and (attrs is None or repaired is not None):
        span = attr_list_at(line, 0, len(line))
        if span is not None and line[span[1] :].strip():
            return False  # ``{: #id}Text``: a span attribute list opening a line of text (see span_ial.py)
        bad = state.env.setdefault("td_bad_ial_lines", set())
        if start not in bad:
            bad.add(start)
            shown = line.strip()
            message = (
                f"not a valid attribute list, kept as text: {shown}"
                if attrs is None
                else f"not a valid attribute list, read as {repaired}: {shown}"
            )
            report(state.env, start + 1, "TD204", message)
        if attrs is None:
            return False
    if silent and _continues_container(state, start, end):
        return False
    if silent:
        return True
    token = state.push(ALD if ald is not None else IAL, "", 0)
    token.hidden = True
    token.map = [start, start + 1]
    token.content = line.strip()
    if ald is not None:
        token.meta = {"name": ald[0], "attrs": ald[1]}
    else:
        token.meta = {"attrs": attrs}
    state.line = start + 1
    return True


def _continues_container(state: StateBlock, start: int, end: int) -> bool:
    """An IAL line less indented than the list item it interrupts, followed by a line indented into that item
    (the seed's ``{: shortdesc}`` at column 0 between an item's text and its indented table): not a terminator.
    The line then stays a lazy paragraph line and the span-IAL rule gives its attributes to that paragraph, so
    the item, and the table after it, stay in the list."""
    following = start + 1
    return (
        state.sCount[start] < state.blkIndent
        and following < end
        and not state.isEmpty(following)
        and state.sCount[following] >= state.blkIndent
    )


def _is_sibling(token: Token | None, ial: Token) -> bool:
    return token is not None and token.level == ial.level and is_block_start(token)


def _is_blank(lines: list[str], number: int) -> bool:
    return number < 0 or number >= len(lines) or _BLANK.fullmatch(lines[number]) is not None


def _place(state: StateCore) -> None:
    tokens = state.tokens
    if not any(t.type in (IAL, ALD) for t in tokens):
        return
    env = state.env
    attr_resolver = resolver(env)
    for token in tokens:
        if token.type == ALD and token.meta:
            attr_resolver.define(token.meta["name"], token.meta["attrs"])
    lines = state.src.split("\n")
    previous: dict[int, int] = {}  # level → index of the last block started at that level
    keep: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == ALD:
            index += 1
            continue
        if token.type != IAL:
            if token.nesting == 1 or is_block_start(token):
                previous[token.level] = len(keep)
                previous.pop(token.level + 1, None)
            keep.append(token)
            index += 1
            continue
        first = token
        stacked: list[AttrList] = [token.meta["attrs"]]
        last = index
        while (
            last + 1 < len(tokens)
            and tokens[last + 1].type in (IAL, ALD)
            and tokens[last + 1].map is not None
            and tokens[last].map is not None
            and tokens[last + 1].map[0] == tokens[last].map[1]  # type: ignore[index]
        ):
            last += 1
            if tokens[last].type == IAL:
                stacked.append(tokens[last].meta["attrs"])
        attrs = merge_all(stacked)
        index = last + 1
        _apply(
            state,
            keep,
            previous,
            first,
            tokens[last],
            tokens[index] if index < len(tokens) else None,
            attrs,
            lines,
        )
    state.tokens = keep


def _apply(
    state: StateCore,
    keep: list[Token],
    previous: dict[int, int],
    first: Token,
    last: Token,
    following: Token | None,
    attrs: AttrList,
    lines: list[str],
) -> None:
    env = state.env
    start = first.map[0] if first.map else 0
    end = last.map[1] if last.map else start + 1
    resolved = resolver(env).resolve(attrs)
    line = start + 1
    for name in dict.fromkeys(resolved.unknown):
        close = difflib.get_close_matches(name, resolver(env).names(), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        report(
            env,
            line,
            "TD201",
            f"unknown attribute name {name!r} ignored (no attribute-list definition){hint}",
        )
    for name, meant in dict.fromkeys(resolved.read_as):
        report(
            env, line, "TD204", f"attribute name {name!r} read as {meant!r}, the defined name it is a slip of"
        )
    for bad in attrs.invalid:
        report(env, line, "TD202", f"malformed attribute {bad!r} in {first.content}")
    target: Token | None = None
    before = previous.get(first.level)
    if before is not None and not _is_blank(lines, start - 1):
        target = keep[before]
    elif (
        _is_sibling(following, first)
        and following is not None
        and following.map is not None
        and (following.map[0] == end or any(c in resolved.classes for c in TS_CLASSES))
    ):
        target = following
    if target is None and not keep and attrs.names and not (attrs.id or attrs.classes or attrs.pairs):
        # Above the page's first block and set off from it by a blank line, a list of defined names only marks
        # the page (``{: ui-linked}`` under the definitions): kramdown gives it to no block, and neither do we.
        return
    if target is None and resolved:
        # kramdown ignores a list between blank lines; the author meant some block, most often the one above
        # (a caption under a table, ``{: screen}`` under a fence), so we apply it there and say so.
        nearest = keep[before] if before is not None else following if _is_sibling(following, first) else None
        if nearest is not None:
            where = "above" if before is not None else "below"
            message = f"attribute list {first.content} is separated from its block by a blank line"
            report(env, line, "TD203", f"{message}; applied to the block {where}")
            target = nearest
    if target is not None and target.type == "paragraph_open" and target.hidden:
        # A tight list item's paragraph is not rendered: its attributes go on the item.
        parent = previous.get(first.level - 1)
        if parent is not None and keep[parent].type == "list_item_open":
            target = keep[parent]
    if target is None:
        if resolved:
            report(env, line, "TD203", f"attribute list {first.content} belongs to no block; ignored")
        return
    resolved.apply(target)
