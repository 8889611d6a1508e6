"""``troubledocs keywords SRC [-o FILE]``: every keyword a repository uses, its value and where the value comes
from; ``-o`` writes a ``keyref.yaml`` skeleton for the names no keyword file defines."""

from __future__ import annotations

import argparse
from pathlib import Path
import sys
from typing import Any

import yaml

from troubledocs.commands.site import fail
from troubledocs.keyword_uses import Use, keyword_uses
from troubledocs.keywords import KeywordFileError, KeywordMap
from troubledocs.repository.model import list_files

UNKNOWN = "unknown"


def add_parser(sub: Any) -> None:
    """Register ``troubledocs keywords``."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "keywords",
        help="list the keywords a docs folder uses, with their values and where they come from",
        description="List every {{site.data.keyword.NAME}} that SRC uses: how often, where first, its value and "
        "its source (built-in, a keyword file, inferred from a sibling, or unknown).",
    )
    parser.add_argument("src", metavar="SRC", type=Path, help="folder of IBM Cloud docs Markdown")
    parser.add_argument(
        "--keywords",
        metavar="FILE",
        type=Path,
        action="append",
        default=[],
        help="keyword file applied after SRC/keyref.yaml, as for build; repeatable",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        type=Path,
        help="write a keyref.yaml skeleton for the unknown keywords to FILE (which must not exist)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the table (and write the skeleton); 0 on success."""
    src: Path = args.src
    if not src.is_dir():
        return fail("keywords", f"source '{src}' is not a folder")
    if args.output is not None and args.output.exists():
        return fail("keywords", f"'{args.output}' exists; choose a new file (it would replace your values)")
    try:
        keywords = KeywordMap.for_source(src, extra=args.keywords)
    except KeywordFileError as error:
        return fail("keywords", str(error))
    uses = keyword_uses(src, list_files(src))
    rows = [_row(name, use, keywords) for name, use in sorted(uses.items())]
    _print_table(["keyword", "uses", "first use", "source", "value"], rows)
    unknown = {name: use for name, use in uses.items() if keywords.get(name) is None}
    sys.stdout.write(f"{len(uses)} keywords used, {len(unknown)} unknown\n")
    if args.output is not None:
        args.output.write_text(skeleton(unknown), encoding="utf-8")
        sys.stdout.write(f"{args.output}: {len(unknown)} keywords to fill in\n")
    return 0


def _row(name: str, use: Use, keywords: KeywordMap) -> list[str]:
    value = keywords.get(name)
    source = keywords.sources.get(name, UNKNOWN) if value is not None else UNKNOWN
    return [name, str(use.count), use.first, source, value or ""]


def _print_table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    for row in [header, *rows]:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        sys.stdout.write("  ".join([*cells, row[-1]]).rstrip() + "\n")


def skeleton(unknown: dict[str, Use]) -> str:
    """A ``keyref.yaml`` (IBM's format) with an empty value and a comment (uses, first place) per keyword."""
    lines = [
        "# Keywords this repository uses that no keyword file defines: fill in each value, then pass this file",
        "# with --keywords (or merge it into keyref.yaml).",
        "keyword:",
    ]
    for name, use in sorted(unknown.items()):
        key = yaml.safe_dump({name: ""}, default_flow_style=True).strip()[1:-1]
        lines.append(f"  {key}  # {use.count} uses, first {use.first}")
    return "\n".join(lines) + "\n"
