"""One page through MkDocs: what MkDocs's own Markdown pass would have set (TOC, title, anchors, links).

MkDocs has no way to replace its Markdown engine, so the plugin hands Python-Markdown an empty page and swaps the
HTML the renderer made in. Having replaced the engine, the adapter also owns what MkDocs's Markdown pass would
have done: the page's table of contents, title, anchor ids (``validation.anchors``) and the rewriting of relative
links to other pages (:func:`rewrite_links`).

Only the MkDocs adapter imports this module.
"""

from __future__ import annotations

import dataclasses
import html
import posixpath
import re
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit, urlunsplit

from mkdocs.structure.toc import get_toc

from troubledocs.diagnostics import Diagnostic
from troubledocs.mdit.links import unavailable_image
from troubledocs.page_links import LineFinder, rewrite_urls
from troubledocs.sanitize import template_text, template_value

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page
    from mkdocs.structure.toc import _TocToken

    from troubledocs.page import RenderedPage, TocEntry
    from troubledocs.repository.links import LinkResolver


def apply_rendered(rendered: RenderedPage, page: Page) -> None:
    """Give MkDocs (and Material's TOC sidebar and search) what its own Markdown pass would have set."""
    page.toc = get_toc([_toc_token(entry) for entry in rendered.toc])
    page.present_anchor_ids = set(rendered.anchors)
    # A title from the nav configuration or the front matter wins, as in MkDocs.
    if "title" not in vars(page) and "title" not in page.meta and rendered.title:
        page.title = template_text(rendered.title)
    if rendered.description and not page.meta.get("description"):
        page.meta["description"] = template_text(rendered.description)


def escape_meta(page: Page) -> None:
    """Make the front matter's values safe to print: themes print ``page.meta`` values (title, description …) into
    the page as they are, so a title holding ``</title><script>`` would be markup. Values of any YAML type are
    text, never HTML (:func:`troubledocs.sanitize.template_value`)."""
    for key, value in page.meta.items():
        page.meta[key] = template_value(value)


def check_template(page: Page, templates: frozenset[str]) -> Diagnostic | None:
    """A page's ``template:`` names one of the theme's page layouts (``templates``), else it is dropped with a
    ``TD403`` diagnostic: a partial or the redirect page printed with authored values would be markup the theme
    never escapes."""
    template = page.meta.get("template")
    if template is None or template in templates:
        return None
    del page.meta["template"]
    line = _front_matter_line(page.file.content_string, "template")
    message = (
        f"template {str(template)[:60]!r} is not a page template of the theme "
        f"({', '.join(sorted(templates))}); ignored"
    )
    return Diagnostic("", line, "TD403", message)


def _front_matter_line(source: str, key: str) -> int:
    """The line of ``key:`` in the front matter of ``source`` (1 when not found: the opening ``---``)."""
    found = re.search(rf"^{re.escape(key)}[ \t]*:", source, re.MULTILINE)
    return source.count("\n", 0, found.start()) + 1 if found else 1


def _toc_token(entry: TocEntry) -> _TocToken:
    # MkDocs expects the item text as HTML, as Python-Markdown's toc extension produces it.
    return {
        "level": entry.level,
        "id": html.escape(entry.id),  # printed into the sidebar's ``href`` as it is
        "name": template_text(entry.title),
        "children": [_toc_token(child) for child in entry.children],
    }


@dataclasses.dataclass(frozen=True)
class MissingLink:
    """A relative link to a file that is not in the build."""

    line: int
    is_file: bool
    message: str

    def level(self, config: MkDocsConfig) -> int:
        """The log level MkDocs's ``validation.links`` settings give this kind of missing link."""
        links = config.validation.links
        level: int = links.not_found if self.is_file else links.unrecognized_links
        return level


def rewrite_links(
    content: str, source: str, page: Page, files: Files, links: LinkResolver | None, where: str
) -> tuple[str, list[MissingLink]]:
    """Point relative links at built pages, as MkDocs's own Markdown pass does, and record anchor links
    (``page.links_to_anchors``); ``links`` resolves IBM's link forms first. Links to files that are not in the
    build come back as :class:`MissingLink` (``where``: the page as the log names it)."""
    links_to_anchors: dict[File, dict[str, str]] = {}
    missing: list[MissingLink] = []
    line_of = LineFinder(source)

    def rewrite(url: str) -> str | None:
        if url.startswith(("https://", "http://")):
            return url  # most links of a page: the checks below would say "external" too
        if links is not None and links.unresolved_form(url):
            resolved = links(url, page.file.src_uri, line_of(url))
            if url and not resolved:
                return None  # an image the site cannot offer (see LinkResolver)
            url = resolved
        scheme, netloc, path, query, anchor = urlsplit(url)
        if scheme or netloc or url.startswith(("/", "\\")):
            return url  # external, or absolute (IBM topic links are the renderer's business)
        if not path:
            if anchor:
                links_to_anchors.setdefault(page.file, {}).setdefault(anchor, url)
            return url
        target_uri = posixpath.normpath(posixpath.join(posixpath.dirname(page.file.src_uri), unquote(path)))
        target = files.get_file_from_path(target_uri)
        if target is None:
            missing.append(_missing_link(url, target_uri, line_of(url), where))
            return url
        if anchor:
            links_to_anchors.setdefault(target, {}).setdefault(anchor, url)
        return urlunsplit(("", "", target.url_relative_to(page.file), query, anchor))

    content = rewrite_urls(content, rewrite, unavailable_image)
    page.links_to_anchors = links_to_anchors
    return content, missing


def _missing_link(url: str, target: str, line: int, where: str) -> MissingLink:
    location = f"{where}:{line}" if line else where
    resolved = "" if target == url.partition("#")[0] else f" (resolved to '{target}')"
    return MissingLink(
        line,
        # Like MkDocs: a path with an extension is a missing file, one without is merely unrecognized.
        bool(posixpath.splitext(target)[1]),
        f"{location}: link target '{url}'{resolved} is not among the documentation files",
    )
