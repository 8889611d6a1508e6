"""Make the built site work under a strict Content-Security-Policy (:data:`POLICY`), as well as from ``file://``.

* Material's templates put small scripts inline in every page (the palette, the local-storage helpers, the
  tabs' anchor check); ``script-src 'self'`` refuses to run them, which breaks the theme (``__md_get is not
  defined``). :func:`csp_ready_page` moves each into a file under :data:`INLINE_SCRIPTS`, named by its
  content's hash, and the page loads it with ``<script src>`` in the same place, so scripts still run in order.
  Only the scripts the installed theme's templates write are moved (:class:`ThemeScripts`): anything else inline
  (an author's script that got past the sanitizer, another plugin's) stays where the policy refuses to run it.
  ``<script type="application/json">`` (Material's ``__config``) is data, which no policy blocks: it stays.
* Material's stylesheet holds its icons as ``data:`` SVG URLs in ``:root`` custom properties, which the policy's
  image sources (``default-src 'self'``) refuse. :func:`icon_files` makes :data:`ICONS_CSS`, which redefines each
  property as an SVG file of the site; it comes after the theme's stylesheet, so its values win and the ``data:``
  URLs are never loaded. Opened from ``file://``, where Chromium does not load a CSS mask image from a file,
  :data:`LOCAL_ICONS_JS` turns that stylesheet off and the theme's own ``data:`` icons apply (no policy there).
  :func:`csp_ready_page` loads that script right after the stylesheet's ``<link>``, before anything is drawn.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
import hashlib
from pathlib import Path
import re
from urllib.parse import unquote_to_bytes

from troubledocs.mkdocs_adapter.theme_env import visible_files

#: The policy the browser test serves the site with; the site needs nothing more.
POLICY = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'"
#: Site folder of the scripts moved out of the pages.
INLINE_SCRIPTS = "assets/javascripts/inline"
#: The stylesheet that points the theme's icon properties at files, and the folder of those files (site paths).
ICONS_CSS = "assets/stylesheets/td-icons.css"
ICONS_DIR = "assets/stylesheets/td-icons"
#: Turns :data:`ICONS_CSS` off when the site is opened from ``file://`` (a packaged asset, site path).
LOCAL_ICONS_JS = "assets/csp/local-icons.js"
_ICONS_LINK = re.compile(rf"""<link\b[^>]*\bhref="[^"]*{re.escape(ICONS_CSS)}"[^>]*>""")

_SCRIPT = re.compile(
    r"<script(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>(?P<body>.*?)</script\s*>", re.DOTALL | re.IGNORECASE
)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_SRC = re.compile(r"\bsrc\s*=", re.IGNORECASE)
#: Script types a browser executes (the empty string: no ``type``).
_EXECUTABLE = frozenset({"", "text/javascript", "application/javascript", "module"})
_ICON = re.compile(
    r"""(?P<name>--[\w-]+)\s*:\s*url\(\s*"data:image/svg\+xml(?P<params>[^,"]*),(?P<data>[^"]*)"\s*\)"""
)


#: A Jinja expression, statement or comment inside a template's script.
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


@dataclass(frozen=True)
class ThemeScripts:
    """The inline scripts the theme's templates write: exact bodies by content hash, and for a body with Jinja
    in it a pattern in which each Jinja part matches any text without ``<`` (a configuration value)."""

    digests: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]

    def wrote(self, body: str) -> bool:
        """Whether the theme wrote the inline script ``body``."""
        return _digest(body.encode()) in self.digests or any(p.fullmatch(body) for p in self.patterns)


def theme_scripts(template_dirs: Iterable[str | Path]) -> ThemeScripts:
    """The inline scripts of every template under ``template_dirs`` (the theme's folders, overrides included)."""
    return _theme_scripts(tuple(str(folder) for folder in template_dirs))


@lru_cache(maxsize=4)
def _theme_scripts(template_dirs: tuple[str, ...]) -> ThemeScripts:
    digests: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    for folder in template_dirs:
        # Hidden folders (Material's 14,000 icons) are no part of a theme's pages, as MkDocs treats them.
        for name in visible_files([folder]):
            if not name.endswith(".html"):
                continue
            template = Path(folder, name)
            for script in _SCRIPT.finditer(template.read_text(encoding="utf-8", errors="replace")):
                body = script["body"]
                parts = _JINJA.split(body)
                if len(parts) == 1:
                    digests.add(_digest(body.encode()))
                else:
                    patterns.append(re.compile("[^<]*?".join(re.escape(part) for part in parts), re.DOTALL))
    return ThemeScripts(frozenset(digests), tuple(patterns))


def csp_ready_page(page: str, root: str, theme: ThemeScripts) -> tuple[str, dict[str, str]]:
    """``page`` with each inline script of the ``theme`` loaded from a file instead, and :data:`LOCAL_ICONS_JS`
    loaded after the :data:`ICONS_CSS` link; and the script files to write (site path → script).

    ``root`` is the site's root as the page reaches it (``..`` from ``sub/page.html``, ``/`` for absolute URLs).
    """
    files: dict[str, str] = {}
    base = root.rstrip("/")

    def move(match: re.Match[str]) -> str:
        attrs, body = match["attrs"], match["body"]
        kind = _TYPE.search(attrs)
        if (
            _SRC.search(attrs)
            or not body.strip()
            or (kind.group(1).lower() if kind else "") not in _EXECUTABLE
            or not theme.wrote(body)
        ):
            return match.group(0)
        path = f"{INLINE_SCRIPTS}/{_digest(body.encode())}.js"
        files[path] = body
        return f'<script{attrs} src="{base}/{path}"></script>'

    page = _SCRIPT.sub(move, page)
    guard = f'<script src="{base}/{LOCAL_ICONS_JS}"></script>'
    return _ICONS_LINK.sub(lambda link: link.group(0) + guard, page, count=1), files


def icon_files(stylesheets: Iterable[str]) -> dict[str, bytes]:
    """:data:`ICONS_CSS` and the SVG files it names, for the ``data:`` icon properties of ``stylesheets``."""
    files: dict[str, bytes] = {}
    rules: list[str] = []
    for css in stylesheets:
        for icon in _ICON.finditer(css):
            params, data = icon["params"], icon["data"]
            svg = base64.b64decode(data) if params.endswith(";base64") else unquote_to_bytes(data)
            name = f"{_digest(svg)}.svg"
            files[f"{ICONS_DIR}/{name}"] = svg
            rules.append(f'{icon["name"]}:url("{ICONS_DIR.rsplit("/", 1)[1]}/{name}")')
    files[ICONS_CSS] = (":root{" + ";".join(rules) + "}\n").encode()
    return files
