"""The ``troubledocs`` command line: ``build``, ``serve``, ``index`` and ``match``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
import importlib

SUBCOMMANDS = ("build", "serve", "index", "keywords", "match", "shard", "link")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    parser = argparse.ArgumentParser(
        prog="troubledocs",
        description="Build documentation sites from IBM Cloud docs Markdown, with an error troubleshooter.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name in SUBCOMMANDS:
        module = importlib.import_module(f"troubledocs.commands.{name}")
        module.add_parser(sub)
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except KeyboardInterrupt:  # Ctrl-C: stop quietly, as a shell command does (128 + SIGINT)
        return 130
    return code


if __name__ == "__main__":
    raise SystemExit(main())
