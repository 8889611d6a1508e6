"""``troubledocs serve``: a saved page is built again alone (with the pages that include it), any other change
builds the whole site, and stopping the server prints no traceback."""

from __future__ import annotations

from collections.abc import Iterator
import contextlib
import json
from pathlib import Path
import re
import signal
import socket
import subprocess
import sys
import time
from typing import Any
import urllib.request

import pytest
from troubledocs.repository.prerender import MIN_PAGES

TIMEOUT = 120.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def make_repository(root: Path) -> None:
    """Enough pages that the build renders in worker processes (which ``serve`` once made print tracebacks)."""
    for number in range(MIN_PAGES + 5):
        (root / f"p{number}.md").write_text(
            f"# Page {number}\n{{: #topic-{number}}}\n\nBody of page {number}.\n", encoding="utf-8"
        )
    (root / "shared.md").write_text("# Shared\n{: #shared}\n\nShared words.\n{: #words}\n", encoding="utf-8")
    (root / "user.md").write_text("# User\n{: #user}\n\n{{shared.md#words}}\n", encoding="utf-8")
    (root / "index.md").write_text("# Home\n\nSee [page 1](/docs/demo?topic=topic-1).\n", encoding="utf-8")


class Server:
    def __init__(self, process: subprocess.Popen[str], log: Path, port: int) -> None:
        self.process = process
        self.log = log
        self.port = port

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def wait_for(self, pattern: str, after: int = 0) -> str:
        """The log from ``after`` on, once it matches ``pattern``."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            text = self.text()[after:]
            if re.search(pattern, text):
                return text
            assert self.process.poll() is None, self.text()
            time.sleep(0.1)
        raise AssertionError(f"no {pattern!r} in:\n{self.text()}")

    def page(self, name: str) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{name}", timeout=10) as answer:
            body: bytes = answer.read()
            return body.decode("utf-8")

    def save(self, path: Path, text: str) -> int:
        """Write ``path`` and return where the log stood."""
        at = len(self.text())
        path.write_text(text, encoding="utf-8")
        return at


@contextlib.contextmanager
def serving(src: Path, tmp_path: Path) -> Iterator[Server]:
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "troubledocs", "serve", str(src), "-a", f"127.0.0.1:{port}"],
            stdout=sink,
            stderr=subprocess.STDOUT,
            text=True,
        )
    server = Server(process, log, port)
    try:
        server.wait_for(r"Serving on")
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=TIMEOUT)


def test_serve_builds_a_saved_page_alone(tmp_path: Path) -> None:
    src = tmp_path / "docs"
    src.mkdir()
    make_repository(src)
    with serving(src, tmp_path) as server:
        assert "Body of page 3." in server.page("p3.html")
        at = server.save(src / "p3.md", "# Page 3\n{: #topic-3}\n\nA new body.\n")
        log = server.wait_for(r"Rebuilt p3\.md in", at)
        assert "Documentation built" not in log
        assert "A new body." in server.page("p3.html")

        # A page that another one includes: both are built again.
        at = server.save(src / "shared.md", "# Shared\n{: #shared}\n\nOther words.\n{: #words}\n")
        server.wait_for(r"Rebuilt shared\.md, user\.md in", at)
        assert "Other words." in server.page("user.html")

        # A new topic id: links on other pages go elsewhere, so the whole site is built.
        at = server.save(src / "p1.md", "# Page 1\n{: #renamed}\n\nBody of page 1.\n")
        log = server.wait_for(r"Documentation built", at)
        assert "Rebuilt" not in log
    assert server.process.returncode == 0
    assert "Traceback" not in server.text(), server.text()


@pytest.mark.parametrize("change", ["new page", "toc"])
def test_serve_builds_everything_for_other_changes(tmp_path: Path, change: str) -> None:
    src = tmp_path / "docs"
    src.mkdir()
    make_repository(src)
    with serving(src, tmp_path) as server:
        if change == "new page":
            at = server.save(src / "new.md", "# New\n\nA new page.\n")
        else:
            at = server.save(
                src / "toc.yaml", "toc:\n  properties:\n    subcollection: demo\n  entries: []\n"
            )
        log = server.wait_for(r"Documentation built", at)
        assert "Rebuilt" not in log
        if change == "new page":
            assert "A new page." in server.page("new.html")


def _built(src: Path, folder: Path) -> Any:
    """The loaded configuration of ``src`` built into ``folder/site`` as ``troubledocs serve`` builds it."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from troubledocs.mkdocs_adapter.generated_config import default_config, write_config
    from troubledocs.repository.model import Repository

    folder.mkdir()
    settings = default_config(Repository.open(src), folder / "site")
    config = load_config(str(write_config(settings, folder)))
    build(config)
    return config


def test_a_rebuilt_page_refreshes_the_search_index(tmp_path: Path) -> None:
    """After a page is built again alone, the search index is the one a full build of the new text writes: the
    page's new sections in its place, none of the old ones."""
    from troubledocs.material.compressed_search import read_search_index

    src = tmp_path / "docs"
    src.mkdir()
    make_repository(src)
    (src / "p3.md").write_text("# Page 3\n{: #topic-3}\n\n## Old part\n\nOld words.\n", encoding="utf-8")
    config = _built(src, tmp_path / "serve")
    plugin = config.plugins["troubledocs"]
    assert "Old words" in (read_search_index(tmp_path / "serve" / "site") or "")

    (src / "p3.md").write_text(
        "# Page 3\n{: #topic-3}\n\nFresh words.\n\n## New part\n\nMore fresh words.\n", encoding="utf-8"
    )
    assert plugin.rebuild_pages(config, {"p3.md"}) == ["p3.md"]
    plugin.after_rebuild(config)
    plugin.search_written()
    config.plugins.on_shutdown()
    rebuilt = read_search_index(tmp_path / "serve" / "site")
    _built(src, tmp_path / "full")
    fresh = read_search_index(tmp_path / "full" / "site")
    assert rebuilt is not None and "More fresh words" in rebuilt and "Old words" not in rebuilt
    assert json.loads(rebuilt) == json.loads(fresh or "")
