"""How the MkDocs adapter logs diagnostics: ``path:LINE: [CODE] message``, paths as a terminal opens them.

Only the MkDocs adapter imports this module.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.plugins import get_plugin_logger

from troubledocs.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from collections.abc import Iterable

    from mkdocs.structure.files import File

log = get_plugin_logger("troubledocs.plugin")

#: Diagnostic codes that ``strict_keywords: false`` demotes to INFO.
KEYWORD_CODES = frozenset({"TD101"})


@dataclasses.dataclass
class Reporter:
    """Logs a build's diagnostics; WARNINGs fail ``mkdocs build --strict``."""

    docs_dir: Path
    strict_keywords: bool = True
    #: Source file of each page whose content the plugin supplies (``import_pages``, pages repaired or replaced
    #: when read), keyed by its path in the docs; MkDocs no longer knows it for those.
    sources: dict[str, str] = dataclasses.field(default_factory=dict)

    def level(self, diagnostic: Diagnostic) -> int:
        if diagnostic.code in KEYWORD_CODES and not self.strict_keywords:
            return logging.INFO
        return logging.ERROR if diagnostic.severity is Severity.ERROR else logging.WARNING

    def page(self, diagnostics: Iterable[Diagnostic], file: File) -> None:
        """Log the diagnostics of the page ``file`` (a diagnostic without a path is the page's own)."""
        where = self.display_path(file)
        for diagnostic in diagnostics:
            shown = diagnostic
            if diagnostic.path in ("", file.src_uri):
                shown = dataclasses.replace(diagnostic, path=where)
            log.log(self.level(diagnostic), str(shown))

    def site(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Log diagnostics whose paths are relative to ``docs_dir``."""
        for diagnostic in diagnostics:
            log.log(self.level(diagnostic), str(self._in_docs(diagnostic)))

    def read(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Log diagnostics whose paths are already shown as a terminal opens them."""
        for diagnostic in diagnostics:
            log.log(self.level(diagnostic), str(diagnostic))

    def _in_docs(self, diagnostic: Diagnostic) -> Diagnostic:
        """``diagnostic`` with its path as the terminal shows it (relative to the working directory)."""
        try:
            return dataclasses.replace(diagnostic, path=os.path.relpath(self.docs_dir / diagnostic.path))
        except ValueError:  # another drive (Windows)
            return diagnostic

    def display_path(self, file: File) -> str:
        """The page's file as an editor or terminal opens it: relative to the working directory."""
        source = self.sources.get(file.src_uri) or file.abs_src_path
        if source is None:
            return file.src_uri
        try:
            return os.path.relpath(source)
        except ValueError:  # another drive (Windows)
            return source
