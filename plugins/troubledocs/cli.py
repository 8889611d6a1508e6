"""The ``troubledocs`` command line: ``build``, ``serve``, ``index`` and ``match``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
import importlib
import sys

SUBCOMMANDS = ("build", "serve", "index", "keywords", "match", "shard", "link")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    parser = argparse.ArgumentParser(
        prog="troubledocs",
        description="Build documentation sites from IBM Cloud docs Markdown, with an error troubleshooter.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    arguments = sys.argv[1:] if argv is None else list(argv)
    # Only the named command's module is imported (a build does not load the matcher's command line or the
    # multi-repository link step); without one, every command is registered for the help and the error.
    named = [arguments[0]] if arguments and arguments[0] in SUBCOMMANDS else SUBCOMMANDS
    for name in named:
        module = importlib.import_module(f"troubledocs.commands.{name}")
        module.add_parser(sub)
    args = parser.parse_args(arguments)
    try:
        code: int = args.run(args)
    except KeyboardInterrupt:  # Ctrl-C: stop quietly, as a shell command does (128 + SIGINT)
        return 130
    return code


if __name__ == "__main__":
    raise SystemExit(main())
