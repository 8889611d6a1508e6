"""What the MkDocs adapter does once every page is written (``on_post_build``), one function per job: the search
index finished, the link anchors checked, the troubleshooter index written, the Pyodide runtime linked, the
``file://`` search files written (and the search index again after an incremental rebuild).

Only the MkDocs adapter imports this module.
"""

from __future__ import annotations

from functools import partial
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from troubledocs.browser.pyodide_dist import link_or_copy
from troubledocs.browser.site_files import BrowserOptions, LinkedFile, index_files
from troubledocs.material.file_search import write_file_search
from troubledocs.material.optimisations import finish_search_index
from troubledocs.material.search_sections import search_index
from troubledocs.mkdocs_adapter.log import log
from troubledocs.repository.context import SiteContext
from troubledocs.repository.index import index_bytes, index_document

if TYPE_CHECKING:
    from collections.abc import Callable

    from mkdocs.config.defaults import MkDocsConfig

    from troubledocs.material.optimisations import Optimisations
    from troubledocs.material.theme_pages import ThemePages
    from troubledocs.mkdocs_adapter.log import Reporter
    from troubledocs.repository.context import SiteContext


def start_search_index(
    site_dir: Path, optimisations: Optimisations, workers: ThemePages, *, plain: bool
) -> Callable[[], None]:
    """Make the search index lean and compressed in an idle worker (as far as those optimisations run; ``plain``:
    its texts are plain already); the returned function waits for it."""
    job = partial(
        finish_search_index,
        lean="lean" in optimisations,
        compress="compressed_search" in optimisations,
        plain=plain,
    )
    return workers.submit(job, site_dir)


def check_anchors(site: SiteContext, anchors: dict[str, set[str]], reporter: Reporter) -> None:
    """Report links to anchors that their target pages do not have, and log the link summary."""
    reporter.site(site.links.check_anchors(anchors))
    log.info(f"links: {site.links.stats.summary()}")


def write_troubleshooter_index(
    site_dir: Path, records: list[dict[str, Any]], tables: dict[str, Any], options: BrowserOptions
) -> None:
    """The compressed troubleshooter index, and for the ``file://`` embedding the same bytes in a classic
    script."""
    index = index_document(records, tables)
    for site_file in index_files(options, index_bytes(index, compress=True)):
        path = site_dir / site_file.dest_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(site_file.data)


def link_files(site_dir: Path, linked: list[LinkedFile]) -> None:
    """The files of the site that are verified files on disk (the Pyodide runtime): hard links, else copies."""
    for site_file in linked:
        link_or_copy(site_file.source, site_dir / site_file.dest_uri)


def write_search_for_files(site_dir: Path, optimisations: Optimisations, *, full_index: bool) -> None:
    """The files that make the search work from ``file://`` (:mod:`troubledocs.material.file_search`), when it runs."""
    if "file_search" in optimisations:
        write_file_search(site_dir, full_index=full_index)


def rewrite_search_index(config: MkDocsConfig, optimisations: Optimisations, *, full_index: bool) -> None:
    """Write the search index again from the search plugin's entries, finished as a full build finishes it (after
    ``troubledocs serve`` rebuilt some pages)."""
    index = search_index(config)
    site_dir = Path(config.site_dir)
    for plugin in config.plugins.values():
        if index is not None and getattr(plugin, "search_index", None) is index:
            plugin.on_post_build(config=config)
            finish_search_index(
                site_dir, lean="lean" in optimisations, compress="compressed_search" in optimisations
            )
            write_search_for_files(site_dir, optimisations, full_index=full_index)


def write_manifest(
    path: Path, site: SiteContext, page_urls: dict[str, str], anchors: dict[str, set[str]]
) -> None:
    """The build's part of ``shard.json`` (written by the plugin once the site is built)."""
    topics = {
        topic.topic_id: page_urls[topic.src_path]
        for (language, _), topic in site.topics.by_id.items()
        if not language and topic.src_path in page_urls
    }
    data = {
        "subcollections": sorted(site.links.subcollections),
        "topics": topics,
        "anchors": {page_urls[page]: sorted(ids) for page, ids in anchors.items() if page in page_urls},
        "home": page_urls.get(site.links.home, "index.html"),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
