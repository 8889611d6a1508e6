"""Content reuse as IBM's processor does it: references substituted in the page text before it is parsed.

``{{site.data.content.ID}}`` (a block of ``conref.md``), ``{{path/file.md}}`` (a whole file, front matter dropped)
and ``{{path/file.md#ID}}`` (the block with that id in the file) are replaced by their Markdown wherever they stand:
on a line of their own, after a text line, in a list item (continuation lines take the item's indentation) or in a
table cell (the text joined on one line). The reused text is expanded in turn (at most :data:`MAX_DEPTH` levels; a
cycle is reported, ``TD608``), and keywords and attribute-list definitions in it are resolved afterwards with the
page's. Code is never touched: fences and code spans keep their ``{{…}}`` text.

A path is relative to the folder of the file holding the reference, or to the repository root when it starts with
``/`` (or is not found beside that file); it never leaves the repository, except into a sibling repository of a
multi-repository build (``{{../cli/x.md}}`` with ``cli`` built too). Any other ``{{../set/x.md}}`` is an
include from another documentation set: a link to that set's published pages (``TD610``, information, counted in
the build summary). A reference that names nothing shows a visible placeholder and warns ``TD608``.

Heading ids in included text become ``PAGEID-include-ID`` (IBM's form, which links use; PAGEID is the page's topic
id); :mod:`troubledocs.mdit.headings` keeps the plain id as an alias where it is unique on the page. Every line of
the result remembers its origin (:class:`~troubledocs.diagnostics.LineMap`), so diagnostics point into the file
that holds the text (``_include-segments/x.md:4 … (included from page.md:12)``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
import posixpath
import re

from troubledocs.boundary import refusal
from troubledocs.conref import Block, ConrefLibrary
from troubledocs.diagnostics import Diagnostic, Origin, Severity
from troubledocs.keywords import bare_references, join_split_references
from troubledocs.source_lines import fenced_lines

#: A conref that lost its second closing brace (``{{site.data.content.x}``) is read as meant, with ``TD103``, and
#: spaces after a dot of the name are skipped (never a line break), as a keyword reference is
#: (:data:`troubledocs.keywords.REFERENCE`).
REFERENCE = re.compile(
    r"\{\{[^\S\r\n]*(?:site\.data\.[^\S\r\n]*content[^\S\r\n]*\.[^\S\r\n]*(?P<conref>[\w.-]+)[^\S\r\n]*\}(?P<second>\}?)"
    r"|(?P<file>[^{}\s]+?\.md)(?:#(?P<id>[\w:.-]+))?\s*\}\})"
)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?:.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)
#: A code span, or a backslash escape (read first, so that an escaped backtick opens no span).
_CODE_SPAN = re.compile(r"\\.|(`+).*?(?<!`)\1(?!`)")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_IAL_LINE = re.compile(r"^\s*\{:(?!:)[^}]*\}\s*$")
#: The id in an attribute list (``{: #id}``, ``{: .x #id}``, a heading's trailing ``{: #id}``).
_IAL_ID = re.compile(r"(\{:[^}]*?(?<=[\s:])#)([A-Za-z][\w:.-]*)")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+$")
CLOUD_DOCS = "https://cloud.ibm.com/docs"
MISSING_CLASS = "td-include-missing"
#: How deep included text may include more text.
MAX_DEPTH = 8
#: The env key of ``{PAGEID-include-ID: ID}`` for the page's included headings.
ALIASES = "td_include_aliases"


class Reuse:
    """What a build can reuse: the ``conref.md`` library, the files under the source root, and the files of the
    ``siblings``: the other repositories of a multi-repository build, by folder name (``{{../cli/x.md#id}}``
    names ``x.md`` of the sibling ``cli``)."""

    def __init__(
        self, library: ConrefLibrary, root: Path | None = None, siblings: dict[str, Path] | None = None
    ) -> None:
        self.library = library
        self.root = root
        self.siblings = siblings or {}
        self._files: dict[str, tuple[Block, ConrefLibrary] | None] = {}

    def include(self, file: str, ident: str | None) -> Block | None:
        """The Markdown that ``{{file#id}}`` names (``file`` relative to the root, ``../NAME/…`` in a sibling),
        or ``None``."""
        if self.root is None:
            return None
        if file not in self._files:
            path = self._path(file)
            inside = path.is_file() and refusal(self._root_of(file), path) is None
            self._files[file] = _read(path, file) if inside else None
        found = self._files[file]
        if found is None:
            return None
        whole, blocks = found
        return blocks.blocks.get(ident) if ident else whole

    def _path(self, file: str) -> Path:
        """Where ``file`` (relative to the root; ``../NAME/…`` in a sibling) is."""
        assert self.root is not None
        if file.startswith("../"):
            name, _, rest = file.removeprefix("../").partition("/")
            return self.siblings[name] / PurePosixPath(rest)
        return self.root / PurePosixPath(file)

    def _root_of(self, file: str) -> Path:
        """The repository ``file`` is in: no symlink may lead a reference out of it (:mod:`troubledocs.boundary`)."""
        assert self.root is not None
        if file.startswith("../"):
            return self.siblings[file.removeprefix("../").partition("/")[0]]
        return self.root

    def has_sibling(self, file: str) -> bool:
        """Whether ``file`` (``../NAME/…``) is in a sibling repository of this build."""
        name, _, rest = file.removeprefix("../").partition("/")
        return file.startswith("../") and bool(rest) and name in self.siblings

    def forget(self, files: Iterable[str]) -> None:
        """Read ``files`` again when next included (they changed on disk)."""
        for file in files:
            self._files.pop(file, None)


def included_files(text: str, page: str) -> set[str]:
    """The files of this repository that ``page`` (its source ``text``) may include with ``{{file.md#id}}``
    (every path such a reference may name, see :func:`_candidates`)."""
    found: set[str] = set()
    for match in REFERENCE.finditer(text):
        file = match.group("file")
        if file:
            found.update(_candidates(file, page))
    return found


def _read(path: Path, file: str) -> tuple[Block, ConrefLibrary]:
    text = path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
    lines = text.split("\n")
    header = _FRONT_MATTER.match(text)
    start = header.group(0).count("\n") if header else 0
    kept = list(range(start, len(lines)))
    while kept and not lines[kept[0]].strip():
        kept.pop(0)
    while kept and not lines[kept[-1]].strip():
        kept.pop()
    whole = Block(tuple(lines[i] for i in kept), tuple(i + 1 for i in kept))
    return whole, ConrefLibrary.from_text(text, file)


@dataclass
class Expansion:
    """The page body with reuse substituted, the origin of each of its lines, what went wrong, and the ids the
    included headings got (``{PAGEID-include-ID: ID}``)."""

    text: str
    origins: list[Origin]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)


def expand(
    text: str,
    page: str,
    first_line: int,
    reuse: Reuse,
    code_lines: Callable[[str], list[bool]] | None = None,
) -> Expansion | None:
    """Substitute reuse in ``text`` (the body of ``page``, starting at source line ``first_line``); ``None`` when
    it holds no reference. ``code_lines(text)``: for each line, whether the parser makes it code; asked when the
    quick fence scan takes a line with a reference for code (left as written, it would show in prose were the
    scan wrong: a fence that a list item or an HTML cell ends early)."""
    if "{{" not in text:
        return None
    lines = text.split("\n")
    # A reference broken at a line end is put back on one line first, as keyword substitution does (which then has
    # nothing left to join: the warning is given here).
    joined = join_split_references(lines)
    if joined:
        text = "\n".join(lines)
    if not REFERENCE.search(text):
        return None
    origins = [Origin(page, first_line + index) for index in range(len(lines))]
    in_code = fenced_lines(lines)
    if code_lines is not None and any(
        code and "{{" in line and REFERENCE.search(line) for line, code in zip(lines, in_code, strict=True)
    ):
        in_code = code_lines(bare_references(text))
    expander = _Expander(reuse, page, _topic_id(lines, page), in_code)
    for number in joined:
        message = f"reference broken across a line end, read as one: {lines[number].strip()[:80]}"
        expander.diagnostics.append(Diagnostic(page, first_line + number, "TD103", message))
    out, where = expander.expand(lines, origins, ())
    if code_lines is not None and any("{{" in line and REFERENCE.search(line) for line in out):
        # Reused blocks can move where code is (a fence reused after text on its line): a reference left as
        # code that the parser now reads as prose is substituted in a second pass.
        text = "\n".join(out)
        expander.page_code = code_lines(bare_references(text))
        if not all(
            code for line, code in zip(out, expander.page_code, strict=True) if REFERENCE.search(line)
        ):
            out, where = expander.expand(out, where, ())
    return Expansion("\n".join(out), where, expander.diagnostics, expander.aliases)


class _Expander:
    def __init__(self, reuse: Reuse, page: str, topic: str, page_code: list[bool]) -> None:
        self.reuse = reuse
        self.page = page
        self.topic = topic
        #: Which lines of the page are code (reused text is scanned on its own).
        self.page_code = page_code
        self.diagnostics: list[Diagnostic] = []
        self.aliases: dict[str, str] = {}

    def expand(
        self, lines: Sequence[str], origins: Sequence[Origin], stack: tuple[str, ...]
    ) -> tuple[list[str], list[Origin]]:
        in_code = self.page_code if not stack else fenced_lines(list(lines))
        out: list[str] = []
        where: list[Origin] = []
        for line, origin, code in zip(lines, origins, in_code, strict=True):
            if code or "{{" not in line or not REFERENCE.search(line):
                out.append(line)
                where.append(origin)
            else:
                self._line(line, origin, stack, out, where)
        return out, where

    def _line(
        self, line: str, origin: Origin, stack: tuple[str, ...], out: list[str], where: list[Origin]
    ) -> None:
        """Append ``line`` with its references replaced (one line or more) to ``out``."""
        spans = [span.span() for span in _CODE_SPAN.finditer(line) if span.group(1)]
        table = line.lstrip().startswith("|")
        current, current_origin, position = "", origin, 0
        for match in REFERENCE.finditer(line):
            if any(start <= match.start() < end for start, end in spans):
                continue
            before = line[: match.start()]
            current += line[position : match.start()]
            position = match.end()
            alone = not before.strip() and not line[match.end() :].strip()
            if match.group("conref") and not match.group("second"):
                message = f"content reference without its second closing brace, read as one: {match.group(0)}"
                self.diagnostics.append(Diagnostic(origin.path, origin.line, "TD103", message))
            content = self._content(match, origin, stack, alone)
            if not content:
                continue
            if table:  # a table row is one line: the reused text goes in its cell
                current += " ".join(text.strip() for text, _ in content if text.strip())
                continue
            if alone and len(content) > 1:
                # Blocks on a line of their own stay blocks: no lazy continuation into or out of them.
                if out and out[-1].strip():
                    out.append("")
                    where.append(origin)
                content = [*content, ("", origin)]
            if not current.strip():
                current_origin = content[0][1]
            current += content[0][0]
            indent = _continuation(before)
            for text, text_origin in content[1:]:
                out.append(current)
                where.append(current_origin)
                current, current_origin = (indent + text if text.strip() else ""), text_origin
        out.append(current + line[position:])
        where.append(current_origin)

    def _content(
        self, match: re.Match[str], origin: Origin, stack: tuple[str, ...], alone: bool
    ) -> list[tuple[str, Origin]]:
        """The lines a reference stands for, each with its origin."""
        found, key, problem = self._source(match, origin.path)
        if found is None:
            return self._placeholder(match, origin, alone, problem)
        if key in stack:
            chain = " → ".join([*stack[stack.index(key) :], key])
            self._warn(origin, f"include cycle {chain}; not expanded again")
            return []
        if len(stack) >= MAX_DEPTH:
            self._warn(origin, f"{match.group(0)} nests more than {MAX_DEPTH} includes deep; not expanded")
            return []
        via = str(origin)
        path = key.split("#")[0]
        lines = self._with_include_ids(list(found.lines))
        origins = [Origin(path, number, via) for number in found.numbers]
        out, where = self.expand(lines, origins, (*stack, key))
        return list(zip(out, where, strict=True))

    def _source(self, match: re.Match[str], holder: str) -> tuple[Block | None, str, str]:
        """The block a reference names (or ``None``), its key (``path#id``) and, when missing, why."""
        if match.group("conref"):
            ident = match.group("conref")
            library = self.reuse.library
            problem = f"conref '{ident}' (no block with that id in {library.path})"
            return library.blocks.get(ident), f"{library.path}#{ident}", problem
        file, ident = match.group("file"), match.group("id")
        targets = _candidates(file, holder)
        if not targets:
            sibling = posixpath.normpath(posixpath.join(posixpath.dirname(holder), file.lstrip("/")))
            if not self.reuse.has_sibling(sibling):
                return None, "", ""  # another documentation set, not in this build
            key = sibling + (f"#{ident}" if ident else "")
            problem = f"include '{match.group(0)}' names nothing in {sibling}"
            return self.reuse.include(sibling, ident), key, problem
        for target in targets:
            block = self.reuse.include(target, ident)
            if block is not None:
                return block, target + (f"#{ident}" if ident else ""), ""
        return None, "", f"include '{match.group(0)}' names nothing in this repository"

    def _placeholder(
        self, match: re.Match[str], origin: Origin, alone: bool, problem: str
    ) -> list[tuple[str, Origin]]:
        ident = match.group("id")
        if problem:
            self._warn(origin, problem)
            if match.group("conref"):
                text = f"*Reused content `site.data.content.{match.group('conref')}` is not available.*"
            else:
                text = f"*Included content `{match.group('file')}` is not available.*"
        else:
            self.diagnostics.append(
                Diagnostic(
                    origin.path,
                    origin.line,
                    "TD610",
                    f"{match.group(0)} is included from another documentation set: linked to its published pages",
                    Severity.INFO,
                )
            )
            doc_set = _doc_set(match.group("file"))
            shown = match.group("file") + (f"#{ident}" if ident else "")
            url = f"{CLOUD_DOCS}/{doc_set}" if doc_set else CLOUD_DOCS
            text = f"*Content included from another documentation set:* [`{shown}`]({url}){{: external}}"
        lines = [(text, origin)]
        if alone:
            # IBM gives included content the id <page>-include-<id>; links (the sitemap) use it.
            anchor = f" #{self.topic}-include-{ident}" if ident else ""
            lines.append((f"{{:{anchor} .{MISSING_CLASS}}}", origin))
        return lines

    def _with_include_ids(self, lines: list[str]) -> list[str]:
        """``lines`` with each heading's id ``ID`` made ``PAGEID-include-ID``."""
        in_code = fenced_lines(lines)
        heading = False
        for index, line in enumerate(lines):
            if in_code[index]:
                heading = False
                continue
            if _HEADING.match(line):
                heading = True
            elif not (heading and _IAL_LINE.match(line)):
                heading = False
                continue
            lines[index] = _IAL_ID.sub(self._include_id, line, count=1)
        return lines

    def _include_id(self, match: re.Match[str]) -> str:
        plain = match.group(2)
        ident = f"{self.topic}-include-{plain}"
        self.aliases[ident] = plain
        return match.group(1) + ident

    def _warn(self, origin: Origin, message: str) -> None:
        via = f" (included from {origin.via})" if origin.via else ""
        self.diagnostics.append(Diagnostic(origin.path, origin.line, "TD608", message + via))


def _candidates(file: str, holder: str) -> list[str]:
    """Repository paths ``file`` may name from the file ``holder``: beside it, then from the root."""
    if file.startswith("/"):
        found = [posixpath.normpath(file.lstrip("/"))]
    else:
        found = [
            posixpath.normpath(posixpath.join(posixpath.dirname(holder), file)),
            posixpath.normpath(file),
        ]
    return list(dict.fromkeys(path for path in found if path != ".." and not path.startswith("../")))


def _doc_set(file: str) -> str:
    """The documentation set a ``{{../set/x.md}}`` include names (the first folder after the ``..``)."""
    parts = [part for part in file.split("/") if part not in ("..", ".", "")]
    return parts[0] if len(parts) > 1 else ""


def _continuation(before: str) -> str:
    """The indentation for the second and later lines of text inserted after ``before`` on its line."""
    if not before.strip():
        return before
    if _LIST_MARKER.match(before):
        return " " * len(before)
    return ""


def _topic_id(lines: Sequence[str], page: str) -> str:
    """The page's topic id: the id of its first H1 (``# Title`` then ``{: #id}``), else its file name."""
    for index, line in enumerate(lines):
        if line.startswith("# "):
            for after in [line, *lines[index + 1 : index + 4]]:
                found = _IAL_ID.search(after)
                if found:
                    return found.group(2)
                if after is not line and not _IAL_LINE.match(after):
                    break
            break
    return posixpath.splitext(posixpath.basename(page))[0]
