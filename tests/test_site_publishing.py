"""Which files a repository publishes, its landing page, and TOC topics of other repositories (whole builds of
small repositories written in tmp_path)."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
import pytest
from troubledocs.cli import main
from troubledocs.repository.publishing import is_fragment, unpublished

TOC = """toc:
  properties:
    subcollection: demo
    label: Demo
    href: /docs/demo?topic=demo-overview
  entries:
  - navgroup:
      id: learn
      topics:
      - start.md
      - about.md
      - include: ../cli/reference/uninstall_cli.md
        navtitle: Uninstalling the CLI
"""


def write(root: Path, pages: dict[str, str]) -> Path:
    for name, text in pages.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def build(src: Path, site: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Build ``src`` under ``--strict``; the log (the build must pass)."""
    code = main(["build", str(src), "-o", str(site), "--strict"])
    log = capsys.readouterr().err
    assert code == 0, log
    return log


def h1(page: Path) -> str:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    found = soup.select_one("article h1")
    if found is None:
        return ""
    for permalink in found.select("a.headerlink"):
        permalink.decompose()
    return found.get_text(strip=True)


def nav_labels(page: Path) -> list[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [link.get_text(" ", strip=True) for link in soup.select("nav.md-nav--primary a.md-nav__link")]


def test_fragments_and_readmes_are_not_pages() -> None:
    assert is_fragment("conref.md")
    assert is_fragment("_include-segments/steps.md")
    assert is_fragment("sub/_parts/x.md")
    assert is_fragment("nl/de/conref.md")
    assert not is_fragment("sub/conref.md")
    assert not is_fragment("index.md")
    pages = ["README.md", "index.md", "a.md", "sub/README.md", "other/README.md", "other/index.md"]
    assert unpublished(pages, None) == ["README.md", "other/README.md"]
    # With a TOC, the repository's README is left out unless the TOC lists it.
    assert unpublished(["README.md", "a.md"], {"a.md"}) == ["README.md"]
    assert unpublished(["README.md", "a.md"], {"a.md", "README.md"}) == []
    assert unpublished(["README.md", "a.md"], None) == []
    assert unpublished(["README.md", "a.md"], None, added=["index.md"]) == ["README.md"]


def test_readme_beside_index_builds_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """MkDocs would publish both at index.html, warn about the clash and about the nav entry: neither happens."""
    src = write(
        tmp_path / "src",
        {
            "index.md": "# Welcome\n{: #welcome}\n\nThe service.\n",
            "README.md": "# Source files of this documentation\n",
            "a.md": "# A\n{: #a}\n",
            "toc.yaml": "toc:\n  properties:\n    subcollection: demo\n  entries:\n  - index.md\n  - a.md\n",
        },
    )
    log = build(src, tmp_path / "site", capsys)
    assert "README" not in log
    assert h1(tmp_path / "site" / "index.html") == "Welcome"
    assert not (tmp_path / "site" / "README.html").exists()


def test_landing_page_is_the_toc_topic_not_the_readme(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The TOC's ``href`` topic (else its first topic) is the site's index.html; links to it still work; the
    repository README, conref.md and include segments are not published or listed."""
    src = write(
        tmp_path / "src",
        {
            "toc.yaml": TOC,
            "README.md": "# Source files\n",
            "start.md": "# Getting started\n{: #getting-started}\n\n{{site.data.content.note}}\n",
            "about.md": "# Overview\n{: #overview}\n\n"
            "See [getting started](/docs/demo?topic=demo-getting-started).\n"
            "Remove the CLI: [uninstall](/docs/demo?topic=demo-uninstall-cli).\n",
            "conref.md": "Reused text.\n{: #note}\n",
            "_include-segments/steps.md": "1. Step one.\n",
        },
    )
    site = tmp_path / "site"
    log = build(src, site, capsys)
    assert h1(site / "index.html") == "Overview"
    assert not (site / "about.html").exists()
    for left_out in ("README.html", "conref.html", "_include-segments/steps.html"):
        assert not (site / left_out).exists(), left_out
    start = site / "start.html"
    assert "Reused text." in start.read_text(encoding="utf-8")
    labels = nav_labels(start)
    assert "Uninstalling the CLI" in labels
    assert not {"Source files", "conref", "steps", "Other topics"} & set(labels), labels
    soup = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    hrefs = [str(a["href"]) for a in soup.select("article a:not(.headerlink)")]
    assert hrefs == ["start.html", "https://cloud.ibm.com/docs/demo?topic=demo-uninstall-cli"]
    assert (
        "1 topic of other repositories in the TOC links to the published pages on cloud.ibm.com: ../cli/"
        in log
    )
    assert "links to topics of other repositories: 1" in log


def test_landing_page_is_the_first_topic_without_href(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write(
        tmp_path / "src",
        {
            "toc.yaml": TOC.replace("    href: /docs/demo?topic=demo-overview\n", ""),
            "start.md": "# Getting started\n{: #getting-started}\n",
            "about.md": "# Overview\n{: #overview}\n\n[Start](start.md)\n",
        },
    )
    site = tmp_path / "site"
    build(src, site, capsys)
    assert h1(site / "index.html") == "Getting started"
    soup = BeautifulSoup((site / "about.html").read_text(encoding="utf-8"), "html.parser")
    assert [str(a["href"]) for a in soup.select("article a:not(.headerlink)")] == ["index.html"]


def test_without_toc_a_landing_page_is_generated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(
        tmp_path / "my-service",
        {"README.md": "# Source files for the docs\n", "a.md": "# A\n", "b.md": "# B\n"},
    )
    site = tmp_path / "site"
    build(src, site, capsys)
    assert h1(site / "index.html") == "my service"
    assert (site / "a.html").is_file()
    assert "Source files for the docs" not in (site / "index.html").read_text(encoding="utf-8")


def test_topics_of_another_subcollection_link_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A page whose front matter names another doc set (copied from a repository not in the build) makes that
    doc set's topic links go to cloud.ibm.com, without a TD602 each; this doc set's own still warn."""
    src = write(
        tmp_path / "src",
        {
            "toc.yaml": "toc:\n  properties:\n    subcollection: demo\n  entries:\n  - a.md\n  - shared.md\n",
            "a.md": "---\nsubcollection: demo\n---\n\n# A\n{: #a}\n\n"
            "[x](/docs/vpc?topic=vpc-x) [s](/docs/vpc?topic=vpc-shared)\n",
            "shared.md": "---\nsubcollection: vpc\n---\n\n# Shared\n{: #shared}\n",
        },
    )
    site = tmp_path / "site"
    log = build(src, site, capsys)
    soup = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert [str(a["href"]) for a in soup.select("article a:not(.headerlink)")] == [
        "https://cloud.ibm.com/docs/vpc?topic=vpc-x",
        "shared.html",
    ]
    assert "links to topics of other repositories: 1" in log
    src.joinpath("a.md").write_text("# A\n{: #a}\n\n[gone](/docs/demo?topic=demo-gone)\n", encoding="utf-8")
    assert main(["build", str(src), "-o", str(site), "--strict"]) == 1
    assert "[TD602] no page of this repository has the topic id 'gone'" in capsys.readouterr().err


def test_toc_without_local_pages_still_has_a_landing_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A partial copy whose TOC names none of its pages: the first page the navigation lists instead."""
    src = write(
        tmp_path / "src",
        {
            "toc.yaml": "toc:\n  properties:\n    subcollection: demo\n  entries:\n  - include: ../cli/x.md\n",
            "ts-b.md": "# B\n{: #ts-b}\n",
            "ts-a.md": "# A\n{: #ts-a}\n",
        },
    )
    build(src, tmp_path / "site", capsys)
    assert h1(tmp_path / "site" / "index.html") == "A"
