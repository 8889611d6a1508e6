"""Turn a raw paste into plain text the matcher can tokenise.

Removes what tools add around a message: ANSI colour codes, JSON string escapes (``\\n``, ``\\"``,
``\\u00e9``), box-drawing borders of Terraform output, the keys of JSON wrappers, klog prefixes, timestamps and
the level and component that a logger puts before each line (``[DEBUG] plugin.terraform-provider-ibm_v1.2.0:``),
the label of an identifier (``Ray ID: 6b993ced1a281004``), the HTTP headers that a client printed as JSON
(``"Headers":{"Cache-Control":["no-cache"],…}``) and the literal values of JSON members (``"RawResult":null``),
and the markup of an HTML page (an error page that a server sent instead of JSON): its tags, comments, scripts
and styles go, its text (title, heading, message) is what the reader saw and stays. Line wraps and
case need no work here: tokenisation ignores both. Every pattern is a simple character class or a fixed
prefix anchored at a line start, so the time is linear in the (cut) input.
"""

from __future__ import annotations

from collections.abc import Collection
import html
import re

from troubleshooter.boilerplate import drop_boilerplate
from troubleshooter.excerpt import ERROR_WORD, Normalized, excerpt

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]")
_JSON_UNICODE = re.compile(r"\\u([0-9a-fA-F]{4})")
_JSON_ESCAPE = re.compile(r"\\+([nrt\"'/\\])")
_BOX = re.compile(r"[│┃║╷╵╭╮╰╯─━═┌┐└┘├┤┬┴┼]+")
#: ``2024-05-01T12:00:00.123Z``, ``May 29 09:16:58``, ``12:00:00.123``.
_TIMESTAMP = re.compile(
    r"\b\d{4}([-/])\d{2}\1\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?"
    r"|\b[A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2}\b"
    r"|\b\d{2}:\d{2}:\d{2}(?:[.,]\d+)?\b"
)
#: A JSON object key (``"incidentID":``): structure of a wrapper, not words of the message.
JSON_KEY = re.compile(r"\"[A-Za-z_][\w-]{0,40}\"\s*:")
#: A JSON member whose value is a link (``"more_info": "https://…"``): where to read, not what broke.
_JSON_LINK = re.compile(r"\"[A-Za-z_][\w-]{0,40}\"\s*:\s*\"[A-Za-z][\w+.-]*://[^\"\s]*\"")
#: A header of an HTTP message that a Go client printed as JSON (``"Cache-Control":["no-cache"]``, the form of
#: ``http.Header``: a capitalised name and a list of strings): caches, dates and ids of one response.
_JSON_HEADER = re.compile(
    r"\"[A-Z][A-Za-z0-9]{0,40}(?:-[A-Za-z0-9]{1,40}){0,8}\"\s*:\s*"
    r"\[\s*(?:\"[^\"\n]{0,2000}\"(?:\s*,\s*\"[^\"\n]{0,2000}\")*)?\s*\]"
)
#: The head an SDK puts before the JSON body of a failed request (``Request failed with status code: 409,
#: ServerErrorResponse: {``, ``Request failed with: {``): any request of any service fails with it, and its status
#: is the transport's, not a section's error code; the body holds the message. Without a body it stays: then the
#: head is the whole message; so it does before a bracketed word (``[Forbidden]``), which is no JSON body.
_REQUEST_FAILED_HEAD = re.compile(
    r"\b[Rr]equest failed with(?: (?:HTTP )?status(?: code)?)?:?[ \t]*(?:\d{3}\b)?"
    r"(?:,[ \t]*[A-Za-z]\w{0,60})?[ \t]*:?[ \t]*(?=\{|\[[ \t]*[{\"])"
)
#: The HTTP status of a response as a JSON member (``"StatusCode":400``, ``"status_code": 409``): the transport's
#: number, which the body's message explains.
_JSON_STATUS = re.compile(r"\"[A-Za-z_]{0,20}[Ss]tatus[\w-]{0,20}\"\s*:\s*\d{3}\b")
#: A JSON member whose value is ``null``, ``true`` or ``false`` (``"RawResult":null``): structure, not words.
_JSON_LITERAL = re.compile(r"\"[A-Za-z_][\w-]{0,40}\"\s*:\s*(?:null|true|false)\b")
#: The label of an identifier inside a line (``Ray ID: 6b993ced1a281004``, ``Transaction-Id: 82f11c7e…``,
#: ``RequestID: d406e3d3-…``): it says which request it was, not what broke. The value (letters and digits, a
#: digit among them) is an identifier already. A label that names an error stays (``Error ID: …``).
_ID_LABEL = re.compile(
    r"(?<![\w-])(?:[A-Za-z]{1,20}[ _-]?)?I[Dd]\s*[:=]\s*(?=[\w-]{8})(?=[A-Za-z_-]{0,40}\d)"
)
#: klog header: ``E0527 19:45:32.178111       1 controller.go:1028]``.
_KLOG = re.compile(r"(?m)^[ \t]*[IWEF]\d{4} +\d{2}:\d{2}:\d{2}\.\d+ +\d+ +[\w.-]+:\d+\] ?")
#: What a logger puts before each message once its timestamp is gone (``[ ]`` where it was bracketed): a level
#: (``[DEBUG]``, ``[ info]``, ``INF``)
#: and the dotted name of the component that logs (``plugin.terraform-provider-ibm_v1.21.0:``), repeated when one
#: logger wraps another's lines (Terraform around its provider's Go log).
_LOG_PREFIX = re.compile(
    r"(?m)^(?:[ \t]*(?:\[[ \t]*\]|\[ *(?i:trace|debug|info|notice|warn|warning|error|err|fatal|crit) *\]"
    r"|(?:TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|FATAL|DBG|INF|WRN|ERR|FTL)(?=[ \t]))"
    r"(?:[ \t]+[\w-]+\.[\w.-]+:(?=[ \t]|$))?)+"
)


#: An HTML document in a paste (a doctype, an ``<html>`` element or a closing tag), looked for in lower case.
_HTML = re.compile(r"<!doctype|<html|</[a-z][a-z0-9]*\s*>")
#: Where a part of a page that nobody sees starts (a comment, a script, a style), and where each one ends.
_HIDDEN = re.compile(r"<!--|<script\b|<style\b")
_HIDDEN_END = {"<!--": "-->", "<script": "</script>", "<style": "</style>"}
#: A tag, a doctype or a conditional comment's end (``<![endif]>``); bounded, so one scan is linear.
_TAG = re.compile(r"</?[A-Za-z][\w:-]{0,40}(?:\s[^<>]{0,2000})?/?>|<![^<>]{0,2000}>")


def visible_text(text: str) -> str:
    """The text of an HTML page as a browser shows it (tags, comments, scripts and styles gone, entities
    decoded); any other text as it is. A part left open runs to the end, as in a browser."""
    lower = text.lower()
    if not _HTML.search(lower):
        return text
    parts: list[str] = []
    at = 0
    while (hidden := _HIDDEN.search(lower, at)) is not None:
        parts.append(text[at : hidden.start()])
        end = lower.find(_HIDDEN_END[hidden.group()], hidden.end())
        if end < 0:
            at = len(text)
            break
        at = end + len(_HIDDEN_END[hidden.group()])
        parts.append(" ")
    parts.append(text[at:])
    return html.unescape(_TAG.sub(" ", "".join(parts)))


def _unescape_json(text: str) -> str:
    text = _JSON_UNICODE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return _JSON_ESCAPE.sub(lambda m: {"n": "\n", "r": "\n", "t": " "}.get(m.group(1), m.group(1)), text)


def _unless_error(label: re.Match[str]) -> str:
    """Nothing for the label of an identifier inside a line, unless it names an error (``Error ID:``); a label
    that starts its line is a field, which :mod:`troubleshooter.boilerplate` drops whole."""
    text, start = label.string, label.start()
    if not text[text.rfind("\n", 0, start) + 1 : start].strip() or ERROR_WORD.search(label.group().lower()):
        return label.group()
    return " "


def clean(text: str) -> str:
    """Strip colour codes, escapes, markup, box borders, klog headers, timestamps, log prefixes, the headers
    and literals of JSON objects, and the keys of JSON members."""
    text = _ANSI.sub("", text)
    text = visible_text(_unescape_json(text))
    text = _BOX.sub(" ", text)
    text = _KLOG.sub("", text)
    text = _JSON_HEADER.sub(" ", text)
    text = _REQUEST_FAILED_HEAD.sub(" ", text)
    text = _JSON_STATUS.sub(" ", text)
    text = _JSON_LITERAL.sub(" ", text)
    text = _JSON_LINK.sub(" ", text)
    text = JSON_KEY.sub(" ", text)
    text = _ID_LABEL.sub(_unless_error, text)
    return _LOG_PREFIX.sub("", _TIMESTAMP.sub(" ", text))


def normalize(raw: str, generic: Collection[str] = ()) -> Normalized:
    """Cut a long paste to its error-bearing part (:mod:`troubleshooter.excerpt`), clean it, and drop its
    boilerplate lines (``generic``: the shapes of the lines that the index learned are generic)."""
    kept = excerpt(raw)
    return Normalized(drop_boilerplate(clean(kept.text), generic), kept.notice)
