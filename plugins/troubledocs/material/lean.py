"""Keep a built site small: compact page markup, a plain-text search index, no theme files nobody loads.

* Material's templates indent deeply and every page repeats the navigation, so removing the whitespace after each
  newline (outside ``<pre>``, ``<textarea>``, ``<script>``, ``<style>``, where it matters or is left alone) cuts the
  pages by about a fifth; HTML renders a newline like the run of whitespace it replaces. A newline between a tag
  and the start or end tag of a block-level element goes too: white space just before a block's start or end
  renders as nothing. So does the ``xmlns`` of the theme's inline SVG icons (the HTML parser puts ``<svg>`` in the
  SVG namespace without it), and the spaces in the JSON of Material's ``__config`` script.
* The search index holds each section's HTML; the search only needs its words (results show them as text), and
  not the contents of code blocks: commands and their output are long, rarely searched for by their text, and
  error output is what the troubleshooter indexes.
* Material copies source maps and the stemmers of 30 languages; a site needs only the stemmers of its search
  languages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import html
import json
from pathlib import Path
import re

_PRESERVED = re.compile(r"<(pre|textarea|script|style)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_INDENT = re.compile(r"\n\s+")
#: Elements that are blocks in HTML and stay blocks under the theme's stylesheet (not ``table``: Material makes it
#: an inline block). Lower case only, as the theme and the renderer write them (this runs on every page).
_BLOCKS = (
    "div|p|ul|ol|li|nav|header|footer|main|article|section|h[1-6]|dl|dt|dd|tr|td|th|thead|tbody|tfoot|caption"
)
_BEFORE_BLOCK = re.compile(rf">\n(?=</?(?:{_BLOCKS})[\s>])")
#: How the theme writes its inline icons.
_SVG_XMLNS = '<svg xmlns="http://www.w3.org/2000/svg" '
_CONFIG = re.compile(
    r"""(<script\b[^>]*\bid=["']__config["'][^>]*>)(.*?)(</script\s*>)""", re.DOTALL | re.IGNORECASE
)
#: How Jinja's ``tojson`` keeps JSON safe inside ``<script>``.
_JSON_IN_HTML = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027"})
_PIECE = re.compile(r"<!--.*?-->|<(?P<end>/?)(?P<name>[A-Za-z][\w:-]*)[^>]*>|<[!?][^>]*>", re.DOTALL)
#: The tags Material's search parser keeps in titles and text.
_KEPT_TAGS = frozenset({"p", "code", "pre", "li", "ol", "ul", "sub", "sup"})
_CODE_BLOCK = re.compile(r"<pre\b.*?</pre\s*>", re.DOTALL | re.IGNORECASE)
_HEADING = re.compile(
    r"<h(?P<level>[1-6])\b(?P<attrs>[^>]*)>(?P<title>.*?)</h(?P=level)\s*>", re.DOTALL | re.IGNORECASE
)
_ID = re.compile(r"""\bid=(?:"([^"]*)"|'([^']*)')""")
_SPACE = re.compile(r"\s+")
#: Material's search index, relative to the site folder.
SEARCH_INDEX = "search/search_index.json"
_LUNR = "assets/javascripts/lunr"
#: Stemmer files a language needs besides its own ``lunr.<lang>.min.js``.
_LUNR_EXTRA = {"ja": ("tinyseg.js",), "jp": ("tinyseg.js",), "th": ("wordcut.js",)}


def compact_html(page: str) -> str:
    """``page`` without indentation, blank lines and newlines next to blocks outside preformatted elements, its
    inline SVG without ``xmlns`` and Material's ``__config`` without spaces (see the module notes)."""
    pieces: list[str] = []
    last = 0
    for block in _PRESERVED.finditer(page):
        pieces.append(_compact(page[last : block.start()]))
        pieces.append(_CONFIG.sub(_compact_config, block.group(0)))
        last = block.end()
    pieces.append(_compact(page[last:]))
    return "".join(pieces)


def _compact(markup: str) -> str:
    markup = _BEFORE_BLOCK.sub(">", _INDENT.sub("\n", markup))
    return markup.replace(_SVG_XMLNS, "<svg ")


def _compact_config(script: re.Match[str]) -> str:
    try:
        config = json.loads(script.group(2))
    except ValueError:
        return script.group(0)
    compact = json.dumps(config, ensure_ascii=False, separators=(",", ":")).translate(_JSON_IN_HTML)
    return script.group(1) + compact + script.group(3)


def plain_text(fragment: str, *, keep_tags: bool = False) -> str:
    """The text of an HTML fragment as Material's search indexes it: comments and tags removed, special
    characters escaped as its parser escapes them (the search shows the text as HTML, so a ``<cluster_name>`` in
    the text stays ``&lt;cluster_name&gt;``), whitespace collapsed. The block tags its parser keeps become spaces,
    or with ``keep_tags`` (titles) stay as bare tags, as Material writes them."""
    if not keep_tags and "&" not in fragment:
        # Nothing to unescape: escaping the text once, tags and all removed, gives the same.
        return _SPACE.sub(" ", html.escape(_PIECE.sub(_tag_space, fragment), quote=False)).strip()
    pieces: list[str] = []
    last = 0
    for tag in _PIECE.finditer(fragment):
        pieces.append(html.escape(html.unescape(fragment[last : tag.start()]), quote=False))
        name = (tag.group("name") or "").lower()
        if name in _KEPT_TAGS:
            pieces.append(f"<{tag.group('end')}{name}>" if keep_tags else " ")
        last = tag.end()
    pieces.append(html.escape(html.unescape(fragment[last:]), quote=False))
    return _SPACE.sub(" ", "".join(pieces)).strip()


def _tag_space(tag: re.Match[str]) -> str:
    return " " if (tag.group("name") or "").lower() in _KEPT_TAGS else ""


@dataclass
class SearchSection:
    """A section of a page as Material's search index takes it (``id``, ``title`` and ``text`` pieces)."""

    id: str | None
    title: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)


#: Markup that Material's search parser treats specially (an element and its content left out of the index,
#: a heading's whole section dropped) and that :func:`search_sections` does not imitate.
_PARSER_SPECIAL = ("data-search-exclude", "linenodiv")


def search_sections(page_html: str) -> list[SearchSection] | None:
    """The search sections of a rendered page, as Material's search parser cuts them, already plain text; ``None``
    for a page that uses ``data-search-exclude`` (or line-number tables): Material's own parser indexes it.

    Each heading with an id starts a section (the first one, usually the H1, has no id: it stands for the page);
    text before the first heading forms a section of its own. Code blocks are left out (see the module notes).
    """
    if any(marker in page_html for marker in _PARSER_SPECIAL):
        return None
    sections: list[SearchSection] = []
    current: SearchSection | None = None
    last = 0
    for heading in _HEADING.finditer(page_html):
        ident = _ID.search(heading.group("attrs"))
        if ident is None:
            continue
        current = _add_text(sections, current, page_html[last : heading.start()])
        if heading.group("level") != "1" and not sections:
            sections.append(SearchSection(None))
        current = SearchSection(
            html.unescape(ident.group(1) or ident.group(2)) if sections else None,
            [plain_text(heading.group("title"), keep_tags=True)],
        )
        sections.append(current)
        last = heading.end()
    _add_text(sections, current, page_html[last:])
    return sections


def _add_text(
    sections: list[SearchSection], current: SearchSection | None, chunk: str
) -> SearchSection | None:
    text = plain_text(_CODE_BLOCK.sub(" ", chunk))
    if not text:
        return current
    if current is None:
        current = SearchSection(None)
        sections.append(current)
    current.text.append(text)
    return current


def lean_search_index(site_dir: Path, *, plain: bool = False) -> list[str]:
    """Rewrite the search index with plain-text sections, code blocks left out; return its languages (``[]`` if there is no index).
    ``plain``: every section's text is plain already (each was cut by :func:`search_sections`, whose text this
    would leave as it is), only the markup of the file is made compact."""
    path = site_dir / SEARCH_INDEX
    if not path.is_file():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    for doc in [] if plain else data.get("docs", []):
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
