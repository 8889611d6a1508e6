"""What the matcher reads (index entries) and what it answers (matches with evidence)."""

from __future__ import annotations

from dataclasses import dataclass, field
import gzip
from typing import Any

INDEX_FORMAT = "troubleshooter-index"
#: 2: the index carries the matcher's precomputed ``tables`` (:mod:`troubleshooter.tables`).
#: 3: the tables carry ``generic_lines`` (:mod:`troubleshooter.boilerplate`).
INDEX_VERSION = 3
#: Where a built site keeps the index (gzip-compressed JSON), relative to the site root.
SITE_INDEX_PATH = "assets/troubleshooter/index.json.gz"
_GZIP_MAGIC = b"\x1f\x8b"


class IndexFormatError(ValueError):
    """The index file is not a troubleshooter index this version can read."""


def index_text(data: bytes) -> str:
    """The index document held in a file's bytes: gzip (as a site ships it) or plain UTF-8 JSON.

    Told apart by content, not by name: a server that sends the ``.gz`` with ``Content-Encoding: gzip``
    makes the browser hand over the JSON already decompressed.
    """
    try:
        if data[:2] == _GZIP_MAGIC:
            data = gzip.decompress(data)
        return data.decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise IndexFormatError(f"the index file is not gzip or UTF-8 JSON: {error}") from error


@dataclass(frozen=True, slots=True)
class Section:
    """One troubleshooting section as the index stores it."""

    page: str
    anchor: str
    title: str
    url: str
    symptom: str = ""
    errors: tuple[str, ...] = ()
    cause: str = ""
    resolution: str = ""
    body: str = ""
    commands: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Section:
        """Read one index entry (unknown keys are ignored, missing optional ones are empty)."""
        try:
            return cls(
                page=str(data["page"]),
                anchor=str(data["anchor"]),
                title=str(data.get("title", "")),
                url=str(data.get("url", "")),
                symptom=str(data.get("symptom", "")),
                errors=tuple(str(e) for e in data.get("errors", ())),
                cause=str(data.get("cause", "")),
                resolution=str(data.get("resolution", "")),
                body=str(data.get("body", "")),
                commands=tuple(str(c) for c in data.get("commands", ())),
            )
        except (KeyError, TypeError) as error:
            raise IndexFormatError(f"index entry without {error}: {str(data)[:80]}") from error


@dataclass(frozen=True, slots=True)
class Evidence:
    """The docs text that matched, and the character ranges of it to highlight."""

    text: str
    spans: list[list[int]]


@dataclass(frozen=True, slots=True)
class Match:
    """One ranked section."""

    section: Section
    score: float
    captures: dict[str, str]
    evidence: Evidence

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (see the package docstring)."""
        return {
            "page": self.section.page,
            "anchor": self.section.anchor,
            "title": self.section.title,
            "url": self.section.url,
            "score": round(self.score, 4),
            "captures": dict(self.captures),
            "evidence": {"text": self.evidence.text, "spans": [list(s) for s in self.evidence.spans]},
        }


@dataclass(frozen=True, slots=True)
class Answer:
    """The matcher's answer to one paste."""

    matches: list[Match] = field(default_factory=list)
    confident: bool = False
    notice: str | None = None
    confidence: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (see the package docstring)."""
        return {
            "matches": [m.to_dict() for m in self.matches],
            "confident": self.confident,
            "confidence": round(self.confidence, 3),
            "notice": self.notice,
        }
