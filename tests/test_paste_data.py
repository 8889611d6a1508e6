"""The real-paste data set (``tests/data/pastes``): well-formed, split by its rule, every label a real heading.

The labels name a troubleshooting section of a shared corpus or of a pinned snapshot of another public docs
repository (``corpus`` field, ``ibm-cloud-docs/NAME@COMMIT``); those checks read ``../shared`` or the folder of
snapshots named by ``$TROUBLEDOCS_SNAPSHOTS`` and skip with the reason when it is absent. See
``tests/data/pastes/README.md``.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
import re
from typing import Any

import pytest

from tests.conftest import shared_path

PASTES = Path(__file__).resolve().parent / "data" / "pastes"
PARTS = ("tune", "frozen", "external-tune", "external-frozen")
FIELDS = {"id", "query", "source", "expected", "section_title", "notes", "corpus", "kind"}
KINDS = {"real-ibm", "real-generic", "prose", "uncovered"}
CORPORA = {"openshift", "containers", "cloud-logs", "secrets-manager"}
SNAPSHOT = re.compile(r"ibm-cloud-docs/([\w.-]+)@([0-9a-f]{40})")
HEADING_ID = re.compile(r"\{:\s*#([^\s}]+)\s*\}")


def read_part(name: str) -> list[dict[str, Any]]:
    text = (PASTES / f"{name}.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def all_items() -> list[tuple[str, dict[str, Any]]]:
    return [(part, item) for part in PARTS for item in read_part(part)]


def corpus_root(corpus: str) -> Path:
    """The folder a ``corpus`` field names: a shared corpus, or a snapshot under ``$TROUBLEDOCS_SNAPSHOTS``."""
    snapshot = SNAPSHOT.fullmatch(corpus)
    if not snapshot:
        return shared_path("corpus", corpus)
    folder = os.environ.get("TROUBLEDOCS_SNAPSHOTS")
    if not folder or not (Path(folder) / snapshot.group(1)).is_dir():
        pytest.skip(f"no snapshot of {corpus}: set TROUBLEDOCS_SNAPSHOTS (tests/data/pastes/README.md)")
    commit = Path(folder) / f"{snapshot.group(1)}.sha"
    if commit.is_file():
        assert commit.read_text(encoding="utf-8").strip() == snapshot.group(2), f"{commit} is another commit"
    return Path(folder) / snapshot.group(1)


def frozen_by_rule(source: str) -> bool:
    """The split rule, fixed before any matcher result was seen: first byte of sha256(source) < 102 (~40 %)."""
    return hashlib.sha256(source.encode("utf-8")).digest()[0] < 102


def headings(markdown: Path) -> dict[str, str]:
    """Map each heading id (`{: #id}` on the lines right after a heading) to the heading text."""
    found: dict[str, str] = {}
    lines = markdown.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if not line.startswith("#"):
            continue
        for following in lines[number + 1 :]:
            if not following.strip().startswith("{:"):
                break
            match = HEADING_ID.fullmatch(following.strip())
            if match:
                found[match.group(1)] = line.lstrip("#").strip()
    return found


def test_every_line_is_a_complete_item() -> None:
    items = all_items()
    assert items, "no paste items"
    for part, item in items:
        where = f"{part}:{item.get('id')}"
        assert set(item) == FIELDS, where
        assert item["kind"] in KINDS, where
        assert item["corpus"] in CORPORA or SNAPSHOT.fullmatch(item["corpus"]), where
        assert bool(SNAPSHOT.fullmatch(item["corpus"])) == part.startswith("external"), where
        assert item["source"].startswith("https://github.com/"), where
        assert item["query"].strip(), where
        assert len(item["query"].splitlines()) <= 15, where
        assert item["notes"].startswith(("context: IBM", "context: generic")), where
        assert (item["kind"] == "uncovered") == (item["expected"] == []), where
        assert (item["section_title"] is None) == (item["expected"] == []), where


def test_ids_and_sources_are_unique() -> None:
    items = [item for _, item in all_items()]
    ids = [item["id"] for item in items]
    sources = [item["source"] for item in items]
    assert len(set(ids)) == len(ids)
    assert len(set(sources)) == len(sources)


def test_each_item_sits_in_the_part_its_rule_gives() -> None:
    for part, item in all_items():
        assert part.endswith("frozen") == frozen_by_rule(item["source"]), item["id"]


def test_no_source_of_the_public_dev_set() -> None:
    dev = shared_path("eval", "dev.jsonl").read_text(encoding="utf-8")
    dev_sources = {json.loads(line)["source"] for line in dev.splitlines() if line.strip()}
    assert not {item["source"] for _, item in all_items()} & dev_sources


@pytest.mark.parametrize("part", PARTS)
def test_every_label_is_a_heading_of_its_corpus(part: str) -> None:
    for item in read_part(part):
        root = corpus_root(item["corpus"])
        for label in item["expected"]:
            file, _, anchor = label.partition("#")
            page = root / file
            assert page.is_file(), f"{item['id']}: {label} has no page in {item['corpus']}"
            ids = headings(page)
            assert anchor in ids, f"{item['id']}: {label} is no heading id of {item['corpus']}"
        if item["expected"]:
            file, _, anchor = item["expected"][0].partition("#")
            assert headings(root / file)[anchor] == item["section_title"], item["id"]
