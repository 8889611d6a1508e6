"""The guard of the Material/MkDocs optimisations: what each one imitates or replaces, by SHA-256.

Each optimisation of the MkDocs adapter reproduces, or hooks into, a part of Material for MkDocs or MkDocs: a
template, a function, a class, a script of the theme. :data:`FINGERPRINTS` holds the SHA-256 of each such part in
the versions the optimisation was checked against. When the installed version's part has another hash, the
optimisation steps aside (the build takes Material's or MkDocs's own path) and the build logs one INFO line
(:func:`stepping_aside`). ``python -m troubledocs.material.fingerprints`` prints the installed parts' hashes: after
checking an optimisation against a new version (``tests/test_theme_rendering.py``, the browser tests), add them.

This module imports neither MkDocs nor Material: it reads their source. What it read is kept between builds
(:data:`CACHE_FILE`, by part, with the size and modification time of the file each part is in): finding a class's
source in its module costs a small build more than the optimisation it guards.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
import hashlib
import importlib
import importlib.util
import inspect
import json
import os
from pathlib import Path
import sys

#: The optimisations, each switchable with the plugin's ``optimize:`` option (see :mod:`troubledocs.mkdocs_adapter.config`).
OPTIMISATIONS = (
    "theme_nav",
    "theme_pages",
    "material_search",
    "compressed_search",
    "file_search",
    "csp",
    "lean",
    "theme_files",
)


@dataclass(frozen=True)
class Part:
    """A part of an installed package: ``package:path/in/it`` (a file; a ``*`` matches the theme's hashed names)
    or ``module:Qualified.name`` (the source of a function or class)."""

    source: str
    #: The part's SHA-256 in each version the optimisation was checked against.
    known: frozenset[str]


def _part(source: str, *known: str) -> Part:
    return Part(source, frozenset(known))


_NAV = "material:templates/partials/nav.html"
_NAV_ITEM = "material:templates/partials/nav-item.html"
_BASE = "material:templates/base.html"
_WORKER = "material:templates/assets/javascripts/workers/search.*.min.js"
_BUNDLE = "material:templates/assets/javascripts/bundle.*.min.js"
_SEARCH = "material.plugins.search.plugin"
_WORKER_SHA = "da1b3df5e5f00cc73083c9e21ff0ec28bde85cd247057bdd05b7a167e5903bd4"
_BASE_SHA = "a919e32d2225e09ecbdeb8076ca6ce9ca0836329760bf7871a04172569b77842"

#: The distributions whose parts :data:`FINGERPRINTS` was last checked against, and their versions.
CHECKED_VERSIONS = {"mkdocs-material": "9.8.2", "mkdocs": "1.6.1", "properdocs": "1.6.7", "jinja2": "3.1.6"}
#: What each optimisation imitates or replaces, with the hashes of :data:`CHECKED_VERSIONS`.
FINGERPRINTS: dict[str, tuple[Part, ...]] = {
    # Python stands in for the theme's navigation partials.
    "theme_nav": (
        _part(_NAV, "af33f6e032f632eb055c365eb5f1a975bf8456152fa768e69a1aad6d470b843f"),
        _part(_NAV_ITEM, "89895208f22d68ce405a4bcb6649b9150eba5bbb04663a6cb3f93f02daf1d2f7"),
    ),
    # Workers render each page's template as MkDocs's ``_build_page`` does, with its ``get_context``. Under
    # ProperDocs, ``mkdocs.*`` is ProperDocs's code (its versions differ in names only).
    "theme_pages": (
        _part(
            "mkdocs.commands.build:_build_page",
            "adcdbd14b236112697cafec9171bd281981f15a776e0d2f941a62e7bffd9a0d5",
            "a921d5be3f1bcca924d2c3442c443dcf32519dbec0021f9a6d26ec9d4e387f83",
        ),
        _part(
            "mkdocs.commands.build:get_context",
            "4b4bf8a076edc4a6db12bd98dd89ca78fa6db41608f96634fee1e1ecc5d2b511",
            "5d3114ef7a9449e01c54c5c3fa0a5dcd07fc062d921acc887cad3361c566f023",
        ),
    ),
    # Workers cut the search sections as Material's parser does; the index takes them instead of parsing.
    "material_search": (
        _part(f"{_SEARCH}:Parser", "3227e18afa8a20e15210cd0e298b6edee838f72f05024bd5d191dae87f57fa2b"),
        _part(
            f"{_SEARCH}:SearchIndex.add_entry_from_context",
            "4ca78ac4321f7704149f84dac0abc5a26afbd7c43de197ce7f481dcab47edb7b",
        ),
        _part(
            f"{_SEARCH}:SearchIndex.create_entry_for_section",
            "89d7541516b0a9c485513f1046a4829285c1f5cea49958b2aa32e1dc94ca2ce8",
        ),
        # It strips ``data-search-*`` attributes right after indexing a page (a page without them is held aside).
        _part(
            f"{_SEARCH}:SearchPlugin.on_page_context",
            "33eb62fd1688be4d99a4e7bf8fc51c1be3d37602b63ad5327c9be3abf5dc8d50",
        ),
    ),
    # A prelude before the search worker answers its setup message with the decompressed documents; pages load
    # the worker from the URL in ``__config`` (written by ``base.html``) with a version.
    "compressed_search": (_part(_WORKER, _WORKER_SHA), _part(_BASE, _BASE_SHA)),
    # On ``file://`` the shim starts the theme's workers from Blobs and the bundle reads ``search_index.js``.
    "file_search": (
        _part(_BUNDLE, "b9a1ef14b5e91ad61fa8d7dd42e1f55e6af0ebd224bc8970dff0e7d7311b172f"),
        _part(_WORKER, _WORKER_SHA),
    ),
    # The theme's inline scripts (``base.html``) move to files.
    "csp": (_part(_BASE, _BASE_SHA),),
    # The theme's static files listed without walking hidden folders, which MkDocs's exclusion patterns refuse
    # (troubledocs.mkdocs_adapter.theme_env), as Jinja lists a folder's templates.
    "theme_files": (
        _part(
            "mkdocs.structure.files:Files.add_files_from_theme",
            "0169dd2b1c22ca136924ca9136a97b690ba2711d8896258e5858a237c186a12e",
            "f18ac4718cf543006546de872c6c54d848fa4cdb800ea867dd87c9aa8f717967",
        ),
        _part(
            "jinja2.loaders:FileSystemLoader.list_templates",
            "320387ffb0e553d20aacbf18baac21aad3fd0241ccc85d7cd40fd0121d63bc11",
        ),
        _part(
            "jinja2.environment:Environment.list_templates",
            "666d33e008ce8bd1609542ae8328697f22100f716d13953cec8da95abeecaffc",
        ),
    ),
    # The search index written by Material's plugin is rewritten as plain text.
    "lean": (
        _part(
            f"{_SEARCH}:SearchIndex.generate_search_index",
            "59ba9853f37a2b42be727cb61044b3fb08817c3d022b21e32389725b290176b4",
        ),
    ),
}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def cache_file() -> Path:
    """Where the fingerprints of installed parts are kept between builds."""
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "troubledocs" / "fingerprints.json"


@cache
def fingerprint(source: str) -> str | None:
    """The SHA-256 of the installed ``source`` (see :class:`Part`), or ``None`` when it is not installed."""
    owner, _, name = source.partition(":")
    found: object = None
    if "/" in name:
        spec = importlib.util.find_spec(owner)
        if spec is None or spec.origin is None:
            return None
        files = sorted(Path(spec.origin).parent.glob(name))
    else:
        try:
            found = importlib.import_module(owner)
            for attribute in name.split("."):
                found = getattr(found, attribute)
            files = [Path(inspect.getfile(found))]  # type: ignore[arg-type]
        except (ImportError, AttributeError, OSError, TypeError):
            return None
    if not files:
        return None
    try:
        stamp = [[str(path), path.stat().st_size, path.stat().st_mtime_ns] for path in files]
    except OSError:
        return None
    # Keyed by the part and where it is installed: builds of several environments share the cache.
    key = f"{source} {files[0]}"
    known = _cached().get(key)
    if isinstance(known, list) and len(known) == 2 and known[0] == stamp:
        return str(known[1])
    try:
        if found is None:
            digest = _digest(b"".join(path.read_bytes() for path in files))
        else:
            digest = _digest(inspect.getsource(found).encode("utf-8"))  # type: ignore[arg-type]
    except (OSError, TypeError):
        return None
    _remember(key, [stamp, digest])
    return digest


@cache
def _cached() -> dict[str, object]:
    """The fingerprints kept by earlier builds, by part (read once per process)."""
    try:
        kept = json.loads(cache_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return kept if isinstance(kept, dict) else {}


def _remember(key: str, entry: list[object]) -> None:
    """Keep a part's fingerprint for later builds (written whole, then renamed: builds may run at once)."""
    kept = _cached()
    kept[key] = entry
    path = cache_file()
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(json.dumps(kept), encoding="utf-8")
        partial.replace(path)
    except OSError:  # a read-only cache: compute it again next time
        partial.unlink(missing_ok=True)


def changed(optimisation: str, table: Mapping[str, Iterable[Part]] | None = None) -> list[str]:
    """The parts ``optimisation`` imitates whose installed version it was not checked against (``table``:
    :data:`FINGERPRINTS` unless given)."""
    parts = (FINGERPRINTS if table is None else table).get(optimisation, ())
    return [part.source for part in parts if fingerprint(part.source) not in part.known]


def stepping_aside(
    wanted: Iterable[str], table: Mapping[str, Iterable[Part]] | None = None
) -> tuple[set[str], str | None]:
    """Of the ``wanted`` optimisations, those that may run, and the one INFO line naming the others (``None``
    when every wanted one may run)."""
    active: set[str] = set()
    unknown: dict[str, list[str]] = {}
    for optimisation in wanted:
        parts = changed(optimisation, table)
        if parts:
            unknown[optimisation] = parts
        else:
            active.add(optimisation)
    if not unknown:
        return active, None
    parts = sorted({part for found in unknown.values() for part in found})
    message = (
        f"optimisations {', '.join(sorted(unknown))} step aside (Material's and MkDocs's own code builds that "
        f"part): they were not checked against the installed {', '.join(parts)}"
    )
    return active, message


def main() -> None:
    """Print the installed fingerprint of every part (for :data:`FINGERPRINTS`)."""
    for optimisation, parts in FINGERPRINTS.items():
        for part in parts:
            sys.stdout.write(f"{optimisation}\t{part.source}\t{fingerprint(part.source)}\n")


if __name__ == "__main__":
    main()
