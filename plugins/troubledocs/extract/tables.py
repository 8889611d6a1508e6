"""Tables of the docs as rows of cells: pipe tables and HTML tables (tokens or raw HTML), and pipe rows that a
blank line cut off from their table."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
import re

from markdown_it.token import Token

from troubledocs.extract.inline import BREAK, link_targets

#: A table column of error messages, error codes or symptoms; other tables (states, options) are context.
TABLE_ERROR_HEADER = re.compile(r"\b(?:errors?|messages?|codes?|symptoms?)\b", re.IGNORECASE)


@dataclass
class Table:
    header: list[str]
    rows: list[list[tuple[str, list[str]]]]


class HtmlTables(HTMLParser):
    """Tables of an HTML block: cell text (``<br>`` as line breaks) and the links of each cell."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self._row: list[tuple[str, list[str]]] | None = None
        self._cell: list[str] | None = None
        self._cell_links: list[str] = []
        self._header_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append(Table([], []))
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


def split_messages(cell: str) -> list[str]:
    """Alternative messages in one cell: separated by blank lines, ``<br>`` or backtick-quoted runs."""
    quoted = re.findall(r"`([^`]+)`", cell)
    if len(quoted) > 1:
        return [" ".join(q.split()) for q in quoted]
    pieces = [" ".join(p.replace("`", "").split()) for p in re.split(r"\n\s*\n|\n", cell)]
    return [p for p in pieces if p]


def _cell_text(token: Token) -> str:
    """Text of one inline token of a table cell: code spans keep their backticks, ``<br>`` breaks lines."""
    children = token.children
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
        elif child.type in ("hardbreak",) or (child.type == "html_inline" and BREAK.match(child.content)):
            parts.append("\n")
    return "".join(parts)


def read_table(tokens: list[Token], start: int) -> tuple[Table, int]:
    """The table that opens at ``start`` (pipe tables, and HTML tables the renderer turned into tokens)."""
    table = Table([], [])
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
            links.extend(link_targets(token))
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


def stray_rows(text: str, header: list[str]) -> Table | None:
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
    return Table(header, rows)
