"""The theme's Jinja environments made cheaper: MkDocs makes a new one for every use (the build's, and one each
time Material's search plugin reads a translation), and lists the theme's files through one.

* :func:`share_compiled_templates`: every environment of the theme loads the templates compiled once per user
  (:func:`template_cache`; Jinja checks each template's source before using its cached code).
* :func:`list_visible_files` (the ``theme_files`` optimisation): MkDocs finds the theme's static files by listing
  every file of the theme's folders and testing each against its exclusion patterns, which refuse every hidden
  file and everything in a hidden folder (``.*``, ``*/.*``). Material keeps some 14,000 icons in ``.icons``: the
  listing MkDocs asks for skips hidden folders and files instead of testing each name, then tests the rest with
  MkDocs's own patterns. The result is the same list (``tests/test_theme_env.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
import os
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import FileSystemBytecodeCache, FileSystemLoader

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.theme import Theme

#: The filter MkDocs's ``Files.add_files_from_theme`` lists the theme's static files with: its modules (MkDocs's,
#: ProperDocs's) and name.
THEME_FILES_MODULES = ("mkdocs.structure.files", "properdocs.structure.files")
THEME_FILES_FILTER = "Files.add_files_from_theme.<locals>.filter"

Filter = Callable[[str], bool]


def template_cache() -> FileSystemBytecodeCache | None:
    """The theme's templates compiled once for every build of this user (Jinja checks each template's source
    before using its cached code): compiling Material's templates costs more than rendering a small site's pages."""
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    folder = Path(root) / "troubledocs" / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder))


def _wrap_get_env(theme: Theme, name: str, change: Callable[[Environment], None]) -> None:
    """Make ``theme.get_env`` apply ``change`` to every environment it makes (once per ``name``)."""
    get_env = theme.get_env
    if name in getattr(get_env, "troubledocs_changes", ()):
        return

    def changed_env() -> Environment:
        env = get_env()
        change(env)
        return env

    changed_env.troubledocs_changes = {name, *getattr(get_env, "troubledocs_changes", ())}  # type: ignore[attr-defined]
    theme.get_env = changed_env  # type: ignore[method-assign]


def share_compiled_templates(theme: Theme) -> None:
    """Every environment ``theme`` makes from now on uses :func:`template_cache`."""
    cache = template_cache()
    if cache is None:
        return

    def use_cache(env: Environment) -> None:
        if env.bytecode_cache is None:
            env.bytecode_cache = cache

    _wrap_get_env(theme, "compiled_templates", use_cache)


def list_visible_files(theme: Theme) -> None:
    """Every environment ``theme`` makes from now on lists the theme's files for MkDocs's static files without
    walking hidden folders (see the module notes); any other listing is Jinja's own."""

    def fast_listing(env: Environment) -> None:
        loader = env.loader
        if not isinstance(loader, FileSystemLoader):
            return
        own = env.list_templates

        def list_templates(
            extensions: Collection[str] | None = None, filter_func: Filter | None = None
        ) -> list[str]:
            if extensions is not None or filter_func is None or not _is_theme_files_filter(filter_func):
                return own(extensions, filter_func)
            listed = visible_files(loader.searchpath, followlinks=loader.followlinks)
            return [name for name in listed if filter_func(name)]

        env.list_templates = list_templates  # type: ignore[method-assign]

    _wrap_get_env(theme, "theme_files", fast_listing)


def _is_theme_files_filter(filter_func: Filter) -> bool:
    return (
        getattr(filter_func, "__module__", None) in THEME_FILES_MODULES
        and getattr(filter_func, "__qualname__", None) == THEME_FILES_FILTER
    )


def visible_files(folders: Iterable[str], *, followlinks: bool = False) -> list[str]:
    """The file names under ``folders`` as Jinja's ``FileSystemLoader.list_templates`` lists them (relative, sorted,
    once each), without hidden files and without anything inside a hidden folder."""
    found: set[str] = set()
    for searchpath in folders:
        for folder, subfolders, names in os.walk(searchpath, followlinks=followlinks):
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]
            base = folder[len(searchpath) :].strip(os.path.sep).replace(os.path.sep, "/")
            for name in names:
                if not name.startswith("."):
                    found.add((f"{base}/{name}" if base else name).removeprefix("./"))
    return sorted(found)
