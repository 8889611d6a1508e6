"""The ``troubledocs`` command line: ``build``, ``serve``, ``index`` and ``match``."""

from __future__ import annotations

import argparse
import atexit
from collections.abc import Sequence
import importlib
import os
import sys
from typing import NoReturn

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


def run() -> NoReturn:
    """The ``troubledocs`` program: :func:`main`, then the process ends without tearing the interpreter down.

    A build leaves a large heap behind (its pages, navigation, templates, search index); freeing it object by
    object when the interpreter exits costs a tenth of a small repository's build, after the site is written.
    Exit handlers still run (logging's, multiprocessing's) and the output is flushed; an exception leaves as usual.
    """
    code = main()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (
            OSError,
            ValueError,
        ):  # a closed pipe (``troubledocs match … | head``): as Python itself exits
            code = code or 120
    os._exit(code)


if __name__ == "__main__":
    run()
