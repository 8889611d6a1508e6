"""One repository of IBM Cloud docs Markdown: what is in it, and the one renderer configured for it.

Every entry point (``troubledocs build|serve|index``, the MkDocs plugin, the generated MkDocs config) asks this
module what a repository is, so that they cannot disagree:

* **pages**: the ``.md`` files published as pages, in MkDocs's build order;
* **fragments**: Markdown that pages reuse and that is never published (``conref.md``, ``_include-segments/``, see
  :mod:`troubledocs.repository.publishing`);
* **build inputs**: files that configure the build and are not part of the site (the TOC, ``keyref.yaml`` …);
* the **TOC** (``toc.yaml``, or the legacy ``toc`` file), the **keyword map**, and the **site context** (topic ids,
  links, reuse, translations) that the one :class:`~troubledocs.renderer.Renderer` of a build is given.

This module does not import MkDocs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
import os
from pathlib import Path, PurePosixPath

from troubledocs.boundary import refusal
from troubledocs.keywords import KeywordMap
from troubledocs.renderer import Renderer
from troubledocs.repository.context import SiteContext
from troubledocs.repository.publishing import is_fragment
from troubledocs.sanitize import template_text

#: TOC files, in the order they are looked for.
TOC_FILES = ("toc.yaml", "toc")
#: Files that configure IBM's build of a repository (besides the TOC): never pages or assets of the site.
BUILD_FILES = frozenset({"keyref.yaml", ".build.yaml"})
#: Root folders MkDocs leaves out of a site (its default ``exclude_docs`` besides hidden files).
EXCLUDED_FOLDERS = ("templates",)


def list_files(root: Path) -> list[str]:
    """Every file under ``root`` (POSIX paths, relative) in MkDocs's order: folder by folder (sorted), a folder's
    ``index``/``README`` first; hidden files and folders skipped, as MkDocs does, and symlinks that leave the
    repository or loop (:mod:`troubledocs.boundary`: the adapter reports them)."""
    found: list[str] = []

    def refused(folder: str, name: str) -> bool:
        # Only a symlink can be refused: the walk entered this folder, so every link on its way was accepted.
        path = Path(folder) / name
        return path.is_symlink() and refusal(root, path) is not None

    for folder, dirs, names in os.walk(root, followlinks=True):
        base = Path(folder).relative_to(root).as_posix()
        prefix = "" if base == "." else f"{base}/"
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".") and not (not prefix and d in EXCLUDED_FOLDERS) and not refused(folder, d)
        )
        visible = (name for name in names if not name.startswith(".") and not refused(folder, name))
        found.extend(prefix + name for name in sorted(visible, key=_first_index))
    return found


def _first_index(name: str) -> tuple[bool, str]:
    return (PurePosixPath(name).stem not in ("index", "README"), name)


def _shadowed_readme(path: str, present: set[str]) -> bool:
    folder, _, name = path.rpartition("/")
    return name == "README.md" and (f"{folder}/index.md" if folder else "index.md") in present


def read_source(path: Path) -> str:
    """A source file's text as MkDocs reads it (a byte-order mark dropped), bad UTF-8 bytes as U+FFFD."""
    return path.read_text(encoding="utf-8-sig", errors="replace")


@dataclass
class Repository:
    """A source folder and its keyword files; :meth:`context` and :meth:`renderer` are made once, on demand."""

    root: Path
    keywords: KeywordMap
    #: Every file, POSIX paths relative to ``root``, in MkDocs's order (see :func:`list_files`).
    files: list[str]
    #: The TOC file in use (relative to ``root``), or ``None`` when the repository has none.
    toc_file: str | None = None
    #: The keyword files given besides the repository's own ``keyref.yaml``.
    keyword_files: tuple[Path, ...] = ()
    #: The other repositories of a multi-repository build, by folder name (``{{../NAME/…}}`` includes).
    siblings: dict[str, Path] = field(default_factory=dict)
    #: Pages the build adds to the site (``import_pages``, a generated ``index.md``), set before :meth:`context`.
    added_pages: tuple[str, ...] = ()
    _context: SiteContext | None = field(default=None, repr=False)
    _renderer: Renderer | None = field(default=None, repr=False)

    @classmethod
    def open(
        cls,
        root: Path | str,
        keyword_files: Iterable[Path | str] = (),
        toc_file: str | None = None,
        siblings: dict[str, Path] | None = None,
    ) -> Repository:
        """Read what ``root`` holds (not its pages yet). ``toc_file`` overrides the TOC files looked for;
        raises :class:`~troubledocs.keywords.KeywordFileError` for a keyword file that cannot be read."""
        root = Path(root)
        extra = tuple(Path(path) for path in keyword_files)
        files = list_files(root)
        present = set(files)
        toc = next((name for name in ((toc_file,) if toc_file else TOC_FILES) if name in present), None)
        return cls(root, KeywordMap.for_source(root, extra), files, toc, extra, dict(siblings or {}))

    @property
    def pages(self) -> list[str]:
        """The ``.md`` files published as pages, in build order (a ``README.md`` beside an ``index.md`` is not one:
        MkDocs publishes the index in its place)."""
        present = set(self.files)
        return [
            path
            for path in self.files
            if path.endswith(".md") and not is_fragment(path) and not _shadowed_readme(path, present)
        ]

    def is_published(self, path: str) -> bool:
        """Whether the file at ``path`` belongs in the site (a page or an asset; not a fragment or build input)."""
        build_input = path in BUILD_FILES or path in TOC_FILES or path == self.toc_file
        return not build_input and not is_fragment(path)

    def unpublished(self) -> list[str]:
        """The repository's files that a site leaves out."""
        return [path for path in self.files if not self.is_published(path)]

    def read(self, path: str) -> str:
        """The text of the file at ``path`` (see :func:`read_source`)."""
        return read_source(self.root / PurePosixPath(path))

    def context(self) -> SiteContext:
        """The whole-repository context (topic ids, TOC navigation, links, reuse, translations), read once.

        Navigation labels are HTML: keywords substituted in their text, escaped, as MkDocs themes print them."""
        if self._context is None:
            keywords = self.keywords
            self._context = SiteContext.load(
                self.root,
                [path for path in self.files if self.is_published(path)],
                self.pages,
                lambda text: template_text(keywords.substitute(text, markdown=False).text),
                self.toc_file,
                self.siblings,
                self.added_pages,
            )
        return self._context

    def renderer(self) -> Renderer:
        """The build's one renderer: this repository's keywords, links and reuse."""
        if self._renderer is None:
            self._renderer = Renderer(keywords=self.keywords)
            self.context().attach(self._renderer)
        return self._renderer
