"""Which source lines are fenced code, for the whole-repository scans that read pages before rendering them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
import re


def in_fences(lines: Iterable[str], opener: re.Pattern[str]) -> Iterator[bool]:
    """For each line, lazily, whether it is inside a fenced code block or is one of its fence lines. ``opener``
    matches a fence line, its group 1 the fence (```` ``` ```` or ``~~~``); a block ends at a line with at least as
    many of the same character."""
    fence = ""
    for line in lines:
        match = opener.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = ""
            yield True
        elif match:
            fence = match.group(1)
            yield True
        else:
            yield False
