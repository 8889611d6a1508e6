"""Property tests: the matcher answers every string (and stays JSON-serialisable) without raising."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
import pytest

from troubleshooter import Matcher, Section
from troubleshooter.model import INDEX_VERSION
from troubleshooter.normalize import normalize
from troubleshooter.tables import Tables
from troubleshooter.templates import compile_template
from troubleshooter.terms import Weights

INDEX = {
    "format": "troubleshooter-index",
    "version": INDEX_VERSION,
    "entries": [
        {
            "page": "ts-vlan.md",
            "anchor": "vlan",
            "title": "Why can't I add worker nodes with an invalid VLAN ID?",
            "url": "ts-vlan/#vlan",
            "symptom": "You can't add worker nodes.",
            "errors": [
                "SoftLayerAPIError(SoftLayer_Exception_Public): Could not obtain network VLAN with id #123456."
            ],
        },
        {
            "page": "ts-alb.md",
            "anchor": "erradnf",
            "title": "Why does the Ingress status show an ERRADNF error?",
            "url": "ts-alb/#erradnf",
            "errors": ["The ALB deployment is not found on the cluster (ERRADNF).", "ERRADNF"],
        },
        {
            "page": "ts-json.md",
            "anchor": "json",
            "title": "Quoted, escaped and odd texts",
            "url": "ts-json/#json",
            "errors": ['{"code":"<code>","description":"... \'<name>\' \\n …"}', "<a> <b> <c>", "..."],
        },
    ],
}

# Text that stresses the tokeniser and normaliser: escapes, brackets, quotes, digits, dots, box characters.
PASTE_ALPHABET = st.sampled_from([*list("aZ09 .-_:/'\"<>#{}[]()\\\n\t\x1b│…ERRNHC"), "\\n", "\\u0027", "..."])
pastes = st.one_of(st.text(), st.lists(PASTE_ALPHABET, max_size=200).map("".join))


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.from_json(json.dumps(INDEX))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(paste=pastes, top=st.integers(min_value=-2, max_value=10))
def test_match_never_raises(matcher: Matcher, paste: str, top: int) -> None:
    answer = matcher.match(paste, top=top)
    data = json.loads(json.dumps(answer.to_dict()))
    assert isinstance(data["confident"], bool)
    assert len(data["matches"]) <= max(0, top)
    for match in data["matches"]:
        text = match["evidence"]["text"]
        assert all(0 <= a < b <= len(text) for a, b in match["evidence"]["spans"])


@settings(max_examples=300, deadline=None)
@given(text=pastes)
def test_any_docs_text_compiles(text: str) -> None:
    template = compile_template(0, text, Weights.counted([set()], set()))
    assert all(item.start <= item.end <= len(text) for item in template.items)


@settings(max_examples=200, deadline=None)
@given(paste=pastes)
def test_normalize_never_grows_much(paste: str) -> None:
    assert len(normalize(paste).text) <= len(paste) + 1


def test_filled_message_is_found(matcher: Matcher) -> None:
    answer = matcher.match(
        "FAILED\nSoftLayerAPIError(SoftLayer_Exception_Public): Could not obtain network VLAN with id #987."
    )
    assert answer.confident
    assert answer.matches[0].section.anchor == "vlan"
    assert answer.matches[0].captures == {"id": "987"}


def test_code_alone_is_enough(matcher: Matcher) -> None:
    answer = matcher.match("ERRADNF")
    assert answer.confident and answer.matches[0].section.anchor == "erradnf"


def test_unrelated_text_is_not_confident(matcher: Matcher) -> None:
    answer = matcher.match(
        "Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress"
    )
    assert not answer.confident


def test_bad_index_is_a_clear_error() -> None:
    from troubleshooter import IndexFormatError

    with pytest.raises(IndexFormatError, match="version"):
        Matcher.from_json(json.dumps({**INDEX, "version": 99}))
    with pytest.raises(IndexFormatError, match="tables"):
        Matcher.from_json(json.dumps({**INDEX, "tables": {"lengths": [1]}}))
    tables = Tables.build([Section.from_json(e) for e in INDEX["entries"]]).to_json()
    with pytest.raises(IndexFormatError, match="do not fit"):
        Matcher.from_json(json.dumps({**INDEX, "tables": {**tables, "lengths": [1]}}))
    with pytest.raises(IndexFormatError, match="malformed posting"):
        Matcher.from_json(json.dumps({**INDEX, "tables": {**tables, "postings": {"vlan": "0,x"}}}))
    with pytest.raises(IndexFormatError, match="not JSON"):
        Matcher.from_json("{")


@pytest.mark.parametrize(
    "filler",
    ["Could not obtain network VLAN with id 42 ", "\\" * 1000, "a" * 5000 + " ", "<<'\"{[" * 100, "\n"],
)
def test_huge_paste_is_cut_and_still_answered(matcher: Matcher, filler: str) -> None:
    paste = (
        filler * (10_000_000 // len(filler)) + "\nThe ALB deployment is not found on the cluster (ERRADNF)."
    )
    answer = matcher.match(paste)
    assert answer.notice is not None and "characters" in answer.notice
    assert answer.matches and answer.matches[0].section.anchor == "erradnf"
