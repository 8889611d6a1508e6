"""Glue for Material's search plugin: index the pages from sections cut where the pages were rendered.

Material's search plugin parses every built page's HTML with a pure-Python ``HTMLParser`` in the main process,
after rendering: on a 500-page repository that is the largest serial step of the build. The worker processes that
render the pages (:mod:`troubledocs.repository.prerender`) cut the same sections from the HTML they produce
(:func:`troubledocs.material.lean.search_sections`, four times faster); the main process hands Material the ready
sections instead of letting it parse again. The entries are built by Material's own code
(``create_entry_for_section``); a page without ready sections (or a Material without these internals) is indexed
the usual way.

After indexing a page, Material's plugin strips its ``data-search-*`` attributes from the page's content with a
pattern that has no literal start, a slow pass over the whole page in the main process that changes nothing on a
page without them. Such a page's content is held aside while that pass runs (:class:`HeldContent`) and put back
in the next ``on_page_context``, where no build whose page events anyone else handles takes part.

Only the MkDocs adapter imports this module.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


def search_index(config: MkDocsConfig) -> Any:
    """The search index of the build's Material search plugin, or ``None``."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if (
            type(plugin).__module__.startswith("material.plugins.search")
            and hasattr(index, "add_entry_from_context")
            and hasattr(index, "create_entry_for_section")
        ):
            return index
    return None


#: The attributes Material's search plugin strips from every page's content once it is indexed.
SEARCH_ATTRIBUTES = "data-search-"


class HeldContent(dict[str, str]):
    """The content of pages held aside while Material's search plugin would strip attributes they do not have,
    by source path."""

    def __init__(self) -> None:
        super().__init__()
        self.process = os.getpid()

    def hold(self, page: Any) -> None:
        # Only in the build's process: a worker that renders the page's template (troubledocs.material.theme_pages)
        # runs the search plugin's step but not the one that puts the content back.
        if os.getpid() == self.process and SEARCH_ATTRIBUTES not in page.content:
            self[page.file.src_uri] = page.content
            page.content = ""

    def put_back(self, page: Any) -> None:
        content = self.pop(page.file.src_uri, None)
        if content is not None:
            page.content = content


def only_search_reads_pages(config: MkDocsConfig, owner: object) -> bool:
    """Whether the search plugin and ``owner`` handle every ``on_page_context`` of the build (no one else would
    see a page whose content is held aside)."""
    return all(
        getattr(method, "__self__", None) is owner
        or type(getattr(method, "__self__", None)).__module__.startswith("material.plugins.search")
        for method in config.plugins.events["page_context"]
    )


def use_sections(
    config: MkDocsConfig, sections: dict[str, list[Any]], parsed: set[str], held: HeldContent | None = None
) -> bool:
    """Make the search index take each page's sections from ``sections`` (by source path) when there are some;
    the source path of each page Material's own parser indexes instead is added to ``parsed``. With ``held``,
    the content of a page indexed from its sections is held there while the plugin strips attributes it does not
    have (the caller puts it back)."""
    index = search_index(config)
    if index is None:
        return False
    parse = type(index).add_entry_from_context

    def add_entry_from_context(page: Any) -> None:
        found = sections.pop(page.file.src_uri, None)
        if found is None:
            parsed.add(page.file.src_uri)
            parse(index, page)
            return
        if (page.meta.get("search") or {}).get("exclude"):
            return
        # Material looks each section's heading up in the whole TOC (a walk per section); the one matching entry
        # (the first in document order, as Material finds it) gives it the same result.
        entries = _toc_by_id(page.toc)
        for section in found:
            entry = entries.get(section.id) if section.id is not None else None
            index.create_entry_for_section(section, [entry] if entry is not None else [], page.url, page)
        if held is not None:
            held.hold(page)

    index.add_entry_from_context = add_entry_from_context
    return True


def _toc_by_id(toc: Any) -> dict[str, Any]:
    """The entries of a page's TOC by id, the first of each id in document order."""
    found: dict[str, Any] = {}
    stack = list(reversed(list(toc)))
    while stack:
        entry = stack.pop()
        found.setdefault(entry.id, entry)
        stack.extend(reversed(list(entry.children)))
    return found
