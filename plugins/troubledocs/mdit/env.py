"""The per-page state every dialect rule shares through markdown-it's ``env`` dict.

Keys: ``td_path`` (page path for diagnostics), ``td_line_offset`` (front-matter lines before the body),
``td_diagnostics`` (list of :class:`~troubledocs.diagnostics.Diagnostic`), ``td_attrs`` (the page's
:class:`~troubledocs.attrs.AttrResolver`).
"""

from __future__ import annotations

from markdown_it.utils import EnvType

from troubledocs.attrs import AttrResolver
from troubledocs.diagnostics import Diagnostic


def page_env(path: str, line_offset: int = 0) -> EnvType:
    """A fresh env for one page."""
    return {"td_path": path, "td_line_offset": line_offset, "td_diagnostics": [], "td_attrs": AttrResolver()}


def resolver(env: EnvType) -> AttrResolver:
    """The page's attribute resolver (created on first use when the caller did not provide one)."""
    found = env.get("td_attrs")
    if not isinstance(found, AttrResolver):
        found = AttrResolver()
        env["td_attrs"] = found
    return found


def report(env: EnvType, line: int, code: str, message: str) -> None:
    """Record a warning; ``line`` is 1-based in the body (0: whole page), the front-matter offset is added here."""
    diagnostics = env.setdefault("td_diagnostics", [])
    offset = int(env.get("td_line_offset", 0))
    diagnostics.append(Diagnostic(str(env.get("td_path", "")), line + offset if line else 0, code, message))


def diagnostics(env: EnvType) -> list[Diagnostic]:
    found = env.get("td_diagnostics")
    return found if isinstance(found, list) else []
