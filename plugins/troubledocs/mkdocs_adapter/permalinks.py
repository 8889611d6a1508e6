"""Permalink anchors on headings, as Python-Markdown's ``toc`` extension adds them with ``permalink: true``.

The renderer's HTML stays free of them (its fixtures and word checks compare text); the MkDocs adapter adds
them to each page, in the markup Material styles (``a.headerlink``, shown on hover and focus).
"""

from __future__ import annotations

import re

_HEADING = re.compile(r'<h([1-6])(\s(?:[^>]*?\s)?id="([^"]+)"[^>]*)>(.*?)</h\1>', re.DOTALL)


def with_permalinks(page_html: str) -> str:
    """``page_html`` with a ``¶`` link to itself at the end of every heading that has an id."""

    def add(match: re.Match[str]) -> str:
        level, attributes, anchor, content = match.groups()
        if 'class="headerlink"' in content:
            return match.group(0)
        # The id is already escaped as an attribute value; it is only reused as one.
        link = f'<a class="headerlink" href="#{anchor}" title="Permanent link">&para;</a>'
        return f"<h{level}{attributes}>{content}{link}</h{level}>"

    return _HEADING.sub(add, page_html)
