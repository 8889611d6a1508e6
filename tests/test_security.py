"""Authored or pasted text never runs as code: script URLs and event handlers are neutralised wherever a page can
write them, keyword and front-matter values are text, and the troubleshooter's scripts never parse strings as HTML.

Authored raw HTML is kept (it is the author's); only what could run is taken out, with a ``TD403`` warning.
"""

from __future__ import annotations

import html
from importlib import resources
from pathlib import Path
import re

from bs4 import BeautifulSoup
from markupsafe import Markup
import pytest
from troubledocs.cli import main
from troubledocs.keywords import KeywordMap
from troubledocs.material.csp import (
    ICONS_CSS,
    INLINE_SCRIPTS,
    LOCAL_ICONS_JS,
    csp_ready_page,
    icon_files,
    theme_scripts,
)
from troubledocs.renderer import Renderer
from troubledocs.sanitize import template_value

from tests.hostile_repo import RUN, write_hostile_repo

URL_ATTRS = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"})
SCRIPT_SCHEME = re.compile(r"^(?:javascript|vbscript|data:text/html)", re.IGNORECASE)
# What a browser ignores in a URL's scheme: ASCII whitespace and control characters.
IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20]+")


def what_could_run(page_html: str) -> list[str]:
    """Every element or attribute of ``page_html`` that a browser would run as script."""
    found = []
    for tag in BeautifulSoup(page_html, "html.parser").find_all(True):
        if tag.name == "script":
            found.append(f"<script>{tag.get_text()}")
        for name, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.startswith("on") or name == "srcdoc":
                found.append(f"<{tag.name} {name}>")
            elif name in URL_ATTRS and SCRIPT_SCHEME.match(IGNORED_IN_SCHEME.sub("", text)):
                found.append(f"<{tag.name} {name}={text!r}>")
    return found


HOSTILE = {
    "markdown link": "[x](javascript:alert(1))",
    "upper case": "[x](JAVASCRIPT:alert(1))",
    "leading spaces": "[x](   javascript:alert(1))",
    "entity in scheme": "[x](jav&#x61;script:alert(1))",
    "tab entity in scheme": "[x](jav&#x09;ascript:alert(1))",
    "angle brackets": "[x](<javascript:alert(1)>)",
    "vbscript": "[x](vbscript:msgbox(1))",
    "data html": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "image": "![x](javascript:alert(1))",
    "reference": "[x][r]\n\n[r]: javascript:alert(1)",
    "autolink": "x <javascript:alert(1)>",
    "inline html": 'Text <a href="javascript:alert(1)">x</a>.',
    "inline html tab entity": 'Text <a href="jav&#x09;ascript:alert(1)">x</a>.',
    "inline html mixed case and spaces": 'Text <a href="  JaVaScRiPt:alert(1)">x</a>.',
    "inline html newline": 'Text <a href="java\nscript:alert(1)">x</a>.',
    "inline html colon entity": 'Text <a href="javascript&colon;alert(1)">x</a>.',
    "block html decimal entity": '<div><a href="&#106;avascript:alert(1)">x</a></div>',
    "block html upper-case attribute": '<div><a HREF="javascript:alert(1)">x</a></div>',
    "image onerror": '<div><img src="x.png" onerror="alert(1)"> x</div>',
    "inline image onerror": 'Text <img src="x.png" onerror="alert(1)"> x.',
    "handler-like name with a digit (fuzz finding)": 'Text <img src="x.png" oner2or="alert(1)"> x.',
    "form action": '<div><form action="javascript:alert(1)"><button formaction="javascript:alert(1)">x</button></form></div>',
    "svg xlink": '<div><svg><a xlink:href="javascript:alert(1)">x</a></svg></div>',
    "iframe": '<div><iframe src="javascript:alert(1)"></iframe> x</div>',
    "iframe srcdoc": '<div><iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe> x</div>',
    "object data": '<div><object data="javascript:alert(1)"></object> x</div>',
    "data html in raw html": '<div><a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a></div>',
    "details ontoggle": '<details open ontoggle="alert(1)"><summary>x</summary>y</details>',
    "script block": "<script>alert(1)</script>\n\nx",
    "script in a table": "<table><tr><td>x<script>alert(1)</script></td></tr></table>",
    "attribute list event handler": 'x\n{: onclick="alert(1)"}',
    "attribute list href": '[x](page.html){: href="javascript:alert(1)"}',
    "span attribute list": '**x**{: onmouseover="alert(1)"}',
    "attribute list definition": '{:evil: onclick="alert(1)"}\n\nx\n{: evil}',
}


@pytest.mark.parametrize("name", HOSTILE)
def test_nothing_authored_runs(name: str) -> None:
    page = Renderer().render(HOSTILE[name], "x.md")
    assert what_could_run(page.html) == [], page.html
    # Nothing is lost: the text around what was neutralised is still there.
    assert "x" in BeautifulSoup(page.html, "html.parser").get_text()


def test_removed_markup_is_reported_with_its_line() -> None:
    page = Renderer().render('# Title\n\nText <img src="a.png" onerror="alert(1)">.\n', "x.md")
    assert [str(d) for d in page.diagnostics] == ["x.md:3: [TD403] removed unsafe HTML: <img onerror>"]
    assert '<img src="a.png">' in page.html


def test_safe_authored_html_is_kept() -> None:
    source = (
        '<div class="box" title="Tip"><a href="https://example.com/a?b=1&amp;c=2" target="_blank">x</a></div>'
    )
    page = Renderer().render(source, "x.md")
    assert page.diagnostics == []
    assert '<a href="https://example.com/a?b=1&amp;c=2" target="_blank">x</a>' in page.html
    assert '<div class="box" title="Tip">' in page.html


EVIL_KEYWORDS = {"evil": "<script>alert(1)</script>", "quote": '"><img src=x onerror=alert(1)>'}


@pytest.mark.parametrize(
    "source",
    [
        "Text {{site.data.keyword.evil}} and {{site.data.keyword.quote}}.",
        "# {{site.data.keyword.evil}}\n",
        "Code `{{site.data.keyword.evil}}`.",
        "```\n{{site.data.keyword.evil}}\n```\n",
        '<div title="{{site.data.keyword.quote}}">x</div>',
        'x\n{: title="{{site.data.keyword.quote}}"}',
        "[link](page.html){: title='{{site.data.keyword.quote}}'}",
    ],
)
def test_keyword_values_are_text(source: str) -> None:
    page = Renderer(KeywordMap(dict(EVIL_KEYWORDS))).render(source, "x.md")
    assert what_could_run(page.html) == [], page.html
    assert page.diagnostics == []
    soup = BeautifulSoup(page.html, "html.parser")
    shown = soup.get_text() + " ".join(str(v) for tag in soup.find_all(True) for v in tag.attrs.values())
    assert any(value in shown for value in EVIL_KEYWORDS.values()), page.html


HOSTILE_TITLE = "</title><script>alert(1)</script>"
HOSTILE_DESCRIPTION = '"><script>alert(2)</script>'


def test_front_matter_and_keyword_values_are_escaped_in_the_built_page(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "keyref.yaml").write_text(
        "keyword:\n  evil: '<script>alert(3)</script>'\n  quote: '\"><img src=x onerror=alert(4)>'\n", "utf-8"
    )
    (src / "index.md").write_text(
        "---\n"
        f"title: '{HOSTILE_TITLE}'\n"
        f"description: '{HOSTILE_DESCRIPTION}'\n"
        "keywords: '<img src=x onerror=alert(5)>, {{site.data.keyword.quote}}'\n"
        "lastupdated: '<script>alert(6)</script>'\n"
        "---\n\n"
        "# Uses {{site.data.keyword.evil}}\n\nText {{site.data.keyword.quote}}.\n",
        "utf-8",
    )
    (src / "toc.yaml").write_text(
        "toc:\n  properties:\n    label: '<script>alert(7)</script> & co'\n  entries:\n"
        "  - navgroup:\n      id: learn\n      topics:\n      - topic: index.md\n"
        "        navtitle: 'Home {{site.data.keyword.evil}}'\n",
        "utf-8",
    )
    assert main(["build", str(src), "-o", str(tmp_path / "site"), "--strict", "-q"]) == 0
    built = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(built, "html.parser")
    assert not [s for s in soup.find_all("script") if "alert" in s.get_text()]
    assert [f for f in what_could_run(built) if "alert" in f] == []
    assert soup.title is not None and HOSTILE_TITLE in soup.title.get_text()
    description = soup.find("meta", attrs={"name": "description"})
    assert description is not None and description.get("content") == HOSTILE_DESCRIPTION
    article = soup.select_one("article")
    assert article is not None
    assert "Uses <script>alert(3)</script>" in article.get_text()
    assert "<script>alert(6)</script>" in article.get_text()
    assert html.escape("<script>alert(3)</script>") in built
    # The TOC's labels: the site's name and the navigation's titles.
    header, nav = soup.select_one(".md-header__topic"), soup.select_one("nav.md-nav--primary")
    assert header is not None and header.get_text(strip=True) == "<script>alert(7)</script> & co"
    assert nav is not None and "Home <script>alert(3)</script>" in nav.get_text()


# The troubleshooter's and the site's scripts: pasted text and what the matcher returns only ever reach the page as
# text. No API that parses a string as HTML or as code may appear in them.
STRING_AS_CODE = re.compile(
    r"\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write|\beval\(|new Function\b|"
    r"createContextualFragment|setTimeout\(\s*['\"`]|setInterval\(\s*['\"`]|DOMParser"
)


@pytest.mark.parametrize(
    "script",
    [
        "assets/troubleshooter/widget.js",
        "assets/troubleshooter/worker.mjs",
        "assets/site/site.js",
        "assets/csp/local-icons.js",
    ],
)
def test_scripts_never_parse_strings_as_html_or_code(script: str) -> None:
    text = resources.files("troubledocs").joinpath(*script.split("/")).read_text(encoding="utf-8")
    assert STRING_AS_CODE.findall(text) == []


# -- what lets the site work under a strict Content-Security-Policy (the browser check is tests/browser/test_csp.py)


def test_inline_scripts_move_to_files_in_place(tmp_path: Path) -> None:
    (tmp_path / "partials").mkdir()
    (tmp_path / "base.html").write_text('<script>var a = 1;</script>{% include "partials/m.html" %}', "utf-8")
    (tmp_path / "partials" / "m.html").write_text('<script type="module">import "{{ m }}";</script>', "utf-8")
    page = (
        '<head><script>var a = 1;</script><script id="__config" type="application/json">{"a": 1}</script>'
        '<link rel="stylesheet" href="../assets/stylesheets/td-icons.css"></head>'
        '<body><script src="x.js"></script><script type="module">import "./m.js";</script><script></script>'
        "<script>alert(1)</script></body>"
    )
    moved, files = csp_ready_page(page, "..", theme_scripts([tmp_path]))
    by_script = {script: path for path, script in files.items()}
    assert sorted(by_script) == ['import "./m.js";', "var a = 1;"]
    assert all(path.startswith(f"{INLINE_SCRIPTS}/") for path in files)
    first, module = by_script["var a = 1;"], by_script['import "./m.js";']
    assert moved == (
        f'<head><script src="../{first}"></script>'
        '<script id="__config" type="application/json">{"a": 1}</script>'
        '<link rel="stylesheet" href="../assets/stylesheets/td-icons.css">'
        f'<script src="../{LOCAL_ICONS_JS}"></script></head>'
        f'<body><script src="x.js"></script><script type="module" src="../{module}"></script><script></script>'
        "<script>alert(1)</script></body>"  # not the theme's: it stays inline, where the policy refuses it
    )


def test_icon_properties_point_at_files() -> None:
    css = ":root{--a-icon:url(\"data:image/svg+xml;charset=utf-8,<svg xmlns='x'><path d='M0%200'/></svg>\")}"
    files = icon_files([css])
    (svg,) = (path for path in files if path.endswith(".svg"))
    assert files[svg] == b"<svg xmlns='x'><path d='M0 0'/></svg>"
    assert files[ICONS_CSS].decode() == f':root{{--a-icon:url("td-icons/{svg.rsplit("/", 1)[1]}")}}\n'


def test_a_built_site_has_no_inline_script_and_no_data_icon(tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "index.md").write_text("# Home\n\n!!! note\n    An admonition.\n", "utf-8")
    (src / "sub" / "page.md").write_text("# Page\n", "utf-8")
    site = tmp_path / "site"
    assert main(["build", str(src), "-o", str(site), "-q"]) == 0
    for page in site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for script in soup.find_all("script"):
            if script.get("type") == "application/json":
                continue
            source = str(script.get("src") or "")
            assert source, f"inline script in {page}: {script}"
            if "/inline/" in source and not source.startswith("/"):
                assert (page.parent / source).is_file(), f"{page}: {source} is missing"
    theme_icons = {
        name
        for css in (site / "assets" / "stylesheets").glob("*.css")
        if css.name != "td-icons.css"
        for name in re.findall(r'(--[\w-]+):url\("data:image/svg', css.read_text(encoding="utf-8"))
    }
    overrides = (site / ICONS_CSS).read_text(encoding="utf-8")
    assert theme_icons, "the theme's stylesheet has no data: icons any more: this check is moot"
    assert theme_icons == set(re.findall(r"(--[\w-]+):url\(", overrides))
    for path in re.findall(r'url\("([^"]+)"\)', overrides):
        assert (site / "assets" / "stylesheets" / path).is_file()


# -- a whole repository of injection attempts (the browser loads it too: tests/browser/test_hostile.py)


def test_a_hostile_repository_builds_into_pages_where_nothing_runs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    src = write_hostile_repo(tmp_path / "src")
    site = tmp_path / "site"
    assert main(["build", str(src), "-o", str(site)]) == 0
    log = caplog.text
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        # Every payload calls alert(); the theme's own scripts do not.
        assert [found for found in what_could_run(text) if RUN in found] == [], page
        assert not re.search(r"<(?:img|svg|script)\b[^>]*alert", text), page
    assert not [p for p in (site / INLINE_SCRIPTS).iterdir() if RUN in p.read_text(encoding="utf-8")]
    for name, refused in [
        ("toc.yaml:10", "link href 'javascript:"),
        ("toc.yaml:13", "link href 'data:text/html"),
        ("fm-redirect.md:2", "template 'redirect.html'"),
        ("fm-partial.md:2", "template 'partials/nav.html'"),
        ("comment-then-tag.md:3", "<script>, <img onerror>"),
        ("iframe-svg.md:3", "<iframe src='data:image/svg+xml"),
    ]:
        assert re.search(rf"{re.escape(name)}: \[TD403\] .*{re.escape(refused)}", log), name


def test_front_matter_values_of_any_type_print_as_escaped_text() -> None:
    value = template_value({"x": ['"><img onerror=alert(1)>', 1.5, True, None], "<k>": {"y": "<b>"}})
    assert str(value) == "x: &quot;&gt;&lt;img onerror=alert(1)&gt;, 1.5, True, None; &lt;k&gt;: y: &lt;b&gt;"
    assert value["x"][1] == 1.5
    title = template_value("</title><script>")
    # Jinja's striptags unescapes what it strips: it must get this text back, still escaped.
    assert Markup(title.__html__()).striptags() == "&lt;/title&gt;&lt;script&gt;"
