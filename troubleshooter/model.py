"""What the matcher reads (index entries) and what it answers (matches with evidence)."""

from __future__ import annotations

from dataclasses import dataclass, field
import gzip
import re
from typing import Any

INDEX_FORMAT = "troubleshooter-index"
#: 2: the index carries the matcher's precomputed ``tables`` (:mod:`troubleshooter.tables`).
#: 3: the tables carry ``generic_lines`` (:mod:`troubleshooter.boilerplate`).
#: 4: the tables' terms are singular (:func:`troubleshooter.terms.singular`).
#: 5: a number that names an error (``Error 1016``) is a term (:func:`troubleshooter.terms.tokenize`).
INDEX_VERSION = 5
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


#: The end of a sentence of the resolution text (its list items are flattened into sentences).
_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=[A-Z0-9`\"'(])")
_STEP_LIMIT = 240


def first_step(resolution: str) -> str:
    """The first sentence of a section's "how to fix it" text (with the next one when it introduces a list,
    cut at a word near the limit), or ``""``."""
    sentences = _SENTENCE_END.split(" ".join(resolution.split()), maxsplit=2)
    step = sentences[0]
    if step.endswith(":") and len(sentences) > 1:
        step = f"{step} {sentences[1]}"
    if len(step) <= _STEP_LIMIT:
        return step
    cut = step.rfind(" ", 0, _STEP_LIMIT)
    return step[: cut if cut > 0 else _STEP_LIMIT] + " …"


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
    page_title: str = ""
    #: The product (repository) of the section, in an index over several (a multi-repository site).
    product: str = ""

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
                page_title=str(data.get("page_title", "")),
                product=str(data.get("product", "")),
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
        found = {
            "page": self.section.page,
            "anchor": self.section.anchor,
            "title": self.section.title,
            "page_title": self.section.page_title,
            "url": self.section.url,
            "fix": first_step(self.section.resolution),
            "score": round(self.score, 4),
            "captures": dict(self.captures),
            "evidence": {"text": self.evidence.text, "spans": [list(s) for s in self.evidence.spans]},
        }
        if self.section.product:
            found["product"] = self.section.product
        return found


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
