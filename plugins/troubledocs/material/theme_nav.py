"""Material's primary navigation (``partials/nav.html``) rendered by Python instead of Jinja.

Material prints the whole navigation on every page through a recursive Jinja macro; on a 500-page repository that
is over half of the theme's rendering time and a tenth of the whole build. :func:`install` replaces the partial
with a call to :func:`primary_nav`, which builds the same elements with the same attributes (the same classes,
ids, labels and ARIA states, for the same theme features) with plain string joins; only the blank space between
elements differs, which the plugin's post-page step removes anyway. ``tests/test_theme_nav.py`` compares the two
element by element on real sites. The partials it includes (logo, repository source, the page's table of
contents) are still the theme's.

The replacement is only installed for what it reproduces: the theme's own ``nav.html`` and ``nav-item.html`` (not
a ``custom_dir`` override), and navigation items without the page metadata Material shows in the navigation
(``icon``, ``subtitle``, ``status``) or items of other plugins (Material's blog views, its typeset titles,
encrypted pages). Otherwise the theme's template renders as usual.

Only the MkDocs adapter imports this module.
"""

from __future__ import annotations

from collections.abc import Iterable
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import ChoiceLoader, DictLoader, TemplateNotFound, pass_context
from markupsafe import Markup, escape
from mkdocs.structure.pages import Page
from mkdocs.utils import normalize_url

if TYPE_CHECKING:
    from jinja2 import Environment
    from jinja2.runtime import Context
    from mkdocs.structure.nav import Navigation

#: The theme's templates this module stands in for, and the name of its function in templates.
PARTIALS = ("partials/nav.html", "partials/nav-item.html")
_FUNCTION = "troubledocs_primary_nav"
#: Page metadata that changes how Material prints a navigation item; attributes other plugins give items.
_ITEM_META = ("icon", "subtitle", "status")
_FOREIGN_ATTRIBUTES = ("pages", "typeset", "encrypted")


def install(env: Environment, nav: Navigation, theme_dir: Path) -> bool:
    """Make ``env`` render ``partials/nav.html`` with :func:`primary_nav` when it reproduces it (see the module
    notes); ``theme_dir`` is Material's template folder. Return whether it does."""
    for name in PARTIALS:
        try:
            _, filename, _ = (
                env.loader.get_source(env, name) if env.loader is not None else (None, None, None)
            )
        except TemplateNotFound:
            return False
        if filename is None or Path(filename).resolve().parent.parent != theme_dir.resolve():
            return False
    if not all(_reproducible(item) for item in _walk(nav.items)):
        return False
    replacement = DictLoader({PARTIALS[0]: f"{{{{ {_FUNCTION}() }}}}"})
    env.loader = ChoiceLoader([replacement] if env.loader is None else [replacement, env.loader])
    env.globals[_FUNCTION] = primary_nav
    return True


def _walk(items: Iterable[Any]) -> Iterable[Any]:
    for item in items:
        yield item
        yield from _walk(getattr(item, "children", None) or ())


def _reproducible(item: Any) -> bool:
    if any(getattr(item, name, None) for name in _FOREIGN_ATTRIBUTES):
        return False
    meta = getattr(item, "meta", None) or {}
    return not any(meta.get(key) for key in _ITEM_META)


@pass_context
def primary_nav(context: Context) -> Markup:
    """The ``<nav class="md-nav md-nav--primary">`` of the page in ``context``, as Material's partial prints it."""
    return Markup("".join(_NavWriter(context).primary()))


class _NavWriter:
    """Writes the navigation of one page; each method mirrors the macro of Material's partial of the same name."""

    def __init__(self, context: Context) -> None:
        self.context = context
        self.page: Any = context.get("page")
        self.config: Any = context["config"]
        self.features: list[str] = list(self.config.theme.get("features") or [])
        self.prune = "navigation.prune" in self.features
        self.tabs = "navigation.tabs" in self.features
        self.sections = "navigation.sections" in self.features
        self.indexes = "navigation.indexes" in self.features
        self.expand = "navigation.expand" in self.features

    def url(self, value: object) -> str:
        """MkDocs's ``url`` filter."""
        return normalize_url(str(value), page=self.page, base=self.context["base_url"])

    def include(self, name: str) -> str:
        """A theme partial rendered with this page's context, as ``{% include %}`` does."""
        return self.context.environment.get_template(name).render(self.context.get_all())

    def primary(self) -> Iterable[str]:
        classes = "md-nav md-nav--primary"
        if self.tabs:
            classes += " md-nav--lifted"
        if "toc.integrate" in self.features:
            classes += " md-nav--integrated"
        nav: Any = self.context["nav"]
        site_name = str(self.config.site_name)
        homepage = self.config.extra.get("homepage") or (nav.homepage.url if nav.homepage else "")
        yield f'<nav class="{classes}" aria-label="{self.context["lang"].t("nav")}" data-md-level="0">'
        yield '<label class="md-nav__title" for="__drawer">'
        yield (
            f'<a href="{self.url(homepage)}" title="{escape(site_name)}" class="md-nav__button md-logo" '
            f'aria-label="{site_name}" data-md-component="logo">'
        )
        yield self.include("partials/logo.html")
        yield f"</a>{site_name}</label>"
        if self.config.repo_url:
            yield f'<div class="md-nav__source">{self.include("partials/source.html")}</div>'
        yield '<ul class="md-nav__list" data-md-scrollfix>'
        for number, item in enumerate(nav.items, start=1):
            yield from self.item(item, f"__nav_{number}", 1, None)
        yield "</ul></nav>"

    def content(self, item: Any, ref: Any = None) -> str:
        return f'<span class="md-ellipsis">{(ref or item).title}</span>'

    def pruned(self, item: Any, ref: Any = None) -> Iterable[str]:
        ref = ref or item
        first = item.children[0] if item.children else None
        if first is not None and first.children:
            yield from self.pruned(first, ref)
            return
        yield f'<a href="{self.url(getattr(first, "url", ""))}" class="md-nav__link">'
        yield self.content(ref)
        if item.children:
            yield '<span class="md-nav__icon md-icon"></span>'
        yield "</a>"

    def item(self, item: Any, path: str, level: int, parent: Any) -> Iterable[str]:
        classes = "md-nav__item"
        if item.active:
            classes += " md-nav__item--active"
        if item.children:
            yield from self.section(item, path, level, parent, classes)
        elif isinstance(item, Page) and item == self.page:
            yield from self.current_page(item, classes)
        else:
            yield f'<li class="{classes}"><a href="{self.url(getattr(item, "url", ""))}" class="md-nav__link">'
            yield f"{self.content(item)}</a></li>"

    def section(self, item: Any, path: str, level: int, parent: Any, classes: str) -> Iterable[str]:
        index = None
        if self.indexes:
            index = next((child for child in item.children if getattr(child, "is_index", False)), None)
        is_section = False
        if self.tabs:
            if level == 1 and item.active:
                is_section = True
            if self.sections and level == 2 and parent.active:
                is_section = True
        elif self.sections and level == 1:
            is_section = True
        if is_section:
            classes += " md-nav__item--section"
        is_pruned = self.prune and not is_section and not item.active
        if is_pruned:
            classes += " md-nav__item--pruned"
        yield f'<li class="{classes} md-nav__item--nested">'
        if is_pruned:
            yield from self.pruned(item)
            yield "</li>"
            return
        checked = "checked" if item.active else ""
        indeterminate = "md-toggle--indeterminate" if self.expand and not checked else ""
        tabindex = "" if is_section else "0"
        yield f'<input class="md-nav__toggle md-toggle {indeterminate}" type="checkbox" id="{path}" {checked}>'
        if index is None:
            yield f'<label class="md-nav__link" for="{path}" id="{path}_label" tabindex="{tabindex}">'
            yield f'{self.content(item)}<span class="md-nav__icon md-icon"></span></label>'
        else:
            active = "md-nav__link--active" if index == self.page else ""
            yield '<div class="md-nav__link md-nav__container">'
            yield f'<a href="{self.url(index.url)}" class="md-nav__link {active}">{self.content(index, item)}</a>'
            if len(item.children) > 1:
                yield (
                    f'<label class="md-nav__link {active}" for="{path}" id="{path}_label" tabindex="{tabindex}">'
                    '<span class="md-nav__icon md-icon"></span></label>'
                )
            yield "</div>"
        yield (
            f'<nav class="md-nav" data-md-level="{level}" aria-labelledby="{path}_label" '
            f'aria-expanded="{json.dumps(bool(item.active))}">'
        )
        yield f'<label class="md-nav__title" for="{path}"><span class="md-nav__icon md-icon"></span>{item.title}</label>'
        yield '<ul class="md-nav__list" data-md-scrollfix>'
        for number, child in enumerate(item.children, start=1):
            if index is None or child != index:
                yield from self.item(child, f"{path}_{number}", level + 1, item)
        yield "</ul></nav></li>"

    def current_page(self, item: Page, classes: str) -> Iterable[str]:
        toc: Any = self.page.toc
        first = next(iter(toc), None)
        if first is not None and first.level == 1:
            toc = first.children
        yield f'<li class="{classes}"><input class="md-nav__toggle md-toggle" type="checkbox" id="__toc">'
        if toc:
            yield '<label class="md-nav__link md-nav__link--active" for="__toc">'
            yield f'{self.content(item)}<span class="md-nav__icon md-icon"></span></label>'
        yield f'<a href="{self.url(item.url)}" class="md-nav__link md-nav__link--active">{self.content(item)}</a>'
        if toc:
            yield self.include("partials/toc.html")
        yield "</li>"
