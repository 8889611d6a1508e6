"""``troubledocs shard REPO -o DIR``: one repository of a multi-repository site built on its own (a CI job per
repository); ``troubledocs link`` assembles the shards. See :mod:`troubledocs.family.shard`."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
import html
from pathlib import Path
import shutil
import tempfile
from typing import Any

from troubledocs.commands.site import (
    UsageError,
    add_keywords_option,
    check_codes,
    fail,
    mkdocs_logging,
    run_build,
)
from troubledocs.family.shard import MANIFEST, SITE, Member, cached_shard, finish_manifest, inputs_key
from troubledocs.family.sitefile import SiteFileError, repository
from troubledocs.mkdocs_adapter.generated_config import default_config, write_config, write_home_page
from troubledocs.progress import Progress
from troubledocs.repository.model import Repository


def add_parser(sub: Any) -> None:
    """Register ``troubledocs shard``."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "shard",
        help="build one repository of a multi-repository site into a shard",
        description="Build REPO into the shard DIR (its site and shard.json), for `troubledocs link`. "
        "A shard already built from the same inputs is kept as it is.",
    )
    parser.add_argument("src", metavar="REPO", type=Path, help="the repository's folder")
    parser.add_argument("-o", "--output", metavar="DIR", type=Path, required=True, help="shard folder")
    parser.add_argument("--name", help="its folder in the site (default: the repository's folder name)")
    parser.add_argument("--title", help="its section title (default: its toc.yaml label)")
    parser.add_argument(
        "--sibling",
        metavar="NAME=PATH",
        action="append",
        default=[],
        help="another repository of the site, for {{../NAME/file.md#id}} includes; repeatable",
    )
    add_build_options(parser)
    parser.set_defaults(run=run)


def add_build_options(parser: argparse.ArgumentParser) -> None:
    """The options a shard's build takes (``shard`` and a multi-repository ``build`` share them)."""
    add_keywords_option(
        parser, "keyword file applied after each repository's keyref.yaml; repeatable, later files win"
    )
    parser.add_argument("--strict", action="store_true", help="fail when any warning was reported")
    parser.add_argument(
        "--ignore",
        metavar="CODE",
        action="append",
        default=[],
        help="do not report diagnostics with this code (still counted in the summary); repeatable",
    )
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="show warnings and errors only")
    verbosity.add_argument("-v", "--verbose", action="store_true", help="show MkDocs's debug messages")


def run(args: argparse.Namespace) -> int:
    """Build the shard (unless it is up to date); the exit code."""
    try:
        repo = repository(args.src, args.name, args.title)
        siblings = dict(_sibling(value) for value in args.sibling)
        check_codes(args.ignore)
        for keywords in args.keywords:
            if not Path(keywords).is_file():
                raise UsageError(f"keyword file '{keywords}' does not exist")
    except (UsageError, SiteFileError) as error:
        return fail("shard", str(error))
    progress = Progress()
    with mkdocs_logging(args, progress):
        return shard(repo, Path(args.output), siblings, args.keywords, args.strict, progress, args.ignore)


def _sibling(value: str) -> tuple[str, Path]:
    name, _, path = value.partition("=")
    if not name or not path or not Path(path).is_dir():
        raise UsageError(f"--sibling '{value}': expected NAME=PATH of a folder")
    return name, Path(path).resolve()


def shard(
    repo: Member,
    folder: Path,
    siblings: dict[str, Path],
    keywords: list[Path],
    strict: bool,
    progress: Progress,
    ignore: Iterable[str] = (),
) -> int:
    """Build ``repo`` into the shard ``folder`` unless it holds the shard of the same inputs (``ignore``:
    diagnostic codes not reported); the exit code."""
    key = inputs_key(repo, keywords, siblings)
    if cached_shard(folder, key) is not None:
        progress.clear()
        print(f"troubledocs: {repo.name}: shard {folder} is up to date")  # noqa: T201 - the CLI's own output
        return 0
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="troubledocs-") as scratch:
        from mkdocs.config import load_config
        from mkdocs.exceptions import MkDocsException

        source = Repository.open(repo.path, keywords)
        home = write_home_page(source, Path(scratch))
        settings = default_config(source, folder / SITE, strict=strict, home=home, ignore=ignore)
        settings["site_name"] = html.escape(repo.title)
        plugin = next(
            p["troubledocs"] for p in settings["plugins"] if isinstance(p, dict) and "troubledocs" in p
        )
        plugin["siblings"] = {name: str(path) for name, path in siblings.items() if name != repo.name}
        plugin["manifest"] = str(folder / MANIFEST)
        try:
            config = load_config(str(write_config(settings, Path(scratch))))
        except MkDocsException as error:
            return fail("shard", str(error))
        code = run_build(config, progress)
    if code == 0:
        finish_manifest(folder, repo, key)
    return code
