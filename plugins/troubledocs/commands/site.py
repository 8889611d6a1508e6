"""What ``troubledocs build`` and ``troubledocs serve`` share: checking their input and MkDocs's logging.

MkDocs is imported inside the functions that drive it, so that ``troubledocs match`` starts without it.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
import contextlib
import gc
import logging
import os
from pathlib import Path
import re
import sys
from typing import TYPE_CHECKING, TextIO

from troubledocs.boundary import refused_folder_links
from troubledocs.keywords import KeywordFileError
from troubledocs.progress import Progress

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

_CODE = re.compile(r"TD\d{3}")


class UsageError(Exception):
    """Bad command-line input: printed as one line, without a traceback."""


def add_keywords_option(parser: argparse.ArgumentParser, help: str) -> None:
    """``--keywords FILE`` (repeatable): keyword files applied after the repository's ``keyref.yaml``."""
    parser.add_argument("--keywords", metavar="FILE", type=Path, action="append", default=[], help=help)


def add_source_arguments(parser: argparse.ArgumentParser, *, many: bool = False) -> None:
    """``SRC`` (with ``many``: ``SRC…``), ``--keywords``, ``--ignore`` and the verbosity flags."""
    if many:
        parser.add_argument(
            "src",
            metavar="SRC",
            type=Path,
            nargs="*",
            help="folder of Markdown pages (no mkdocs.yml needed); several repositories make one site of them",
        )
    else:
        parser.add_argument(
            "src", metavar="SRC", type=Path, help="folder of Markdown pages (no mkdocs.yml needed)"
        )
    add_keywords_option(
        parser,
        "keyword file ('keyword:' YAML map) applied after SRC/keyref.yaml; repeatable, later files win",
    )
    parser.add_argument(
        "--ignore",
        metavar="CODE",
        action="append",
        default=[],
        help="do not report diagnostics with this code (TD606, say: a repository's known defects, so that "
        "--strict stays usable); still counted in the summary; repeatable",
    )
    parser.add_argument(
        "-f",
        "--config-file",
        metavar="FILE",
        type=Path,
        help="use this mkdocs.yml (which lists the troubledocs plugin) instead of the built-in configuration",
    )
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="show warnings and errors only")
    verbosity.add_argument("-v", "--verbose", action="store_true", help="show MkDocs's debug messages")


def check_source(args: argparse.Namespace) -> Path:
    """The source folder, resolved; :class:`UsageError` names what is wrong with the arguments."""
    src: Path = args.src
    if not src.exists():
        raise UsageError(f"source folder '{src}' does not exist")
    if not src.is_dir():
        raise UsageError(f"source '{src}' is not a folder")
    for keywords in args.keywords:
        if not Path(keywords).is_file():
            raise UsageError(f"keyword file '{keywords}' does not exist")
    check_codes(args.ignore)
    if args.config_file is not None:
        if not Path(args.config_file).is_file():
            raise UsageError(f"config file '{args.config_file}' does not exist")
        if args.keywords:
            raise UsageError("with --config-file, list keyword files in it (plugins: troubledocs: keywords:)")
        if args.ignore:
            raise UsageError("with --config-file, list ignored codes in it (plugins: troubledocs: ignore:)")
    refused = refused_folder_links(src)
    if refused:
        found = "\n".join(f"{src / r.link}:1: [TD013] symlink {r.reason}" for r in refused)
        raise UsageError(f"{found}\nMkDocs would follow these folder links: remove them, or build a copy")
    return src.resolve()


def check_codes(codes: list[str]) -> None:
    """:class:`UsageError` for an ``--ignore`` value that is not a diagnostic code."""
    for code in codes:
        if not _CODE.fullmatch(code):
            raise UsageError(f"--ignore takes a diagnostic code such as TD606, not '{code}'")


class _Handler(logging.StreamHandler[TextIO]):
    """MkDocs-style ``LEVEL -  message`` lines that first erase the progress bar."""

    def __init__(self, progress: Progress) -> None:
        super().__init__(sys.stderr)
        self.progress = progress
        self.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.progress.clear()
        super().emit(record)


@contextlib.contextmanager
def mkdocs_logging(args: argparse.Namespace, progress: Progress) -> Iterator[None]:
    """Print MkDocs's log (and so every troubledocs diagnostic) on stderr while the block runs."""
    # Material's banner about MkDocs 2 speaks to people who keep their own mkdocs.yml; troubledocs pins
    # mkdocs<2 and chooses the theme itself, so its users cannot act on it.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logger = logging.getLogger("mkdocs")
    level = logging.WARNING if args.quiet else logging.DEBUG if args.verbose else logging.INFO
    handler = _Handler(progress)
    handler.setLevel(level)
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(min(level, logging.INFO))
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


def fail(command: str, message: str) -> int:
    """Print ``troubledocs COMMAND: error: message`` and return the exit code for a failed run."""
    print(f"troubledocs {command}: error: {message}", file=sys.stderr)  # noqa: T201 - the CLI's own output
    return 1


def run_build(config: MkDocsConfig, progress: Progress) -> int:
    """Run MkDocs's build with a loaded configuration that lists the troubledocs plugin; the exit code."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    from troubledocs.mkdocs_adapter.plugin import TroubledocsPlugin
    from troubledocs.mkdocs_adapter.theme_env import share_compiled_templates
    from troubledocs.repository.prerender import GC_THRESHOLD

    try:
        plugin = config.plugins.get("troubledocs")
        if not isinstance(plugin, TroubledocsPlugin):
            return fail("build", f"'{config.config_file_path}' does not list the troubledocs plugin")
        plugin.progress = progress
        # Before the plugins' configuration step, where Material's search plugin compiles its translations.
        share_compiled_templates(config.theme)
        config.plugins.on_startup(command="build", dirty=False)
        default_gc = gc.get_threshold()
        gc.set_threshold(*GC_THRESHOLD)
        try:
            build(config)
        finally:
            gc.set_threshold(*default_gc)
            config.plugins.on_shutdown()
    except (MkDocsException, KeywordFileError) as error:
        progress.clear()
        return fail("build", str(error))
    except OSError as error:  # unreadable pages, a full disk, a site folder that cannot be written…
        progress.clear()
        return fail("build", f"{error.strerror or error}: {error.filename or ''}".rstrip(": "))
    except KeyboardInterrupt:
        progress.clear()
        return 130
    return 0
