"""Word conservation: does a rendered page still show every word its Markdown source says?

This is the check behind the promise that input is never silently dropped. It compares two multisets:

* ``source_words(markdown)``: the words of the source's prose, code included, after removing what is syntax
  and never meant to be read: the front matter, ALD definition lines (``{:name: …}``, valid or not), attribute
  lists that parse (``{: …}``, block or inline), file includes (``{{../cli/x.md#id}}``), the targets and titles
  of links and images (``](url "title")``, ``][ref]``, reference definitions), the legacy external-link icon
  image, HTML comments, tags of real HTML elements with their attributes (``<td class="x">``; a tag-like
  placeholder such as ``<provider>`` is *not* an HTML element, so its word must stay visible), ``<script>`` and
  ``<style>`` bodies, fence info strings, ordered-list numbers, and Markdown punctuation.
  ``{{site.data.keyword.X}}`` becomes its value (an unknown name becomes the name, which the renderer shows);
  character references are decoded.
* ``visible_words(html)``: the words of the text a browser shows (plus ``alt`` text), ``<script>``/``<style>``
  bodies excluded.

A *word* is a maximal run of Unicode letters and digits (``[^\\W_]+``): every punctuation character, the
underscore and whitespace separate words, so emphasis markers, ``snake_case`` and table pipes cannot cause false
alarms, while a lost paragraph, table cell or code line shows up as missing words. Literal ``\\n`` (IBM's line
break inside pipe-table cells) separates words on both sides. Counting (rather than presence) catches the loss of
a repeated line. The check is deliberately one-sided: the output may add words (labels, captions, icons).

``literal_leftovers(html)`` lists syntax that leaked into the visible text outside code (``{:``, ``{{site.data``,
``{{../``) and renderer markup shown as text anywhere (``class="td-``); ``unexplained_leftovers`` keeps only
those the source does not itself write as literal text.

Word conservation misses losses that keep the words on the page, so ``fidelity(page_html, src)`` checks a built page
for them (the same rules as ``../shared/tools/check_fidelity.py``):

* lost reuse: a "Reused content … is not available" placeholder, or an "included from another documentation set"
  placeholder whose file exists in the repository (the placeholder repeats the reference, not the reused words);
* raw tables: a paragraph of two or more lines that start and end with ``|`` (a pipe table shown as text);
* hidden content: an element for one interface inside an element for another (hidden whichever is picked);
* external resources: an ``src`` (image, frame, script, media) or a stylesheet/preload/icon ``href`` on another
  host, anywhere in the page (the site must work offline).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
import html
from html.parser import HTMLParser
from itertools import accumulate
from pathlib import Path
import re

from bs4 import BeautifulSoup, Tag

from troubledocs.attrs import parse_attr_list, repaired_attr_line
from troubledocs.frontmatter import split_front_matter
from troubledocs.keywords import ALD_KEYWORD, REFERENCE, KeywordMap, join_split_references
from troubledocs.mdit.html_tags import BLOCK_TAGS, VOID

#: Markers of dialect syntax that must never reach the visible text outside code, and of the renderer's own
#: markup shown as text (anywhere: a ``<span class="td-…">`` escaped into a code block is a bug too).
LEFTOVER_MARKERS = ("{:", "{{site.data", "{{../")
MARKUP_MARKER = 'class="td-'


_WORD = re.compile(r"[^\W_]+")
_WORD_CHARACTER = re.compile(r"[^\W_]")
_LAST_WORD = re.compile(r"[^\W_]+\Z")
_CHARACTER_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_LITERAL_NEWLINE = re.compile(r"\\n")
#: What inline Markdown may take away between two characters: link and span brackets, emphasis, code marks.
_INLINE_SYNTAX = re.compile(r"[\[\]*_~`]+")
#: A backslash escape of Markdown (before ASCII punctuation).
_BACKSLASH_ESCAPE = re.compile(r"\\([!-/:-@[-`{-~])")
# An inline list as the renderer reads it at each ``{:`` (``{::`` before a space too, which it repairs): closed (no
# ``{`` inside), else left open to the end of its line or table cell (no brace after it).
_INLINE_ATTR = re.compile(r"(?<!\\)\{:(?!/|:\S)(?:(?:\\.|[^\\{}\n])*\}|[^{}\n]*\Z)")
# A table's delimiter row (``|---|:--:|``) and a cell boundary (an unescaped pipe).
_DELIMITER_ROW = re.compile(r"[ \t]*\|[-:| \t]*-[-:| \t]*\Z|[ \t]*[-:]*-[-: \t]*\|[-:| \t]*\Z")
_CELL_BOUNDARY = re.compile(r"(?<!\\)\|")
# Shaped like an ALD definition, valid or not: the renderer defines it or warns that it ignores it.
_ALD_LINE = re.compile(r"^ {0,3}\{:[A-Za-z_][\w#.-]*:.*\}[^\S\n]*$", re.MULTILINE)
#: A file include as the renderer reads it (``{{../cli/x.md#id}}``, ``{{other.md}}``): replaced, never shown.
_INCLUDE = re.compile(r"\{\{\s*[^{}\s]+?\.md(?:#[\w:.-]+)?\s*\}\}")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
#: A line that ends a pipe table's body, as markdown-it's table rule reads it (the rules that end a blockquote): a
#: list item, a heading, a fence, a blockquote, a thematic break, an HTML block (an attribute list ends it only when
#: it is one, which the block-list reading has dropped already).
_ENDS_TABLE = re.compile(
    r"^ {0,3}(?:[*+-](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|#{1,6}(?:[ \t]|$)|>|```|~~~|(?:[-*_][ \t]*){3,}$"
    rf"|<!--|</?(?i:{'|'.join(sorted(BLOCK_TAGS))})(?=[\s/>]|$))"
)
_COMMENT_START = re.compile(r"^(?:[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)))*[ \t]*<!--")
# The end of a ``<script>`` or ``<style>`` body (never shown); one left open is dropped to the end of its HTML
# block (``TD401``), at most to a blank line.
_RAW_TEXT_END = {
    name: re.compile(rf"</{name}\s*>|(?=\n[ \t]*\n)", re.IGNORECASE) for name in ("script", "style")
}
# A link destination (no spaces unless in <…>, one level of balanced parentheses) plus an optional title.
_LINK_TARGET = re.compile(
    r"""\]\(\s*(?:<[^<>\n]*>|(?:[^()\s]|\([^()\s]*\))*)(?:\s+(?:"[^"]*"|'[^']*'|\([^()]*\)))?\s*\)"""
)
# The legacy external-link icon: the renderer drops it (inside a link it becomes the external-link style). Its
# alt text and title may go on over a line break, not over a blank line, as a link's text and title may.
_LEGACY_ICON = re.compile(
    r"""!\[(?:[^\]\n]|\n(?![ \t]*\n))*\]\([^()\s]*launch-glyph\.svg"""
    r"""(?:\s+(?:"(?:[^"\n]|\n(?![ \t]*\n))*"|'(?:[^'\n]|\n(?![ \t]*\n))*'))?\s*\)"""
)
_LINK_REFERENCE = re.compile(r"\]\[[^\]\n]*\]")
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*\S+.*$", re.MULTILINE)
_CONTAINER_PREFIX = r"^(?:[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)))*"
# The markers at a line start (containers, definitions (``:`` or ``~``), list items: ``2. 1. Step`` opens two
# lists) or a table cell start (cells are Markdown again); the numbers of ordered ones are removed.
_LIST_MARKERS = re.compile(r"(?:^|\|)(?:[ \t]*(?:>|(?:[-*+:~]|\d{1,9}[.)])(?=[ \t]|$)))+", re.MULTILINE)
_LIST_NUMBER = re.compile(r"\d{1,9}(?=[.)])")
_CONTAINER_START = re.compile(_CONTAINER_PREFIX)
_FENCE_INFO = re.compile(_CONTAINER_PREFIX + r"[ \t]*(?:`{3,}|~{3,})(.*)$", re.MULTILINE)
#: Element names of HTML: their tags are markup. Any other tag-like text (``<provider>``) is text.
_HTML_ELEMENTS = """a abbr address area article aside audio b base bdi bdo blockquote body br button canvas caption
    center cite code col colgroup data datalist dd del details dfn dialog div dl dt em embed fieldset
    figcaption figure font footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img input
    ins kbd label legend li link main map mark menu meta meter nav noscript object ol optgroup option
    output p param picture pre progress q rp rt ruby s samp script section select slot small source span
    strike strong style sub summary sup svg table tbody td template textarea tfoot th thead time title tr
    track tt u ul var video wbr""".split()  # noqa: SIM905
# The start of a tag of an HTML element (its end: :func:`_drop_tags`). A start tag's name ends at white space, ``/``
# or ``>`` (``<data.keyword…`` is text); an end tag's at any other character (``</em<…>`` hides its text in a
# browser), and white space after ``</`` still makes one for the renderer (a bogus comment, as hidden, for a browser).
_TAG_NAME = re.compile(
    rf"""(?:<((?i:{"|".join(_HTML_ELEMENTS)}))(?=[\s/>])|</\s*((?i:{"|".join(_HTML_ELEMENTS)}))(?![A-Za-z0-9-]))"""
)
# Where a tag may end (``>``) or a quoted value start (``=``), and a quoted value from its ``=``.
_TAG_STOP = re.compile(r"[>=]")
_QUOTED_VALUE = re.compile(r"""=\s*(?:"[^"]*"|'[^']*')""")
#: Elements whose content the renderer reads as Markdown blocks: a list number right after the tag is one.
_HOLDERS = frozenset({"td", "th", "li", "dt", "dd", "p", "caption", "figcaption", "summary"})
#: How far before a reference the word glued to it is looked for (bounded: a page may hold thousands of references).
_GLUE_REACH = 100
_GLUED_BEFORE = re.compile(r"(?:[^\W_]+|\\)\Z")
_GLUED_BY_TAG = re.compile(r"(?<![^\W_])([^\W_]++)</?[^<>]*+>(?=([^\W_]+))")
#: Elements whose text a browser does not show.
_HIDDEN = frozenset({"script", "style", "template"})
_CODE = frozenset({"code", "pre"})


def _decode_references(text: str) -> str:
    """Decode character references as Markdown does: only complete ones (``&gt9`` stays as written)."""
    return _CHARACTER_REFERENCE.sub(lambda match: html.unescape(match.group(0)), text)


def words(text: str) -> Counter[str]:
    """The words of plain text (see the module docstring for what a word is).

    Normalised the same way on both sides: a literal ``\\n`` separates words, a legacy icon image that shows
    as written (in code) is removed, as the renderer removes it elsewhere (``page![icon](…)s`` is ``pages``),
    and character references are decoded as a browser decodes them in raw HTML, ``&gt9`` included (Markdown
    shows that one as written, a browser reading raw HTML shows ``>9``: both count as ``9``).
    """
    text = html.unescape(_LEGACY_ICON.sub("", text))
    return Counter(_WORD.findall(_LITERAL_NEWLINE.sub(" ", text)))


def _shown_name(match: re.Match[str]) -> str:
    """The name the renderer shows for a reference it does not substitute (``{{site.data.x}}`` shows ``x``)."""
    return match.group(2) or match.group(1)


def _substitute_references(text: str, keywords: KeywordMap) -> str:
    """``text`` with each keyword reference as the text it shows (:func:`_keyword_text`)."""
    return REFERENCE.sub(lambda match: _keyword_text(keywords, match), text) if "{{" in text else text


def _keyword_text(keywords: KeywordMap, match: re.Match[str]) -> str:
    kind, name = match.group(1), match.group(2)
    if kind == "keyword" and name == ALD_KEYWORD:
        return ""
    value = keywords.get(name) if kind == "keyword" and name else None
    return _shown_name(match) if value is None else value


def _drop_attribute_lists(text: str) -> str:
    return _drop_inline_lists(_drop_block_lists(text))


def _drop_block_lists(text: str) -> str:
    """Block lists: a whole line, read by the attribute grammar as is or as the renderer repairs it (``{:: note}``),
    unless an HTML comment that a line started holds it (an HTML block to the line with ``-->``)."""

    def whole(line: str) -> bool:
        return line.lstrip().startswith("{:") and (
            parse_attr_list(line) is not None or repaired_attr_line(line) is not None
        )

    lines = text.split("\n")
    offsets = list(accumulate((len(line) + 1 for line in lines), initial=0))
    last_end = text.rfind("-->")
    in_comment = False
    for number, line in enumerate(lines):
        if in_comment:
            in_comment = "-->" not in line
        elif whole(line):
            lines[number] = ""
        elif opened := _COMMENT_START.match(line):
            # A comment that no later line ends is text (a browser would hide the rest of the page).
            in_comment = "-->" not in line[opened.end() :] and last_end >= offsets[number + 1]
    return "\n".join(lines)


def _drop_inline_lists(text: str) -> str:
    """Inline lists, left to right as the renderer reads them: a closed list that parses, else one left open to
    the end of its line, or of its table cell, that the renderer repairs (``TD204``). A table cell is read on its
    own (``| a {: .x| b |``); outside a table a pipe is text (``{:|`` is no list)."""

    def inline(match: re.Match[str]) -> str:
        run = match.group(0)
        # Dropped without a trace, as the renderer drops it: ``J{: .x}s`` shows ``Js``; also when it is repaired,
        # closed (``{: external"}``) or not.
        readable = parse_attr_list(run) is not None or repaired_attr_line(run) is not None
        return "" if readable else run

    def drop(line: str) -> str:
        return _INLINE_ATTR.sub(inline, line) if "{:" in line else line

    lines = text.split("\n")
    rows = _table_rows(lines)
    return "\n".join(
        "|".join(drop(cell) for cell in _CELL_BOUNDARY.split(line)) if number in rows else drop(line)
        for number, line in enumerate(lines)
    )


def _table_rows(lines: list[str]) -> set[int]:
    """The numbers of the lines that are rows of a pipe table: a header line with a pipe over a delimiter row of as
    many cells (GFM: otherwise there is no table), and the lines after them to the next blank line or line that
    starts another block (:data:`_ENDS_TABLE`); or a run of
    lines that start with a pipe, two or more of them no delimiter row (a table without a header)."""
    bodies = [line[_CONTAINER_START.match(line).end() :] for line in lines]  # type: ignore[union-attr]
    piped = [body.lstrip().startswith("|") for body in bodies]
    delimiter = [bool(_DELIMITER_ROW.match(body)) for body in bodies]
    rows: set[int] = set()
    number = 0
    while number < len(lines):
        end = number
        if (
            "|" in bodies[number]
            and number + 1 < len(lines)
            and delimiter[number + 1]
            and not delimiter[number]
            and _cell_count(bodies[number]) == _cell_count(bodies[number + 1])
        ):
            end += 2
            while end < len(lines) and bodies[end].strip() and not _ENDS_TABLE.match(lines[end]):
                end += 1
        elif piped[number]:
            while end < len(lines) and piped[end]:
                end += 1
            if sum(not delimiter[row] for row in range(number, end)) < 2:
                end = number
        rows.update(range(number, end))
        number = max(end, number + 1)
    return rows


def _cell_count(row: str) -> int:
    """The cells of a table row: the pieces between its unescaped pipes, without the empty ones outside its first
    and last pipe."""
    cells = _CELL_BOUNDARY.split(row.strip())
    return len(cells) - (cells[0].strip() == "") - (len(cells) > 1 and cells[-1].strip() == "")


def _prose(markdown: str, keywords: KeywordMap) -> str:
    """The source with every piece of syntax that is not meant to be read replaced by a space."""
    text = markdown.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    text = _join_split_references(split_front_matter(text).body)
    # The renderer substitutes keywords first: ``{:n:{{{site.data.x}}`` is no definition once ``x`` is shown.
    text = _substitute_references(text, keywords)
    text = _ALD_LINE.sub("", text)
    text = _INCLUDE.sub(" ", text)
    # A line that is an attribute list is one (``{: title="<!--"}``); in a comment, one is comment text.
    text = _drop_inline_lists(_COMMENT.sub(" ", _drop_block_lists(text)))
    text = _REFERENCE_DEFINITION.sub(" ", text)
    text = _LEGACY_ICON.sub("", text)  # dropped without a trace, as the renderer drops it
    text = _LINK_TARGET.sub("] ", text)
    text = _LINK_REFERENCE.sub("] ", text)
    # An info string is never HTML; its punctuation stays, for a ``>`` ends a tag that a line above opened (the
    # fence marker is then part of that tag, not a fence).
    text = _drop_fence_info(text, keep=_WORD_CHARACTER)
    # Again once tags are gone: an element's text is Markdown, so a fence may open right after a tag (``<td>```x``).
    text = _drop_fence_info(_drop_tags(text))
    # IBM's literal \n in a table cell starts a new line (which may start a list), so treat it as one.
    text = _LITERAL_NEWLINE.sub("\n", text)
    text = _LIST_MARKERS.sub(lambda match: _LIST_NUMBER.sub("", match.group(0)), text)
    return _decode_references(text)


def _join_split_references(text: str) -> str:
    """``text`` with each reference broken at a line end on one line, as the substitution reads it."""
    if "{{" not in text:
        return text
    lines = text.split("\n")
    return "\n".join(lines) if join_split_references(lines) else text


def _drop_fence_info(text: str, keep: re.Pattern[str] | None = None) -> str:
    """``text`` without the info strings of its fence lines (never shown; the first word names the language), or
    with what ``keep`` finds in them replaced by spaces."""

    def drop(match: re.Match[str]) -> str:
        marker = match.group(0)[: match.start(1) - match.start(0)]
        return marker + (keep.sub(" ", match.group(1)) if keep else "")

    return _FENCE_INFO.sub(drop, text)


def _drop_tags(text: str) -> str:
    """``text`` with each tag of an HTML element as a browser reads it replaced by a space (a tag of an element whose
    content is Markdown by a line break, a ``<script>`` or ``<style>`` with its body): in a start tag a quote opens
    a value only after ``=``, and the first ``>`` outside a value ends the tag, whatever comes before (``</em< par
    une durée>`` hides those words in a browser too); an end tag ends at its first ``>``, as the renderer's parser
    reads it; a tag with no end is text. Linear: a scan that reaches a ``=`` or ``>`` another scan passed ends where
    that one did, so a run of tags that never end (``<a <a <a …``) is read once, not once per tag."""
    stops = [stop.start() for stop in _TAG_STOP.finditer(text)]
    closes = [stop for stop in stops if text[stop] == ">"]
    ends: dict[int, int] = {}
    pieces: list[str] = []
    done = 0
    for name in _TAG_NAME.finditer(text):
        if name.start() < done:
            continue
        closing = name.group(1) is None
        if closing:
            # The renderer's parser ends an end tag at its first ``>``, quotes or not (``</x a="-->…">``).
            after = bisect_left(closes, name.end())
            end = closes[after] + 1 if after < len(closes) else -1
        else:
            end = _tag_end(text, stops, bisect_left(stops, name.end()), ends)
        if end < 0:
            continue
        element = (name.group(2) if closing else name.group(1)).lower()
        # The text after a holder's start or end tag is Markdown of its own: a fence or list may open there.
        pieces += (text[done : name.start()], "\n" if element in _HOLDERS else " ")
        done = end
        if element in _RAW_TEXT_END and not closing:
            body_end = _RAW_TEXT_END[element].search(text, end)
            done = len(text) if body_end is None else body_end.end()
    pieces.append(text[done:])
    return "".join(pieces)


def _tag_end(text: str, stops: list[int], index: int, ends: dict[int, int]) -> int:
    """The end of a tag whose scan reaches ``stops[index]`` first, -1 when it has none; ``ends``: the end found
    from each stop already scanned."""
    path: list[int] = []
    end = -1
    while index < len(stops):
        if index in ends:
            end = ends[index]
            break
        path.append(index)
        at = stops[index]
        if text[at] == ">":
            end = at + 1
            break
        value = _QUOTED_VALUE.match(text, at)
        index = bisect_left(stops, value.end(), index + 1) if value else index + 1
    for visited in path:
        ends[visited] = end
    return end


def source_words(markdown: str, keywords: KeywordMap) -> Counter[str]:
    """The words a reader must find in the page rendered from ``markdown``."""
    return words(_prose(markdown, keywords))


class _TextCollector(HTMLParser):
    """Visible text nodes of an HTML fragment, each flagged as inside code or not."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[tuple[str, bool]] = []
        self._hidden = 0
        self._code = 0
        # An element with the ``hidden`` attribute (a table summary's text) hides what it holds: its tag, and how
        # many elements of that tag are open inside it.
        self._hidden_by = ""
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._hidden_by == tag:
            self._hidden_depth += 1
        elif not self._hidden_by and tag not in VOID and any(name == "hidden" for name, _ in attrs):
            self._hidden_by, self._hidden_depth = tag, 1
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag in _CODE:
            self._code += 1
        if tag in ("img", "area") and not self._hidden and not self._hidden_by:
            alt = dict(attrs).get("alt")
            if alt:
                self.nodes.append((f" {alt} ", True))

    def handle_endtag(self, tag: str) -> None:
        if tag == self._hidden_by:
            self._hidden_depth -= 1
            if not self._hidden_depth:
                self._hidden_by = ""
        if tag in _HIDDEN and self._hidden:
            self._hidden -= 1
        elif tag in _CODE and self._code:
            self._code -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and not self._hidden_by:
            self.nodes.append((data, self._code > 0))


@lru_cache(maxsize=2)
def _text_nodes(html: str) -> tuple[tuple[str, bool], ...]:
    """The text nodes of ``html``, remembered: the word check and the leftover check read the same page."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return tuple(collector.nodes)


def visible_words(html: str) -> Counter[str]:
    """The words a browser shows for ``html``.

    Words are counted per text node (``foo<em>bar</em>`` shows ``foo`` and ``bar``), over the joined text
    (a word split across elements still counts) and across adjacent nodes within a longer glued run
    (:func:`_glued_across`); the larger count wins.
    """
    texts = [text for text, _ in _text_nodes(html)]
    # NUL separates words and starts no syntax that words() reads: one call counts every node on its own.
    per_node = words("\0".join(texts))
    return per_node | words("".join(texts)) | _glued_across(texts)


#: How many nodes a word glued across elements may span (a longer glued run is read in windows of this many).
_GLUE_NODES = 6


def _glued_across(texts: list[str]) -> Counter[str]:
    """The words glued across adjacent nodes within a longer glued run: each two or more consecutive pieces of the
    run, a piece being the word at a node's edge or a node that is one word (``<a>icon</a>0<span>x</span>`` shows
    ``0x``; ``<b>a</b>x<span>nosuch</span>q`` shows ``xnosuchq``)."""
    found: Counter[str] = Counter()
    run: list[str] = []

    def count() -> None:
        for first in range(len(run) - 1):
            for last in range(first + 2, min(len(run), first + _GLUE_NODES) + 1):
                found["".join(run[first:last])] += 1

    for text in texts:
        head = _WORD.match(text)
        whole = head is not None and head.end() == len(text)
        if run and head:
            run.append(head.group(0))
            if whole:
                continue
        count()
        tail = None if whole else _LAST_WORD.search(text)
        run = [text] if whole else [tail.group(0)] if tail else []
    count()
    return found


def missing_words(markdown: str, html: str, keywords: KeywordMap) -> list[str]:
    """Source words the output shows fewer times than the source has them (sorted; empty when none).

    Two words with only a tag between them are one word on the screen (``t<b>e</b>`` shows ``te``): where the tag
    is dropped (a stray ``</tr>``; ``</>``, which a browser drops without a trace) the output shows them glued. A
    reference that shows no value (an unknown name, a conref left in code) reads as its name glued to the words
    around it in prose and as written in code, its braces between them (``{{site.data.keyword.x_notm}}의`` shows
    ``x_notm의``, or ``{{site.data.keyword.x_notm}}`` and ``의``): either counts."""
    visible = visible_words(html)
    missing = source_words(markdown, keywords) - visible
    if missing and "<" in markdown:
        for glued in _GLUED_BY_TAG.finditer(_substitute_references(markdown, keywords)):
            left, right = glued.groups()
            if visible[left + right] and missing[left] and missing[right]:
                missing -= Counter((left, right))
    if missing and "{{" in markdown:
        for as_name, as_written in _unsubstituted_readings(markdown, keywords):
            surplus = as_name - as_written
            if surplus and not surplus - missing and all(visible[word] for word in as_written):
                missing -= surplus
    return sorted(missing.elements())


def _unsubstituted_readings(
    markdown: str, keywords: KeywordMap
) -> Iterator[tuple[Counter[str], Counter[str]]]:
    """For each reference that shows no value (an unknown name, a conref), the words of it and of the words glued to
    it read two ways: as the name (prose shows the name) and as written (code shows it as written, its braces
    between the name and the words around it: ``{{site.data.keyword.x}}y``, ``{{site.data.keyword.x}y``). The words
    around it are read with the other references substituted (``{{…x}}y{{…cloud_notm}}`` is ``xyIBM Cloud``), a
    backslash before it too (``\\n`` separates words)."""
    # Read as the renderer reads the page: line ends normalised, references broken at a line end joined.
    markdown = _join_split_references(markdown.replace("\r\n", "\n").replace("\r", "\n"))
    pieces: list[str] = []
    #: Where each such name stands in the substituted text, and the reference as written.
    names: list[tuple[int, int, str]] = []
    length = done = 0
    for match in REFERENCE.finditer(markdown):
        text = _keyword_text(keywords, match)
        pieces += (markdown[done : match.start()], text)
        length += match.start() - done
        if text == _shown_name(match):
            names.append((length, length + len(text), match.group(0)))
        length += len(text)
        done = match.end()
    shown = "".join([*pieces, markdown[done:]])
    for start, end, written in names:
        before = _GLUED_BEFORE.search(shown, max(0, start - _GLUE_REACH), start)
        after = _WORD.match(shown, end)
        head = before.group(0) if before else ""
        tail = after.group(0) if after else ""
        yield words(head + shown[start:end] + tail), words(head + written + tail)


def _visible_runs(html: str) -> tuple[str, str]:
    """(visible text outside code, all visible text); a code element between two prose runs separates them."""
    nodes = _text_nodes(html)
    return "".join("\n" if in_code else text for text, in_code in nodes), "".join(text for text, _ in nodes)


def _shown_markers(html: str) -> Counter[str]:
    prose, everything = _visible_runs(html)
    shown = Counter({marker: prose.count(marker) for marker in LEFTOVER_MARKERS})
    shown[MARKUP_MARKER] = everything.count(MARKUP_MARKER)
    return shown


def literal_leftovers(html: str) -> list[str]:
    """Snippets of visible text outside ``<code>``/``<pre>`` that contain dialect syntax (``{:`` …), and of any
    visible text that shows the renderer's own markup."""
    prose, everything = _visible_runs(html)
    found: list[str] = []
    for marker, text in [*((m, prose) for m in LEFTOVER_MARKERS), (MARKUP_MARKER, everything)]:
        start = text.find(marker)
        while start >= 0:
            found.append(text[max(0, start - 20) : start + 40])
            start = text.find(marker, start + 1)
    return found


def _literal_markers(markdown: str, keywords: KeywordMap) -> Counter[str]:
    """How often the source writes each leftover marker as text (not as a reference, list or include)."""
    text = markdown.replace("\r\n", "\n").replace("\r", "\n")
    text = split_front_matter(text).body
    # The renderer substitutes keywords first: ``{:n:{{{site.data.x}}`` is no definition once ``x`` is shown.
    text = _substitute_references(text, keywords)
    text = _ALD_LINE.sub("", text)
    text = _INCLUDE.sub(" ", text)
    # A caption is an attribute value the page shows as written (``{: caption="{{site.data}"}``).
    text = _decode_references(_drop_attribute_lists(text) + "\n" + "\n".join(_captions(text)))
    # Markdown shows an escaped character as itself (``{\{site.data``, ``{\: pre}``), and inline syntax between two
    # characters may show them side by side (``{[{site.data…}}](u)`` shows ``{`` before a link ``{site.data…}}``).
    text = _BACKSLASH_ESCAPE.sub(r"\1", text)
    inline = _INLINE_SYNTAX.sub("", text)
    return Counter(
        {
            marker: max(text.count(marker), inline.count(marker))
            for marker in (*LEFTOVER_MARKERS, MARKUP_MARKER)
        }
    )


def _captions(text: str) -> list[str]:
    """The ``caption`` values of the block attribute lists of ``text`` (a table's, a figure's)."""
    lines = text.split("\n") if "caption" in text else []
    lists = (parse_attr_list(line) for line in lines if line.lstrip().startswith("{:") and "caption" in line)
    return [value for attrs in lists if attrs is not None for key, value in attrs.pairs if key == "caption"]


def unexplained_leftovers(markdown: str, html: str, keywords: KeywordMap) -> list[str]:
    """Leftover markers beyond those the source itself writes as literal text, once per surplus occurrence.

    A ``{:`` that does not parse as an attribute list, or a broken ``{{site.data.keyword.X}`` is text the author
    wrote: it may show. A valid attribute list, a keyword reference or an include never may (outside code).
    """
    return sorted((_shown_markers(html) - _literal_markers(markdown, keywords)).elements())


_LOST_REUSE = re.compile(r"Reused content\s+\S+\s+is not available")
_OTHER_DOC_SET = "included from another documentation set"
_REMOTE = re.compile(r"^(?:https?:)?//", re.IGNORECASE)
_LOADED_SRC = ("img", "iframe", "script", "video", "audio", "source", "embed")
_LOADED_HREF = frozenset({"stylesheet", "preload", "icon"})
_INTERFACE = "data-hd-interface"
#: Start tags that may load something (attribute values may hold ``>`` inside quotes).
_RESOURCE_TAG = re.compile(
    r"""<(?:img|iframe|script|video|audio|source|embed|link)\b(?:[^>"']|"[^"]*"|'[^']*')*>""", re.IGNORECASE
)
#: What an ``<article>`` without a finding lacks: placeholders, interface marks, a line that starts with ``|``.
_CONTENT_MARKERS = ("Reused content", _OTHER_DOC_SET, _INTERFACE)
_PIPE_LINE = re.compile(r"^[ \t]*\|", re.MULTILINE)


@dataclass
class Fidelity:
    """What one built page loses although its words are there (see the module docstring); each item names it."""

    lost_reuse: list[str] = field(default_factory=list)
    raw_tables: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Every finding, prefixed with its kind."""
        return [f"{kind}: {item}" for kind, items in vars(self).items() for item in items]


def fidelity(page_html: str, src: Path | None = None) -> Fidelity:
    """Check a built page (or a rendered fragment); ``src`` is the repository, to tell a lost include.

    Only the parts that can hold a finding are parsed (the tags that load something; the ``<article>`` when it
    holds a placeholder, a line starting with ``|`` or an interface mark), so that whole corpora stay quick."""
    found = Fidelity(external=_external_resources(page_html))
    start, end = page_html.find("<article"), page_html.rfind("</article>")
    article = page_html[start:end] if 0 <= start < end else page_html
    if not any(marker in article for marker in _CONTENT_MARKERS) and not _PIPE_LINE.search(article):
        return found
    content = BeautifulSoup(article, "html.parser")
    text = content.get_text(" ")
    found.lost_reuse = [" ".join(match.group(0).split()) for match in _LOST_REUSE.finditer(text)]
    if src is not None and _OTHER_DOC_SET in text:
        found.lost_reuse += _lost_includes(content, src)
    found.raw_tables = [piped[0] for piped in map(_piped_lines, content.find_all("p")) if len(piped) >= 2]
    found.hidden = [
        f"{element.get(_INTERFACE)} inside {outer.get(_INTERFACE)}: {element.get_text(' ', strip=True)[:60]}"
        for element in content.find_all(True, attrs={_INTERFACE: True})
        if (outer := _other_interface_around(element)) is not None
    ]
    return found


def _external_resources(page_html: str) -> list[str]:
    candidates = "".join(tag.group(0) for tag in _RESOURCE_TAG.finditer(page_html) if "//" in tag.group(0))
    if not candidates:
        return []
    soup = BeautifulSoup(candidates, "html.parser")
    found = [
        f"<{tag.name} src={tag.get('src')}>"
        for tag in soup.find_all(_LOADED_SRC)
        if _REMOTE.match(str(tag.get("src") or ""))
    ]
    found += [
        f"<link href={tag.get('href')}>"
        for tag in soup.find_all("link")
        if _LOADED_HREF & set(tag.get("rel") or []) and _REMOTE.match(str(tag.get("href") or ""))
    ]
    return found


def _lost_includes(content: Tag | BeautifulSoup, src: Path) -> list[str]:
    lost = []
    for link in content.find_all("a"):
        if link.parent is None or _OTHER_DOC_SET not in link.parent.get_text(" "):
            continue
        shown = link.get_text().strip().strip("`")
        name = shown.lstrip("/").split("#")[0]
        if name and not name.startswith("..") and (src / name).is_file():
            lost.append(f"include {shown} exists in the repository")
    return lost


def _piped_lines(paragraph: Tag) -> list[str]:
    lines = (line.strip() for line in paragraph.get_text("\n").splitlines())
    return [line for line in lines if line.startswith("|") and line.endswith("|")]


def _other_interface_around(element: Tag) -> Tag | None:
    own = element.get(_INTERFACE)
    return next(
        (
            outer
            for outer in element.find_parents(True, attrs={_INTERFACE: True})
            if outer.get(_INTERFACE) != own
        ),
        None,
    )
