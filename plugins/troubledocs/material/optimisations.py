"""The Material-specific optimisations of a build, switchable and guarded.

Each optimisation (:data:`troubledocs.material.fingerprints.OPTIMISATIONS`) runs only when the ``optimize:`` option leaves
it on and the parts of Material/MkDocs it imitates are ones it was checked against
(:mod:`troubledocs.material.fingerprints`); otherwise that part of the build is Material's or MkDocs's own.
:class:`Optimisations` answers which ones run and applies the page-output ones (the post-page step).

Only the MkDocs adapter imports this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.utils import get_relative_url

from troubledocs.material.compressed_search import compress_search_index, versioned_worker
from troubledocs.material.csp import csp_ready_page, theme_scripts
from troubledocs.material.fingerprints import OPTIMISATIONS, stepping_aside
from troubledocs.material.lean import compact_html, lean_search_index, prune_theme_assets

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page


@dataclass(frozen=True)
class Optimisations:
    """The optimisations that run in this build."""

    active: frozenset[str] = frozenset(OPTIMISATIONS)

    @classmethod
    def for_build(cls, options: Any) -> tuple[Optimisations, str | None]:
        """Those of ``options`` (the ``optimize:`` sub-config) that are on and whose fingerprints match, and the
        INFO line naming those that step aside (``None`` when none does)."""
        active, message = stepping_aside(name for name in OPTIMISATIONS if options[name])
        return cls(frozenset(active)), message

    def __contains__(self, name: str) -> bool:
        return name in self.active

    def prepare(self, config: MkDocsConfig) -> None:
        """Read what the post-page step needs from the theme (its inline scripts) once, before workers that run
        that step are forked: each would otherwise read every template of the theme itself."""
        if "csp" in self:
            theme_scripts(config.theme.dirs)

    def finish_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        """The post-page step: the theme's output made to work under a strict Content-Security-Policy
        (:mod:`troubledocs.material.csp`), without the theme's indentation (:mod:`troubledocs.material.lean`), loading the
        search worker the build changed under a new URL (:mod:`troubledocs.material.compressed_search`)."""
        output = self._csp_ready(output, get_relative_url(".", page.url), config)
        if "lean" in self:
            output = compact_html(output)
        return versioned_worker(output) if "compressed_search" in self else output

    def finish_template(self, output: str, root: str, config: MkDocsConfig) -> str:
        """The same for the theme's other pages (``404.html``), whose URLs start at ``root``."""
        output = self._csp_ready(output, root, config)
        return versioned_worker(output) if "compressed_search" in self else output

    def _csp_ready(self, output: str, root: str, config: MkDocsConfig) -> str:
        """``output`` made to work under a strict Content-Security-Policy (see :mod:`troubledocs.material.csp`); the script
        files it now loads (from under ``root``) are written to the site."""
        if "csp" not in self:
            return output
        output, scripts = csp_ready_page(output, root, theme_scripts(config.theme.dirs))
        for dest, script in scripts.items():
            path = Path(config.site_dir) / dest
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(script, encoding="utf-8")
        return output


def finish_search_index(site_dir: Path, *, lean: bool, compress: bool, plain: bool = False) -> None:
    """The search of the built site ``site_dir`` made lean (plain text, only the stemmers its languages need) and
    its index compressed, as far as those optimisations run (in a worker: a module-level function); ``plain``:
    the index's texts are plain already (see :func:`troubledocs.material.lean.lean_search_index`)."""
    if lean:
        prune_theme_assets(site_dir, lean_search_index(site_dir, plain=plain))
    if compress:
        compress_search_index(site_dir)
