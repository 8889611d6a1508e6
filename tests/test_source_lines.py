"""The one fence-aware line scanner of the pre-scans (:mod:`troubledocs.source_lines`), and that every pre-scan
reads ids as the renderer does: the stacked form ``{: .x}{: #id}`` in every scanner, and on the shared corpora the
topic ids the scan finds are the ids the renderer gives each page's H1, the conref ids those of its blocks."""

from __future__ import annotations

from pathlib import Path

import pytest
from troubledocs.conref import ConrefLibrary
from troubledocs.mkdocs_adapter.generated_config import site_name
from troubledocs.repository.model import Repository
from troubledocs.repository.nav import read_legacy_toc
from troubledocs.repository.topics import topic_heading_id
from troubledocs.source_lines import attr_line, fenced_lines, first_h1, without_trailing_attrs

from tests.conftest import shared_path

STACKED = "{: .x}{: #topic-id}"


def test_attr_line_uses_the_renderer_grammar() -> None:
    stacked = attr_line(f"  {STACKED}  ")
    assert stacked is not None and stacked.id == "topic-id" and stacked.classes == ["x"]
    assert attr_line("{:shortdesc: .shortdesc}") is None  # a definition, not a block's list
    assert attr_line('{: "oops}') is None
    for almost in ("{: #topic-id", "{: ##topic-id}", "{:: #topic-id}"):  # read as the renderer reads them
        repaired = attr_line(almost)
        assert repaired is not None and repaired.id == "topic-id", almost
    assert attr_line("Text {: .x}") is None
    assert without_trailing_attrs(f"Title {STACKED}") == "Title"


def test_fences_hide_headings_and_attribute_lines() -> None:
    lines = ["```", "# Not a title", "{: #no}", "```", "1. Step", "   ~~~", "   # code", "   ~~~", "# Title"]
    assert fenced_lines(lines) == [True, True, True, True, False, True, True, True, False]
    found = first_h1(["---", "# a comment: not a title", "---", *lines])
    assert found is not None and found.text == "# Title"


def test_every_scanner_sees_the_stacked_form(tmp_path: Path) -> None:
    page = f"---\ntitle: x\n---\n\n# Page title {STACKED}\n{STACKED}\n{{: .y}}\n\nText.\n"
    assert topic_heading_id(page) == ("topic-id", 5)
    library = ConrefLibrary.from_text(f"Reused text.\n{STACKED}\n")
    assert library.get("topic-id") == "Reused text.\n{: .x}{: #topic-id}"
    toc = '{:navgroup: .navgroup}\n{: .toc subcollection="s"}{: .z}\nTitle\n\n{: .navgroup}{: #learn}\n    a.md\n'
    navigation = read_legacy_toc(toc, {"a.md"})
    assert navigation.subcollection == "s" and navigation.title == "Title"
    assert navigation.nav == [{"Learn": ["a.md"]}]
    (tmp_path / "index.md").write_text(page, encoding="utf-8")
    assert site_name(Repository.open(tmp_path)) == "Page title"


def _corpora() -> list[str]:
    corpus = shared_path("corpus")
    return sorted(p.name for p in corpus.iterdir() if any(p.glob("*.md")))


@pytest.mark.corpus
def test_scanner_ids_are_the_renderer_anchors() -> None:
    """On every shared corpus: each page's scanned topic id is the id the renderer gives its topic heading (the
    first H1, else the first heading; a page without one has no topic id); each conref id is an id of the rendered
    ``conref.md``."""
    checked = 0
    for name in _corpora():
        repository = Repository.open(shared_path("corpus", name))
        renderer = repository.renderer()
        for path in repository.pages:
            text = repository.read(path)
            scanned = topic_heading_id(text)
            rendered = renderer.render(text, path)
            headings = [t for t in rendered.tokens if t.type == "heading_open"]
            # The topic heading: the first H1, else the first heading of any level.
            h1 = next((t for t in headings if t.tag == "h1"), headings[0] if headings else None)
            rendered_id = h1.attrGet("id") if h1 is not None else None
            if scanned is not None:
                assert scanned[0] == rendered_id, (
                    f"{name}/{path}: scanned {scanned[0]!r}, rendered {rendered_id!r}"
                )
            checked += 1
        conref = repository.root / "conref.md"
        if conref.is_file():
            library = ConrefLibrary.from_source(repository.root)
            anchors = (
                Repository.open(repository.root).renderer().render(repository.read("conref.md"), "conref.md")
            )
            missing = set(library.blocks) - anchors.anchors
            assert not missing, (
                f"{name}/conref.md: ids the scan finds but the renderer does not: {sorted(missing)}"
            )
    assert checked > 1000
