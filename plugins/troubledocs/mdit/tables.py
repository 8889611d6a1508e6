"""Pipe tables in IBM's dialect: table attributes, ``\\n`` inside cells, row headers.

* A table's attribute list (put on ``table_open`` by the block-IAL rule) may hold ``caption`` (with
  ``caption-side="top|bottom"``) → a ``<caption>``; ``summary`` → a hidden description the table points to with
  ``aria-describedby``; ``tab-title`` / ``tab-group`` → ``data-tab-title`` / ``data-tab-group`` (tabbed
  tables are grouped by another rule); ``row-headers`` (class) → the first cell of each body row is a
  ``<th scope="row">``. Header cells in ``<thead>`` get ``scope="col"``. Classes (``row-headers``,
  ``simple-tab-table`` …) go on a ``<div class="td-table …">`` around the table: Material for MkDocs styles and
  scroll-wraps only tables without a class.
* A literal, unescaped ``\\n`` in a cell is a line break, and ``\\n * item`` lines make a list: the cell is
  re-parsed as Markdown, as IBM's marked-it does. ``\\n`` inside a code span stays literal.

The token stream keeps the author's attribute names (``caption``, ``tab-group`` …) on ``table_open``; they are
translated to HTML only when rendering, so later rules and the troubleshooting extractor read them as written.
HTML tables (:mod:`troubledocs.mdit.html_blocks`) become the same tokens and render the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
import itertools
import re

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml, mdTrim
from markdown_it.renderer import RendererHTML
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block.table import escapedSplit, getLine, table
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from troubledocs.mdit.env import report
from troubledocs.mdit.tokens import classes
from troubledocs.sanitize import attrs_html

#: A code span (its ``\n`` stays literal) or a literal ``\n`` preceded by an even number of backslashes.
_CELL_PIECE = re.compile(r"(?P<code>(?P<ticks>`+).*?(?<!`)(?P=ticks)(?!`))|(?P<nl>(?<!\\)(?:\\\\)*\\n)")
_LIST_ITEM = re.compile(r"\A\s*(?:[*+-]|\d{1,9}[.)])(?:\s|\Z)")
#: Class of the text that ``summary`` becomes. It is ``hidden``: ``aria-describedby`` still reads hidden text.
SUMMARY_CLASS = "td-table-summary"
#: The wrapper that carries a table's classes (``<div class="td-table simple-tab-table">``).
WRAPPER_CLASS = "td-table"
_DATA_KEYS = {"tab-title": "data-tab-title", "tab-group": "data-tab-group"}
_CONSUMED_KEYS = ("caption", "caption-side", "summary")


def tables_plugin(md: MarkdownIt) -> None:
    """Register cell re-parsing (before inline parsing), row headers (last core rule) and table rendering.

    Use it after the block-IAL plugin, so that ``row-headers`` is already on ``table_open`` when it runs.
    """
    # ``at`` forgets the rule's ``alt`` list: keep markdown-it's, so that a table interrupts a paragraph.
    md.block.ruler.at("table", _table_keeping_extra_cells, {"alt": ["paragraph", "reference"]})
    md.core.ruler.before("inline", "table_cell_breaks", _cell_breaks)
    md.core.ruler.push("table_row_headers", _row_headers)
    md.add_render_rule("table_open", _render_table_open(md))
    md.add_render_rule("table_close", _render_table_close)


def _table_keeping_extra_cells(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it's pipe table, except that a body row with more cells than the header keeps them (GFM drops
    them silently; IBM pages have such rows): they become extra cells of that row, with a ``TD406`` warning."""
    first = len(state.tokens)
    if not table(state, start, end, silent):
        # Both readings below start at a pipe row: most lines of a page have no pipe at all.
        if state.src.find("|", state.bMarks[start], state.eMarks[start]) < 0:
            return False
        if not _table_with_mismatched_delimiter(state, start, end, silent):
            return _headerless_table(state, start, end, silent)
    if silent:
        return True
    _continue_after_blank_lines(state, first, end)
    tokens = state.tokens
    index = first
    while index < len(tokens):
        row = tokens[index]
        index += 1
        if row.type != "tr_open" or not row.map:
            continue
        close = next(i for i in range(index, len(tokens)) if tokens[i].type == "tr_close")
        present = sum(1 for token in tokens[index:close] if token.type in ("td_open", "th_open"))
        line = mdTrim(getLine(state, row.map[0]))
        if _most_cells(line) <= present:
            continue
        columns = escapedSplit(line)
        if columns and columns[0] == "":
            columns.pop(0)
        if columns and columns[-1] == "":
            columns.pop()
        if len(columns) <= present:
            continue
        extra: list[Token] = []
        for text in columns[present:]:
            cell_open = Token("td_open", "td", 1)
            inline = Token("inline", "", 0)
            inline.content, inline.map, inline.children = mdTrim(text), list(row.map), []
            cell_close = Token("td_close", "td", -1)
            for token in (cell_open, inline, cell_close):
                token.level = tokens[close - 1].level + (1 if token is inline else 0)
                token.block = True
            extra += [cell_open, inline, cell_close]
        tokens[close:close] = extra
        index = close + len(extra)
        report(
            state.env,
            row.map[0] + 1,
            "TD406",
            f"table row has {len(columns)} cells but the header has {present}: the extra cells are kept",
        )
    return True


def _table_with_mismatched_delimiter(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A table whose delimiter row has more or fewer columns than its header (``TD408``): markdown-it shows it as a
    paragraph of pipes. It is read with a delimiter row of the header's width, written over the source line for
    the time of the call (same length, so no offset moves)."""
    # Both lines must be pipe rows: ``a | b`` over ``---`` is a setext heading. (Tried at every line: the header's
    # pipe, which most lines lack, is asked first.)
    if (
        start + 2 > end
        or not getLine(state, start).strip().startswith("|")
        or not _is_delimiter(state, start + 1)
        or "|" not in getLine(state, start + 1)
        or state.sCount[start] - state.blkIndent >= 4
    ):
        return False
    header = _cells(getLine(state, start))
    written = _cells(getLine(state, start + 1))
    begin, stop = state.bMarks[start + 1] + state.tShift[start + 1], state.eMarks[start + 1]
    fitted = "|" + "-|" * len(header)
    if len(header) == len(written) or len(fitted) > stop - begin:
        return False
    source = state.src
    state.src = source[:begin] + fitted.ljust(stop - begin) + source[stop:]
    try:
        found = table(state, start, end, silent)
    finally:
        state.src = source
    if found and not silent:
        report(
            state.env,
            start + 2,
            "TD408",
            f"the table's delimiter row has {len(written)} columns but its header has {len(header)}: "
            f"read as {len(header)} columns",
        )
    return found


def _headerless_table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Pipe rows without a delimiter row: kramdown reads them as a table with a body and no header, and IBM pages
    have them (a two-column list of fields). At least two rows, so that one line of prose starting with a pipe
    stays prose; delimiter rows among them only separate. Like a GFM table it interrupts a paragraph: rows under
    a line of text are a table the author forgot to separate, never prose."""
    if start + 1 >= end or not _is_row(state, start):
        return False  # tried at every line: most are no pipe row
    rows = list(itertools.takewhile(lambda row: _is_row(state, row), range(start, end)))
    body = [row for row in rows if not _is_delimiter(state, row)]
    if len(body) < 2:
        return False
    if silent:
        return True
    width = max(len(_cells(getLine(state, row))) for row in body)
    stop = rows[-1] + 1
    state.push("table_open", "table", 1).map = [start, stop]
    state.push("tbody_open", "tbody", 1).map = [start, stop]
    for row in body:
        _push_row(state, row, [None] * width)
    state.push("tbody_close", "tbody", -1)
    state.push("table_close", "table", -1)
    state.line = stop
    return True


def _cells(line: str) -> list[str]:
    """The cells of a pipe row, as markdown-it splits them (without the empty ones outside the edge pipes)."""
    columns = escapedSplit(line.strip())
    if columns and columns[0] == "":
        columns.pop(0)
    if columns and columns[-1] == "":
        columns.pop()
    return columns


def _continue_after_blank_lines(state: StateBlock, first: int, end: int) -> None:
    """Keep in the table the pipe rows that follow it after a blank line (``TD407``): a stray blank line would
    otherwise show the rest of the table as a paragraph of pipes. A row followed by a delimiter row starts a new
    table instead."""
    tokens = state.tokens
    if len(tokens) - first < 2 or tokens[-2].type not in ("tbody_close", "thead_close"):
        return
    has_body = tokens[-2].type == "tbody_close"
    header = tokens[first + 1 : next(i for i in range(first, len(tokens)) if tokens[i].type == "thead_close")]
    styles = [token.attrs.get("style") for token in header if token.type == "th_open"]
    line = state.line
    rows: list[int] = []
    while line < end and state.isEmpty(line):
        after = state.skipEmptyLines(line)
        taken = list(
            itertools.takewhile(lambda row: _is_row(state, row), range(after, end))
        )  # the next rows only
        if not taken or (after + 1 < end and _is_delimiter(state, after + 1)):
            break
        if not rows:
            report(
                state.env,
                line + 1,
                "TD407",
                "blank line inside a table: the pipe rows after it are kept in the table",
            )
        rows += taken
        line = taken[-1] + 1
    if not rows:
        return
    tokens.pop()  # table_close, and tbody_close when the table has a body: the new rows go before them
    state.level += 1
    if has_body:
        tokens.pop()
        state.level += 1
    else:
        state.push("tbody_open", "tbody", 1).map = [rows[0], line]
    for row in rows:
        _push_row(state, row, styles)
    state.push("tbody_close", "tbody", -1)
    state.push("table_close", "table", -1)
    for token in tokens[first:]:
        if token.type in ("table_open", "tbody_open") and token.map:
            token.map[1] = line
    state.line = line


def _is_row(state: StateBlock, line: int) -> bool:
    return (
        state.sCount[line] >= state.blkIndent
        and state.sCount[line] - state.blkIndent < 4
        and getLine(state, line).strip().startswith("|")
    )


def _is_delimiter(state: StateBlock, line: int) -> bool:
    text = getLine(state, line).strip()
    return bool(text) and set(text) <= set("|-: \t") and "-" in text


def _push_row(state: StateBlock, line: int, styles: list[str | int | float | None]) -> None:
    """A body row as markdown-it's table rule writes it: one cell per header column."""
    columns = _cells(getLine(state, line))
    state.push("tr_open", "tr", 1).map = [line, line + 1]
    for index, style in enumerate(styles):
        cell = state.push("td_open", "td", 1)
        if style:
            cell.attrs = {"style": style}
        inline = state.push("inline", "", 0)
        inline.content = columns[index].strip() if index < len(columns) else ""
        inline.map, inline.children = [line, line + 1], []
        state.push("td_close", "td", -1)
    state.push("tr_close", "tr", -1)


def _most_cells(line: str) -> int:
    """At least as many cells as markdown-it's ``escapedSplit`` finds in a row (as many in an ordinary row),
    without splitting it: one more than the unescaped pipes, less the enclosing pipes' empty cells. Most rows
    have no extra cells, and counting is much cheaper than splitting."""
    count = line.count("|") - line.count("\\|") + 1 - line.startswith("|")
    return count - (len(line) > 1 and line.endswith("|") and not line.endswith("\\|"))


def _cell_breaks(state: StateCore) -> None:
    tokens = state.tokens
    if not any(token.type == "table_open" for token in tokens):
        return
    result: list[Token] = []
    for index, token in enumerate(tokens):
        if (
            token.type == "inline"
            and "\\n" in token.content
            and index
            and tokens[index - 1].type in ("td_open", "th_open")
        ):
            result.extend(_split_cell(state, token))
        else:
            result.append(token)
    state.tokens = result


def _split_cell(state: StateCore, inline: Token) -> list[Token]:
    pieces = _split_on_breaks(inline.content)
    if len(pieces) == 1:
        return [inline]
    lines = [piece.strip() for piece in pieces]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    if not any(_LIST_ITEM.match(line) for line in lines):
        inline.content = "\\\n".join(lines)
        return [inline]
    return _block_cell(state, inline, pieces)


def _split_on_breaks(content: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for match in _CELL_PIECE.finditer(content):
        if match.group("nl") is not None:
            backslashes = match.group("nl")[:-2]
            pieces.append(content[start : match.start()] + backslashes)
            start = match.end()
    pieces.append(content[start:])
    return pieces


def _block_cell(state: StateCore, inline: Token, pieces: list[str]) -> list[Token]:
    """Parse the cell's lines as blocks: text lines joined by hard breaks, list items as lists."""
    lines = [piece.rstrip() for piece in pieces if piece.strip()]
    source: list[str] = []
    for position, line in enumerate(lines):
        if _LIST_ITEM.match(line):
            source.append(line)  # its indentation tells nesting
            continue
        following = lines[position + 1] if position + 1 < len(lines) else None
        if following is None:
            source.append(line.lstrip())
        elif _LIST_ITEM.match(following):
            # A blank line after it: the text is a paragraph, the list its own block.
            source.append(line.lstrip() + "\n")
        else:
            source.append(line.lstrip() + "\\")  # hard line break before the next line of text
    blocks: list[Token] = []
    state.md.block.parse("\n".join(source), state.md, state.env, blocks)
    for block in blocks:
        block.level += inline.level
        block.map = list(inline.map) if inline.map else None
    top_paragraphs = [b for b in blocks if b.type == "paragraph_open" and b.level == inline.level]
    if len(top_paragraphs) == 1:
        # A single line of text above a list: no paragraph margins inside the cell.
        for block in blocks:
            if block.type in ("paragraph_open", "paragraph_close") and block.level == inline.level:
                block.hidden = True
    return blocks


def _row_headers(state: StateCore) -> None:
    tables: list[bool] = []  # per open table: does it want row headers? (HTML tables may nest)
    cells: list[bool] = []  # per open cell: was it turned into a row header?
    first_cell = False
    in_head = False
    for token in state.tokens:
        if token.type in ("thead_open", "thead_close"):
            in_head = token.nesting == 1
        elif token.type == "table_open":
            tables.append("row-headers" in classes(token))
        elif token.type == "table_close" and tables:
            tables.pop()
        elif token.type == "tr_open":
            first_cell = True
        elif token.type in ("td_open", "th_open"):
            header = bool(tables and tables[-1]) and first_cell and token.type == "td_open"
            first_cell = False
            cells.append(header)
            if header:
                token.tag = "th"
                token.attrSet("scope", "row")
            elif token.type == "th_open" and in_head and not token.attrGet("scope"):
                token.attrSet("scope", "col")
        elif token.type in ("td_close", "th_close") and cells and cells.pop():
            token.tag = "th"


_RenderRule = Callable[[RendererHTML, Sequence[Token], int, OptionsDict, EnvType], str]


def _render_table_open(md: MarkdownIt) -> _RenderRule:
    def render(
        self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        token = tokens[idx]
        attrs = dict(token.attrs)
        caption = attrs.get("caption")
        side = str(attrs.get("caption-side", "top")).strip().lower()
        summary = attrs.get("summary")
        for key in _CONSUMED_KEYS:
            attrs.pop(key, None)
        for key, data_key in _DATA_KEYS.items():
            if key in attrs:
                attrs[data_key] = attrs.pop(key)
        before = ""
        if summary:
            counter = int(env.get("td_table_summaries", 0)) + 1
            env["td_table_summaries"] = counter
            summary_id = f"td-table-summary-{counter}"
            attrs["aria-describedby"] = summary_id
            before = (
                f'<span class="{SUMMARY_CLASS}" id="{summary_id}" hidden>{escapeHtml(str(summary))}</span>\n'
            )
        # Material styles and scroll-wraps only ``table:not([class])``: the author's classes go on a wrapper.
        classes = attrs.pop("class", None)
        env.setdefault("td_table_wrappers", []).append(bool(classes))
        if classes:
            before = f'<div class="{WRAPPER_CLASS} {escapeHtml(str(classes))}">\n{before}'
        html = f"{before}<table{attrs_html(attrs.items())}>\n"
        has_caption_element = idx + 1 < len(tokens) and tokens[idx + 1].type == "caption_open"
        if caption and not has_caption_element:
            style = ' style="caption-side: bottom"' if side == "bottom" else ""
            html += f"<caption{style}>{md.renderInline(str(caption), env)}</caption>\n"
        return html

    return render


def _render_table_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    wrappers = env.get("td_table_wrappers") or [False]
    return "</table>\n</div>\n" if wrappers.pop() else "</table>\n"
