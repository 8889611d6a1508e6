"""Regenerate plugins/troubledocs/data/keywords.json from the shared keyword material.

Usage: python tools/make_keywords.py [SHARED_DIR]   (default: ../shared beside the checkout)

Sources: ``corpus/keywords/cloudoeconrefs.yml`` (its ``keyword:`` map) first, then the ``value`` column of
``corpus/keywords/keyword_values.tsv`` for names the YAML file lacks, then ``plugins/troubledocs/data/
keyword_sources.tsv`` (current values read off published pages, each with its markdown source), which
replaces both: it is the newer fact. An older value of a published name's ``_notm`` sibling that the published
value contradicts (they differ by more than marks: ``mon_full`` "IBM Cloud™ Monitoring with Sysdig" against the
published ``mon_full_notm`` "IBM Cloud Monitoring") is stale too and is left out, so that ``KeywordMap.infer``
gives it the published value at load time. HTML entities are decoded, so the JSON holds plain characters
(``&reg;`` becomes ``®``). ``attribute-definition-list`` is left out: it is not text.
"""

from __future__ import annotations

import csv
import html
import json
from pathlib import Path
import sys

from troubledocs.keywords import NOTM, without_marks
import yaml

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "plugins" / "troubledocs" / "data"
TARGET = DATA / "keywords.json"
SOURCES = DATA / "keyword_sources.tsv"
SKIP = {"attribute-definition-list"}


def build(shared: Path, sources: Path = SOURCES) -> dict[str, str]:
    folder = shared / "corpus" / "keywords"
    conrefs = yaml.safe_load((folder / "cloudoeconrefs.yml").read_text(encoding="utf-8"))["keyword"]
    values = {str(name): html.unescape(str(value)).strip() for name, value in conrefs.items()}
    with (folder / "keyword_values.tsv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            values.setdefault(row["keyword"], html.unescape(row["value"]).strip())
    published = published_values(sources)
    values.update(published)
    for name in stale_siblings(values, published):
        del values[name]
    return {name: values[name] for name in sorted(values) if name not in SKIP}


def published_values(path: Path) -> dict[str, str]:
    """The ``keyword`` and ``value`` columns of the published-value table."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["keyword"]: row["value"] for row in csv.DictReader(handle, delimiter="\t")}


def stale_siblings(values: dict[str, str], published: dict[str, str]) -> list[str]:
    """Siblings (``X`` of ``X_notm``, or ``X_notm`` of ``X``) of published names whose older value the published
    one contradicts."""
    stale = []
    for name, value in published.items():
        sibling = name.removesuffix(NOTM) if name.endswith(NOTM) else name + NOTM
        contradicted = sibling in values and without_marks(values[sibling]) != without_marks(value)
        if contradicted and sibling not in published:
            stale.append(sibling)
    return stale


def main() -> int:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared"
    values = build(shared)
    TARGET.write_text(
        json.dumps(values, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8"
    )
    sys.stdout.write(f"wrote {len(values)} keywords to {TARGET.relative_to(REPO)}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
