"""Turn a raw paste into plain text the matcher can tokenise.

Removes what tools add around a message: ANSI colour codes, JSON string escapes (``\\n``, ``\\"``,
``\\u00e9``), box-drawing borders of Terraform output, the keys of JSON wrappers, klog prefixes and timestamps. Line wraps and
case need no work here: tokenisation ignores both. Every pattern is a simple character class or a fixed
prefix anchored at a line start, so the time is linear in the (cut) input.
"""

from __future__ import annotations

from collections.abc import Collection
import re

from troubleshooter.boilerplate import drop_boilerplate
from troubleshooter.excerpt import Normalized, excerpt

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]")
_JSON_UNICODE = re.compile(r"\\u([0-9a-fA-F]{4})")
_JSON_ESCAPE = re.compile(r"\\+([nrt\"'/\\])")
_BOX = re.compile(r"[│┃║╷╵╭╮╰╯─━═┌┐└┘├┤┬┴┼]+")
#: ``2024-05-01T12:00:00.123Z``, ``May 29 09:16:58``, ``12:00:00.123``.
_TIMESTAMP = re.compile(
    r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?"
    r"|\b[A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2}\b"
    r"|\b\d{2}:\d{2}:\d{2}(?:[.,]\d+)?\b"
)
#: klog header: ``E0527 19:45:32.178111       1 controller.go:1028]``.
#: A JSON object key (``"incidentID":``): structure of a wrapper, not words of the message.
JSON_KEY = re.compile(r"\"[A-Za-z_][\w-]{0,40}\"\s*:")
#: A JSON member whose value is a link (``"more_info": "https://…"``): where to read, not what broke.
_JSON_LINK = re.compile(r"\"[A-Za-z_][\w-]{0,40}\"\s*:\s*\"[A-Za-z][\w+.-]*://[^\"\s]*\"")
_KLOG = re.compile(r"(?m)^[ \t]*[IWEF]\d{4} +\d{2}:\d{2}:\d{2}\.\d+ +\d+ +[\w.-]+:\d+\] ?")


def _unescape_json(text: str) -> str:
    text = _JSON_UNICODE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return _JSON_ESCAPE.sub(lambda m: {"n": "\n", "r": "\n", "t": " "}.get(m.group(1), m.group(1)), text)


def clean(text: str) -> str:
    """Strip colour codes, escapes, box borders, klog headers and timestamps."""
    text = _ANSI.sub("", text)
    text = _unescape_json(text)
    text = _BOX.sub(" ", text)
    text = _KLOG.sub("", text)
    text = _JSON_LINK.sub(" ", text)
    text = JSON_KEY.sub(" ", text)
    return _TIMESTAMP.sub(" ", text)


def normalize(raw: str, generic: Collection[str] = ()) -> Normalized:
    """Cut a long paste to its error-bearing part (:mod:`troubleshooter.excerpt`), clean it, and drop its
    boilerplate lines (``generic``: the shapes of the lines that the index learned are generic)."""
    kept = excerpt(raw)
    return Normalized(drop_boilerplate(clean(kept.text), generic), kept.notice)
