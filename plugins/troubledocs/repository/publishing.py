"""Which Markdown files of a repository become pages of the site, and which page is its landing page.

Not every ``.md`` file is a page: ``conref.md`` (also in a translation folder) and the include segments (files
under a folder whose name starts with ``_``, IBM's ``_include-segments/``) are fragments that pages reuse, and a
``README.md`` describes the repository, not the service. MkDocs would also publish ``README.md`` at the URL of
an ``index.md`` beside it (and warn about the clash). The landing page (the site's ``index.html``) is ``index.md``
when the repository has one, else the topic the TOC's ``href`` names, else the TOC's first topic; without either,
the build generates one.
"""

from __future__ import annotations

from collections.abc import Iterable
import posixpath

from troubledocs.repository.topics import language_of

CONREF_FILE = "conref.md"
INDEX = "index.md"
README = "README.md"


def is_fragment(path: str) -> bool:
    """Whether ``path`` (POSIX, relative to the source root) is reused content rather than a page."""
    folders = path.split("/")[:-1]
    language = language_of(path)
    in_language_root = posixpath.dirname(path) == (f"nl/{language}" if language else "")
    return (posixpath.basename(path) == CONREF_FILE and in_language_root) or any(
        folder.startswith("_") for folder in folders
    )


def unpublished(pages: Iterable[str], listed: set[str] | None, added: Iterable[str] = ()) -> list[str]:
    """The ``pages`` the site leaves out, sorted. ``listed``: the pages the TOC names (``None`` without a TOC);
    ``added``: pages the build adds itself (a generated ``index.md``)."""
    present = set(pages)
    everything = present | set(added)
    left_out = []
    for path in sorted(present):
        folder = posixpath.dirname(path)
        if is_fragment(path) or (
            posixpath.basename(path) == README
            and (
                posixpath.join(folder, INDEX) in everything
                or (not folder and listed is not None and path not in listed)
            )
        ):
            left_out.append(path)
    return left_out
