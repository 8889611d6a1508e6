"""A fast pre-scan of every page for its topic id (the id on its H1, or on its first heading when it has no H1),
before anything is rendered.

IBM links pages by topic id (``/docs/<sub>?topic=<sub>-<id>``), and in 274 of 511 openshift pages that id differs
from the file name, so links can only be resolved once every page's H1 id is known. Rendering every page twice would
double the build time; this scan reads only the lines up to the topic heading and its attribute lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
import re

from troubledocs.attrs import AttrList
from troubledocs.diagnostics import Diagnostic
from troubledocs.source_lines import attr_line, topic_heading

#: The H1 id of the site map page IBM generates for a doc set.
SITEMAP_ID = "sitemap"
_TOPIC_LINK = re.compile(r"/docs/([\w.-]+)\?topic=\1-([\w.-]+)")
#: A site map's line for a topic: its title, linked to the topic's own H1 anchor.
_TOPIC_TITLE = re.compile(r"\[([^\]\n]+)\]\(/docs/([\w.-]+)\?topic=\2-([\w.-]+)#\3\)")
_SUBCOLLECTION = re.compile(r"^subcollection:\s*['\"]?([\w.-]+)", re.MULTILINE)
#: ``nl/de/``, ``nl/pt/BR/``, ``nl/zh/TW/`` (IBM puts regional variants in a sub-folder), ``nl/zh-tw/``.
_TRANSLATION = re.compile(r"^nl/([a-z]{2,3}(?:[-_][A-Za-z]{2,4})?(?:/[A-Z]{2}(?=/))?)/")


def language_of(src_path: str) -> str:
    """The language folder of a page below ``nl/`` (``nl/de/x.md`` → ``de``, ``nl/pt/BR/x.md`` → ``pt/BR``), or
    ``""`` for the source language."""
    match = _TRANSLATION.match(src_path)
    return match.group(1) if match else ""


@dataclass(frozen=True)
class Topic:
    """One page as the link resolver knows it."""

    src_path: str
    topic_id: str
    line: int


def topic_heading_id(text: str) -> tuple[str, int] | None:
    """The id the renderer gives the page's topic heading (:func:`~troubledocs.source_lines.topic_heading`: the
    first H1 outside code, else the first heading), with that heading's line number.

    Like the renderer (:mod:`troubledocs.mdit.block_ial`), it reads the attribute lines right below the heading and a
    run of attribute lines after blank lines that no block follows directly (applied to the heading, with a TD203
    warning); the last id wins."""
    lines = text.splitlines()
    heading = topic_heading(lines)
    if heading is None:
        return None
    run = _attr_run(lines, heading.index + 1)
    after = heading.index + 1 + len(run)
    start = after
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start > after:
        separated = _attr_run(lines, start)
        following = start + len(separated)
        if separated and (following >= len(lines) or not lines[following].strip()):
            run += separated
    # The renderer's own grammar, stacked lines merged as it merges them, so both agree on the id.
    merged: AttrList | None = None
    for attrs in run:
        merged = attrs if merged is None else merged.merge(attrs)
    return (merged.id, heading.index + 1) if merged is not None and merged.id else None


def _attr_run(lines: list[str], start: int) -> list[AttrList]:
    """The attribute lists of the run of attribute lines that starts at ``start``."""
    run: list[AttrList] = []
    for line in lines[start:]:
        attrs = attr_line(line)
        if attrs is None:
            break
        run.append(attrs)
    return run


def subcollection_of(text: str) -> str:
    """The ``subcollection:`` named in a page's front matter, or ``""``."""
    if not text.startswith("---"):
        return ""
    end = text.find("\n---", 3)
    match = _SUBCOLLECTION.search(text, 0, end if end > 0 else len(text))
    return match.group(1) if match else ""


@dataclass
class TopicMap:
    """Topic ids and file names of every page of one repository, per language."""

    subcollections: set[str] = field(default_factory=set)
    #: ``(language, topic id) -> Topic``; the source language is ``""``.
    by_id: dict[tuple[str, str], Topic] = field(default_factory=dict)
    pages: set[str] = field(default_factory=set)
    #: ``(subcollection, topic id)`` of every topic the site map lists: IBM generates that page (H1 id
    #: ``sitemap``) from the whole doc set, topics the TOC includes from other repositories too.
    published: set[tuple[str, str]] = field(default_factory=set)
    #: The site map's topics in its order: ``(subcollection, topic id, title)``.
    site_map: list[tuple[str, str, str]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def add(self, src_path: str, text: str) -> None:
        """Record one page (``src_path`` is POSIX, relative to the source root)."""
        self.pages.add(src_path)
        sub = subcollection_of(text)
        if sub:
            self.subcollections.add(sub)
        found = topic_heading_id(text)
        if found is None:
            return
        topic_id, line = found
        if topic_id == SITEMAP_ID and not language_of(src_path):
            self.published.update(_TOPIC_LINK.findall(text))
            # Titles are text: a code span's backticks are markup.
            entries = _TOPIC_TITLE.findall(text)
            self.site_map = [(sub, ident, title.replace("`", "")) for title, sub, ident in entries]
        key = (language_of(src_path), topic_id)
        previous = self.by_id.get(key)
        if previous is not None:
            self.diagnostics.append(
                Diagnostic(
                    src_path,
                    line,
                    "TD601",
                    f"topic id '{topic_id}' is also the topic id of {previous.src_path}; links go to that page",
                )
            )
            return
        self.by_id[key] = Topic(src_path, topic_id, line)

    def find(self, topic_id: str, language: str = "") -> str | None:
        """The page whose topic heading carries ``topic_id`` (the translation of ``language`` when there is one)."""
        if language:
            topic = self.by_id.get((language, topic_id))
            if topic is not None:
                return topic.src_path
        topic = self.by_id.get(("", topic_id))
        return topic.src_path if topic is not None else None

    def translated(self, src_path: str, language: str) -> str:
        """``src_path`` in ``language``'s folder when that translation exists, else ``src_path`` itself."""
        if language and not src_path.startswith("nl/"):
            candidate = f"nl/{language}/{src_path}"
            if candidate in self.pages:
                return candidate
        return src_path


def scan_topics(root: Path, src_paths: Iterable[str]) -> TopicMap:
    """Read every page once, cheaply, and build the topic map."""
    topics = TopicMap()
    for src_path in sorted(src_paths):
        try:
            text = (root / PurePosixPath(src_path)).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue  # reported when the page is built, which shows an error page in its place
        topics.add(src_path, text)
    return topics
