"""Translations: IBM keeps them under ``nl/<lang>/`` with the same file names as the source pages.

They build as part of the site; each language gets its own navigation section that mirrors the source TOC with the
translated pages (and lists the rest), and a language switch (Material's ``extra.alternate``) leads to each
language's home page. The source-language navigation is left as the TOC says.
"""

from __future__ import annotations

from collections.abc import Iterable
import posixpath
from typing import Any

from troubledocs.repository.nav import NavItem
from troubledocs.repository.topics import language_of

#: Names readers recognise, in their own language (IBM's translation set); others show their code.
LANGUAGE_NAMES = {
    "en": "English",
    "de": "Deutsch",
    "es": "Español",
    "fr": "Français",
    "it": "Italiano",
    "ja": "日本語",
    "ko": "한국어",
    "pt": "Português",
    "pt/br": "Português (Brasil)",
    "zh": "简体中文",
    "zh/cn": "简体中文",
    "zh/tw": "繁體中文",
    "zh-tw": "繁體中文",
    "zh_tw": "繁體中文",
}
INDEX_NAMES = ("index.md", "README.md")


def languages(pages: Iterable[str]) -> list[str]:
    """The translation languages present, sorted."""
    return sorted({language for page in pages if (language := language_of(page))})


def language_name(language: str) -> str:
    return LANGUAGE_NAMES.get(language.lower(), language)


def home_page(pages: set[str], folder: str = "", fallback: str = "") -> str:
    """The landing page of ``folder`` (``index.md``, else ``README.md``), else ``fallback``."""
    for name in INDEX_NAMES:
        candidate = posixpath.join(folder, name) if folder else name
        if candidate in pages:
            return candidate
    return fallback


def translated_nav(nav: list[NavItem], language: str, pages: set[str]) -> list[NavItem]:
    """``nav`` with every page replaced by its translation; entries without one are left out."""
    prefix = f"nl/{language}/"
    result: list[NavItem] = []
    for item in nav:
        if isinstance(item, str):
            if prefix + item in pages:
                result.append(prefix + item)
            continue
        for label, value in item.items():
            if isinstance(value, list):
                children = translated_nav(value, language, pages)
                if children:
                    result.append({label: children})
            elif isinstance(value, str) and "://" not in value and prefix + value in pages:
                result.append(prefix + value)
    return result


def _pages_in(nav: list[NavItem]) -> set[str]:
    found: set[str] = set()
    for item in nav:
        if isinstance(item, str):
            found.add(item)
            continue
        for value in item.values():
            if isinstance(value, list):
                found |= _pages_in(value)
            elif isinstance(value, str):
                found.add(value)
    return found


def language_sections(nav: list[NavItem], pages: set[str]) -> list[NavItem]:
    """One top-level section per language: the mirrored TOC, then the translated pages it does not reach."""
    sections: list[NavItem] = []
    for language in languages(pages):
        mirrored = translated_nav(nav, language, pages)
        listed = _pages_in(mirrored)
        rest = sorted(p for p in pages if p.startswith(f"nl/{language}/") and p not in listed)
        children: list[NavItem] = [*mirrored, *rest]
        if children:
            sections.append({language_name(language): children})
    return sections


def alternates(pages: set[str], url_of: dict[str, str], landing: str = "") -> list[dict[str, Any]]:
    """Material's ``extra.alternate`` entries (source language first); ``url_of`` maps a page to its site URL;
    ``landing``: the site's landing page (default: the root's index page)."""
    found = languages(pages)
    if not found:
        return []
    entries: list[dict[str, Any]] = []
    home = landing or home_page(pages)
    if home:
        entries.append({"name": LANGUAGE_NAMES["en"], "link": url_of.get(home, "./"), "lang": "en"})
    for language in found:
        translated = f"nl/{language}/{home}"
        start = translated if home and translated in pages else home_page(pages, f"nl/{language}")
        if start:
            # hreflang takes a BCP 47 tag: the folder pt/BR is pt-BR.
            tag = language.replace("/", "-")
            entries.append({"name": language_name(language), "link": url_of.get(start, ""), "lang": tag})
    return entries
