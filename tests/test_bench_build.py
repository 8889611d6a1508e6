"""``bench/build.py --incremental`` saves a page that both servers serve at its own address: never the TOC's landing
page, which troubledocs serves as the home page."""

from __future__ import annotations

import json
from pathlib import Path
import subprocess
import sys

import pytest
from troubledocs.material.instant_nav import PAGES

from bench.build import BenchError, edited_page

TOC = """toc:
  properties:
    subcollection: demo
  entries:
  - navgroup:
      id: learn
      topics:
      - getting-started.md
      - topicgroup:
          label: Guides
          topics:
          - guides/setup.md
"""


def make_repository(root: Path) -> None:
    (root / "guides").mkdir(parents=True)
    (root / "toc.yaml").write_text(TOC, encoding="utf-8")
    for name, title in [("getting-started", "Start"), ("guides/setup", "Setup"), ("about", "About")]:
        (root / f"{name}.md").write_text(f"# {title}\n{{: #{title.lower()}}}\n\nText.\n", encoding="utf-8")


def test_the_landing_page_of_the_toc_is_not_saved(tmp_path: Path) -> None:
    src, site = tmp_path / "src", tmp_path / "site"
    make_repository(src)
    subprocess.run(
        [sys.executable, "-m", "troubledocs", "build", str(src), "-o", str(site), "-q"],
        check=True,
        timeout=300,
    )
    urls = set(json.loads((site / PAGES).read_text(encoding="utf-8")))
    assert "getting-started.html" not in urls  # served as the home page
    assert edited_page(src, urls) == src / "guides" / "setup.md"


def test_without_a_toc_the_first_page_served_at_its_name(tmp_path: Path) -> None:
    make_repository(tmp_path)
    (tmp_path / "toc.yaml").unlink()
    assert (
        edited_page(tmp_path, {"", "getting-started.html", "guides/setup.html"})
        == tmp_path / "getting-started.md"
    )
    with pytest.raises(BenchError, match="no page"):
        edited_page(tmp_path, {""})
