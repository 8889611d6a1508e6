"""``troubledocs build REPO… -o SITE`` (or ``--site FILE``): a multi-repository site, each repository built into
a cached shard (``troubledocs shard``), then the shards linked (``troubledocs link``) into a new folder beside
``SITE`` that replaces it once linked, as a single repository's build does."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
import shutil
import tempfile

from troubledocs.commands.build import check_output, put_in_place
from troubledocs.commands.link import link
from troubledocs.commands.shard import shard
from troubledocs.commands.site import UsageError, check_codes, fail, mkdocs_logging
from troubledocs.family.shard import Shard
from troubledocs.family.sitefile import SiteFileError, SitePlan, plan, read_site_file
from troubledocs.progress import Progress


def default_shards() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "troubledocs" / "shards"


def run_family(args: argparse.Namespace) -> int:
    """Build or reuse each repository's shard, then link them into the site; the exit code."""
    if args.config_file is not None:
        return fail(
            "build", "a multi-repository site is built with the built-in configuration (no --config-file)"
        )
    try:
        site_plan = read_site_file(args.site) if args.site is not None else plan(list(args.src))
        if args.site is not None and args.src:
            raise SiteFileError("name the repositories either in the site file or on the command line")
        for keywords in args.keywords:
            if not Path(keywords).is_file():
                raise SiteFileError(f"keyword file '{keywords}' does not exist")
    except SiteFileError as error:
        return fail("build", str(error))
    site = Path(args.output).resolve()
    if any(
        site == repo.path or repo.path in site.parents or site in repo.path.parents
        for repo in site_plan.repositories
    ):
        return fail("build", f"the output folder '{args.output}' must be outside every repository")
    try:
        check_codes(args.ignore)
        check_output(args.output, force=args.force)
    except UsageError as error:
        return fail("build", str(error))
    shards_dir = (args.shards or default_shards()).resolve()
    progress = Progress()
    with mkdocs_logging(args, progress):
        shards = build_shards(site_plan, shards_dir, args.keywords, args.strict, progress, args.ignore)
        if isinstance(shards, int):
            return shards
        site.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=f".{site.name}.building-", dir=site.parent) as building:
            new_site = Path(building) / "site"
            status = link(shards, new_site, site_plan.title)
            if status == 0:
                put_in_place(new_site, site, Path(building))
            return status


def build_shards(
    site_plan: SitePlan,
    shards_dir: Path,
    keywords: list[Path],
    strict: bool,
    progress: Progress,
    ignore: list[str],
) -> list[Shard] | int:
    """Each repository's shard, built when its inputs changed (``ignore``: diagnostic codes not reported); an
    exit code when a build failed."""
    everyone = {repo.name: repo.path for repo in site_plan.repositories}
    shards = []
    for repo in site_plan.repositories:
        folder = shards_dir / repo.name
        code = shard(repo, folder, everyone, keywords, strict, progress, ignore)
        if code != 0:
            shutil.rmtree(folder, ignore_errors=True)
            return code
        shards.append(Shard.load(folder))
    return shards
