"""The published-value table: every row is a fact with its two sources, and the default map applies it."""

from __future__ import annotations

import csv
from datetime import date
import importlib.util
import json
from pathlib import Path
import re
from types import ModuleType
from urllib.parse import urlsplit

import pytest
from troubledocs.keywords import KeywordMap
import yaml

from tests.conftest import REPO, shared_path

DATA = REPO / "plugins" / "troubledocs" / "data"
TABLE = DATA / "keyword_sources.tsv"
COLUMNS = ["keyword", "value", "markdown_source", "published_page", "rendered", "seen"]
# A pinned line of a public ibm-cloud-docs repository: .../blob/<commit>/<path>#L<line>.
MARKDOWN = re.compile(r"https://github\.com/ibm-cloud-docs/([\w.-]+)/blob/[0-9a-f]{40}/\S+\.md#L[1-9]\d*")
# Kept unseen to judge the map: no value may come from their repositories or pages.
UNSEEN = {
    "satellite",
    "vpc",
    "codeengine",
    "schematics",
    "cloud-object-storage",
    "cloud-databases",
    "key-protect",
}


def rows() -> list[dict[str, str]]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        assert reader.fieldnames == COLUMNS
        return list(reader)


def load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_keywords", REPO / "tools" / "make_keywords.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_row_names_a_markdown_line_and_the_published_sentence() -> None:
    table = rows()
    assert table
    names = [row["keyword"] for row in table]
    assert len(names) == len(set(names)), "one row per keyword"
    for row in table:
        where = f"{row['keyword']}: "
        assert re.fullmatch(r"[\w-]+", row["keyword"]), where + "keyword name"
        assert row["value"] and row["value"] == row["value"].strip(), where + "value"
        source = MARKDOWN.fullmatch(row["markdown_source"])
        assert source, where + "markdown source must be a pinned ibm-cloud-docs line"
        page = urlsplit(row["published_page"])
        assert page.scheme == "https" and (page.hostname or "").endswith("cloud.ibm.com"), where + "page"
        assert page.path.startswith("/docs/"), where + "page"
        assert row["value"] in row["rendered"], where + "the rendered sentence shows the value"
        assert len(row["rendered"]) <= 200, where + "keep the evidence to a fragment"
        date.fromisoformat(row["seen"])
        product = page.path.split("/")[2]
        assert source.group(1) not in UNSEEN and product not in UNSEEN, where + "from an unseen product"


def test_default_map_applies_every_published_value() -> None:
    keywords = KeywordMap.load()
    for row in rows():
        assert keywords.get(row["keyword"]) == row["value"], row["keyword"]


def test_published_values_replace_older_ones_and_their_contradicted_siblings(tmp_path: Path) -> None:
    folder = tmp_path / "corpus" / "keywords"
    folder.mkdir(parents=True)
    (folder / "cloudoeconrefs.yml").write_text(
        "keyword:\n"
        "  mon_full: IBM Cloud&trade; Monitoring with Sysdig\n"
        "  mon_full_notm: IBM Cloud Monitoring with Sysdig\n"
        "  cis_full: IBM Cloud&trade; Internet Services\n"
        "  cis_full_notm: IBM Cloud Internet Services\n",
        encoding="utf-8",
    )
    (folder / "keyword_values.tsv").write_text("keyword\tvalue\nen_short\tGuess\n", encoding="utf-8")
    table = tmp_path / "sources.tsv"
    rows = [
        ("mon_full_notm", "IBM Cloud Monitoring"),
        ("cis_full", "IBM Cloud® Internet Services"),
        ("en_short", "Event Notifications"),
    ]
    table.write_text(
        "\t".join(COLUMNS)
        + "\n"
        + "".join(f"{name}\t{value}\tm\tp\tr\t2026-12-07\n" for name, value in rows),
        encoding="utf-8",
    )
    built = load_tool().build(tmp_path, table)
    # mon_full contradicts the published mon_full_notm: left out, so that the load-time rule gives it that value.
    assert built == {
        "mon_full_notm": "IBM Cloud Monitoring",
        "cis_full": "IBM Cloud® Internet Services",
        "cis_full_notm": "IBM Cloud Internet Services",
        "en_short": "Event Notifications",
    }
    keywords = KeywordMap(built)
    keywords.infer()
    assert keywords.get("mon_full") == "IBM Cloud Monitoring"


def test_keywords_json_is_what_the_tool_produces() -> None:
    shared = shared_path("corpus", "keywords").parent.parent
    expected = load_tool().build(shared)
    assert json.loads((DATA / "keywords.json").read_text(encoding="utf-8")) == expected


@pytest.mark.parametrize("name", ["en_short", "compliance_short", "sysdigsecure_short"])
def test_current_names_missing_from_2020_file_are_known(name: str) -> None:
    conrefs = yaml.safe_load(
        shared_path("corpus", "keywords", "cloudoeconrefs.yml").read_text(encoding="utf-8")
    )
    assert name not in conrefs["keyword"]
    assert KeywordMap.load().get(name)
