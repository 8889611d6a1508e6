"""The ``troubledocs`` MkDocs plugin: its options, its hooks, and real ``mkdocs build`` runs on tiny sites."""

from __future__ import annotations

import json
import logging
from pathlib import Path
import textwrap
from typing import Any

from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
import pytest
from troubledocs.material.compressed_search import read_search_index
from troubledocs.mkdocs_adapter.plugin import TroubledocsPlugin
from troubledocs.page_links import LineFinder, line_of, rewrite_urls
import yaml

from tests.conftest import REPO
from troubleshooter.model import SITE_INDEX_PATH, index_text

# The troubleshooter's browser files need the Pyodide runtime; these tests are about pages, so most builds
# leave it out. ``test_index_written`` keeps it on with a runtime URL, so that no runtime is shipped.
NO_TROUBLESHOOTER = {"troubleshooter": False}


def write_site(root: Path, pages: dict[str, str], options: dict[str, Any] | None = None) -> Path:
    """A ``mkdocs.yml`` using the plugin, and ``docs/`` holding ``pages``; returns the config file."""
    for name, text in pages.items():
        path = root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    config = {
        "site_name": "Test",
        "site_dir": str(root / "site"),
        "use_directory_urls": False,
        "theme": {"name": "material", "font": False},
        "plugins": ["search", {"troubledocs": options if options is not None else NO_TROUBLESHOOTER}],
    }
    config_file = root / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    return config_file


def build_site(config_file: Path, *, strict: bool = False) -> MkDocsConfig:
    config = load_config(str(config_file), strict=strict)
    build(config)
    return config


def soup(root: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((root / "site" / page).read_text(encoding="utf-8"), "html.parser")


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def plugin_config(root: Path, options: dict[str, Any]) -> tuple[MkDocsConfig, list[Any], list[Any]]:
    (root / "docs").mkdir(exist_ok=True)
    config = MkDocsConfig(config_file_path=str(root / "mkdocs.yml"))
    config.load_dict({"site_name": "Test", "plugins": [{"troubledocs": options}]})
    errors, warns = config.validate()
    return config, errors, warns


# -- options ---------------------------------------------------------------------------------------------------


def test_defaults_validate(tmp_path: Path) -> None:
    """An empty option block is valid and gives the documented defaults."""
    config, errors, warns = plugin_config(tmp_path, {})
    assert (errors, warns) == ([], [])
    plugin = config.plugins["troubledocs"]
    assert isinstance(plugin, TroubledocsPlugin)
    assert plugin.config.enabled is True
    assert plugin.config.keywords == []
    assert plugin.config.strict_keywords is True
    assert plugin.config.troubleshooter is True
    assert plugin.config.embed_runtime is False
    assert plugin.config.pyodide_dir is None
    assert plugin.config.import_pages == {}


def test_paths_are_relative_to_mkdocs_yml(tmp_path: Path) -> None:
    """Keyword files and imported pages resolve against the config file's folder."""
    (tmp_path / "extra.yml").write_text("keyword: {x: y}\n", encoding="utf-8")
    config, errors, _ = plugin_config(
        tmp_path, {"keywords": ["extra.yml"], "import_pages": {"a/b.md": "../outside.md"}}
    )
    assert errors == []
    options = config.plugins["troubledocs"].config
    assert options.keywords == [str(tmp_path / "extra.yml")]
    assert options.import_pages == {"a/b.md": str((tmp_path.parent / "outside.md").resolve())}


@pytest.mark.parametrize(
    ("options", "key"),
    [
        ({"keywords": ["missing.yml"]}, "keywords"),
        ({"enabled": "yes"}, "enabled"),
        ({"pyodide_dir": "no/such/dir"}, "pyodide_dir"),
        ({"import_pages": ["a.md"]}, "import_pages"),
    ],
)
def test_bad_options_are_errors(tmp_path: Path, options: dict[str, Any], key: str) -> None:
    """Wrong types and missing files fail validation, naming the option."""
    _, errors, _ = plugin_config(tmp_path, options)
    assert any(key in str(name) or key in str(error) for name, error in errors), errors


def test_unknown_option_is_reported(tmp_path: Path) -> None:
    """A misspelt option is not silently ignored."""
    _, errors, warns = plugin_config(tmp_path, {"keyword": ["x.yml"]})
    assert any("keyword" in str(item) for item in [*errors, *warns])


def test_on_config_reads_keyref_yaml(tmp_path: Path) -> None:
    """``keyref.yaml`` at the docs root is loaded; a later ``keywords`` file overrides it."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "keyref.yaml").write_text("keyword: {product: From keyref, other: Kept}\n", "utf-8")
    (tmp_path / "later.yml").write_text("keyword: {product: From option}\n", encoding="utf-8")
    config, errors, _ = plugin_config(tmp_path, {"keywords": ["later.yml"]})
    assert errors == []
    plugin = config.plugins["troubledocs"]
    plugin.on_config(config)
    assert plugin.renderer is not None
    assert plugin.renderer.keywords.get("product") == "From option"
    assert plugin.renderer.keywords.get("other") == "Kept"


def test_on_config_rejects_unreadable_keyword_file(tmp_path: Path) -> None:
    """A keyword file that is not a map stops the build with the file named."""
    (tmp_path / "bad.yml").write_text("- just\n- a list\n", encoding="utf-8")
    config, errors, _ = plugin_config(tmp_path, {"keywords": ["bad.yml"]})
    assert errors == []
    with pytest.raises(PluginError, match=r"bad\.yml"):
        config.plugins["troubledocs"].on_config(config)


# -- builds ----------------------------------------------------------------------------------------------------

PAGES = {
    "index.md": """\
        ---
        copyright:
          years: 2024
        ---

        # Home page
        {: #home}

        Read [the details](sub/details.md#part-two) or [this page's end](#the-end).
        {: shortdesc}

        ## The end
        {: #the-end}

        Runs on {{site.data.keyword.cloud_notm}}.
        """,
    "sub/details.md": """\
        # Details

        ## Part two
        {: #part-two}

        <a href="../index.md#home">Back home</a>
        """,
}


def test_build_sets_toc_title_anchors_and_links(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A strict build succeeds and the pages carry our TOC, title, ids, description and rewritten links."""
    config_file = write_site(tmp_path, PAGES)
    with caplog.at_level(logging.INFO):
        build_site(config_file, strict=True)
    assert warnings(caplog) == []

    home = soup(tmp_path, "index.html")
    content = home.select_one("article.md-content__inner")
    assert content is not None
    assert content.select_one("h1#home") is not None
    assert content.select_one("h2#the-end") is not None
    assert "IBM Cloud" in content.get_text()
    toc = [a["href"] for a in home.select(".md-sidebar--secondary a.md-nav__link")]
    assert toc == ["#the-end"]
    links = {a.get_text(): a["href"] for a in content.select("a")}
    assert links["the details"] == "sub/details.html#part-two"
    assert links["this page's end"] == "#the-end"
    description = home.select_one('meta[name="description"]')
    assert description is not None and description["content"].startswith("Read the details")

    details = soup(tmp_path, "sub/details.html")
    assert details.title is not None and details.title.string == "Details - Test"
    back = details.find("a", string="Back home")
    assert back is not None and back["href"] == "../index.html#home"
    assert [a["href"] for a in details.select(".md-sidebar--secondary a.md-nav__link")] == ["#part-two"]

    search = json.loads(read_search_index(tmp_path / "site") or "{}")
    locations = {doc["location"] for doc in search["docs"]}
    assert {"index.html#the-end", "sub/details.html#part-two"} <= locations
    assert any("IBM Cloud" in doc["text"] for doc in search["docs"])


def test_diagnostics_are_warnings_with_file_and_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Unknown keywords and missing link targets are WARNINGs naming ``file.md:LINE``; --strict aborts."""
    config_file = write_site(
        tmp_path,
        {
            "index.md": """\
                ---
                title: Home
                ---

                # Home

                Uses {{site.data.keyword.no_such_product}}.

                See [gone](gone.md).
                """
        },
    )
    with caplog.at_level(logging.WARNING), pytest.raises(Abort, match="2 warnings"):
        build_site(config_file, strict=True)
    found = warnings(caplog)
    assert any("index.md:7: [TD101]" in w and "no_such_product" in w for w in found), found
    assert any("index.md:9:" in w and "gone.md" in w for w in found), found


def test_strict_keywords_off_demotes_unknown_keywords(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """``strict_keywords: false`` logs unknown keywords as INFO, so a strict build passes."""
    config_file = write_site(
        tmp_path,
        {"index.md": "# Home\n\nUses {{site.data.keyword.no_such_product}}.\n"},
        {**NO_TROUBLESHOOTER, "strict_keywords": False},
    )
    with caplog.at_level(logging.INFO):
        build_site(config_file, strict=True)
    assert warnings(caplog) == []
    assert any("TD101" in r.getMessage() for r in caplog.records if r.levelno == logging.INFO)


def test_anchor_validation_sees_our_ids(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """MkDocs's anchor check uses our ids: a link to a missing anchor is reported, a present one is not."""
    config_file = write_site(
        tmp_path,
        {
            "index.md": "# Home\n\n[ok](other.md#there) [bad](other.md#nowhere)\n",
            "other.md": "# Other\n\n## There\n{: #there}\n",
        },
    )
    with caplog.at_level(logging.INFO):
        build_site(config_file)
    messages = [r.getMessage() for r in caplog.records]
    assert any("#nowhere" in m for m in messages), messages
    assert not any("#there" in m for m in messages), messages


def test_import_pages(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """An imported page is built from its source; diagnostics name the source; a missing one is a placeholder."""
    source = tmp_path / "elsewhere" / "real.md"
    source.parent.mkdir()
    source.write_text("# Imported\n\nText {{site.data.keyword.no_such_product}}.\n", encoding="utf-8")
    config_file = write_site(
        tmp_path,
        {"index.md": "# Home\n\n[imported](ex/real.md) [missing](ex/missing.md)\n"},
        {
            **NO_TROUBLESHOOTER,
            "import_pages": {"ex/real.md": "elsewhere/real.md", "ex/missing.md": "elsewhere/missing.md"},
        },
    )
    with caplog.at_level(logging.WARNING):
        build_site(config_file)
    found = warnings(caplog)
    assert any(w.endswith("no_such_product'") and "elsewhere/real.md:3: [TD101]" in w for w in found), found
    assert any("elsewhere/missing.md" in w and "placeholder" in w for w in found), found
    real = soup(tmp_path, "ex/real.html").select_one("article h1")
    assert real is not None and real.get_text(strip=True) == "Imported¶"  # with its permalink
    missing = soup(tmp_path, "ex/missing.html").select_one("article")
    assert missing is not None and "elsewhere/missing.md" in missing.get_text()
    assert not (tmp_path / "docs" / "ex").exists()


def test_repository_files_are_not_copied(tmp_path: Path) -> None:
    """``keyref.yaml`` and ``toc.yaml`` are build inputs, not site files."""
    config_file = write_site(
        tmp_path,
        {
            "index.md": "# Home\n",
            "keyref.yaml": "keyword: {}\n",
            "toc.yaml": "toc: {}\n",
            "notes.txt": "kept\n",
        },
    )
    build_site(config_file, strict=True)
    site = tmp_path / "site"
    assert not (site / "keyref.yaml").exists()
    assert not (site / "toc.yaml").exists()
    assert (site / "notes.txt").exists()


def test_disabled_plugin_leaves_mkdocs_alone(tmp_path: Path) -> None:
    """``enabled: false``: Python-Markdown renders the page and the dialect stays literal."""
    config_file = write_site(tmp_path, {"index.md": "# Home\n\nText\n{: .shout}\n"}, {"enabled": False})
    build_site(config_file)
    content = soup(tmp_path, "index.html").select_one("article")
    assert content is not None
    assert "{: .shout}" in content.get_text()


def test_index_written(tmp_path: Path) -> None:
    """A troubleshooting page ends up in the site's index (``SITE_INDEX_PATH``) with its built URL."""
    config_file = write_site(
        tmp_path,
        {
            "index.md": "# Home\n",
            "ts/pods.md": """\
                # Pods
                {: #ts-pods}

                ## Pods stay pending
                {: #pending}
                {: troubleshoot}

                Pods stay in the `Pending` state: 0/3 nodes are available: insufficient cpu.
                {: tsSymptoms}

                No worker node has enough CPU.
                {: tsCauses}

                Add worker nodes.
                {: tsResolve}
                """,
        },
        {"pyodide_url": "https://pyodide.invalid/"},
    )
    build_site(config_file)
    index = json.loads(index_text((tmp_path / "site" / SITE_INDEX_PATH).read_bytes()))
    urls = {entry["url"] for entry in index["entries"]}
    assert "ts/pods.html#pending" in urls


TOC_SITE = {
    "toc.yaml": """\
        toc:
          properties:
            label: Demo
          entries:
          - topic: index.md
          - topicgroup:
              label: Troubleshooting
              topics:
              - ts/pods.md
        """,
    "index.md": "# Home\n",
    "ts/pods.md": """\
        # Pods
        {: #ts-pods}

        ## Pods stay pending
        {: #pending}
        {: troubleshoot}

        Pods stay `Pending`: insufficient cpu.
        {: tsSymptoms}

        Add worker nodes.
        {: tsResolve}
        """,
}


def test_the_troubleshooter_page_is_in_a_toc_yaml_navigation(tmp_path: Path) -> None:
    """A navigation read from ``toc.yaml`` lists only the repository's pages: the plugin adds its own page, and
    every widget links to it."""
    build_site(write_site(tmp_path, TOC_SITE, {"pyodide_url": "https://pyodide.invalid/"}))
    for page in ("index.html", "ts/pods.html", "troubleshooter/index.html"):
        labels = [
            link.get_text(strip=True) for link in soup(tmp_path, page).select("nav.md-nav a.md-nav__link")
        ]
        assert "Troubleshooter" in labels, page
    widget = soup(tmp_path, "ts/pods.html").select_one("[data-troubleshooter]")
    assert widget is not None
    link = widget.select_one("a[data-troubleshooter-page]")
    assert link is not None and link["href"] == "../troubleshooter/index.html"
    assert "data-troubleshooter-preload" not in widget.attrs


def test_the_troubleshooter_page_preloads_and_says_it_needs_javascript(tmp_path: Path) -> None:
    build_site(write_site(tmp_path, TOC_SITE, {"pyodide_url": "https://pyodide.invalid/"}))
    page = soup(tmp_path, "troubleshooter/index.html")
    widget = page.select_one("article [data-troubleshooter][data-troubleshooter-preload]")
    assert widget is not None
    assert widget.select_one("a[data-troubleshooter-page]") is None  # no link to the page itself
    noscript = widget.select_one("noscript")
    assert noscript is not None and noscript.get_text(strip=True) == "The troubleshooter needs JavaScript."
    # The widget follows the lead paragraph, which holds the words readers search for.
    lead = widget.find_previous_sibling("p")
    assert lead is not None and "troubleshoot" in lead.get_text() and "error" in lead.get_text()


def test_a_nav_that_names_the_troubleshooter_page_is_kept(tmp_path: Path) -> None:
    config_file = write_site(tmp_path, {"index.md": "# Home\n"}, {"pyodide_url": "https://pyodide.invalid/"})
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["nav"] = [{"Help": "troubleshooter/index.md"}, "index.md"]
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    built = build_site(config_file)
    assert built.nav == [{"Help": "troubleshooter/index.md"}, "index.md"]


# -- URL rewriting (MkDocs-free) -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<a href="a.md">x</a>', '<a href="A">x</a>'),
        ("<a class='c' href='a.md#p'>x</a>", "<a class='c' href=\"A#p\">x</a>"),
        ("<a href=a.md>x</a>", '<a href="A">x</a>'),
        ('<img alt="a > b" src="i.png">', '<img alt="a > b" src="I">'),
        ('<a title="href=a.md" href="a.md">x</a>', '<a title="href=a.md" href="A">x</a>'),
        ('<a href="q.md?x=1&amp;y=2">x</a>', '<a href="Q&amp;1">x</a>'),
        (
            '<abbr href="a.md">x</abbr> &lt;a href="a.md"&gt;',
            '<abbr href="a.md">x</abbr> &lt;a href="a.md"&gt;',
        ),
        ('<a href="keep.md">x</a>', '<a href="keep.md">x</a>'),
    ],
)
def test_rewrite_urls(html: str, expected: str) -> None:
    """Link and image URLs in Markdown or raw HTML are rewritten; text, other tags and escaped markup are not."""
    table = {"a.md": "A", "a.md#p": "A#p", "i.png": "I", "q.md?x=1&y=2": "Q&1"}
    assert rewrite_urls(html, lambda url: table.get(url, url)) == expected


def test_an_image_that_cannot_be_offered_becomes_its_alt_text() -> None:
    def unavailable(alt: str, src: str, link: bool) -> str:
        return f"[{alt} from {src}{' as a link' if link else ''}]"

    html = (
        '<p><img src="../icons/x.svg" alt="Icon &amp; more"> <img src=\'i.png\'> <a href="../x.md">a</a></p>'
    )
    rewritten = rewrite_urls(html, lambda url: None if url.startswith("..") else url, unavailable)
    assert rewritten == "<p>[Icon & more from ../icons/x.svg] <img src='i.png'> <a href=\"../x.md\">a</a></p>"


def test_media_from_another_host_is_never_loaded() -> None:
    def unavailable(text: str, src: str, link: bool) -> str:
        return f"[{text} from {src}{' as a link' if link else ''}]"

    html = (
        '<iframe title="Tour" src="https://video.example.com/e/1"></iframe><img src="//cdn.example.com/i.png" '
        'alt="Logo"><script src="assets/local.js"></script><video src="clip.mp4"></video>'
    )
    rewritten = rewrite_urls(html, lambda url: url, unavailable)
    assert rewritten == (
        "[Tour from https://video.example.com/e/1 as a link]</iframe>[Logo from //cdn.example.com/i.png]"
        '<script src="assets/local.js"></script><video src="clip.mp4"></video>'
    )
    # Without the callback nothing but links and images is touched.
    assert rewrite_urls(html, lambda url: url) == html


def test_line_of() -> None:
    """The line of a link's first occurrence, 0 when the text is not in the source."""
    assert line_of("a\nb [x](y.md)\n", "y.md") == 2
    assert line_of("a\n", "y.md") == 0


def test_raw_html_links_are_checked(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Links in raw HTML are rewritten and checked like Markdown ones, each problem reported once."""
    config_file = write_site(
        tmp_path,
        {
            "index.md": '# Home\n\n<p><a href="other.md">there</a></p>\n\n<p><img src="gone.png" alt="x"></p>\n',
            "other.md": "# Other\n\n[gone](gone.md)\n",
        },
    )
    with caplog.at_level(logging.WARNING):
        build_site(config_file)
    found = warnings(caplog)
    assert [w for w in found if "index.md:5:" in w and "gone.png" in w], found
    assert len([w for w in found if "gone.md" in w]) == 1, found
    there = soup(tmp_path, "index.html").find("a", string="there")
    assert there is not None and there["href"] == "other.html"


def test_raw_html_images_outside_the_repository_show_their_alt_text(tmp_path: Path) -> None:
    """IBM's shared icons (``../icons/…``) are in no doc set's repository: written in raw HTML or in Markdown, the
    page shows their alt text, not a broken image."""
    config_file = write_site(
        tmp_path,
        {
            "index.md": '# Home\n\nSee <img src="../icons/launch-glyph.svg" alt="External link icon"> and ![Menu](../icons/menu.svg).\n'
        },
    )
    build_site(config_file, strict=True)
    page = soup(tmp_path, "index.html")
    assert page.select("article img") == []
    shown = [span.get_text() for span in page.select("span.td-unavailable-image")]
    assert shown == ["External link icon", "Menu"]


def test_project_docs_build_strict(seed_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The project's own site (mkdocs.yml, with the seed page imported from ../shared) builds with --strict."""
    config = load_config(str(REPO / "mkdocs.yml"), site_dir=str(tmp_path / "site"), strict=True)
    with caplog.at_level(logging.WARNING):
        build(config)
    assert warnings(caplog) == []
    assert (tmp_path / "site" / "worker-nodes.html").is_file()
    assert not (REPO / "docs" / "worker-nodes.md").exists()


def test_line_finder_finds_urls_in_document_order_in_one_pass() -> None:
    source = "a [x](one.md)\nb\n[y](two.md) [z](one.md)\n<a href='three.html'>\n"
    find = LineFinder(source)
    assert [find("one.md"), find("two.md"), find("one.md"), find("three.html")] == [1, 3, 3, 4]
    assert find("one.md") == 1  # asked out of order: the first occurrence, as line_of says
    assert find("nowhere") == 0


def test_the_theme_web_fonts_are_turned_off(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A user's ``mkdocs.yml`` without ``font: false`` still builds a site that loads no Google Fonts."""
    config_file = write_site(tmp_path, {"index.md": "# Home\n\nText.\n"})
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["theme"] = {"name": "material"}
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    with caplog.at_level(logging.INFO):
        build_site(config_file, strict=True)
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in page and "fonts.gstatic.com" not in page
    assert any("web fonts" in r.getMessage() for r in caplog.records)
