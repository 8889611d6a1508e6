"""What the build writes for Material's search on ``file://`` pages (the browser side is tests/browser)."""

from __future__ import annotations

import json
from pathlib import Path
from shutil import which
import subprocess

import pytest
from troubledocs.material.compressed_search import compress_search_index
from troubledocs.material.file_search import embedded_worker, write_file_search

INDEX = {"config": {"lang": ["en"], "separator": "[\\s\\-]+"}, "docs": [{"location": "a.html", "text": "x"}]}
WORKER = 'self.onmessage = (e) => postMessage(`"${e.data}" </script>\\u2028`);\n'


def _site(tmp_path: Path) -> Path:
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "search_index.json").write_text(json.dumps(INDEX), encoding="utf-8")
    workers = tmp_path / "assets" / "javascripts" / "workers"
    workers.mkdir(parents=True)
    (workers / "search.1234.min.js").write_text(WORKER, encoding="utf-8")
    return tmp_path


def _node() -> str:
    node = which("node") or which("nodejs")
    if node is None:
        pytest.skip("node is absent: it checks that the written scripts evaluate")
    return node


def _evaluate(script: str, expression: str) -> object:
    """Run ``script`` as a classic script in node, with a ``document.currentScript``, and return ``expression``."""
    program = (
        "globalThis.document = {currentScript: {src: 'file:///site/w.embedded.js'}, querySelectorAll: () => []};\n"
        f"{script}\nconsole.log(JSON.stringify({expression}));\n"
    )
    result = subprocess.run([_node()], input=program, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def test_the_embedded_worker_holds_the_source_under_its_own_url() -> None:
    sources = _evaluate(embedded_worker(WORKER), "globalThis.troubledocsWorkerSources")
    assert sources == {"file:///site/w.embedded.js": WORKER}


@pytest.mark.parametrize("compressed", [False, True])
@pytest.mark.parametrize("full_index", [True, False])
def test_write_file_search(tmp_path: Path, full_index: bool, compressed: bool) -> None:
    site = _site(tmp_path)
    # Compressed, search_index.json keeps the configuration and the documents are in search_index.json.gz.
    if compressed:
        assert compress_search_index(site)
        assert json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"] == []
    write_file_search(site, full_index=full_index)
    embedded = site / "assets" / "javascripts" / "workers" / "search.1234.min.embedded.js"
    worker = embedded.with_name("search.1234.min.js").read_text(encoding="utf-8")
    assert worker.endswith(WORKER) and embedded.read_text(encoding="utf-8") == embedded_worker(worker)
    script = (site / "search" / "search_index.js").read_text(encoding="utf-8")
    index = _evaluate(script, "__index")
    if full_index:
        assert index == INDEX
    else:
        assert index == {"config": INDEX["config"], "docs": []}
        assert "Search does not work when this site is opened from a file" in script
    # Writing again (``mkdocs serve`` rebuilds) does not embed the embedded script.
    write_file_search(site, full_index=full_index)
    assert sorted(p.name for p in embedded.parent.iterdir()) == [
        "search.1234.min.embedded.js",
        "search.1234.min.js",
    ]


def test_a_site_without_search_gets_only_the_workers(tmp_path: Path) -> None:
    write_file_search(tmp_path, full_index=True)
    assert not (tmp_path / "search").exists()
