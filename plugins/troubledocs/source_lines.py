"""Source lines as every pre-scan reads them: which are fenced code, and which are attribute lists.

The whole-repository scans (topic ids, ``conref.md`` blocks, the legacy ``toc`` file, the site name) and the
keyword substitution read pages line by line before, or instead of, rendering them. They all use this one
fence tracker and the renderer's own attribute-list grammar (:mod:`troubledocs.attrs`), so that what they find
agrees with what the renderer makes: the stacked form ``{: .x}{: #id}`` carries the id ``id`` for each of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
import re

from troubledocs.attrs import AttrList, parse_ald_definition, read_attr_line

#: A fence opener, also inside list items (after their markers or indented under them); group 1 is its column.
_FENCE = re.compile(r"^((?:[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+)*[ \t]*)(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
#: The first characters a list item's line can have after its indentation.
_ITEM_START = frozenset("-*+0123456789")
_H1 = re.compile(r"^ {0,3}#[ \t]+(\S.*?)(?:[ \t]+#+)?[ \t]*$")
_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+\S")


@dataclass(frozen=True)
class SourceLine:
    """One line of a page: its index (0-based), its text, and whether it belongs to fenced code."""

    index: int
    text: str
    in_code: bool

    @property
    def attrs(self) -> AttrList | None:
        """The attribute list the line is made of, outside code (see :func:`attr_line`), else ``None``."""
        return None if self.in_code else attr_line(self.text)


def source_lines(lines: list[str], start: int = 0) -> Iterator[SourceLine]:
    """``lines[start:]`` with their fence state (tracked from ``start``)."""
    body = lines[start:]
    for index, (text, code) in enumerate(zip(body, fence_flags(body), strict=True), start=start):
        yield SourceLine(index, text, code)


def first_h1(lines: list[str]) -> SourceLine | None:
    """The first ATX H1 line outside fenced code and front matter."""
    return next(
        (
            line
            for line in source_lines(lines, _body_start(lines))
            if not line.in_code and _H1.match(line.text)
        ),
        None,
    )


def _body_start(lines: list[str]) -> int:
    """The index of the first line after the front matter."""
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() in ("---", "..."):
                return index + 1
    return 0


def topic_heading(lines: list[str]) -> SourceLine | None:
    """The heading whose id is the page's topic id: its first H1, or on a page without one (a troubleshooting
    page that starts at ``##``) its first heading of any level."""
    h1 = first_h1(lines)
    if h1 is not None:
        return h1
    start = _body_start(lines)
    return next(
        (line for line in source_lines(lines, start) if not line.in_code and _HEADING.match(line.text)), None
    )


def heading_text(line: str) -> str:
    """The text of an ATX H1 line, without its closing hashes and trailing attribute lists."""
    match = _H1.match(line)
    return without_trailing_attrs(match.group(1)) if match else ""


def attr_line(line: str) -> AttrList | None:
    """The attribute list of a line made only of ``{: …}`` lists (stacked ones merged, as the renderer merges
    them), or the list that the renderer reads a nearly-valid line as (:func:`repaired_attr_line`), else ``None``.
    An attribute-list definition (``{:name: …}``) is not an attribute list of a block. Callers must not mutate the
    result (it is shared)."""
    stripped = line.strip()
    if not stripped.startswith("{:") or parse_ald_definition(stripped) is not None:
        return None
    return read_attr_line(stripped).attrs


def is_ald_line(line: str) -> bool:
    """Whether ``line`` is an attribute-list definition ``{:name: …}``."""
    return parse_ald_definition(line.strip()) is not None


def without_trailing_attrs(text: str) -> str:
    """``text`` without the attribute lists that end it (``Title {: #id}`` → ``Title``)."""
    start = text.rfind("{:")
    while start >= 0 and attr_line(text[start:]) is not None:
        text = text[:start].rstrip()
        start = text.rfind("{:")
    return text


def fenced_lines(lines: Iterable[str]) -> list[bool]:
    """For each line, whether it belongs to fenced code (see :func:`fence_flags`)."""
    return list(fence_flags(lines))


def fence_flags(lines: Iterable[str]) -> Iterator[bool]:
    """Lazily, for each line, whether it belongs to fenced code (fence lines included), as CommonMark would see it, without parsing.

    A fence may open on a list item's line (``1.`` and a fence) or indented under the item; a non-blank line left
    of such a fence ends the item and the fence with it. A top-level fence (indented 0-3) runs until its closing
    line, which has no info string and is indented at most 3 more than the opener. A list is over after a blank
    line followed by unindented text that is not a list item.
    """
    fence, column, fence_in_list, in_list, after_blank = "", 0, False, False, True
    for line in lines:
        # The patterns run only on lines that can match them: most lines have no fence and start no list item.
        stripped = line.strip()
        opening = _FENCE.match(line) if "```" in line or "~~~" in line else None
        if fence and fence_in_list and stripped and len(line) - len(line.lstrip()) < column:
            fence = ""  # a line left of the fence ends the list item holding it, and so the fence
        if fence:
            yield True
            if (
                opening is not None
                and not line[opening.end() :].strip()  # a closing fence has no info string
                and len(opening.group(1)) - column <= 3  # and is indented at most 3 more than the opener
                and opening.group(2)[0] == fence[0]
                and len(opening.group(2)) >= len(fence)
            ):
                fence = ""
            continue
        if stripped[:1] in _ITEM_START and _LIST_ITEM.match(line):
            in_list = True
        elif stripped and after_blank and not line[0].isspace():
            in_list = False
        after_blank = not stripped
        if opening is not None:
            fence, column = opening.group(2), len(opening.group(1))
            fence_in_list = in_list or column > 3
        yield bool(fence)
