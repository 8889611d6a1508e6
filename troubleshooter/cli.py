"""Command line: ``python -m troubleshooter`` and ``troubledocs match`` (the same code).

``--index FILE`` or ``--site SITE`` picks the index; the paste comes from the argument or stdin. ``--batch``
reads JSON Lines ``{"id", "query"}`` from stdin and writes one JSON line per line read: the answer, or
``{"id", "error"}`` for a line that is not such an object. Odd text never stops a run: bytes that are not UTF-8
and lone surrogates (``"\ud800"`` in JSON) become U+FFFD.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
import io
import json
from pathlib import Path
import re
import sys
from typing import Any, TextIO

from troubleshooter.model import SITE_INDEX_PATH, Answer, IndexFormatError, index_text
from troubleshooter.rank import Matcher


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of the match command (shared by both entry points)."""
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--index",
        metavar="FILE",
        type=Path,
        help="index written by `troubledocs index` (JSON, or gzip-compressed JSON)",
    )
    source.add_argument(
        "--site",
        metavar="SITE",
        type=Path,
        help=f"a built site (reads SITE/{SITE_INDEX_PATH}; of a multi-repository site, the index its sections share)",
    )
    parser.add_argument(
        "--top", metavar="N", type=int, default=5, help="how many sections to show (default 5)"
    )
    parser.add_argument("--json", action="store_true", help="print the answer as JSON")
    parser.add_argument(
        "--batch",
        action="store_true",
        help='JSON Lines {"id", "query"} on stdin → JSON Lines answers on stdout',
    )
    parser.add_argument("query", nargs="?", help="the pasted error (default: read stdin)")


def _load(args: argparse.Namespace) -> Matcher:
    data = args.index.read_bytes() if args.index is not None else _site_index(args.site)
    return Matcher.from_json(index_text(data))


def _site_index(site: Path) -> bytes:
    """The index of a built site. A multi-repository site has no index at its root: each repository's section
    carries the one index of the whole site, so any of them is it."""
    own = site / SITE_INDEX_PATH
    if own.is_file() or not site.is_dir():
        return own.read_bytes()
    found = {path.read_bytes() for path in sorted(site.glob(f"*/{SITE_INDEX_PATH}"))}
    if len(found) > 1:
        raise OSError(f"{site} holds sites with different indexes: pass one of its folders with --site")
    return found.pop() if found else own.read_bytes()


#: A surrogate code point on its own: no encoding can write it.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(text: str) -> str:
    """``text`` with lone surrogates replaced by U+FFFD."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def batch_line(matcher: Matcher, line: str, top: int) -> dict[str, Any]:
    """Answer one ``{"id", "query"}`` line in the batch format."""
    item = json.loads(line)
    if not isinstance(item, dict) or not isinstance(item.get("query"), str):
        raise TypeError('each line must be an object with a string "query"')
    answer = matcher.match(_text(item["query"]), top=top)
    keys = ("page", "anchor", "title", "url", "score", "captures")
    matches = [{k: m[k] for k in keys} for m in answer.to_dict()["matches"]]
    return {"id": item.get("id"), "matches": matches, "confident": answer.confident}


def _line_id(line: str) -> Any:
    """The ``id`` of a batch line that cannot be answered, when it has one."""
    try:
        item = json.loads(line)
    except ValueError:
        return None
    return item.get("id") if isinstance(item, dict) else None


def _batch(matcher: Matcher, top: int, stdin: TextIO, stdout: TextIO) -> int:
    status = 0
    for number, line in enumerate(stdin, 1):
        if not line.strip():
            continue
        try:
            result = batch_line(matcher, line, top)
        except Exception as error:  # noqa: BLE001 -- every line gets an answer, a bad one an error object
            result = {"id": _line_id(line), "error": f"stdin line {number}: {error}"}
            sys.stderr.write(f"stdin line {number}: {_text(str(error))}\n")
            status = 1
        stdout.write(_text(json.dumps(result, ensure_ascii=False)) + "\n")
        stdout.flush()
    return status


def format_answer(answer: Answer) -> str:
    """Human-readable answer."""
    lines = []
    if answer.notice:
        lines.append(f"note: {answer.notice}")
    if not answer.confident:
        lines.append("No confident match: no troubleshooting section clearly covers this error.")
        if answer.matches:
            lines.append("Closest sections:")
    for rank, match in enumerate(answer.matches, 1):
        section = match.section
        lines.append(f"{rank}. {section.title}  [{section.page}#{section.anchor}]  score {match.score:.1f}")
        lines.append(f"   {section.url}")
        if match.evidence.spans:
            text = " ".join(match.evidence.text.split())
            lines.append(f"   matched: {text[:160]}{'…' if len(text) > 160 else ''}")
        for name, value in match.captures.items():
            lines.append(f"   your {name}: {value}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Run the match command; returns the exit code."""
    try:
        matcher = _load(args)
    except (OSError, IndexFormatError) as error:
        sys.stderr.write(f"error: cannot read the index: {error}\n")
        return 2
    raw = getattr(sys.stdin, "buffer", None)
    stdin = io.TextIOWrapper(raw, encoding="utf-8", errors="replace") if raw is not None else sys.stdin
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(errors="replace")  # a terminal that cannot show a character shows "?"
    if args.batch:
        return _batch(matcher, args.top, stdin, sys.stdout)
    query = _text(args.query if args.query is not None else stdin.read())
    answer = matcher.match(query, top=args.top)
    if args.json:
        sys.stdout.write(_text(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2)) + "\n")
    else:
        sys.stdout.write(_text(format_answer(answer)) + "\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m troubleshooter``."""
    parser = argparse.ArgumentParser(
        prog="python -m troubleshooter", description="Find the troubleshooting section for a pasted error."
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))
