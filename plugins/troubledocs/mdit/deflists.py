"""Definition lists: ``Term`` then ``:   definition`` (markdown-it-deflist syntax, as IBM's marked-it uses).

The parsing is mdit-py-plugins' port of markdown-it-deflist. Definitions hold any blocks indented under the
``:`` (lists, fenced code with its ``{: pre}`` line, more paragraphs); the other dialect rules apply inside them
unchanged: an attribute list at the end of the definition text (``:   …{: cli}``) belongs to the ``dd`` (see
:mod:`troubledocs.mdit.span_ial`), one at the end of a term to the ``dt``.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from mdit_py_plugins.deflist import deflist_plugin


def deflists_plugin(md: MarkdownIt) -> None:
    """Enable definition lists."""
    md.use(deflist_plugin)
