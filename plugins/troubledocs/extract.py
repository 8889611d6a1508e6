"""Troubleshooting entries from the renderer's final token stream.

One :class:`Entry` per section (heading with an id) of a troubleshooting page: its symptom text, every error
text the docs show for it (``{: screen}`` blocks of the symptom, error-message table rows, error codes), the
cause and resolution text, and the commands of the resolution. The extractor reads ``RenderedPage.tokens``,
the same parse that renders the page, so keywords are already resolved and ids are the rendered ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
import re
from typing import Any

from troubledocs.page import RenderedPage
from troubleshooter.terms import codes_in, is_code

#: A block whose wording reads like an error rather than healthy command output.
_ERROR_WORDING = re.compile(
    r"\b(?:error|errors|err[A-Z]+|fail\w*|unable|cannot|can't|could not|couldn't|not found|denied|invalid|"
    r"timed? ?out|timeout|exceeded|forbidden|refused|unauthori[sz]ed|unavailable|not allowed|not supported|"
    r"warning|crashloopbackoff|oomkilled|evicted|pending|unhealthy|critical|exception|no such|missing|"
    r"conflict|rejected|deprecated|not ready|not connected|unknown|prohibited|not authori[sz]ed|insufficient|"
    r"exhausted|quota|cancel+ed|not available|unreachable|no route|backoff)\b",
    re.IGNORECASE,
)
#: Lines that are a command someone types, not output.
_COMMAND_LINE = re.compile(
    r"^\s*(?:\$\s+|#\s+|>\s+)?[a-z][\w.-]*(?:\s+(?:-{1,2}[\w-]+|[\w./:<>{}=\"'-]+))+\s*$"
)
#: A table column of error messages, error codes or symptoms; other tables (states, options) are context.
_TABLE_ERROR_HEADER = re.compile(r"\b(?:errors?|messages?|codes?|symptoms?)\b", re.IGNORECASE)
#: A code block that holds an HTML table (raw HTML indented as code in a list): the table, not an error.
_HTML_TABLE = re.compile(r"^\s*<table\b.*</table>\s*$", re.IGNORECASE | re.DOTALL)
_TOPIC_LINK = re.compile(
    r"[?&]topic=[\w-]*?-(?P<topic>[\w.-]+?)(?:#(?P<frag>[\w.-]+))?$|#(?P<anchor>[\w.-]+)$"
)
_RESOLUTION_LIMIT = 1200
_BREAK = re.compile(r"</?br\s*/?>", re.IGNORECASE)


@dataclass
class Entry:
    """One troubleshooting section of one page."""

    page: str
    anchor: str
    title: str
    level: int
    marked: bool = False
    symptom: str = ""
    errors: list[str] = field(default_factory=list)
    cause: str = ""
    resolution: str = ""
    commands: list[str] = field(default_factory=list)
    body: str = ""
    #: error texts that a reference table row attributes to another topic: ``(topic id, error text)``
    referrals: list[tuple[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The entry as stored in the index (empty fields left out to keep the file small)."""
        data: dict[str, Any] = {"page": self.page, "anchor": self.anchor, "title": self.title}
        for name in ("symptom", "cause", "body"):
            value = getattr(self, name)
            if value:
                data[name] = value
        if self.resolution:
            data["resolution"] = _clip(self.resolution, _RESOLUTION_LIMIT)
        if self.errors:
            data["errors"] = self.errors
            codes = codes_in("\n".join(self.errors))
            if codes:
                data["codes"] = codes
        if self.commands:
            data["commands"] = self.commands
        if not self.marked:
            data["marked"] = False
        return data


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit] + " …"


def inline_text(token: Any) -> str:
    """Plain text of an inline token: text and code spans, breaks as spaces, markup dropped."""
    children = getattr(token, "children", None)
    if not children:
        return str(token.content)
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "html_inline" and _BREAK.match(child.content):
            parts.append("\n")
    return "".join(parts)


def _links(token: Any) -> list[str]:
    return [
        str(child.attrGet("href"))
        for child in getattr(token, "children", None) or []
        if child.type == "link_open" and child.attrGet("href")
    ]


def topic_of(href: str) -> str | None:
    """The topic or anchor id that a docs link points at (``?topic=containers-x`` → ``x``)."""
    match = _TOPIC_LINK.search(href)
    if not match:
        return None
    return match.group("frag") or match.group("topic") or match.group("anchor")


def looks_like_error(text: str) -> bool:
    """Whether a code block reads like an error message (not a command or healthy output)."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return False
    if all(_COMMAND_LINE.match(line) and not _ERROR_WORDING.search(line) for line in lines):
        return False
    return bool(_ERROR_WORDING.search(text) or codes_in(text))


_CONFIG_LINE = re.compile(r"^\s*(?:- |[\w.\-/\"]+:(?:\s|$)|[{}\[\]],?$)")


def _is_config(text: str) -> bool:
    """YAML or JSON configuration: several lines, most of them keys or list items."""
    lines = [line for line in text.splitlines() if line.strip()]
    return len(lines) > 1 and sum(1 for line in lines if _CONFIG_LINE.match(line)) > 0.6 * len(lines)


#: Command-line tools whose invocations fill the resolution steps.
_SHELL_COMMAND = re.compile(
    r"^\s*(?:[$#>]\s*)?(?:sudo\s+)?(?:kubectl|oc|ibmcloud|ic|helm|curl|calicoctl|docker|terraform|export|cat|grep|"
    r"ssh|echo|cd|ls|mkdir|rm|cp|mv|git|openssl|dig|nslookup|ping|systemctl|journalctl|watch|jq|base64|vi|"
    r"apt|apt-get|yum|dnf|pip|python3?|bash|sh|chmod|chown|mount|umount|df|tar|wget)\b"
)


def _is_command_block(text: str) -> bool:
    """Every line is an invocation of a command-line tool (or a comment)."""
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("# ")]
    return bool(lines) and all(_SHELL_COMMAND.match(line) for line in lines)


#: Least words of a code span in a symptom's prose that make it a quoted message rather than a name.
_MESSAGE_WORDS = 3


def _is_message(text: str) -> bool:
    """Whether a code span reads like an error message: an error code, or several words with error wording."""
    if codes_in(text):
        return True
    words = re.findall(r"[A-Za-z]{2,}", text)
    return len(words) >= _MESSAGE_WORDS and looks_like_error(text) and not _is_command_block(text)


@dataclass
class _Table:
    header: list[str]
    rows: list[list[tuple[str, list[str]]]]


class _HtmlTables(HTMLParser):
    """Tables of an HTML block: cell text (``<br>`` as line breaks) and the links of each cell."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[_Table] = []
        self._row: list[tuple[str, list[str]]] | None = None
        self._cell: list[str] | None = None
        self._cell_links: list[str] = []
        self._header_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append(_Table([], []))
        elif tag == "tr":
            self._close_cell()
            self._row = []
        elif tag in ("td", "th"):
            self._close_cell()
            self._cell, self._cell_links, self._header_cell = [], [], tag == "th"
        elif (tag == "br" and self._cell is not None) or (tag == "li" and self._cell is not None):
            self._cell.append("\n")
        elif tag == "a" and self._cell is not None:
            href = dict(attrs).get("href")
            if href:
                self._cell_links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._close_cell()
        elif tag in ("tr", "thead", "table"):
            self._close_cell()
            self._close_row()

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def _close_cell(self) -> None:
        if self._cell is None or not self.tables:
            self._cell = None
            return
        text = "".join(self._cell)
        if self._header_cell:
            self.tables[-1].header.append(" ".join(text.split()))
        else:
            if self._row is None:
                self._row = []
            # Markdown links inside HTML cells stay as source text: read their targets too.
            links = self._cell_links + re.findall(r"\]\(([^)\s]+)\)", text)
            text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
            self._row.append((text, links))
        self._cell = None

    def _close_row(self) -> None:
        if self._row and self.tables:
            self.tables[-1].rows.append(self._row)
        self._row = None


def _split_messages(cell: str) -> list[str]:
    """Alternative messages in one cell: separated by blank lines, ``<br>`` or backtick-quoted runs."""
    quoted = re.findall(r"`([^`]+)`", cell)
    if len(quoted) > 1:
        return [" ".join(q.split()) for q in quoted]
    pieces = [" ".join(p.replace("`", "").split()) for p in re.split(r"\n\s*\n|\n", cell)]
    return [p for p in pieces if p]


class _Collector:
    """Walks the tokens and fills entries section by section."""

    def __init__(self, page: RenderedPage) -> None:
        self.page = page
        self.entries: list[Entry] = []
        self.current: Entry | None = None
        self.part: str | None = None

    def section(self, token: Any, title_token: Any) -> None:
        anchor = token.attrGet("id") if hasattr(token, "attrGet") else None
        level = int(token.tag[1]) if token.tag[1:].isdigit() else 1
        if not anchor:
            # A heading without an id belongs to the section above it.
            if self.current is not None:
                self.add_text(inline_text(title_token))
            return
        self.current = Entry(
            page=self.page.path,
            anchor=str(anchor),
            title=" ".join(inline_text(title_token).split()),
            level=level,
        )
        self.entries.append(self.current)
        self.part = None

    def add_text(self, text: str) -> None:
        entry = self.current
        text = " ".join(text.split())
        if entry is None or not text:
            return
        name = {"symptoms": "symptom", "causes": "cause", "resolve": "resolution"}.get(
            self.part or "", "body"
        )
        old = getattr(entry, name)
        setattr(entry, name, f"{old} {text}" if old else text)

    def add_fence(self, token: Any) -> None:
        entry = self.current
        if entry is None:
            return
        cls = str(token.attrGet("class") or "") if hasattr(token, "attrGet") else ""
        text = str(token.content).strip("\n")
        if not text.strip():
            return
        if _HTML_TABLE.match(text):
            self.add_html(text)
            return
        screen = "screen" in cls.split()
        if self.part == "symptoms" and (
            screen or (not _is_command_block(text) and (not _is_config(text) or looks_like_error(text)))
        ):
            # Whatever its class, a block of the symptom that is not a command or a configuration is what the
            # reader sees.
            entry.errors.append(text)
        elif (
            self.part == "resolve" and not screen and (_is_command_block(text) or not looks_like_error(text))
        ):
            entry.commands.extend(
                line.strip()
                for line in text.splitlines()
                if line.strip() and not line.lstrip().startswith("#")
            )
        elif looks_like_error(text) or (screen and self.part is None and not _is_config(text)):
            # Output blocks of the steps count too when they read like an error ("if you see …").
            entry.errors.append(text)

    def add_symptom_quotes(self, token: Any, quoted: bool) -> None:
        """A symptom's quoted error text: a blockquote's paragraph, or code spans that read like a message."""
        entry = self.current
        if entry is None or self.part != "symptoms":
            return
        if quoted:
            text = inline_text(token).strip()
            if text:
                entry.errors.append(text)
            return
        for child in getattr(token, "children", None) or []:
            if child.type == "code_inline" and _is_message(child.content):
                entry.errors.append(child.content.strip())

    def add_html(self, html: str) -> None:
        """An HTML block: its tables, or its text when it has none."""
        parser = _HtmlTables()
        parser.feed(html)
        parser.close()
        if parser.tables:
            for table in parser.tables:
                self.add_table(table)
        else:
            self.add_text(re.sub(r"<[^>]+>", " ", html))

    def add_table(self, table: _Table) -> None:
        entry = self.current
        if entry is None:
            return
        error_cols = [i for i, h in enumerate(table.header) if _TABLE_ERROR_HEADER.search(h)]
        if not error_cols:
            # Only a column that names error messages, codes or symptoms holds errors; the rest is context.
            for row in table.rows:
                self.add_text(" ".join(text.replace("`", "") for text, _ in row))
            return
        for row in table.rows:
            codes_only = all(is_code(row[i][0].strip().strip("`")) for i in error_cols if i < len(row))
            cols = list(error_cols)
            if codes_only:
                cols += [
                    i for i, h in enumerate(table.header) if "description" in h.lower() and i not in cols
                ]
            messages = [m for i in cols if i < len(row) for m in _split_messages(row[i][0])]
            other = [row[i] for i in range(len(row)) if i not in cols]
            # A reference table (the error glossary) names the topic that explains each row.
            topic_cols = [i for i, h in enumerate(table.header) if "topic" in h.lower() and i not in cols]
            targets = [t for i in topic_cols if i < len(row) for href in row[i][1] if (t := topic_of(href))]
            row_is_referral = bool(targets) and not entry.marked
            for message in messages:
                if row_is_referral:
                    entry.referrals.append((targets[0], message))
                else:
                    entry.errors.append(message)
            self.part, saved = "resolve", self.part
            for text, _ in other:
                self.add_text(text)
            self.part = saved


def _cell_text(token: Any) -> str:
    """Text of one inline token of a table cell: code spans keep their backticks, ``<br>`` breaks lines."""
    children = getattr(token, "children", None)
    if not children:
        return str(token.content)
    parts = []
    for child in children:
        if child.type == "code_inline":
            parts.append(f"`{child.content}`")
        elif child.type == "text":
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type in ("hardbreak",) or (child.type == "html_inline" and _BREAK.match(child.content)):
            parts.append("\n")
    return "".join(parts)


def _table(tokens: list[Any], start: int) -> tuple[_Table, int]:
    """The table that opens at ``start`` (pipe tables, and HTML tables the renderer turned into tokens)."""
    table = _Table([], [])
    row: list[tuple[str, list[str]]] = []
    cell: list[str] | None = None
    links: list[str] = []
    header = False
    depth = 0
    i = start
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if kind == "table_open":
            depth += 1
        elif kind == "table_close":
            depth -= 1
            if depth == 0:
                break
        elif depth > 1:
            pass  # a table nested in a cell: its text is not a row of this one
        elif kind == "tr_open":
            row = []
        elif kind in ("td_open", "th_open"):
            cell, links, header = [], [], kind == "th_open"
        elif kind == "inline" and cell is not None:
            cell.append(_cell_text(token))
            links.extend(_links(token))
        elif kind in ("td_close", "th_close") and cell is not None:
            text = "\n".join(cell)
            if header:
                table.header.append(" ".join(text.split()))
            else:
                row.append((text, links))
            cell = None
        elif kind == "tr_close" and row:
            table.rows.append(row)
        i += 1
    return table, i


_PIPE_ROW = re.compile(r"^\|.*\|$")


def _stray_rows(text: str, header: list[str]) -> _Table | None:
    """Pipe-table rows that a blank line cut off from their table (they render as a paragraph)."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if not lines or not all(_PIPE_ROW.match(line) for line in lines):
        return None
    rows = []
    for line in lines:
        cells = [c.strip() for c in line[1:-1].split("|")]
        if len(cells) != len(header):
            return None
        rows.append(
            [(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", c), re.findall(r"\]\(([^)\s]+)\)", c)) for c in cells]
        )
    return _Table(header, rows)


def extract_entries(page: RenderedPage) -> list[Entry]:
    """Every troubleshooting section of ``page`` with its texts, in document order.

    Pages that use no troubleshooting markers (debug checklists) still give one entry per section; their
    code blocks count as errors only when they read like one.
    """
    collector = _Collector(page)
    tokens = page.tokens
    last_table: _Table | None = None
    quote_depth = 0
    i = 0
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if kind == "heading_open" and i + 1 < len(tokens):
            collector.section(token, tokens[i + 1])
            last_table = None
            i += 3
            continue
        if kind == "ts_part_open":
            collector.part = str((token.meta or {}).get("part") or "") or None
            if collector.current is not None:
                collector.current.marked = True
        elif kind in ("blockquote_open", "blockquote_close"):
            quote_depth += 1 if kind == "blockquote_open" else -1
        elif kind == "inline":
            stray = _stray_rows(str(token.content), last_table.header) if last_table else None
            if stray is not None:
                collector.add_table(stray)
            else:
                collector.add_symptom_quotes(token, quote_depth > 0)
                if not (quote_depth > 0 and collector.part == "symptoms"):
                    collector.add_text(inline_text(token))
                last_table = None
        elif kind in ("fence", "code_block"):
            collector.add_fence(token)
        elif kind == "table_open":
            table, i = _table(tokens, i)
            collector.add_table(table)
            last_table = table
        elif kind == "html_block":
            collector.add_html(str(token.content))
        i += 1
    return [e for e in collector.entries if e.symptom or e.errors or e.body or e.referrals or e.resolution]
