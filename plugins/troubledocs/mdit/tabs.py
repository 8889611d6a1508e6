"""Tabbed tables: consecutive tables that share a ``tab-group`` become one set of Material content tabs.

IBM writes ``{: tab-title="Virtual"}`` and ``{: tab-group="ams-tables"}`` under each table; the tables of a group
follow each other (blank lines only between them). The set renders as Material for MkDocs' own content-tabs markup
(``tabbed-set tabbed-alternate``: radio inputs, labels, blocks), so the theme styles and scripts it like tabs written
with ``pymdownx.tabbed``; each tab is labelled by its table's ``tab-title``. A lone table of a group stays a table.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token


def tabs_plugin(md: MarkdownIt) -> None:
    """Group tabbed tables; runs after the block attribute rules put ``tab-group`` on ``table_open``."""
    md.core.ruler.push("td_table_tabs", _group_tabs)


def _attr(token: Token, name: str) -> str:
    value = token.attrGet(name)
    if value is None:
        value = token.attrGet(f"data-{name}")
    return str(value) if value is not None else ""


def _table_end(tokens: list[Token], start: int) -> int:
    """Index just past the ``table_close`` that matches the ``table_open`` at ``start``."""
    depth = 0
    for index in range(start, len(tokens)):
        kind = tokens[index].type
        if kind == "table_open":
            depth += 1
        elif kind == "table_close":
            depth -= 1
            if depth == 0:
                return index + 1
    return len(tokens)


def _html(content: str, like: Token) -> Token:
    token = Token("html_block", "", 0)
    token.content = content
    token.map = list(like.map) if like.map else None
    token.level = like.level
    return token


def _group_tabs(state: StateCore) -> None:
    tokens = state.tokens
    if not any(t.type == "table_open" and _attr(t, "tab-group") for t in tokens):
        return
    result: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        group = _attr(token, "tab-group") if token.type == "table_open" else ""
        if not group:
            result.append(token)
            index += 1
            continue
        members: list[tuple[int, int]] = []
        cursor = index
        while (
            cursor < len(tokens)
            and tokens[cursor].type == "table_open"
            and _attr(tokens[cursor], "tab-group") == group
        ):
            end = _table_end(tokens, cursor)
            members.append((cursor, end))
            cursor = end
        if len(members) < 2:
            result.extend(tokens[index:cursor])
        else:
            result.extend(_tab_set(state, tokens, members))
        index = cursor
    state.tokens = result


def _tab_set(state: StateCore, tokens: list[Token], members: list[tuple[int, int]]) -> list[Token]:
    number = int(state.env.get("td_tab_sets", 0)) + 1
    state.env["td_tab_sets"] = number
    name = f"__tabbed_td{number}"
    first = tokens[members[0][0]]
    inputs = "".join(
        f'<input{" checked" if i == 0 else ""} id="{name}_{i + 1}" name="{name}" type="radio">'
        for i in range(len(members))
    )
    labels = "".join(
        f'<label for="{name}_{i + 1}">{escapeHtml(_attr(tokens[start], "tab-title") or f"Tab {i + 1}")}</label>'
        for i, (start, _) in enumerate(members)
    )
    out = [
        _html(
            f'<div class="tabbed-set tabbed-alternate td-tabbed-tables" data-tabs="{number}:{len(members)}">'
            f'{inputs}<div class="tabbed-labels">{labels}</div><div class="tabbed-content">\n',
            first,
        )
    ]
    for start, end in members:
        out.append(_html('<div class="tabbed-block">\n', tokens[start]))
        out.extend(tokens[start:end])
        out.append(_html("</div>\n", tokens[end - 1]))
    out.append(_html("</div></div>\n", tokens[members[-1][1] - 1]))
    return out
