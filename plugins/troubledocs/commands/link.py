"""``troubledocs link SHARD… -o SITE``: assemble shards into one multi-repository site
(:mod:`troubledocs.family.link`)."""

from __future__ import annotations

import argparse
from pathlib import Path
import sys
import time
from typing import Any

from troubledocs.commands.site import fail
from troubledocs.family.link import LinkReport, link_site
from troubledocs.family.shard import Shard
from troubledocs.family.sitefile import DEFAULT_TITLE


def add_parser(sub: Any) -> None:
    """Register ``troubledocs link``."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "link",
        help="assemble shards (troubledocs shard) into one site",
        description="Assemble the shards, in this order, into SITE: each repository a top-level section, links "
        "between them local, one search and one troubleshooter over all.",
    )
    parser.add_argument("shards", metavar="SHARD", type=Path, nargs="+", help="shard folders")
    parser.add_argument("-o", "--output", metavar="SITE", type=Path, required=True, help="site folder")
    parser.add_argument("--title", default=DEFAULT_TITLE, help="the site's title (its landing page)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Link the shards; the exit code."""
    try:
        shards = [Shard.load(folder) for folder in args.shards]
    except ValueError as error:
        return fail("link", str(error))
    return link(shards, Path(args.output), args.title)


def link(shards: list[Shard], site: Path, title: str) -> int:
    """Assemble ``shards`` into ``site`` and print what the link step did; the exit code."""
    started = time.monotonic()
    try:
        report = link_site(shards, site.resolve(), title)
    except (OSError, ValueError) as error:
        return fail("link", str(error))
    print_report(report, time.monotonic() - started)
    return 0


def print_report(report: LinkReport, seconds: float) -> None:
    out = sys.stderr
    for page, href in report.unresolved:
        out.write(f"INFO    -  troubledocs: {page}: no repository of the site has the topic of '{href}'\n")
    for page, href in report.missing_anchors:
        out.write(f"INFO    -  troubledocs: {page}: the page '{href}' names has no such anchor\n")
    out.write(f"INFO    -  troubledocs: linked in {seconds:.2f} seconds: {report.summary()}\n")
