"""Everything a build knows about the whole repository before it renders a page, gathered in one cheap pass.

:meth:`SiteContext.load` (called by :meth:`troubledocs.repository.Repository.context`) pre-scans the pages for
topic ids (:mod:`.topics`), reads the TOC (:mod:`.nav`), ``conref.md`` (:mod:`.conref`) and the translations, and
makes the link resolver the renderer calls.
The MkDocs adapter holds one per build; this module does not import MkDocs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from troubledocs.diagnostics import Diagnostic
from troubledocs.mdit.reuse import Reuse, reuse_plugin
from troubledocs.renderer import Renderer
from troubledocs.site.conref import ConrefLibrary
from troubledocs.site.links import LinkResolver
from troubledocs.site.nav import (
    Navigation,
    NavItem,
    add_unlisted,
    first_page,
    read_legacy_toc,
    read_toc_yaml,
)
from troubledocs.site.topics import TopicMap, language_of, scan_topics
from troubledocs.site.translations import home_page, language_sections, languages

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

    @classmethod
    def load(
        cls,
        root: Path,
        files: list[str],
        pages: list[str],
        substitute: Callable[[str], str] = _same,
        toc_file: str | None = None,
    ) -> SiteContext:
        """Scan the ``pages`` of ``root`` once (``files``: the files of the site, valid link targets).
        ``substitute`` resolves keywords in TOC labels; ``toc_file`` is the TOC to read, if any.

        Use :meth:`troubledocs.repository.Repository.context`, which knows which files are pages."""
        page_set = set(pages)
        topics = scan_topics(root, pages)
        navigation = _read_navigation(root, toc_file, page_set, substitute) if toc_file else None
        subcollections = {navigation.subcollection} if navigation and navigation.subcollection else set()
        source_pages = [p for p in pages if not language_of(p)]
        home = home_page(page_set) or (first_page(navigation.nav) if navigation else "")
        library = ConrefLibrary.from_source(root)
        context = cls(
            root=root,
            topics=topics,
            links=LinkResolver(
                topics,
                subcollections,
                home=home,
                files=set(files),
                complete=navigation is not None and not navigation.missing,
            ),
            reuse=Reuse(library, root),
            navigation=navigation,
            languages=languages(page_set),
        )
        context.diagnostics = [*topics.diagnostics, *library.diagnostics]
        if navigation is not None:
            context.diagnostics.extend(navigation.diagnostics)
            add_unlisted(navigation, source_pages)
            navigation.nav.extend(language_sections(navigation.nav, page_set))
        return context

    def attach(self, renderer: Renderer) -> None:
        """Let ``renderer`` resolve this repository's links and reuse its content."""
        renderer.link_resolver = self.links
        renderer.md.use(reuse_plugin, self.reuse)

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
