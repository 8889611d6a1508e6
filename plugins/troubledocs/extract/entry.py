"""The troubleshooting entry: one section of a page, as the index stores it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from troubleshooter.terms import codes_in

RESOLUTION_LIMIT = 1200
#: A section with this many links, whose text is at least half link text, is a list of topics.
CONTENTS_LINKS = 3


@dataclass
class Entry:
    """One troubleshooting section of one page."""

    page: str
    anchor: str
    title: str
    level: int
    #: the title of the page the section is on (readers know pages by title, not by file name)
    page_title: str = ""
    marked: bool = False
    symptom: str = ""
    errors: list[str] = field(default_factory=list)
    cause: str = ""
    resolution: str = ""
    commands: list[str] = field(default_factory=list)
    body: str = ""
    #: error texts that a reference table row attributes to another topic: ``(topic id, error text)``
    referrals: list[tuple[str, str]] = field(default_factory=list)
    #: links of the section's text and the characters of link text (not stored: they tell a list of topics)
    links: int = 0
    link_chars: int = 0

    def is_contents(self) -> bool:
        """Whether the section is a list of links to other topics (a hub page's "Troubleshooting topics"): no
        problem of its own, so no answer to a paste; the topics it lists are indexed where they are."""
        return (
            not (self.marked or self.errors or self.symptom or self.referrals or self.resolution)
            and self.links >= CONTENTS_LINKS
            and self.link_chars * 2 >= len(self.body)
        )

    def to_json(self) -> dict[str, Any]:
        """The entry as stored in the index (empty fields left out to keep the file small)."""
        data: dict[str, Any] = {"page": self.page, "anchor": self.anchor, "title": self.title}
        if self.page_title:
            data["page_title"] = self.page_title
        for name in ("symptom", "cause", "body"):
            value = getattr(self, name)
            if value:
                data[name] = value
        if self.resolution:
            data["resolution"] = _clip(self.resolution, RESOLUTION_LIMIT)
        if self.errors:
            data["errors"] = self.errors
            codes = codes_in("\n".join(self.errors))
            if codes:
                data["codes"] = codes
        if self.commands:
            data["commands"] = self.commands
        if not self.marked:
            data["marked"] = False
        return data


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit] + " …"
