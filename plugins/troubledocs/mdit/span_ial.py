"""Span IALs: ``{: …}`` written directly after an inline element puts attributes on that element.

``[t](https://…){: external}``, ``**b**{: #x}``, `` `c`{: .cls} ``, ``![i](x.svg){: caption="…"}`` and
``[label]{: tag-vpc}`` (see :mod:`troubledocs.mdit.brackets`). An inline rule turns every well-formed
``{: …}`` into a ``span_ial`` token; a core rule, after emphasis has been resolved, moves its attributes onto
the element just before it. A list at the end of a text line (``…definition text{: cli}``) or at its very
start (``{: #id}Text``) belongs to the enclosing block (list item, ``dd``, ``dt``, table cell, paragraph). A
list after plain text in mid-line has nothing to attach to: it is dropped with a ``TD404`` warning, as kramdown
does. Text that is not an attribute list stays text.

Also here, because it is the same walk over inline tokens: the legacy ``![External link icon](…/launch-glyph.svg)``
image inside link text becomes the ``external`` style of its link, and an image with a ``caption`` renders as a
``<figure>``.
"""

from __future__ import annotations

from collections.abc import Sequence
import functools
import re

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from troubledocs.attrs import AttrList, ResolvedAttrs, parse_attr_list, repaired_attr_line
from troubledocs.mdit.env import report, resolver
from troubledocs.mdit.tokens import classes

#: ``{:`` … ``}`` on one line, not a kramdown extension (``{::x}`` / ``{:/x}``). No ``{`` inside: a list whose
#: ``}`` is mistyped (``{: external|``) must not run on to the next list's ``}`` and swallow the text between.
_SPAN_IAL = re.compile(r"\{:(?![:/])(?:\\.|[^\\{}\n])*\}")
#: A closed list that may be almost one: a doubled colon before a space too (``{:: note}``).
_ALMOST_SPAN_IAL = re.compile(r"\{:(?!/|:\S)(?:\\.|[^\\{}\n])*\}")
#: What is left of an attribute list that the inline rule could not read (it stays text, with a warning).
_BROKEN_SPAN_IAL = re.compile(r"\{:(?![:/])[^\n{}]{0,60}\}?")
#: IBM glossary anchors (``[Term](#x2113280){: term}``) point into a glossary this site does not have.
_GLOSSARY_HREF = re.compile(r"\A#x\d+\Z")
_LEGACY_ICON = "launch-glyph.svg"
#: The class of external links (the theme CSS draws the icon).
EXTERNAL_CLASS = "external"
#: Attributes that configure the figure and must not reach ``<img>``.
_FIGURE_KEYS = ("caption", "caption-side")


#: Pages repeat the same few lists (``{: external}`` thousands of times). The result is shared: never mutated.
_parse_cached = functools.lru_cache(maxsize=4096)(parse_attr_list)


def span_ial_plugin(md: MarkdownIt) -> None:
    """Register the ``span_ial`` inline rule, the core rule that attaches it, and figure rendering."""
    # After ``text``, which stops at ``{``: the rule then runs at each ``{`` only, not at every text run.
    md.inline.ruler.after("text", "span_ial", _span_ial_rule)
    md.core.ruler.after("inline", "span_ial_attach", _attach_all)
    md.add_render_rule("span_ial", _render_leftover)
    md.add_render_rule("image", _render_image)


def attr_list_at(src: str, pos: int, pos_max: int) -> tuple[AttrList, int] | None:
    """The attribute list that starts at ``src[pos]`` and its end, or ``None`` when there is none."""
    if not src.startswith("{:", pos):
        return None
    match = _SPAN_IAL.match(src, pos)
    if match is None or match.end() > pos_max:
        return None
    attrs = _parse_cached(match.group(0))
    return None if attrs is None else (attrs, match.end())


def _span_ial_rule(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "{":
        return False
    found = attr_list_at(state.src, state.pos, state.posMax)
    # A list with a token of no attribute form may be one the author meant otherwise (quotes inside a value).
    fixed = _repaired_at(state.src, state.pos, state.posMax) if found is None or found[0].invalid else None
    repaired = fixed is not None or found is None
    found = fixed or found
    if found is None:
        return False
    attrs, end = found
    if not silent:
        token = state.push("span_ial", "", 0)
        token.content = state.src[state.pos : end]
        # A repaired list warns where it is attached (``_attach``), closed (``{: external"}``) or not.
        token.meta = {"attrs": attrs, "pos": state.pos, "repaired": repaired}
    state.pos = end
    return True


def _repaired_at(src: str, pos: int, pos_max: int) -> tuple[AttrList, int] | None:
    """A list that is almost one (``[x](u){: external"}``) or runs to the end of its line without its closing
    brace (``![i](x.png){: caption="…"``), read as the author meant it; :func:`_attach` warns."""
    if not src.startswith("{:", pos):
        return None
    closed = _ALMOST_SPAN_IAL.match(src, pos)
    if closed is not None and closed.end() <= pos_max:
        end = closed.end()
    else:
        newline = src.find("\n", pos, pos_max)
        end = pos_max if newline < 0 else newline
    repaired = repaired_attr_line(src[pos:end])
    attrs = None if repaired is None else _parse_cached(repaired)
    return None if attrs is None else (attrs, end)


def _render_leftover(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    # Only reached when the core rule did not run (e.g. a caller rendering tokens it built itself).
    return escapeHtml(tokens[idx].content)


def _render_image(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return with_caption(RendererHTML.image(self, tokens, idx, options, env), tokens[idx])


def with_caption(shown: str, image: Token) -> str:
    """``shown`` (the image, or what stands for it) in a ``<figure>`` when ``image`` has a caption."""
    caption = image.meta.get("caption") if image.meta else None
    if caption is None:
        return shown
    figcaption = f"<figcaption>{escapeHtml(caption)}</figcaption>"
    inner = figcaption + shown if image.meta.get("caption_side") == "top" else shown + figcaption
    return f'<figure class="td-figure">{inner}</figure>'


def _attach_all(state: StateCore) -> None:
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type == "inline" and token.children and _has_work(token.children):
            token.children = _attach(tokens, index, token, state.env)
            _unwrap_lone_figure(tokens, index)


def _has_work(children: list[Token]) -> bool:
    """Whether :func:`_attach` changes or warns about anything among ``children``: an attribute list, an image (a
    caption, the legacy icon), a text it drops (empty) or warns about (a broken list); most inlines have none."""
    return any(
        child.type in ("span_ial", "image")
        or (child.type == "text" and (not child.content or "{:" in child.content))
        for child in children
    )


def _unwrap_lone_figure(tokens: list[Token], index: int) -> None:
    """A paragraph holding only a captioned image renders as a bare ``<figure>`` (no ``<p>`` around it).

    A captioned image amid text cannot be a figure (a ``<figure>`` inside ``<p>`` is invalid HTML): its caption
    becomes the image's ``title`` instead.
    """
    children = tokens[index].children or []
    captioned = [child for child in children if child.type == "image" and (child.meta or {}).get("caption")]
    if not captioned:
        return
    lone = len(children) == 1 and 0 < index < len(tokens) - 1 and tokens[index - 1].type == "paragraph_open"
    if lone:
        tokens[index - 1].hidden = True
        tokens[index + 1].hidden = True
        return
    for image in captioned:
        caption = image.meta.pop("caption")
        image.meta.pop("caption_side", None)
        if not image.attrGet("title"):
            image.attrSet("title", caption)


def _attach(blocks: list[Token], index: int, inline: Token, env: EnvType) -> list[Token]:
    """Return ``inline``'s children with every ``span_ial`` applied and removed."""
    children = inline.children or []
    out: list[Token] = []
    open_stack: list[int] = []
    closed_pair: dict[int, int] = {}  # index of a close token in ``out`` -> index of its open
    chain_target: Token | None = None
    lines = _LineCounter(inline.content, *((inline.map[0] + 1, inline.map[1]) if inline.map else (1, 0)))
    trailing_from = _trailing_start(children)
    has_content = False  # anything but white space in ``out`` so far
    for position, child in enumerate(children):
        if child.type != "span_ial":
            if child.type == "text" and not child.content:
                continue  # what emphasis leaves of a delimiter run; it would hide the element before an IAL
            if child.type == "text" and (broken := _BROKEN_SPAN_IAL.search(child.content)):
                at = inline.content.find(broken.group(0))
                line_of_text = lines.line_at(at) if at >= 0 else lines.first_line
                _warn_once(
                    env, line_of_text, f"not a valid attribute list, kept as text: {broken.group(0).strip()}"
                )
            chain_target = None
            if child.type == "image" and child.attrGet("src") and _is_legacy_icon(child):
                _drop_legacy_icon(out, open_stack)
                continue
            if child.nesting == 1:
                open_stack.append(len(out))
            elif child.nesting == -1 and open_stack:
                closed_pair[len(out)] = open_stack.pop()
            out.append(child)
            has_content = has_content or bool(child.nesting or child.content.strip())
            continue
        attrs: AttrList = child.meta["attrs"]
        line = lines.line_at(int(child.meta.get("pos", 0)))
        if child.meta.get("repaired"):
            repaired = repaired_attr_line(child.content)
            _warn_once(env, line, f"not a valid attribute list, read as {repaired}: {child.content.strip()}")
        target = chain_target or _inline_target(out, closed_pair)
        if target is None and position + 1 >= trailing_from:
            target = _block_target(blocks, index)
            _strip_trailing_space(out)
        elif target is None and not has_content:
            target = _block_target(blocks, index)  # ``{: #id}Text…`` at the start of the line
            out.clear()
        if target is None:
            report(
                env,
                line,
                "TD404",
                f"attribute list {child.content} follows plain text, not an element; ignored",
            )
            continue
        resolved = _resolve(env, attrs, line)
        _apply(target, resolved)
        if target.type == "link_open" and target.tag == "span":
            out[-1].tag = "span"
        chain_target = target
    return out


def _warn_once(env: EnvType, line: int, message: str) -> None:
    """``TD204`` for a line, unless the block rule already warned about it (a line that is only a list)."""
    warned = env.setdefault("td_bad_ial_lines", set())
    if line - 1 not in warned:
        warned.add(line - 1)
        report(env, line, "TD204", message)


def _resolve(env: EnvType, attrs: AttrList, line: int) -> ResolvedAttrs:
    resolved = resolver(env).resolve(attrs)
    for name in resolved.unknown:
        report(env, line, "TD201", f"unknown attribute name {name!r} ignored (no attribute-list definition)")
    for name, meant in resolved.read_as:
        report(
            env, line, "TD204", f"attribute name {name!r} read as {meant!r}, the defined name it is a slip of"
        )
    for chunk in attrs.invalid:
        report(env, line, "TD202", f"ignored malformed attribute {chunk!r}")
    return resolved


def _inline_target(out: list[Token], closed_pair: dict[int, int]) -> Token | None:
    if not out:
        return None
    last = len(out) - 1
    previous = out[last]
    if previous.type in ("image", "code_inline"):
        return previous
    if previous.nesting == -1 and last in closed_pair:
        return out[closed_pair[last]]
    return None


def _trailing_start(children: list[Token]) -> int:
    """The index from which only attribute lists and white space follow (``len(children)`` when none do)."""
    start = len(children)
    while start and (
        children[start - 1].type in ("span_ial", "softbreak")
        or (children[start - 1].type == "text" and not children[start - 1].content.strip())
    ):
        start -= 1
    return start


class _LineCounter:
    """Line numbers of positions in an inline's source, counted incrementally (positions mostly ascend), never
    past the inline's last source line: a table cell's ``\n`` breaks put line breaks in the text of one line."""

    def __init__(self, source: str, first_line: int, last_line: int) -> None:
        self.source = source
        self.first_line = first_line
        self.last_line = last_line
        self.pos = 0
        self.line = first_line

    def line_at(self, pos: int) -> int:
        if pos < self.pos:
            self.pos, self.line = 0, self.first_line
        self.line += self.source.count("\n", self.pos, pos)
        self.pos = pos
        return min(self.line, self.last_line) if self.last_line else self.line


def _block_target(blocks: list[Token], index: int) -> Token | None:
    """The block an end-of-line list belongs to: the inline's container, or the item around a hidden paragraph."""
    if index == 0:
        return None
    container = blocks[index - 1]
    if container.nesting != 1:
        return None
    if container.hidden and index >= 2 and blocks[index - 2].nesting == 1:
        return blocks[index - 2]
    return container


def _strip_trailing_space(out: list[Token]) -> None:
    while out and out[-1].type == "softbreak":
        out.pop()
    if out and out[-1].type == "text":
        out[-1].content = out[-1].content.rstrip()


def _apply(target: Token, resolved: ResolvedAttrs) -> None:
    if target.type == "image":
        caption = resolved.attrs.get("caption")
        if caption is not None:
            target.meta = {**(target.meta or {}), "caption": caption}
            target.meta["caption_side"] = resolved.attrs.get("caption-side", "bottom")
        for key in _FIGURE_KEYS:
            resolved.attrs.pop(key, None)
    resolved.apply(target)
    if target.type == "link_open":
        _finish_link(target)


def _finish_link(link: Token) -> None:
    if "term" in classes(link) and _GLOSSARY_HREF.match(str(link.attrGet("href") or "")):
        # The glossary is not part of the site: keep the term, marked, without a dead link.
        _to_span(link)
        return
    if link.attrGet("target") == "_blank":
        link.attrSet("rel", "noopener")


def _to_span(link: Token) -> None:
    href = str(link.attrGet("href") or "")
    link.tag = "span"
    link.attrs.pop("href", None)
    link.attrs.pop("title", None)
    link.attrSet("data-term", href.lstrip("#"))


def mark_external(link: Token) -> None:
    """Give ``link`` the external-link style: new tab, no opener, ``external`` class (the theme adds the icon)."""
    present = classes(link)
    if EXTERNAL_CLASS not in present:
        link.attrSet("class", " ".join([*present, EXTERNAL_CLASS]))
    link.attrSet("target", "_blank")
    link.attrSet("rel", "noopener")


def _is_legacy_icon(image: Token) -> bool:
    return str(image.attrGet("src") or "").rsplit("/", 1)[-1] == _LEGACY_ICON


def _drop_legacy_icon(out: list[Token], open_stack: list[int]) -> None:
    links = [i for i in open_stack if out[i].type == "link_open"]
    if links:
        mark_external(out[links[-1]])
        _strip_trailing_space(out)  # outside a link the space must stay: it separates two words
