"""Content reuse: the blocks of a repository's ``conref.md``, by id, for ``{{site.data.content.ID}}``.

IBM's processor reads ``conref.md`` at the source root; the block carrying ``{: #ID}`` is what a page reuses:
a section (a heading with that id, up to the next heading of the same or a higher level), or one block
(paragraph, list, table, code block) ending right before its attribute lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
import re

from troubledocs.attrs import parse_attr_list
from troubledocs.boundary import inside_file
from troubledocs.diagnostics import Diagnostic
from troubledocs.site.fences import in_fences

CONREF_FILE = "conref.md"
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]")
_IAL = re.compile(r"^\s*\{:(?!:)([^}]*)\}\s*$")
_ONLY_ID = re.compile(r"^\s*\{:\s*#[A-Za-z][\w:.-]*\s*\}\s*$")


@dataclass
class ConrefLibrary:
    """``id`` → Markdown text of the block, read once per build."""

    blocks: dict[str, str] = field(default_factory=dict)
    path: str = CONREF_FILE
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @classmethod
    def from_source(cls, root: Path) -> ConrefLibrary:
        """The library of ``root/conref.md`` (empty when the repository has none)."""
        file = inside_file(root, CONREF_FILE)
        if file is None:
            return cls()
        return cls.from_text(file.read_text(encoding="utf-8", errors="replace"))

    @classmethod
    def from_text(cls, text: str, path: str = CONREF_FILE) -> ConrefLibrary:
        library = cls(path=path)
        lines = text.split("\n")
        in_code = list(in_fences(lines, _FENCE))
        for index, line in enumerate(lines):
            if in_code[index] or not _IAL.match(line):
                continue
            attrs = parse_attr_list(line)  # the renderer's own grammar, so both agree on the id
            if attrs is None or not attrs.id:
                continue
            ident = attrs.id
            block = _block_before(lines, in_code, index)
            if block is None:
                library.diagnostics.append(
                    Diagnostic(path, index + 1, "TD609", f"'{{: #{ident}}}' follows no block")
                )
                continue
            if ident in library.blocks:
                library.diagnostics.append(
                    Diagnostic(path, index + 1, "TD609", f"id '{ident}' is defined twice")
                )
                continue
            library.blocks[ident] = block
        return library

    def get(self, ident: str) -> str | None:
        return self.blocks.get(ident)


def _block_before(lines: list[str], in_code: list[bool], ial_index: int) -> str | None:
    """The Markdown of the block that the attribute line at ``ial_index`` belongs to (other IAL lines kept)."""
    end = ial_index
    while end > 0 and _IAL.match(lines[end - 1]) and not in_code[end - 1]:
        end -= 1
    if end == 0 or not lines[end - 1].strip():
        return None
    last = end - 1
    heading = _HEADING.match(lines[last])
    trailing = [
        line for line in lines[end : _ial_run_end(lines, in_code, ial_index)] if not _ONLY_ID.match(line)
    ]
    if heading and not in_code[last]:
        level = len(heading.group(1))
        stop = len(lines)
        for index in range(ial_index + 1, len(lines)):
            other = _HEADING.match(lines[index])
            if other and not in_code[index] and len(other.group(1)) <= level:
                stop = index
                break
        body = lines[_ial_run_end(lines, in_code, ial_index) : stop]
        return "\n".join([lines[last], *trailing, *body]).strip("\n")
    start = last
    while start > 0 and (lines[start - 1].strip() or in_code[start]) and not _HEADING.match(lines[start - 1]):
        if in_code[start] and not in_code[start - 1] and not lines[start - 1].strip():
            break
        start -= 1
    return "\n".join([*lines[start:end], *trailing]).strip("\n")


def _ial_run_end(lines: list[str], in_code: list[bool], index: int) -> int:
    end = index
    while end < len(lines) and _IAL.match(lines[end]) and not in_code[end]:
        end += 1
    return end
