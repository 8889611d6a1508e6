"""Split a page's ``---`` YAML front matter from its Markdown body.

IBM pages usually leave a blank line after the opening ``---`` and may carry trailing spaces on keys; both are
valid YAML. Invalid YAML never loses the page: the body still renders and a diagnostic points at the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import re
from typing import TYPE_CHECKING, Any

import yaml

from troubledocs.diagnostics import Diagnostic
from troubledocs.yaml_safe import load_yaml

if TYPE_CHECKING:
    from collections.abc import Callable

_OPEN = re.compile(r"\A---[ \t]*\r?\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


@dataclass
class FrontMatter:
    """The parsed header. ``offset`` is how many source lines precede the body (0 without front matter)."""

    meta: dict[str, Any]
    body: str
    offset: int
    raw: str = ""
    diagnostics: list[Diagnostic] = field(default_factory=list)


def split_front_matter(
    text: str, path: str = "", *, substitute: Callable[[str, int], str] | None = None
) -> FrontMatter:
    """Split ``text``; ``substitute(raw_yaml, first_line)`` may rewrite the header before YAML parsing
    (keyword substitution).

    An opening ``---`` without a closing line is not front matter: the whole text is the body.
    """
    opening = _OPEN.match(text)
    if opening is None:
        return FrontMatter({}, text, 0)
    closing = _CLOSE.search(text, opening.end())
    if closing is None:
        return FrontMatter({}, text, 0)
    raw = text[opening.end() : closing.start()]
    end = text.find("\n", closing.end())
    body = "" if end < 0 else text[end + 1 :]
    offset = text.count("\n", 0, end + 1) if end >= 0 else text.count("\n") + 1
    meta, diagnostics = _load(raw if substitute is None else substitute(raw, 2), path, first_line=2)
    return FrontMatter(meta, body, offset, raw, diagnostics)


def _load(raw: str, path: str, first_line: int) -> tuple[dict[str, Any], list[Diagnostic]]:
    try:
        data = load_yaml(raw)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        if mark is None or mark.line >= raw.count("\n"):  # "at end of stream": the opener is more useful
            mark = getattr(error, "context_mark", None) or mark
        line = first_line + mark.line if mark is not None else first_line - 1
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        return {}, [Diagnostic(path, line, "TD001", f"invalid YAML front matter: {problem}")]
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, [Diagnostic(path, first_line, "TD002", "front matter is not a mapping of keys to values")]
    return {str(key): value for key, value in data.items()}, []
