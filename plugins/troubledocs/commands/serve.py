"""``troubledocs serve SRC``: build the site into a temporary folder, serve it and rebuild when a page changes."""

from __future__ import annotations

import argparse
from pathlib import Path
import signal
import tempfile
from types import FrameType
from typing import Any

from troubledocs.commands.site import UsageError, add_source_arguments, check_source, fail, mkdocs_logging
from troubledocs.keywords import KeywordFileError
from troubledocs.mkdocs_adapter.generated_config import default_config, write_config, write_home_page
from troubledocs.progress import Progress
from troubledocs.repository.model import Repository


def add_parser(sub: Any) -> None:
    """Register ``troubledocs serve``."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "serve",
        help="serve a folder of IBM Cloud docs Markdown as a live-reloading site",
        description="Build SRC into a temporary folder, serve it, and rebuild and reload when a file changes "
        "(a saved page: that page and the pages that include it).",
    )
    add_source_arguments(parser)
    parser.add_argument(
        "-a",
        "--dev-addr",
        metavar="IP:PORT",
        default="127.0.0.1:8000",
        help="address to serve on (127.0.0.1:8000)",
    )
    parser.add_argument("--no-livereload", action="store_true", help="serve without watching for changes")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted; 1 when the first build or the server fails."""
    from mkdocs.exceptions import MkDocsException

    from troubledocs.commands.live import serve

    try:
        src = check_source(args)
    except UsageError as error:
        return fail("serve", str(error))
    # Stop on SIGTERM as on Ctrl-C, so that the server shuts down and the temporary folders are removed.
    signal.signal(signal.SIGTERM, _interrupt)
    # Each full rebuild loads the configuration again, so it needs a file that lives as long as the server.
    with mkdocs_logging(args, Progress()), tempfile.TemporaryDirectory(prefix="troubledocs-") as folder:
        if args.config_file is not None:
            config_file = str(args.config_file)
            overrides: dict[str, Any] = {"docs_dir": str(src), "dev_addr": args.dev_addr}
        else:
            try:
                repository = Repository.open(src, args.keywords)
            except KeywordFileError as error:
                return fail("serve", str(error))
            settings = default_config(
                repository,
                Path(folder) / "site",
                dev_addr=args.dev_addr,
                home=write_home_page(repository, Path(folder)),
                ignore=args.ignore,
            )
            config_file = str(write_config(settings, Path(folder)))
            overrides = {}
        try:
            serve(config_file, Path(folder) / "site", livereload=not args.no_livereload, **overrides)
        except MkDocsException as error:
            return fail("serve", str(error))
        except OSError as error:  # typically: the address is in use
            return fail("serve", f"cannot serve on {args.dev_addr}: {error}")
        except KeyboardInterrupt:
            return 0
    return 0


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
