"""Problems found while reading a page, each tied to ``path:LINE``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum


class Severity(StrEnum):
    """How bad a diagnostic is. ``--strict`` fails the build on any warning."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Diagnostic:
    """One problem in one source file.

    ``line`` is 1-based and counts the front matter, so it points at the line
    an editor shows. ``line`` is 0 when the problem concerns the whole file, ``path`` empty when it concerns the
    build. ``subject`` names what the problem is about when the same one recurs (an unknown keyword's name):
    the build reports it once.
    """

    path: str
    line: int
    code: str
    message: str
    severity: Severity = Severity.WARNING
    subject: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: [{self.code}] {self.message}" if where else f"[{self.code}] {self.message}"


@dataclass(frozen=True)
class Origin:
    """Where one line of a page's expanded text comes from: ``path:line``, and, for reused text, the chain of
    references that brought it in (``"page.md:12"``, ``"a.md:3, included from page.md:12"``)."""

    path: str
    line: int
    via: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" + (f", included from {self.via}" if self.via else "")


@dataclass(frozen=True)
class LineMap:
    """The origin of each line of ``page``'s text after reuse was substituted, the first one being line
    ``first_line`` (lines count the front matter, as diagnostics do)."""

    page: str
    first_line: int
    origins: Sequence[Origin]

    def holder(self, line: int) -> str:
        """The file that holds the text of the page's ``line`` (an included file, else the page)."""
        index = line - self.first_line
        return self.origins[index].path if 0 <= index < len(self.origins) else self.page

    def locate(self, diagnostic: Diagnostic) -> Diagnostic:
        """``diagnostic`` (reported on the expanded text) pointed at the file and line that hold its text."""
        index = diagnostic.line - self.first_line
        if diagnostic.path not in ("", self.page) or not 0 <= index < len(self.origins):
            return diagnostic
        origin = self.origins[index]
        message = diagnostic.message + (f" (included from {origin.via})" if origin.via else "")
        return replace(diagnostic, path=origin.path, line=origin.line, message=message)


@dataclass
class Summary:
    """How many diagnostics of each code a build reported, with the first of each: the lines at its end.

    ``info``: reported at information level (not a warning); ``ignored``: a code the build was told to ignore.
    """

    counts: dict[str, int] = field(default_factory=dict)
    first: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)

    def add(self, code: str, shown: str, *, info: bool = False, ignored: bool = False) -> None:
        self.counts[code] = self.counts.get(code, 0) + 1
        self.first.setdefault(code, shown.replace(f"[{code}] ", "", 1))  # the code is on the line already
        self.kinds.setdefault(code, "ignored" if ignored else "info" if info else "warning")

    def lines(self) -> list[str]:
        """``diagnostics by code: …`` then one line per code, the most frequent first; nothing when none."""
        if not self.counts:
            return []
        totals: dict[str, int] = {}
        for code, count in self.counts.items():
            totals[self.kinds[code]] = totals.get(self.kinds[code], 0) + count
        head = ", ".join(
            f"{totals[kind]} {kind}" for kind in ("warning", "info", "ignored") if kind in totals
        )
        lines = [
            f"diagnostics by code ({head}); silence a code with --ignore CODE or the plugin's ignore option:"
        ]
        lines.extend(
            f"  {code} {self.kinds[code]:<7} {self.counts[code]:>6}  first: {self.first[code]}"
            for code in sorted(self.counts, key=lambda c: (-self.counts[c], c))
        )
        return lines
