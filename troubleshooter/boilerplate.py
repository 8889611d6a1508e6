"""Lines that never describe a problem: they must neither rank a section nor make an answer confident.

Five kinds, told by their form or learned from the docs, never by a list of strings:

* a *column header* of a CLI listing (``NAME   STATUS   ROLES   AGE``): the same in every listing;

* a *pointer*: a link with at most a few words around it (``"more_info": "https://…"``, ``For troubleshooting
  information visit: https://…``, ``Docs: https://…``); the words of a URL say where to read, not what broke;
* a *progress* line: ``resource.name: Still creating... [10s elapsed]``, ``Refreshing state...``;
* a *protocol header*: the ``Name: value`` lines after an HTTP status or request line (``HTTP/1.1 522 …``,
  ``curl -v``'s ``< content-type: …``) up to the first line of another form (the body after the blank line):
  dates, cookies, caches and ids of one response; the status line itself is kept, it says what happened, and
  so is a line whose name holds an error word (``Error: …``, ``X-Error-Message: …``);
* an *identifier's field*: a label and a value of identifiers only (``Incident ID: 358638ff-…``, ``Trace ID: …``,
  ``Request ID: <id>``): which request it was, not what broke (unless the label names an error);
* a *Terraform context*: where Terraform says an error comes from (``with module.a.ibm_b.c[0],``, ``on main.tf
  line 10, in resource "a" "b":``) and the lines of the reader's configuration it quotes below (``10: resource
  "a" "b" {``);
* a *generic* line: one whose terms are those of a line that the docs show on several pages among other
  output lines (a CLI footer, ``Events:``, ``Status: Pending``, a version banner); a message that several
  pages quote on its own is a message, not boilerplate. :func:`generic_shapes` learns them when the index is
  written; the index stores their shapes, and both the docs' templates and the pastes drop them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
import re

from troubleshooter.excerpt import ERROR_WORD
from troubleshooter.terms import ID_TERM, tokenize

#: A line that shows up on this many pages of the docs is boilerplate of the tools, not a message.
GENERIC_PAGES = 3
#: A link (``https://…``): its words say where to read, not what broke, so they are never evidence. The scheme
#: is at most 32 characters (an unbounded one made the search quadratic in a long word before ``://``).
URL = re.compile(r"[A-Za-z][\w+.-]{0,31}://[^\s\"'<>`]+")
_WORD = re.compile(r"[A-Za-z]+")
#: Words before a link that still make the line a pointer to it (``For troubleshooting information visit:``).
POINTER_WORDS = 4
_PROGRESS = re.compile(
    r"^\s*(?:[\w.\[\]\"-]+: )?[A-Z][a-z]+(?: [a-z]+){0,3}(?:\.\.\.|…)(?:\s*\[[^\]\n]*\])?\s*$"
)


#: A column-header line of CLI output (``NAME   READY   UP-TO-DATE   PORT(S)``): capitalised fields that two or
#: more spaces (or tabs) separate, or fields in capitals that one space separates (``NAME READY STATUS AGE``).
_HEADER_FIELD = re.compile(r"[A-Z][A-Za-z_-]*(?:\(S\))?(?: [A-Z][A-Za-z_-]*)?")
_FIELD_GAP = re.compile(r"\s{2,}|\t")
_CAPITALS_HEADER = re.compile(r"[A-Z][A-Z_-]*(?:\(S\))?(?: [A-Z][A-Z_-]*(?:\(S\))?){2,}")


def is_column_header(line: str) -> bool:
    """Whether ``line`` is the header of a CLI listing: the same in every listing, so never evidence."""
    fields = _FIELD_GAP.split(line.strip())
    if len(fields) >= 3 and all(_HEADER_FIELD.fullmatch(f) for f in fields):
        return True
    return bool(_CAPITALS_HEADER.fullmatch(line.strip()))


_VALUE = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|<[^<>\n]*>")


def shape(line: str) -> str:
    """The terms of a line without its values (identifiers, quoted names, placeholders): lines that differ
    only in values have the same shape."""
    return " ".join(token.term for token in tokenize(_VALUE.sub(" ", line)) if token.term != ID_TERM)


#: A placeholder of the docs (``<incident_id>``) in a field's value: an identifier.
_PLACEHOLDER = re.compile(r"<[^<>\n]*>")
#: A field of a record (``Incident ID: 358638ff-…``): a short label, a colon and its value.
_ID_FIELD = re.compile(r"\s*(?P<name>[A-Za-z][\w -]{0,30}):[ \t]+(?P<value>\S.{0,200})")


def is_identifier_field(line: str) -> bool:
    """Whether ``line`` is a field whose value is identifiers only (a placeholder of the docs counts as one) and
    whose label names no error. A quoted value is read by its words: ``message: 'unsupported text language'`` is
    a message."""
    field = _ID_FIELD.fullmatch(line.rstrip())
    if field is None or ERROR_WORD.search(field.group("name").lower()):
        return False
    tokens = tokenize(_PLACEHOLDER.sub(" 0x0 ", field.group("value")))
    return bool(tokens) and all(token.term == ID_TERM for token in tokens)


def is_boilerplate(line: str, generic: Collection[str] = ()) -> bool:
    """Whether ``line`` is a column header, a pointer, a progress line, an identifier's field, a Terraform
    context line or (given the learned shapes) a generic line."""
    if is_column_header(line) or is_identifier_field(line) or _TERRAFORM_CONTEXT.fullmatch(line):
        return True
    if ("..." in line or "…" in line) and _PROGRESS.match(line):
        return True
    url = URL.search(line) if "://" in line else None
    if (
        url
        and len(_WORD.findall(line, 0, url.start())) <= POINTER_WORDS
        and not _WORD.search(line, url.end())
    ):
        return True
    return bool(generic) and shape(line) in generic


#: An HTTP status line (anywhere in a line: a client log quotes it) or request line, and a header line (``curl -v``
#: marks them ``<`` and ``>``).
_HTTP_START = re.compile(r"\bHTTP/\d(?:\.\d)? \d{3}\b|^[\s<>]*[A-Z]{3,7} \S+ HTTP/\d")
_HEADER = re.compile(r"[\s<>]*(?P<name>[A-Za-z][A-Za-z0-9-]{0,60}):(?:\s|$)")
#: Terraform's context of an error: the resource (``with ADDRESS,``), the file and line (``on FILE line N, in …:``),
#: then the quoted lines of configuration (``N: …``). The colon that ends the second may be gone: a name in quotes
#: before it reads as a JSON key.
_TERRAFORM_CONTEXT = re.compile(
    r"\s*with [\w.\[\]\"-]{1,300},\s*|\s*on \S{1,300} line \d+(?:, in .{0,300})?:?\s*"
)
_TERRAFORM_SOURCE = re.compile(r"\s*\d+:(?:\s|$)")


def drop_boilerplate(text: str, generic: Collection[str] = ()) -> str:
    """``text`` without its boilerplate lines (they become empty lines, so line counts stay)."""
    kept: list[str] = []
    headers = source = False
    for line in text.split("\n"):
        header = _HEADER.match(line) if headers else None
        if (header and not ERROR_WORD.search(header.group("name").lower())) or (
            source and _TERRAFORM_SOURCE.match(line)
        ):
            kept.append("")
            continue
        headers = "HTTP/" in line and _HTTP_START.search(line) is not None
        source = " line " in line and _TERRAFORM_CONTEXT.fullmatch(line) is not None
        kept.append("" if is_boilerplate(line, generic) else line)
    return "\n".join(kept)


def generic_shapes(pages_and_blocks: Iterable[tuple[str, str]]) -> list[str]:
    """Shapes of the lines that ``GENERIC_PAGES`` pages or more show inside a block of several lines."""
    pages: dict[str, set[str]] = {}
    for page, block in pages_and_blocks:
        lines = [line for line in block.splitlines() if line.strip()]
        if len(lines) < 2:
            continue
        for line in lines:
            found = shape(line)
            if found:
                pages.setdefault(found, set()).add(page)
    return sorted(found for found, where in pages.items() if len(where) >= GENERIC_PAGES)
