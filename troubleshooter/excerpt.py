"""The part of a long paste that the matcher reads: its head, its tail and the error lines in between.

A log usually ends with the failure, but its first error can sit anywhere: cutting a long paste to its head
(or head and tail) loses it. :func:`excerpt` keeps the first ``HEAD`` and last ``TAIL`` characters, and from
the middle the lines that hold an error word, each distinct line once (numbers aside: a log repeats the same
error with other counts and times), the earliest and the latest first when they do not all fit.

Time is linear in the paste: one scan of a literal-alternation regex over the lower-cased middle that resumes
after each line it takes (a line is bounded to ``LINE_REACH`` characters either side of its error word).
"""

from __future__ import annotations

from dataclasses import dataclass
import re

#: Characters of a paste that the matcher reads at most.
MAX_CHARS = 40_000
HEAD = 4_000
TAIL = 12_000
#: How far a line reaches either side of its error word (a paste without line breaks has no lines).
LINE_REACH = 400
#: Share of the middle's room given to its earliest error lines; the rest goes to the latest ones.
EARLY_SHARE = 1 / 3
#: Error-word hits looked at in all (bounds the time when every line of a huge log is an error) and the
#: size of the chunks read backwards from the end for the latest lines.
MAX_HITS = 4_000
CHUNK = 65_536
#: Words that mark an error line (in the lower-cased paste), inside words too (``mError`` after a colour code).
ERROR_WORD = re.compile(
    r"error|fail|fatal|panic|denied|forbidden|refused|unable|cannot|can't|could not|timed out|timeout|"
    r"exceeded|invalid|not found|unauthori|exception|insufficient|no such|crashloop|oomkill|back-off|warn"
)
#: Digits as one digit: lines that differ only in their numbers have the same shape.
_DIGITS = str.maketrans("123456789", "000000000")


@dataclass(frozen=True)
class Normalized:
    """The text the matcher reads and, when the paste was cut, a notice for the reader."""

    text: str
    notice: str | None = None


class _Lines:
    """Error lines collected from parts of one paste, each distinct line (numbers aside) once."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.lower = raw.lower()  # a case-blind regex is ten times slower
        self.seen: set[str] = set()
        self.hits = 0

    def scan(self, start: int, stop: int, room: int) -> tuple[list[str], int]:
        """The new error lines of ``raw[start:stop]`` in order, until ``room`` characters are filled; and
        where the scan stopped. Resumes after each line it takes, so no character is scanned twice."""
        raw = self.raw
        lines: list[str] = []
        end = start
        while room > 0 and self.hits < MAX_HITS:
            hit = ERROR_WORD.search(self.lower, end, stop)
            if hit is None:
                return lines, stop
            self.hits += 1
            at = hit.start()
            low, high = max(end, at - LINE_REACH), min(stop, at + LINE_REACH)
            newline = raw.rfind("\n", low, at)
            first = newline + 1 if newline >= 0 else low
            newline = raw.find("\n", at, high)
            end = newline if newline >= 0 else high
            line = raw[first:end].strip()
            shape = line.translate(_DIGITS)
            if line and shape not in self.seen:
                self.seen.add(shape)
                lines.append(line)
                room -= len(line) + 1
        return lines, end


def _middle(raw: str, start: int, stop: int, room: int) -> list[str]:
    """Error lines of ``raw[start:stop]``: the earliest ones in part of ``room``, the latest in the rest."""
    lines = _Lines(raw)
    early, start = lines.scan(start, stop, int(room * EARLY_SHARE))
    room -= sum(len(line) + 1 for line in early)
    late: list[str] = []
    while stop > start and room > 0 and lines.hits < MAX_HITS:
        # Backwards, a chunk at a time (each chunk read forwards), so that the latest lines come first.
        chunk = raw.rfind("\n", start, max(start, stop - CHUNK)) if stop - start > CHUNK else start
        found, _ = lines.scan(max(chunk, start), stop, stop - start)
        while found and room > 0:
            room -= len(found[-1]) + 1
            late.insert(0, found.pop())
        stop = max(chunk, start)
    return early + late


def excerpt(raw: str, limit: int = MAX_CHARS) -> Normalized:
    """At most about ``limit`` characters of ``raw``: all of it when short, else head, error lines and tail."""
    if len(raw) <= limit:
        return Normalized(raw)
    head = raw.rfind("\n", 0, HEAD)
    head = head if head > HEAD // 2 else HEAD
    tail = raw.find("\n", len(raw) - TAIL, len(raw) - TAIL // 2)
    tail = tail + 1 if tail >= 0 else len(raw) - TAIL
    middle = _middle(raw, head, tail, limit - head - (len(raw) - tail))
    notice = (
        f"Your paste has {len(raw):,} characters; the matcher read its first {head:,}, its last "
        f"{len(raw) - tail:,} and {len(middle):,} error line{'s' if len(middle) != 1 else ''} from between."
    )
    return Normalized("\n".join([raw[:head], *middle, raw[tail:]]), notice)
