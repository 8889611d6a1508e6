"""Warnings people can act on: the summary by code at the end of a build, ignoring codes, generated pages."""

from __future__ import annotations

from pathlib import Path
import re

import pytest
from repo_files import write_tree
from troubledocs.cli import main
from troubledocs.diagnostics import Summary

PAGES = {
    "index.md": "# Home\n\nOn {{site.data.keyword.nope}} and {{site.data.keyword.nope}}.\n",
    "b.md": "# B\n\nA [link](a-missing-page.md) and {{site.data.keyword.other}}.\n",
}


def test_summary_lines_count_by_code_most_frequent_first() -> None:
    summary = Summary()
    assert summary.lines() == []
    summary.add("TD604", "a.md:3: [TD604] x")
    summary.add("TD101", "a.md:1: [TD101] y")
    summary.add("TD101", "b.md:1: [TD101] z")
    summary.add("TD610", "c.md:2: [TD610] w", info=True)
    summary.add("TD606", "toc.yaml:4: [TD606] v", ignored=True)
    lines = summary.lines()
    assert lines[0].startswith("diagnostics by code (3 warning, 1 info, 1 ignored)")
    assert [line.split()[:3] for line in lines[1:]] == [
        ["TD101", "warning", "2"],
        ["TD604", "warning", "1"],
        ["TD606", "ignored", "1"],
        ["TD610", "info", "1"],
    ]
    assert lines[1].endswith("first: a.md:1: y")


def test_build_ends_with_a_summary_and_ignore_silences_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write_tree(tmp_path / "src", PAGES)
    assert main(["build", str(src), "-o", str(tmp_path / "site")]) == 0
    # Unknown keywords count once per keyword ('nope' twice, 'other' once): two lines to act on.
    err = capsys.readouterr().err
    assert re.search(r"TD101 warning +2  first: \S*index\.md:3: unknown keyword 'nope'", err), err
    assert re.search(r"TD603 warning +1  first: \S*b\.md:3: 'a-missing-page\.md' points", err), err

    # Ignored codes are neither shown nor fail --strict, and are still counted.
    args = ["build", str(src), "-o", str(tmp_path / "site2"), "--strict", "--ignore", "TD101"]
    assert main(args) == 1  # the link to a missing page still fails
    err = capsys.readouterr().err
    assert "WARNING -  troubledocs: " in err
    assert "[TD101]" not in err
    assert re.search(r"TD101 ignored +3", err), err
    assert main([*args, "--ignore", "TD603"]) == 0
    assert "WARNING" not in capsys.readouterr().err


def test_ignore_as_plugin_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write_tree(tmp_path / "src", {"index.md": "# Home\n\n{{site.data.keyword.nope}}\n"})
    config = write_tree(
        tmp_path,
        {
            "mkdocs.yml": f"site_name: T\ndocs_dir: {src}\nsite_dir: {tmp_path / 'site'}\n"
            "theme: {name: material}\nplugins:\n  - troubledocs:\n      troubleshooter: false\n"
            "      ignore: [TD101]\n"
        },
    )
    assert (
        main(["build", str(src), "-o", str(tmp_path / "site"), "-f", str(config / "mkdocs.yml"), "--strict"])
        == 0
    )
    assert "TD101 ignored" in capsys.readouterr().err


def test_bad_ignore_code_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write_tree(tmp_path / "src", {"index.md": "# Home\n"})
    assert main(["build", str(src), "-o", str(tmp_path / "site"), "--ignore", "606"]) == 1
    assert "--ignore takes a diagnostic code such as TD606" in capsys.readouterr().err


def test_generated_pages_never_warn(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The landing page the build writes for a folder without one is titled with the folder's name, whatever
    it holds (here an attribute list with an unknown name): a writer cannot fix the generated page, which must
    not warn."""
    src = write_tree(tmp_path / "notes {: draft}", {"a.md": "# A\n"})
    assert main(["build", str(src), "-o", str(tmp_path / "site"), "--strict"]) == 0
    err = capsys.readouterr().err
    assert "WARNING" not in err, err
    assert (tmp_path / "site" / "index.html").is_file()
