"""How the MkDocs adapter logs diagnostics: ``path:LINE: [CODE] message``, paths as a terminal opens them.

Every diagnostic goes through :meth:`Reporter.log`: codes the build ignores are only counted; an unknown
keyword is reported once, at its first use, with how often it occurs (each use at debug level, ``--verbose``);
information codes that only matter as a number (``TD610``) are counted; a problem in reused text points into
the file that holds it (the page's :class:`~troubledocs.diagnostics.LineMap`). :meth:`Reporter.finish` prints
the recurring problems and the summary by code at the end of the build.

Only the MkDocs adapter imports this module.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.plugins import get_plugin_logger

from troubledocs.diagnostics import Diagnostic, LineMap, Severity, Summary
from troubledocs.keyword_uses import keyword_uses

if TYPE_CHECKING:
    from collections.abc import Iterable

    from mkdocs.structure.files import File

    from troubledocs.keywords import KeywordMap

log = get_plugin_logger("troubledocs.mkdocs_adapter.plugin")

#: Diagnostic codes that ``strict_keywords: false`` demotes to INFO.
KEYWORD_CODES = frozenset({"TD101"})
#: Codes reported once per subject (an unknown keyword's name) at the end of the build, with the count and the
#: first place; each occurrence is logged at debug level (``--verbose``).
ONCE_PER_SUBJECT = frozenset({"TD101"})
#: Information codes only counted in the summary (each occurrence at debug level).
COUNTED_ONLY = frozenset({"TD610"})
#: How many names an inference line lists before "and N more".
_LISTED = 8


@dataclasses.dataclass
class Reporter:
    """Logs a build's diagnostics; WARNINGs fail ``mkdocs build --strict``."""

    docs_dir: Path
    strict_keywords: bool = True
    #: Source file of each page whose content the plugin supplies (``import_pages``, pages repaired or replaced
    #: when read), keyed by its path in the docs; MkDocs no longer knows it for those.
    sources: dict[str, str] = dataclasses.field(default_factory=dict)

    #: Diagnostic codes not to report (the plugin's ``ignore`` option); still counted.
    ignore: frozenset[str] = frozenset()
    #: Where the lines of each page with reused text come from, by source path (see ``RenderedPage.lines``).
    line_maps: dict[str, LineMap] = dataclasses.field(default_factory=dict)
    summary: Summary = dataclasses.field(default_factory=Summary)
    #: The diagnostics of :data:`ONCE_PER_SUBJECT` codes by code and subject: (diagnostic, as shown) each.
    recurring: dict[tuple[str, str], list[tuple[Diagnostic, Diagnostic]]] = dataclasses.field(
        default_factory=dict
    )

    def level(self, diagnostic: Diagnostic) -> int:
        if diagnostic.severity is Severity.INFO:
            return logging.INFO
        if diagnostic.code in KEYWORD_CODES and not self.strict_keywords:
            return logging.INFO
        return logging.ERROR if diagnostic.severity is Severity.ERROR else logging.WARNING

    def page(self, diagnostics: Iterable[Diagnostic], file: File, *, generated: bool = False) -> None:
        """Log the diagnostics of the page ``file`` (a diagnostic without a path is the page's own; one with
        another path is in reused text). A page the build ``generated`` itself logs them at debug level only:
        a writer could not act on them."""
        where = self.display_path(file)
        for diagnostic in diagnostics:
            if diagnostic.path in ("", file.src_uri):
                shown = dataclasses.replace(diagnostic, path=where)
            else:
                shown = self._in_docs(diagnostic)
            if generated:
                log.debug(str(shown))
            else:
                self.log(diagnostic, shown)

    def site(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Log diagnostics whose paths are relative to ``docs_dir`` (lines of a page with reused text located)."""
        for found in diagnostics:
            lines = self.line_maps.get(found.path)
            diagnostic = lines.locate(found) if lines is not None else found
            self.log(diagnostic, self._in_docs(diagnostic))

    def read(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Log diagnostics whose paths are already shown as a terminal opens them."""
        for diagnostic in diagnostics:
            self.log(diagnostic, diagnostic)

    def log(self, diagnostic: Diagnostic, shown: Diagnostic) -> None:
        """Log ``shown`` (``diagnostic`` with its path as the terminal shows it) and count it for the summary."""
        if diagnostic.code in self.ignore:
            self.summary.add(diagnostic.code, str(shown), ignored=True)
            log.debug(str(shown))
        elif diagnostic.code in ONCE_PER_SUBJECT and diagnostic.subject:
            self.recurring.setdefault((diagnostic.code, diagnostic.subject), []).append((diagnostic, shown))
            log.debug(str(shown))
        elif diagnostic.code in COUNTED_ONLY:
            self.summary.add(diagnostic.code, str(shown), info=True)
            log.debug(str(shown))
        else:
            level = self.level(diagnostic)
            self.summary.add(diagnostic.code, str(shown), info=level < logging.WARNING)
            log.log(level, str(shown))

    def inferences(self, keywords: KeywordMap, root: Path, files: list[str]) -> None:
        """One line per inference rule that gave a value to keywords the repository uses."""
        if not keywords.inferences:
            return
        uses = keyword_uses(root, files)
        for inference in keywords.inferences:
            used = [name for name in inference.names if name in uses]
            if not used:
                continue
            names = ", ".join(f"{name} ({uses[name].count})" for name in used[:_LISTED])
            more = f" and {len(used) - _LISTED} more" if len(used) > _LISTED else ""
            message = (
                f"{len(used)} keywords took their value from a sibling by the rule '{inference.rule}': "
                f"{names}{more} ('troubledocs keywords SRC' lists them)"
            )
            diagnostic = Diagnostic("", 0, "TD102", message, Severity.INFO)
            self.log(diagnostic, diagnostic)

    def finish(self) -> None:
        """Each recurring problem once, at its first place, with how often it occurs; then the summary."""
        for occurrences in self.recurring.values():
            diagnostic, shown = occurrences[0]
            if len(occurrences) > 1:
                files = len({d.path for d, _ in occurrences})
                where = f"in {files} files" if files > 1 else "in this file"
                note = f" ({len(occurrences)} times {where}, first here; --verbose lists each)"
                shown = dataclasses.replace(shown, message=shown.message + note)
            level = self.level(diagnostic)
            self.summary.add(diagnostic.code, str(shown), info=level < logging.WARNING)
            log.log(level, str(shown))
        self.recurring = {}
        for line in self.summary.lines():
            log.info(line)
        self.summary = Summary()

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
