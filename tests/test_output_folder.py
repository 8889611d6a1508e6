"""``troubledocs build -o SITE`` never eats files: a foreign folder is kept unless ``--force``, a failed or
interrupted build leaves the previous site, and nothing is written through a symlink in the old site."""

from __future__ import annotations

from pathlib import Path
import shutil

import pytest
from troubledocs.cli import main
from troubledocs.commands.build import MARKER


@pytest.fixture
def src(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "index.md").write_text("# Home\n\nText.\n", "utf-8")
    return folder


def test_an_unrelated_folder_keeps_its_files(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "thesis.tex").write_text("years of work", "utf-8")
    assert main(["build", str(src), "-o", str(site), "-q"]) == 1
    assert "--force" in capsys.readouterr().err
    assert (site / "thesis.tex").read_text("utf-8") == "years of work"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "src"]  # no build folder left behind
    assert main(["build", str(src), "-o", str(site), "-q", "--force"]) == 0
    assert (site / MARKER).is_file() and (site / "index.html").is_file()
    assert not (site / "thesis.tex").exists()


def test_a_previous_site_is_replaced_and_an_empty_folder_used(src: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    assert main(["build", str(src), "-o", str(site), "-q"]) == 0
    (src / "index.md").write_text("# Home\n\nNew text.\n", "utf-8")
    assert main(["build", str(src), "-o", str(site), "-q"]) == 0
    assert "New text." in (site / "index.html").read_text("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "src"]


def test_a_failed_build_leaves_the_previous_site(src: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert main(["build", str(src), "-o", str(site), "-q"]) == 0
    before = (site / "index.html").read_bytes()
    (src / "index.md").write_text("# Home\n\n{{site.data.keyword.nope}}\n", "utf-8")
    assert main(["build", str(src), "-o", str(site), "-q", "--strict"]) == 1
    assert (site / "index.html").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "src"]


def test_an_interrupted_build_leaves_the_previous_site(
    src: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    assert main(["build", str(src), "-o", str(site), "-q"]) == 0
    before = (site / "index.html").read_bytes()

    def interrupt(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("mkdocs.commands.build._build_theme_template", interrupt)
    assert main(["build", str(src), "-o", str(site), "-q"]) == 130
    assert (site / "index.html").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "src"]


def test_nothing_is_written_through_a_symlink_in_the_old_site(src: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert main(["build", str(src), "-o", str(site), "-q"]) == 0
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("mine", "utf-8")
    shutil.rmtree(site / "assets")
    (site / "assets").symlink_to(victim)
    assert main(["build", str(src), "-o", str(site), "-q"]) == 0
    assert sorted(p.name for p in victim.iterdir()) == ["keep.txt"]
    assert (site / "assets").is_dir() and not (site / "assets").is_symlink()
