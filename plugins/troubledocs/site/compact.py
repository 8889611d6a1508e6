"""Drop the indentation and blank lines that the theme's templates leave in every page.

Material's templates indent deeply, and a 500-page site repeats that navigation markup on every page: removing
the whitespace after each newline cuts the pages by about a third. Whitespace is meaningful inside ``<pre>`` and
``<textarea>`` (and left alone in ``<script>``/``<style>``), so those are copied as they are; elsewhere a newline
followed by whitespace becomes one newline, which HTML renders exactly like the original run of whitespace.
"""

from __future__ import annotations

import re

_PRESERVED = re.compile(r"<(pre|textarea|script|style)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_INDENT = re.compile(r"\n\s+")


def compact_html(page: str) -> str:
    """``page`` without indentation and blank lines outside preformatted elements."""
    pieces: list[str] = []
    last = 0
    for block in _PRESERVED.finditer(page):
        pieces.append(_INDENT.sub("\n", page[last : block.start()]))
        pieces.append(block.group(0))
        last = block.end()
    pieces.append(_INDENT.sub("\n", page[last:]))
    return "".join(pieces)
