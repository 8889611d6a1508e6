"""Content reuse: the blocks of a repository's ``conref.md``, by id, for ``{{site.data.content.ID}}``.

IBM's processor reads ``conref.md`` at the source root; the block carrying ``{: #ID}`` is what a page reuses:
a section (a heading with that id, kept on the heading, up to the next heading of the same or a higher level), or
one block (paragraph, list, table, code block) ending right before its attribute lines. Each block remembers the
source line of each of its lines, so that a problem in reused text points into the file that holds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
import re

from troubledocs.boundary import inside_file
from troubledocs.diagnostics import Diagnostic
from troubledocs.source_lines import attr_line, fenced_lines

CONREF_FILE = "conref.md"
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]")


@dataclass(frozen=True)
class Block:
    """Lines of reusable Markdown and the 1-based source line of each."""

    lines: tuple[str, ...]
    numbers: tuple[int, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class ConrefLibrary:
    """``id`` → the block, read once per build."""

    blocks: dict[str, Block] = field(default_factory=dict)
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
        in_code = fenced_lines(lines)
        for index, line in enumerate(lines):
            # The renderer's own grammar (stacked lists merged), so both agree on the id.
            attrs = None if in_code[index] else attr_line(line)
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
        block = self.blocks.get(ident)
        return block.text if block is not None else None


def _block(lines: list[str], indexes: list[int]) -> Block:
    """The lines at ``indexes`` without the blank lines around them."""
    kept = list(indexes)
    while kept and not lines[kept[0]].strip():
        kept.pop(0)
    while kept and not lines[kept[-1]].strip():
        kept.pop()
    return Block(tuple(lines[i] for i in kept), tuple(i + 1 for i in kept))


def _block_before(lines: list[str], in_code: list[bool], ial_index: int) -> Block | None:
    """The block that the attribute line at ``ial_index`` belongs to (other IAL lines kept)."""
    end = ial_index
    while end > 0 and _is_attr_line(lines, in_code, end - 1):
        end -= 1
    if end == 0 or not lines[end - 1].strip():
        return None
    last = end - 1
    heading = _HEADING.match(lines[last])
    run_end = _ial_run_end(lines, in_code, ial_index)
    if heading and not in_code[last]:
        level = len(heading.group(1))
        stop = len(lines)
        for index in range(ial_index + 1, len(lines)):
            other = _HEADING.match(lines[index])
            if other and not in_code[index] and len(other.group(1)) <= level:
                stop = index
                break
        return _block(lines, list(range(last, stop)))
    start = last
    while start > 0 and (lines[start - 1].strip() or in_code[start]) and not _HEADING.match(lines[start - 1]):
        if in_code[start] and not in_code[start - 1] and not lines[start - 1].strip():
            break
        start -= 1
    trailing = [i for i in range(end, run_end) if not _only_id(lines[i])]
    return _block(lines, [*range(start, end), *trailing])


def _ial_run_end(lines: list[str], in_code: list[bool], index: int) -> int:
    end = index
    while end < len(lines) and _is_attr_line(lines, in_code, end):
        end += 1
    return end


def _is_attr_line(lines: list[str], in_code: list[bool], index: int) -> bool:
    return not in_code[index] and attr_line(lines[index]) is not None


def _only_id(line: str) -> bool:
    """Whether ``line`` is an attribute list that holds only an id (the conref's own name, not reused)."""
    attrs = attr_line(line)
    return attrs is not None and bool(attrs.id) and not (attrs.classes or attrs.pairs or attrs.names)
