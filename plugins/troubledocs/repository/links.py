"""Resolve the links of IBM docs pages to the pages of the built site, and check their anchors afterwards.

The renderer calls :class:`LinkResolver` for every link (``resolver(href, page_path, line) -> href``) while it
renders; the anchors a link points at are only known once every page is rendered, so they are checked in a second,
linear step (:meth:`LinkResolver.check_anchors`).

* ``/docs/<sub>?topic=<sub>-<id>[&interface=x][#anchor]`` (also with ``https://cloud.ibm.com`` in front) goes to
  the local page whose H1 carries ``<id>`` when ``<sub>`` is this repository's subcollection.
* ``/docs/<other>…`` becomes ``https://cloud.ibm.com/docs/<other>…``: another doc set, outside this site. So does a
  topic link that no page here carries when the topic comes from another repository: one the TOC includes
  (``include: ../cli/x.md``, published in this doc set: the site map IBM generates lists its id, or the id has the
  file name's words), or one of a subcollection other than the TOC's that some page's front matter names (the
  pages of that repository are not in the build).
* Relative ``x.md`` / ``x.html`` links (the legacy pages) go to the page of that file; a relative link that climbs
  out of the repository points into another doc set on cloud.ibm.com.
* Root-relative ``/images/arch.svg`` is a file of the repository (IBM's builds read it so), never cloud.ibm.com.
  An image that does not exist is reported (``TD605``) and shown as its alt text (``""`` asks for that).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
import posixpath
import re
from urllib.parse import parse_qs, urlsplit

from troubledocs.diagnostics import Diagnostic
from troubledocs.repository.nav import IncludedTopic
from troubledocs.repository.topics import TopicMap, language_of

CLOUD_DOCS = "https://cloud.ibm.com/docs"
_CLOUD_HOSTS = ("cloud.ibm.com", "test.cloud.ibm.com")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_PAGE_SUFFIXES = (".md", ".html", ".htm")
IMAGE_SUFFIXES = frozenset({".png", ".svg", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".ico"})


@dataclass
class LinkStats:
    """How the links of a build were resolved (reported by the corpus tests and the build summary)."""

    topic_resolved: int = 0
    topic_unresolved: int = 0
    relative_resolved: int = 0
    relative_unresolved: int = 0
    other_doc_sets: int = 0
    #: Topic links of this doc set to pages a partial folder does not hold: they go to cloud.ibm.com.
    outside_folder: int = 0
    #: Topic links to topics of other repositories (TOC includes, other subcollections): to cloud.ibm.com.
    other_repositories: int = 0
    #: Images outside the repository (IBM's shared ``../icons``): shown as their alt text.
    outside_images: int = 0
    anchors_checked: int = 0
    anchors_missing: int = 0

    def summary(self) -> str:
        return (
            f"topic links: {self.topic_resolved} resolved, {self.topic_unresolved} unresolved; "
            f"relative page links: {self.relative_resolved} resolved, {self.relative_unresolved} unresolved; "
            f"links to other doc sets: {self.other_doc_sets}; "
            f"links to pages of this doc set outside the folder: {self.outside_folder}; "
            f"links to topics of other repositories: {self.other_repositories}; "
            f"images outside the repository shown as text: {self.outside_images}; "
            f"anchors: {self.anchors_checked} checked, {self.anchors_missing} missing"
        )


@dataclass(frozen=True)
class _PendingAnchor:
    page: str
    line: int
    target: str
    anchor: str


@dataclass
class LinkWork:
    """Diagnostics, anchors to check and counts from resolving some pages' links."""

    diagnostics: list[Diagnostic]
    pending: list[_PendingAnchor]
    stats: LinkStats


@dataclass
class LinkResolver:
    """Resolves hrefs for one build; collects the diagnostics and the anchors to check."""

    topics: TopicMap
    subcollections: set[str] = field(default_factory=set)
    #: The page that ``/docs/<sub>`` (the doc set's landing page) goes to.
    home: str = ""
    #: Every non-page file of the source (images, downloads), POSIX paths relative to the root.
    files: set[str] = field(default_factory=set)
    #: Whether the folder is a whole repository (a TOC that names only pages it has). In a partial folder (one
    #: page, or a copy of some pages) a topic link to a page it lacks goes to cloud.ibm.com without a warning.
    complete: bool = True
    #: The doc set the TOC names: only its topic ids must all be here (``""``: every subcollection's must).
    own_subcollection: str = ""
    #: The TOC's topics from other repositories.
    included: tuple[IncludedTopic, ...] = ()
    diagnostics: list[Diagnostic] = field(default_factory=list)
    stats: LinkStats = field(default_factory=LinkStats)
    _pending: list[_PendingAnchor] = field(default_factory=list)
    _warned: set[Diagnostic] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.subcollections = self.subcollections | self.topics.subcollections

    # -- the renderer's callbacks -------------------------------------------------------------------------------

    def __call__(self, href: str, page_path: str, line: int, holder: str = "") -> str:
        """The href to write for a link found at ``page_path:line``, in the text of ``holder`` (an included file;
        ``""``: the page's own text)."""
        if not href or href.startswith(("mailto:", "tel:", "javascript:", "data:")):
            return href
        if href.startswith("#"):
            self._expect(page_path, line, page_path, href[1:])
            return href
        parts = urlsplit(href)
        if (
            parts.scheme in ("http", "https")
            and parts.netloc in _CLOUD_HOSTS
            and parts.path.startswith("/docs")
        ):
            return self._docs_link(href, parts.path, parts.query, parts.fragment, page_path, line)
        if _SCHEME.match(href) or href.startswith("//"):
            return href
        if parts.path.startswith("/docs"):
            return self._docs_link(href, parts.path, parts.query, parts.fragment, page_path, line)
        if parts.path.startswith("/"):
            if self._in_repository(parts.path):
                # ``/images/arch.svg``: root-relative in the repository, as IBM's builds read it.
                return self._relative_link(parts.path, parts.query, parts.fragment, "", line, href, page_path)
            return CLOUD_DOCS.removesuffix("/docs") + href
        return self._relative_link(
            parts.path, parts.query, parts.fragment, page_path, line, href, holder=holder
        )

    @staticmethod
    def unresolved_form(href: str) -> bool:
        """Whether ``href`` is one of the forms this resolver handles (``/docs/…``, a relative ``.html`` page or
        file): links written in raw HTML reach the adapter unresolved, Markdown links were resolved while
        rendering (to ``.md`` paths; a file link seen twice is reported once)."""
        if href.startswith("/docs"):
            return True
        path = href.split("#", 1)[0].split("?", 1)[0]
        if path.startswith("/") and not path.startswith("//"):
            return posixpath.splitext(path)[1].lower() in IMAGE_SUFFIXES
        return (
            bool(path) and not path.endswith(".md") and not _SCHEME.match(href) and not href.startswith("/")
        )

    def take_work(self) -> LinkWork:
        """What resolving links found since the last call (a worker process hands it to the main one)."""
        work = LinkWork(self.take_diagnostics(), self._pending, self.stats)
        self._pending, self.stats = [], LinkStats()
        return work

    def add_work(self, work: LinkWork) -> None:
        """Take in a worker's :class:`LinkWork`, as if this resolver had done it."""
        for diagnostic in work.diagnostics:
            self._warn(diagnostic.path, diagnostic.line, diagnostic.code, diagnostic.message)
        self._pending.extend(work.pending)
        for name, value in vars(work.stats).items():
            setattr(self.stats, name, getattr(self.stats, name) + value)

    def take_diagnostics(self) -> list[Diagnostic]:
        """The diagnostics found since the last call (the adapter reports them with the page being built)."""
        found, self.diagnostics = self.diagnostics, []
        return found

    # -- anchors ------------------------------------------------------------------------------------------------

    def check_anchors(self, anchors: Mapping[str, set[str]]) -> list[Diagnostic]:
        """Report links whose ``#anchor`` is not an id of the target page (``anchors``: page → ids)."""
        found: list[Diagnostic] = []
        for pending in self._pending:
            ids = anchors.get(pending.target)
            if ids is None:
                continue
            self.stats.anchors_checked += 1
            if pending.anchor not in ids:
                self.stats.anchors_missing += 1
                where = "this page" if pending.target == pending.page else pending.target
                found.append(
                    Diagnostic(
                        pending.page,
                        pending.line,
                        "TD604",
                        f"#{pending.anchor} is not an id in {where}",
                    )
                )
        self._pending.clear()
        return found

    # -- the kinds of links -------------------------------------------------------------------------------------

    def _docs_link(self, href: str, path: str, query: str, fragment: str, page: str, line: int) -> str:
        segments = [s for s in path.split("/") if s]
        sub = segments[1] if len(segments) > 1 else ""
        if sub not in self.subcollections:
            self.stats.other_doc_sets += 1
            return href if href.startswith("http") else CLOUD_DOCS.removesuffix("/docs") + href
        params = parse_qs(query)
        topic = params.get("topic", [""])[0]
        interface = params.get("interface", [""])[0]
        if not topic:
            rest = "/".join(segments[2:])
            if rest.endswith(_PAGE_SUFFIXES):
                # Legacy absolute form /docs/<sub>/file.html
                return self._relative_link("/" + rest, query, fragment, "", line, href, origin=page)
            return self._link_to(page, "", "", "", line) if not rest else self._external(href)
        topic_id = topic.removeprefix(f"{sub}-")
        target = self.topics.find(topic_id, language_of(page))
        if target is None and not self.complete:
            self.stats.outside_folder += 1
            return self._external(href)
        if target is None and (
            (sub, topic_id) in self.topics.published
            or any(topic.may_carry(topic_id) for topic in self.included)
            or (self.own_subcollection and sub != self.own_subcollection)
        ):
            self.stats.other_repositories += 1
            return self._external(href)
        if target is None:
            self.stats.topic_unresolved += 1
            self._warn(
                page, line, "TD602", f"no page of this repository has the topic id '{topic_id}' ({href})"
            )
            return self._external(href)
        self.stats.topic_resolved += 1
        return self._link_to(page, target, fragment, interface, line)

    def _relative_link(
        self,
        path: str,
        query: str,
        fragment: str,
        page: str,
        line: int,
        href: str,
        origin: str = "",
        holder: str = "",
    ) -> str:
        origin = origin or page
        if not path:
            return href
        language = language_of(origin)
        # IBM publishes a translation at the URL of its source page, so a translated page's relative links are
        # relative to the source page's folder.
        folder = (
            posixpath.dirname(page).removeprefix(f"nl/{language}").lstrip("/")
            if language
            else posixpath.dirname(page)
        )
        joined = posixpath.normpath(posixpath.join(folder, path.lstrip("/")))
        as_written = bool(page)  # a path read from the page's folder is written as it stands
        if holder and holder != origin and not self._names(joined, language):
            # Included text is substituted into the page, so its paths are read from the page's folder; an
            # author who writes them from the included file's own folder (``../images/x.svg`` in
            # ``_include-segments/``, reused by pages at any depth) means that file where the page's folder
            # names none.
            beside = posixpath.normpath(posixpath.join(posixpath.dirname(holder), path))
            if self._names(beside, language):
                joined, as_written = beside, False
        if joined.startswith("../") or joined == "..":
            if posixpath.splitext(joined)[1].lower() in IMAGE_SUFFIXES:
                # An image must come from the site itself (it works offline). Outside the repository it is one
                # of IBM's shared images (``../icons/…``), which no clone of one doc set has: the renderer
                # shows its alt text instead (``""`` asks for that).
                self.stats.outside_images += 1
                return ""
            self.stats.other_doc_sets += 1
            sub = next(iter(sorted(self.subcollections)), "")
            outside = posixpath.normpath(posixpath.join(sub, joined))
            return (
                f"{CLOUD_DOCS}/{outside}"
                + (f"?{query}" if query else "")
                + (f"#{fragment}" if fragment else "")
            )
        target = self._page_for(joined, language)
        if target is not None:
            self.stats.relative_resolved += 1
            return self._link_to(origin, target, fragment, "", line)
        if joined in self.files:
            return href if as_written else posixpath.relpath(joined, posixpath.dirname(origin) or ".")
        if posixpath.splitext(joined)[1].lower() in IMAGE_SUFFIXES:
            new = self._warn(origin, line, "TD605", f"image '{href}' does not exist in the repository")
            self.stats.relative_unresolved += int(new)
            return ""  # shown as its alt text, never as a broken image
        else:
            new = self._warn(origin, line, "TD603", f"'{href}' points to no file of this repository")
        self.stats.relative_unresolved += int(new)
        return href

    def _names(self, joined: str, language: str) -> bool:
        """Whether the repository path ``joined`` is a page or file of the repository."""
        return joined in self.files or self._page_for(joined, language) is not None

    def _in_repository(self, root_path: str) -> bool:
        """Whether a root-relative path names a file of the repository, or an image (which must come from the
        site: a missing one is reported and shown as its alt text)."""
        joined = posixpath.normpath(root_path.lstrip("/"))
        return joined in self.files or posixpath.splitext(joined)[1].lower() in IMAGE_SUFFIXES

    def _page_for(self, joined: str, language: str) -> str | None:
        stem, suffix = posixpath.splitext(joined)
        if suffix not in _PAGE_SUFFIXES:
            return None
        candidate = stem + ".md"
        # A translated page links to the translation when there is one, else the source-language page stands in.
        translated = self.topics.translated(candidate, language)
        if translated in self.topics.pages:
            return translated
        return None

    def _link_to(self, page: str, target: str, fragment: str, interface: str, line: int) -> str:
        """A link from ``page`` to the source file ``target`` (``""``: the site's home), which the site adapter
        turns into the built page's URL like any relative Markdown link."""
        if fragment:
            self._expect(page, line, target or page, fragment)
        if target == page:
            url = ""
        elif target:
            url = posixpath.relpath(target, posixpath.dirname(page) or ".")
        else:
            url = posixpath.relpath(self.home, posixpath.dirname(page) or ".") if self.home else "/"
        if interface:
            url += f"?interface={interface}"
        return url + (f"#{fragment}" if fragment else "") if url or fragment else "#"

    def _external(self, href: str) -> str:
        return href if href.startswith("http") else CLOUD_DOCS.removesuffix("/docs") + href

    def _expect(self, page: str, line: int, target: str, anchor: str) -> None:
        if anchor:
            self._pending.append(_PendingAnchor(page, line, target, anchor))

    def _warn(self, page: str, line: int, code: str, message: str) -> bool:
        """Record a warning once; whether it is new."""
        diagnostic = Diagnostic(page, line, code, message)
        if diagnostic in self._warned:
            return False
        self._warned.add(diagnostic)
        self.diagnostics.append(diagnostic)
        return True
