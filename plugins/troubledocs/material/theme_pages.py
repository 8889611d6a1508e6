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

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from typing import TYPE_CHECKING, TypeVar

from jinja2 import ChoiceLoader, DictLoader
from mkdocs.commands.build import get_context
from mkdocs.structure.files import InclusionLevel

from troubledocs.repository.prerender import Ahead, run_ahead

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
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


@dataclass(frozen=True)
class Build:
    """What a page's template is rendered with: MkDocs's environment, configuration, navigation and files, and
    the plugin that takes the pages (``owner``: its own events are not run again)."""

    env: Environment
    config: MkDocsConfig
    nav: Navigation
    files: Files
    owner: object

    @cached_property
    def pages(self) -> Sequence[File]:
        """The documentation pages, listed once: MkDocs's ``_build_page`` hands ``get_context`` this list (given
        the whole ``Files``, it would list them again for every page, quadratic in the pages)."""
        return self.files.documentation_pages()

    def render(self, page: Page, template: str, *, events: bool = True) -> str:
        """``page`` rendered with the theme's ``template``, as MkDocs's ``_build_page`` does: the page active,
        MkDocs's context and (with ``events``) every other plugin's ``on_page_context``."""
        config = self.config
        config._current_page = page
        page.active = True
        try:
            context = get_context(self.nav, self.pages, config, page)
            for method in config.plugins.events["page_context"] if events else ():
                if getattr(method, "__self__", None) is not self.owner:
                    context = method(context, page=page, config=config, nav=self.nav) or context
            return self.env.get_template(template).render(context)
        finally:
            page.active = False
            config._current_page = None

    def parallel_safe(self) -> bool:
        """Whether every ``on_page_context`` of the build is one of :data:`SAFE_CONTEXT_PLUGINS` and no page is a
        draft (drafts, shown by ``mkdocs serve`` only, change the pages the theme lists; an excluded file, such as
        a README beside ``index.md``, is in no build)."""
        for method in self.config.plugins.events["page_context"]:
            plugin = getattr(method, "__self__", None)
            if plugin is not self.owner and not type(plugin).__module__.startswith(SAFE_CONTEXT_PLUGINS):
                return False
        return all(file.inclusion is not InclusionLevel.DRAFT for file in self.files)


class ThemePages:
    """The theme's templates of a build's pages, rendered ahead by worker processes (see the module notes)."""

    def __init__(self) -> None:
        self._ahead: Ahead[str] = Ahead()
        self._templates: dict[str, str] = {}
        self._build: Build | None = None
        self._finish: Finish | None = None
        #: Pages whose output is already finished (the post-page step must leave it alone).
        self._finished: set[str] = set()

    def start(self, build: Build, finish: Finish) -> None:
        """Start rendering the templates of every page of the ``build`` when it allows it; ``finish`` is the
        plugin's post-page step."""
        self.close()
        pages = [file.page for file in build.pages if file.page is not None]
        if not pages or not build.parallel_safe():
            return
        templates = {page.file.src_uri: str(page.meta.get("template", "main.html")) for page in pages}
        # Compile the theme's templates once for all the workers: render the first page here (the output is
        # dropped, and no plugin's events run, since their effects here would count twice).
        build.render(pages[0], templates[pages[0].file.src_uri], events=False)
        job = partial(_render, build, finish, {page.file.src_uri: page for page in pages}, templates)
        self._ahead = run_ahead(job, ((path, path) for path in templates))
        if not self._ahead.running:
            return
        self._templates, self._build, self._finish = templates, build, finish
        # MkDocs makes a new environment for every build.
        stand_in = DictLoader({STAND_IN: f"{{{{ {_OUTPUT}|safe }}}}"})
        env = build.env
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
            assert self._build is not None and self._finish is not None
            output = self._finish(self._build.env.get_template(template).render(context), page)
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


def _render(
    build: Build, finish: Finish, pages: dict[str, Page], templates: dict[str, str], path: str
) -> str:
    """In a worker: the page at ``path`` as MkDocs renders it, finished for the site."""
    page = pages[path]
    return finish(build.render(page, templates[path]), page)
