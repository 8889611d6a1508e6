"""The HTML elements troubledocs knows, and how HTML nests them (implied end tags, optional ends, void elements).

A name that is not listed here (``<provider>``, ``<ID>``) is a placeholder an author wrote, shown as text.
"""

from __future__ import annotations

#: Elements a documentation page may contain. Anything else written as a tag (``<provider>``, ``<ID>``,
#: ``<cluster_name_or_ID>``) is a placeholder shown as text. Document-level and form elements (``html``,
#: ``body``, ``input``, ``select``, ``option``, ``label``, ``data`` …) are left out on purpose: in these pages
#: such names are placeholders far more often than markup.
INLINE_TAGS = frozenset(
    [
        "a",
        "abbr",
        "area",
        "b",
        "bdi",
        "bdo",
        "big",
        "br",
        "cite",
        "code",
        "del",
        "dfn",
        "em",
        "font",
        "i",
        "img",
        "ins",
        "kbd",
        "map",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "time",
        "tt",
        "u",
        "var",
        "wbr",
        "video",
        "audio",
        "source",
        "track",
        "picture",
        "iframe",
        "embed",
        "object",
        "svg",
    ]
)
BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "caption",
        "center",
        "col",
        "colgroup",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "noscript",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
KNOWN_TAGS = INLINE_TAGS | BLOCK_TAGS | {"script", "style"}
VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "source", "track", "wbr"})
#: Elements whose end tag HTML lets authors omit: closing them implicitly is not worth a warning.
OPTIONAL_END = frozenset({"li", "dt", "dd", "p", "tr", "td", "th", "thead", "tbody", "tfoot", "caption"})
#: Elements that run to their matching end tag, across blank lines.
CONTAINERS = frozenset(
    {"table", "dl", "ul", "ol", "div", "blockquote", "pre", "figure", "details", "section"}
)
#: Elements whose text is Markdown (a cell, an item, a paragraph …); other text becomes its own paragraph.
TEXT_HOLDERS = frozenset({"td", "th", "li", "dt", "dd", "p", "caption", "figcaption", "summary"})
TOKEN_TYPES = {
    "table": "table",
    "caption": "caption",
    "thead": "thead",
    "tbody": "tbody",
    "tfoot": "tfoot",
    "tr": "tr",
    "td": "td",
    "th": "th",
    "ul": "bullet_list",
    "ol": "ordered_list",
    "li": "list_item",
    "dl": "dl",
    "dt": "dt",
    "dd": "dd",
    "p": "paragraph",
    "blockquote": "blockquote",
}
SECTION_PARTS = frozenset({"tr", "td", "th", "thead", "tbody", "tfoot", "caption"})
#: For a start tag: the open elements it closes, and the elements that stop the search (HTML's implied ends).
IMPLIED_END: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "td": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "th": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "tr": (frozenset({"tr", "td", "th"}), frozenset({"thead", "tbody", "tfoot", "table"})),
    "thead": (SECTION_PARTS, frozenset({"table"})),
    "tbody": (SECTION_PARTS, frozenset({"table"})),
    "tfoot": (SECTION_PARTS, frozenset({"table"})),
    "li": (frozenset({"li", "p"}), frozenset({"ul", "ol"})),
    "dt": (frozenset({"dt", "dd", "p"}), frozenset({"dl"})),
    "dd": (frozenset({"dt", "dd", "p"}), frozenset({"dl"})),
}
