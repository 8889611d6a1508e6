"""``troubledocs build`` starts rendering pages before MkDocs runs (:mod:`troubledocs.mkdocs_adapter.early`): the
site is the same as when the pages render once MkDocs asks for them, including a page whose link points to a
file only the build adds (the early worker did not know it: that page renders again)."""

from __future__ import annotations

from pathlib import Path

import pytest
from troubledocs.cli import main
from troubledocs.mkdocs_adapter import early
from troubledocs.repository.context import SiteContext
from troubledocs.repository.prerender import MIN_PAGES, Prerendered, workers

TOC = (
    "toc:\n  properties:\n    subcollection: demo\n  entries:\n  - navgroup:\n      id: all\n      topics:\n"
)


def make_repository(root: Path) -> None:
    root.mkdir()
    names = [f"p{number}.md" for number in range(MIN_PAGES)]
    for number, name in enumerate(names):
        (root / name).write_text(
            f"# Page {number}\n{{: #topic-{number}}}\n\nSee [the next page](/docs/demo?topic=demo-topic-{number + 1}"
            ") and [the troubleshooter](troubleshooter/index.md).\n",
            encoding="utf-8",
        )
    (root / "toc.yaml").write_text(TOC + "".join(f"      - {name}\n" for name in names), encoding="utf-8")


def site_files(site: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site).as_posix(): path.read_bytes() for path in site.rglob("*") if path.is_file()
    }


@pytest.mark.skipif(workers() < 2, reason="needs two CPUs")
def test_pages_rendered_before_mkdocs_starts_make_the_same_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "src"
    make_repository(src)
    taken: list[bool] = []
    again: list[str] = []
    fits, stale = early.EarlyPages.fits, early.stale

    def spy_fits(self: early.EarlyPages, pages: dict[str, str], finish: tuple[bool, bool]) -> bool:
        taken.append(fits(self, pages, finish))
        return taken[-1]

    def spy_stale(done: Prerendered, site: SiteContext) -> bool:
        if stale(done, site):
            again.append(done.page.path)
            return True
        return False

    monkeypatch.setattr(early.EarlyPages, "fits", spy_fits)
    monkeypatch.setattr(early, "stale", spy_stale)
    assert main(["build", str(src), "-o", str(tmp_path / "early"), "-q"]) == 0
    early_log = capsys.readouterr().err
    assert taken == [True]
    # Every page links to the troubleshooter page, which the build generates after the workers started.
    assert len(again) == MIN_PAGES

    monkeypatch.setattr(early, "start", lambda *args: None)
    assert main(["build", str(src), "-o", str(tmp_path / "late"), "-q"]) == 0
    assert taken == [True]
    assert site_files(tmp_path / "early") == site_files(tmp_path / "late")
    # The same diagnostics too: no link reported missing that the build has.
    assert early_log == capsys.readouterr().err
    assert "TD603" not in early_log
