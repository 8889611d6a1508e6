"""The token walk: troubleshooting entries from the renderer's final token stream.

One :class:`~troubledocs.extract.entry.Entry` per section (heading with an id) of a troubleshooting page: its
symptom text, every error text the docs show for it (blocks of the symptom, error-message table rows, error
codes), the cause and resolution text, and the commands of the resolution. The walk reads
``RenderedPage.tokens``, the same parse that renders the page, so keywords are already resolved and ids are
the rendered ones.
"""

from __future__ import annotations

import re
import textwrap

from markdown_it.token import Token

from troubledocs.extract.entry import Entry
from troubledocs.extract.errors import MESSAGE_WORDS, is_command_block, is_config, is_message
from troubledocs.extract.inline import inline_text, link_targets, link_text_length, topic_of
from troubledocs.extract.tables import (
    TABLE_ERROR_HEADER,
    HtmlTables,
    Table,
    read_table,
    split_messages,
    stray_rows,
)
from troubledocs.page import RenderedPage
from troubleshooter.terms import is_code
from troubleshooter.wording import looks_like_error

#: A code block that holds an HTML table (raw HTML indented as code in a list): the table, not an error.
_HTML_TABLE = re.compile(r"^\s*<table\b.*</table>\s*$", re.IGNORECASE | re.DOTALL)
#: Sub-headings that name a part of the troubleshooting section above them (``### Resolution`` under
#: ``## Error 1020``, ``## How to fix it`` under the page's H1): the same parts as ``{: tsSymptoms}`` etc.
_PART_HEADINGS = {
    **dict.fromkeys(("what's happening", "symptom", "symptoms", "problem"), "symptoms"),
    **dict.fromkeys(("why it's happening", "cause", "causes", "root cause"), "causes"),
    **dict.fromkeys(
        (
            "how to fix it",
            "resolution",
            "resolving the problem",
            "solution",
            "solutions",
            "workaround",
            "steps to resolve",
        ),
        "resolve",
    ),
}


_LONGEST_LABEL = max(len(label.split()) for label in _PART_HEADINGS)
#: The heading attribute of IBM's ``{: troubleshoot}`` (``data/ald.txt``): the section is a troubleshooting topic,
#: also on a page that is mostly reference (``content-type: troubleshoot`` is then set for that one section).
_MARK_ATTR, _MARK_VALUE = "data-hd-content-type", "troubleshoot"


def _heading_marked(token: Token) -> bool:
    return token.attrGet(_MARK_ATTR) == _MARK_VALUE


_WORD = re.compile(r"[\w']+")


def _part_named(title: str, parent_title: str) -> str | None:
    """The part a sub-heading names: a part label alone, or with words of its parent's title around it
    (``Error 522 resolution`` under ``Error 522: connection timed out``)."""
    words = _WORD.findall(title.replace("\u2019", "'").lower())
    parent = set(_WORD.findall(parent_title.replace("\u2019", "'").lower()))
    for size in range(1, min(len(words), _LONGEST_LABEL) + 1):
        for label, rest in ((words[-size:], words[:-size]), (words[:size], words[size:])):
            part = _PART_HEADINGS.get(" ".join(label))
            if part is not None and set(rest) <= parent:
                return part
    return None


#: A fence's markup lines (the fence lines and the attribute list under it), seen as text in an indented code block
#: when the author indented a fence deeper than its list item allows.
_FENCE_MARKUP = re.compile(r"^[ \t]*(?:(?:```|~~~)[\w+-]*|\{:[^}\n]*\})[ \t]*$", re.MULTILINE)


def _authored_fence(text: str) -> tuple[str, str]:
    """The text and class of the fences an indented code block holds as text: what the author meant."""
    classes = " ".join(
        m.group().strip().strip("{}:") for m in _FENCE_MARKUP.finditer(text) if "{:" in m.group()
    )
    return textwrap.dedent(_FENCE_MARKUP.sub("", text)).strip("\n"), classes


def _lone_code_span(token: Token) -> str | None:
    """The code span that is a paragraph's whole text, if it is."""
    children = [
        c
        for c in token.children or []
        if c.type not in ("softbreak", "hardbreak") and not (c.type == "text" and not c.content.strip())
    ]
    return children[0].content if len(children) == 1 and children[0].type == "code_inline" else None


class _Collector:
    """Walks the tokens and fills entries section by section."""

    def __init__(self, page: RenderedPage) -> None:
        self.page = page
        self.entries: list[Entry] = []
        self.current: Entry | None = None
        self.part: str | None = None
        #: the level of the ``{: troubleshoot}`` heading whose section (sub-sections included) the walk is in
        self.mark_level: int | None = None
        #: entries that are, or are inside, a ``{: troubleshoot}`` section (by identity)
        self.in_mark: set[int] = set()
        #: entries with a table of error messages (by identity)
        self.with_error_table: set[int] = set()
        #: whether troubleshooting parts (``{: tsSymptoms}``, a ``### Resolution`` sub-heading) mark sections
        self.parts_seen = False

    def section(self, token: Token, title_token: Token) -> None:
        anchor = token.attrGet("id")
        level = int(token.tag[1]) if token.tag[1:].isdigit() else 1
        title = inline_text(title_token)
        current = self.current
        if self.mark_level is not None and level <= self.mark_level:
            self.mark_level = None
        if _heading_marked(token):
            self.mark_level = level if self.mark_level is None else self.mark_level
        if current is not None and level > current.level and (part := _part_named(title, current.title)):
            # A part of the section above, not a section of its own: what the reader looks for is the section.
            self.part = part
            current.marked = self.parts_seen = True
            return
        if not anchor:
            # A heading without an id belongs to the section above it.
            if current is not None:
                self.add_text(title)
            return
        self.current = Entry(
            page=self.page.path,
            anchor=str(anchor),
            title=" ".join(title.split()),
            level=level,
            page_title=self.page.title,
            marked=_heading_marked(token),
        )
        self.entries.append(self.current)
        if self.mark_level is not None:
            self.in_mark.add(id(self.current))
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

    def count_links(self, token: Token) -> None:
        if self.current is not None:
            links, chars = link_text_length(token)
            self.current.links += links
            self.current.link_chars += chars

    def add_fence(self, token: Token) -> None:
        entry = self.current
        if entry is None:
            return
        cls = str(token.attrGet("class") or "")
        text = str(token.content).strip("\n")
        if not text.strip():
            return
        if _HTML_TABLE.match(text):
            self.add_html(text)
            return
        if token.type == "code_block" and _FENCE_MARKUP.search(text):
            text, cls = _authored_fence(text)
            if not text.strip():
                return
        screen = "screen" in cls.split()
        if self.part == "symptoms" and (
            screen or (not is_command_block(text) and (not is_config(text) or looks_like_error(text)))
        ):
            # Whatever its class, a block of the symptom that is not a command or a configuration is what the
            # reader sees.
            entry.errors.append(text)
        elif self.part == "resolve" and not screen and (is_command_block(text) or not looks_like_error(text)):
            entry.commands.extend(
                line.strip()
                for line in text.splitlines()
                if line.strip() and not line.lstrip().startswith("#")
            )
        elif looks_like_error(text) or (screen and self.part is None and not is_config(text)):
            # Output blocks of the steps count too when they read like an error ("if you see …").
            entry.errors.append(text)

    def add_symptom_quotes(self, token: Token, quoted: bool) -> None:
        """A symptom's quoted error text: a blockquote's paragraph, or code spans that read like a message."""
        entry = self.current
        if entry is None:
            return
        if self.part is None:
            if self.mark_level is not None:
                # Only in a ``{: troubleshoot}`` section: elsewhere a quoted name next to a link is no sign.
                self.add_quoted_referrals(entry, token)
            return
        if self.part != "symptoms":
            return
        if quoted:
            text = inline_text(token).strip()
            if text:
                entry.errors.append(text)
            return
        lone = _lone_code_span(token)
        if self.part == "symptoms" and lone is not None and not is_command_block(lone):
            # A paragraph that is one code span quotes what the reader sees, as a fence of the symptom does,
            # whatever its wording (a warning that says "checks are suppressed").
            if len(_WORD.findall(lone)) >= MESSAGE_WORDS:
                entry.errors.append(lone.strip())
            return
        for child in token.children or []:
            if child.type == "code_inline" and is_message(child.content):
                entry.errors.append(child.content.strip())

    def add_term(self, token: Token) -> None:
        """A definition list's term that quotes a message (```Error secret_apply_failed```, then what it means and
        what to do): a message the section explains, in whichever part the list is."""
        lone = _lone_code_span(token)
        if self.current is not None and lone is not None and self.part != "symptoms" and is_message(lone):
            self.current.errors.append(lone.strip())

    @staticmethod
    def add_quoted_referrals(entry: Entry, token: Token) -> None:
        """Before any part of a troubleshooting topic, a message quoted next to a link to another topic (a list of
        the messages a service gives, each with "see <topic>"): the message belongs to that topic, as a
        reference table's row does."""
        targets = [t for href in link_targets(token) if (t := topic_of(href))]
        if not targets:
            return
        in_link = False
        for child in token.children or []:
            in_link = child.type == "link_open" or (in_link and child.type != "link_close")
            # A message quoted in the link's own text is the linked topic's title: a list of topics, not of messages.
            if child.type == "code_inline" and not in_link and is_message(child.content):
                entry.referrals.append((targets[0], child.content.strip()))

    def add_html(self, html: str) -> None:
        """An HTML block: its tables, or its text when it has none."""
        parser = HtmlTables()
        parser.feed(html)
        parser.close()
        if parser.tables:
            for table in parser.tables:
                self.add_table(table)
        else:
            self.add_text(re.sub(r"<[^>]+>", " ", html))

    def add_table(self, table: Table) -> None:
        entry = self.current
        if entry is None:
            return
        error_cols = [i for i, h in enumerate(table.header) if TABLE_ERROR_HEADER.search(h)]
        if not error_cols:
            # Only a column that names error messages, codes or symptoms holds errors; the rest is context.
            for row in table.rows:
                self.add_text(" ".join(text.replace("`", "") for text, _ in row))
            return
        self.with_error_table.add(id(entry))
        for row in table.rows:
            codes_only = all(is_code(row[i][0].strip().strip("`")) for i in error_cols if i < len(row))
            cols = list(error_cols)
            if codes_only:
                cols += [
                    i for i, h in enumerate(table.header) if "description" in h.lower() and i not in cols
                ]
            messages = [m for i in cols if i < len(row) for m in split_messages(row[i][0])]
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


def may_mark(tokens: list[Token]) -> bool:
    """Whether :func:`extract_entries` could find an entry marked as troubleshooting, or a referral, in ``tokens``:
    only troubleshooting parts, sub-headings that name a part, and tables (Markdown, HTML, or an HTML table in a
    code block) make them. Cheaper than extracting, for the many pages that have none of them."""
    for index, token in enumerate(tokens):
        kind = token.type
        if kind in ("ts_part_open", "table_open"):
            return True
        if kind == "html_block" and "<table" in token.content.lower():
            return True
        if kind in ("fence", "code_block") and _HTML_TABLE.match(token.content.strip("\n")):
            return True
        # A label at either end of the title: what a part's sub-heading needs, whatever its section's title.
        if kind == "heading_open" and _heading_marked(token):
            return True
        if kind == "heading_open" and index + 1 < len(tokens):
            title = inline_text(tokens[index + 1])
            if _part_named(title, title) is not None:
                return True
    return False


def extract_entries(page: RenderedPage) -> list[Entry]:
    """Every troubleshooting section of ``page`` with its texts, in document order.

    Pages that use no troubleshooting markers (debug checklists) still give one entry per section; their
    code blocks count as errors only when they read like one.
    """
    collector = _Collector(page)
    tokens: list[Token] = page.tokens
    last_table: Table | None = None
    quote_depth = 0
    in_term = False
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
            collector.parts_seen = True
            if collector.current is not None:
                collector.current.marked = True
        elif kind in ("dt_open", "dt_close"):
            in_term = kind == "dt_open"
        elif kind in ("blockquote_open", "blockquote_close"):
            quote_depth += 1 if kind == "blockquote_open" else -1
        elif kind == "inline":
            stray = stray_rows(str(token.content), last_table.header) if last_table else None
            if stray is not None:
                collector.add_table(stray)
            else:
                if in_term:
                    collector.add_term(token)
                collector.add_symptom_quotes(token, quote_depth > 0)
                if not (quote_depth > 0 and collector.part == "symptoms"):
                    collector.add_text(inline_text(token))
                    collector.count_links(token)
                last_table = None
        elif kind in ("fence", "code_block"):
            collector.add_fence(token)
        elif kind == "table_open":
            table, i = read_table(tokens, i)
            collector.add_table(table)
            last_table = table
        elif kind == "html_block":
            collector.add_html(str(token.content))
        i += 1
    entries = collector.entries
    if collector.in_mark and not collector.parts_seen:
        # ``{: troubleshoot}`` alone says which sections are troubleshooting topics: the rest is reference (a page
        # of audio formats with one section of tips), unless a table of error messages marks it too. (Where
        # troubleshooting parts mark the sections, every section stays, as on any troubleshooting page.)
        keep = collector.in_mark | collector.with_error_table
        entries = [e for e in entries if id(e) in keep or e.referrals]
    return [
        e
        for e in entries
        if (e.symptom or e.errors or e.body or e.referrals or e.resolution) and not e.is_contents()
    ]
