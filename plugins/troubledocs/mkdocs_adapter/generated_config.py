"""The MkDocs configuration ``troubledocs build``/``serve`` use for a folder that has no ``mkdocs.yml``.

This module only makes a plain dict (and writes it as YAML); the commands hand it to MkDocs. The generated
file goes to a temporary folder, never into the source folder, and every path in it is absolute.
"""

from __future__ import annotations

from collections.abc import Iterable
import html
from pathlib import Path
import re
from typing import Any

import yaml

from troubledocs.repository.model import Repository
from troubledocs.repository.publishing import INDEX
from troubledocs.source_lines import first_h1, heading_text
from troubledocs.yaml_safe import load_yaml

_KEYWORD = re.compile(r"\{\{[^}]*\}\}")

#: Material features. ``navigation.instant`` follows links without reloading the page, so the troubleshooter's
#: runtime stays booted from page to page (the theme keeps plain page loads from ``file://``; see
#: :mod:`troubledocs.material.instant_nav` for sites served away from ``site_url``); ``navigation.prune`` keeps each
#: page's copy of a 500-page navigation small.
FEATURES = [
    "content.code.copy",
    "navigation.footer",
    "navigation.instant",
    "navigation.prune",
    "navigation.top",
    "search.highlight",
    "search.suggest",
    "toc.follow",
]

#: Follow the reader's system preference, with a toggle for light and dark.
PALETTE = [
    {
        "media": "(prefers-color-scheme: light)",
        "scheme": "default",
        "primary": "indigo",
        "accent": "indigo",
        "toggle": {"icon": "material/brightness-7", "name": "Switch to dark mode"},
    },
    {
        "media": "(prefers-color-scheme: dark)",
        "scheme": "slate",
        "primary": "indigo",
        "accent": "indigo",
        "toggle": {"icon": "material/brightness-4", "name": "Switch to light mode"},
    },
]


def site_name(repository: Repository) -> str:
    """The label of the ``toc.yaml``, else the first H1 of ``index.md``, else the folder's name (a README's title
    names the repository: "Source files for … documentation")."""
    src = repository.root
    label = _toc_label(src / repository.toc_file) if repository.toc_file else ""
    if label:
        return label
    title = _first_h1(src / INDEX) if INDEX in repository.files else ""
    if title:
        return title
    return src.resolve().name.replace("-", " ").replace("_", " ").strip() or "Documentation"


def _toc_label(path: Path) -> str:
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return ""
    toc = data.get("toc") if isinstance(data, dict) else None
    properties = toc.get("properties") if isinstance(toc, dict) else None
    label = properties.get("label") if isinstance(properties, dict) else None
    return label.strip() if isinstance(label, str) else ""


def _first_h1(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    h1 = first_h1(text.splitlines())
    if h1 is None:
        return ""
    # Keyword references are not resolved here; a title made only of them is no title.
    return _KEYWORD.sub("", heading_text(h1.text)).strip()


#: Front matter key of a page that the build writes itself: its diagnostics are not the repository's.
GENERATED = "troubledocs_generated"


def write_home_page(repository: Repository, folder: Path) -> Path | None:
    """A landing page in ``folder`` for a source with neither ``index.md`` nor a TOC (else ``None``, and the TOC's
    first topic is the landing page): without one the site's root URL, which the header links to, would be a 404.
    A ``README.md`` describes the repository, so it is no landing page (see :mod:`troubledocs.repository.publishing`)."""
    if INDEX in repository.files or repository.toc_file is not None:
        return None
    name = site_name(repository)
    path = folder / "home.md"
    path.write_text(
        f"---\n{GENERATED}: true\n---\n# {name}\n\nUse the navigation or the search to find a topic. To find the troubleshooting section for "
        "an error message, paste it into the [Troubleshooter](troubleshooter/index.md).\n",
        encoding="utf-8",
    )
    return path


def default_config(
    repository: Repository,
    site_dir: Path,
    *,
    strict: bool = False,
    dev_addr: str | None = None,
    home: Path | None = None,
    ignore: Iterable[str] = (),
) -> dict[str, Any]:
    """The MkDocs configuration for building ``repository`` into ``site_dir``; ``home``: a generated landing
    page; ``ignore``: diagnostic codes not to report."""
    src = repository.root
    troubledocs: dict[str, Any] = {"keywords": [str(path.resolve()) for path in repository.keyword_files]}
    if ignore:
        troubledocs["ignore"] = list(ignore)
    if repository.toc_file is not None:
        troubledocs["toc_file"] = repository.toc_file
    if home is not None:
        troubledocs["import_pages"] = {"index.md": str(home.resolve())}
    config: dict[str, Any] = {
        # Text, which the theme prints as HTML.
        "site_name": html.escape(site_name(repository)),
        "docs_dir": str(src.resolve()),
        "site_dir": str(site_dir.resolve()),
        # Plain ``page.html`` URLs work from ``file://`` as well as from a server.
        "use_directory_urls": False,
        "strict": strict,
        "theme": {
            "name": "material",
            # No Google Fonts: nothing may leave the site's own files.
            "font": False,
            "palette": PALETTE,
            "features": FEATURES,
        },
        "plugins": ["search", {"troubledocs": troubledocs}],
        # troubledocs renders every page; Python-Markdown only sees an empty stub.
        "markdown_extensions": [],
    }
    if dev_addr is not None:
        config["dev_addr"] = dev_addr
    return config


def write_config(config: dict[str, Any], folder: Path) -> Path:
    """Write ``config`` as ``folder/mkdocs.yml`` and return its path."""
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path
