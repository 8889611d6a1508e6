"""Which keywords a repository uses, how often and where first: for ``troubledocs keywords`` and for the build's
report of inferred values (only the names a repository uses are worth a line)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from troubledocs.keywords import ALD_KEYWORD, REFERENCE, join_split_references

#: Files whose keywords a build substitutes: pages (include segments among them) and the TOC's labels.
_SCANNED = (".md", "toc.yaml")


@dataclass
class Use:
    count: int
    first: str  # path:LINE


def keyword_uses(root: Path, files: list[str]) -> dict[str, Use]:
    """``{{site.data.keyword.NAME}}`` references in ``files`` (paths relative to ``root``), by name, in the order
    of their first use."""
    uses: dict[str, Use] = {}
    for path in files:
        if not path.endswith(_SCANNED):
            continue
        try:
            text = (root / path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue  # the build reports unreadable pages itself
        if "site.data.keyword" not in text:
            continue
        lines = text.split("\n")
        join_split_references(lines)
        for number, line in enumerate(lines, start=1):
            if "{{" not in line:
                continue  # most lines: no reference starts there
            for match in REFERENCE.finditer(line):
                name = match.group(2)
                if match.group(1) != "keyword" or not name or name == ALD_KEYWORD:
                    continue
                found = uses.get(name)
                if found is None:
                    uses[name] = Use(1, f"{path}:{number}")
                else:
                    found.count += 1
    return uses
