"""The ``troubledocs`` MkDocs plugin: the only place where the renderer meets MkDocs.

The plugin class only wires MkDocs's events to small functions: the repository model
(:mod:`troubledocs.repository.model`) makes the renderer; :mod:`.files` settles the files, :mod:`.pages` gives each
page what MkDocs's own Markdown pass would have set, :mod:`.post_build` finishes the site, :mod:`.log` logs
diagnostics, and :mod:`troubledocs.material.optimisations` runs the Material-specific optimisations that the
``optimize:`` option and their fingerprints (:mod:`troubledocs.material.fingerprints`) allow.

MkDocs has no way to replace its Markdown engine, so the plugin hands Python-Markdown an empty page
(``on_page_markdown``), renders the real source with :class:`troubledocs.renderer.Renderer` and swaps the HTML in
(``on_page_content``).
"""

from __future__ import annotations

from functools import partial
from importlib import resources
from pathlib import Path
import threading
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.toc import get_toc

from troubledocs.browser.site_files import (
    PAGE_PATH,
    BrowserOptions,
    LinkedFile,
    extra_css,
    extra_javascript,
    nav_with_page,
    with_widget,
)
from troubledocs.build_errors import error_page
from troubledocs.diagnostics import Diagnostic, Severity
from troubledocs.keywords import KeywordFileError
from troubledocs.material import theme_nav
from troubledocs.material.csp import ICONS_CSS
from troubledocs.material.file_search import SHIM
from troubledocs.material.instant_nav import POLYFILL as INSTANT_POLYFILL
from troubledocs.material.lean import SearchSection, search_sections
from troubledocs.material.optimisations import Optimisations
from troubledocs.material.search_sections import (
    HeldContent,
    only_search_reads_pages,
    search_index,
    use_sections,
)
from troubledocs.material.theme_pages import Build as ThemeBuild
from troubledocs.material.theme_pages import ThemePages
from troubledocs.mkdocs_adapter import early as early_pages
from troubledocs.mkdocs_adapter import files as mkdocs_files
from troubledocs.mkdocs_adapter import post_build
from troubledocs.mkdocs_adapter.config import TroubledocsConfig
from troubledocs.mkdocs_adapter.early import Extracted, finish_page
from troubledocs.mkdocs_adapter.generated_config import GENERATED
from troubledocs.mkdocs_adapter.log import Reporter, log
from troubledocs.mkdocs_adapter.pages import apply_rendered, check_template, escape_meta, rewrite_links
from troubledocs.mkdocs_adapter.permalinks import with_permalinks
from troubledocs.mkdocs_adapter.rebuild import rebuild_pages
from troubledocs.mkdocs_adapter.theme_env import list_visible_files, template_cache
from troubledocs.repository.context import ASSETS as SITE_ASSETS
from troubledocs.repository.index import index_records, index_tables, troubleshooting_entries
from troubledocs.repository.model import Repository
from troubledocs.repository.prerender import Prerendering, prerender
from troubledocs.sanitize import page_templates

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.utils.templates import TemplateContext

    from troubledocs.extract import Entry
    from troubledocs.page import RenderedPage
    from troubledocs.progress import Progress
    from troubledocs.renderer import Renderer
    from troubledocs.repository.context import SiteContext

#: Material's own templates (see :mod:`troubledocs.material.theme_nav`).
MATERIAL_TEMPLATES = Path(str(resources.files("material").joinpath("templates")))
#: The site link resolver's codes for a link to a file that does not exist.
LINK_TARGET_CODES = frozenset({"TD603", "TD605"})
#: What Python-Markdown renders instead of the page (its output is discarded anyway).
_STUB = ""


# MkDocs's ``__init_subclass__`` is unannotated.
class TroubledocsPlugin(BasePlugin[TroubledocsConfig]):  # type: ignore[no-untyped-call]
    """Render IBM Cloud docs Markdown with troubledocs inside a MkDocs build."""

    def __init__(self) -> None:
        #: Set by ``troubledocs build`` to report progress; MkDocs itself leaves it unset.
        self.progress: Progress | None = None
        self.repository: Repository | None = None
        self.renderer: Renderer | None = None
        #: The whole repository (TOC, topic ids, links, reuse, translations), read before any page renders.
        self.site: SiteContext | None = None
        self.reporter = Reporter(Path())
        self.optimisations = Optimisations()
        #: Why each page that cannot be built failed, keyed by its path in the docs: it gets an error page.
        self.failed: dict[str, str] = {}
        #: The troubleshooting sections of each page built so far, by source path, in build order (extracted once,
        #: from each page's tokens).
        self.troubleshooting_entries: dict[str, list[Entry]] = {}
        #: Site-relative URL of every rendered page, by source path (the index links to them).
        self.page_urls: dict[str, str] = {}
        #: Ids present in each rendered page, by source path, for the link anchor check after the build.
        self.anchors: dict[str, set[str]] = {}
        #: Pages rendered ahead on all cores (taken out as MkDocs builds each page).
        self.prerendered = Prerendering()
        #: Pages ``troubledocs build`` started rendering before MkDocs ran, until ``on_nav`` takes or stops them.
        self.early: early_pages.EarlyPages | None = None
        #: Search sections the workers cut from each prerendered page, by source path (see ``material_search``).
        self.search_sections: dict[str, list[SearchSection]] = {}
        #: Pages Material's search parser indexed itself (their text in the index is HTML, not plain text).
        self.parsed_for_search: set[str] = set()
        #: Pages' content held aside while Material's search plugin strips attributes they do not have.
        self.held_content = HeldContent()
        #: The build's navigation, and the theme's templates of its pages rendered ahead.
        self.nav: Navigation | None = None
        self.theme_pages = ThemePages()
        #: The index's records, and the wait for its tables (computed by an idle worker meanwhile).
        self.index_records: list[dict[str, Any]] = []
        self.pending_tables: Callable[[], dict[str, Any]] | None = None
        #: The layouts a page may choose with ``template:`` (see :func:`troubledocs.sanitize.page_templates`).
        self.page_templates: frozenset[str] = frozenset()
        #: Whether troubledocs cuts the search sections Material's search takes (see ``material_search``).
        self.with_sections = False
        #: The ``troubleshooter/`` page is the plugin's (the docs have none of their own).
        self.own_page = False
        #: The build's files and the theme's environment, kept for :meth:`rebuild_pages`.
        self.files: Files | None = None
        self.env: Environment | None = None
        #: Files of the site linked from verified files on disk (the Pyodide runtime) once the site is written.
        self.linked: list[LinkedFile] = []
        #: The search index being written again after an incremental rebuild (see :meth:`after_rebuild`).
        self.search_writer: threading.Thread | None = None

    # -- configuration and files ---------------------------------------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        """Read the repository, make the renderer for this build and decide which optimisations run."""
        self.search_written()
        if not self.config.enabled:
            return config
        self.early = (
            None
            if self.config.siblings
            else early_pages.adopt(
                Path(config.docs_dir),
                tuple(Path(path) for path in self.config.keywords),
                self.config.toc_file,
                tuple(self.config.import_pages),
            )
        )
        try:
            self.repository = (
                self.early.repository
                if self.early is not None
                else Repository.open(
                    config.docs_dir,
                    self.config.keywords,
                    self.config.toc_file,
                    {name: Path(folder) for name, folder in self.config.siblings.items()},
                )
            )
        except KeywordFileError as error:
            raise PluginError(f"troubledocs: {error} (docs_dir: {config.docs_dir})") from error
        self.repository.added_pages = tuple(self.config.import_pages)
        self.renderer = self.repository.renderer()
        self.site = self.repository.context()
        self.reporter = Reporter(
            Path(config.docs_dir), self.config.strict_keywords, ignore=frozenset(self.config.ignore)
        )
        self.reporter.inferences(self.repository.keywords, self.repository.root, self.repository.files)
        self.page_templates = page_templates(config.theme.dirs)
        self.optimisations, stepping_aside = Optimisations.for_build(self.config.optimize)
        if stepping_aside is not None:
            log.info(stepping_aside)
        if "theme_files" in self.optimisations:
            list_visible_files(config.theme)
        self.troubleshooting_entries, self.page_urls, self.anchors = {}, {}, {}
        self.index_records, self.pending_tables = [], None
        if config.nav is None:
            config.nav = self.site.nav()
        if self.config.troubleshooter and config.nav is not None:
            # A navigation that lists pages leaves out the generated troubleshooter page: readers must find it.
            config.nav = nav_with_page(config.nav)
        mkdocs_files.exclude_unpublished(config, self.repository, self.site)
        if self.site.navigation is not None and self.site.navigation.included:
            log.info(self.site.navigation.included_summary())
        _add_assets(config, [SITE_ASSETS[0]], [SITE_ASSETS[1]])
        _no_web_fonts(config)
        # Before the theme's bundle, which reads the sitemap for instant navigation (troubledocs.material.instant_nav).
        polyfills = config.extra.setdefault("polyfills", [])
        if INSTANT_POLYFILL not in polyfills:
            polyfills.append(INSTANT_POLYFILL)
        if "csp" in self.optimisations:
            _add_assets(config, [ICONS_CSS], [])
        # Before the theme's scripts, which start the search worker (see troubledocs.material.file_search).
        if "file_search" in self.optimisations and SHIM not in polyfills:
            polyfills.append(SHIM)
        if self.config.troubleshooter:
            _add_assets(config, extra_css(), extra_javascript())
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        """Drop the repository's build inputs and fragments, add the ``import_pages``, read every page, and add
        the files the site needs."""
        if not self.config.enabled or self.repository is None or self.site is None:
            return files
        mkdocs_files.drop_outside(files, config, self.reporter)
        mkdocs_files.drop_unpublished(files, self.repository)
        mkdocs_files.import_pages(files, config, self.config.import_pages, self.reporter)
        self.failed = mkdocs_files.read_pages(files, self.reporter)
        mkdocs_files.make_landing_page(files, self.site.landing)
        mkdocs_files.add_site_files(files, config, self.site, self.reporter)
        if "csp" in self.optimisations:
            mkdocs_files.add_csp_files(files, config)
        if "file_search" in self.optimisations:
            mkdocs_files.add_file_search_shim(files, config)
        self.linked = []
        if self.config.troubleshooter:
            # Generated unless the docs have a troubleshooter page of their own.
            self.own_page = files.get_file_from_path(PAGE_PATH) is None
            self.linked = mkdocs_files.add_troubleshooter_files(files, config, self._browser_options())
        mkdocs_files.add_instant_navigation(files, config)
        self.site.add_files(file.src_uri for file in files)
        if self.progress is not None:
            self.progress.start(len(files.documentation_pages()))
        self.files = files
        return files

    def _browser_options(self) -> BrowserOptions:
        pyodide_dir = self.config.pyodide_dir
        return BrowserOptions(
            pyodide_dir=Path(pyodide_dir) if pyodide_dir else None,
            pyodide_url=self.config.pyodide_url,
            embed_runtime=self.config.embed_runtime,
        )

    # -- pages ---------------------------------------------------------------------------------------------------

    # Run last: every plugin has settled the files by now.
    @event_priority(-100)
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        """Start rendering every page ahead, in parallel (see :mod:`troubledocs.repository.prerender`)."""
        self.prerendered.close()
        self.search_sections, self.parsed_for_search = {}, set()
        self.nav = nav
        if self.config.enabled and self.renderer is not None:
            pages = [
                (file.src_uri, file.content_string)
                for file in files.documentation_pages()
                if file.src_uri not in self.failed
            ]
            links = self.site.links if self.site is not None else None
            self.with_sections = "material_search" in self.optimisations and search_index(config) is not None
            finish = (self.with_sections, self.config.troubleshooter)
            if self.early is not None and self.early.fits(dict(pages), finish):
                self.prerendered = self.early.ahead
            else:
                if self.early is not None:
                    self.early.close()
                self.prerendered = prerender(self.renderer, links, pages, partial(finish_page, *finish))
            self.early = None
            if self.with_sections:
                self.held_content = HeldContent()
                held = self.held_content if only_search_reads_pages(config, self) else None
                use_sections(config, self.search_sections, self.parsed_for_search, held)
        return nav

    def _troubleshooting_entries(self, rendered: RenderedPage) -> list[Entry] | None:
        return troubleshooting_entries(rendered) if self.config.troubleshooter else None

    # Run last, so that any other plugin's edits are replaced by the stub rather than the other way round.
    @event_priority(-100)
    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Give Python-Markdown nothing to do: the page is rendered in ``on_page_content``."""
        if not self.config.enabled:
            return markdown
        escape_meta(page)
        refused = check_template(page, self.page_templates)
        if refused is not None:
            self.reporter.page([refused], page.file)
        # MkDocs would now make a Python-Markdown parser (some forty processors) to convert the empty stub: about
        # a millisecond a page, in the main process, whose page loop the build waits on.
        page.render = partial(_render_stub, page)  # type: ignore[method-assign]
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
                self.reporter.page([Diagnostic("", 0, "TD901", problem, Severity.ERROR)], page.file)
        if self.progress is not None:
            self.progress.advance()
        self.anchors[page.file.src_uri] = {"page-not-built"}
        return error_page(page.file.src_uri, problem)

    def _render(self, renderer: Renderer, page: Page, config: MkDocsConfig, files: Files) -> str:
        """The page's HTML, with what MkDocs's own Markdown pass would have set (TOC, title, links)."""
        source = page.file.content_string
        done = self.prerendered.take(page.file.src_uri)
        if done is not None and self.site is not None and early_pages.stale(done, self.site):
            done = None
        if done is None or not isinstance(done.extra, Extracted):
            rendered = renderer.render(source, page.file.src_uri)
            entries = self._troubleshooting_entries(rendered)
            if self.with_sections:
                # Cut here too when no worker did (a small repository): Material's own parser looks each
                # section's heading up in the whole TOC, quadratic in a page's headings.
                sections = search_sections(rendered.html)
                if sections is not None:
                    self.search_sections[page.file.src_uri] = sections
        else:
            rendered, entries = done.page, done.extra.entries
            if done.extra.sections is not None:
                self.search_sections[page.file.src_uri] = done.extra.sections
            if self.site is not None:
                self.site.links.add_work(done.links)
        generated = _generated(page)
        if rendered.lines is not None:
            self.reporter.line_maps[page.file.src_uri] = rendered.lines
        self.reporter.page(rendered.diagnostics, page.file, generated=generated)
        links = self.site.links if self.site is not None else None
        where = self.reporter.display_path(page.file)
        content, missing = rewrite_links(rendered.html, source, page, files, links, where)
        # The site's link resolver saw the Markdown links while rendering (and raw HTML ones just now); a target
        # it already reported is not reported again by the check against MkDocs's files.
        reported: set[int] = set()
        if links is not None:
            resolved = links.take_diagnostics()
            reported = {d.line for d in resolved if d.code in LINK_TARGET_CODES}
            if rendered.lines is not None:
                resolved = [rendered.lines.locate(d) for d in resolved]
            self.reporter.page(resolved, page.file, generated=generated)
        for link in missing:
            if link.line not in reported:
                log.log(link.level(config), link.message)
        apply_rendered(rendered, page)
        content = with_permalinks(content)
        self.page_urls[page.file.src_uri] = page.file.url
        self.anchors[page.file.src_uri] = rendered.anchors
        if entries is None:
            self.troubleshooting_entries.pop(page.file.src_uri, None)
        else:
            self.troubleshooting_entries[page.file.src_uri] = entries
        page_file = files.get_file_from_path(PAGE_PATH) if self.config.troubleshooter else None
        if page_file is not None and page_file is page.file and self.own_page:
            content = with_widget(content, preload=True)
        elif entries is not None:
            page_link = page_file.url_relative_to(page.file) if page_file is not None else None
            content = with_widget(content, page_url=page_link)
        if self.progress is not None:
            self.progress.advance()
        return content

    def on_build_error(self, *, error: Exception) -> None:
        """Stop the workers of a failed build."""
        if self.early is not None:
            self.early.close()
            self.early = None
        self.prerendered.close()
        self.theme_pages.close()

    # -- the theme -----------------------------------------------------------------------------------------------

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
        """Every page is rendered: start rendering the theme's templates on all cores, then the index's costly
        tables."""
        self.prerendered.close()
        if not self.config.enabled:
            return env
        self.env = env
        if env.bytecode_cache is None:
            env.bytecode_cache = template_cache()
        if self.nav is not None and config.theme.name == "material" and "theme_nav" in self.optimisations:
            theme_nav.install(env, self.nav, MATERIAL_TEMPLATES)
        if self.nav is not None and "theme_pages" in self.optimisations:
            self.optimisations.prepare(config)
            finish = partial(self.optimisations.finish_page, config=config)
            self.theme_pages.start(ThemeBuild(env, config, self.nav, files, owner=self), finish)
        if self.config.troubleshooter:
            self.index_records = self._index_records()
            self.pending_tables = self.theme_pages.submit(index_tables, self.index_records)
        return env

    def _index_records(self) -> list[dict[str, Any]]:
        urls = self.page_urls

        def url(src_path: str, anchor: str) -> str:
            return f"{urls.get(src_path, src_path)}#{anchor}"

        return index_records([entry for page in self.troubleshooting_entries.values() for entry in page], url)

    # Run last: the output of a page whose template a worker rendered is ready (see ``on_env``).
    @event_priority(-100)
    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        """Hand the theme the page as a worker rendered it (see :mod:`troubledocs.material.theme_pages`)."""
        self.held_content.put_back(page)
        self.theme_pages.context(context, page)
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        """The post-page step of :mod:`troubledocs.material.optimisations` (CSP, compact markup, the search worker's URL)."""
        if not self.config.enabled or self.theme_pages.finished(page):
            return output
        return self.optimisations.finish_page(output, page, config)

    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str | None:
        """The same for the theme's other pages (``404.html``), whose URLs start at the site's root path."""
        if not self.config.enabled or not template_name.endswith(".html"):
            return output_content
        return self.optimisations.finish_template(
            output_content, urlsplit(config.site_url or "/").path, config
        )

    # -- the site ------------------------------------------------------------------------------------------------

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable[..., Any]
    ) -> LiveReloadServer | None:
        """Rebuild when a keyword file or the source of an imported page changes (``docs_dir`` is watched anyway)."""
        if self.config.enabled:
            for path in [*self.config.keywords, *self.config.import_pages.values()]:
                if Path(path).exists():
                    server.watch(path)
        return server

    # Run after the search plugin, whose index the lean step rewrites.
    @event_priority(-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Finish the search index, check link anchors, write the troubleshooter index and the ``file://`` search
        files (see :mod:`troubledocs.mkdocs_adapter.post_build`)."""
        site_dir = Path(config.site_dir)
        search_done = (
            post_build.start_search_index(
                site_dir,
                self.optimisations,
                self.theme_pages,
                plain=self.with_sections and not self.parsed_for_search,
            )
            if self.site is not None
            else None
        )
        tables = self.pending_tables() if self.pending_tables is not None else None
        if self.progress is not None:
            self.progress.finish()
        if self.site is not None:
            post_build.check_anchors(self.site, self.anchors, self.reporter)
        if self.config.enabled and self.config.troubleshooter and tables is not None:
            post_build.write_troubleshooter_index(
                site_dir, self.index_records, tables, self._browser_options()
            )
        post_build.link_files(site_dir, self.linked)
        if search_done is not None:
            search_done()
        self.theme_pages.close()
        if self.config.enabled:
            post_build.write_search_for_files(
                site_dir, self.optimisations, full_index=self.config.embed_runtime
            )
        if self.config.manifest and self.site is not None:
            post_build.write_manifest(Path(self.config.manifest), self.site, self.page_urls, self.anchors)
        self.reporter.finish()

    # -- incremental rebuilds (``troubledocs serve``) ------------------------------------------------------------

    def rebuild_pages(self, config: MkDocsConfig, changed: Iterable[str]) -> list[str] | None:
        """After a full build with this plugin, build again only the ``changed`` pages (source paths) and the
        pages that include them, into the same site; the pages rebuilt, or ``None`` when the change reaches
        further (a page's topic id or title, which other pages' navigation and links show): then build it all."""
        self.search_written()
        if self.files is None or self.env is None or self.nav is None or self.renderer is None:
            return None
        return rebuild_pages(
            self.site, self.reporter.sources, config, self.files, self.nav, self.env, set(changed)
        )

    def after_rebuild(self, config: MkDocsConfig) -> None:
        """Write the search index again with the rebuilt pages' sections (in the background: the browser reloads
        the page meanwhile), and the troubleshooter index when a rebuilt page's troubleshooting sections changed."""
        self.search_writer = threading.Thread(
            target=post_build.rewrite_search_index,
            args=(config, self.optimisations),
            kwargs={"full_index": self.config.embed_runtime},
            name="troubledocs-search-index",
            daemon=True,
        )
        self.search_writer.start()
        if not self.config.troubleshooter:
            return
        records = self._index_records()
        if records != self.index_records:
            self.index_records = records
            post_build.write_troubleshooter_index(
                Path(config.site_dir), records, index_tables(records), self._browser_options()
            )

    def search_written(self) -> None:
        """Wait until the search index of the last rebuild is written (before the next build touches the site)."""
        if self.search_writer is not None:
            self.search_writer.join()
            self.search_writer = None


def _render_stub(page: Page, config: MkDocsConfig, files: Files) -> None:
    """What ``Page.render`` sets, for the empty stub (``on_page_content`` then sets the real values)."""
    page.content = _STUB
    page.toc = get_toc([])
    page._title_from_render = None
    page.present_anchor_ids = set()
    page.links_to_anchors = {}


def _generated(page: Page) -> bool:
    """Whether the build wrote ``page`` itself (the troubleshooter page, a landing page marked in its front
    matter), rather than taking it from the repository or ``import_pages``."""
    file = page.file
    return file.generated_by is not None and (file.abs_src_path is None or bool(page.meta.get(GENERATED)))


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


def _add_assets(config: MkDocsConfig, stylesheets: Iterable[str], scripts: Iterable[str]) -> None:
    """Add stylesheets and scripts to every page (once, also across ``mkdocs serve`` rebuilds)."""
    for css in stylesheets:
        if css not in config.extra_css:
            config.extra_css.append(css)
    present = {str(script) for script in config.extra_javascript}
    for script in scripts:
        if script not in present:
            config.extra_javascript.append(ExtraScriptValue(script))
