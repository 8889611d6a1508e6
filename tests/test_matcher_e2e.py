"""End to end: index the seed page with the real renderer, then find each of its error messages again with
concrete values filled in, through the API, ``python -m troubleshooter`` and ``troubledocs match --batch``."""

from __future__ import annotations

import gzip
import itertools
import json
from pathlib import Path
import re
import subprocess
import sys
from typing import Any

import pytest
from troubledocs.keywords import KeywordMap
from troubledocs.renderer import Renderer
from troubledocs.repository.index import build_index, dumps_index

from troubleshooter import Matcher
from troubleshooter.model import SITE_INDEX_PATH
from troubleshooter.terms import informative, tokenize

SEED = "cs_troubleshoot_clusters.md"
_counter = itertools.count(7)


def _value(name: str) -> str:
    """A realistic value for a placeholder, chosen by its name."""
    low = name.lower()
    n = next(_counter)
    if "zone" in low:
        return f"dal1{n % 10}"
    if "region" in low:
        return "eu-de"
    if "id" in low.split("_") or low.endswith("id") or "vlan" in low:
        return f"{2032000 + n}"
    return f"prod-{re.sub(r'[^a-z0-9]+', '-', low).strip('-')}-{n}"


def fill(text: str) -> str:
    """Replace the docs' placeholders with values a reader would have."""
    text = re.sub(r"<([^<>\n]+)>", lambda m: _value(m.group(1)), text)
    text = re.sub(r"#\d{4,}", lambda m: f"#{4000000 + next(_counter)}", text)
    return re.sub(r"'([a-z_]+)'", lambda m: f"'{_value(m.group(1))}'", text)


@pytest.fixture(scope="module")
def seed_index() -> dict[str, Any]:
    from conftest import shared_path

    folder = shared_path("seed")
    page = Renderer(KeywordMap.for_source(folder)).render((folder / SEED).read_text(encoding="utf-8"), SEED)
    return build_index([page])


def _messages(index: dict[str, Any]) -> list[tuple[str, set[str]]]:
    """Each documented message line (two or more informative words) and the sections that document it."""
    owners: dict[str, set[str]] = {}
    for entry in index["entries"]:
        for error in entry.get("errors", []):
            for line in error.splitlines():
                if sum(1 for t in tokenize(line) if informative(t.term)) >= 3:
                    owners.setdefault(line.strip(), set()).add(entry["anchor"])
    return sorted(owners.items())


def test_seed_messages_are_found_with_values_filled_in(seed_index: dict[str, Any]) -> None:
    matcher = Matcher.from_json(dumps_index(seed_index))
    messages = _messages(seed_index)
    assert len(messages) >= 20, "the seed documents its error table and symptom blocks"
    failures = []
    for message, anchors in messages:
        paste = (
            f"$ ibmcloud ks worker get --cluster mycluster\nFAILED\n{fill(message)}\nIncident ID: 1f2e3d4c\n"
        )
        answer = matcher.match(paste, top=3)
        top = answer.matches[0].section.anchor if answer.matches else None
        if top not in anchors or not answer.confident:
            failures.append((message, sorted(anchors), top, answer.confident))
    assert not failures, failures


def test_stored_tables_answer_like_tables_computed_at_load(seed_index: dict[str, Any]) -> None:
    assert "tables" in seed_index
    stored = Matcher.from_json(dumps_index(seed_index))
    computed = Matcher.from_dict({k: v for k, v in seed_index.items() if k != "tables"})
    for message, _ in _messages(seed_index):
        paste = f"FAILED\n{fill(message)}\n"
        assert stored.match(paste).to_dict() == computed.match(paste).to_dict(), message


def test_seed_table_rows_are_in_the_index(seed_index: dict[str, Any]) -> None:
    by_anchor = {e["anchor"]: e for e in seed_index["entries"]}
    table = by_anchor["common_worker_nodes_issues"]["errors"]
    assert "Could not obtain network VLAN with ID: <vlan id>." in table
    assert "'<Provider>' infrastructure request not authorized" in table
    assert (
        by_anchor["common_worker_nodes_issues"]["url"]
        == "cs_troubleshoot_clusters.html#common_worker_nodes_issues"
    )


def test_captures_show_the_readers_values(seed_index: dict[str, Any]) -> None:
    matcher = Matcher.from_json(dumps_index(seed_index))
    answer = matcher.match("FAILED\n'SoftLayer' infrastructure request not authorized\nIncident ID: 42")
    assert answer.confident
    assert answer.matches[0].section.anchor == "common_worker_nodes_issues"
    assert answer.matches[0].captures == {"Provider": "SoftLayer"}
    evidence = answer.matches[0].evidence
    assert [evidence.text[a:b] for a, b in evidence.spans] == ["infrastructure request not authorized"]
    # Both sections that document the VLAN message come first, each with the reader's value.
    answer = matcher.match("Could not obtain network VLAN with ID: 2233445.", top=2)
    assert {m.section.anchor for m in answer.matches} == {"common_worker_nodes_issues", "suspended"}
    assert {v for m in answer.matches for v in m.captures.values()} == {"2233445"}


REPO = Path(__file__).resolve().parent.parent


def _run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], input=stdin, capture_output=True, text=True, check=False, cwd=REPO
    )


def test_matcher_needs_only_the_standard_library(seed_index: dict[str, Any], tmp_path: Path) -> None:
    index_file = tmp_path / "index.json"
    index_file.write_text(dumps_index(seed_index), encoding="utf-8")
    # -S: no site-packages at all, so only the standard library and the repository's own folder.
    result = _run(
        "-S", "-m", "troubleshooter", "--index", str(index_file), "--json", "Could not place order."
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["matches"][0]["anchor"] == "common_worker_nodes_issues"


def test_command_lines(seed_index: dict[str, Any], tmp_path: Path) -> None:
    from conftest import shared_path

    index_file = tmp_path / "index.json"
    built = _run("-m", "troubledocs", "index", str(shared_path("seed")), "-o", str(index_file))
    assert built.returncode == 0, built.stderr
    assert json.loads(index_file.read_text())["entries"] == seed_index["entries"]

    lines = [
        {"id": "a", "query": "FAILED\nThe location provided for this order is invalid."},
        {"id": "b", "query": "helm: another operation (install/upgrade/rollback) is in progress"},
    ]
    stdin = "".join(json.dumps(line) + "\n" for line in lines)
    for command in (("-m", "troubleshooter"), ("-m", "troubledocs", "match")):
        result = _run(*command, "--index", str(index_file), "--batch", "--top", "2", stdin=stdin)
        assert result.returncode == 0, result.stderr
        answers = [json.loads(line) for line in result.stdout.splitlines()]
        assert [a["id"] for a in answers] == ["a", "b"]
        assert set(answers[0]["matches"][0]) == {"page", "anchor", "title", "url", "score", "captures"}
        assert answers[0]["matches"][0]["page"] == SEED
        assert answers[0]["matches"][0]["anchor"] == "common_worker_nodes_issues"
        assert answers[0]["confident"] is True
        assert answers[1]["confident"] is False

    site = tmp_path / "site" / "assets" / "troubleshooter"
    site.mkdir(parents=True)
    (tmp_path / "site" / SITE_INDEX_PATH).write_bytes(gzip.compress(index_file.read_bytes()))
    single = _run(
        "-m", "troubleshooter", "--site", str(tmp_path / "site"), "--json", "Could not place order."
    )
    assert single.returncode == 0, single.stderr
    assert json.loads(single.stdout)["matches"][0]["anchor"] == "common_worker_nodes_issues"
    missing = _run("-m", "troubleshooter", "--index", str(tmp_path / "nope.json"), "x")
    assert missing.returncode == 2 and "cannot read the index" in missing.stderr


def test_a_batch_answers_every_line_whatever_it_holds(seed_index: dict[str, Any], tmp_path: Path) -> None:
    index_file = tmp_path / "index.json"
    index_file.write_text(dumps_index(seed_index), encoding="utf-8")
    stdin = (
        b'{"id": "surrogate", "query": "Could not place order \\ud800 \\udfff"}\n'
        b"not json\n"
        b'{"id": "no-query"}\n'
        b'["a list"]\n'
        b'{"id": "bytes", "query": "Could not place order \xff\xfe"}\n'
        b'{"id": "fine", "query": "Could not place order."}\n'
    )
    result = subprocess.run(
        [sys.executable, "-m", "troubleshooter", "--index", str(index_file), "--batch"],
        input=stdin,
        capture_output=True,
        check=False,
        cwd=REPO,
        env={"PATH": "/usr/bin:/bin", "LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": ""},
    )
    assert b"Traceback" not in result.stderr
    answers = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert [a.get("id") for a in answers] == ["surrogate", None, "no-query", None, "bytes", "fine"]
    assert [("error" in a) for a in answers] == [False, True, True, True, False, False]
    assert answers[-1]["matches"][0]["anchor"] == "common_worker_nodes_issues"
    assert result.returncode == 1  # some lines were not queries
