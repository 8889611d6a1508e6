"""Everything a build knows about the whole repository before it renders a page, gathered in one cheap pass.

:meth:`SiteContext.load` (called by :meth:`troubledocs.repository.model.Repository.context`) pre-scans the pages for
topic ids (:mod:`.topics`), reads the TOC (:mod:`.nav`), ``conref.md`` (:mod:`.conref`) and the translations, and
makes the link resolver the renderer calls.
The MkDocs adapter holds one per build; this module does not import MkDocs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from troubledocs.conref import ConrefLibrary
from troubledocs.diagnostics import Diagnostic
from troubledocs.mdit.reuse import Reuse
from troubledocs.renderer import Renderer
from troubledocs.repository.links import LinkResolver
from troubledocs.repository.nav import (
    Navigation,
    NavItem,
    add_unlisted,
    first_page,
    identify_included,
    read_legacy_toc,
    read_toc_yaml,
)
from troubledocs.repository.publishing import INDEX, unpublished
from troubledocs.repository.topics import TopicMap, language_of, scan_topics
from troubledocs.repository.translations import home_page, language_sections, languages

#: The stylesheet and script for badges, steps, the interface switch and includes (site paths).
ASSETS = ("assets/site/site.css", "assets/site/site.js")


def _same(text: str) -> str:
    return text


@dataclass
class SiteContext:
    root: Path
    topics: TopicMap
    links: LinkResolver
    reuse: Reuse
    navigation: Navigation | None = None
    languages: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: Markdown files that are not pages of the site (see :mod:`.publishing`).
    unpublished: list[str] = field(default_factory=list)
    #: The page the site's root URL shows (``""``: none; ``troubledocs build`` then generates one).
    landing: str = ""

    @classmethod
    def load(
        cls,
        root: Path,
        files: list[str],
        pages: list[str],
        substitute: Callable[[str], str] = _same,
        toc_file: str | None = None,
        siblings: dict[str, Path] | None = None,
        added: Iterable[str] = (),
    ) -> SiteContext:
        """Scan the ``pages`` of ``root`` once (``files``: the files of the site, valid link targets).
        ``substitute`` resolves keywords in TOC labels; ``toc_file`` is the TOC to read, if any; ``added``: pages
        the build adds (a generated landing page). A README that is no page (see :mod:`.publishing`) is left out.

        Use :meth:`troubledocs.repository.model.Repository.context`, which knows which files are pages."""
        navigation = _read_navigation(root, toc_file, set(pages), substitute) if toc_file else None
        left_out = unpublished(pages, navigation.listed if navigation else None, added)
        pages = [page for page in pages if page not in set(left_out)]
        page_set = set(pages)
        topics = scan_topics(root, pages)
        subcollections = {navigation.subcollection} if navigation and navigation.subcollection else set()
        if navigation is not None and topics.site_map:
            sources = {t.src_path: t.topic_id for t in topics.by_id.values() if not language_of(t.src_path)}
            identify_included(navigation, topics.site_map, sources, substitute)
        if navigation is not None:
            add_unlisted(navigation, [p for p in pages if not language_of(p)])
            navigation.nav.extend(language_sections(navigation.nav, page_set))
        landing = _landing_page(page_set | set(added), navigation, topics)
        library = ConrefLibrary.from_source(root)
        context = cls(
            root=root,
            topics=topics,
            links=LinkResolver(
                topics,
                subcollections,
                home=landing,
                files=set(files),
                complete=navigation is not None and not navigation.missing,
                own_subcollection=navigation.subcollection if navigation else "",
                included=tuple(navigation.included) if navigation else (),
            ),
            reuse=Reuse(library, root, siblings),
            navigation=navigation,
            languages=languages(page_set),
            unpublished=left_out,
            landing=landing,
        )
        context.diagnostics = [*topics.diagnostics, *library.diagnostics]
        if navigation is not None:
            context.diagnostics.extend(navigation.diagnostics)
        return context

    def attach(self, renderer: Renderer) -> None:
        """Let ``renderer`` resolve this repository's links and reuse its content."""
        renderer.link_resolver = self.links
        renderer.reuse = self.reuse

    def add_files(self, paths: Iterable[str]) -> None:
        """Files the build adds beside the source (imported and generated pages, assets): valid link targets too.

        Their subcollections are not scanned: an imported page does not make its doc set this repository's."""
        for path in paths:
            if path.endswith(".md"):
                self.topics.pages.add(path)
            self.links.files.add(path)

    def nav(self) -> list[NavItem] | None:
        """The MkDocs ``nav`` from the repository's TOC, or ``None`` when it has none (MkDocs then makes one)."""
        return self.navigation.nav if self.navigation is not None else None


def _landing_page(pages: set[str], navigation: Navigation | None, topics: TopicMap) -> str:
    """``index.md``, else the topic of the TOC's ``href`` (``/docs/<sub>?topic=<sub>-<id>``), else the first page
    of the navigation (a page the TOC leaves out when it lists none); without a TOC, ``index.md`` or a README that
    is published (``""``: none)."""
    if navigation is None:
        return home_page(pages)
    if INDEX in pages:
        return INDEX
    topic = parse_qs(urlsplit(navigation.href).query).get("topic", [""])[0]
    named = topics.find(topic.removeprefix(f"{navigation.subcollection}-")) if topic else None
    return named or first_page(navigation.nav)


def _read_navigation(
    root: Path, toc_file: str, pages: set[str], substitute: Callable[[str], str]
) -> Navigation:
    text = (root / toc_file).read_text(encoding="utf-8", errors="replace")
    if toc_file.endswith((".yaml", ".yml")):
        return read_toc_yaml(text, pages, substitute, toc_file)
    return read_legacy_toc(text, pages, substitute, toc_file)


def site_assets() -> list[tuple[str, bytes]]:
    """The files of :data:`ASSETS` with their content, to add to the built site."""
    package = resources.files("troubledocs")
    return [(path, package.joinpath(*path.split("/")).read_bytes()) for path in ASSETS]
