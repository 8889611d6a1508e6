"""The ``troubledocs`` MkDocs plugin: the only place where the renderer meets MkDocs.

MkDocs has no way to replace its Markdown engine, so the plugin hands Python-Markdown an empty page
(``on_page_markdown``), renders the real source with :class:`troubledocs.renderer.Renderer` and swaps the HTML in
(``on_page_content``). Having replaced the engine, the plugin also owns what MkDocs's own Markdown pass would have
set: the page's table of contents, title, anchor ids (``validation.anchors``) and the rewriting of relative links
to other pages.
"""

from __future__ import annotations

import dataclasses
from functools import partial
import html
from importlib import resources
import logging
import os
from pathlib import Path, PurePosixPath
import posixpath
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit, urlunsplit

from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from troubledocs import theme_nav
from troubledocs.browser.pyodide_dist import PyodideUnavailableError
from troubledocs.browser.site_files import (
    PAGE_PATH,
    BrowserOptions,
    extra_css,
    extra_javascript,
    index_files,
    nav_with_page,
    site_files,
    troubleshooter_page_markdown,
    with_widget,
)
from troubledocs.build_errors import error_page, read_page
from troubledocs.compressed_search import finish_search_index, versioned_worker
from troubledocs.config import TroubledocsConfig
from troubledocs.csp import ICONS_CSS, LOCAL_ICONS_JS, csp_ready_page, icon_files
from troubledocs.diagnostics import Diagnostic, Severity
from troubledocs.file_search import SHIM, shim_source, write_file_search
from troubledocs.index import (
    index_bytes,
    index_document,
    index_records,
    index_tables,
    troubleshooting_entries,
)
from troubledocs.instant_nav import PAGES as INSTANT_PAGES
from troubledocs.instant_nav import POLYFILL as INSTANT_POLYFILL
from troubledocs.instant_nav import pages_json
from troubledocs.keywords import KeywordFileError, KeywordMap
from troubledocs.material_search import search_index, use_sections
from troubledocs.mdit.links import unavailable_image
from troubledocs.page_links import line_of, rewrite_urls
from troubledocs.permalinks import with_permalinks
from troubledocs.progress import Progress
from troubledocs.renderer import Renderer
from troubledocs.site.context import ASSETS as SITE_ASSETS
from troubledocs.site.context import SiteContext, site_assets
from troubledocs.site.lean import (
    SearchSection,
    compact_html,
    search_sections,
)
from troubledocs.site.prerender import Prerendering, prerender
from troubledocs.site.translations import alternates
from troubledocs.theme_pages import Build as ThemeBuild
from troubledocs.theme_pages import ThemePages

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.structure.toc import _TocToken
    from mkdocs.utils.templates import TemplateContext

    from troubledocs.extract import Entry
    from troubledocs.page import RenderedPage, TocEntry

log = get_plugin_logger(__name__)

#: Material's own templates (see :mod:`troubledocs.theme_nav`).
MATERIAL_TEMPLATES = Path(str(resources.files("material").joinpath("templates")))

#: Build inputs of an IBM docs repository that are not pages or assets of the site.
REPOSITORY_FILES = frozenset({"keyref.yaml", "toc.yaml", ".build.yaml"})
#: Diagnostic codes that ``strict_keywords: false`` demotes to INFO.
KEYWORD_CODES = frozenset({"TD101"})
#: The site link resolver's codes for a link to a file that does not exist.
LINK_TARGET_CODES = frozenset({"TD603", "TD605"})
#: What Python-Markdown renders instead of the page (its output is discarded anyway).
_STUB = ""


# MkDocs's ``__init_subclass__`` is unannotated.
class TroubledocsPlugin(BasePlugin[TroubledocsConfig]):  # type: ignore[no-untyped-call]
    """Render IBM Cloud docs Markdown with troubledocs inside a MkDocs build."""

    def __init__(self) -> None:
        self.renderer: Renderer | None = None
        #: Set by ``troubledocs build`` to report progress; MkDocs itself leaves it unset.
        self.progress: Progress | None = None
        #: Source file of each page whose content the plugin supplies (``import_pages``, pages repaired or
        #: replaced when read), keyed by its path in the docs; MkDocs no longer knows it for those.
        self.sources: dict[str, str] = {}
        #: Why each page that cannot be built failed, keyed by its path in the docs: it gets an error page.
        self.failed: dict[str, str] = {}
        #: Rendered troubleshooting pages, in build order, for the troubleshooter index.
        #: The troubleshooting sections of the pages built so far (extracted once, from each page's tokens).
        self.troubleshooting_entries: list[Entry] = []
        #: Waits for the index's tables, computed by an idle worker while the theme renders the pages.
        self.pending_tables: Callable[[], dict[str, Any]] | None = None
        self.index_records: list[dict[str, Any]] = []
        #: Site-relative URL of every rendered page, by source path (the index links to them).
        self.page_urls: dict[str, str] = {}
        #: The whole repository (TOC, topic ids, links, reuse, translations), read before any page renders.
        self.site: SiteContext | None = None
        #: Ids present in each rendered page, by source path, for the link anchor check after the build.
        self.anchors: dict[str, set[str]] = {}
        #: Pages rendered ahead on all cores (taken out as MkDocs builds each page).
        self.prerendered = Prerendering()
        #: Search sections the workers cut from each prerendered page, by source path (see ``material_search``).
        self.search_sections: dict[str, list[SearchSection]] = {}
        #: The build's navigation, and the theme's templates of its pages rendered ahead.
        self.nav: Navigation | None = None
        self.theme_pages = ThemePages()
        #: The ``troubleshooter/`` page is the plugin's (the docs have none of their own).
        self.own_page = False

    # -- configuration -------------------------------------------------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        """Load the keyword map and make the renderer for this build."""
        if not self.config.enabled:
            return config
        try:
            keywords = KeywordMap.for_source(config.docs_dir, extra=self.config.keywords)
        except KeywordFileError as error:
            raise PluginError(f"troubledocs: {error} (docs_dir: {config.docs_dir})") from error
        self.renderer = Renderer(keywords=keywords)
        self.troubleshooting_entries = []
        self.pending_tables = None
        self.index_records = []
        self.page_urls = {}
        self.anchors = {}
        self.site = SiteContext.load(
            Path(config.docs_dir),
            # TOC labels are text, and the theme prints nav titles as HTML.
            lambda text: html.escape(keywords.substitute(text, markdown=False).text),
            self.config.toc_file,
        )
        self.site.attach(self.renderer)
        if config.nav is None:
            config.nav = self.site.nav()
        if self.config.troubleshooter and config.nav is not None:
            # A navigation that lists pages leaves out the generated troubleshooter page: readers must find it.
            config.nav = nav_with_page(config.nav)
        _add_assets(config, [SITE_ASSETS[0], ICONS_CSS], [SITE_ASSETS[1]])
        _no_web_fonts(config)
        # Before the theme's scripts, which start the search worker (see troubledocs.file_search).
        polyfills = config.extra.setdefault("polyfills", [])
        for polyfill in (SHIM, INSTANT_POLYFILL):
            if polyfill not in polyfills:
                polyfills.append(polyfill)
        if self.config.troubleshooter:
            _add_assets(config, extra_css(), extra_javascript())
        return config

    # -- files ---------------------------------------------------------------------------------------------------

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        """Drop the repository's build inputs from the site and add the ``import_pages``."""
        if not self.config.enabled:
            return files
        for name in REPOSITORY_FILES:
            found = files.get_file_from_path(name)
            if found is not None:
                files.remove(found)
        self._import_pages(files, config)
        self._read_pages(files)
        if self.site is not None:
            self._add_site_files(files, config, self.site)
        self._add_csp_files(files, config)
        files.append(File.generated(config, SHIM, content=shim_source()))
        files.append(File.generated(config, INSTANT_POLYFILL, content=_asset_bytes(INSTANT_POLYFILL)))
        if self.config.troubleshooter:
            self._add_troubleshooter_files(files, config)
        if self.site is not None:
            self.site.add_files(file.src_uri for file in files)
        pages = pages_json(file.url for file in files.documentation_pages())
        files.append(File.generated(config, INSTANT_PAGES, content=pages))
        if self.progress is not None:
            self.progress.start(len(files.documentation_pages()))
        return files

    def _import_pages(self, files: Files, config: MkDocsConfig) -> None:
        self.sources = {}
        for dest, source in self.config.import_pages.items():
            dest_uri = PurePosixPath(dest).as_posix()
            existing = files.get_file_from_path(dest_uri)
            if existing is not None:
                log.warning(f"import_pages: '{dest_uri}' exists in docs_dir; the imported page replaces it")
                files.remove(existing)
            if Path(source).is_file():
                files.append(File.generated(config, dest_uri, abs_src_path=source))
                self.sources[dest_uri] = source
            else:
                log.warning(
                    f"import_pages: '{source}' (for '{dest_uri}') does not exist; using a placeholder page"
                )
                files.append(File.generated(config, dest_uri, content=_placeholder(dest_uri, source)))

    def _read_pages(self, files: Files) -> None:
        """Read every page before MkDocs does, so that a broken file is a diagnostic, not a failed build.

        A page with invalid UTF-8 builds with U+FFFD in place of the bad bytes; a file that is unreadable or not
        text gets an error page (see :mod:`troubledocs.build_errors`)."""
        self.failed = {}
        for file in files.documentation_pages():
            if file.abs_src_path is None:
                continue  # generated by a plugin
            source = read_page(Path(file.abs_src_path), self._display_path(file))
            for diagnostic in source.diagnostics:
                log.log(self._level(diagnostic), str(diagnostic))
            if not source.diagnostics:
                continue  # MkDocs reads it as usual
            self.sources[file.src_uri] = file.abs_src_path
            if source.text is None:
                self.failed[file.src_uri] = source.diagnostics[0].message
            file.content_string = source.text or ""

    def _add_site_files(self, files: Files, config: MkDocsConfig, site: SiteContext) -> None:
        """The site stylesheet and script, the language switch, and what reading the repository found."""
        for dest, data in site_assets():
            files.append(File.generated(config, dest, content=data))
        if site.languages and "alternate" not in config.extra:
            pages = {f.src_uri for f in files.documentation_pages()}
            config.extra["alternate"] = alternates(
                pages, {f.src_uri: f.url for f in files.documentation_pages()}
            )
        for diagnostic in site.diagnostics:
            log.log(self._level(diagnostic), str(self._in_docs(diagnostic, config)))

    def _add_csp_files(self, files: Files, config: MkDocsConfig) -> None:
        """What lets the site work under a strict Content-Security-Policy (see :mod:`troubledocs.csp`)."""
        stylesheets = [
            file.content_string
            for file in files
            if file.src_uri.startswith("assets/stylesheets/") and file.src_uri.endswith(".css")
        ]
        script = resources.files("troubledocs").joinpath(*LOCAL_ICONS_JS.split("/")).read_bytes()
        for dest, data in [*icon_files(stylesheets).items(), (LOCAL_ICONS_JS, script)]:
            files.append(File.generated(config, dest, content=data))

    def _in_docs(self, diagnostic: Diagnostic, config: MkDocsConfig) -> Diagnostic:
        """``diagnostic`` with its path as the terminal shows it (relative to the working directory)."""
        try:
            return dataclasses.replace(
                diagnostic, path=os.path.relpath(Path(config.docs_dir) / diagnostic.path)
            )
        except ValueError:  # another drive (Windows)
            return diagnostic

    def _browser_options(self) -> BrowserOptions:
        pyodide_dir = self.config.pyodide_dir
        return BrowserOptions(
            pyodide_dir=Path(pyodide_dir) if pyodide_dir else None,
            pyodide_url=self.config.pyodide_url,
            embed_runtime=self.config.embed_runtime,
        )

    def _add_troubleshooter_files(self, files: Files, config: MkDocsConfig) -> None:
        """The widget, worker, matcher archive and Pyodide runtime, and the ``troubleshooter/`` page."""
        try:
            generated = site_files(self._browser_options())
        except PyodideUnavailableError as error:
            raise PluginError(f"troubledocs: {error}") from error
        for site_file in generated:
            files.append(File.generated(config, site_file.dest_uri, content=site_file.data))
        self.own_page = files.get_file_from_path(PAGE_PATH) is None
        if self.own_page:
            files.append(File.generated(config, PAGE_PATH, content=troubleshooter_page_markdown()))

    # -- pages ---------------------------------------------------------------------------------------------------

    # Run last, so that any other plugin's edits are replaced by the stub rather than the other way round.
    @event_priority(-100)
    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Give Python-Markdown nothing to do: the page is rendered in ``on_page_content``."""
        if not self.config.enabled:
            return markdown
        _escape_meta(page)
        return _STUB

    # Run first, so that other plugins that post-process page HTML see ours.
    @event_priority(100)
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        """Render the page's full source (front matter included, so diagnostics carry editor line numbers)."""
        if not self.config.enabled or self.renderer is None:
            return html
        problem = self.failed.get(page.file.src_uri)
        if problem is None:
            try:
                return self._render(self.renderer, page, config, files)
            except Exception as error:  # noqa: BLE001 -- one page's failure must not stop or empty the site
                problem = f"rendering failed: {error!r}"
                self._report([Diagnostic("", 0, "TD901", problem, Severity.ERROR)], page)
        if self.progress is not None:
            self.progress.advance()
        self.anchors[page.file.src_uri] = {"page-not-built"}
        return error_page(page.file.src_uri, problem)

    # Run last: every plugin has settled the files by now.
    @event_priority(-100)
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        """Start rendering every page ahead, in parallel (see :mod:`troubledocs.site.prerender`)."""
        self.prerendered.close()
        self.search_sections = {}
        self.nav = nav
        if self.config.enabled and self.renderer is not None:
            pages = [
                (file.src_uri, file.content_string)
                for file in files.documentation_pages()
                if file.src_uri not in self.failed
            ]
            links = self.site.links if self.site is not None else None
            with_sections = search_index(config) is not None
            self.prerendered = prerender(
                self.renderer, links, pages, partial(self._finish_page, with_sections)
            )
            if with_sections:
                use_sections(config, self.search_sections)
        return nav

    def on_build_error(self, *, error: Exception) -> None:
        """Stop the workers of a failed build."""
        self.prerendered.close()
        self.theme_pages.close()

    def _finish_page(self, with_sections: bool, rendered: RenderedPage) -> _Extracted:
        """In the worker that rendered the page: extract what the main process needs from its tokens (its
        troubleshooting entries, its search sections, see :mod:`troubledocs.material_search`), so that the
        token stream need not travel."""
        extracted = _Extracted(
            search_sections(rendered.html) if with_sections else None, self._troubleshooting_entries(rendered)
        )
        rendered.tokens = []
        return extracted

    def _troubleshooting_entries(self, rendered: RenderedPage) -> list[Entry] | None:
        return troubleshooting_entries(rendered) if self.config.troubleshooter else None

    def _render(self, renderer: Renderer, page: Page, config: MkDocsConfig, files: Files) -> str:
        """The page's HTML, with what MkDocs's own Markdown pass would have set (TOC, title, links)."""
        source = page.file.content_string
        done = self.prerendered.take(page.file.src_uri)
        if done is None or not isinstance(done.extra, _Extracted):
            rendered = renderer.render(source, page.file.src_uri)
            entries = self._troubleshooting_entries(rendered)
        else:
            rendered, entries = done.page, done.extra.entries
            if done.extra.sections is not None:
                self.search_sections[page.file.src_uri] = done.extra.sections
            if self.site is not None:
                self.site.links.add_work(done.links)
        self._report(rendered.diagnostics, page)
        missing: list[_MissingLink] = []
        content = self._rewrite_links(rendered.html, source, page, files, missing)
        # The site's link resolver saw the Markdown links while rendering (and raw HTML ones just now); a target
        # it already reported is not reported again by the check against MkDocs's files.
        reported: set[int] = set()
        if self.site is not None:
            resolved = self.site.links.take_diagnostics()
            self._report(resolved, page)
            reported = {d.line for d in resolved if d.code in LINK_TARGET_CODES}
        for link in missing:
            if link.line not in reported:
                log.log(link.level(config), link.message)
        _apply(rendered, page)
        content = with_permalinks(content)
        troubleshooting = self._collect(rendered, page, entries)
        page_file = files.get_file_from_path(PAGE_PATH) if self.config.troubleshooter else None
        if page_file is not None and page_file is page.file and self.own_page:
            content = with_widget(content, preload=True)
        elif troubleshooting:
            page_link = page_file.url_relative_to(page.file) if page_file is not None else None
            content = with_widget(content, page_url=page_link)
        if self.progress is not None:
            self.progress.advance()
        return content

    def _collect(self, rendered: RenderedPage, page: Page, entries: list[Entry] | None) -> bool:
        """Record the page's URL, and its troubleshooting ``entries`` when it is a troubleshooting page (then
        return True)."""
        self.page_urls[page.file.src_uri] = page.file.url
        self.anchors[page.file.src_uri] = rendered.anchors
        if entries is None:
            return False
        self.troubleshooting_entries.extend(entries)
        return True

    def _report(self, diagnostics: list[Diagnostic], page: Page) -> None:
        """Log each diagnostic as ``path:LINE: [CODE] message``; WARNINGs fail ``mkdocs build --strict``."""
        where = self._display_path(page.file)
        for diagnostic in diagnostics:
            shown = diagnostic
            if diagnostic.path in ("", page.file.src_uri):
                shown = dataclasses.replace(diagnostic, path=where)
            log.log(self._level(diagnostic), str(shown))

    def _level(self, diagnostic: Diagnostic) -> int:
        if diagnostic.code in KEYWORD_CODES and not self.config.strict_keywords:
            return logging.INFO
        return logging.ERROR if diagnostic.severity is Severity.ERROR else logging.WARNING

    def _display_path(self, file: File) -> str:
        """The page's file as an editor or terminal opens it: relative to the working directory."""
        source = self.sources.get(file.src_uri) or file.abs_src_path
        if source is None:
            return file.src_uri
        try:
            return os.path.relpath(source)
        except ValueError:  # another drive (Windows)
            return source

    # -- links ---------------------------------------------------------------------------------------------------

    def _rewrite_links(
        self, content: str, source: str, page: Page, files: Files, missing: list[_MissingLink]
    ) -> str:
        """Point relative links at built pages, as MkDocs's own Markdown pass does, and record anchor links.

        Links to files that are not in the build go to ``missing``."""
        links_to_anchors: dict[File, dict[str, str]] = {}

        def rewrite(url: str) -> str | None:
            if url.startswith(("https://", "http://")):
                return url  # most links of a page: the checks below would say "external" too
            if self.site is not None and self.site.links.unresolved_form(url):
                resolved = self.site.links(url, page.file.src_uri, line_of(source, url))
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
            target_uri = posixpath.normpath(
                posixpath.join(posixpath.dirname(page.file.src_uri), unquote(path))
            )
            target = files.get_file_from_path(target_uri)
            if target is None:
                missing.append(self._missing_link(url, target_uri, source, page))
                return url
            if anchor:
                links_to_anchors.setdefault(target, {}).setdefault(anchor, url)
            return urlunsplit(("", "", target.url_relative_to(page.file), query, anchor))

        content = rewrite_urls(content, rewrite, unavailable_image)
        page.links_to_anchors = links_to_anchors
        return content

    def _missing_link(self, url: str, target: str, source: str, page: Page) -> _MissingLink:
        line = line_of(source, url)
        where = f"{self._display_path(page.file)}:{line}" if line else self._display_path(page.file)
        resolved = "" if target == url.partition("#")[0] else f" (resolved to '{target}')"
        return _MissingLink(
            line,
            # Like MkDocs: a path with an extension is a missing file, one without is merely unrecognized.
            bool(posixpath.splitext(target)[1]),
            f"{where}: link target '{url}'{resolved} is not among the documentation files",
        )

    # -- site ----------------------------------------------------------------------------------------------------

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable[..., Any]
    ) -> LiveReloadServer | None:
        """Rebuild when a keyword file or the source of an imported page changes (``docs_dir`` is watched anyway)."""
        if self.config.enabled:
            for path in [*self.config.keywords, *self.config.import_pages.values()]:
                if Path(path).exists():
                    server.watch(path)
        return server

    # Run last: the output of a page whose template a worker rendered is ready (see ``on_env``).
    @event_priority(-100)
    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        """Hand the theme the page as a worker rendered it (see :mod:`troubledocs.theme_pages`)."""
        self.theme_pages.context(context, page)
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        """Make the page work under a strict Content-Security-Policy (:mod:`troubledocs.csp`) and drop the
        theme's indentation (:mod:`troubledocs.site.lean`)."""
        if not self.config.enabled or self.theme_pages.finished(page):
            return output
        return _finish_output(output, page, config)

    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str | None:
        """The same for the theme's other pages (``404.html``), whose URLs start at the site's root path."""
        if not self.config.enabled or not template_name.endswith(".html"):
            return output_content
        return versioned_worker(_csp_ready(output_content, urlsplit(config.site_url or "/").path, config))

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
        """Every page is rendered: start rendering the theme's templates on all cores, then the index's costly
        tables."""
        self.prerendered.close()
        if not self.config.enabled:
            return env
        if self.nav is not None and config.theme.name == "material":
            theme_nav.install(env, self.nav, MATERIAL_TEMPLATES)
        if self.nav is not None:
            self.theme_pages.start(
                ThemeBuild(env, config, self.nav, files, owner=self), partial(_finish_output, config=config)
            )
        if self.config.troubleshooter:
            urls = self.page_urls

            def url(src_path: str, anchor: str) -> str:
                return f"{urls.get(src_path, src_path)}#{anchor}"

            self.index_records = index_records(self.troubleshooting_entries, url)
            self.pending_tables = self.theme_pages.submit(index_tables, self.index_records)
        return env

    # Run after the search plugin, whose index the lean step rewrites.
    @event_priority(-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Check link anchors, keep the site lean, and write the troubleshooter index."""
        site_dir = Path(config.site_dir)
        # The search index is made lean and compressed by an idle worker meanwhile.
        search_done = (
            self.theme_pages.submit(finish_search_index, site_dir) if self.site is not None else None
        )
        tables = self.pending_tables() if self.pending_tables is not None else None
        if self.progress is not None:
            self.progress.finish()
        if self.site is not None:
            for diagnostic in self.site.links.check_anchors(self.anchors):
                log.log(self._level(diagnostic), str(self._in_docs(diagnostic, config)))
            log.info(f"links: {self.site.links.stats.summary()}")
        if self.config.enabled and self.config.troubleshooter and tables is not None:
            index = index_document(self.index_records, tables)
            # The compressed index, and for the file:// embedding the same bytes in a classic script.
            for site_file in index_files(self._browser_options(), index_bytes(index, compress=True)):
                path = site_dir / site_file.dest_uri
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(site_file.data)
        if search_done is not None:
            search_done()
        self.theme_pages.close()
        if self.config.enabled:
            write_file_search(site_dir, full_index=self.config.embed_runtime)


def _no_web_fonts(config: MkDocsConfig) -> None:
    """Turn off Material's web fonts: they come from Google Fonts, and a built site requests nothing outside its
    own files (the troubleshooter's promise: a paste never leaves the page, and the site works offline)."""
    if config.theme.name != "material" or config.theme.get("font") is False:
        return
    config.theme["font"] = False
    log.info(
        "troubledocs: the theme's web fonts (Google Fonts) are turned off, so that the site requests nothing "
        "outside its own files; set 'font: false' under 'theme' in mkdocs.yml to say so yourself"
    )


def _asset_bytes(path: str) -> bytes:
    """A file of the package's ``assets`` (``path`` is site-relative and starts with ``assets/``)."""
    return resources.files("troubledocs").joinpath(*path.split("/")).read_bytes()


def _apply(rendered: RenderedPage, page: Page) -> None:
    """Give MkDocs (and Material's TOC sidebar and search) what its own Markdown pass would have set."""
    page.toc = get_toc([_toc_token(entry) for entry in rendered.toc])
    page.present_anchor_ids = set(rendered.anchors)
    # A title from the nav configuration or the front matter wins, as in MkDocs.
    if "title" not in vars(page) and "title" not in page.meta and rendered.title:
        page.title = html.escape(rendered.title, quote=False)
    if rendered.description and not page.meta.get("description"):
        page.meta["description"] = html.escape(rendered.description)


def _escape_meta(page: Page) -> None:
    """Make the front matter's text safe to print: themes print ``page.meta`` values (title, description …) into
    the page as they are, so a title holding ``</title><script>`` would be markup. Values are text, never HTML."""
    for key, value in page.meta.items():
        if isinstance(value, str):
            page.meta[key] = html.escape(value)
        elif isinstance(value, list):
            page.meta[key] = [html.escape(item) if isinstance(item, str) else item for item in value]


def _toc_token(entry: TocEntry) -> _TocToken:
    # MkDocs expects the item text as HTML, as Python-Markdown's toc extension produces it.
    return {
        "level": entry.level,
        "id": entry.id,
        "name": html.escape(entry.title, quote=False),
        "children": [_toc_token(child) for child in entry.children],
    }


def _add_assets(config: MkDocsConfig, stylesheets: Iterable[str], scripts: Iterable[str]) -> None:
    """Add stylesheets and scripts to every page (once, also across ``mkdocs serve`` rebuilds)."""
    for css in stylesheets:
        if css not in config.extra_css:
            config.extra_css.append(css)
    present = {str(script) for script in config.extra_javascript}
    for script in scripts:
        if script not in present:
            config.extra_javascript.append(ExtraScriptValue(script))


def _finish_output(output: str, page: Page, config: MkDocsConfig) -> str:
    """The post-page step: the theme's output made to work under a strict Content-Security-Policy
    (:mod:`troubledocs.csp`), without the theme's indentation (:mod:`troubledocs.site.lean`), loading the search
    worker the build changed under a new URL (:mod:`troubledocs.compressed_search`)."""
    return versioned_worker(compact_html(_csp_ready(output, get_relative_url(".", page.url), config)))


def _csp_ready(output: str, root: str, config: MkDocsConfig) -> str:
    """``output`` made to work under a strict Content-Security-Policy (see :mod:`troubledocs.csp`); the script
    files it now loads (from under ``root``) are written to the site."""
    output, scripts = csp_ready_page(output, root)
    for dest, script in scripts.items():
        path = Path(config.site_dir) / dest
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(script, encoding="utf-8")
    return output


@dataclasses.dataclass(frozen=True)
class _Extracted:
    """What a worker extracts from a page's tokens for the main process."""

    #: The page's search sections (``None`` without Material's search).
    sections: list[SearchSection] | None
    #: The page's troubleshooting entries (``None`` when it is not a troubleshooting page).
    entries: list[Entry] | None


@dataclasses.dataclass(frozen=True)
class _MissingLink:
    line: int
    is_file: bool
    message: str

    def level(self, config: MkDocsConfig) -> int:
        """The log level MkDocs's ``validation.links`` settings give this kind of missing link."""
        links = config.validation.links
        level: int = links.not_found if self.is_file else links.unrecognized_links
        return level


def _placeholder(dest: str, source: str) -> str:
    return (
        f"# Missing page\n\nThis page is imported from `{source}`, which does not exist when the site is built "
        f"(`import_pages` entry `{dest}`).\n"
    )
