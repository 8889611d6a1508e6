"""Rewrite the URLs of a rendered page (``<a href>``, ``<img src>``), whether Markdown or raw HTML made them.

The site builder needs this once the Markdown engine is ours: a link to ``other.md`` must become the URL of the
built page. This module only finds and replaces URLs; the caller decides what each becomes.
"""

from __future__ import annotations

from collections.abc import Callable
import html
import re

from troubledocs.mdit.links import is_remote

# A start tag whose attribute values may hold ``>`` inside quotes.
_TAG = re.compile(
    r"""<(?P<name>a|img|iframe|video|audio|source|embed|script)\b(?:[^>"']|"[^"]*"|'[^']*')*>""",
    re.IGNORECASE,
)
#: Elements that load their ``src``: one on another host becomes a link to it (a page loads nothing from there).
_MEDIA = ("iframe", "video", "audio", "source", "embed", "script")
_URL_ATTR = {"a": "href", "img": "src", **dict.fromkeys(_MEDIA, "src")}


def _attr_pattern(name: str) -> re.Pattern[str]:
    return re.compile(
        rf"""(?P<lead>\s{name}\s*=\s*)(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'=<>`]+))""",
        re.IGNORECASE,
    )


_ATTR_PATTERNS = {tag: _attr_pattern(attr) for tag, attr in _URL_ATTR.items()}
_ALT = _attr_pattern("alt")
_TITLE = _attr_pattern("title")


def rewrite_urls(
    page_html: str,
    rewrite: Callable[[str], str | None],
    unavailable: Callable[[str, str, bool], str] | None = None,
) -> str:
    """Return ``page_html`` with every link and image URL replaced by ``rewrite(url)``.

    ``rewrite`` receives the unescaped URL; values it returns unchanged leave the markup byte for byte as it was.
    ``None`` says that an image cannot be offered: its whole ``<img>`` tag becomes ``unavailable(alt, url)`` (a link
    is left as it is). With ``unavailable``, an image on another host is never loaded either: it gets the same
    treatment without asking ``rewrite``, and so does the start tag of a frame, media element or script on another
    host (``unavailable(title, url, True)``: it may become a link; an image may be inside one, so it gets
    ``False``). Those elements' other URLs are left alone.
    """

    def tag(match: re.Match[str]) -> str:
        name = match["name"].lower()
        missing: list[str] = []
        if name in _MEDIA:
            found = _ATTR_PATTERNS[name].search(match.group(0))
            if unavailable is None or found is None or not is_remote(_value(found)):
                return match.group(0)
            title = _TITLE.search(match.group(0))
            return unavailable(_value(title) if title else "", _value(found), True)

        def attr(found: re.Match[str]) -> str:
            url = _value(found)
            new = None if name == "img" and unavailable is not None and is_remote(url) else rewrite(url)
            if new is None:
                missing.append(url)
                return found.group(0)
            if new == url:
                return found.group(0)
            return f'{found["lead"]}"{html.escape(new, quote=True)}"'

        rewritten = _ATTR_PATTERNS[name].sub(attr, match.group(0), count=1)
        if missing and name == "img" and unavailable is not None:
            alt = _ALT.search(match.group(0))
            return unavailable(_value(alt) if alt else "", missing[0], False)
        return rewritten

    return _TAG.sub(tag, page_html)


def _value(found: re.Match[str]) -> str:
    """The unescaped value of an attribute matched by one of the attribute patterns."""
    return html.unescape(next(v for v in (found["dq"], found["sq"], found["bare"]) if v is not None))


def line_of(source: str, needle: str) -> int:
    """The 1-based line of ``source`` where ``needle`` first occurs, or 0 when it does not occur."""
    at = source.find(needle)
    if at < 0:
        return 0
    return source.count("\n", 0, at) + 1


class LineFinder:
    """:func:`line_of` for the many URLs of one page, asked in document order: each search starts where the last
    one found its URL, so a page of thousands of links costs one pass, not one per link."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.cursor = 0
        self.line = 1  # the line of ``cursor``

    def __call__(self, needle: str) -> int:
        at = self.source.find(needle, self.cursor)
        if at < 0:
            return line_of(self.source, needle)  # asked out of order, or not written as is
        self.line += self.source.count("\n", self.cursor, at)
        self.cursor = at
        return self.line
