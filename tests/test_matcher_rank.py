"""Ranking: how the term score reads a section's resolution, and what stays evidence of a message."""

from __future__ import annotations

import json
from typing import Any

import pytest

from troubleshooter import IndexFormatError, Matcher, Section
from troubleshooter.model import INDEX_FORMAT, INDEX_VERSION, Evidence, Match, first_step
from troubleshooter.tables import Tables

SECTIONS = [
    Section(
        page="ts-websocket.md",
        anchor="websocket",
        title="Why does a WebSocket connection close after 60 seconds?",
        url="ts-websocket/#websocket",
        symptom="Your WebSocket app loses its connection after some idle time.",
        resolution="Increase the proxy read timeout: the upstream timed out while proxying the upgraded connection.",
    ),
    Section(
        page="ts-qps.md",
        anchor="qps",
        title="Why do image pulls fail?",
        url="ts-qps/#qps",
        errors=("pull QPS exceeded",),
    ),
    Section(
        page="ts-registry.md",
        anchor="registry",
        title="Why can't my pods reach the registry?",
        url="ts-registry/#registry",
        symptom="Image pulls time out and the connection is refused.",
        resolution="If the kubelet logs show pull QPS exceeded, see the image pull topic.",
    ),
    Section(
        page="ts-timeout.md",
        anchor="timeout",
        title="Why do kubectl commands time out?",
        url="ts-timeout/#timeout",
        errors=("Unable to connect to the server: dial tcp: connection timed out",),
    ),
]


def _document(sections: list[Section], tables: dict[str, Any]) -> str:
    entries = [{"page": s.page, "anchor": s.anchor, "title": s.title, "url": s.url} for s in sections]
    for entry, section in zip(entries, sections, strict=True):
        entry.update(
            {"symptom": section.symptom, "errors": list(section.errors), "resolution": section.resolution}
        )
    return json.dumps(
        {"format": INDEX_FORMAT, "version": INDEX_VERSION, "entries": entries, "tables": tables}
    )


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.from_json(_document(SECTIONS, Tables.build(SECTIONS).to_json()))


def _keys(matcher: Matcher, paste: str) -> list[str]:
    return [m.section.anchor for m in matcher.match(paste).matches]


def test_log_words_that_only_the_fix_names_rank_its_section(matcher: Matcher) -> None:
    # No documented message says this; the WebSocket section's resolution describes it.
    paste = "[info] 27#27: *519 upstream closed while proxying upgraded connection"
    assert _keys(matcher, paste)[0] == "websocket"
    # Sharing words with another section's message ("connection timed out") keeps it in the first three.
    paste = (
        "[info] 27#27: *519 upstream timed out (110: Connection timed out) while proxying upgraded connection"
    )
    assert "websocket" in _keys(matcher, paste)[:3]


def test_a_fix_that_mentions_a_message_does_not_make_it_less_distinctive() -> None:
    # "QPS" is in the registry section's resolution only: as evidence it is still a word of one message (in
    # an index big enough that a word of one section is a mark of its message at all).
    others = [
        Section(page=f"ts-{n}.md", anchor=f"gadget-{n}", title=f"Why does gadget {n} stop?", url=f"ts-{n}/")
        for n in range(60)
    ]
    matcher = Matcher([*SECTIONS, *others])
    assert matcher.weights("qps") == pytest.approx(matcher.weights.rare)
    answer = matcher.match('Failed to pull image with policy "Always": image pull failed: pull QPS exceeded')
    assert answer.confident
    assert answer.matches[0].section.anchor == "qps"


def test_an_index_without_resolution_postings_still_answers() -> None:
    tables = Tables.build(SECTIONS).to_json()
    del tables["resolution_postings"]
    older = Matcher.from_json(_document(SECTIONS, tables))
    assert _keys(older, "pull QPS exceeded")[0] == "qps"
    # Without the resolution's terms, the WebSocket section has nothing that its resolution alone says.
    assert "websocket" not in _keys(older, "proxying upgraded")


def test_malformed_resolution_postings_are_a_clear_error() -> None:
    tables = {**Tables.build(SECTIONS).to_json(), "resolution_postings": {"qps": "2,x"}}
    with pytest.raises(IndexFormatError, match="malformed posting"):
        Matcher.from_json(_document(SECTIONS, tables))


@pytest.mark.parametrize(
    ("resolution", "step"),
    [
        ("Add worker nodes. Then wait for the pods.", "Add worker nodes."),
        (
            "To resolve, try one of the following options: Add a node. Remove a pod.",
            "To resolve, try one of the following options: Add a node.",
        ),
        ("Run `kubectl get pods`.\n\n  Check the output", "Run `kubectl get pods`."),
        ("", ""),
        ("word " * 80, ("word " * 48).strip() + " …"),
    ],
)
def test_the_first_step_of_a_fix(resolution: str, step: str) -> None:
    assert first_step(resolution) == step


def test_a_match_tells_its_page_title_and_first_step() -> None:
    section = Section.from_json(
        {
            "page": "ts-a.md",
            "anchor": "a",
            "title": "Pods stay pending",
            "page_title": "Pods",
            "resolution": "Add worker nodes. Then wait.",
        }
    )
    match = Match(section, 1.0, {}, Evidence("", [])).to_dict()
    assert (match["page_title"], match["fix"]) == ("Pods", "Add worker nodes.")
