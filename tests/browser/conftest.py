"""Fixtures of the browser tests: one seed site built per session, served on 127.0.0.1, one Chromium.

Every page gets a :class:`NetworkGuard`: a request outside the local server is blocked and fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
import shutil
from typing import Any

from browser_harness import CHROMIUM, WIDGET, Tab, build_site, launch, serve
import pytest

from tests.conftest import shared_path


def _require_browser() -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium package")
    if shutil.which("npm") is None:
        from troubledocs.browser.pyodide_dist import PYODIDE_VERSION, cache_dir

        if not (cache_dir() / "pyodide.asm.wasm").exists():
            pytest.skip(f"npm is absent and Pyodide {PYODIDE_VERSION} is not cached in {cache_dir()}")


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed page built by ``troubledocs build``."""
    _require_browser()
    seed = shared_path("seed")
    return build_site(seed, tmp_path_factory.mktemp("seed") / "site")


@pytest.fixture(scope="session")
def embedded_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed page built with ``embed_runtime: true`` (the troubleshooter works from ``file://``)."""
    _require_browser()
    seed = shared_path("seed")
    return build_site(seed, tmp_path_factory.mktemp("embedded") / "site", embed_runtime=True)


@pytest.fixture(scope="session")
def origin(seed_site: Path) -> Iterator[str]:
    """``http://127.0.0.1:PORT`` serving the seed site."""
    with serve(seed_site) as server:
        yield server.origin


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def tab(browser: Any, origin: str) -> Iterator[Tab]:
    """A fresh context on the served seed site; fails when the page requested anything outside it."""
    opened = Tab(browser, origin)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def ready_tab(browser: Any, origin: str) -> Iterator[Tab]:
    """The ``troubleshooter/`` page with the runtime booted, shared by a module's tests.

    Nothing is focused: the dedicated page preloads the runtime when idle.
    """
    opened = Tab(browser, origin)
    opened.page.goto(f"{origin}/troubleshooter/")
    opened.page.wait_for_selector(f"{WIDGET}[data-state=ready]", timeout=90_000)
    yield opened
    opened.close()
