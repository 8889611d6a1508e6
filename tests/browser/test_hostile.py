"""A repository full of injection attempts (``tests/hostile_repo.py``), built and loaded page by page in Chromium,
with and without the strict Content-Security-Policy: no authored script may run.

Every payload calls ``alert()``. A dialog from any frame, an ``alert`` call in the page, an event-handler attribute
or a ``javascript:`` link left in the DOM fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from browser_harness import LEFT_IN_DOM_JS, RECORD_JS, LocalServer, ScriptWatch, Tab, build_site, serve
import pytest
from troubledocs.material.csp import POLICY

from tests.hostile_repo import write_hostile_repo

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = write_hostile_repo(tmp_path_factory.mktemp("hostile") / "src")
    return build_site(src, src.parent / "site")


@pytest.fixture(scope="module", params=["with CSP", "without CSP"])
def hostile_server(request: pytest.FixtureRequest, hostile_site: Path) -> Iterator[LocalServer]:
    headers = {"Content-Security-Policy": POLICY} if request.param == "with CSP" else {}
    with serve(hostile_site, headers) as server:
        yield server


def test_no_authored_script_runs(browser: Any, hostile_server: LocalServer, hostile_site: Path) -> None:
    tab = Tab(browser, hostile_server.origin)
    watch = ScriptWatch(tab)
    pages = sorted(hostile_site.glob("*.html"))
    assert len(pages) > 10
    ran: dict[str, list[str]] = {}
    for page in pages:
        found = watch.load(f"{hostile_server.origin}/{page.name}")
        if found:
            ran[page.name] = found
    tab.close()
    assert ran == {}


def test_the_oracle_sees_a_script_that_runs(browser: Any, hostile_server: LocalServer) -> None:
    """The recorders above are live: a script the page itself runs is seen."""
    tab = Tab(browser, hostile_server.origin)
    tab.context.add_init_script(RECORD_JS)
    tab.page.goto(f"{hostile_server.origin}/index.html")
    tab.page.evaluate("() => { alert(1); document.body.setAttribute('onclick', 'alert(2)'); }")
    assert tab.page.evaluate("() => window.__ran") == ["1"]
    assert tab.page.evaluate(LEFT_IN_DOM_JS) == ['<body onclick="alert(2)">']
    tab.close()
