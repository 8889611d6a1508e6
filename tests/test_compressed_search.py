"""The compressed search index: what the build writes, and the worker prelude run in Node against a fake worker
scope (the real worker in Chromium is in tests/browser/test_search_from_file.py)."""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path
from shutil import which
import subprocess

import pytest
from troubledocs.material.compressed_search import (
    COMPRESSED_INDEX,
    compress_search_index,
    read_search_index,
    versioned_worker,
    worker_prelude,
    worker_version,
)
from troubledocs.material.lean import SEARCH_INDEX

CONFIG = {"lang": ["en"], "separator": "[\\s\\-]+"}
DOCS = [{"location": "a.html", "title": "A", "text": "cluster — ünïcode"}]
WORKER = "addEventListener('message', (e) => postMessage(e.data));\n"
WORKER_PATH = "assets/javascripts/workers/search.1234.min.js"


def _site(tmp_path: Path, docs: list[dict[str, str]]) -> Path:
    (tmp_path / "search").mkdir()
    (tmp_path / SEARCH_INDEX).write_text(json.dumps({"config": CONFIG, "docs": docs}), encoding="utf-8")
    worker = tmp_path / WORKER_PATH
    worker.parent.mkdir(parents=True)
    worker.write_text(WORKER, encoding="utf-8")
    (worker.parent / "search.1234.min.embedded.js").write_text("not a worker", encoding="utf-8")
    return tmp_path


def test_the_documents_move_to_a_reproducible_gzip_file(tmp_path: Path) -> None:
    site = _site(tmp_path, DOCS)
    assert compress_search_index(site)
    assert json.loads((site / SEARCH_INDEX).read_text(encoding="utf-8")) == {"config": CONFIG, "docs": []}
    compressed = (site / COMPRESSED_INDEX).read_bytes()
    assert json.loads(gzip.decompress(compressed)) == {"config": CONFIG, "docs": DOCS}
    assert json.loads(read_search_index(site) or "") == {"config": CONFIG, "docs": DOCS}
    worker = (site / WORKER_PATH).read_text(encoding="utf-8")
    assert worker.endswith(WORKER) and '("../../../search/search_index.json.gz");' in worker
    assert (site / WORKER_PATH).with_name("search.1234.min.embedded.js").read_text() == "not a worker"
    # ``mkdocs serve`` rebuilds: Material writes a fresh index; the worker gets the prelude once.
    (site / SEARCH_INDEX).write_text(json.dumps({"config": CONFIG, "docs": DOCS * 2}), encoding="utf-8")
    assert compress_search_index(site)
    assert (site / WORKER_PATH).read_text(encoding="utf-8") == worker
    assert json.loads(gzip.decompress((site / COMPRESSED_INDEX).read_bytes()))["docs"] == DOCS * 2
    # The same index gives the same bytes.
    first = (site / COMPRESSED_INDEX).read_bytes()
    (site / SEARCH_INDEX).write_text(json.dumps({"config": CONFIG, "docs": DOCS * 2}), encoding="utf-8")
    compress_search_index(site)
    assert (site / COMPRESSED_INDEX).read_bytes() == first


def test_nothing_to_compress(tmp_path: Path) -> None:
    assert not compress_search_index(tmp_path)  # no search index at all
    assert read_search_index(tmp_path) is None
    site = _site(tmp_path, [])
    (site / COMPRESSED_INDEX).write_bytes(b"left by an earlier build")
    assert not compress_search_index(site)
    assert not (site / COMPRESSED_INDEX).exists()
    assert (site / WORKER_PATH).read_text(encoding="utf-8") == WORKER
    assert json.loads(read_search_index(site) or "") == {"config": CONFIG, "docs": []}


# A fake worker scope: Material's handler records the messages it gets; ``fetch`` serves FILES (path → bytes
# as base64 and the response's status).
HARNESS = """
const FILES = %(files)s;
const seen = [];
globalThis.self = globalThis;
self.location = { href: "http://site/assets/javascripts/workers/search.1234.min.js" };
const target = new EventTarget();
self.addEventListener = target.addEventListener.bind(target);
self.fetch = async (url) => {
  const file = FILES[new URL(url).pathname];
  if (!file) return new Response("missing", { status: 404 });
  return new Response(Buffer.from(file, "base64"));
};
console.warn = (...args) => seen.push({ warning: String(args[0]) });
%(worker)s
addEventListener("message", async (event) => {
  if (event.data.type === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  seen.push(event.data);
});
const post = (data) => target.dispatchEvent(new MessageEvent("message", { data }));
post({ type: 0, data: { config: { lang: ["en"] }, docs: %(setup_docs)s, options: { suggest: true } } });
post({ type: 2, data: "first query" });
post({ type: 2, data: "second query" });
// Printed once everything the worker started has finished (a fixed wait fails on a loaded machine).
let printed = false;
process.on("beforeExit", () => {
  if (!printed) console.log(JSON.stringify(seen));
  printed = true;
});
"""


def _run_worker(files: dict[str, bytes], setup_docs: list[dict[str, str]]) -> list[dict[str, object]]:
    node = which("node") or which("nodejs")
    if node is None:
        pytest.skip("node is absent: it runs the worker prelude")
    program = HARNESS % {
        "files": json.dumps({path: base64.b64encode(data).decode() for path, data in files.items()}),
        "worker": worker_prelude(),
        "setup_docs": json.dumps(setup_docs),
    }
    result = subprocess.run([node], input=program, capture_output=True, text=True, check=True, timeout=60)
    seen: list[dict[str, object]] = json.loads(result.stdout)
    return seen


INDEX_BYTES = json.dumps({"config": CONFIG, "docs": DOCS}, ensure_ascii=False).encode()
QUERIES = [{"type": 2, "data": "first query"}, {"type": 2, "data": "second query"}]


@pytest.mark.parametrize(
    "served", [gzip.compress(INDEX_BYTES), INDEX_BYTES], ids=["gzip", "decompressed-by-the-server"]
)
def test_the_worker_gets_the_documents_before_the_queries(served: bytes) -> None:
    seen = _run_worker({"/search/search_index.json.gz": served}, [])
    setup = {"type": 0, "data": {"config": {"lang": ["en"]}, "docs": DOCS, "options": {"suggest": True}}}
    assert seen == [setup, *QUERIES]


def test_an_index_that_does_not_load_leaves_the_setup_as_it_is() -> None:
    seen = _run_worker({}, [])
    assert "search_index.json.gz" in str(seen[0]["warning"])
    assert seen[1:] == [
        {"type": 0, "data": {"config": {"lang": ["en"]}, "docs": [], "options": {"suggest": True}}},
        *QUERIES,
    ]


def test_a_setup_that_brings_documents_fetches_nothing() -> None:
    seen = _run_worker({}, DOCS)  # nothing to fetch: a fetch would warn
    assert seen == [
        {"type": 0, "data": {"config": {"lang": ["en"]}, "docs": DOCS, "options": {"suggest": True}}},
        *QUERIES,
    ]


@pytest.mark.parametrize("spacing", ["", " "])
def test_pages_load_the_changed_worker_under_a_new_url(spacing: str) -> None:
    """Material names its worker after the theme's file; the build changed the file, so the URL changes too."""
    config = f'<script id="__config" type="application/json">{{"search":{spacing}"../{WORKER_PATH}","x":1}}</script>'
    versioned = versioned_worker(config)
    assert f'"../{WORKER_PATH}?v={worker_version()}"' in versioned
    assert versioned_worker(versioned) == versioned
    assert versioned_worker('"search":"elsewhere.js"') == '"search":"elsewhere.js"'
