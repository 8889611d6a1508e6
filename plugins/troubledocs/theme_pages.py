"""The theme's page templates rendered on all cores.

Once every page is read, MkDocs renders each page's template (Material's: header, the page's navigation, table of
contents, footer) one page after the other in the main process; on a 500-page repository that is a third of the
build, on one core. When the pages are ready (``on_env``) :class:`ThemePages` starts forked worker processes that
render the templates of all pages, as MkDocs would, and finish them for the site (the plugin's post-page step).
MkDocs still walks the pages in its order, runs every plugin's page events and writes the files; each page's
template is then a stand-in that prints what a worker rendered.

A worker renders a page as MkDocs's ``_build_page`` does: the page active, MkDocs's template context, every other
plugin's ``on_page_context``. Their side effects in the worker are lost, which is why the main process still runs
them: it is only done where every ``on_page_context`` of the build is one whose effect on the page is the same
wherever it runs (:data:`SAFE_CONTEXT_PLUGINS`), and where no page is a draft. Elsewhere, and for a page whose
worker failed, the template renders in the main process as usual.

Only the MkDocs adapter imports this module.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from jinja2 import ChoiceLoader, DictLoader
from mkdocs.commands.build import get_context
from mkdocs.structure.files import InclusionLevel

from troubledocs.site.prerender import Ahead, run_ahead

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.utils.templates import TemplateContext

_T = TypeVar("_T")
_R = TypeVar("_R")
#: The stand-in template, and the context variable it prints.
STAND_IN = "troubledocs/rendered-page.html"
_OUTPUT = "troubledocs_rendered_page"
#: Modules of the plugins whose ``on_page_context`` only records the page (search) or changes it the same way in
#: any process.
SAFE_CONTEXT_PLUGINS = ("material.plugins.search", "mkdocs.contrib.search", "troubledocs.")
#: The plugin's post-page step: (template output, page) → the page as the site gets it.
Finish = Callable[[str, "Page"], str]


class ThemePages:
    """The theme's templates of a build's pages, rendered ahead by worker processes (see the module notes)."""

    def __init__(self) -> None:
        self._ahead: Ahead[str] = Ahead()
        self._templates: dict[str, str] = {}
        self._env: Environment | None = None
        self._finish: Finish | None = None
        #: Pages whose output is already finished (the post-page step must leave it alone).
        self._finished: set[str] = set()

    def start(
        self,
        env: Environment,
        config: MkDocsConfig,
        nav: Navigation,
        files: Files,
        owner: object,
        finish: Finish,
    ) -> None:
        """Start rendering the templates of every page of ``files`` (built with ``env``, ``config``, ``nav``), when
        the build allows it; ``owner`` is the plugin that takes the pages (its own events are not run in the
        workers), ``finish`` its post-page step."""
        self.close()
        pages = [file.page for file in files.documentation_pages() if file.page is not None]
        if not _parallel_safe(config, files, owner):
            return
        templates = {page.file.src_uri: str(page.meta.get("template", "main.html")) for page in pages}
        by_path = {page.file.src_uri: page for page in pages}
        job = partial(_render, env, config, nav, files, owner, finish, by_path, templates)
        if not pages:
            return
        # Compile the theme's templates once for all the workers: render the first page here (the output is
        # dropped, and no plugin's events run, since their effects here would count twice).
        _render_template(env, config, nav, files, pages[0], templates[pages[0].file.src_uri])
        self._ahead = run_ahead(job, ((path, path) for path in templates))
        if not self._ahead.running:
            return
        self._templates, self._env, self._finish = templates, env, finish
        # MkDocs makes a new environment for every build.
        stand_in = DictLoader({STAND_IN: f"{{{{ {_OUTPUT}|safe }}}}"})
        env.loader = ChoiceLoader([stand_in] if env.loader is None else [stand_in, env.loader])
        for page in pages:
            page.meta["template"] = STAND_IN

    def context(self, context: TemplateContext, page: Page) -> None:
        """For MkDocs's ``on_page_context`` (run after every other plugin's): give the stand-in template the
        page as a worker rendered and finished it (or render it here, when the worker could not)."""
        path = page.file.src_uri
        template = self._templates.pop(path, None)
        if template is None:
            return
        page.meta["template"] = template
        output = self._ahead.take(path)
        if output is None:
            assert self._env is not None and self._finish is not None
            output = self._finish(self._env.get_template(template).render(context), page)
        context[_OUTPUT] = output  # type: ignore[literal-required]  # the stand-in's own variable
        self._finished.add(path)

    def finished(self, page: Page) -> bool:
        """Whether ``page``'s output is already finished for the site (once; for MkDocs's ``on_post_page``)."""
        if page.file.src_uri in self._finished:
            self._finished.discard(page.file.src_uri)
            return True
        return False

    def submit(self, work: Callable[[_T], _R], argument: _T) -> Callable[[], _R]:
        """Run ``work(argument)`` in a worker once the pages are done (see :meth:`Ahead.submit`)."""
        return self._ahead.submit(work, argument)

    def close(self) -> None:
        """Stop the workers."""
        self._ahead.close()
        self._ahead = Ahead()
        self._templates = {}
        self._finished = set()


def _parallel_safe(config: MkDocsConfig, files: Files, owner: object) -> bool:
    for method in config.plugins.events["page_context"]:
        plugin = getattr(method, "__self__", None)
        if plugin is not owner and not type(plugin).__module__.startswith(SAFE_CONTEXT_PLUGINS):
            return False
    # Drafts (shown by ``mkdocs serve`` only) change the pages the theme lists.
    return all(file.inclusion.value > InclusionLevel.DRAFT.value for file in files)


def _render(
    env: Environment,
    config: MkDocsConfig,
    nav: Navigation,
    files: Files,
    owner: object,
    finish: Finish,
    pages: dict[str, Page],
    templates: dict[str, str],
    path: str,
) -> str:
    """In a worker: the page at ``path`` as MkDocs's ``_build_page`` renders it, finished for the site."""
    page = pages[path]
    return finish(_render_template(env, config, nav, files, page, templates[path], owner), page)


def _render_template(
    env: Environment,
    config: MkDocsConfig,
    nav: Navigation,
    files: Files,
    page: Page,
    template: str,
    owner: object | None = None,
) -> str:
    """``page`` rendered with the theme's ``template``, as MkDocs does: the page active, MkDocs's context, and
    the ``on_page_context`` events of every plugin but ``owner`` (none without an owner)."""
    config._current_page = page
    page.active = True
    try:
        context = get_context(nav, files, config, page)
        if owner is not None:
            for method in config.plugins.events["page_context"]:
                if getattr(method, "__self__", None) is not owner:
                    context = method(context, page=page, config=config, nav=nav) or context
        return env.get_template(template).render(context)
    finally:
        page.active = False
        config._current_page = None
