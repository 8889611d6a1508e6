"""The plugin route: a user's own ``mkdocs.yml`` (Material without ``font: false``) builds a site whose pages,
troubleshooter included, request nothing outside the site."""

from __future__ import annotations

from pathlib import Path
import subprocess
import sys
from typing import Any

from browser_harness import RESULT, Tab, concrete, index_entries, serve
import pytest
import yaml

from tests.conftest import shared_path

pytestmark = pytest.mark.browser


def test_a_user_config_without_font_false_requests_nothing_outside(
    browser: Any, tmp_path: Path, seed_site: Path
) -> None:
    docs = shared_path("seed")
    config = {
        "site_name": "My docs",
        "docs_dir": str(docs),
        "site_dir": str(tmp_path / "site"),
        "theme": {"name": "material"},  # web fonts on, as Material's default
        "plugins": ["search", "troubledocs"],
    }
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    site = tmp_path / "site"
    entry = next(e for e in index_entries(site) if e.get("errors"))
    with serve(site) as server:
        # Requests outside the site are recorded, not blocked, so that the test sees what the page asks for.
        tab = Tab(browser, server.origin, block=False)
        try:
            tab.page.goto(f"{server.origin}/{entry['url'].split('#')[0]}")
            tab.answer(concrete(entry["errors"][0], 3), timeout=90_000)
            assert tab.page.locator(RESULT).count() == 1
            tab.page.goto(f"{server.origin}/troubleshooter/")
            tab.page.wait_for_load_state("networkidle")
            assert not tab.guard.outside, tab.guard.outside
        finally:
            tab.close()
