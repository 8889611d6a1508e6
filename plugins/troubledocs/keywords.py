"""Keyword maps and ``{{site.data.keyword.NAME}}`` substitution.

The substitution runs on the page text before parsing (as IBM's processor does), so keywords work in text,
headings, link text, attribute-list values, HTML attributes and code. A token-level substitution (the
mdit-py-plugins ``substitution`` shape) cannot reach fences, code spans, link targets or attribute values, and
IBM pages put keywords in all of them (the seed's ``{: screen}`` error text, for one); the pass is linear. It keeps every line where it was (a value
never holds a newline). Only ``{{site.data.*}}`` is touched: Go templates such as ``{{.name}}`` survive.

Outside code a value is HTML-escaped (``Connect & Compose`` must not start an entity, ``<jazzhub>`` must not become
a tag); inside fenced code and code spans it is inserted as is. An unknown name stays visible: outside code as
``<span class="td-missing-keyword" title="Unknown keyword">NAME</span>`` (bare ``NAME`` inside an attribute list or
an HTML tag, where markup would break the attribute), inside code the reference is left literally, so a reader
sees exactly what the source says. Each unknown name warns ``TD101`` at its line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
import html
from importlib import resources
import json
from pathlib import Path
import re
from typing import Any

import yaml

from troubledocs.diagnostics import Diagnostic
from troubledocs.source_lines import fenced_lines

#: Produces no text: the standard attribute-list definitions are always predefined (``data/ald.txt``).
ALD_KEYWORD = "attribute-definition-list"
REFERENCE = re.compile(r"\{\{\s*site\.data\.([\w-]+)(?:\.([\w.-]+))?\s*\}\}")
_SPACE = re.compile(r"\s+")
#: What an unknown name becomes in prose.
MISSING_MARKUP = '<span class="td-missing-keyword" title="Unknown keyword">{}</span>'
_MISSING = re.compile(re.escape(MISSING_MARKUP).replace(r"\{\}", "([^<]*)"))


class KeywordFileError(ValueError):
    """A keyword file that cannot be read as a name → value map."""


def _text(value: Any) -> str:
    return _SPACE.sub(" ", html.unescape(str(value))).strip()


@dataclass
class KeywordMap:
    """Keyword name → plain-text value (HTML entities already decoded)."""

    values: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, default: bool = True, files: Iterable[str | Path] = ()) -> KeywordMap:
        """The default map (when ``default``), then each file in order; later files win."""
        values: dict[str, str] = {}
        if default:
            data = (
                resources.files("troubledocs").joinpath("data", "keywords.json").read_text(encoding="utf-8")
            )
            values.update(json.loads(data))
        for file in files:
            values.update(read_keyword_file(Path(file)))
        return cls(values)

    @classmethod
    def for_source(
        cls, root: str | Path, extra: Iterable[str | Path] = (), default: bool = True
    ) -> KeywordMap:
        """Default map, then ``keyref.yaml`` at the source root (when present), then ``extra`` (``--keywords``)."""
        keyref = Path(root) / "keyref.yaml"
        files = [keyref] if keyref.is_file() else []
        return cls.load(default, [*files, *extra])

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def substitute(
        self, text: str, path: str = "", first_line: int = 1, *, markdown: bool = True
    ) -> Substitution:
        """Replace references in ``text``; ``first_line`` is the source line of ``text``'s first line.

        ``markdown=False`` is for front matter: values go in raw, unknown names as bare ``NAME``.
        """
        if "{{" not in text:
            return Substitution(text, [])
        diagnostics: list[Diagnostic] = []
        lines = text.split("\n")
        in_code = fenced_lines(lines) if markdown else [False] * len(lines)
        for number, line in enumerate(lines):
            if "{{" in line:
                lines[number] = self._line(
                    line, in_code[number], markdown, path, first_line + number, diagnostics
                )
        return Substitution("\n".join(lines), diagnostics)

    def _line(
        self, line: str, in_fence: bool, markdown: bool, path: str, number: int, diagnostics: list[Diagnostic]
    ) -> str:
        def replace(match: re.Match[str]) -> str:
            kind, name = match.group(1), match.group(2) or match.group(1)
            if kind == "content" and match.group(2):
                return match.group(0)  # content reuse: expanded after parsing by troubledocs.mdit.reuse
            value = self.values.get(name) if kind == "keyword" and match.group(2) else None
            if kind == "keyword" and name == ALD_KEYWORD:
                return ""
            code = in_fence or (markdown and _in_code_span(line, match.start()))
            if value is not None:
                if code or not markdown:
                    return value
                # In an attribute value a quote would end the value (and let the rest of the value be markup).
                return html.escape(value, quote=_in_attribute_text(line, match.start()))
            what = (
                "reference"
                if not match.group(2)
                else "keyword"
                if kind == "keyword"
                else f"site.data.{kind} reference"
            )
            diagnostics.append(Diagnostic(path, number, "TD101", f"unknown {what} {name!r}"))
            if code:
                return match.group(0)
            if not markdown or _in_attribute_text(line, match.start()):
                return name
            return MISSING_MARKUP.format(html.escape(name))

        return REFERENCE.sub(replace, line)


def unmark_missing(code: str) -> str:
    """Code that the substitution took for prose (it guesses code before parsing: an indented code block, say)
    shows an unknown reference as written, not the prose markup."""
    return _MISSING.sub(lambda match: "{{site.data.keyword." + html.unescape(match.group(1)) + "}}", code)


@dataclass
class Substitution:
    text: str
    diagnostics: list[Diagnostic]


def _in_code_span(line: str, position: int) -> bool:
    # An odd number of backticks before the position opens a code span on this line, if one after closes it.
    return line.count("`", 0, position) % 2 == 1 and "`" in line[position:]


def _in_attribute_text(line: str, position: int) -> bool:
    """Inside ``{: …}``, an HTML tag, a link target ``](…)`` or an image's alt text ``![…]``, where inserted
    markup would break them (an alt attribute would show it as text)."""
    before = line[:position]
    return (
        before.rfind("{:") > before.rfind("}")
        or before.rfind("<") > before.rfind(">")
        or before.rfind("](") > before.rfind(")")
        or before.rfind("![") > before.rfind("]")
    )


def read_keyword_file(path: Path) -> dict[str, str]:
    """A YAML or JSON file holding a ``keyword:`` map (IBM's ``keyref.yaml``) or a flat name → value map."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise KeywordFileError(f"{path}: cannot read keywords: {error}") from error
    if isinstance(data, Mapping) and isinstance(data.get("keyword"), Mapping):
        data = data["keyword"]
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise KeywordFileError(f"{path}: expected a 'keyword:' map or a map of names to values")
    return {str(name): _text(value) for name, value in data.items() if not isinstance(value, (Mapping, list))}
