"""The files of a MkDocs build as the adapter settles them (``on_files``): the repository's build inputs and
fragments left out, the ``import_pages`` added, every page read without raising, the landing page served at the
site's root URL, and the files the site needs (site assets, Content-Security-Policy files, the ``file://`` worker
shim, the troubleshooter).

Only the MkDocs adapter imports this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from pathlib import Path, PurePosixPath
import re
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from pathspec.gitignore import GitIgnoreSpec

from troubledocs.boundary import refusal
from troubledocs.browser.pyodide_dist import PyodideUnavailableError
from troubledocs.browser.site_files import (
    PAGE_PATH,
    BrowserOptions,
    LinkedFile,
    SiteFile,
    site_files,
    troubleshooter_page_markdown,
)
from troubledocs.build_errors import read_page
from troubledocs.diagnostics import Diagnostic
from troubledocs.material.csp import LOCAL_ICONS_JS, icon_files
from troubledocs.material.file_search import SHIM, shim_source
from troubledocs.material.instant_nav import PAGES as INSTANT_PAGES
from troubledocs.material.instant_nav import POLYFILL as INSTANT_POLYFILL
from troubledocs.material.instant_nav import pages_json
from troubledocs.mkdocs_adapter.log import log
from troubledocs.repository.context import site_assets
from troubledocs.repository.translations import alternates

if TYPE_CHECKING:
    from collections.abc import Mapping

    from mkdocs.config.defaults import MkDocsConfig

    from troubledocs.mkdocs_adapter.log import Reporter
    from troubledocs.repository.context import SiteContext
    from troubledocs.repository.model import Repository


def drop_outside(files: Files, config: MkDocsConfig, reporter: Reporter) -> None:
    """Leave out the files a symlink brings in from outside ``docs_dir`` or round a loop (``TD013``, once per
    symlink; see :mod:`troubledocs.boundary`)."""
    root = Path(config.docs_dir)
    reported: set[str] = set()
    for file in list(files):
        if file.abs_src_path is None or not Path(file.abs_src_path).is_relative_to(root):
            continue  # generated, or the theme's
        refused = refusal(root, Path(file.abs_src_path))
        if refused is None:
            continue
        files.remove(file)
        if refused.link not in reported:
            reported.add(refused.link)
            message = f"symlink {refused.reason}; not followed"
            reporter.site([Diagnostic(refused.link, 1, "TD013", message)])


#: Where MkDocs writes the site's home page.
HOME = "index.html"
_GLOB_SPECIAL = re.compile(r"([\\*?\[\]])")


def exclude_unpublished(config: MkDocsConfig, repository: Repository, site: SiteContext) -> None:
    """Add the Markdown files that are no pages (a README beside ``index.md``, fragments …) to MkDocs's
    ``exclude_docs``, before MkDocs lists the files: MkDocs then neither publishes them nor warns that a README
    clashes with an index page."""
    pages = set(repository.pages)
    others = [path for path in repository.files if path.endswith(".md") and path not in pages]
    config.exclude_docs = excluding(config.exclude_docs, [*others, *site.unpublished])


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


def drop_unpublished(files: Files, repository: Repository) -> None:
    """Leave the repository's build inputs (TOC, ``keyref.yaml`` …) and fragments (``conref.md`` …) out."""
    for name in repository.unpublished():
        found = files.get_file_from_path(name)
        if found is not None:
            files.remove(found)


def import_pages(files: Files, config: MkDocsConfig, pages: Mapping[str, str], reporter: Reporter) -> None:
    """Add the ``import_pages`` (destination in the docs → source file); a missing source is a placeholder."""
    for dest, source in pages.items():
        dest_uri = PurePosixPath(dest).as_posix()
        existing = files.get_file_from_path(dest_uri)
        if existing is not None:
            log.warning(f"import_pages: '{dest_uri}' exists in docs_dir; the imported page replaces it")
            files.remove(existing)
        if Path(source).is_file():
            files.append(File.generated(config, dest_uri, abs_src_path=source))
            reporter.sources[dest_uri] = source
        else:
            log.warning(
                f"import_pages: '{source}' (for '{dest_uri}') does not exist; using a placeholder page"
            )
            files.append(File.generated(config, dest_uri, content=_placeholder(dest_uri, source)))


def _placeholder(dest: str, source: str) -> str:
    return (
        f"# Missing page\n\nThis page is imported from `{source}`, which does not exist when the site is built "
        f"(`import_pages` entry `{dest}`).\n"
    )


def read_pages(files: Files, reporter: Reporter) -> dict[str, str]:
    """Read every page before MkDocs does, so that a broken file is a diagnostic, not a failed build; return why
    each page that cannot be built failed (it gets an error page), by its path in the docs.

    A page with invalid UTF-8 builds with U+FFFD in place of the bad bytes; a file that is unreadable or not
    text gets an error page (see :mod:`troubledocs.build_errors`)."""
    failed: dict[str, str] = {}
    for file in files.documentation_pages():
        if file.abs_src_path is None:
            continue  # generated by a plugin
        source = read_page(Path(file.abs_src_path), reporter.display_path(file))
        reporter.read(source.diagnostics)
        if not source.diagnostics:
            continue  # MkDocs reads it as usual
        reporter.sources[file.src_uri] = file.abs_src_path
        if source.text is None:
            failed[file.src_uri] = source.diagnostics[0].message
        file.content_string = source.text or ""
    return failed


def add_site_files(files: Files, config: MkDocsConfig, site: SiteContext, reporter: Reporter) -> None:
    """The site stylesheet and script, the language switch, and what reading the repository found."""
    for dest, data in site_assets():
        files.append(File.generated(config, dest, content=data))
    if site.languages and "alternate" not in config.extra:
        pages = {f.src_uri for f in files.documentation_pages()}
        urls = {f.src_uri: f.url for f in files.documentation_pages()}
        config.extra["alternate"] = alternates(pages, urls, site.landing)
    reporter.site(site.diagnostics)


def add_csp_files(files: Files, config: MkDocsConfig) -> None:
    """What lets the site work under a strict Content-Security-Policy (see :mod:`troubledocs.material.csp`)."""
    stylesheets = [
        file.content_string
        for file in files
        if file.src_uri.startswith("assets/stylesheets/") and file.src_uri.endswith(".css")
    ]
    script = resources.files("troubledocs").joinpath(*LOCAL_ICONS_JS.split("/")).read_bytes()
    for dest, data in [*icon_files(stylesheets).items(), (LOCAL_ICONS_JS, script)]:
        files.append(File.generated(config, dest, content=data))


def add_file_search_shim(files: Files, config: MkDocsConfig) -> None:
    """The worker shim of :mod:`troubledocs.material.file_search`."""
    files.append(File.generated(config, SHIM, content=shim_source()))


def add_instant_navigation(files: Files, config: MkDocsConfig) -> None:
    """The polyfill of :mod:`troubledocs.material.instant_nav` and the list of pages it reads."""
    script = resources.files("troubledocs").joinpath(*INSTANT_POLYFILL.split("/")).read_bytes()
    files.append(File.generated(config, INSTANT_POLYFILL, content=script))
    pages = pages_json(file.url for file in files.documentation_pages())
    files.append(File.generated(config, INSTANT_PAGES, content=pages))


def add_troubleshooter_files(files: Files, config: MkDocsConfig, options: BrowserOptions) -> list[LinkedFile]:
    """The widget, worker, matcher archive and ``troubleshooter/`` page; the Pyodide runtime's files are returned,
    to be linked into the site once it is written (see :func:`troubledocs.mkdocs_adapter.post_build.link_files`)."""
    try:
        generated = site_files(options)
    except PyodideUnavailableError as error:
        raise PluginError(f"troubledocs: {error}") from error
    for site_file in generated:
        if isinstance(site_file, SiteFile):
            files.append(File.generated(config, site_file.dest_uri, content=site_file.data))
    if files.get_file_from_path(PAGE_PATH) is None:
        files.append(File.generated(config, PAGE_PATH, content=troubleshooter_page_markdown()))
    return [site_file for site_file in generated if isinstance(site_file, LinkedFile)]
