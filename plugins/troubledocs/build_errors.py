"""Pages a build cannot take as they are: read them without losing them, and show an error page for the rest.

* A page that is not valid UTF-8 is decoded with U+FFFD for each bad byte and builds; the warning names the line
  of the first bad byte (``TD010``). Everything else on the page survives.
* A file with a ``.md`` name that holds NUL bytes is not text (an image saved under the wrong name): it is not
  rendered as Markdown (``TD011``).
* A file that cannot be read (a dangling symbolic link, no permission, an I/O error) is ``TD012``.
* A page that cannot be read, or whose rendering fails, is replaced in the site by an error page that names the
  file and the problem, so that the navigation and links to it still lead somewhere (``TD901`` for a failure of
  the renderer itself).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
import html
from pathlib import Path

from troubledocs.diagnostics import Diagnostic, Severity

#: How much of a file is looked at for NUL bytes (as git does): enough for any binary format's header.
_SNIFF_BYTES = 8192


@dataclass
class PageSource:
    """The text of a page, or ``None`` when the file is not a readable text file; and what reading it found."""

    text: str | None
    diagnostics: list[Diagnostic] = field(default_factory=list)


def read_page(path: Path, shown: str) -> PageSource:
    """Read ``path`` as MkDocs would (UTF-8, an optional BOM), but never raise; ``shown`` names it in messages."""
    try:
        data = path.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        return PageSource(
            None, [Diagnostic(shown, 0, "TD012", f"cannot read the file: {reason}", Severity.ERROR)]
        )
    if b"\0" in data[:_SNIFF_BYTES]:
        return PageSource(
            None, [Diagnostic(shown, 0, "TD011", "not a text file (it holds NUL bytes); not rendered")]
        )
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return PageSource(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        message = (
            f"invalid UTF-8 (byte 0x{data[error.start]:02x}); "
            "each invalid byte is shown as U+FFFD, the rest of the page is kept"
        )
        return PageSource(data.decode("utf-8", errors="replace"), [Diagnostic(shown, line, "TD010", message)])


def error_page(path: str, problem: str) -> str:
    """The HTML shown in place of a page that could not be built: which file, and why."""
    return (
        '<h1 id="page-not-built">This page could not be built</h1>\n'
        '<div class="admonition failure td-build-error">\n'
        '<p class="admonition-title">Build error</p>\n'
        f"<p>The source file <code>{html.escape(path)}</code> could not be built: {html.escape(problem)}</p>\n"
        "<p>The build log names the file and the problem; fix the file and build the site again.</p>\n"
        "</div>\n"
    )
