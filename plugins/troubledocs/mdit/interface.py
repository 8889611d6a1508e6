"""The interface switch: content for one interface only (``{: ui}``, ``{: cli}``, ``{: api}``, ``{: terraform}``).

IBM's attribute-list definitions turn those names into ``data-hd-interface="cli"`` (with class ``ph``) on the block
or span they follow. On a heading the whole section is meant (up to the next heading of the same or a higher
level), so this rule wraps the section in ``<div data-hd-interface="cli">``; paragraphs, list items and spans keep
the attribute on their own element. Sections are laid out flat, so that content of one interface is never inside
another's ``<div>`` (where it would be hidden whichever interface is picked): a ``### … {: cli}`` inside a
``## … {: ui}`` section closes the UI ``<div>`` and opens a CLI one, and the UI one resumes after it; a top-level
block of another interface inside a section stands between two parts of the section's ``<div>``. When a page has such content, a ``td-interface-switch`` element goes before the
first of it: the site's script (``assets/site/site.js``) fills it with one button per interface found on the page,
and the reader's choice applies to every page and is remembered (``?interface=cli`` in a link selects it too).
Without the script nothing is hidden.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

ATTRIBUTE = "data-hd-interface"
#: The order and labels of IBM's interfaces; others keep their own name.
LABELS = {"ui": "UI", "cli": "CLI", "api": "API", "terraform": "Terraform"}


def interface_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("td_interface_sections", _sections)


def _html(content: str, like: Token) -> Token:
    token = Token("html_block", "", 0)
    token.content = content
    token.map = list(like.map) if like.map else None
    return token


def _interfaces(tokens: list[Token]) -> list[str]:
    found: set[str] = set()
    for token in tokens:
        value = token.attrGet(ATTRIBUTE) if token.attrs else None
        if value:
            found.add(str(value))
        if token.children:
            found.update(_interfaces(token.children))
    return sorted(found, key=lambda name: (list(LABELS).index(name) if name in LABELS else len(LABELS), name))


def _sections(state: StateCore) -> None:
    tokens = state.tokens
    interfaces = _interfaces(tokens)
    if not interfaces:
        return
    result: list[Token] = []
    # The interface headings whose sections are open (level, interface), outermost first.
    sections: list[tuple[int, str]] = []
    # The interface of the section <div> open in the output (at most one: nested sections are laid out flat).
    shown: str | None = None
    # A top-level block of another interface inside a section stands outside the section's <div>.
    own_block = False
    switch_placed = False
    # Where the top-level block being copied starts: the switch goes there, never inside a list, table or
    # definition list (a <div> inside <dl> or <tr> is invalid HTML).
    top_start = 0
    for token in tokens:
        value = str(token.attrGet(ATTRIBUTE) or "") if token.attrs else ""
        if token.type == "heading_open":
            level = int(token.tag[1])
            while sections and sections[-1][0] >= level:
                sections.pop()
            if value:
                sections.append((level, value))
        elif token.level == 0 and token.nesting >= 0:
            own_block = bool(value) and bool(sections) and value != sections[-1][1]
        wanted = None if own_block or not sections else sections[-1][1]
        if wanted != shown:
            if shown is not None:
                result.append(_html("</div>\n", token))
            if wanted is not None:
                if not switch_placed:
                    result.append(_switch(interfaces, token))
                    switch_placed = True
                result.append(
                    _html(f'<div class="td-interface-section" {ATTRIBUTE}="{escapeHtml(wanted)}">\n', token)
                )
            shown = wanted
        if not switch_placed and _carries(token):
            result.insert(len(result) if token.level == 0 else top_start, _switch(interfaces, token))
            switch_placed = True
        if token.level == 0 and token.nesting >= 0:
            top_start = len(result)
        result.append(token)
        if token.level == 0 and token.nesting <= 0:
            own_block = False
    if shown is not None:
        result.append(_html("</div>\n", tokens[-1]))
    if not switch_placed:
        result.insert(0, _switch(interfaces, tokens[0]))
    state.tokens = result


def _carries(token: Token) -> bool:
    if token.attrs and token.attrGet(ATTRIBUTE):
        return True
    return bool(token.children) and any(_carries(child) for child in token.children or [])


def _switch(interfaces: list[str], like: Token) -> Token:
    names = " ".join(interfaces)
    labels = " · ".join(LABELS.get(name, name) for name in interfaces)
    # The text inside is what readers without the script see: which interfaces the page covers.
    return _html(
        f'<div class="td-interface-switch" data-interfaces="{escapeHtml(names)}">'
        f"<span>Instructions for: {escapeHtml(labels)}</span></div>\n",
        like,
    )
