"""The repository boundary: symlinks out of the source folder or round a loop are not followed, and say so."""

from __future__ import annotations

from pathlib import Path

import pytest
from troubledocs.boundary import refusal, refused_folder_links
from troubledocs.cli import main


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A source folder with a secret beside it."""
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.md").write_text("# Secret\n\nSECRET-TEXT\n", "utf-8")
    (tmp_path / "outside" / "secret.png").write_bytes(b"SECRET-BYTES")
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "index.md").write_text("# Home\n\n{{shared/part.md}}\n\n![x](img.png)\n", "utf-8")
    (src / "sub" / "page.md").write_text("# Page\n\nPAGE-TEXT\n", "utf-8")
    return src


def test_links_inside_resolve_links_outside_and_loops_are_refused(repo: Path) -> None:
    (repo / "alias.md").symlink_to("sub/page.md")
    (repo / "leak.md").symlink_to(repo.parent / "outside" / "secret.md")
    (repo / "sub" / "again").symlink_to("..")
    (repo / "self").symlink_to("self")
    assert refusal(repo, repo / "alias.md") is None
    assert refusal(repo, repo / "sub" / "page.md") is None
    leak = refusal(repo, repo / "leak.md")
    assert leak is not None and leak.link == "leak.md" and "outside the repository" in leak.reason
    loop = refusal(repo, repo / "sub" / "again" / "index.md")
    assert loop is not None and loop.link == "sub/again" and "loop" in loop.reason
    self_loop = refusal(repo, repo / "self")
    assert self_loop is not None and "loop" in self_loop.reason
    assert refusal(repo, repo / ".." / "outside" / "secret.md") is not None
    assert [r.link for r in refused_folder_links(repo)] == ["sub/again"]


def test_files_linked_from_outside_are_not_published(
    repo: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (repo / "leak.md").symlink_to(repo.parent / "outside" / "secret.md")
    (repo / "img.png").symlink_to(repo.parent / "outside" / "secret.png")
    (repo / "alias.md").symlink_to("sub/page.md")
    site = tmp_path / "site"
    assert main(["build", str(repo), "-o", str(site)]) == 0
    built = b"".join(path.read_bytes() for path in site.rglob("*") if path.is_file())
    assert b"SECRET" not in built
    assert b"PAGE-TEXT" in (site / "alias.html").read_bytes()  # a link inside the repository is fine
    assert "leak.md:1: [TD013] symlink points outside the repository" in caplog.text
    assert "img.png:1: [TD013] symlink points outside the repository" in caplog.text


def test_an_include_through_a_linked_folder_pulls_nothing_in(
    repo: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (repo.parent / "outside" / "part.md").write_text("SECRET-PART\n", "utf-8")
    (repo / "shared.md").symlink_to(repo.parent / "outside" / "part.md")
    (repo / "index.md").write_text("# Home\n\n{{shared.md}}\n", "utf-8")
    site = tmp_path / "site"
    assert main(["build", str(repo), "-o", str(site)]) == 0
    assert b"SECRET-PART" not in (site / "index.html").read_bytes()
    assert "index.md:3: [TD608]" in caplog.text


def test_a_folder_link_out_or_round_a_loop_stops_the_build_with_its_path(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "shared").symlink_to(repo.parent / "outside")
    (repo / "sub" / "again").symlink_to("..")
    (repo / "sub" / "again2").symlink_to("..")  # two loops: MkDocs's own walk would be exponential
    assert main(["build", str(repo), "-o", str(tmp_path / "site")]) == 1
    err = capsys.readouterr().err
    assert f"{repo / 'shared'}:1: [TD013] symlink points outside the repository" in err
    assert f"{repo / 'sub' / 'again'}:1: [TD013] symlink is a symlink loop" in err
    assert "Traceback" not in err
