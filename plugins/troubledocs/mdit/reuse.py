"""Content reuse in pages: ``{{site.data.content.ID}}`` (from ``conref.md``) and ``{{path/file.md#id}}`` includes.

A reference that is a paragraph of its own is replaced by the parsed blocks it names, mapped to the reference's
line (so diagnostics inside point at it). An include of a file outside the repository (``{{../cli/x.md#id}}``,
another doc set) cannot be resolved offline: it becomes a visible placeholder linking to that doc set, with one
warning. Code is never touched: fences and code spans keep their ``{{…}}`` text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
import posixpath
import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from troubledocs.mdit.env import report
from troubledocs.site.conref import ConrefLibrary

_REFERENCE = re.compile(
    r"\{\{\s*(?:site\.data\.content\.(?P<conref>[\w.-]+)|(?P<file>[^{}\s]+?\.md)(?:#(?P<id>[\w:.-]+))?)\s*\}\}"
)
_FRONT_MATTER = re.compile(r"\A---\s*\n.*?\n---\s*\n", re.DOTALL)
CLOUD_DOCS = "https://cloud.ibm.com/docs"
MISSING_CLASS = "td-include-missing"
RULE = "td_reuse"


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
        self._files: dict[str, ConrefLibrary | None] = {}
        self._whole: dict[str, str] = {}

    def include(self, file: str, ident: str | None) -> str | None:
        """The Markdown that ``{{file#id}}`` names, or ``None`` when it does not exist."""
        if self.root is None:
            return None
        if file not in self._files:
            path = self._path(file)
            text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else None
            self._files[file] = ConrefLibrary.from_text(text, file) if text is not None else None
            if text is not None:
                self._whole[file] = _FRONT_MATTER.sub("", text, count=1)
        found = self._files[file]
        if found is None:
            return None
        return found.get(ident) if ident else self._whole[file]

    def _path(self, file: str) -> Path:
        """Where ``file`` (relative to the root; ``../NAME/…`` in a sibling) is."""
        assert self.root is not None
        if file.startswith("../"):
            name, _, rest = file.removeprefix("../").partition("/")
            return self.siblings[name] / PurePosixPath(rest)
        return self.root / PurePosixPath(file)

    def has_sibling(self, file: str) -> bool:
        """Whether ``file`` (``../NAME/…``) is in a sibling repository of this build."""
        name, _, rest = file.removeprefix("../").partition("/")
        return file.startswith("../") and bool(rest) and name in self.siblings

    def forget(self, files: Iterable[str]) -> None:
        """Read ``files`` again when next included (they changed on disk)."""
        for file in files:
            self._files.pop(file, None)
            self._whole.pop(file, None)


def included_files(text: str, page: str) -> set[str]:
    """The files of this repository that ``page`` (its source ``text``) includes with ``{{file.md#id}}``."""
    found = set()
    for match in _REFERENCE.finditer(text):
        file = match.group("file")
        if file:
            target = _target(file, page)
            if target is not None:
                found.add(target)
    return found


def _target(file: str, page: str) -> str | None:
    """The source path ``{{file}}`` in ``page`` names, or ``None`` for a file outside the repository."""
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), file))
    return None if target.startswith("../") or file.startswith("/") else target


def reuse_plugin(md: MarkdownIt, reuse: Reuse | None = None) -> None:
    """Expand reuse references; runs before inline parsing so the inserted blocks are parsed like the page.

    Without ``reuse`` nothing can be reused (every reference warns and shows a placeholder); using the plugin again
    with a build's :class:`Reuse` replaces the rule.
    """
    source = reuse if reuse is not None else Reuse(ConrefLibrary())

    def rule(state: StateCore) -> None:
        _expand(state, source)

    if RULE in md.core.ruler.get_all_rules():
        md.core.ruler.at(RULE, rule)
    else:
        md.core.ruler.before("inline", RULE, rule)


def _expand(state: StateCore, reuse: Reuse) -> None:
    tokens = state.tokens
    if not any(t.type == "inline" and "{{" in t.content for t in tokens):
        return
    page = str(state.env.get("td_path", ""))
    result: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        whole = (
            token.type == "paragraph_open"
            and index + 2 < len(tokens)
            and tokens[index + 1].type == "inline"
            and _REFERENCE.fullmatch(tokens[index + 1].content.strip())
        )
        if whole:
            inline = tokens[index + 1]
            match = _REFERENCE.fullmatch(inline.content.strip())
            assert match is not None
            line = token.map[0] + 1 if token.map else 0
            blocks = _resolve(state, reuse, match, page, line, token)
            if blocks is not None:
                result.extend(blocks)
                index += 3
                continue
            inline.content = _placeholder(match, page)
            token.attrJoin("class", MISSING_CLASS)
            if match.group("id") and token.attrGet("id") is None:
                # IBM's build gives included content the id <page>-include-<id>; links (the sitemap) use it.
                stem = posixpath.splitext(posixpath.basename(page))[0]
                token.attrSet("id", f"{stem}-include-{match.group('id')}")
        elif token.type == "inline" and "{{" in token.content:
            token.content = _outside_code_spans(token.content, _inline_replacer(state, reuse, page, token))
        result.append(token)
        index += 1
    state.tokens = result


def _source(reuse: Reuse, match: re.Match[str], page: str) -> tuple[str | None, str]:
    """The Markdown a reference names (``None`` if unavailable) and how to describe it."""
    if match.group("conref"):
        ident = match.group("conref")
        return reuse.library.get(ident), f"conref '{ident}' (no block with that id in conref.md)"
    file = match.group("file")
    target = _target(file, page)
    if target is None:
        sibling = posixpath.normpath(posixpath.join(posixpath.dirname(page), file))
        if reuse.has_sibling(sibling):
            return reuse.include(
                sibling, match.group("id")
            ), f"include '{match.group(0)}' names nothing in {sibling}"
        return None, f"include '{file}' is outside this repository (another doc set); a placeholder is shown"
    return reuse.include(
        target, match.group("id")
    ), f"include '{match.group(0)}' names nothing in this repository"


def _resolve(
    state: StateCore, reuse: Reuse, match: re.Match[str], page: str, line: int, at: Token
) -> list[Token] | None:
    text, problem = _source(reuse, match, page)
    if text is None:
        report(state.env, line, "TD608", problem)
        return None
    if state.env.get("td_reuse_depth", 0) > 4:
        report(state.env, line, "TD608", f"{match.group(0)} nests too deeply; not expanded")
        return None
    state.env["td_reuse_depth"] = state.env.get("td_reuse_depth", 0) + 1
    try:
        blocks = _parse_blocks(state, text)
    finally:
        state.env["td_reuse_depth"] -= 1
    for block in blocks:
        block.map = list(at.map) if at.map else None
        block.level += at.level
    return blocks


_CODE_SPAN = re.compile(r"(`+)(?:.|\n)*?(?<!`)\1(?!`)")


def _outside_code_spans(text: str, replace: Callable[[re.Match[str]], str]) -> str:
    """``text`` with references replaced everywhere except inside code spans."""
    pieces: list[str] = []
    last = 0
    for span in _CODE_SPAN.finditer(text):
        pieces.append(_REFERENCE.sub(replace, text[last : span.start()]))
        pieces.append(span.group(0))
        last = span.end()
    pieces.append(_REFERENCE.sub(replace, text[last:]))
    return "".join(pieces)


def _parse_blocks(state: StateCore, text: str) -> list[Token]:
    """Block tokens of ``text``, taken through the same core rules the page went through before this one (the
    attribute-list placement among them), so that the rules after this one see them like the page's own."""
    sub = StateCore(text, state.md, state.env)
    state.md.block.parse(text, state.md, state.env, sub.tokens)
    rules = state.md.core.ruler.__rules__
    names = [rule.name for rule in rules]
    for rule in rules[names.index("block") + 1 : names.index(RULE)]:
        if rule.enabled:
            rule.fn(sub)
    return sub.tokens


def _inline_replacer(state: StateCore, reuse: Reuse, page: str, at: Token) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        return _inline(state, reuse, match, page, at)

    return replace


def _inline(state: StateCore, reuse: Reuse, match: re.Match[str], page: str, at: Token) -> str:
    line = at.map[0] + 1 if at.map else 0
    text, problem = _source(reuse, match, page)
    if text is None or "\n\n" in text.strip():
        report(state.env, line, "TD608", problem if text is None else f"{match.group(0)} is not inline text")
        return _placeholder(match, page)
    return text.strip()


def _placeholder(match: re.Match[str], page: str) -> str:
    """Visible text that says what is missing and where it lives (escaped so it cannot re-trigger reuse)."""
    if match.group("conref"):
        return f"*Reused content `site.data.content.{match.group('conref')}` is not available.*"
    file = match.group("file")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), file))
    parts = [p for p in target.split("/") if p not in ("..", ".")]
    doc_set = parts[0] if len(parts) > 1 else ""
    shown = file + (f"#{match.group('id')}" if match.group("id") else "")
    url = f"{CLOUD_DOCS}/{doc_set}" if doc_set else CLOUD_DOCS
    return f"*Content included from another documentation set is not part of this site:* [`{shown}`]({url})"
