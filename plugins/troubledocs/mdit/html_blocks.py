"""Raw HTML in legacy pages: tables and lists with Markdown inside, tolerated mistakes, safe output.

Legacy pages (2018–2020) write tables as HTML and put Markdown in the cells (links, ``**bold**``, `` `code` ``),
write ``</br>``, leave ``<td>``/``<th>``/``<li>`` unclosed, indent a ``<table>`` inside a list item, and use bare
placeholders (``<provider>``, ``<region>``, ``'<ID>'``) that a browser would swallow as unknown tags.

* A block rule replaces markdown-it's ``html_block``: an HTML block starting with a known block-level tag runs to
  its matching close tag (a ``<table>`` may hold blank lines), is tokenized with the standard library's
  :class:`html.parser.HTMLParser`, and becomes ordinary markdown-it tokens: ``table_open``/``tr_open``/
  ``td_open``…, ``bullet_list_open``/``list_item_open``…, with the text of each element as an ``inline`` token.
  So Markdown in cells renders with the same rules as the rest of the page (span IALs, links, keywords), the
  troubleshooting extractor sees an HTML table exactly like a pipe table, and every token keeps its line.
* Known tags (:mod:`troubledocs.mdit.html_tags`) are kept as written, their attributes cleaned by the one
  policy of :mod:`troubledocs.sanitize` (``TD403``); ``<script>`` and comments are dropped. Missing end tags are added (``</td>``, ``</li>``, … are
  optional in HTML, so silently; others warn ``TD401``); an end tag that closes nothing is dropped (``TD402``),
  except ``</br>``, which means ``<br>``.
* A name that is not an HTML element a page would contain (``<provider>``, ``<ID>``) is text, shown escaped; the
  same core rule guards ``html_inline`` in paragraphs.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from html.parser import HTMLParser
import re
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType

from troubledocs.attrs import parse_attr_list, repaired_attr_line
from troubledocs.mdit.env import report
from troubledocs.mdit.html_tags import (
    BLOCK_TAGS,
    CONTAINERS,
    IMPLIED_END,
    INLINE_TAGS,
    KNOWN_TAGS,
    OPTIONAL_END,
    TEXT_HOLDERS,
    TOKEN_TYPES,
    VOID,
)
from troubledocs.sanitize import Removed, attrs_html, clean_attrs

_MARKDOWN_SPACE = " \t"
#: The env key of the element texts being parsed as Markdown blocks (:meth:`_Builder._markdown_blocks`).
_AS_TEXT = "td_html_text_blocks"
_START = re.compile(r"\A<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|\Z)")
_TAG_AT = {name: re.compile(rf"<(/?){name}(?=[\s/>])", re.IGNORECASE) for name in CONTAINERS}
_CONTAINER_START = re.compile(rf"<({'|'.join(sorted(CONTAINERS))})(?=[\s/>])", re.IGNORECASE)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_NEWLINE = re.compile("\n")
#: An inline tag without attributes (``<b>``, ``</b>``, ``<br/>``): what the HTML parser would report, read directly.
_BARE_TAG = re.compile(r"<(?:/([A-Za-z][A-Za-z0-9-]*)|([A-Za-z][A-Za-z0-9-]*)(\s*/)?)>\Z")
#: A line of nothing but line breaks (``<br />``), which authors put between blocks for space.
_LONE_BREAKS = re.compile(r"(?:<br\s*/?>\s*)+\Z", re.IGNORECASE)
_DELIMITER_ROW = r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*\|[ \t:|-]*$"
_TABLE_STARTED = re.compile(_DELIMITER_ROW, re.MULTILINE)
#: A line that only Markdown block syntax explains: a list item, a fence, a pipe table's delimiter row, or a line
#: shaped like an attribute-list definition (``{:name: …}``), which the block rule defines or ignores wherever it
#: stands.
_MD_BLOCK_LINE = re.compile(
    rf"^[ \t]*(?:[*+-]|\d{{1,9}}[.)])[ \t]+\S|^[ \t]*(?:```|~~~)|{_DELIMITER_ROW}"
    r"|(?<=\n) {0,3}\{:[A-Za-z_][\w#.-]*:.*\}\s*$",
    re.MULTILINE,
)
#: Markdown punctuation escaped inside ``<code>`` so that ``*``/``_``/`` ` `` there stay literal.
_CODE_ESCAPES = str.maketrans({c: "\\" + c for c in "\\`*_[]!<>{}~|"})


def html_blocks_plugin(md: MarkdownIt) -> None:
    """Replace ``html_block`` by the tolerant HTML block rule; guard ``html_inline`` in every inline token."""
    md.block.ruler.before("code", "td_html", _html_rule, {"alt": ["paragraph", "reference", "blockquote"]})
    md.block.ruler.disable("html_block")
    md.core.ruler.after("inline", "td_html_inline", _guard_inline_html)


# --- block rule ---------------------------------------------------------------------------------------------


def _html_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if not state.md.options.get("html", False):
        return False
    start = state.bMarks[start_line] + state.tShift[start_line]
    first = state.src[start : state.eMarks[start_line]]
    indent = state.sCount[start_line] - state.blkIndent
    if first.startswith("<!--"):
        if indent >= 4:
            return False
        return _comment_block(state, start_line, end_line, silent)
    if _LONE_BREAKS.match(first):
        return _lone_breaks(state, start_line, first, silent or indent >= 4)
    match = _START.match(first)
    if match is None:
        return False
    name = match.group(2).lower()
    if name not in BLOCK_TAGS:
        return False
    # Four spaces would make an indented code block; a legacy table indented inside a list item (or a definition,
    # any block with its own indentation) is still a table.
    if indent >= 4 and not (state.blkIndent > 0 and indent < 8 and name in CONTAINERS):
        return False
    if start_line == 0 and state.src in state.env.get(_AS_TEXT, ()):
        # Text of an element that the HTML parser read as no tag (``<table summary`` without its ``>``), parsed
        # as Markdown blocks: taking it for the same HTML block again would never end.
        return False
    if silent:
        return True
    last = _block_end(state, start_line, end_line, _container_on(first) if not match.group(1) else "")
    # Lines without the markers of the containers around (a quote's `>`, a list item's `-`), as markdown-it reads them.
    source = state.getLines(start_line, last, state.blkIndent, False)
    _Builder(state, start_line).build(source)
    state.line = last
    return True


def _lone_breaks(state: StateBlock, start_line: int, line: str, silent: bool) -> bool:
    # As in CommonMark, such a line is raw HTML between blocks (a paragraph around it would add its margins to the
    # space the author asked for), and it cannot interrupt a paragraph, where it is an inline break.
    if silent:
        return False
    token = state.push("html_block", "", 0)
    token.map = [start_line, start_line + 1]
    token.content = "<br>" * line.lower().count("<br") + "\n"
    state.line = start_line + 1
    return True


def _comment_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    # An unclosed comment would hide the rest of the page in a browser: it stays visible as text instead.
    if state.src.find("-->", state.bMarks[start_line], state.eMarks[end_line - 1]) < 0:
        return False
    if silent:
        return True
    line = start_line
    while line < end_line and "-->" not in state.src[state.bMarks[line] : state.eMarks[line]]:
        line += 1
    last = min(line + 1, end_line)
    # The comment is dropped (a browser and a parser may disagree on where it ends: ``<!-->``, ``--!>``); what
    # follows it on its last line is HTML like any other.
    _Builder(state, start_line).build(state.src[state.bMarks[start_line] : state.eMarks[last - 1]])
    state.line = last
    return True


def _container_on(line: str) -> str:
    """The first container element opened on ``line`` (``<p><table …>`` runs to ``</table>``), else ``""``."""
    found = _CONTAINER_START.search(line)
    return found.group(1).lower() if found else ""


def _block_end(state: StateBlock, start_line: int, end_line: int, container: str) -> int:
    """The line after the block: after the matching end tag of a container, else at the next blank line."""
    if container in CONTAINERS:
        close = _tag_index(state, container).matching_close(
            state.bMarks[start_line] + state.tShift[start_line]
        )
        if close is not None:
            line = bisect_right(state.bMarks, close, start_line, end_line) - 1
            if line < end_line and state.bMarks[line] <= close <= state.eMarks[line]:
                return line + 1
    line = start_line + 1
    while line < end_line and not state.isEmpty(line):
        line += 1
    return line


class _TagIndex:
    """Every ``<name`` / ``</name`` of one element in a source, with the nesting depth after each.

    Built once per source and element, so that finding where each block ends is a binary search, not a scan
    to the end of the page (a page of unclosed ``<table>`` lines would otherwise take quadratic time).
    """

    def __init__(self, source: str, name: str) -> None:
        self.source = source
        self.positions: list[int] = []
        self.depths: list[int] = []
        self.at_depth: dict[int, list[int]] = {}  # depth -> indexes of the tags after which it is reached
        depth = 0
        for match in _TAG_AT[name].finditer(source):
            depth += -1 if match.group(1) else 1
            self.at_depth.setdefault(depth, []).append(len(self.positions))
            self.positions.append(match.start())
            self.depths.append(depth)

    def matching_close(self, start: int) -> int | None:
        """Position of the end tag that closes the first tag at or after ``start``; ``None`` when unclosed."""
        first = bisect_left(self.positions, start)
        if first >= len(self.positions):
            return None
        before = self.depths[first - 1] if first else 0
        if self.depths[first] <= before:
            return self.positions[first]  # a close tag first: the "block" is that tag
        candidates = self.at_depth.get(before, [])
        found = bisect_left(candidates, first)
        return self.positions[candidates[found]] if found < len(candidates) else None


def _tag_index(state: StateBlock, name: str) -> _TagIndex:
    cache: dict[str, _TagIndex] = state.env.setdefault("td_html_tag_index", {})
    index = cache.get(name)
    if index is None or index.source is not state.src:
        index = cache[name] = _TagIndex(state.src, name)
    return index


# --- HTML to tokens -----------------------------------------------------------------------------------------


@dataclass
class _Open:
    """An element the builder has opened: its tag, its opening token, its line."""

    tag: str
    token: Token
    line: int


_Event = tuple[str, str, list[tuple[str, str | None]], str, int]


class _Events(HTMLParser):
    """Collect the parser's events with their lines; entities stay as written (Markdown decodes them)."""

    def __init__(self, source: str = "") -> None:
        super().__init__(convert_charrefs=False)
        self.events: list[_Event] = []
        self._source = source
        #: Where each line of ``source`` starts, found when first asked (most blocks never ask).
        self._line_starts: list[int] | None = None

    def _add(self, kind: str, tag: str, attrs: list[tuple[str, str | None]], raw: str) -> None:
        self.events.append((kind, tag, attrs, raw, self.getpos()[0]))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add("start", tag, attrs, self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add("startend", tag, attrs, self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        # The raw text as written: an unknown end tag is shown as text, junk after its name included.
        start = self._here()
        end = self._source.find(">", start) if start >= 0 else -1
        self._add("end", tag, [], self._source[start : end + 1] if end >= 0 else f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self._add("data", "", [], data)

    def handle_entityref(self, name: str) -> None:
        self._add("data", "", [], self._reference(f"&{name}"))

    def handle_charref(self, name: str) -> None:
        self._add("data", "", [], self._reference(f"&#{name}"))

    def _reference(self, written: str) -> str:
        """A character reference as written: the parser reports ``&div`` without its ``;`` too, and Markdown (which
        reads the text) decodes only a complete one (``&div`` is text, ``&div;`` is ``÷``)."""
        start = self._here()
        return f"{written};" if start < 0 or self._source.startswith(";", start + len(written)) else written

    def parse_comment(self, i: int, report: bool = True) -> int:
        # Only ``-->`` ends a comment, as in a browser and outside HTML blocks (Python's parser also takes ``-- >``
        # and ``--\n>``, which would hide text a browser shows as a comment still open).
        end = self.rawdata.find("-->", i + 4)
        if end < 0:
            return -1
        if report:
            self.handle_comment(self.rawdata[i + 4 : end])
        return end + 3

    def _here(self) -> int:
        """Offset in the source of the construct being reported (-1 when unknown)."""
        line, column = self.getpos()
        if self._line_starts is None:
            self._line_starts = [0, *(found.end() for found in _NEWLINE.finditer(self._source))]
        return self._line_starts[line - 1] + column if line <= len(self._line_starts) else -1

    def handle_comment(self, data: str) -> None:
        start = self._here()
        if start < 0 or self._source.startswith("<!--", start):
            self._add("comment", "", [], f"<!--{data}-->")
            return
        # A "bogus comment" (``</#ode>``, ``<!x>``): a browser would hide it, but the author wrote text.
        end = self._source.find(">", start)
        raw = self._source[start : end + 1 if end >= 0 else len(self._source)]
        self._add("data", "", [], escape(raw, quote=False))

    def parse_html_declaration(self, i: int) -> int:
        position = self.getpos()
        try:
            return super().parse_html_declaration(i)
        except AssertionError:
            # Python's parser gives up on some ``<![…`` (``<![- c -->``), having moved its position on; a browser
            # reads a bogus comment to the next ``>``: the author wrote text, shown as written.
            self.lineno, self.offset = position
            end = self.rawdata.find(">", i)
            if end < 0:
                return -1  # not complete: at the end of the block the parser keeps the rest as text
            self._add("data", "", [], escape(self.rawdata[i : end + 1], quote=False))
            return end + 1

    def handle_pi(self, data: str) -> None:
        self._add("data", "", [], escape(f"<?{data}>", quote=False))  # ``<?x>``: text a browser would hide

    def unknown_decl(self, data: str) -> None:
        self._add("data", "", [], escape(f"<![{data}]>", quote=False))


_CUT_ENTITY = re.compile(r"&#?\w*\Z")
#: A closed attribute list holding a tag, as the span rule finds one (:func:`_feed_around_lists`).
_TAGGED_LIST = re.compile(r"(?<!\\)\{:(?:\\.|[^\\{}\n<])*<(?:\\.|[^\\{}\n])*\}")


def tokenize_html(source: str) -> list[_Event]:
    """HTML events ``(kind, tag, attrs, raw, line)``; ``line`` is 1-based within ``source``. Never raises."""
    parser = _Events(source)
    # CPython's parser drops the '&' of an entity cut off at the very end (``&lt;vlan&g``): keep that tail as text.
    tail = _CUT_ENTITY.search(source)
    head = source[: tail.start()] if tail else source
    if "{:" in head:
        _feed_around_lists(parser, head)
    else:
        parser.feed(head)
    parser.close()
    if tail:
        parser.events.append(("data", "", [], tail.group(0), head.count("\n") + 1))
    return parser.events


def _feed_around_lists(parser: _Events, source: str) -> None:
    """Feed ``source`` to ``parser``; an attribute list that starts in text (outside any tag, comment or script) is
    text, whatever its quoted values hold (``{: title='<b>'}``): the element's Markdown reads it as a list, as the
    attribute rules read it outside HTML (the one reading of the word check too), so a ``<script>`` in a value
    neither splits it nor shows its start (``{: onclick='-->``)."""
    done = 0
    for found in _TAGGED_LIST.finditer(source):
        run = found.group(0)
        parser.feed(source[done : found.start()])
        at_text = not parser.rawdata and parser.cdata_elem is None
        if at_text and (parse_attr_list(run) is not None or repaired_attr_line(run) is not None):
            parser.events.append(("data", "", [], run, parser.lineno))
            parser.offset += len(run)  # a list holds no line break
            done = found.end()
        else:
            done = found.start()
    parser.feed(source[done:])


def _safe_tag(kind: str, tag: str, attrs: list[tuple[str, str | None]], removed: Removed) -> str:
    if kind == "end":
        return "<br>" if tag == "br" else f"</{tag}>"
    return f"<{tag}{attrs_html(clean_attrs(tag, attrs, removed))}>"


class _Builder:
    """Turn one HTML block into markdown-it tokens (one instance per block)."""

    def __init__(self, state: StateBlock, start_line: int) -> None:
        self.state = state
        self.start_line = start_line
        self.stack: list[_Open] = []
        self.text: list[str] = []  # the pending inline run (Markdown source, inline HTML serialized)
        self.text_line = start_line
        self.code_depth = 0
        self.raw_tag = ""  # inside <pre>/<script>/<style>: collected verbatim
        self.raw: list[str] = []
        self.raw_line = start_line
        self.removed = Removed()
        #: Whether the pending text's current line is a row of a pipe table the pending text has begun (``None``
        #: while that line has no text).
        self.pipe_row: bool | None = None
        self.table_started = False
        self.row_tags: dict[str, int] = {}  # block elements opened inline in that row, and how many are open

    def build(self, source: str) -> None:
        for kind, tag, attrs, raw, line_no in tokenize_html(source):
            line = self.start_line + line_no - 1
            if self.raw_tag:
                self._raw_event(kind, tag, attrs, raw, line)
            elif kind == "data":
                self._data(raw, line)
            elif kind == "comment":
                self._append_text("", line)  # comments inside a block vanish
            elif tag not in KNOWN_TAGS:
                # Left as written: in a code span it is literal, elsewhere the html_inline guard shows it as text.
                self._data(raw, line)
            elif tag in INLINE_TAGS or (kind == "end" and tag == "br"):
                self._inline_tag(kind, tag, attrs, line)
            elif self.pipe_row and (kind != "end" or self.row_tags.get(tag, 0) > 0):
                self._row_tag(kind, tag, attrs, line)
            elif kind == "end":
                self._end(tag, line)
            else:
                self._start(kind, tag, attrs, line)
        if self.raw_tag:
            self._end_unclosed_raw()
        self._flush(self.start_line)
        while self.stack:
            self._close_top(warn=True)
        self.removed.report(self.state.env, self.start_line + 1)

    # inline content --------------------------------------------------------------------------------------

    def _data(self, text: str, line: int) -> None:
        self._append_text(text.translate(_CODE_ESCAPES) if self.code_depth else text, line)

    def _append_text(self, text: str, line: int) -> None:
        if not self.text:
            self.text_line = line
        if text:
            self.text.append(text)
            self._follow_line(text)

    def _row_tag(self, kind: str, tag: str, attrs: list[tuple[str, str | None]], line: int) -> None:
        # A cell of a pipe table row holds inline content, so a block tag there (``| <pre>…</pre> |``) is inline
        # HTML, as in a pipe table outside HTML. An end tag is inline only for an element the row opened.
        if kind != "startend" and tag not in VOID:
            self.row_tags[tag] = self.row_tags.get(tag, 0) + (1 if kind == "start" else -1)
        self._append_text(_safe_tag(kind, tag, attrs, self.removed), line)

    def _follow_line(self, text: str) -> None:
        """Keep :attr:`pipe_row` for the line the pending text ends on (each piece is read once)."""
        newline = text.rfind("\n")
        if newline >= 0:
            self.table_started = self.table_started or bool(_TABLE_STARTED.search(text))
            self.pipe_row, self.row_tags, text = None, {}, text[newline + 1 :]
        if self.pipe_row is None and text.strip():
            self.pipe_row = self.table_started and text.lstrip().startswith("|")

    def _inline_tag(self, kind: str, tag: str, attrs: list[tuple[str, str | None]], line: int) -> None:
        if tag == "code" and kind != "startend":
            self.code_depth = max(0, self.code_depth + (1 if kind == "start" else -1))
        self._append_text(_safe_tag(kind, tag, attrs, self.removed), line)

    def _flush(self, line: int) -> None:
        source = "".join(self.text)
        self.text = []
        self.pipe_row, self.row_tags, self.table_started = None, {}, False
        if not source.strip():
            return
        in_holder = bool(self.stack) and self.stack[-1].tag in TEXT_HOLDERS
        if _BLANK_LINE.search(source.strip()) or _MD_BLOCK_LINE.search(source):
            self._markdown_blocks(source, in_holder)
            return
        # The text starts on its first line that is not blank (``</tr>`` then a line of text).
        first = self.text_line + source[: len(source) - len(source.lstrip())].count("\n")
        if not in_holder:
            self._push("paragraph_open", "p", 1, first)
        token = self._push("inline", "", 0, first)
        token.content = source.strip()
        token.children = []
        if not in_holder:
            self._push("paragraph_close", "p", -1, line)

    def _markdown_blocks(self, source: str, in_holder: bool) -> None:
        """Markdown block syntax (lists, several paragraphs) inside an element: parse it as blocks."""
        # The lines stripped from the start still count: block maps are lines of the page.
        skipped = len(source) - len(source.lstrip("\n"))
        lines = source.strip("\n").split("\n")
        # The first line usually follows its tag (``<td>Steps:``); the indentation of the others is the margin.
        # Markdown's white space is spaces and tabs: a vertical tab before ``1.`` makes no list item of the line.
        rest = [x for x in lines[1:] if x.strip(_MARKDOWN_SPACE)]
        margin = min((len(x) - len(x.lstrip(_MARKDOWN_SPACE)) for x in rest), default=0)
        dedented = "\n".join([lines[0].strip(_MARKDOWN_SPACE), *(x[margin:] for x in lines[1:])])
        blocks: list[Token] = []
        first = self.text_line + skipped
        # What the block rules report while they parse is on lines of the page too.
        env = self.state.env
        offset = env.get("td_line_offset", 0)
        env["td_line_offset"] = offset + first
        as_text: list[str] = env.setdefault(_AS_TEXT, [])
        as_text.append(dedented)
        try:
            self.state.md.block.parse(dedented, self.state.md, env, blocks)
        finally:
            env["td_line_offset"] = offset
            as_text.pop()
        level = self.state.level
        for block in blocks:
            block.level += level
            if block.map:
                block.map = [first + block.map[0], first + block.map[1]]
            self.state.tokens.append(block)
        paragraphs = [b for b in blocks if b.type == "paragraph_open" and b.level == level]
        if in_holder and len(paragraphs) == 1:
            for block in blocks:
                if block.type in ("paragraph_open", "paragraph_close") and block.level == level:
                    block.hidden = True

    # raw elements (pre, script, style) --------------------------------------------------------------------

    def _raw_event(
        self, kind: str, tag: str, attrs: list[tuple[str, str | None]], raw: str, line: int
    ) -> None:
        if kind == "end" and tag == self.raw_tag:
            if self.raw_tag != "script":
                token = self._push("html_block", "", 0, line)
                token.content = "".join(self.raw) + f"</{tag}>"
            self.raw_tag, self.raw = "", []
        elif kind == "end" and self.raw_tag == "pre" and any(opened.tag == tag for opened in self.stack):
            # ``</div>`` of an element around an unclosed ``<pre>`` ends the ``<pre>`` too, as in a browser.
            self._end_unclosed_raw()
            self._end(tag, line)
        elif kind == "comment":
            pass  # dropped, as outside <pre>
        elif kind == "data":  # a '<' in data starts no tag (``</co`` cut off at the end): it must stay text
            self.raw.append(raw.replace("<", "&lt;"))
        elif tag in KNOWN_TAGS:
            self.raw.append(_safe_tag(kind, tag, attrs, self.removed))
        else:
            self.raw.append(escape(raw, quote=False))

    def _end_unclosed_raw(self) -> None:
        """A ``<pre>`` (or ``<style>``) still open where the block ends keeps its text, closed there."""
        if self.raw_tag != "script":
            token = self._push("html_block", "", 0, self.raw_line)
            token.content = "".join(self.raw) + f"</{self.raw_tag}>"
        message = f"<{self.raw_tag}> is not closed; closed where the HTML block ends"
        report(self.state.env, self.raw_line + 1, "TD401", message)
        self.raw_tag, self.raw = "", []

    # block structure ---------------------------------------------------------------------------------------

    def _push(self, kind: str, tag: str, nesting: Literal[-1, 0, 1], line: int) -> Token:
        token = self.state.push(kind, tag, nesting)
        token.map = [line, line + 1]
        return token

    def _start(self, kind: str, tag: str, attrs: list[tuple[str, str | None]], line: int) -> None:
        self._flush(line)
        if tag in ("pre", "script", "style"):
            if kind == "startend":
                return  # ``<pre/>``: an empty element shows nothing
            if tag == "script":
                self.removed.unsafe.append("<script>")
            else:
                self.raw = [_safe_tag(kind, tag, attrs, self.removed)]
            self.raw_tag, self.raw_line = tag, line
            return
        self._close_implied(tag)
        self._ensure_parent(tag, line)
        if tag in VOID or kind == "startend":
            token = self._push("html_void" if tag in VOID else "html_block", "", 0, line)
            if tag in VOID:
                token.tag = tag
                self._set_attrs(token, tag, attrs)
            else:
                token.content = _safe_tag("start", tag, attrs, self.removed) + f"</{tag}>\n"
            return
        base = TOKEN_TYPES.get(tag, "html_element")
        token = self._push(f"{base}_open", tag, 1, line)
        self._set_attrs(token, tag, attrs)
        if base == "ordered_list" and token.attrGet("start") is None:
            token.markup = "."
        self.stack.append(_Open(tag, token, line))

    def _set_attrs(self, token: Token, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in clean_attrs(tag, attrs, self.removed):
            token.attrSet(name, value or "")

    def _ensure_parent(self, tag: str, line: int) -> None:
        """A cell outside a row, or a row right in ``<table>`` … the parent HTML implies is opened for it."""
        parent = self.stack[-1].tag if self.stack else ""
        if tag in ("td", "th") and parent in ("table", "thead", "tbody", "tfoot"):
            self._start("start", "tr", [], line)
        elif tag == "tr" and parent == "table":
            self._start("start", "tbody", [], line)

    def _close_implied(self, tag: str) -> None:
        """Close what a new ``tag`` ends in HTML: a cell ends the previous cell, an item the previous item…"""
        implied = IMPLIED_END.get(tag)
        if implied is not None:
            self._close_until(*implied)
        elif self.stack and self.stack[-1].tag == "p":
            self._close_top(warn=False)  # a block element ends an open paragraph

    def _close_until(self, closes: frozenset[str], boundary: frozenset[str]) -> None:
        depth = len(self.stack)
        for index in range(len(self.stack) - 1, -1, -1):
            name = self.stack[index].tag
            if name in boundary:
                break
            if name in closes:
                depth = index
        while len(self.stack) > depth:
            self._close_top(warn=False)

    def _end(self, tag: str, line: int) -> None:
        boundary = {"td", "th", "table", "caption"} - {tag}
        for index in range(len(self.stack) - 1, -1, -1):
            name = self.stack[index].tag
            if name == tag:
                self._flush(line)
                while len(self.stack) > index:
                    self._close_top(warn=self.stack[-1].tag != tag)
                return
            if name in boundary and tag not in ("tr", "thead", "tbody", "tfoot", "table"):
                break
        # Ignored, it does not split the text around it either (``ALB\n</x>\npod`` keeps its line break).
        report(self.state.env, line + 1, "TD402", f"</{tag}> closes no open element; ignored")

    def _close_top(self, *, warn: bool) -> None:
        self._flush(self.start_line)
        opened = self.stack.pop()
        if warn and opened.tag not in OPTIONAL_END:
            report(
                self.state.env,
                opened.line + 1,
                "TD401",
                f"<{opened.tag}> is not closed; closed where the HTML block ends",
            )
        close = self._push(opened.token.type.replace("_open", "_close"), opened.tag, -1, opened.line)
        close.map = None


# --- html_inline in paragraphs ------------------------------------------------------------------------------


def _guard_inline_html(state: StateCore) -> None:
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        line = (token.map[0] if token.map else 0) + 1
        open_link: Token | None = None
        for child in token.children:
            if child.type != "html_inline":
                continue
            _guard(child, state.env, line)
            if child.type != "html_inline":
                continue
            if child.content.startswith("<a ") or child.content == "<a>":
                open_link = child
            elif child.content == "</a>" and open_link is not None:
                _as_link(open_link, child)
                open_link = None


def _guard(child: Token, env: EnvType, line: int) -> None:
    match = _START.match(child.content)
    if match is None:
        if child.content.startswith("<!--"):
            child.content = ""  # a comment is dropped, as in blocks
        else:
            child.type = "text"  # a declaration, CDATA or processing instruction is shown as written
        return
    name = match.group(2).lower()
    if name not in KNOWN_TAGS or name in ("script", "style"):
        child.type = "text"  # rendered escaped: ``<provider>`` shows as written
        return
    removed = Removed()
    bare = _BARE_TAG.match(child.content)
    event = _bare_event(bare.group(1), bare.group(2), bare.group(3)) if bare else _first_event(child.content)
    if event is not None and event[0] in ("start", "startend", "end"):
        kind, tag, attrs, _raw, _line = event
        child.content = _safe_tag(kind, tag, attrs, removed)
        if tag == "a" and kind == "start":
            child.meta = {**(child.meta or {}), "attrs": clean_attrs(tag, attrs, Removed())}
    removed.report(env, line)


@lru_cache(maxsize=4096)
def _first_event(tag: str) -> _Event | None:
    """The parser's first event for the text of an inline tag with attributes; remembered, since pages repeat the
    same few tags (the external-link icon after every link of a legacy page). Callers must not mutate it."""
    events = tokenize_html(tag)
    return events[0] if events else None


def _bare_event(end: str | None, start: str | None, slash: str | None) -> _Event:
    """The parser's event for a tag :data:`_BARE_TAG` matched (the raw text is not needed)."""
    if end is not None:
        return ("end", end.lower(), [], "", 1)
    return ("startend" if slash else "start", (start or "").lower(), [], "", 1)


def _as_link(opening: Token, closing: Token) -> None:
    """A raw ``<a href>`` … ``</a>`` pair becomes link tokens, so link rules (topic ids, relative pages) apply."""
    opening.type, opening.tag, opening.nesting, opening.content = "link_open", "a", 1, ""
    opening.attrs = {name: value or "" for name, value in opening.meta.pop("attrs", [])}
    closing.type, closing.tag, closing.nesting, closing.content = "link_close", "a", -1, ""
