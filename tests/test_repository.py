"""The repository model: pages, fragments and build inputs, and the contract between ``index`` and ``build``.

``troubledocs index SRC`` and ``troubledocs build SRC`` read the repository through the same
:class:`~troubledocs.repository.model.Repository`, so the index they write is the same, entry for entry.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from repo_files import write_tree
from troubledocs.cli import main
from troubledocs.repository.model import Repository

from tests.conftest import SHARED, shared_path
from tests.test_corpus import REPOSITORIES, check_index_contract
from troubleshooter.model import SITE_INDEX_PATH, index_text

TROUBLESHOOTING = """\
# Troubleshooting the widget
{: #ts-widget}

## Why does the widget not start?
{: #widget-start}
{: troubleshoot}

{{site.data.content.widget-error}}
{: tsSymptoms}

The widget's port is taken; see [the guide](guide.md).
{: tsCauses}

Free the port.
{: tsResolve}
"""

CONREF = """\
# Reused content

You see `Error: widget port 8443 is already in use` when the widget starts.
{: #widget-error}
"""

GLOSSARY = """\
# Error messages
{: #ts-errors}

## Widget errors
{: #widget-errors}

| Error message | Topic |
| --- | --- |
| `Error: widget license expired` | [Why does the widget not start?](/docs/widgets?topic=widgets-ts-widget) |
"""

LEGACY_TOC = """\
{:navgroup: .navgroup}

{: .toc subcollection="widgets"}
Widgets

    guide.md
    ts-widget.md
"""


def test_pages_fragments_and_build_inputs(tmp_path: Path) -> None:
    src = write_tree(
        tmp_path / "src",
        {
            "guide.md": "# Guide\n",
            "sub/index.md": "# Sub\n",
            "sub/a.md": "# A\n",
            "sub/README.md": "# Shadowed by sub/index.md, as in MkDocs\n",
            "conref.md": CONREF,
            "_include-segments/note.md": "Reused note.\n",
            "toc": LEGACY_TOC,
            "keyref.yaml": "keyword: {}\n",
            "images/x.png": "",
            ".hidden/y.md": "# Hidden\n",
        },
    )
    repository = Repository.open(src)
    # MkDocs's order: a folder's own files before its sub-folders, its index page first.
    assert repository.pages == ["guide.md", "sub/index.md", "sub/a.md"]
    assert repository.toc_file == "toc"
    assert sorted(repository.unpublished()) == [
        "_include-segments/note.md",
        "conref.md",
        "keyref.yaml",
        "toc",
    ]
    assert repository.is_published("images/x.png")
    context = repository.context()
    assert context.navigation is not None and context.navigation.subcollection == "widgets"


def test_index_equals_the_site_index(tmp_path: Path) -> None:
    """Reused symptoms and links resolve the same way in both; the legacy ``toc`` and fragments are no pages."""
    src = write_tree(
        tmp_path / "src",
        {
            "index.md": "# Widgets\n",
            "guide.md": "# Guide\n{: #guide}\n",
            "ts-widget.md": TROUBLESHOOTING,
            "ts-error-glossary.md": GLOSSARY,
            "conref.md": CONREF,
            "_include-segments/note.md": "# Note\n\nReused note.\n",
            "toc": LEGACY_TOC,
        },
    )
    assert main(["index", str(src), "-o", str(tmp_path / "index.json")]) == 0
    assert main(["build", str(src), "-o", str(tmp_path / "site"), "-q"]) == 0
    cli_index = json.loads((tmp_path / "index.json").read_text(encoding="utf-8"))
    site_index = json.loads(index_text((tmp_path / "site" / SITE_INDEX_PATH).read_bytes()))
    assert cli_index == site_index
    entry = next(e for e in cli_index["entries"] if e["anchor"] == "widget-start")
    # The reused paragraph's text, not the placeholder a renderer without the repository's reuse shows.
    assert "widget port 8443 is already in use" in entry.get("symptom", "") + entry.get("body", "")
    assert "not available" not in json.dumps(entry)
    # The glossary's row goes to the topic it links to, although the resolver made the link a page link.
    assert "Error: widget license expired" in entry["errors"]
    site = tmp_path / "site"
    assert (site / "guide.html").is_file()
    for unpublished in ("toc.html", "toc", "conref.html", "_include-segments/note.html"):
        assert not (site / unpublished).exists(), unpublished


def _other_corpora() -> list[str]:
    """The shared corpora that ``tests/test_corpus.py`` does not build (it checks the contract on its own)."""
    corpus = SHARED / "corpus"
    built = {repo.name for repo in REPOSITORIES}
    if not corpus.is_dir():
        return ["(absent)"]
    return sorted(p.name for p in corpus.iterdir() if p.name not in built and any(p.glob("*.md")))


@pytest.mark.corpus
@pytest.mark.parametrize("name", _other_corpora())
def test_index_contract_on_the_other_corpora(name: str, tmp_path: Path) -> None:
    src = shared_path("corpus", name)
    assert main(["build", str(src), "-o", str(tmp_path / "site"), "-q"]) in (0, 1)  # 1: the source warns
    check_index_contract(src, tmp_path / "site")
