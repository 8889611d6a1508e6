"""The kramdown attribute-list grammar (``{: #id .cls k="v" name}``, ``{:name: …}``) and ALD resolution.

Grammar (kramdown, with IBM's relaxations): tokens are whitespace separated; ``#id`` (last one wins), ``.cls``
(accumulates; ``#id.c1.c2`` may be glued), ``key="v"`` / ``key='v'`` / ``key=v`` (IBM accepts unquoted values),
and bare names (a letter, digit or ``_`` first, as kramdown's), which refer to an attribute-list definition (ALD).
Resolution follows kramdown: references are expanded first (recursively), then the list's own classes are appended
and its own id/key-values override.

Values are HTML-unescaped when parsed (``caption="A &amp; B"`` means ``A & B``) because markdown-it escapes
attribute values again when it writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import functools
import html
from importlib import resources
import re
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Sequence

_WHOLE = re.compile(r"\A\s*\{:(?![:/])((?:\\.|[^\\}])*)\}\s*\Z", re.DOTALL)
_ALD = re.compile(r"\A {0,3}\{:([A-Za-z_][\w#.-]*):((?:\\.|[^\\}])*)\}\s*\Z")
_TOKEN = re.compile(
    r"""(?:
        (?P<key>[A-Za-z_:][\w:.-]*)=(?:"(?P<dq>(?:\\.|[^"\\])*)"|'(?P<sq>(?:\\.|[^'\\])*)'|(?P<bare>[^\s"'=]+))
      | (?P<idcls>(?:\#[^\s#.{}"'=][^\s#.{}"']*(?:\.\d[^\s#.{}"']*)*(?:\.(?!\w))?|\.[\w][\w-]*)+)
      | (?P<name>\w[\w#:.-]*)
    )(?=\s|\Z)""",
    re.VERBOSE,
)
#: ``#id.c1.c2``. An id takes any character HTML allows except the separators (IBM writes ``#what-is-it?`` and
#: ``#with-format=raw``; only its first character may not be ``=``). A dot before a digit stays in it, so version
#: ids (``#autoscaler-1.1.0``) survive, and so does a dot that no class name follows (``#…-by-cloudflare.``).
_IDCLS = re.compile(r"(#)([^\s#.{}\"'=][^\s#.{}\"']*(?:\.\d[^\s#.{}\"']*)*(?:\.(?!\w))?)|(\.)([\w][\w-]*)")
_UNTERMINATED = re.compile(r"""(?P<key>[A-Za-z_:][\w:.-]*)=(["'])(?P<value>[^"']*)""")
_ESCAPE = re.compile(r"\\(.)")
#: A key, with or without its ``=``, and the white space and ``=`` between it and a quoted value.
_KEY = re.compile(r"[A-Za-z_:][\w:.-]*=?")
_GAP = re.compile(r"\s*(=?)\s*(?=[\"'])")
_BRACE = re.compile(r"(?<!\\)[{}]")
#: Bare names that resolve without a definition: any ``tag-*`` badge becomes a class of the same name.
_TAG_NAME = re.compile(r"\Atag-[\w-]+\Z")
#: Recursion bound for nested ALD references (a definition cycle stops here).
_MAX_DEPTH = 16


@dataclass
class AttrList:
    """One parsed ``{: ...}`` list, in source order."""

    id: str | None = None
    classes: list[str] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    #: Tokens that matched no form of the grammar (kramdown ignores them; callers warn).
    invalid: list[str] = field(default_factory=list)

    def merge(self, other: AttrList) -> AttrList:
        """The list that ``self`` followed by ``other`` means (stacked IAL lines, ``}{:``)."""
        return merge_all([self, other])


def merge_all(lists: Sequence[AttrList]) -> AttrList:
    """The list that ``lists`` one after the other mean, made in one pass (a stack of thousands of IAL lines
    merged pairwise would copy the growing lists each time)."""
    merged = AttrList()
    for each in lists:
        merged.id = each.id if each.id is not None else merged.id
        merged.classes.extend(each.classes)
        merged.pairs.extend(each.pairs)
        merged.names.extend(each.names)
        merged.invalid.extend(each.invalid)
    return merged


def _unescape(value: str) -> str:
    return html.unescape(_ESCAPE.sub(r"\1", value))


def _parse_content(content: str) -> AttrList:
    result = AttrList()
    chunks, spaced = _tokens(content)
    for index, chunk in enumerate(chunks):
        match = _TOKEN.fullmatch(chunk)
        if index in spaced and match is not None:
            # ``caption = "Sizes"``: read as meant (kramdown would make names of the caption's words), reported.
            result.invalid.append(f"{chunk} (spaces around = ignored)")
        unterminated = _UNTERMINATED.fullmatch(chunk) if match is None else None
        if unterminated is not None:
            # ``caption="Table of sizes}``: the value runs to the closing brace (reported, but kept)
            result.pairs.append((unterminated["key"], _unescape(unterminated["value"])))
            result.invalid.append(f"{chunk} (unterminated quote: value read to the end)")
        elif match is None:
            result.invalid.append(chunk)
        elif match["key"] is not None:
            raw = match["dq"] if match["dq"] is not None else match["sq"]
            value = _unescape(raw) if raw is not None else html.unescape(match["bare"])
            if match["key"] == "id":
                result.id = value
            elif match["key"] == "class":
                result.classes.extend(value.split())
            else:
                result.pairs.append((match["key"], value))
        elif match["idcls"] is not None:
            for id_sigil, ident, _class_sigil, name in _IDCLS.findall(match["idcls"]):
                if id_sigil:
                    result.id = ident
                else:
                    result.classes.append(name)
        else:
            result.names.append(match["name"])
    return result


def _tokens(content: str) -> tuple[list[str], set[int]]:
    """Split on whitespace outside quotes (a quoted value may hold spaces). A key with spaces around its ``=``
    before a quoted value (``key = "v"``, ``key= "v"``) is one chunk, ``key="v"``; the indexes of those come
    second."""
    chunks: list[str] = []
    spaced: set[int] = set()
    current: list[str] = []
    quote = ""
    escaped = False
    index = 0
    while index < len(content):
        char = content[index]
        index += 1
        word = "".join(current)
        if not quote and not escaped and (char.isspace() or char == "=") and _KEY.fullmatch(word):
            gap = _GAP.match(content, index - 1)
            if gap is not None and gap.group(0) != "=" and word.endswith("=") != bool(gap.group(1)):
                current = list(word.removesuffix("=") + "=")
                spaced.add(len(chunks))
                index = gap.end()
                continue
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            current.append(char)
            escaped = True
        elif quote:
            current.append(char)
            if char == quote:
                quote = ""
        elif char in "\"'" and current and current[-1] == "=":
            current.append(char)
            quote = char
        elif char.isspace():
            if current:
                chunks.append("".join(current))
                current = []
        else:
            current.append(char)
    if current:
        chunks.append("".join(current))
    return chunks, spaced


def parse_attr_list(text: str) -> AttrList | None:
    """Parse ``{: ...}`` (whole) or its inside; ``None`` when ``text`` is not an attribute list.

    A whole list must be ``{:`` … ``}`` and not a kramdown extension (``{::x}``, ``{:/x}``). A list whose
    every token is invalid is not an attribute list either (``{: "oops}`` is text). Never raises.
    """
    cached = _parse_cached(text)
    if cached is None:
        return None
    return AttrList(
        cached.id, list(cached.classes), list(cached.pairs), list(cached.names), list(cached.invalid)
    )


# Pages repeat a few lists thousands of times (``{: external}``, ``{: pre}``); callers get a fresh copy.
@functools.lru_cache(maxsize=4096)
def _parse_cached(text: str) -> AttrList | None:
    stripped = text.strip()
    if stripped.startswith("{:"):
        whole = _WHOLE.match(stripped)
        if whole is None:
            return None
        content = whole.group(1)
    elif _BRACE.search(stripped):
        return None  # an inside with a bare brace is not part of an attribute list
    else:
        content = stripped
    result = _parse_content(content)
    if result.invalid and not (result.id or result.classes or result.pairs or result.names):
        return None
    return result


_LISTS = re.compile(r"\{:(?:\\.|[^\\}])*\}")
_SEPARATOR = re.compile(r"\s*")


@functools.lru_cache(maxsize=4096)
def parse_attr_line(line: str) -> AttrList | None:
    """The merged attribute list of a line made only of ``{: …}`` lists (stacked: ``{: .x}{: #id}``), else
    ``None``. Later ids and values win, classes accumulate (:meth:`AttrList.merge`).

    Cached: the block rule sees a line once as a paragraph terminator and again when it takes it, and pages
    repeat the same few lines (``{: pre}``) thousands of times. Callers must not mutate the result.
    """
    position, merged = 0, None
    text = line.strip()
    while position < len(text):
        match = _LISTS.match(text, position)
        if match is None:
            return None
        parsed = parse_attr_list(match.group(0))
        if parsed is None:
            return None
        merged = parsed if merged is None else merged.merge(parsed)
        position = _SEPARATOR.match(text, match.end()).end()  # type: ignore[union-attr]
    return merged


#: ``{:: note}``: a doubled colon before a space (kramdown extensions are ``{::name}``, without one).
_DOUBLED_COLON = re.compile(r"\A\{::(?=\s)")
#: ``{: {: external}}``: a list typed inside another, the outer braces doubled around the one meant.
_DOUBLED_OPENING = re.compile(r"\A\{:\s*(\{:[^{}]*\})\s*\}\Z")
_DOUBLED_HASH = re.compile(r"(?<=\s)##+(?=[^\s#])")
#: ``{: @setup}``: ``@`` typed for the ``#`` beside it (no attribute starts with ``@``).
_AT_FOR_HASH = re.compile(r"(?<=\s)@(?=[^\s@#.{}\"'=])")
#: ``{: toc-services-"vpc"}``: ``-`` typed for the ``=`` beside it, between a name and its quoted value.
_HYPHEN_FOR_EQUALS = re.compile(r"""(?<=\s)([A-Za-z_][\w:.-]*)-(?=["'])""")
#: ``{: external.`` at the end of a sentence: the stop after the last name is the sentence's, not the name's.
_NAME_THEN_STOP = re.compile(r"(\s[A-Za-z_][\w:-]*)[.,;]\Z")
#: A quote glued to the end of a bare word, ``{: external"}``: only repaired when that quote is the only one (a
#: quote before a word may open a value whose end is lost, ``{: "oops}``, and stays text).
_STRAY_QUOTE = re.compile(r"""(?<=[\w-])(["'])(?=\s|\})""")
#: The next ``name="`` after a space: where a value whose closing quote is lost ends (``caption="A b-side="c"``).
_NEXT_KEY = re.compile(r"""\s+[A-Za-z_][\w:.-]*=(["'])""")
#: Where a quoted value starts: ``name="`` after a space or the list's colon.
_VALUE_START = re.compile(r"""(?<=[\s:])[A-Za-z_][\w:.-]*=(["'])""")


def repaired_attr_line(line: str) -> str | None:
    """The attribute list an author meant by a line that is almost one, else ``None``: ``{:: note}`` (a doubled
    colon), ``{: {: external}}`` (a list inside another), ``{: ##setup}`` (a doubled id mark), ``{: @setup}`` and
    ``{: toc-services-"vpc"}`` (a key beside the one meant: ``@`` for ``#``, ``-`` for ``=``), ``{: external"}`` (a
    lone stray quote) and ``{: #setup`` (the closing brace missing at the end of the line; in ``{: external.`` a
    sentence's stop after a name is no part of it). The caller warns; without the repair the line would show as
    text, which is never what the author wanted. A repair whose list still holds a token of no attribute form is no
    list the author meant (``{: term| | Field |``: a ``}`` mistyped before text): the line stays text, its words
    shown."""
    text = line.strip()
    if not text.startswith("{:"):
        return None
    candidate = _DOUBLED_HASH.sub("#", _DOUBLED_COLON.sub("{:", _DOUBLED_OPENING.sub(r"\1", text)))
    candidate = _HYPHEN_FOR_EQUALS.sub(r"\1=", _AT_FOR_HASH.sub("#", candidate))
    stray = _STRAY_QUOTE.search(candidate)
    if stray is not None and candidate.count(stray.group(1)) == 1:
        candidate = candidate[: stray.start()] + candidate[stray.end() :]
    candidate = _escape_inner_quotes(_close_value_before_key(candidate))
    if not candidate.endswith("}") and "}" not in candidate:
        candidate = _NAME_THEN_STOP.sub(r"\1", candidate) + "}"
    if candidate == text or "{" in candidate[1:]:
        return None
    repaired = _parse_cached(candidate)
    return candidate if repaired is not None and not repaired.invalid else None


def _close_value_before_key(text: str) -> str:
    """``{: caption="Ranges (us-south) caption-side="bottom"}``: an odd number of quotes, and a ``name="`` inside
    the open value, is a value whose closing quote was lost before the next attribute: it is closed there."""
    odd = {quote for quote in "\"'" if text.count(quote) % 2}
    before = dict.fromkeys(odd, 0)  # quotes before the match, counted once over the whole line
    last = 0
    for found in _NEXT_KEY.finditer(text):
        for quote in odd:
            before[quote] += text.count(quote, last, found.start())
        last = found.start()
        if found.group(1) in odd and before[found.group(1)] % 2:
            return f"{text[: found.start()]}{found.group(1)}{text[found.start() :]}"
    return text


def _escape_inner_quotes(text: str) -> str:
    """``{: caption="The "Create" button" caption-side="bottom"}``: a value that holds its own quote mark ends at
    the last such quote before the next ``name="`` (or the list's end) that a space or the end follows; the quotes
    before it are the value's, escaped. Each value is read once: linear."""
    starts = list(_VALUE_START.finditer(text))
    pieces: list[str] = []
    done = 0
    for index, start in enumerate(starts):
        if start.start() < done:
            continue  # a ``name="`` inside a value already read
        quote, opened = start.group(1), start.end()
        limit = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        close = text.rfind(quote, opened, limit)
        while close >= 0 and not (
            close + 1 == len(text) or text[close + 1].isspace() or text[close + 1] == "}"
        ):
            close = text.rfind(quote, opened, close)
        if close < 0:
            continue
        inner = re.sub(rf"(?<!\\){quote}", rf"\\{quote}", text[opened:close])
        pieces.append(text[done:opened] + inner)
        done = close
    return "".join(pieces) + text[done:] if pieces else text


class AttrLine(NamedTuple):
    """What a line of attribute lists is read as (:func:`read_attr_line`)."""

    #: The merged list, ``None`` when the line is none, even repaired.
    attrs: AttrList | None
    #: The line the author meant, when the line is not one as written (``{: #setup`` → ``{: #setup}``).
    repaired: str | None


def read_attr_line(line: str) -> AttrLine:
    """A line made only of ``{: …}`` lists (:func:`parse_attr_line`), else (or when a token of it has no attribute
    form) the line the author meant by it (:func:`repaired_attr_line`). The list is shared: callers must not mutate
    it."""
    found = parse_attr_line(line)
    if found is not None and not found.invalid:
        return AttrLine(found, None)
    # A list with a token of no attribute form may be one the author meant otherwise (``{: @id}``, quotes in a value).
    repaired = repaired_attr_line(line)
    if repaired is None:
        return AttrLine(found, None)
    return AttrLine(parse_attr_line(repaired), repaired)


def parse_ald_definition(line: str) -> tuple[str, AttrList] | None:
    """Parse an ALD definition line ``{:name: .cls k='v'}``; ``None`` when ``line`` is not one."""
    match = _ALD.match(line.rstrip("\r\n"))
    if match is None:
        return None
    attrs = _parse_content(match.group(2))
    if attrs.invalid:
        return None
    return match.group(1), attrs


@dataclass
class ResolvedAttrs:
    """Attributes after ALD expansion, ready to put on an element."""

    id: str | None = None
    classes: list[str] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)
    #: Bare names with no definition (typos such as ``scree``): the caller warns.
    unknown: list[str] = field(default_factory=list)
    #: Names read as the one defined name they are a slip of (``tsSymtpoms`` → ``tsSymptoms``): the caller warns.
    read_as: list[tuple[str, str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.id or self.classes or self.attrs)

    def apply(self, token: Any) -> None:
        """Set id, classes and attributes on a markdown-it ``Token``; classes merge with existing ones."""
        if self.id is not None:
            token.attrSet("id", self.id)
        if self.classes:
            existing = str(token.attrGet("class") or "").split()
            merged = existing + [c for c in self.classes if c not in existing]
            token.attrSet("class", " ".join(dict.fromkeys(merged)))
        for key, value in self.attrs.items():
            token.attrSet(key, value)


@functools.cache
def standard_definition_lines() -> frozenset[str]:
    """Every definition line of ``data/ald.txt`` as written, including IBM's one invalid boilerplate line.

    A page that repeats one of these lines (the legacy per-page ALD block) is not warned about: the line is
    IBM's standard text, not the author's mistake.
    """
    text = resources.files("troubledocs").joinpath("data", "ald.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.startswith("{:"))


@functools.cache
def standard_alds() -> dict[str, AttrList]:
    """The standard ALD table (``data/ald.txt``), read once; every page starts with it. Do not mutate."""
    table: dict[str, AttrList] = {}
    for line in sorted(standard_definition_lines()):
        parsed = parse_ald_definition(line)
        if parsed is not None:
            table[parsed[0]] = parsed[1]
    return table


#: Shortest name read as the defined name it is a slip of: shorter ones (``go``, ``pre``) are too easily another word.
_SLIP_LENGTH = 6


def slip_of(name: str, names: set[str]) -> str | None:
    """The one defined name that ``name`` is a slip of the keyboard from, else ``None``: the same name in another
    case, or one letter dropped, added, changed, or two neighbours swapped (``tsSymtpoms``, ``scteen``,
    ``shortdec``), when no other defined name is as near. Only names of ``_SLIP_LENGTH`` letters or more."""
    if len(name) < _SLIP_LENGTH:
        return None
    folded = name.casefold()
    near = {known for known in names if _one_slip(folded, known.casefold())}
    return near.pop() if len(near) == 1 else None


def _one_slip(typed: str, known: str) -> bool:
    if typed == known:
        return True
    if abs(len(typed) - len(known)) > 1:
        return False
    start = 0
    while start < min(len(typed), len(known)) and typed[start] == known[start]:
        start += 1
    if len(typed) == len(known):
        swapped = typed[start + 1 : start + 2] + typed[start : start + 1] + typed[start + 2 :]
        return typed[start + 1 :] == known[start + 1 :] or swapped == known[start:]
    longer, shorter = (typed, known) if len(typed) > len(known) else (known, typed)
    return longer[start + 1 :] == shorter[start:]


class AttrResolver:
    """Per page: the standard ALDs plus the page's own ``{:name: …}`` definitions."""

    def __init__(self) -> None:
        self._standard = standard_alds()
        self._page: dict[str, AttrList] = {}

    def define(self, name: str, attrs: AttrList) -> None:
        """Add a page definition; a second definition of the same name on the page merges (kramdown)."""
        previous = self._page.get(name)
        self._page[name] = previous.merge(attrs) if previous is not None else attrs

    def names(self) -> set[str]:
        """Every defined name (for "did you mean" hints)."""
        return set(self._standard) | set(self._page)

    def is_defined(self, name: str) -> bool:
        return name in self._page or name in self._standard or _TAG_NAME.match(name) is not None

    def _lookup(self, name: str) -> AttrList | None:
        found = self._page.get(name) or self._standard.get(name)
        if found is None and _TAG_NAME.match(name):
            return AttrList(classes=[name])
        return found

    def resolve(self, attrs: AttrList) -> ResolvedAttrs:
        """Expand references (nested), merge classes, let later and local values override."""
        out = ResolvedAttrs()
        self._expand(attrs, out, 0, frozenset())
        out.classes = list(dict.fromkeys(out.classes))
        return out

    def _expand(self, attrs: AttrList, out: ResolvedAttrs, depth: int, seen: frozenset[str]) -> None:
        for name in attrs.names:
            definition = self._lookup(name)
            meant = slip_of(name, self.names()) if definition is None else None
            if meant is not None:
                out.read_as.append((name, meant))
                name, definition = meant, self._lookup(meant)
            if definition is None:
                out.unknown.append(name)
            elif name not in seen and depth < _MAX_DEPTH:
                self._expand(definition, out, depth + 1, seen | {name})
        if attrs.id is not None:
            out.id = attrs.id
        out.classes.extend(attrs.classes)
        for key, value in attrs.pairs:
            out.attrs[key] = value
