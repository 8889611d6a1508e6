"""``troubledocs build SRC -o SITE``: a Material for MkDocs site from a folder of pages, no mkdocs.yml needed.

The site is built into a new folder beside ``SITE`` and swapped in when the build succeeded, so an error or Ctrl-C
leaves the previous site as it was, and nothing is written through a symlink an existing ``SITE`` holds. A folder
that a previous build made carries :data:`MARKER`; any other non-empty folder is replaced only with ``--force``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
import tempfile
from typing import TYPE_CHECKING, Any

from troubledocs.commands.site import (
    UsageError,
    add_source_arguments,
    check_source,
    fail,
    mkdocs_logging,
    run_build,
)
from troubledocs.keywords import KeywordFileError
from troubledocs.mkdocs_adapter import early as early_pages
from troubledocs.mkdocs_adapter.generated_config import default_config, write_config, write_home_page
from troubledocs.progress import Progress
from troubledocs.repository.model import Repository
from troubledocs.repository.publishing import INDEX

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

#: The file that marks a folder as a site troubledocs built (one a new build may replace).
MARKER = ".troubledocs-site"


def add_parser(sub: Any) -> None:
    """Register ``troubledocs build``."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "build",
        help="build a static site from a folder of IBM Cloud docs Markdown",
        description="Build a Material for MkDocs site, with the troubleshooter, from SRC into SITE. "
        "Nothing is written into SRC.",
    )
    add_source_arguments(parser, many=True)
    parser.add_argument(
        "-o", "--output", metavar="SITE", type=Path, required=True, help="folder to write the site to"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help=f"replace SITE even when it is a non-empty folder that troubledocs did not build (no {MARKER})",
    )
    parser.add_argument(
        "--site",
        metavar="FILE",
        type=Path,
        help="site file naming the repositories of a multi-repository site, their order and titles",
    )
    parser.add_argument(
        "--shards",
        metavar="DIR",
        type=Path,
        help="where a multi-repository build keeps each repository's shard, reused while its inputs are "
        "unchanged (default: ~/.cache/troubledocs/shards)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit with an error when any warning was reported (file.md:LINE)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Build the site; 0 on success, 1 when the build failed (or warned under ``--strict``)."""
    if args.site is not None or len(args.src) > 1:
        from troubledocs.commands.family import run_family

        return run_family(args)
    if len(args.src) != 1:
        return fail("build", "name the folder to build (or several, or a site file with --site)")
    args.src = args.src[0]
    try:
        src = check_source(args)
        site = Path(args.output).resolve()
        if site == src or src in site.parents:
            raise UsageError(
                f"the output folder '{args.output}' must be outside the source folder '{args.src}'"
            )
        if site in src.parents:
            raise UsageError(
                f"the output folder '{args.output}' must not contain the source folder '{args.src}'"
            )
        check_output(args.output, force=args.force)
    except UsageError as error:
        return fail("build", str(error))
    progress = Progress()
    site.parent.mkdir(parents=True, exist_ok=True)
    with (
        mkdocs_logging(args, progress),
        tempfile.TemporaryDirectory(prefix="troubledocs-") as folder,
        tempfile.TemporaryDirectory(prefix=f".{site.name}.building-", dir=site.parent) as building,
    ):
        new_site = Path(building) / "site"
        status = build_site(args, src, new_site, Path(folder), progress)
        if status == 0:
            put_in_place(new_site, site, Path(building))
        return status


def check_output(output: Path, *, force: bool) -> None:
    """:class:`UsageError` when ``output`` is a file, or a non-empty folder that no troubledocs build made (one
    ``force`` lets a build replace)."""
    site = Path(output).resolve()
    if site.exists() and not site.is_dir():
        raise UsageError(f"the output '{output}' exists and is not a folder")
    if not force and site.is_dir() and not (site / MARKER).is_file() and any(site.iterdir()):
        raise UsageError(
            f"the output folder '{output}' holds files that troubledocs did not build (no {MARKER}); "
            "choose another folder, or pass --force to replace it"
        )


def put_in_place(new_site: Path, site: Path, scratch: Path) -> None:
    """Mark ``new_site`` as a troubledocs site and put it where ``site`` is, the old one moved aside (into
    ``scratch``, a folder beside ``site`` deleted with it) first; a symlink at ``site`` is replaced, never
    followed."""
    (new_site / MARKER).write_text("Built by troubledocs: a new build replaces this folder.\n", "utf-8")
    if site.is_symlink() or site.exists():
        site.rename(scratch / "previous")
    new_site.rename(site)


def build_site(args: argparse.Namespace, src: Path, site: Path, scratch: Path, progress: Progress) -> int:
    """Load the configuration (generated in ``scratch``, or ``--config-file``) and run MkDocs's build."""
    from mkdocs.exceptions import MkDocsException

    try:
        try:
            config = load(args, src, site, scratch)
        except (MkDocsException, KeywordFileError) as error:
            return fail("build", str(error))
        return run_build(config, progress)
    finally:
        early_pages.discard()


def load(args: argparse.Namespace, src: Path, site: Path, scratch: Path) -> MkDocsConfig:
    """The validated MkDocs configuration for this run (the pages of the generated one start rendering before
    MkDocs is imported, see :mod:`troubledocs.mkdocs_adapter.early`)."""
    if args.config_file is not None:
        from mkdocs.config import load_config

        return load_config(
            str(args.config_file), docs_dir=str(src), site_dir=str(site), strict=args.strict or None
        )
    repository = Repository.open(src, args.keywords)
    home = write_home_page(repository, scratch)
    settings = default_config(repository, site, strict=args.strict, home=home, ignore=args.ignore)
    early_pages.start(repository, tuple(args.keywords), {INDEX: home} if home is not None else {})
    from mkdocs.config import load_config

    return load_config(str(write_config(settings, scratch)))
