"""``troubledocs match``: the troubleshooter's own command line (:mod:`troubleshooter.cli`)."""

from __future__ import annotations

from typing import Any

from troubleshooter import cli


def add_parser(sub: Any) -> None:
    """Register ``troubledocs match``."""
    parser = sub.add_parser(
        "match",
        help="find the troubleshooting section for a pasted error",
        description="Rank the troubleshooting sections of an index for a pasted error (argument or stdin).",
    )
    cli.add_arguments(parser)
    parser.set_defaults(run=cli.run)
