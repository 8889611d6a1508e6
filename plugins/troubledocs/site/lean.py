"""Keep a built site small: compact page markup, a plain-text search index, no theme files nobody loads.

* Material's templates indent deeply and every page repeats the navigation, so removing the whitespace after each
  newline (outside ``<pre>``, ``<textarea>``, ``<script>``, ``<style>``, where it matters or is left alone) cuts the
  pages by about a fifth; HTML renders a newline like the run of whitespace it replaces.
* The search index holds each section's HTML; the search only needs its words (results show them as text), and
  not the contents of code blocks: commands and their output are long, rarely searched for by their text, and
  error output is what the troubleshooter indexes.
* Material copies source maps and the stemmers of 30 languages; a site needs only the stemmers of its search
  languages.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
import re

_PRESERVED = re.compile(r"<(pre|textarea|script|style)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_INDENT = re.compile(r"\n\s+")
_TAG = re.compile(r"<[^>]*>")
_CODE_BLOCK = re.compile(r"<pre\b.*?</pre\s*>", re.DOTALL | re.IGNORECASE)
_SPACE = re.compile(r"\s+")
#: Material's search index, relative to the site folder.
SEARCH_INDEX = "search/search_index.json"
_LUNR = "assets/javascripts/lunr"
#: Stemmer files a language needs besides its own ``lunr.<lang>.min.js``.
_LUNR_EXTRA = {"ja": ("tinyseg.js",), "jp": ("tinyseg.js",), "th": ("wordcut.js",)}


def compact_html(page: str) -> str:
    """``page`` without indentation and blank lines outside preformatted elements."""
    pieces: list[str] = []
    last = 0
    for block in _PRESERVED.finditer(page):
        pieces.append(_INDENT.sub("\n", page[last : block.start()]))
        pieces.append(block.group(0))
        last = block.end()
    pieces.append(_INDENT.sub("\n", page[last:]))
    return "".join(pieces)


def plain_text(fragment: str) -> str:
    """The words of an HTML fragment, tags removed, entities decoded, whitespace collapsed."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", fragment))).strip()


def lean_search_index(site_dir: Path) -> list[str]:
    """Rewrite the search index with plain-text sections, code blocks left out; return its languages (``[]`` if there is no index)."""
    path = site_dir / SEARCH_INDEX
    if not path.is_file():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    for doc in data.get("docs", []):
        if isinstance(doc.get("text"), str):
            doc["text"] = plain_text(_CODE_BLOCK.sub(" ", doc["text"]))
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    languages = data.get("config", {}).get("lang", [])
    return [str(language) for language in languages] if isinstance(languages, list) else [str(languages)]


def prune_theme_assets(site_dir: Path, languages: list[str]) -> int:
    """Delete source maps and the stemmers of languages the search does not use; return the bytes freed."""
    doomed = [p for p in (site_dir / "assets").rglob("*.map") if p.is_file()]
    lunr = site_dir / _LUNR
    if languages and lunr.is_dir():
        others = [lang for lang in languages if lang != "en"]
        keep = {f"lunr.{lang}.min.js" for lang in others}
        keep |= {name for lang in others for name in _LUNR_EXTRA.get(lang, ())}
        if others:
            keep |= {"lunr.stemmer.support.min.js", "lunr.multi.min.js"}
        doomed += [p for p in lunr.rglob("*.js") if p.name not in keep]
    freed = 0
    for path in doomed:
        freed += path.stat().st_size
        path.unlink()
    return freed
