"""Keywords a build cannot resolve, reported so that a writer can act: once per keyword, inferred values
announced per rule, and ``troubledocs keywords`` to list them and write a skeleton."""

from __future__ import annotations

from pathlib import Path
import re

import pytest
from repo_files import write_tree
from troubledocs.cli import main
from troubledocs.keyword_uses import keyword_uses
from troubledocs.repository.model import list_files
import yaml

REPO = {
    "index.md": "# Home\n\n{{site.data.keyword.nope}} and {{site.data.keyword.widget_full}}.\n",
    "a.md": "# A\n\n```\n{{site.data.keyword.nope}}\n```\n\nAgain {{site.data.keyword.nope}}.\n",
    "_include-segments/s.md": "{{site.data.keyword.attribute-definition-list}}\n{{site.data.keyword.other}}\n",
    "keyref.yaml": "keyword:\n  widget_full_notm: Widget Service\n",
}


def test_keyword_uses_counts_names_and_first_places(tmp_path: Path) -> None:
    src = write_tree(tmp_path, REPO)
    uses = keyword_uses(src, list_files(src))
    assert {name: (use.count, use.first) for name, use in uses.items()} == {
        "other": (1, "_include-segments/s.md:2"),
        "nope": (3, "index.md:3"),
        "widget_full": (1, "index.md:3"),
    }


def test_unknown_keywords_once_each_and_inferences_once_per_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write_tree(tmp_path / "src", REPO)
    assert main(["build", str(src), "-o", str(tmp_path / "site")]) == 0
    err = capsys.readouterr().err
    nope = [line for line in err.splitlines() if "WARNING" in line and "'nope'" in line]
    assert len(nope) == 1, err
    assert re.search(r"\.md:\d+: \[TD101\] unknown keyword 'nope' \(3 times in 2 files, first here", nope[0])
    info = [line for line in err.splitlines() if "[TD102]" in line]
    assert len(info) == 1 and "widget_full (1)" in info[0] and "INFO" in info[0], err
    assert "Widget Service." in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    # Under --strict the unknown keyword fails the build, and the site built before stays as it was.
    assert main(["build", str(src), "-o", str(tmp_path / "site"), "--strict"]) == 1
    capsys.readouterr()
    assert "Widget Service." in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")

    # --verbose lists every occurrence.
    assert main(["build", str(src), "-o", str(tmp_path / "site"), "-v"]) == 0
    err = capsys.readouterr().err
    assert len(re.findall(r"DEBUG .*\[TD101\] unknown keyword 'nope'", err)) == 3, err


def test_keywords_command_lists_and_writes_a_skeleton(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write_tree(tmp_path / "src", REPO)
    out = tmp_path / "keyref-new.yaml"
    assert main(["keywords", str(src), "-o", str(out)]) == 0
    table = capsys.readouterr().out
    rows = {line.split()[0]: line for line in table.splitlines()[1:] if line and not line[0].isdigit()}
    assert rows["widget_full"].split()[1:3] == ["1", "index.md:3"]
    assert "inferred from widget_full_notm" in rows["widget_full"] and "Widget Service" in rows["widget_full"]
    assert rows["nope"].split()[1:4] == ["3", "index.md:3", "unknown"]
    assert "3 keywords used, 2 unknown" in table
    assert yaml.safe_load(out.read_text(encoding="utf-8")) == {"keyword": {"nope": "", "other": ""}}
    assert "# 3 uses, first index.md:3" in out.read_text(encoding="utf-8")

    # An unfilled skeleton passed back defines nothing; an existing file is never replaced.
    assert main(["keywords", str(src), "--keywords", str(out)]) == 0
    assert "3 keywords used, 2 unknown" in capsys.readouterr().out
    assert main(["keywords", str(src), "-o", str(out)]) == 1
    assert "exists" in capsys.readouterr().err
