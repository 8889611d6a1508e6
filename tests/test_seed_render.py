"""The seed page (legacy dialect) rendered whole: structure a reader and the troubleshooter rely on."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
import pytest
from troubledocs.keywords import KeywordMap
from troubledocs.page import RenderedPage
from troubledocs.renderer import Renderer

from tests.conftest import shared_path

SEED = "cs_troubleshoot_clusters.md"
LABELS = {"symptoms": "What's happening", "causes": "Why it's happening", "resolve": "How to fix it"}
_HEADING_ID = re.compile(r"^#{1,6} .*\n\{: #([^}\s]+)\}", re.MULTILINE)


@pytest.fixture(scope="module")
def source() -> str:
    return shared_path("seed", SEED).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def page(source: str) -> RenderedPage:
    return Renderer(KeywordMap.load()).render(source, SEED)


@pytest.fixture(scope="module")
def soup(page: RenderedPage) -> BeautifulSoup:
    return BeautifulSoup(page.html, "html.parser")


def _visible_text_outside_code(soup: BeautifulSoup) -> str:
    copy = BeautifulSoup(str(soup), "html.parser")
    for code in copy.find_all(["pre", "code"]):
        code.decompose()
    return copy.get_text(" ")


def test_eight_troubleshooting_sections_with_three_labelled_parts(soup: BeautifulSoup) -> None:
    sections = {part: soup.select(f"section.td-ts-{part}") for part in LABELS}
    assert [len(found) for found in sections.values()] == [8, 8, 8]
    for part, found in sections.items():
        for section in found:
            label = section.find("p", class_="td-ts-label")
            assert label is not None and label.get_text() == LABELS[part]


def test_symptom_parts_hold_the_error_screens(soup: BeautifulSoup) -> None:
    screens = soup.select("section.td-ts-symptoms pre.screen")
    assert len(screens) == 10  # the seed's {: screen} blocks under tsSymptoms
    assert "We were unable to connect to your IBM Cloud infrastructure account." in screens[0].get_text()


def test_markers_keep_their_classes(soup: BeautifulSoup) -> None:
    for marker in ("tsSymptoms", "tsCauses", "tsResolve"):
        assert len(soup.select(f".{marker}")) == 8


def test_every_heading_id_of_the_source_is_present(
    source: str, page: RenderedPage, soup: BeautifulSoup
) -> None:
    expected = _HEADING_ID.findall(source)
    assert len(expected) == 12
    heading_ids = {h.get("id") for h in soup.find_all(re.compile(r"^h[1-6]$"))}
    assert set(expected) <= heading_ids
    assert set(expected) <= page.anchors


def test_troubleshoot_headings_carry_their_data_attributes(soup: BeautifulSoup) -> None:
    heading = soup.find(id="cs_credentials")
    assert heading is not None
    assert heading.get("data-hd-content-type") == "troubleshoot"
    assert heading.get("data-reuse") == "support"


def test_no_literal_attribute_lists_or_keywords_outside_code(soup: BeautifulSoup) -> None:
    text = _visible_text_outside_code(soup)
    assert "{:" not in text
    assert "{{" not in text


def test_keywords_resolved_inside_screens(soup: BeautifulSoup) -> None:
    assert "{{" not in soup.get_text()
    assert "IBM Cloud Kubernetes Service" in soup.get_text()


def test_no_unknown_keyword_warnings(page: RenderedPage) -> None:
    assert [d for d in page.diagnostics if d.code == "TD101"] == []


def test_title_description_and_meta(page: RenderedPage) -> None:
    assert page.title == "Worker nodes"
    assert page.description.startswith("As you use IBM Cloud Kubernetes Service, consider these techniques")
    assert page.meta["lastupdated"] == "2020-03-18"
    assert page.toc[0].id == "cs_troubleshoot_clusters"
    assert [c.id for c in page.toc[0].children][:3] == [
        "debug_worker_nodes",
        "common_worker_nodes_issues",
        "cs_credentials",
    ]


def test_commands_and_screens_have_their_roles(soup: BeautifulSoup) -> None:
    assert soup.select("div.td-pre > pre.pre > code")
    for screen in soup.select("pre.screen"):
        wrapper = screen.parent
        assert wrapper is not None and "no-copy" in wrapper.get("class", [])


def test_common_error_messages_table_is_a_table(soup: BeautifulSoup) -> None:
    captions = [c.get_text(strip=True) for c in soup.find_all("caption")]
    assert any("error" in c.lower() for c in captions), captions
    assert len(soup.find_all("table")) >= 2


def test_links_are_links(soup: BeautifulSoup) -> None:
    hrefs = [a.get("href", "") for a in soup.find_all("a")]
    assert any(h.startswith("/docs/containers?topic=containers-") or "#" in h for h in hrefs)
    external = soup.select('a.external[target="_blank"]')
    assert external
    assert not re.search(r"\]\((?:https?:|/docs)", _visible_text_outside_code(soup))
