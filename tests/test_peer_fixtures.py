"""IBM marked-it's own test inputs (MIT, kept in ../shared/peer-fixtures/marked-it, not copied here).

marked-it has golden output only for ``test-old/test_ADL.md``; for the other inputs we state the expectations
that kramdown's semantics (which the IBM dialect inherits) give. marked-it's legacy inputs write headings as
``#Title`` (marked 0.3.9 accepted that); CommonMark needs ``# Title``, so those inputs get the space added.
"""

from __future__ import annotations

from pathlib import Path
import re

from bs4 import BeautifulSoup, Tag
import pytest
from troubledocs.keywords import KeywordMap
from troubledocs.page import RenderedPage
from troubledocs.renderer import Renderer

from tests.conftest import shared_path

_LEGACY_HEADING = re.compile(r"^(#+)(?=[^#\s])", re.MULTILINE)
_STANDALONE_ID = re.compile(r"^ {0,3}\{: ?#([\w:.-]+)\}\s*$", re.MULTILINE)


def _peer(*parts: str) -> Path:
    return shared_path("peer-fixtures", "marked-it", *parts)


def _render(path: Path, legacy: bool = False) -> RenderedPage:
    text = path.read_text(encoding="utf-8")
    if legacy:
        text = _LEGACY_HEADING.sub(r"\1 ", text)
    return Renderer(KeywordMap.load()).render(text, path.name)


def _signature(tag: Tag) -> tuple[str, str | None, list[str], dict[str, str], str]:
    attrs = {k: str(v) for k, v in tag.attrs.items() if k not in ("id", "class")}
    return tag.name, tag.get("id"), list(tag.get("class", [])), attrs, tag.get_text()


def test_ald_golden_result() -> None:
    """Inheritance and override of ALDs: ids, classes (in order) and values as kramdown gives them."""
    page = _render(_peer("test-old", "test_ADL.md"), legacy=True)
    expected = BeautifulSoup(
        _peer("test-old", "expectedResult_ADL.html").read_text(encoding="utf-8"), "html.parser"
    )
    ours = BeautifulSoup(page.html, "html.parser")
    assert [_signature(h) for h in ours.find_all("h1")] == [_signature(h) for h in expected.find_all("h1")]
    # the golden output itself repeats id="one" (three headings use the ALD): we render it and warn
    assert [(d.code, d.line) for d in page.diagnostics] == [("TD301", 13), ("TD301", 16)]


def test_variables_unknown_references_are_visible_and_warned() -> None:
    page = _render(_peer("test-old", "test_variables.md"), legacy=True)
    soup = BeautifulSoup(page.html, "html.parser")
    missing = [s.get_text() for s in soup.select("span.td-missing-keyword")]
    assert missing == ["bluemix", "bluemix", "bluemix", "bogus", "name"]
    # a reference outside site.data is not ours to touch
    assert "{{site.asdf.product.bluemix }}" in soup.get_text()
    # the ALD's id came from an unknown variable: its bare name, on the heading that uses the ALD
    heading = soup.find(id="bluemix")
    assert heading is not None and heading.name == "h1" and heading.get("class") == ["oneClass"]
    assert sorted({d.line for d in page.diagnostics if d.code == "TD101"}) == [1, 4, 5, 6, 9, 15]


def test_source_v2_block_attributes() -> None:
    page = _render(_peer("test", "sourceV2.md"))
    soup = BeautifulSoup(page.html, "html.parser")
    code = soup.find(id="syntaxStylingUnknown")
    assert (
        code is not None and code.name == "pre" and code.get("a") == "b" and "anotherClass" in code["class"]
    )
    assert soup.find(id="codeBlockWithAttributes").get("a") == "b"  # type: ignore[union-attr]
    heading = soup.find(id="alternateHeaderId")
    assert heading is not None and heading.name == "h2"
    assert heading["class"] == ["anotherHeaderClass", "aHeaderClass"]
    assert (heading["g"], heading["i"], heading["c"], heading["e"], heading["a"]) == (
        "'h'",
        '""j""',
        "d",
        "f",
        "b",
    )
    repeats = [h.get("id") for h in soup.find_all("h2") if h.get_text() == "A Repeat Header"]
    assert len(repeats) == 2 and len(set(repeats)) == 2


@pytest.mark.parametrize("name", ["sourceV2.md", "test-cases.md", "extensionsTest-source.md"])
def test_every_standalone_id_becomes_an_anchor(name: str) -> None:
    path = _peer("test", name)
    page = _render(path)
    ids = _STANDALONE_ID.findall(path.read_text(encoding="utf-8"))
    assert ids
    assert set(ids) <= page.anchors


@pytest.mark.parametrize("name", ["sourceV2.md", "test-cases.md", "extensionsTest-source.md"])
def test_no_block_attribute_list_leaks_as_a_paragraph(name: str) -> None:
    page = _render(_peer("test", name))
    soup = BeautifulSoup(page.html, "html.parser")
    leaked = [p.get_text() for p in soup.find_all("p") if p.get_text().lstrip().startswith("{:")]
    assert leaked == []
