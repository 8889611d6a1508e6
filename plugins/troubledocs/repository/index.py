"""The troubleshooter index: every troubleshooting entry of a docs tree as one versioned JSON file.

The site plugin writes it gzip-compressed to ``SITE_INDEX_PATH`` (``assets/troubleshooter/index.json.gz``);
``troubledocs index SRC -o FILE`` writes it without building a site (compressed when FILE ends in ``.gz``). :mod:`troubleshooter` reads it (format ``troubleshooter-index``, version 3),
whose ``tables`` member holds what the matcher would otherwise compute each time it loads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
import gzip
import json
from pathlib import Path
import re
from typing import TYPE_CHECKING, Any

from troubledocs.extract import Entry, extract_entries, may_mark
from troubledocs.page import RenderedPage
from troubledocs.repository.model import Repository, list_files, read_source
from troubledocs.repository.publishing import INDEX, is_fragment
from troubleshooter.model import INDEX_FORMAT, INDEX_VERSION, SITE_INDEX_PATH, Section
from troubleshooter.tables import Tables

if TYPE_CHECKING:
    from troubledocs.renderer import Renderer

__all__ = [
    "SITE_INDEX_PATH",
    "build_index",
    "directory_url",
    "dumps_index",
    "file_url",
    "index_bytes",
    "index_document",
    "index_folder",
    "index_records",
    "index_tables",
    "is_troubleshooting_page",
    "render_tree",
    "source_tree",
    "troubleshooting_entries",
    "write_index",
]
_TS_NAME = re.compile(r"^(?:ts[-_]|cs_troubleshoot)", re.IGNORECASE)

RenderFn = Callable[[str, str], RenderedPage]


def directory_url(page: str, anchor: str) -> str:
    """MkDocs ``use_directory_urls``: ``ts-x.md`` → ``ts-x/#anchor`` (relative to the site root)."""
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
    else:
        stem += "/"
    return f"{stem}#{anchor}"


def file_url(page: str, anchor: str) -> str:
    """Plain file URLs: ``ts-x.md`` → ``ts-x.html#anchor``."""
    stem = page.removesuffix(".md")
    return f"{stem}.html#{anchor}"


UrlFn = Callable[[str, str], str]


def is_troubleshooting_page(page: RenderedPage, entries: list[Entry] | None = None) -> bool:
    """Troubleshooting pages: ``ts-``/``cs_troubleshoot`` names, ``content-type: troubleshoot``, or markers.

    Without ``entries``, the page's own are extracted when needed: only when neither its name nor its front
    matter decides, and it has what markers come from (troubleshooting parts, tables of error messages)."""
    if _named_troubleshooting(page):
        return True
    if entries is None:
        if not may_mark(page.tokens):
            return False
        entries = extract_entries(page)
    return any(e.marked or e.referrals for e in entries)


def troubleshooting_entries(page: RenderedPage) -> list[Entry] | None:
    """The entries of a troubleshooting page (extracted once), or ``None`` when it is not one (told without
    extracting when neither its name, its front matter nor its tokens can make it one)."""
    if not _named_troubleshooting(page) and not may_mark(page.tokens):
        return None
    entries = extract_entries(page)
    return entries if is_troubleshooting_page(page, entries) else None


def _named_troubleshooting(page: RenderedPage) -> bool:
    """Whether the page's name (``ts-``, ``cs_troubleshoot``) or front matter (``content-type: troubleshoot``)
    makes it a troubleshooting page."""
    content_type = str((page.meta or {}).get("content-type", ""))
    return bool(_TS_NAME.match(page.path.rsplit("/", 1)[-1])) or "troubleshoot" in content_type


def _attach_referrals(entries: list[Entry]) -> None:
    """Move reference-table rows to the topic they link to (the H1 of a page when ids repeat)."""
    by_anchor: dict[str, Entry] = {}
    for entry in sorted(entries, key=lambda e: e.level, reverse=True):
        by_anchor[entry.anchor] = entry
    # A topic can also be named after its file (``topic=containers-ts-x`` for ``ts-x.md``): its first section.
    first_of_page: dict[str, Entry] = {}
    for entry in entries:
        first_of_page.setdefault(entry.page.rsplit("/", 1)[-1].removesuffix(".md"), entry)
    for stem, entry in first_of_page.items():
        by_anchor.setdefault(stem, entry)
    for entry in entries:
        for topic, message in entry.referrals:
            owner = by_anchor.get(topic) or entry
            if message not in owner.errors:
                owner.errors.append(message)
        entry.referrals = []


def build_index(pages: Iterable[RenderedPage], url: UrlFn = file_url) -> dict[str, Any]:
    """The index document for ``pages`` (only their troubleshooting sections)."""
    entries: list[Entry] = []
    for page in pages:
        entries.extend(troubleshooting_entries(page) or [])
    records = index_records(entries, url)
    return index_document(records, index_tables(records))


def index_records(entries: list[Entry], url: UrlFn = file_url) -> list[dict[str, Any]]:
    """The JSON records of the index's entries, each with its section's URL."""
    _attach_referrals(entries)
    records = []
    for entry in entries:
        record = entry.to_json()
        record["url"] = url(entry.page, entry.anchor)
        records.append(record)
    return records


def index_tables(records: list[dict[str, Any]]) -> dict[str, Any]:
    """The matcher's precomputed tables for ``records`` (the costly part; a site build runs it in a worker)."""
    return Tables.build([Section.from_json(record) for record in records]).to_json()


def index_document(records: list[dict[str, Any]], tables: dict[str, Any]) -> dict[str, Any]:
    """The versioned index document."""
    return {"format": INDEX_FORMAT, "version": INDEX_VERSION, "entries": records, "tables": tables}


def source_tree(src: Path, fallback: Path | None = None) -> list[tuple[str, str]]:
    """Every page of the repository at ``src`` as ``(path relative to it, text)``, in build order.

    ``fallback`` fills in the pages that ``src`` lacks: those its TOC names when it has one (a partial copy of a
    docs repository), otherwise every page of ``fallback`` missing from ``src``.
    """
    return _sources(Repository.open(src), fallback)


def _sources(repository: Repository, fallback: Path | None) -> list[tuple[str, str]]:
    unpublished = set(repository.context().unpublished)
    sources = {path: repository.read(path) for path in repository.pages if path not in unpublished}
    if fallback is None:
        return list(sources.items())
    navigation = repository.context().navigation if repository.toc_file else None
    wanted = set(navigation.missing) if navigation is not None else None
    for path in list_files(fallback):
        if not path.endswith(".md") or is_fragment(path) or path in sources:
            continue
        if wanted is None or path in wanted:
            sources[path] = read_source(fallback / path)
    return list(sources.items())


def render_tree(src: Path, render: RenderFn, fallback: Path | None = None) -> list[RenderedPage]:
    """Render every ``.md`` under ``src`` (see :func:`source_tree`)."""
    return [render(text, rel) for rel, text in source_tree(src, fallback)]


def dumps_index(index: dict[str, Any]) -> str:
    """Compact JSON with sorted keys: the browser parses this file, so no indentation; the same tree always
    gives the same bytes (the tables' dictionaries are otherwise filled in set order)."""
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def index_bytes(index: dict[str, Any], *, compress: bool) -> bytes:
    """The index file's bytes: UTF-8 JSON, or gzip of it with a zero timestamp (reproducible builds)."""
    data = dumps_index(index).encode("utf-8")
    return gzip.compress(data, compresslevel=9, mtime=0) if compress else data


def write_index(index: dict[str, Any], path: Path) -> int:
    """Write the index to ``path`` (gzip when its name ends in ``.gz``) and return its size in bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = index_bytes(index, compress=path.name.endswith(".gz"))
    path.write_bytes(data)
    return len(data)


def index_folder(
    src: Path,
    fallback: Path | None = None,
    keyword_files: Iterable[Path] = (),
    url: UrlFn = file_url,
) -> dict[str, Any]:
    """Render a docs folder as a site build does (the same :class:`~troubledocs.repository.model.Repository`: pages,
    keywords, links and reuse) and return its index (``troubledocs index``). The pages are rendered on all cores;
    only their troubleshooting entries come back from the workers."""
    from troubledocs.repository.prerender import run_ahead

    repository = Repository.open(src, keyword_files)
    entries_of = partial(_page_entries, repository.renderer())
    sources = _sources(repository, fallback)
    entries: list[Entry] = []
    with run_ahead(entries_of, ((rel, (text, rel)) for rel, text in sources)) as ahead:
        for rel, text in sources:
            found = ahead.take(rel)
            entries.extend(found if found is not None else entries_of((text, rel)))
    landing = repository.context().landing

    def page_url(page: str, anchor: str) -> str:
        # The site serves its landing page (a TOC topic) as its index page.
        return url(INDEX, anchor) if page == landing else url(page, anchor)

    records = index_records(entries, page_url)
    return index_document(records, index_tables(records))


def _page_entries(renderer: Renderer, text_and_path: tuple[str, str]) -> list[Entry]:
    text, path = text_and_path
    return troubleshooting_entries(renderer.render(text, path)) or []
