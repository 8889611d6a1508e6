"""Material's search on pages opened from ``file://``, without Material's ``offline`` plugin or any CDN.

On a ``file://`` page Material loads the search index as a script, ``search/search_index.js``, instead of fetching
``search_index.json``; and Chromium refuses to start its search worker from a file. So:

* every page loads :data:`SHIM` first (``extra.polyfills``): on ``file://`` it starts the site's workers from Blobs
  of their source, which the build writes next to each worker as ``NAME.embedded.js`` (a classic script, which
  ``file://`` pages may load). The troubleshooter's own worker is a Blob already and is left alone.
* the full index goes into ``search_index.js`` when ``full_index`` (the ``embed_runtime`` build, meant for
  ``file://``); otherwise the script holds an empty index and says in the search box how to get search, so that
  the theme neither fails with an error nor answers every query with "no match". A full copy of the index costs
  as much again as ``search_index.json`` (about 5 MB for a 500-page repository).

Material's ``offline`` plugin is not needed; it would add a script from unpkg.com to every page.
"""

from __future__ import annotations

from importlib import resources
import json
from pathlib import Path

from troubledocs.material.compressed_search import EMBEDDED_SUFFIX, read_search_index, search_workers
from troubledocs.material.lean import SEARCH_INDEX

#: The worker shim, site-relative; every page loads it before the theme's scripts.
SHIM = "assets/site/file-worker.js"
_SEARCH_SCRIPT = "search/search_index.js"


def _asset(name: str) -> str:
    return resources.files("troubledocs").joinpath("assets", "site", name).read_text(encoding="utf-8")


def shim_source() -> str:
    """The content of :data:`SHIM`."""
    return _asset("file-worker.js")


def embedded_worker(source: str) -> str:
    """A classic script that records ``source`` (a worker's script) for the shim, under its own URL."""
    text = json.dumps(source, ensure_ascii=True)
    return (
        "(globalThis.troubledocsWorkerSources = globalThis.troubledocsWorkerSources || {})"
        f"[document.currentScript.src] = {text};\n"
    )


def search_script(index_json: str, *, full_index: bool) -> str:
    """``search_index.js`` for the index ``index_json``: the index itself, or an empty one and the message."""
    if full_index:
        return f"var __index = {index_json};\n"
    config = json.loads(index_json).get("config", {})
    empty = json.dumps({"config": config, "docs": []}, separators=(",", ":"))
    return f"var __index = {empty};\n{_asset('search-unavailable.js')}"


def _read_text(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


def write_file_search(site_dir: Path, *, full_index: bool) -> None:
    """Write the ``*.embedded.js`` of the site's workers and ``search/search_index.js`` (when there is a search
    index) into the built site ``site_dir``."""
    for worker in search_workers(site_dir):
        embedded = worker.with_name(worker.name.removesuffix(".js") + EMBEDDED_SUFFIX)
        embedded.write_text(embedded_worker(worker.read_text(encoding="utf-8")), encoding="utf-8")
    # Without the documents, the configuration is all the script needs: ``search_index.json`` holds it, beside
    # the compressed documents (no need to unpack and parse them all at the end of the build).
    index = read_search_index(site_dir) if full_index else _read_text(site_dir / SEARCH_INDEX)
    if index is not None:
        (site_dir / _SEARCH_SCRIPT).write_text(search_script(index, full_index=full_index), encoding="utf-8")
