"""Problems found while reading a page, each tied to ``path:LINE``."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How bad a diagnostic is. ``--strict`` fails the build on any warning."""

    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Diagnostic:
    """One problem in one source file.

    ``line`` is 1-based and counts the front matter, so it points at the line
    an editor shows. ``line`` is 0 when the problem concerns the whole file.
    """

    path: str
    line: int
    code: str
    message: str
    severity: Severity = Severity.WARNING

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: [{self.code}] {self.message}"
