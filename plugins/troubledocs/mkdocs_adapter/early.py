"""Pages rendered before MkDocs starts.

``troubledocs build`` reads the repository before it imports MkDocs; :func:`start` forks the render workers
right then, so that they render while MkDocs is imported and loads its configuration, theme and files (on a
small repository that is as long as the rendering itself, on one core, and the pages were waited for after it).

The plugin takes them over (:func:`adopt`, then :meth:`EarlyPages.fits`) only for the build they were started
for: the same folder, keyword files, TOC file and added pages, and at ``on_nav`` the same pages with the same text
and the same finishing step. Otherwise they are stopped and the pages render as usual. A worker forked this early
does not know the files the build adds later (the theme's, the troubleshooter's): each page's result carries the
paths its links looked up and did not find, and a page that looked up a path the build has by then renders again
in the main process (:func:`stale`).

Nothing here imports MkDocs: that is the point.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from troubledocs.material.lean import SearchSection, search_sections
from troubledocs.repository.index import troubleshooting_entries
from troubledocs.repository.model import Repository, read_source
from troubledocs.repository.prerender import PageJob, Prerendered, Prerendering, prerender

if TYPE_CHECKING:
    from troubledocs.extract import Entry
    from troubledocs.page import RenderedPage
    from troubledocs.repository.context import SiteContext


@dataclass(frozen=True)
class Extracted:
    """What a worker extracts from a page's tokens for the main process."""

    #: The page's search sections (``None`` without Material's search, or for a page it must parse itself).
    sections: list[SearchSection] | None
    #: The page's troubleshooting entries (``None`` when it is not a troubleshooting page).
    entries: list[Entry] | None


def finish_page(with_sections: bool, troubleshooter: bool, rendered: RenderedPage) -> Extracted:
    """In the worker that rendered the page: extract what the main process needs from its tokens (its search
    sections, its troubleshooting entries), so that the token stream need not travel."""
    extracted = Extracted(
        search_sections(rendered.html) if with_sections else None,
        troubleshooting_entries(rendered) if troubleshooter else None,
    )
    rendered.tokens = []
    return extracted


#: What the generated configuration of ``troubledocs build`` asks for: Material's search sections and the
#: troubleshooter (a build that turns either off renders its pages again).
GENERATED_FINISH = (True, True)


class _Watched(set[str]):
    """A set of paths that notes each path asked for and absent (in an early worker: what a page's links looked
    up that the build may add later)."""

    def __init__(self, paths: set[str], misses: set[str]) -> None:
        super().__init__(paths)
        self.misses = misses

    def __contains__(self, path: object) -> bool:
        found = super().__contains__(path)
        if not found and isinstance(path, str):
            self.misses.add(path)
        return found


#: The paths looked up in vain by the page the worker renders (the worker's own, once it watches).
_MISSES: set[str] | None = None


def _render(site: SiteContext, render: PageJob, text_and_path: tuple[str, str]) -> Prerendered:
    """In an early worker: the page, with the paths its links looked up in vain."""
    global _MISSES
    if _MISSES is None:
        _MISSES = set()
        site.links.files = _Watched(site.links.files, _MISSES)
        site.topics.pages = _Watched(site.topics.pages, _MISSES)
    _MISSES.clear()
    done = render(text_and_path)
    done.misses = frozenset(_MISSES)
    return done


@dataclass
class EarlyPages:
    """Pages being rendered for a build that MkDocs has not started yet."""

    #: The repository, opened with the keyword files ``keyword_files`` and the TOC file it found itself.
    repository: Repository
    keyword_files: tuple[Path, ...]
    #: Source text of every page rendered, by source path.
    pages: dict[str, str]
    ahead: Prerendering

    def fits(self, pages: Mapping[str, str], finish: tuple[bool, bool]) -> bool:
        """Whether the workers render ``pages`` (source path → text) with the ``finish`` step (search sections,
        troubleshooter) the build asks for: each of those pages they render with the same text. A page they do
        not render (one the plugin generates) renders in the main process; one the build leaves out (a binary
        file, say) was rendered in vain."""
        return finish == GENERATED_FINISH and all(
            pages.get(path, text) == text for path, text in self.pages.items()
        )

    def close(self) -> None:
        self.ahead.close()


_STARTED: EarlyPages | None = None


def start(repository: Repository, keyword_files: tuple[Path, ...], added: Mapping[str, Path]) -> None:
    """Start rendering the pages of ``repository`` (opened with ``keyword_files``, its TOC file found by itself)
    and the ``added`` pages (source path → file) in forked workers, for the build about to load its
    configuration; nothing when there are too few pages for workers."""
    global _STARTED
    discard()
    repository.added_pages = tuple(added)
    renderer, site = repository.renderer(), repository.context()
    left_out = set(site.unpublished)
    files = {path: repository.root / path for path in repository.pages if path not in left_out}
    pages: dict[str, str] = {}
    for path, file in {**files, **added}.items():
        try:
            pages[path] = read_source(file)
        except OSError:
            continue  # the build reports it (and gives the page an error page)
    finish = partial(finish_page, *GENERATED_FINISH)
    render = prerender(renderer, site.links, pages.items(), finish, around=partial(_render, site))
    if render.running:
        _STARTED = EarlyPages(repository, keyword_files, pages, render)


def adopt(
    docs_dir: Path, keyword_files: tuple[Path, ...], toc_file: str | None, added: tuple[str, ...]
) -> EarlyPages | None:
    """The pages started for this build (the same folder, keyword files, TOC file and added pages), else
    ``None`` (any others are stopped)."""
    global _STARTED
    early, _STARTED = _STARTED, None
    if early is None:
        return None
    same = (
        early.repository.root.resolve() == docs_dir.resolve()
        and [p.resolve() for p in early.keyword_files] == [p.resolve() for p in keyword_files]
        and toc_file in (None, early.repository.toc_file)
        and early.repository.added_pages == added
        and not early.repository.siblings
    )
    if not same:
        early.close()
        return None
    return early


def discard() -> None:
    """Stop pages started for a build that did not take them (its configuration failed to load, say)."""
    global _STARTED
    if _STARTED is not None:
        _STARTED.close()
        _STARTED = None


def stale(done: Prerendered, site: SiteContext) -> bool:
    """Whether a page rendered early looked up a path that the build has now (it must render again)."""
    return any(path in site.links.files or path in site.topics.pages for path in done.misses)
