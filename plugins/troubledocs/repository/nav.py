"""Site navigation from a repository's own table of contents: IBM's ``toc.yaml`` or the legacy ``toc`` file.

The result is a plain MkDocs ``nav`` list (``"page.md"``, ``{"Title": "page.md"}``, ``{"Label": [...]}``,
``{"Label": "https://…"}``) that the adapter hands to MkDocs; nothing here imports MkDocs.

``toc.yaml`` entries: ``topics`` lists of ``file.md`` or ``{topic, navtitle}``; ``topicgroup`` (``label`` +
``topics`` and/or ``links``); ``navgroup`` (``id`` + ``topics``, the top-level groups); ``link`` (``label`` +
``href``), ``links`` (a list of those) and ``include`` (a topic of another repository, which IBM publishes in this
doc set: shown as a link to its published page on cloud.ibm.com, as is a ``/docs/…`` topic entry).
Pages the TOC does not list still build, and are listed under "Other topics" so that they stay reachable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
import posixpath
import re
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import yaml

from troubledocs.diagnostics import Diagnostic
from troubledocs.sanitize import url_allowed
from troubledocs.source_lines import attr_line, is_ald_line
from troubledocs.yaml_safe import load_yaml

NavItem = str | dict[str, Any]
Substitute = Callable[[str], str]

CLOUD_DOCS = "https://cloud.ibm.com/docs"
#: IBM's placeholder for the console's host in TOC links (``https://{DomainName}/apidocs/…``).
DOMAIN_NAME = "{DomainName}"
OTHER_TOPICS = "Other topics"
_WORD_BREAK = re.compile(r"[-_.]+")
#: How many of the TOC's topics of other repositories the build's summary line names.
SUMMARY_NAMES = 5
#: Characters that would end the attribute a theme prints a URL into.
_ATTRIBUTE_BREAKERS = re.compile(r"[\"'<>\s`]")
#: IBM's navgroup ids and the headings its docs show for them.
NAVGROUP_LABELS = {
    "learn": "Learn",
    "tutorial": "Tutorials",
    "howto": "How to",
    "reference": "Reference",
    "help": "Help",
}


@dataclass(eq=False)
class IncludedTopic:
    """A topic of another repository that the TOC lists: it has no source here, only a published page."""

    written: str
    #: Its doc set (the other repository's folder name), and its file name without ``.md`` (or the subcollection
    #: and topic of a ``/docs/…`` entry).
    doc_set: str
    stem: str
    #: Its nav entry (``{label: url}``), updated once its id and title are known.
    item: dict[str, Any]
    #: Whether the TOC gives its title (``navtitle``).
    titled: bool = False
    #: Its H1 id, when IBM's site map of this doc set names it (else only guessed from ``stem``).
    topic_id: str = ""

    @property
    def url(self) -> str:
        return str(next(iter(self.item.values())))

    def may_carry(self, topic_id: str) -> bool:
        """Whether ``topic_id`` may be this topic's id. Its H1 id is in the other repository; IBM's ids mostly
        repeat the file name's words (``uninstall_cli.md``: ``uninstall-ibmcloud-cli``), or all but the first one, a
        kind of topic (``reference-monitoring.md``, ``howto-cbr.md``: ``monitoring``, ``cbr``)."""
        if self.topic_id:
            return topic_id == self.topic_id
        parts = _WORD_BREAK.split(self.stem.lower())
        words = set(parts)
        if len(words) < 2:
            return topic_id.lower() == self.stem.lower()
        given = set(_WORD_BREAK.split(topic_id.lower()))
        return words <= given or given == set(parts[1:])


@dataclass
class Navigation:
    """The nav list plus what reading the TOC found."""

    nav: list[NavItem] = field(default_factory=list)
    title: str = ""
    subcollection: str = ""
    #: The TOC's ``href`` property: the doc set's landing page (``/docs/<sub>?topic=<sub>-<id>``).
    href: str = ""
    listed: set[str] = field(default_factory=set)
    #: TOC entries naming pages the folder does not have (the folder is a partial copy).
    missing: list[str] = field(default_factory=list)
    #: Topics the TOC takes from other repositories (``include: ../other/x.md``, ``/docs/…`` entries).
    included: list[IncludedTopic] = field(default_factory=list)
    #: The TOC's topics in reading order: local pages and topics of other repositories.
    order: list[str | IncludedTopic] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def included_summary(self) -> str:
        """One line on the TOC's topics from other repositories (they have no warning each)."""
        count = len(self.included)
        names = [topic.written for topic in self.included[:SUMMARY_NAMES]]
        more = f" and {count - SUMMARY_NAMES} more" if count > SUMMARY_NAMES else ""
        return (
            f"{count} {'topic' if count == 1 else 'topics'} of other repositories in the TOC "
            f"{'links' if count == 1 else 'link'} to the published pages on cloud.ibm.com: "
            f"{', '.join(names)}{more}"
        )


def _same(text: str) -> str:
    return text


def _group_label(group_id: str) -> str:
    return NAVGROUP_LABELS.get(group_id, group_id.replace("-", " ").replace("_", " ").capitalize())


class _TocYamlReader:
    """Turns the entries of a parsed ``toc.yaml`` into nav items, one pass, no lookups beyond a set."""

    def __init__(
        self, pages: set[str], subst: Substitute, nav: Navigation, toc_path: str, lines: dict[str, int]
    ) -> None:
        self.pages = pages
        self.subst = subst
        self.out = nav
        self.toc_path = toc_path
        self.lines = lines

    def warn(self, code: str, message: str, about: str = "") -> None:
        """Report ``message`` at the line of the TOC that holds ``about`` (0 when unknown)."""
        self.out.diagnostics.append(Diagnostic(self.toc_path, self.lines.get(about, 0), code, message))

    def items(self, entries: Any) -> list[NavItem]:
        if not isinstance(entries, list):
            return []
        result: list[NavItem] = []
        for entry in entries:
            result.extend(self.item(entry))
        return result

    def topic(self, written: str, title: str | None) -> list[NavItem]:
        path = posixpath.normpath(written.strip())
        if path.startswith(("../", "/docs/")) or "://" in path:
            return self.include(written.strip(), title)
        if path not in self.pages:
            message = f"topic '{path}' is listed in the TOC but is not in the repository; skipped"
            self.warn("TD606", message, written)
            self.out.missing.append(path)
            return []
        self.out.order.append(path)
        if path in self.out.listed:
            # Listed twice (IBM allows it); MkDocs would make the page's nav state ambiguous.
            return [{self.subst(title): path}] if title else [path]
        self.out.listed.add(path)
        return [{self.subst(title): path}] if title else [path]

    def include(self, written: str, title: str | None) -> list[NavItem]:
        """A topic of another repository: a link to where IBM publishes it."""
        if written.startswith(("/docs/", "https://", "http://")):
            url = _cloud_url(written)
            query = parse_qs(urlsplit(url).query).get("topic", [""])[0]
            stem = query.split("-", 1)[-1] if query else posixpath.basename(urlsplit(url).path)
            doc_set = urlsplit(url).path.removeprefix("/docs/").split("/", 1)[0]
        else:
            parts = [p for p in posixpath.normpath(written).split("/") if p not in ("..", ".")]
            if not parts:
                self.warn("TD607", f"include '{written}' names no topic; skipped", written)
                return []
            stem = posixpath.splitext(parts[-1])[0]
            doc_set = parts[0]
            url = f"{CLOUD_DOCS}/{doc_set}?topic={doc_set}-{stem}"
        label = self.subst(title) if title else stem.replace("_", " ").replace("-", " ").capitalize()
        topic = IncludedTopic(written, doc_set, stem, {label: url}, titled=bool(title))
        self.out.included.append(topic)
        self.out.order.append(topic)
        return [topic.item]

    def text(self, value: Any, what: str, about: Any) -> str | None:
        """A label or ``navtitle`` as text: a number, boolean or date is written as YAML reads it (``1.30`` is
        1.3), with a warning at the line of ``about`` (a scalar next to it); a list or map is no text (``None``)."""
        if value is None or isinstance(value, str):
            return value
        kind = type(value).__name__
        if isinstance(value, (list, dict)):
            self.warn("TD607", f"{what} is a {kind}, not text; ignored", _first_scalar(about))
            return None
        self.warn("TD607", f"{what} {value} is a {kind}, not text; quote it", _first_scalar(about))
        return str(value)

    def link(self, value: Any) -> list[NavItem]:
        if not isinstance(value, dict) or not value.get("href") or isinstance(value["href"], (list, dict)):
            self.warn("TD607", f"link without href: {value!r:.80}; skipped")
            return []
        href = str(value["href"])
        if not url_allowed(href):
            self.warn("TD403", f"link href {href[:40]!r} refused (not http, https, mailto or relative)", href)
            return []
        href = _cloud_url(href)
        label = self.subst(self.text(value.get("label"), "link label", href) or href)
        # The theme prints the URL into an attribute as it is.
        return [{label: _ATTRIBUTE_BREAKERS.sub(lambda char: quote(char.group(0)), href)}]

    def group(self, label: Any, topics: Any, links: Any = None) -> list[NavItem]:
        children = self.items(topics) + self.items(links)
        return [{self.subst(self.text(label, "group label", topics) or ""): children}] if children else []

    def item(self, entry: Any) -> list[NavItem]:
        if isinstance(entry, str):
            return self.topic(entry, None)
        if not isinstance(entry, dict):
            self.warn("TD607", f"unexpected entry {entry!r}; skipped")
            return []
        if "topic" in entry:
            title = self.text(entry.get("navtitle"), "navtitle", entry["topic"])
            return self.topic(str(entry["topic"]), title)
        if "include" in entry:
            title = self.text(entry.get("navtitle"), "navtitle", entry["include"])
            return self.include(str(entry["include"]), title)
        if "link" in entry:
            return self.link(entry["link"])
        if "links" in entry:
            links = entry["links"] if isinstance(entry["links"], list) else []
            return [item for value in links for item in self.item(value)]
        if "topicgroup" in entry:
            group = entry["topicgroup"] if isinstance(entry["topicgroup"], dict) else {}
            return self.group(group.get("label", ""), group.get("topics"), group.get("links"))
        if "navgroup" in entry:
            group = entry["navgroup"] if isinstance(entry["navgroup"], dict) else {}
            return self.group(_group_label(str(group.get("id", ""))), group.get("topics"), group.get("links"))
        if "label" in entry and "href" in entry:
            return self.link(entry)
        self.warn("TD607", f"unknown entry with keys {sorted(entry)}; skipped")
        return []


def identify_included(
    nav: Navigation, site_map: list[tuple[str, str, str]], topic_of: dict[str, str], subst: Substitute = _same
) -> None:
    """Give each TOC topic of another repository its id, published URL and title (unless the TOC names one)
    from ``site_map``: the ``(subcollection, id, title)`` of each topic of IBM's generated site map, which lists
    the doc set's topics in TOC order. A topic of another repository is the entry after the one of the TOC entry
    before it, when no local page (``topic_of``: page → its id) has that id."""
    position: dict[str, int] = {}
    for index, (_, topic_id, _) in enumerate(site_map):
        position.setdefault(topic_id, index)
    local = set(topic_of.values())
    previous = -1
    for entry in nav.order:
        if isinstance(entry, str):
            previous = position.get(topic_of.get(entry, ""), previous)
            continue
        candidate = previous + 1
        if candidate >= len(site_map):
            continue
        sub, topic_id, title = site_map[candidate]
        if topic_id in local or sub != nav.subcollection:
            continue
        previous = candidate
        label = next(iter(entry.item)) if entry.titled else subst(title)
        entry.topic_id = topic_id
        entry.item.clear()
        # Published in its own doc set too, where a site of several repositories finds it by its id.
        entry.item[label] = f"{CLOUD_DOCS}/{entry.doc_set}?topic={entry.doc_set}-{topic_id}"


def _cloud_url(href: str) -> str:
    """``href`` as a link that works from the built site: IBM's root-relative paths (``/docs/…``) and
    ``{DomainName}`` are on cloud.ibm.com."""
    href = href.strip().replace(DOMAIN_NAME, "cloud.ibm.com")
    root_relative = href.startswith("/") and not href.startswith("//")
    return CLOUD_DOCS.removesuffix("/docs") + href if root_relative else href


def read_toc_yaml(
    text: str, pages: set[str], subst: Substitute = _same, toc_path: str = "toc.yaml"
) -> Navigation:
    """Navigation from the text of a ``toc.yaml``; ``pages`` are the repository's ``.md`` files."""
    nav = Navigation()
    try:
        data = load_yaml(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        problem = getattr(error, "problem", None) or error
        nav.diagnostics.append(Diagnostic(toc_path, line, "TD607", f"cannot read the TOC: {problem}"))
        return nav
    toc = data.get("toc") if isinstance(data, dict) else None
    if not isinstance(toc, dict):
        nav.diagnostics.append(Diagnostic(toc_path, 0, "TD607", "no top-level 'toc:' mapping"))
        return nav
    properties = toc.get("properties") or {}
    nav.title = subst(str(properties.get("label", "")))
    nav.subcollection = str(properties.get("subcollection", ""))
    nav.href = str(properties.get("href", ""))
    reader = _TocYamlReader(pages, subst, nav, toc_path, _scalar_lines(text))
    nav.nav = reader.items(toc.get("entries"))
    return nav


def _first_scalar(value: Any) -> str:
    """The first scalar of a nested list or map (a topic entry: its topic) as text, to find its line."""
    while isinstance(value, (list, dict)) and value:
        value = (value.get("topic") or next(iter(value.values()))) if isinstance(value, dict) else value[0]
    return "" if isinstance(value, (list, dict)) else str(value)


def _scalar_lines(text: str) -> dict[str, int]:
    """The 1-based line where each scalar of a (valid) YAML text first occurs, for diagnostics."""
    lines: dict[str, int] = {}
    for token in yaml.scan(text, Loader=yaml.SafeLoader):
        if isinstance(token, yaml.ScalarToken):
            lines.setdefault(token.value, token.start_mark.line + 1)
    return lines


# -- the legacy ``toc`` file -------------------------------------------------------------------------------------

_LINK_LINE = re.compile(r"^\[(?P<label>[^\]]+)\]\((?P<href>[^)\s]+)\)$")


@dataclass
class _Line:
    indent: int
    text: str
    number: int
    marker: str = ""


@dataclass
class _Node:
    line: _Line
    children: list[_Node] = field(default_factory=list)


def _legacy_lines(text: str, nav: Navigation, toc_path: str) -> list[_Line]:
    lines: list[_Line] = []
    marker = ""
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or is_ald_line(raw):
            continue
        # The renderer's attribute-list grammar (stacked lists merged).
        ial = attr_line(raw)
        if ial is not None:
            indent = len(raw) - len(raw.lstrip())
            if "toc" in ial.classes:
                nav.subcollection = dict(ial.pairs).get("subcollection", "")
                marker = "title"
            elif "navgroup-end" in ial.classes:
                lines.append(_Line(indent, "", number, "navgroup-end"))
            elif "navgroup" in ial.classes:
                lines.append(_Line(indent, ial.id or "", number, "navgroup"))
            elif "topicgroup" in ial.classes:
                marker = "topicgroup"
            continue
        if marker == "title":
            nav.title = raw.strip()
            marker = ""
            continue
        lines.append(
            _Line(len(raw.expandtabs(4)) - len(raw.expandtabs(4).lstrip()), raw.strip(), number, marker)
        )
        marker = ""
    return lines


def _legacy_tree(lines: list[_Line]) -> list[_Node]:
    """Nest the lines by indentation; navgroup markers open and close top-level groups."""
    roots: list[_Node] = []
    stack: list[_Node] = []
    group: _Node | None = None
    for line in lines:
        if line.marker == "navgroup":
            group = _Node(line)
            roots.append(group)
            stack = []
            continue
        if line.marker == "navgroup-end":
            group, stack = None, []
            continue
        node = _Node(line)
        while stack and stack[-1].line.indent >= line.indent:
            stack.pop()
        if stack:
            stack[-1].children.append(node)
        elif group is not None:
            group.children.append(node)
        else:
            roots.append(node)
        stack.append(node)
    return roots


class _LegacyReader:
    def __init__(self, pages: set[str], subst: Substitute, nav: Navigation, toc_path: str) -> None:
        self.pages = pages
        self.subst = subst
        self.out = nav
        self.toc_path = toc_path

    def nodes(self, nodes: list[_Node]) -> list[NavItem]:
        return [item for node in nodes for item in self.node(node)]

    def node(self, node: _Node) -> list[NavItem]:
        line = node.line
        if line.marker == "navgroup":
            children = self.nodes(node.children)
            return [{_group_label(line.text): children}] if children else []
        if line.marker == "topicgroup":
            children = self.nodes(node.children)
            return [{self.subst(line.text): children}] if children else []
        own = self.entry(line)
        children = self.nodes(node.children)
        if not children:
            return own
        if own and isinstance(own[0], dict):
            label = next(iter(own[0]))
            return [{label: own + children}]
        return own + children

    def entry(self, line: _Line) -> list[NavItem]:
        link = _LINK_LINE.match(line.text)
        label = self.subst(link.group("label")) if link else ""
        href = link.group("href") if link else line.text
        if "://" in href:
            return [{label or href: href}]
        path = posixpath.normpath(href.split("#", 1)[0])
        stem, suffix = posixpath.splitext(path)
        if suffix in (".html", ".htm"):
            path = stem + ".md"
        if path.startswith(("../", "/")):
            outside = posixpath.normpath(posixpath.join(self.out.subcollection, href.lstrip("/")))
            return [{label or path: f"{CLOUD_DOCS}/{outside}"}]
        if path not in self.pages:
            self.out.missing.append(path)
            self.out.diagnostics.append(
                Diagnostic(
                    self.toc_path,
                    line.number,
                    "TD606",
                    f"'{href}' is not a page of the repository; skipped",
                )
            )
            return []
        self.out.listed.add(path)
        return [{label: path}] if label else [path]


def read_legacy_toc(
    text: str, pages: set[str], subst: Substitute = _same, toc_path: str = "toc"
) -> Navigation:
    """Navigation from the text of a legacy ``toc`` file (indented file names, ``{: .topicgroup}`` labels)."""
    nav = Navigation()
    lines = _legacy_lines(text, nav, toc_path)
    nav.nav = _LegacyReader(pages, subst, nav, toc_path).nodes(_legacy_tree(lines))
    return nav


def add_unlisted(nav: Navigation, pages: Iterable[str]) -> None:
    """List the pages the TOC leaves out (sorted), so that every page is reachable from the navigation."""
    rest = sorted(p for p in pages if p not in nav.listed)
    if rest:
        nav.nav.append({OTHER_TOPICS: list(rest)})
        nav.listed.update(rest)


def first_page(nav: list[NavItem]) -> str:
    """The first local page of ``nav`` in reading order (``""`` if it lists none)."""
    for item in nav:
        values = [item] if isinstance(item, str) else list(item.values())
        for value in values:
            if isinstance(value, list):
                found = first_page(value)
                if found:
                    return found
            elif isinstance(value, str) and "://" not in value:
                return value
    return ""
