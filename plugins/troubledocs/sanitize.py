"""The security boundary: what authored text may put into a built page, as one policy.

Authors write Markdown, raw HTML, attribute lists, front matter and ``toc.yaml``; none of it may run as script in
a reader's browser. Every path from an authored value to the page goes through this module:

==========================================  ========================================================================
authored value                              policy
==========================================  ========================================================================
element                                     kept when known (:mod:`troubledocs.mdit.html_tags`), ``<script>``
                                            dropped, any other name shown as text
attribute name ``on*``, ``srcdoc``          dropped
malformed attribute name                    dropped (``TD405``)
``id`` with quotes, ``<``, ``>``, spaces    those characters dropped
URL attribute (:data:`URL_ATTRS`)           allowed when :func:`url_allowed`, else replaced by ``#``
comment, ``<!-->``, ``--!>`` tricks         dropped (a browser and a parser disagree on where they end)
CDATA, processing instruction, declaration  shown as text
front matter value of any YAML type         text: strings escaped, lists and maps printed as escaped text
                                            (:func:`template_value`)
``template:`` in front matter               one of the theme's page templates (:func:`page_templates`), else ignored
``toc.yaml`` label, heading id, TOC text    escaped where printed; ``toc.yaml`` ``href`` through :func:`url_allowed`
inline ``<script>`` of the final page       moved to a file for the CSP only when the installed theme wrote it
                                            (:mod:`troubledocs.material.csp`)
==========================================  ========================================================================

Every refusal is a ``TD403`` warning at the line of the authored value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
import html
from pathlib import Path
import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.utils import EnvType

from troubledocs.mdit.env import report

#: URL schemes a page may link to or load from; a URL without a scheme (relative) is allowed too.
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
#: Attributes whose value a browser follows or loads as a URL.
URL_ATTRS = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "xlink:href",
        "poster",
        "background",
        "data",
        "cite",
        "longdesc",
        "codebase",
        "classid",
        "archive",
    }
)
_ATTR_NAME = re.compile(r"[a-z_:][\w:.-]*")
#: ``onclick``, ``onerror`` … and any name shaped like one (``oner2or``): the shortest HTML event handler is
#: ``oncut``, so ``one="…"`` is an attribute.
_EVENT_HANDLER = re.compile(r"on[a-z][\w.:-]{2,}", re.IGNORECASE)
#: What a browser ignores in a URL before reading its scheme: ASCII white space and control characters.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"\A([A-Za-z][A-Za-z0-9+.-]*):")
#: ``data:`` URLs of raster images: a browser decodes them as pictures, never as a document or script.
_RASTER_DATA = re.compile(r"\Adata:image/(?:png|jpeg|jpg|gif|webp|bmp|avif|x-icon)[;,]", re.IGNORECASE)
#: What an ``id`` may not hold: the theme's scripts look ids up in CSS selectors (``[id="…"]``), and the TOC
#: prints them into attributes.
_NOT_IN_ID = re.compile(r"[\s\"'<>`\\]")
#: Theme templates that are no page layout: an error page, and a redirect that sends the browser to a URL.
_NOT_PAGE_TEMPLATES = frozenset({"404.html", "redirect.html"})


def url_allowed(url: str) -> bool:
    """Whether ``url`` (decoded text, as an attribute's value) may be followed or loaded: ``http``, ``https``,
    ``mailto``, a relative URL, or a ``data:`` raster image."""
    plain = _IGNORED_IN_URL.sub("", url)
    scheme = _SCHEME.match(plain)
    if scheme is None:
        return True
    name = scheme.group(1).lower()
    return name in SAFE_SCHEMES or (name == "data" and _RASTER_DATA.match(plain) is not None)


@dataclass
class Removed:
    """What sanitizing took out of one HTML block, tag or token, reported once."""

    unsafe: list[str] = field(default_factory=list)
    malformed: list[str] = field(default_factory=list)

    def report(self, env: EnvType, line: int) -> None:
        if self.unsafe:
            report(env, line, "TD403", "removed unsafe HTML: " + ", ".join(self.unsafe))
        if self.malformed:
            report(env, line, "TD405", "ignored malformed HTML attribute: " + ", ".join(self.malformed))


def clean_attrs(
    tag: str, attrs: Iterable[tuple[str, str | None]], removed: Removed
) -> list[tuple[str, str | None]]:
    """``attrs`` minus event handlers and malformed names, refused URLs replaced by ``#``; noted in ``removed``."""
    out: list[tuple[str, str | None]] = []
    for name, value in attrs:
        if _EVENT_HANDLER.fullmatch(name) or name == "srcdoc":  # event handlers; an iframe's inline document
            removed.unsafe.append(f"<{tag} {name}>")
        elif not _ATTR_NAME.fullmatch(name):
            removed.malformed.append(f"<{tag} {name[:40]}>")
        elif value is not None and name in URL_ATTRS and not url_allowed(value):
            removed.unsafe.append(f"<{tag} {name}={value[:30]!r}>")
            out.append((name, "#"))
        elif value is not None and name == "id" and _NOT_IN_ID.search(value):
            removed.unsafe.append(f"<{tag} id={value[:30]!r}>")
            out.append((name, _NOT_IN_ID.sub("", value)))
        else:
            out.append((name, value))
    return out


def attrs_html(attrs: Iterable[tuple[str, object]]) -> str:
    """Attributes as HTML text (`` name="value"`` each, a ``None`` value a bare name), escaped as markdown-it
    escapes the attributes it renders itself; for the elements troubledocs writes without markdown-it's renderer."""
    return "".join(
        f" {name}" if value is None else f' {name}="{escapeHtml(str(value))}"' for name, value in attrs
    )


def safe_attrs_plugin(md: MarkdownIt) -> None:
    """Clean the attributes of every token as raw HTML's are (:func:`clean_attrs`), whatever set them: an
    attribute list may put ``onclick`` on a paragraph or a ``javascript:`` ``href`` on a link. Use it after every
    other rule family, so that it runs last."""
    md.core.ruler.push("td_safe_attrs", _safe_token_attrs)


def _safe_token_attrs(state: StateCore) -> None:
    for token in state.tokens:
        line = (token.map[0] if token.map else 0) + 1
        for each in (token, *(token.children or ())):
            if each.attrs:
                removed = Removed()
                kept = clean_attrs(
                    each.tag or each.type, [(k, str(v)) for k, v in each.attrs.items()], removed
                )
                if removed.unsafe or removed.malformed:
                    each.attrs = {name: value or "" for name, value in kept}
                    removed.report(state.env, line)


# --- values that reach the theme's templates ------------------------------------------------------------------


class TemplateText(str):
    """Escaped text for a template. ``__html__`` keeps it safe through Jinja's ``striptags`` filter, which
    unescapes what it returns (Material prints ``{{ page.title | striptags }}`` into ``<title>``): the filter
    gets the text escaped once more, so it returns this text, still escaped. ``| e`` gives the same as before."""

    __slots__ = ()

    def __html__(self) -> str:
        return html.escape(self)


def template_text(text: str) -> TemplateText:
    """Authored ``text`` as a template may print it."""
    return TemplateText(html.escape(text))


class TextList(list[Any]):
    """A front-matter list whose items are safe text; a template printing it shows them comma-separated."""

    def __str__(self) -> str:
        return ", ".join(str(item) for item in self)


class TextMap(dict[str, Any]):
    """A front-matter map whose keys and values are safe text; a template printing it shows ``key: value``."""

    def __str__(self) -> str:
        return "; ".join(f"{key}: {value}" for key, value in self.items())


def template_value(value: Any) -> Any:
    """``value`` (of any YAML type) as a template may print it: strings HTML-escaped at every depth, lists and
    maps that print as escaped text; numbers, booleans, dates and ``None`` print as themselves."""
    if isinstance(value, str):
        return template_text(value)
    if isinstance(value, Mapping):
        return TextMap({html.escape(str(key)): template_value(item) for key, item in value.items()})
    if isinstance(value, (list, tuple, set, frozenset)):
        return TextList(template_value(item) for item in value)
    if value is None or isinstance(value, (bool, int, float)) or hasattr(value, "isoformat"):
        return value
    return template_text(str(value))


def page_templates(theme_dirs: Iterable[str | Path]) -> frozenset[str]:
    """The templates a page may choose with ``template:``: the top-level layouts of the theme's folders (not its
    partials, not its error or redirect pages)."""
    names: set[str] = set()
    for folder in theme_dirs:
        path = Path(folder)
        if path.is_dir():
            names.update(
                child.name
                for child in path.glob("*.html")
                if child.is_file() and child.name not in _NOT_PAGE_TEMPLATES
            )
    return frozenset(names)
