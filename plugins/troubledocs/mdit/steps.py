"""Tutorial steps: headings marked ``{: step}`` (``data-tutorial-type="step"``) are numbered 1, 2, 3 … per page.

The number goes into ``data-step`` on the heading and the site's stylesheet shows it ("Step 2"), so the heading's
text, id and table-of-contents entry stay exactly what the author wrote.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore


def steps_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("td_tutorial_steps", _number_steps)


def _number_steps(state: StateCore) -> None:
    number = 0
    for token in state.tokens:
        if token.type == "heading_open" and token.attrGet("data-tutorial-type") == "step":
            number += 1
            token.attrSet("data-step", str(number))
            token.attrJoin("class", "td-step")
