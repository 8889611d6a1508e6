"""A repository full of script-injection attempts, one per way an author can reach a built page.

Every payload calls ``alert()``: a browser test that loads each built page counts dialogs (none may open), and a
static check looks for anything a browser would run (``tests/test_security.py:what_could_run``).
"""

from __future__ import annotations

from pathlib import Path

RUN = "alert(1)"

#: File name → content. Each page is a separate attempt, so a failure names its way in.
PAGES: dict[str, str] = {
    "index.md": "# Home\n\nThe pages of this site try to run script.\n",
    "fm-map.md": f"---\ndescription: {{x: '\"><script>{RUN}</script>'}}\n---\n\n# Map description\n\nText.\n",
    "fm-title-map.md": f"---\ntitle: {{x: '<img src=x onerror={RUN}>'}}\n---\n\n# Title map\n\nText.\n",
    "fm-nested-list.md": f"---\nauthor: [['\"><img src=x onerror={RUN}>']]\n---\n\n# Nested list\n\nText.\n",
    "fm-title-close.md": (
        f"---\ntitle: '</title><script>{RUN}</script>'\n---\n\n# Title that closes title\n\nText.\n"
    ),
    "heading-title.md": f"# &lt;/title&gt;&lt;script&gt;{RUN}&lt;/script&gt;\n\nText.\n",
    "fm-redirect.md": f"---\ntemplate: redirect.html\nlocation: 'javascript:{RUN}'\n---\n\n# Redirect\n\nText.\n",
    "fm-partial.md": "---\ntemplate: partials/nav.html\n---\n\n# Partial\n\nText.\n",
    "comment-then-tag.md": f"# Comment\n\n<!-- c --><script>{RUN}</script><img src=x onerror={RUN}>\n\nText.\n",
    "cdata.md": f"# CDATA\n\n<![CDATA[ ><img src=x onerror={RUN}> ]]>\n\nText.\n",
    "pi.md": f"# PI\n\n<? ><img src=x onerror={RUN}> ?>\n\nText.\n",
    "bang-comment.md": f"# Bang comment\n\nText <!-- a --!> <img src=x onerror={RUN}> -->\n",
    "heading-id.md": f"# Heading id\n\n## Section\n{{: id='h\"><img src=x onerror={RUN}>'}}\n\nText.\n",
    "iframe-svg.md": (
        "# Frames\n\n<div>\n"
        f'<iframe src="data:image/svg+xml,&lt;svg xmlns=&quot;http://www.w3.org/2000/svg&quot; onload=&quot;{RUN}&quot;/&gt;"></iframe>\n'
        f'<object data="data:application/xhtml+xml,&lt;html xmlns=&quot;http://www.w3.org/1999/xhtml&quot;&gt;&lt;script&gt;{RUN}&lt;/script&gt;&lt;/html&gt;"></object>\n'
        f'<embed src="data:text/html,&lt;script&gt;{RUN}&lt;/script&gt;">\n'
        "</div>\n"
    ),
    "attribute-list.md": f'# Attribute list\n\nText\n{{: onclick="{RUN}" style="x"}}\n\n[link](page.md){{: href="javascript:{RUN}"}}\n',
    "script-block.md": f"# Script block\n\n<script>{RUN}</script>\n\n<div><script>{RUN}</script></div>\n",
    "svg.md": f'# SVG\n\n<div><svg><a xlink:href="javascript:{RUN}"><text>x</text></a><animate onbegin="{RUN}"/></svg></div>\n',
}

TOC_YAML = f"""toc:
  properties:
    label: "<img src=x onerror={RUN}>"
  entries:
  - topic: index.md
  - topic: fm-map.md
    navtitle: "</title><script>{RUN}</script>"
  - link:
      label: "Run"
      href: "javascript:{RUN}"
  - link:
      label: "Data"
      href: "data:text/html,<script>{RUN}</script>"
  - link:
      label: 'Quote'
      href: 'https://example.com/" onmouseover="{RUN}'
  - topic: fm-nested-list.md
    navtitle: 1.30
"""


def write_hostile_repo(folder: Path) -> Path:
    """Write the repository into ``folder`` (created); return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in PAGES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "toc.yaml").write_text(TOC_YAML, encoding="utf-8")
    return folder
