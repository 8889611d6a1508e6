"""Keyword maps and ``{{site.data.keyword.NAME}}`` substitution.

The substitution runs on the page text before parsing (as IBM's processor does), so keywords work in text,
headings, link text, attribute-list values, HTML attributes and code. A token-level substitution (the
mdit-py-plugins ``substitution`` shape) cannot reach fences, code spans, link targets or attribute values, and
IBM pages put keywords in all of them (the seed's ``{: screen}`` error text, for one); the pass is linear. It keeps every line where it was (a value
never holds a newline). Only ``{{site.data.*}}`` is touched: Go templates such as ``{{.name}}`` survive.

What is code is first guessed by the fence scan of :mod:`troubledocs.source_lines`; where a wrong guess would show
on the page (a reference guessed to be in code, a known value that escaping changes), the renderer's own block parse
decides (``code_lines``), so that a fence ended early by a list item, an HTML cell or the nesting limit leaves no
``{{site.data…}}`` in prose.

Outside code a value is HTML-escaped (``Connect & Compose`` must not start an entity, ``<jazzhub>`` must not become
a tag); inside fenced code and code spans it is inserted as is. An unknown name stays visible: outside code as
``<span class="td-missing-keyword" title="Unknown keyword">NAME</span>`` (its title names another kind:
``Unknown site.data.KIND reference``; bare ``NAME`` inside an attribute list or
an HTML tag, where markup would break the attribute), inside code the reference is left literally, so a reader
sees exactly what the source says. Each unknown name warns ``TD101`` at its line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
import html
from importlib import resources
import json
from pathlib import Path
import re
from typing import Any

import yaml

from troubledocs.boundary import inside_file
from troubledocs.diagnostics import Diagnostic
from troubledocs.source_lines import fenced_lines
from troubledocs.yaml_safe import load_yaml

#: Produces no text: the standard attribute-list definitions are always predefined (``data/ald.txt``).
ALD_KEYWORD = "attribute-definition-list"
#: Liquid skips spaces between a variable's parts, so ``{{site.data.keyword.  x}}`` is ``x`` (watsonxdata has it).
#: The substitution reads a line at a time: a reference broken at a line end is first put back on one line
#: (:func:`join_split_references`, ``TD103``).
#: A reference that lost one closing brace (``{{site.data.keyword.x} deployments``) is read as meant, with ``TD103``,
#: in code too, where references are replaced as well.
REFERENCE = re.compile(
    r"\{\{[^\S\r\n]*site\.data\.[^\S\r\n]*([\w-]+)(?:[^\S\r\n]*\.[^\S\r\n]*([\w.-]+))?[^\S\r\n]*\}(\}?)"
)
#: The start of what reads like a reference; where no reference starts there (``{{site.data.keyword.}}``, a
#: reference cut by a line break that :func:`join_split_references` cannot join), the text shows as written, with
#: ``TD104``.
_ALMOST_REFERENCE = re.compile(r"\{\{[^\S\r\n]*site\.data\b")
#: The start of a reference left open at the end of a line (``… with the {{site.data.``).
_OPEN_AT_END = re.compile(r"\{\{\s*(?:site[\w.\s-]*)?\Z")
#: A line that is an ATX heading: nothing of it continues on the next line.
_HEADING = re.compile(r"\A {0,3}#{1,6}(?:[ \t]|\Z)")
_SPACE = re.compile(r"\s+")
#: What an unknown name becomes in prose: its title says the kind of reference (:func:`_unknown_what`), its text
#: the name.
MISSING_MARKUP = '<span class="td-missing-keyword" title="Unknown {}">{}</span>'
_MISSING = re.compile(re.escape(MISSING_MARKUP).replace(r"\{\}", '([^<"]*)'))


class KeywordFileError(ValueError):
    """A keyword file that cannot be read as a name → value map."""


def _text(value: Any) -> str:
    return _SPACE.sub(" ", html.unescape(str(value))).strip()


#: Where a value of the default map comes from (``KeywordMap.sources``).
BUILT_IN = "built-in"
#: The trademark-free variant of a keyword: ``X_notm`` is ``X`` without its marks.
NOTM = "_notm"
_MARKS = re.compile(r"[ \t]*[®™℠]")


def without_marks(value: str) -> str:
    """``value`` without its ®/™/℠ marks: what ``X_notm`` is for ``X``."""
    return _MARKS.sub("", value).strip()


@dataclass(frozen=True)
class Inference:
    """A rule that gave keywords a value from a sibling keyword, and the names it gave one to."""

    rule: str
    names: tuple[str, ...]


#: ``X_notm`` from ``X``: the public keyword file agrees on 107 of its 108 such pairs (the exception abbreviates).
NOTM_FROM_FULL = f"X{NOTM} is X without its ®/™/℠ marks"
#: ``X`` from ``X_notm``: the same name, shown without marks rather than not at all (marks are never invented).
FULL_FROM_NOTM = f"X is X{NOTM} (shown without trademark marks)"


@dataclass
class KeywordMap:
    """Keyword name → plain-text value (HTML entities already decoded); ``sources``: where each value comes
    from (:data:`BUILT_IN`, a keyword file's path, or ``inferred from NAME``)."""

    values: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    inferences: list[Inference] = field(default_factory=list)
    #: Keywords whose value refers to itself (directly or through others), or would expand beyond
    #: :data:`MAX_VALUE` characters: shown unexpanded, with a warning where a page uses them.
    unresolved: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self._expand()

    def _expand(self) -> None:
        self.values, self.unresolved = _expand_nested(self.values)

    @classmethod
    def load(cls, default: bool = True, files: Iterable[str | Path] = (), infer: bool = True) -> KeywordMap:
        """The default map (when ``default``), then each file in order (later files win), then the values
        :meth:`infer` finds (when ``infer``)."""
        keywords = cls()
        if default:
            data = (
                resources.files("troubledocs").joinpath("data", "keywords.json").read_text(encoding="utf-8")
            )
            keywords.update(json.loads(data), BUILT_IN)
        for file in files:
            keywords.update(read_keyword_file(Path(file)), str(file))
        keywords._expand()  # before inference, which derives values from expanded ones
        if infer:
            keywords.infer()
        return keywords

    @classmethod
    def for_source(
        cls, root: str | Path, extra: Iterable[str | Path] = (), default: bool = True
    ) -> KeywordMap:
        """Default map, then ``keyref.yaml`` at the source root (when present), then ``extra`` (``--keywords``),
        then the inferred values."""
        keyref = inside_file(Path(root), "keyref.yaml")
        files = [keyref] if keyref is not None else []
        return cls.load(default, [*files, *extra])

    def update(self, values: Mapping[str, str], source: str) -> None:
        self.values.update(values)
        self.sources.update(dict.fromkeys(values, source))

    def infer(self) -> None:
        """Give ``X_notm`` the value of ``X`` without marks, and ``X`` the value of ``X_notm``, where the map
        lacks one of them. A value the map has is never replaced (a repository may give a name its own
        meaning: cloud-logs' ``monitoring`` is a pipeline, not the Monitoring service)."""
        found: dict[str, list[str]] = {NOTM_FROM_FULL: [], FULL_FROM_NOTM: []}
        given = dict(self.values)
        for name, value in given.items():
            if name.endswith(NOTM):
                sibling, rule, new = name[: -len(NOTM)], FULL_FROM_NOTM, value
            else:
                sibling, rule, new = name + NOTM, NOTM_FROM_FULL, without_marks(value)
            if not sibling or sibling in given:
                continue
            self.values[sibling] = new
            self.sources[sibling] = f"inferred from {name}"
            found[rule].append(sibling)
        self.inferences = [Inference(rule, tuple(sorted(names))) for rule, names in found.items() if names]

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def substitute(
        self,
        text: str,
        path: str = "",
        first_line: int = 1,
        *,
        markdown: bool = True,
        code_lines: Callable[[str], list[bool]] | None = None,
        in_code: list[bool] | None = None,
    ) -> Substitution:
        """Replace references in ``text``; ``first_line`` is the source line of ``text``'s first line.

        ``markdown=False`` is for front matter: values go in raw, unknown names as bare ``NAME``.
        ``code_lines(text)``: for each line, whether the parser makes it code (the renderer passes its own block
        parse); asked only where the quick fence scan's guess could make the page wrong (:meth:`_guess_matters`).
        Without it, such a guess is used and the result says so (:attr:`Substitution.unchecked`).
        ``in_code``: which lines are code, as the parse of an earlier substitution of ``text`` found them.
        """
        if "{{" not in text:
            return Substitution(text, [])
        diagnostics: list[Diagnostic] = []
        lines = text.split("\n")
        for number in join_split_references(lines):
            message = f"keyword reference broken across a line end, read as one: {lines[number].strip()[:80]}"
            diagnostics.append(Diagnostic(path, first_line + number, "TD103", message))
        unchecked = False
        if not markdown:
            in_code = [False] * len(lines)
        elif in_code is None:
            in_code = fenced_lines(lines)
            if self._guess_matters(lines, in_code):
                if code_lines is None:
                    unchecked = True
                else:
                    # Parsed with each reference as a bare word: its braces would make an attribute list that
                    # holds one (``{: caption="{{site.data.keyword.x}}"}``) text, and the blocks around it other
                    # blocks.
                    in_code = code_lines(bare_references("\n".join(lines)))
        tag: Tag = None  # an HTML tag an earlier line opened is open at the line start
        alt = False  # so is an image's alt text (``![`` on a line of the paragraph above, ``](`` not yet)
        # The lines from ``since`` on are not yet read into ``tag`` and ``alt``: they are read only when a line
        # with a reference needs them (most runs of prose lines have none).
        since = 0
        for number, line in enumerate(lines):
            # A blank line ends the paragraph or HTML block, and a tag left open with it.
            open_on = markdown and not in_code[number] and line.strip()
            if "{{" in line:
                for earlier in lines[since:number]:
                    tag, alt = _tag_after(earlier, tag), _alt_after(earlier, alt)
                lines[number] = self._line(
                    line, in_code[number], markdown, path, first_line + number, diagnostics, tag, alt
                )
                if open_on:
                    tag, alt = _tag_after(line, tag), _alt_after(line, alt)
                since = number + 1
            if not open_on:
                tag, alt, since = None, False, number + 1
        return Substitution("\n".join(lines), diagnostics, unchecked)

    def _guess_matters(self, lines: list[str], in_code: list[bool]) -> bool:
        """Whether a wrong guess of code would show on the page. A reference guessed to be in code stays as written
        (or its value unescaped): were the parser to make prose of that line (a fence that a list item or an HTML
        cell ends early), the reader would see ``{{site.data…}}``. A line guessed to be prose but parsed as code
        (indented code) shows the same, since the renderer puts unknown names back as written in code
        (:func:`unmark_missing`), unless a known value there is changed by escaping (``&`` would show as
        ``&amp;``) or an unknown reference is not written the way it is put back (another kind, spaces, one
        brace)."""
        for line, code in zip(lines, in_code, strict=True):
            if "{{" not in line:
                continue
            if code:
                return True
            for match in REFERENCE.finditer(line):
                value = self.values.get(match.group(2) or "") if match.group(1) == "keyword" else None
                if value is not None and html.escape(value) != value:
                    return True
                if (
                    value is None
                    and match.group(1) != "content"
                    and match.group(0)
                    != _written_reference(_unknown_what(match), match.group(2) or match.group(1))
                    and "<" not in line
                ):
                    # Put back in code, it would not read as written (``{{ site.data.keyword.x}``). Not on a line
                    # of HTML, where the parse is too coarse: a fence in one cell makes the whole line code.
                    return True
        return False

    def _line(
        self,
        line: str,
        in_fence: bool,
        markdown: bool,
        path: str,
        number: int,
        diagnostics: list[Diagnostic],
        tag: Tag = None,
        alt: bool = False,
    ) -> str:
        if markdown and not in_fence and line.lstrip().startswith("|"):
            # A table row: each cell is parsed on its own, so a backtick in one opens no code span in another.
            cells = line.split("|")
            return "|".join(self._line(cell, False, True, path, number, diagnostics) for cell in cells)

        def replace(match: re.Match[str]) -> str:
            kind, name = match.group(1), match.group(2) or match.group(1)
            if kind == "content" and match.group(2):
                return match.group(
                    0
                )  # content reuse, substituted before (troubledocs.mdit.reuse) outside code
            value = self.values.get(name) if kind == "keyword" and match.group(2) else None
            if kind == "keyword" and name == ALD_KEYWORD:
                return ""
            code = in_fence or (markdown and before.in_code_span(match.start()))
            if not match.group(3):
                message = f"keyword reference without its second closing brace, read as one: {match.group(0)}"
                diagnostics.append(Diagnostic(path, number, "TD103", message))
            if value is not None and name in self.unresolved:
                message = f"keyword {name!r} refers to itself or expands without bound; shown unexpanded"
                diagnostics.append(Diagnostic(path, number, "TD102", message))
            if value is not None:
                if code or not markdown:
                    return value
                # In an attribute value a quote would end the value (and let the rest of the value be markup).
                return html.escape(value, quote=before.in_attribute_text(match.start()))
            what = _unknown_what(match)
            diagnostics.append(Diagnostic(path, number, "TD101", f"unknown {what} {name!r}", subject=name))
            if code:
                return match.group(0)
            if not markdown or before.in_attribute_text(match.start()):
                return name
            markup = MISSING_MARKUP.format(what, html.escape(name))
            # A backslash before the reference would make the marker's ``<`` text: it shows as itself instead,
            # as it does before a value (``\{{site.data.keyword.x}}``).
            return "\\" + markup if _escapes_next(line, match.start()) else markup

        before = _Before(line, tag, alt)
        _warn_almost_references(line, path, number, diagnostics)
        return REFERENCE.sub(replace, line)


def _escapes_next(line: str, position: int) -> bool:
    """Whether the backslashes right before ``position`` escape the character there (an odd run of them)."""
    start = position
    while start > 0 and line[start - 1] == "\\":
        start -= 1
    return (position - start) % 2 == 1


def join_split_references(lines: list[str]) -> list[int]:
    """Put each reference an author broke at a line end (``the {{site.data.`` / ``keyword.x}} clusters``) back on one
    line of ``lines``, as Liquid reads it, and return the indexes of the lines it starts on. It moves whole to the
    next line, or to the first when that is a heading (which the next line cannot continue) or when nothing precedes
    it. No line is added or removed, and no blank line is made inside a paragraph (it would end it), so line numbers
    and blocks hold."""
    joined: list[int] = []
    for number in range(len(lines) - 1):
        line = lines[number]
        start = line.rfind("{{")
        opened = _OPEN_AT_END.match(line, start) if start >= 0 else None
        if opened is None:
            continue
        following = lines[number + 1]
        head = following.lstrip()
        indent = following[: len(following) - len(head)]
        opening = line[start:].rstrip()
        kept = len(opening)
        reference = REFERENCE.match(opening + head)
        if reference is None or reference.end() <= kept:
            continue
        whole, rest = reference.group(0), head[reference.end() - kept :]
        if _HEADING.match(line):
            lines[number], lines[number + 1] = line[:start] + whole + rest, ""
        elif line[:start].strip():
            lines[number], lines[number + 1] = line[:start].rstrip(), indent + whole + rest
        elif rest.strip() or number + 2 == len(lines) or not lines[number + 2].strip():
            # Alone on its two lines: the second is left blank only where a blank line follows anyway.
            lines[number], lines[number + 1] = line[:start] + whole, indent + rest.lstrip()
        else:
            continue
        joined.append(number)
    return joined


def _warn_almost_references(line: str, path: str, number: int, diagnostics: list[Diagnostic]) -> None:
    """``TD104`` for each ``{{site.data`` of ``line`` that starts no reference: it shows as written, like any text."""
    for almost in _ALMOST_REFERENCE.finditer(line):
        if REFERENCE.match(line, almost.start()) is None:
            end = line.find("}}", almost.start(), almost.start() + 60)
            shown = line[almost.start() : end + 2 if end >= 0 else almost.start() + 40]
            message = f"not a keyword or content reference, shown as written: {shown}"
            diagnostics.append(Diagnostic(path, number, "TD104", message))


def bare_references(text: str) -> str:
    """``text`` with each reference as the word it shows (the attribute-definition list as nothing), lines kept:
    the blocks the parser makes of the substituted text. A reference's braces would make an attribute list that
    holds one text, and an ALD reference before ``3.`` hides the list item it leaves."""
    return REFERENCE.sub(_bare, text) if "{{" in text else text


def _bare(match: re.Match[str]) -> str:
    """A reference as a word of the same line (the attribute-definition list as nothing, as substituted); the line
    breaks of one written across lines are kept, so that lines still match the source's."""
    word = "" if match.group(2) == ALD_KEYWORD else (match.group(2) or match.group(1))
    return word + "\n" * match.group(0).count("\n")


#: The longest value a keyword may expand to through references to other keywords.
MAX_VALUE = 10_000


def _expand_nested(values: dict[str, str]) -> tuple[dict[str, str], frozenset[str]]:
    """``values`` with references to other keywords in them expanded (``{{site.data.keyword.x}}`` in a value),
    and the names left unexpanded: those in a cycle, and those that would grow beyond :data:`MAX_VALUE`."""
    done: dict[str, str] = {}
    unresolved: set[str] = set()
    stack: list[str] = []

    def expand(name: str) -> str:
        if name in done:
            return done[name]
        if name in stack:
            unresolved.update(stack[stack.index(name) :])
            return values[name]
        stack.append(name)

        def inner(match: re.Match[str]) -> str:
            ref = match.group(2)
            if match.group(1) != "keyword" or ref is None or ref not in values:
                return match.group(0)
            return expand(ref)

        value = REFERENCE.sub(inner, values[name]) if "{{" in values[name] else values[name]
        stack.pop()
        if len(value) > MAX_VALUE or name in unresolved:
            unresolved.add(name)
            value = values[name]
        done[name] = value
        return value

    expanded = {name: expand(name) for name in values}
    return expanded, frozenset(unresolved)


def _unknown_what(match: re.Match[str]) -> str:
    """What an unknown reference is, as ``TD101`` and the prose markup's title say it: ``keyword``,
    ``site.data.KIND reference`` or (no name after the kind: ``{{site.data.x}}``) ``reference``."""
    kind = match.group(1)
    return (
        "reference"
        if not match.group(2)
        else "keyword"
        if kind == "keyword"
        else f"site.data.{kind} reference"
    )


def _written_reference(what: str, name: str) -> str:
    """An unknown reference as :func:`unmark_missing` puts it back in code, from what it is (:func:`_unknown_what`)
    and its name: of the kind the author wrote (``{{site.data.keywozd.x}}``)."""
    kind = what.removeprefix("site.data.").removesuffix(" reference")
    return "{{site.data." + ("" if what == "reference" else kind + ".") + name + "}}"


def unmark_missing(code: str) -> str:
    """Code that the substitution took for prose (it guesses code before parsing: an indented code block, say)
    shows an unknown reference as written, not the prose markup."""
    return _MISSING.sub(lambda match: _written_reference(match.group(1), html.unescape(match.group(2))), code)


@dataclass
class Substitution:
    text: str
    diagnostics: list[Diagnostic]
    #: Whether a line's code was the fence scan's guess where a wrong guess would show on the page (no
    #: ``code_lines`` was given): the caller checks it against its parse of :attr:`text`.
    unchecked: bool = False


#: The marks that move the tag state (:func:`_next_tag`), and the pattern that finds them.
_TAG_MARKS = frozenset("<>\"'")
_TAG_MARK = re.compile(f"[{''.join(sorted(_TAG_MARKS))}]")
#: What decides whether a position of a line is in a code span or in attribute-like text (see :class:`_Before`).
_MARK = re.compile(r"\]\(|\{:|!\[|`+|[}<>)\]\"']")
#: Inside an HTML tag: the quote of the attribute value that is open there, ``""`` between values; ``None``:
#: outside any tag. A tag runs on over lines to its ``>``, and a ``>`` inside a quoted value does not end it.
Tag = str | None


_TICKS = re.compile(r"`+")


_ALT_MARK = re.compile(r"!\[|\]")


def _alt_after(line: str, alt: bool) -> bool:
    """Whether an image's alt text is open at the end of ``line`` (``alt``: at its start): a ``![`` that no ``]``
    followed."""
    for mark in _ALT_MARK.finditer(line):
        alt = mark.group(0) == "!["
    return alt


def _tag_after(line: str, tag: Tag) -> Tag:
    """The tag state (:data:`Tag`) at the end of ``line``, ``tag`` at its start."""
    if tag is None and "<" not in line:
        return None
    for mark in _TAG_MARK.finditer(line):
        tag = _next_tag(tag, mark.group(0), line, mark.start())
    return tag


def _next_tag(tag: Tag, mark: str, line: str, start: int) -> Tag:
    """The tag state after the ``mark`` (``<``, ``>`` or a quote) at ``line[start]``."""
    if tag is None:
        return "" if mark == "<" else None
    if tag == "":
        if mark == ">":
            return None
        return mark if mark != "<" and _after_equals(line, start) else ""
    return "" if mark == tag else tag


def _after_equals(line: str, start: int) -> bool:
    """A quote opens a value only right after its ``=`` (spaces between allowed)."""
    before = start - 1
    while before >= 0 and line[before] in " \t":
        before -= 1
    return before >= 0 and line[before] == "="


class _Before:
    """What precedes positions of one line, asked in increasing order: one scan of the line in all (a line of
    thousands of references would otherwise be scanned again for each)."""

    def __init__(self, line: str, tag: Tag = None, alt: bool = False) -> None:
        self.line = line
        self.marks = _MARK.finditer(line)
        self.pending: re.Match[str] | None = next(self.marks, None)
        #: Where each mark was last seen; an alt text open at the line start counts as ``![`` before the line.
        self.last: dict[str, int] = {"![": -1, "]": -2} if alt else {}
        self.tag = tag
        #: The length of the backtick run that opened the code span we are in (``None``: in none); a span closes
        #: at the next run of the same length, and a run that no later run matches opens none (CommonMark).
        self.span: int | None = None
        self.runs_after = Counter(len(run) for run in _TICKS.findall(line)) if "`" in line else Counter()
        #: Where the references of the line end, by start: the braces of earlier references on the line
        #: (``{: caption="{{site.data.keyword.a}} and …"``) do not close a list.
        self.references = [(m.start(), m.end()) for m in REFERENCE.finditer(line)]
        self.reference = 0

    def _in_reference(self, position: int) -> bool:
        while self.reference < len(self.references) and self.references[self.reference][1] <= position:
            self.reference += 1
        return self.reference < len(self.references) and self.references[self.reference][0] <= position

    def _advance(self, position: int) -> None:
        while self.pending is not None and self.pending.start() < position:
            mark, start = self.pending.group(0), self.pending.start()
            ticks = mark[0] == "`"
            if not ticks and self._in_reference(start):
                self.pending = next(self.marks, None)
                continue
            in_span = self.span is not None
            in_target = self.last.get("](", -1) > self.last.get(")", -1)
            if mark in _TAG_MARKS:
                self.tag = _next_tag(self.tag, mark, self.line, start)
            elif ticks:
                self.runs_after[len(mark)] -= 1
                # Outside a span, an escaped backtick is text: the run opens as one backtick shorter.
                opening = len(mark) - (not in_span and _escapes_next(self.line, start))
                if in_span:
                    self.span = None if len(mark) == self.span else self.span
                elif not in_target and opening and self.runs_after[opening] > 0:
                    # (A backtick in a link target, ``[](`)``, is part of the URL: it opens no code span.)
                    self.span = opening
            elif mark != "](" or not in_span:  # ``](`` inside a code span starts no link target
                self.last[mark] = start
            if mark == "](" and not in_span:
                self.last["]"] = start
            self.pending = next(self.marks, None)

    def in_code_span(self, position: int) -> bool:
        """Whether ``position`` is inside a code span: a backtick run before it opened one that a run of the same
        length after it closes."""
        self._advance(position)
        return self.span is not None

    def in_attribute_text(self, position: int) -> bool:
        """Inside ``{: …}``, an HTML tag, a link target ``](…)`` or an image's alt text ``![…]``, where inserted
        markup would break them (an alt attribute would show it as text)."""
        self._advance(position)
        last = self.last.get
        return (
            last("{:", -1) > last("}", -1)
            or self.tag is not None
            or last("](", -1) > last(")", -1)
            or last("![", -1) > last("]", -1)
        )


def read_keyword_file(path: Path) -> dict[str, str]:
    """A YAML or JSON file holding a ``keyword:`` map (IBM's ``keyref.yaml``) or a flat name → value map."""
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise KeywordFileError(f"{path}: cannot read keywords: {error}") from error
    if isinstance(data, Mapping) and isinstance(data.get("keyword"), Mapping):
        data = data["keyword"]
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise KeywordFileError(f"{path}: expected a 'keyword:' map or a map of names to values")
    # An empty value (an unfilled skeleton from ``troubledocs keywords -o``) defines nothing: the name stays
    # unknown, and is reported, rather than vanishing from the page.
    return {
        str(name): _text(value)
        for name, value in data.items()
        if value is not None and not isinstance(value, (Mapping, list)) and _text(value)
    }
