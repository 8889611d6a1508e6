"""Material's search index shipped gzip-compressed and unpacked in the search worker.

The index is the largest file of a built repository after the Pyodide runtime (about 5 MB of page text for a
500-page repository; 0.9 MB compressed). Material's page fetches ``search/search_index.json``, parses it on the main
thread and posts it to its search worker. After :func:`compress_search_index`:

* ``search/search_index.json.gz`` holds the whole index (gzip, mtime 0: the same site gives the same bytes);
* ``search/search_index.json`` keeps the index's ``config`` and no documents, so the page's part is cheap;
* Material's search worker starts with ``assets/site/search-index-gz.js``, which fetches the compressed documents
  when the setup message brings none, decompresses them with the browser's ``DecompressionStream`` and hands
  Material's handler the whole index. A server that sends ``.gz`` files with ``Content-Encoding: gzip`` works too.
* pages load that changed worker as ``….min.js?v=VERSION`` (:func:`versioned_worker`): its file keeps the theme's
  name, and a cache must not serve the theme's original under it.

Pages opened from ``file://`` load ``search/search_index.js`` instead (:mod:`troubledocs.material.file_search`), which holds
the documents when the site is built for ``file://``; the worker then has nothing to fetch.
"""

from __future__ import annotations

from functools import cache
import gzip
import hashlib
from importlib import resources
import json
import os
from pathlib import Path
import re
from typing import Any

from troubledocs.material.lean import SEARCH_INDEX

#: The compressed search index, relative to the site folder.
COMPRESSED_INDEX = SEARCH_INDEX + ".gz"
#: Where Material keeps its search worker, relative to the site folder.
WORKERS = "assets/javascripts/workers"
#: File names the build writes next to the workers, which are not workers themselves.
EMBEDDED_SUFFIX = ".embedded.js"
_PRELUDE_START = "// The build puts this before Material's search worker"
#: The search worker's URL in Material's ``__config``, up to its closing quote.
_CONFIG_WORKER = re.compile(r'("search"\s*:\s*"[^"?]*/workers/search\.[^"?/]*\.js)(")')


@cache
def worker_prelude() -> str:
    """What the build puts before Material's search worker: ``assets/site/search-index-gz.js`` called with the
    path of the compressed index relative to the worker."""
    source = (
        resources.files("troubledocs").joinpath("assets", "site", "search-index-gz.js").read_text("utf-8")
    )
    index_path = os.path.relpath(COMPRESSED_INDEX, WORKERS).replace(os.sep, "/")
    return f"{source.rstrip()}({json.dumps(index_path)});\n"


@cache
def worker_version() -> str:
    """A short digest of :func:`worker_prelude`: pages load the search worker as ``…min.js?v=VERSION``, so that a
    browser or CDN that cached the theme's worker without the prelude (or with an older one) fetches it again
    (its file name, hashed by the theme, stays the same)."""
    return hashlib.sha256(worker_prelude().encode("utf-8")).hexdigest()[:10]


def versioned_worker(page_html: str) -> str:
    """``page_html`` with the search worker in Material's ``__config`` loaded as ``…?v=``:func:`worker_version`."""
    return _CONFIG_WORKER.sub(rf"\1?v={worker_version()}\2", page_html, count=1)


def search_workers(site_dir: Path) -> list[Path]:
    """The theme's worker scripts in the built site ``site_dir`` (not the build's ``*.embedded.js`` copies)."""
    workers = site_dir / WORKERS
    if not workers.is_dir():
        return []
    return [path for path in sorted(workers.glob("*.js")) if not path.name.endswith(EMBEDDED_SUFFIX)]


def compress_search_index(site_dir: Path) -> bool:
    """Compress the documents of the search index of the built site ``site_dir`` and teach the search worker to
    load them (see the module notes); return whether it did. Only Material's worker learns it: a site of another
    theme keeps its index as it is."""
    path = site_dir / SEARCH_INDEX
    workers = search_workers(site_dir)
    if not path.is_file() or not workers:
        return False
    text = path.read_text(encoding="utf-8")
    data: Any = json.loads(text)
    if not isinstance(data, dict) or not data.get("docs"):
        (site_dir / COMPRESSED_INDEX).unlink(missing_ok=True)  # left by an earlier build
        return False
    # Level 6: level 9 takes four times as long (0.45 s for 5 MB) to save under 1 %.
    (site_dir / COMPRESSED_INDEX).write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0))
    empty = {key: value for key, value in data.items() if key != "docs"} | {"docs": []}
    path.write_text(json.dumps(empty, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    prelude = worker_prelude()
    for worker in workers:
        source = worker.read_text(encoding="utf-8")
        if not source.startswith(_PRELUDE_START):  # ``mkdocs serve`` may rebuild over a written site
            worker.write_text(prelude + source, encoding="utf-8")
    return True


def read_search_index(site_dir: Path) -> str | None:
    """The whole search index of the built site ``site_dir`` as JSON text (from the compressed file once
    :func:`compress_search_index` has run), or ``None`` when the site has no search index."""
    compressed = site_dir / COMPRESSED_INDEX
    if compressed.is_file():
        return gzip.decompress(compressed.read_bytes()).decode("utf-8")
    path = site_dir / SEARCH_INDEX
    return path.read_text(encoding="utf-8") if path.is_file() else None
