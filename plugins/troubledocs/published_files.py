"""MkDocs glue for :mod:`troubledocs.site.publishing`: leave the repository's non-pages out of the site, and serve
its landing page at the site's root URL.

Only the plugin imports this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
import re

from mkdocs.structure.files import Files
from pathspec.gitignore import GitIgnoreSpec

HOME = "index.html"
_GLOB_SPECIAL = re.compile(r"([\\*?\[\]])")


def excluding(spec: GitIgnoreSpec | None, paths: Iterable[str]) -> GitIgnoreSpec | None:
    """``spec`` (MkDocs's ``exclude_docs``) that also excludes each of ``paths`` (relative to ``docs_dir``)."""
    lines = ["/" + _GLOB_SPECIAL.sub(r"\\\1", path) for path in paths]
    if not lines:
        return spec
    more = GitIgnoreSpec.from_lines(lines)
    return more if spec is None else GitIgnoreSpec(list(spec.patterns) + list(more.patterns))


def make_landing_page(files: Files, landing: str) -> None:
    """Build the page ``landing`` (a source path) as the site's ``index.html``, unless a page is already there.

    Its source path does not change, so links to it resolve as before; MkDocs then takes it for the home page."""
    page = files.get_file_from_path(landing) if landing else None
    if page is None or page.dest_uri == HOME:
        return
    if any(other.dest_uri == HOME for other in files.documentation_pages()):
        return
    page.name = "index"
    page.dest_uri = HOME
    page.url = "./" if page.use_directory_urls else HOME
    page.abs_dest_path = str(Path(page.dest_dir) / HOME)
