"""What the troubleshooter adds to a site: its files, stylesheet and scripts, page and placeholder.

MkDocs-free: :mod:`troubledocs.mkdocs_adapter.plugin` turns these into ``File.generated`` entries and config lists.
"""

from __future__ import annotations

from dataclasses import dataclass
import html
from importlib import resources
import json
from pathlib import Path, PurePosixPath
import re
from typing import Any

from troubledocs.browser import embed
from troubledocs.browser.archive import ARCHIVE_NAME, matcher_archive
from troubledocs.browser.pyodide_dist import PYODIDE_LOCK_INFO, PYODIDE_VERSION, runtime_files, runtime_paths
from troubleshooter.model import SITE_INDEX_PATH

ASSETS_DIR = "assets/troubleshooter"
PYODIDE_DIR = f"{ASSETS_DIR}/pyodide"
CONFIG_SCRIPT = "config.js"
STATIC_ASSETS = ("worker.mjs", "widget.js", "widget.css")
# ``troubleshooter/index.md``: the page is at ``troubleshooter/`` whatever ``use_directory_urls`` is.
PAGE_PATH = "troubleshooter/index.md"
# A paste longer than this is cut before matching, with a notice (the page must not freeze).
MAX_PASTE_CHARS = 20_000


@dataclass(frozen=True)
class BrowserOptions:
    """The plugin options that concern the browser side."""

    pyodide_dir: Path | None = None
    """An unpacked Pyodide npm package to copy from, instead of the cache (or ``npm pack``)."""
    pyodide_url: str | None = None
    """Load the runtime from this URL (for example a CDN) instead of shipping it in the site."""
    embed_runtime: bool = False
    """Also embed the runtime in classic scripts, so the troubleshooter works from ``file://``."""


@dataclass(frozen=True)
class SiteFile:
    """A file to write into the site: its path relative to the site root, and its bytes."""

    dest_uri: str
    data: bytes


@dataclass(frozen=True)
class LinkedFile:
    """A file of the site that is a verified file on disk (the Pyodide runtime): linked, not copied."""

    dest_uri: str
    source: Path


def _asset(name: str) -> bytes:
    return resources.files("troubledocs").joinpath("assets", "troubleshooter", name).read_bytes()


def _config_script(options: BrowserOptions) -> bytes:
    config = {
        "version": PYODIDE_VERSION,
        "pyodideUrl": options.pyodide_url,
        "embedRuntime": options.embed_runtime,
        "maxChars": MAX_PASTE_CHARS,
        "indexFile": str(PurePosixPath(SITE_INDEX_PATH).relative_to(ASSETS_DIR)),
        "lock": {"info": dict(PYODIDE_LOCK_INFO), "packages": {}},
    }
    return f"globalThis.troubleshooterConfig = {json.dumps(config, sort_keys=True)};\n".encode()


def site_files(options: BrowserOptions) -> list[SiteFile | LinkedFile]:
    """Every file the troubleshooter needs in the site, except the index (see :func:`index_files`).

    Raises :class:`~troubledocs.browser.pyodide_dist.PyodideUnavailableError` when the runtime is
    needed but can be neither read nor fetched.
    """
    archive = matcher_archive()
    files: list[SiteFile | LinkedFile] = [
        SiteFile(f"{ASSETS_DIR}/{name}", _asset(name)) for name in STATIC_ASSETS
    ]
    files.append(SiteFile(f"{ASSETS_DIR}/{CONFIG_SCRIPT}", _config_script(options)))
    files.append(SiteFile(f"{ASSETS_DIR}/{ARCHIVE_NAME}", archive))
    ship_runtime = options.pyodide_url is None
    if ship_runtime:
        paths = runtime_paths(options.pyodide_dir)
        files.extend(LinkedFile(f"{PYODIDE_DIR}/{name}", path) for name, path in paths.items())
    if options.embed_runtime:
        runtime = runtime_files(options.pyodide_dir, classic_loader=True)
        worker = _asset("worker.mjs").decode("utf-8")
        files.append(
            SiteFile(f"{ASSETS_DIR}/{embed.RUNTIME_SCRIPT}", embed.runtime_script(runtime, worker, archive))
        )
    return files


def index_files(options: BrowserOptions, index_gz: bytes) -> list[SiteFile]:
    """The index the worker reads (gzip-compressed JSON) and, for ``file://``, the same bytes in a classic script."""
    files = [SiteFile(SITE_INDEX_PATH, index_gz)]
    if options.embed_runtime:
        files.append(SiteFile(f"{ASSETS_DIR}/{embed.INDEX_SCRIPT}", embed.index_script(index_gz)))
    return files


def extra_css() -> list[str]:
    """Stylesheets to add to ``extra_css`` (site-relative)."""
    return [f"{ASSETS_DIR}/widget.css"]


def extra_javascript() -> list[str]:
    """Classic scripts to add to ``extra_javascript`` (site-relative, in this order)."""
    return [f"{ASSETS_DIR}/{CONFIG_SCRIPT}", f"{ASSETS_DIR}/widget.js"]


#: The id of the box of the widget a build places (the skip link's target); an author's own widget gets another.
INPUT_ID = "troubleshooter-input"


def widget_html(*, preload: bool = False, page_url: str | None = None) -> str:
    """The widget as the page is served: the box, its status line and progress bar, which the widget script
    brings to life.

    The script keeps these elements, so the widget takes its full idle size before any script runs (no layout
    shift). ``page_url``: the troubleshooter page, relative to this page, linked from the widget (``None`` on
    that page). With ``preload`` the runtime starts loading when the page is idle, before the reader pastes.
    """
    extra = " data-troubleshooter-preload" if preload else ""
    link = (
        f'<p class="troubleshooter__more"><a href="{html.escape(page_url)}" data-troubleshooter-page>'
        "Open the troubleshooter page</a> for any error of these docs.</p>"
        if page_url
        else ""
    )
    return (
        f'<div class="troubleshooter" data-troubleshooter data-state="idle"{extra}>'
        f'<label class="troubleshooter__label" for="{INPUT_ID}">Paste an error</label>'
        f'<textarea id="{INPUT_ID}" class="troubleshooter__input md-input" rows="4" spellcheck="false" '
        f'autocomplete="off" maxlength="{MAX_PASTE_CHARS}" aria-describedby="{INPUT_ID}-status" '
        'placeholder="Paste an error message, a log excerpt or a command&#x27;s output…" '
        "data-troubleshooter-input></textarea>"
        f'<p class="troubleshooter__status" id="{INPUT_ID}-status" role="status">'
        "Paste an error message or log lines; it is matched in your browser and sent nowhere.</p>"
        '<progress class="troubleshooter__progress" aria-label="Loading" hidden></progress>'
        "<noscript><p>The troubleshooter needs JavaScript.</p></noscript>"
        f"{link}</div>"
    )


#: What stays between the title and the widget: the "Last updated" line and the lead paragraph.
_PAGE_LEAD = re.compile(r'(?:\s*<p class="(?:td-last-updated|shortdesc)">.*?</p>)*', re.DOTALL)


def with_widget(page_html: str, *, preload: bool = False, page_url: str | None = None) -> str:
    """A page's HTML with the widget after its title and lead paragraph (or at the top); see
    :func:`widget_html` for the options."""
    widget = widget_html(preload=preload, page_url=page_url)
    end = page_html.find("</h1>")
    if end == -1:
        return widget + page_html
    lead = _PAGE_LEAD.match(page_html, end + len("</h1>"))
    end = lead.end() if lead else end + len("</h1>")
    return page_html[:end] + widget + page_html[end:]


def troubleshooter_page_markdown() -> str:
    """The dedicated page, ``troubleshooter/`` in every built site; the plugin places the widget after its lead
    paragraph. The words readers search for an error's fix ("troubleshoot", "error") are in its text."""
    return """---
title: Troubleshooter
description: Paste an error message to find the troubleshooting section of these docs that fixes it.
---

# Troubleshooter

Paste an error message, a log excerpt or the output of a command to troubleshoot it. The troubleshooter
finds the troubleshooting sections of these docs that match the error, ranked, with the matched text
highlighted and how to fix it.
{: .shortdesc}

It runs entirely in your browser: the matcher is a small Python program running in
[Pyodide](https://pyodide.org/) (Python compiled to WebAssembly), shipped with this site. Nothing you
paste leaves the page. The first use loads the Python runtime (about 6 MB compressed), which takes a
few seconds; later queries answer at once.
"""


def _names_page(item: object) -> bool:
    if isinstance(item, str):
        return item.strip("/") in (PAGE_PATH, PAGE_PATH.removesuffix("index.md").strip("/"))
    if isinstance(item, dict):
        return any(_names_page(value) for value in item.values())
    if isinstance(item, list):
        return any(_names_page(value) for value in item)
    return False


def nav_with_page(nav: list[Any]) -> list[Any]:
    """``nav`` (a MkDocs ``nav`` list) with the troubleshooter page as its last item, unless it names it already."""
    if _names_page(nav):
        return nav
    return [*nav, {"Troubleshooter": PAGE_PATH}]
