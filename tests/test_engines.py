"""The same sites come out of every supported engine: ``tools/check_engines.py`` builds the project's own site and
the seed site with MkDocs and with ProperDocs and compares them file by file."""

from __future__ import annotations

import importlib.util
from pathlib import Path
import subprocess
import sys

import pytest

from tests.conftest import REPO


def test_mkdocs_and_properdocs_build_the_same_sites() -> None:
    if importlib.util.find_spec("properdocs") is None:
        pytest.skip("ProperDocs is not installed (pip install -e '.[test]' installs it)")
    done = subprocess.run(
        [sys.executable, str(Path(REPO, "tools", "check_engines.py"))],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    print(done.stdout)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "project" in done.stdout
