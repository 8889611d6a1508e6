"""The matcher on the development set, against the containers corpus with the openshift fallback.

Quality floors from the issue (top-1 ≥ 0.90, top-3 ≥ 0.97 on labelled items, ≥ 0.85 "no confident match" on
uncovered ones); ``bench/match.py`` prints the full table and the latency.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from troubledocs.repository.index import dumps_index, index_folder

from tests.conftest import shared_path
from troubleshooter import Matcher

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def dev_index() -> dict[str, Any]:
    corpus = shared_path("corpus")
    return index_folder(corpus / "containers", fallback=corpus / "openshift")


@pytest.fixture(scope="module")
def dev_set() -> list[dict[str, Any]]:
    text = shared_path("eval", "dev.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_every_label_is_a_section_of_the_index(
    dev_index: dict[str, Any], dev_set: list[dict[str, Any]]
) -> None:
    keys = {f"{e['page']}#{e['anchor']}" for e in dev_index["entries"]}
    missing = {label for item in dev_set for label in item["expected"] if label not in keys}
    assert not missing


def test_quality_floors(dev_index: dict[str, Any], dev_set: list[dict[str, Any]]) -> None:
    matcher = Matcher.from_json(dumps_index(dev_index))
    top1 = top3 = labelled = declined = uncovered = 0
    for item in dev_set:
        answer = matcher.match(item["query"], top=3)
        keys = [f"{m.section.page}#{m.section.anchor}" for m in answer.matches]
        if item["expected"]:
            labelled += 1
            top1 += bool(keys) and keys[0] in item["expected"]
            top3 += any(k in item["expected"] for k in keys)
        else:
            uncovered += 1
            declined += not answer.confident
    assert top1 / labelled >= 0.90
    assert top3 / labelled >= 0.97
    assert declined / uncovered >= 0.85
