"""Fixture tests for the matcher: paste normalisation, template compilation and alignment."""

from __future__ import annotations

from pathlib import Path

from markdown_it.utils import read_fixture_file
import pytest

from troubleshooter.normalize import normalize
from troubleshooter.tables import template_texts
from troubleshooter.templates import Query, align, compile_template
from troubleshooter.terms import Weights, informative, tokenize

FIXTURES = Path(__file__).parent / "fixtures_matcher"


def _weights_for(text: str) -> Weights:
    """Every informative term of ``text`` in one document: equal weights, so coverage counts terms."""
    return Weights.counted(
        [{t.term for t in tokenize(text) if informative(t.term)}], {t.term for t in tokenize(text) if t.code}
    )


@pytest.mark.parametrize(
    ("line", "title", "raw", "expected"),
    read_fixture_file(FIXTURES / "normalize.md"),
    ids=lambda v: str(v)[:40],
)
def test_normalize(line: int, title: str, raw: str, expected: str) -> None:
    assert " ".join(normalize(raw).text.split()) == expected.strip(), f"normalize.md:{line}: {title}"


@pytest.mark.parametrize(
    ("line", "title", "raw", "expected"),
    read_fixture_file(FIXTURES / "templates.md"),
    ids=lambda v: str(v)[:40],
)
def test_template(line: int, title: str, raw: str, expected: str) -> None:
    text = raw.strip("\n")
    assert compile_template(0, text, _weights_for(text)).pattern() == expected.strip(), f"templates.md:{line}"


@pytest.mark.parametrize(
    ("line", "title", "raw", "expected"), read_fixture_file(FIXTURES / "align.md"), ids=lambda v: str(v)[:40]
)
def test_alignment(line: int, title: str, raw: str, expected: str) -> None:
    doc, paste = raw.strip("\n").split("\n---\n")
    template = compile_template(0, doc, _weights_for(doc))
    query = Query.of(normalize(paste).text)
    alignment = align(template, query)
    assert alignment is not None, f"align.md:{line}: {title}"
    captures = "; ".join(f"{k}={v}" for k, v in alignment.captures(query).items()) or "-"
    assert f"coverage {alignment.coverage:.2f} | captures: {captures}" == expected.strip(), f"align.md:{line}"


def test_notice_when_paste_is_cut() -> None:
    big = "x " * 100_000
    result = normalize(big)
    assert result.notice is not None and "200,000" in result.notice
    assert len(result.text) < 50_000
    assert normalize("short").notice is None


def test_column_headers_are_not_templates() -> None:
    listing = (
        "NAME      READY   UP-TO-DATE   AVAILABLE   AGE\n"
        "my-app    0/1     0            0           5m\n"
        "NAME   TYPE   CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\n"
        "Error   Failed to pull image   kubelet"
    )
    assert template_texts(listing) == [
        "my-app    0/1     0            0           5m",
        "Error   Failed to pull image   kubelet",
        "my-app    0/1     0            0           5m\nError   Failed to pull image   kubelet",
    ]
