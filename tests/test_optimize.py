"""The Material layer: each optimisation switchable (``optimize:``), each guarded by the fingerprints of what it
imitates (:mod:`troubledocs.material.fingerprints`); switched off or stepping aside, the build makes the same pages."""

from __future__ import annotations

from importlib.metadata import version
import logging
from pathlib import Path
import re
import sys
from typing import Any

from bs4 import BeautifulSoup
import pytest
from troubledocs.material import fingerprints
from troubledocs.material.fingerprints import (
    CHECKED_VERSIONS,
    FINGERPRINTS,
    OPTIMISATIONS,
    Part,
    stepping_aside,
)
from troubledocs.mkdocs_adapter.config import OptimizeConfig
from troubledocs.repository.prerender import MIN_PAGES

from tests.test_plugin import NO_TROUBLESHOOTER, build_site, write_site

_SPACE = re.compile(r"\s+")


def test_the_option_names_every_optimisation() -> None:
    assert set(OptimizeConfig().keys()) == set(OPTIMISATIONS) == set(FINGERPRINTS)


def test_every_optimisation_runs_on_the_checked_versions() -> None:
    installed = {name: version(name) for name in CHECKED_VERSIONS}
    if installed != CHECKED_VERSIONS:
        pytest.skip(f"installed {installed}, the fingerprints are of {CHECKED_VERSIONS}")
    active, message = stepping_aside(OPTIMISATIONS)
    assert active == set(OPTIMISATIONS) and message is None


def test_a_changed_part_makes_its_optimisation_step_aside() -> None:
    table = dict(FINGERPRINTS)
    table["theme_nav"] = (Part("material:templates/partials/nav.html", frozenset({"0" * 64})),)
    table["csp"] = (Part("material:templates/no-such-file.html", FINGERPRINTS["csp"][0].known),)
    active, message = stepping_aside(OPTIMISATIONS, table)
    assert active == set(OPTIMISATIONS) - {"theme_nav", "csp"}
    assert message is not None and "\n" not in message
    assert "csp, theme_nav" in message and "partials/nav.html" in message and "no-such-file.html" in message


def test_fingerprints_are_kept_between_builds_until_the_part_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    module = tmp_path / "fingerprinted_part.py"
    module.write_text("def part():\n    return 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    fingerprints.fingerprint.cache_clear()
    fingerprints._cached.cache_clear()
    first = fingerprints.fingerprint("fingerprinted_part:part")
    assert first is not None and fingerprints.cache_file().is_file()
    # Another build (a new process): the kept fingerprint, without reading the source again.
    fingerprints.fingerprint.cache_clear()
    fingerprints._cached.cache_clear()
    monkeypatch.setattr(fingerprints.inspect, "getsource", lambda found: pytest.fail("read again"))
    assert fingerprints.fingerprint("fingerprinted_part:part") == first
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    module.write_text("def part():\n    return 22\n", encoding="utf-8")
    fingerprints.fingerprint.cache_clear()
    fingerprints._cached.cache_clear()
    sys.modules.pop("fingerprinted_part", None)
    monkeypatch.syspath_prepend(str(tmp_path))
    changed = fingerprints.fingerprint("fingerprinted_part:part")
    assert changed is not None and changed != first
    fingerprints.fingerprint.cache_clear()
    fingerprints._cached.cache_clear()
    sys.modules.pop("fingerprinted_part", None)


# -- whole builds ----------------------------------------------------------------------------------------------


def _pages() -> dict[str, str]:
    """Enough pages for the build to render them, and the theme's templates, in worker processes."""
    pages = {
        f"page-{n}.md": f"# Page {n}\n\nText of page {n}, see [the next](page-{n + 1}.md).\n"
        for n in range(MIN_PAGES)
    }
    pages[f"page-{MIN_PAGES}.md"] = "# Last\n{: #last}\n\n## A section\n{: #section}\n\nSearchable words.\n"
    pages["index.md"] = "# Home\n\n[First](page-0.md)\n"
    return pages


def _build(root: Path, optimize: dict[str, bool]) -> Path:
    options: dict[str, Any] = {**NO_TROUBLESHOOTER, "optimize": optimize}
    build_site(write_site(root, _pages(), options))
    return root / "site"


def _page_views(site: Path) -> dict[str, tuple[str, list[tuple[str, str]]]]:
    """Each built page: its article's text and the links of its primary navigation."""
    views = {}
    for path in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        article = soup.select_one("article")
        nav = soup.select(".md-nav--primary a[href]")
        views[path.relative_to(site).as_posix()] = (
            _SPACE.sub(" ", article.get_text(" ") if article else "").strip(),
            [(str(a["href"]), _SPACE.sub(" ", a.get_text(" ")).strip()) for a in nav],
        )
    return views


@pytest.fixture(scope="module")
def all_on(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("all-on"), {})


@pytest.mark.parametrize("name", OPTIMISATIONS)
def test_switching_one_off_builds_the_same_pages(name: str, all_on: Path, tmp_path: Path) -> None:
    site = _build(tmp_path, {name: False})
    assert _page_views(site) == _page_views(all_on)
    page = (site / "page-1.html").read_text(encoding="utf-8")
    # What the optimisations that change the site's files leave behind when they run, and not when they are off.
    visible = {
        "compressed_search": lambda s: (s / "search" / "search_index.json.gz").is_file(),
        "file_search": lambda s: (s / "assets" / "site" / "file-worker.js").is_file(),
        "csp": lambda s: "<script>" not in (s / "page-1.html").read_text(encoding="utf-8"),
        "lean": lambda s: "\n    " not in (s / "page-1.html").read_text(encoding="utf-8"),
    }
    if name in visible:
        assert visible[name](all_on) and not visible[name](site), page[:500]


def test_a_changed_fingerprint_steps_aside_with_one_info_line(
    tmp_path: Path, all_on: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = dict(FINGERPRINTS)
    table["csp"] = (Part("material:templates/base.html", frozenset({"0" * 64})),)
    monkeypatch.setattr(fingerprints, "FINGERPRINTS", table)
    with caplog.at_level(logging.INFO):
        site = _build(tmp_path, {})
    lines = [r.getMessage() for r in caplog.records if "step aside" in r.getMessage()]
    assert len(lines) == 1 and "csp" in lines[0] and "base.html" in lines[0]
    assert "<script>" in (site / "page-1.html").read_text(encoding="utf-8")
    assert _page_views(site) == _page_views(all_on)
