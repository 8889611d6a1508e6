"""``troubledocs index SRC -o FILE``: the troubleshooter index of a docs folder, without building a site."""

from __future__ import annotations

import argparse
from pathlib import Path
import sys
from typing import Any

from troubledocs.repository.index import directory_url, file_url, index_folder, write_index


def add_parser(sub: Any) -> None:
    """Register ``troubledocs index``."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "index",
        help="write the troubleshooter index of a docs folder",
        description="Render every .md under SRC and write the index of its troubleshooting sections.",
    )
    parser.add_argument("src", metavar="SRC", type=Path, help="folder of IBM Cloud docs Markdown")
    parser.add_argument(
        "-o", "--output", metavar="FILE", type=Path, required=True, help="index JSON to write"
    )
    parser.add_argument(
        "--fallback",
        metavar="DIR",
        type=Path,
        help="folder that fills in the files SRC lacks (its toc.yaml names)",
    )
    parser.add_argument(
        "--keywords", metavar="FILE", type=Path, action="append", default=[], help="extra keyword file"
    )
    parser.add_argument(
        "--urls",
        choices=("directory", "file"),
        default="file",
        help="section URLs: ts-x.html#id (as `troubledocs build` writes pages, default) or ts-x/#id "
        "(MkDocs directory URLs)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Build and write the index; returns the exit code."""
    if not args.src.is_dir():
        sys.stderr.write(f"error: {args.src} is not a folder\n")
        return 2
    url = directory_url if args.urls == "directory" else file_url
    index = index_folder(args.src, fallback=args.fallback, keyword_files=args.keywords, url=url)
    size = write_index(index, args.output)
    sys.stdout.write(f"{args.output}: {len(index['entries'])} troubleshooting sections, {size:,} bytes\n")
    return 0
