"""The theme's pages as the plugin renders them (Material's navigation written by Python, page templates rendered
by worker processes) against Material rendering them itself, one page after the other: every element, attribute
and word of every page must be the same. Only blank space between elements may differ."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
import json
from pathlib import Path
import re
import textwrap
from typing import Any

from bs4 import BeautifulSoup, NavigableString, Tag
from mkdocs.commands.build import build
from mkdocs.config import load_config
import pytest
from troubledocs.material import theme_nav
from troubledocs.material.compressed_search import read_search_index
from troubledocs.material.theme_pages import ThemePages
from troubledocs.repository.prerender import MIN_PAGES
import yaml

from tests.conftest import shared_path

Node = tuple[str, tuple[tuple[str, str], ...], tuple[Any, ...]] | str


def normalized(node: Tag | NavigableString) -> Node | None:
    """An element as (name, attributes, children) with text whitespace collapsed and blank text dropped."""
    if isinstance(node, NavigableString):
        text = re.sub(r"\s+", " ", str(node)).strip()
        return text or None
    attrs = tuple(
        sorted(
            (key, " ".join(value) if isinstance(value, list) else value) for key, value in node.attrs.items()
        )
    )
    children = (normalized(child) for child in node.children if isinstance(child, Tag | NavigableString))
    return (node.name, attrs, tuple(child for child in children if child is not None))


def page_tree(path: Path) -> Node | None:
    html = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").html
    assert html is not None, path
    return normalized(html)


def differences(ours: Path, theirs: Path) -> Iterator[str]:
    pages = sorted(path.relative_to(theirs) for path in theirs.rglob("*.html"))
    assert pages and sorted(path.relative_to(ours) for path in ours.rglob("*.html")) == pages
    for page in pages:
        if page_tree(ours / page) != page_tree(theirs / page):
            yield str(page)


@contextmanager
def material_alone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Builds in this context render every page with Material's own templates, one after the other."""
    with monkeypatch.context() as patch:
        patch.setattr(theme_nav, "install", lambda *args: False)
        patch.setattr(ThemePages, "start", lambda *args: None)
        yield


def site(root: Path, settings: dict[str, Any], pages: int = MIN_PAGES + 6) -> Path:
    """A site of ``pages`` pages in nested sections (an index page, a link, an empty section, pages without
    headings) with the theme ``settings``; returns its config file."""
    docs = root / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n\nWelcome.\n", encoding="utf-8")
    sections: list[Any] = []
    for number in range(pages):
        group, name = f"part{number % 4}", f"page{number}"
        path = docs / group / (f"{name}.md" if number >= 4 else "index.md")
        path.parent.mkdir(exist_ok=True)
        body = f"# Page {number}\n\nText {number}.\n"
        if number % 3:
            body += (
                f"\n## Part {number} {{: #part-{number}}}\n\nMore.\n\n### Detail\n\nDetails <b>&amp;</b>.\n"
            )
        path.write_text(body, encoding="utf-8")
    for group in range(4):
        entries = sorted(str(p.relative_to(docs)) for p in (docs / f"part{group}").glob("*.md"))
        half = len(entries) // 2
        sections.append({f"Part {group}": [*entries[:half], {f"Deeper {group}": entries[half:]}]})
    nav = ["index.md", *sections, {"Empty": []}, {"Elsewhere": "https://example.com/"}]
    config = {
        "site_name": "Nav & <Test>",
        "site_dir": str(root / "site"),
        "use_directory_urls": False,
        "nav": nav,
        "theme": {"name": "material", "font": False, **settings.pop("theme", {})},
        "plugins": ["search", {"troubledocs": {"troubleshooter": False}}],
        **settings,
    }
    config_file = root / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    return config_file


FEATURES = {
    "troubledocs": ["navigation.prune", "navigation.footer", "navigation.top", "toc.follow"],
    "tabs-sections-indexes": ["navigation.tabs", "navigation.sections", "navigation.indexes"],
    "sections-indexes-pruned": ["navigation.sections", "navigation.indexes", "navigation.prune"],
    "expand-integrated": ["navigation.expand", "toc.integrate"],
}


@pytest.mark.parametrize("features", FEATURES.values(), ids=FEATURES.keys())
def test_pages_are_the_pages_material_renders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, features: list[str]
) -> None:
    settings: dict[str, Any] = {"theme": {"features": features}}
    if "toc.integrate" in features:
        settings |= {
            "repo_url": "https://github.com/example/docs",
            "extra": {"homepage": "https://example.com"},
        }

    ours = site(tmp_path / "ours", json.loads(json.dumps(settings)))
    build(load_config(str(ours)))
    theirs = site(tmp_path / "theirs", json.loads(json.dumps(settings)))
    with material_alone(monkeypatch):
        build(load_config(str(theirs)))
    assert list(differences(ours.parent / "site", theirs.parent / "site")) == []
    # The search index gets each page once, in the same order.
    assert read_search_index(ours.parent / "site") == read_search_index(theirs.parent / "site")


@pytest.mark.parametrize("theme", ["mkdocs", "readthedocs"])
def test_other_themes_get_the_pages_they_render_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, theme: str
) -> None:
    """The templates of MkDocs's own themes, rendered ahead, too; their search keeps its index uncompressed (only
    Material's worker can unpack it)."""
    ours = site(tmp_path / "ours", {"theme": {"name": theme}})
    build(load_config(str(ours)))
    theirs = site(tmp_path / "theirs", {"theme": {"name": theme}})
    with material_alone(monkeypatch):
        build(load_config(str(theirs)))
    assert list(differences(ours.parent / "site", theirs.parent / "site")) == []
    index = json.loads((ours.parent / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert len(index["docs"]) > MIN_PAGES
    assert not (ours.parent / "site" / "search" / "search_index.json.gz").exists()


def test_material_renders_what_python_does_not_reproduce(tmp_path: Path) -> None:
    """A navigation item with an icon (page metadata), and a theme override of ``nav-item.html``, keep the
    theme's own template."""
    config_file = site(tmp_path, {"theme": {"features": ["navigation.prune"]}})
    page = tmp_path / "docs" / "part1" / "page5.md"
    page.write_text("---\nicon: material/home\n---\n" + page.read_text(encoding="utf-8"), encoding="utf-8")
    build(load_config(str(config_file)))
    html = (tmp_path / "site" / "part1" / "page5.html").read_text(encoding="utf-8")
    nav = BeautifulSoup(html, "html.parser").select_one("nav.md-nav--primary a.md-nav__link--active")
    assert nav is not None and nav.find("svg") is not None, "the icon Material prints is missing"

    overrides = tmp_path / "overrides" / "partials"
    overrides.mkdir(parents=True)
    overrides.joinpath("nav-item.html").write_text(
        "{% macro render(nav_item, path, level, parent) %}<li>custom {{ nav_item.title }}</li>{% endmacro %}",
        encoding="utf-8",
    )
    settings = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    settings["theme"]["custom_dir"] = str(tmp_path / "overrides")
    config_file.write_text(yaml.safe_dump(settings), encoding="utf-8")
    build(load_config(str(config_file)))
    assert "<li>custom Home</li>" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def test_a_plugin_that_changes_the_context_gets_pages_in_order(tmp_path: Path) -> None:
    """A hook's ``on_page_context`` (not one known to be safe in another process) sees every page in the main
    process, in order: the templates are not rendered ahead."""
    config_file = site(tmp_path, {"theme": {"features": ["navigation.prune"]}})
    hooks = tmp_path / "hooks.py"
    hooks.write_text(
        textwrap.dedent(
            """
            seen = []

            def on_page_context(context, page, config, nav):
                seen.append(page.file.src_uri)
                page.content += f'<p class="order">{len(seen)}</p>'
                return context
            """
        ),
        encoding="utf-8",
    )
    settings = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    settings["hooks"] = [str(hooks)]
    config_file.write_text(yaml.safe_dump(settings), encoding="utf-8")
    build(load_config(str(config_file)))
    pages = sorted(page for page in (tmp_path / "site").rglob("*.html") if page.name != "404.html")
    orders = [
        BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("p.order") for page in pages
    ]
    numbers = sorted(int(found[0].text) for found in orders if found)
    assert numbers == list(range(1, len(pages) + 1))


def test_the_openshift_navigation_is_materials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every page of a real repository, built by ``troubledocs build``."""
    from troubledocs.cli import main

    source = shared_path("corpus/openshift")
    assert main(["build", str(source), "-o", str(tmp_path / "ours"), "-q"]) == 0
    with material_alone(monkeypatch):
        assert main(["build", str(source), "-o", str(tmp_path / "theirs"), "-q"]) == 0
    assert list(differences(tmp_path / "ours", tmp_path / "theirs")) == []


@pytest.mark.parametrize(("setting", "ahead"), [("exclude_docs", True), ("draft_docs", False)])
def test_templates_render_ahead_beside_excluded_files_not_drafts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str, ahead: bool
) -> None:
    """An excluded file (a README beside ``index.md``, say) is in no build and leaves the templates rendered
    ahead; a draft, which ``mkdocs serve`` lists, keeps them in the main process."""
    from troubledocs.material import theme_pages

    started: list[bool] = []

    def spy(*args: Any, **kwargs: Any) -> Any:
        result = run_ahead(*args, **kwargs)
        started.append(result.running)
        return result

    run_ahead = theme_pages.run_ahead
    monkeypatch.setattr(theme_pages, "run_ahead", spy)
    config_file = site(tmp_path, {setting: "notes.md\n"})
    (tmp_path / "docs" / "notes.md").write_text("# Notes\n", encoding="utf-8")
    build(load_config(str(config_file)))
    assert started == ([True] if ahead else [])
    assert (tmp_path / "site" / "part1" / "page5.html").is_file()
