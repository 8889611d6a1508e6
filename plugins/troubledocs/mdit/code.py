"""Code blocks: fences and indented code, with the IBM roles ``pre``, ``codeblock`` and ``screen``.

Output follows Material for MkDocs' code block markup: ``<div class="highlight"><pre><code>``. Material's
``content.code.copy`` feature puts a copy button on every ``pre:not(.mermaid) > code`` unless an ancestor has
class ``no-copy`` (read in Material 9's bundle: ``e.closest(".copy") || feature && !e.closest(".no-copy")``), so:

* ``{: pre}`` (a command to run): ``<div class="highlight td-code td-pre"><pre class="pre">`` — copy button; the
  theme CSS shows a ``$`` prompt with ``::before`` content, which is never copied;
* ``{: codeblock}`` (file content): ``td-codeblock`` — copy button;
* ``{: screen}`` (output, error text): ``td-screen no-copy`` — no copy button, no prompt.

The fence's id and other attributes go on ``<pre>``; the info string's first word (else the language of a tag such
as ``{: python}`` after the fence) becomes ``language-x`` on ``<code>`` (no syntax colouring yet: Pygments could add Material's token classes for ~0.5 s on openshift). The fence token keeps its classes in ``attrs`` and its text in ``content`` (extractor contract).
"""

from __future__ import annotations

from collections.abc import Sequence
import re

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml, unescapeAll
from markdown_it.renderer import RendererProtocol
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from troubledocs.mdit.env import page_env, report
from troubledocs.mdit.tokens import classes

ROLES = ("pre", "codeblock", "screen")
#: What IBM's language tags (``{: python}``, ``{: curl}`` …) set, through their attribute-list definitions.
PROGRAMMING_LANGUAGE = "data-hd-programlang"
_CONTAINER_PREFIX = re.compile(r"^[\s>]*")


#: ``env`` key: present (say ``None``) before a parse, it holds :func:`code_lines` of the parsed text after it.
CODE_LINES = "td_code_lines"


def code_plugin(md: MarkdownIt) -> None:
    md.add_render_rule("fence", render_code)
    md.add_render_rule("code_block", render_code)
    md.core.ruler.after("block", "td_code_lines", _record_code_lines)
    md.core.ruler.after("td_code_lines", "td_unclosed_fences", _unclosed_fences)


def _record_code_lines(state: StateCore) -> None:
    """The page's code lines from the block parse, when asked: the renderer checks keyword substitution's guess
    of code against them instead of parsing the page a second time."""
    if CODE_LINES in state.env:
        state.env[CODE_LINES] = _code_flags(state.tokens, state.src)


def _unclosed_fences(state: StateCore) -> None:
    """Warn ``TD501`` for a fence that never closes (CommonMark runs it to the end of its container)."""
    lines: list[str] | None = None
    for token in state.tokens:
        if token.type != "fence" or token.map is None:
            continue
        lines = lines if lines is not None else state.src.split("\n")
        last = (
            _CONTAINER_PREFIX.sub("", lines[token.map[1] - 1]).rstrip()
            if token.map[1] - 1 < len(lines)
            else ""
        )
        closed = (
            token.map[1] - token.map[0] >= 2
            and last.startswith(token.markup)
            and not last.strip(token.markup[0])
        )
        if not closed:
            report(
                state.env,
                token.map[0] + 1,
                "TD501",
                "code fence is never closed: it runs to the end of its block",
            )


def code_lines(md: MarkdownIt, text: str) -> list[bool]:
    """For each line of ``text``, whether markdown-it's block parse makes it code (a fence, its fence lines
    included, or an indented code block), in any container: list items, quotes, cells of HTML tables. The parse
    uses a throw-away env, so its diagnostics are not reported twice."""
    tokens: list[Token] = []
    md.block.parse(text, md, page_env(""), tokens)
    return _code_flags(tokens, text)


def _code_flags(tokens: list[Token], text: str) -> list[bool]:
    """For each line of ``text``, whether a block token of its parse (``tokens``) makes it code."""
    flags = [False] * (text.count("\n") + 1)
    for token in tokens:
        if token.type in ("fence", "code_block") and token.map is not None:
            start, end = token.map[0], min(token.map[1], len(flags))
            flags[start:end] = [True] * max(0, end - start)
    return flags


def code_role(token: Token) -> str | None:
    """``pre``, ``codeblock`` or ``screen`` when the block carries that class."""
    return next((c for c in classes(token) if c in ROLES), None)


def render_code(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    info = unescapeAll(token.info).strip() if token.type == "fence" else ""
    # Without an info string, IBM's language tag after the fence (``{: curl}``) names the language.
    named = info or str(token.attrGet(PROGRAMMING_LANGUAGE) or "").strip()
    language = named.split(maxsplit=1)[0] if named else ""
    role = code_role(token)
    wrapper = ["highlight", "td-code"]
    if role is not None:
        wrapper.append(f"td-{role}")
    if role == "screen":
        wrapper.append("no-copy")
    pre_attrs = "".join(
        f' {escapeHtml(str(key))}="{escapeHtml(str(value))}"' for key, value in (token.attrs or {}).items()
    )
    code_class = f' class="language-{escapeHtml(language)}"' if language else ""
    return (
        f'<div class="{" ".join(wrapper)}"><pre{pre_attrs}><code{code_class}>'
        f"{escapeHtml(token.content)}</code></pre></div>\n"
    )
