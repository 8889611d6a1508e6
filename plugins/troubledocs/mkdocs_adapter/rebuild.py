"""Build again only what a saved page changes (``troubledocs serve``), into the site the last full build wrote.

A saved page changes its own output and the output of the pages that include it (``{{file.md#id}}``, nested
includes too); the other pages show it only through its topic id (links) and its title (navigation), and when
either changed the whole site is built again. The pages are read, rendered and written through MkDocs's own
per-page steps, with every plugin's page events, against the navigation and theme environment of the last full
build, so each page comes out as a full build writes it. The troubleshooter index is written again when a
troubleshooting section changed; the search index takes the rebuilt pages' sections in their place
(:func:`search_in_page_order`) and is written again by the plugin.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.structure.files import File, Files, InclusionLevel

from troubledocs.material.search_sections import search_index
from troubledocs.mdit.reuse import included_files
from troubledocs.repository.topics import topic_heading_id

if TYPE_CHECKING:
    from collections.abc import Mapping

    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.nav import Navigation

    from troubledocs.repository.context import SiteContext


def rebuild_pages(
    site: SiteContext | None,
    sources: Mapping[str, str],
    config: MkDocsConfig,
    files: Files,
    nav: Navigation,
    env: Environment,
    changed: set[str],
) -> list[str] | None:
    """Build the ``changed`` pages and the pages that include them again; the pages built (in site order), or
    ``None`` when only a full build is right (a page that is not a plain page of the site, a changed topic id or
    title). ``sources``: the pages whose content the plugin supplies (imported or repaired pages)."""
    pages = {file.src_uri: file for file in files.documentation_pages()}
    if not changed <= pages.keys() or changed & sources.keys():
        return None  # a new or removed page, or one the plugin supplies or repaired
    texts = {uri: _text(file) for uri, file in pages.items()}
    if site is not None:
        if any(_topic_id(site, uri) != _new_topic_id(texts[uri]) for uri in changed):
            return None
        site.reuse.forget(changed)
    targets = changed | _includers(texts, changed)
    ordered = [uri for uri in pages if uri in targets]
    titles = {uri: _title(pages[uri]) for uri in ordered}
    for uri in ordered:
        page = pages[uri].page
        assert page is not None
        _populate_page(page, config, files)
    if any(_title(pages[uri]) != title for uri, title in titles.items()):
        return None
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
    index = search_index(config)
    if index is not None:  # the search plugin indexes each page it builds: its old sections go first
        rebuilt = {_location(file) for uri, file in pages.items() if uri in targets}
        index.entries = [entry for entry in index.entries if _page_of(entry) not in rebuilt]
    for uri in ordered:
        page = pages[uri].page
        assert page is not None
        _build_page(page, config, doc_files, nav, env, excluded=_excluded(pages[uri]))
    if index is not None:
        search_in_page_order(index, [_location(file) for file in doc_files])
    return ordered


def search_in_page_order(index: Any, locations: list[str]) -> None:
    """Put the entries of Material's search ``index`` in the order of the pages (``locations``: their URLs in
    build order), as a full build adds them: a rebuilt page's sections where its old ones were."""
    rank = {location: number for number, location in enumerate(locations)}
    index.entries.sort(key=lambda entry: rank.get(_page_of(entry), len(rank)))


def _location(file: File) -> str:
    return file.page.url if file.page is not None else file.url


def _page_of(entry: dict[str, Any]) -> str:
    """The page URL of a search entry (its ``location`` without the section's anchor)."""
    return str(entry.get("location", "")).partition("#")[0]


def _excluded(file: File) -> bool:
    excluded: bool = file.inclusion.is_excluded()  # type: ignore[no-untyped-call]
    return excluded


def _text(file: File) -> str:
    if file.abs_src_path is None:
        return ""
    try:
        return Path(file.abs_src_path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _title(file: File) -> str | None:
    return file.page.title if file.page is not None else None


def _topic_id(site: SiteContext, uri: str) -> str | None:
    """The topic id the build knows for the page (the one other pages' links resolve to)."""
    return next((topic.topic_id for topic in site.topics.by_id.values() if topic.src_path == uri), None)


def _new_topic_id(text: str) -> str | None:
    found = topic_heading_id(text)
    return found[0] if found is not None else None


def _includers(texts: dict[str, str], changed: set[str]) -> set[str]:
    """The pages that include one of ``changed``, directly or through other includes."""
    includes = {uri: included_files(text, uri) for uri, text in texts.items() if "{{" in text}
    found: set[str] = set()
    reached = set(changed)
    while reached:
        reached = {uri for uri, targets in includes.items() if targets & reached and uri not in found}
        found |= reached
    return found - changed
