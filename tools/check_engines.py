"""Build the same sites with every supported engine (MkDocs, ProperDocs) and check that the same pages come out.

Sites: the project's own (``mkdocs.yml``) and the seed site (``../shared/seed`` with the configuration
``troubledocs build`` generates; skipped when ``../shared`` is absent). Each engine builds into a temporary
folder with its own command (``mkdocs build``, ``properdocs build``); the sites must hold the same files, and each
file the same bytes, except for the ``generator`` line that names the engine. Prints a table; exits 1 when a site
differs, 2 when an engine is not installed.

    .venv/bin/python tools/check_engines.py
"""

from __future__ import annotations

from dataclasses import dataclass
import os
from pathlib import Path
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "seed"
ENGINES = ("mkdocs", "properdocs")
#: The one line of a page that names the engine that built it.
_GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


@dataclass(frozen=True)
class Result:
    site: str
    files: int
    pages: int
    differing: list[str]


def engine_command(engine: str) -> str | None:
    """The engine's command beside this Python (the project's virtual environment), else on ``PATH``."""
    beside = Path(sys.executable).with_name(engine)
    return str(beside) if beside.is_file() else shutil.which(engine)


def build(engine: str, config_file: Path, site_dir: Path) -> None:
    command = engine_command(engine)
    if command is None:
        raise SystemExit(f"{engine} is not installed")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [command, "build", "-q", "-f", str(config_file), "-d", str(site_dir)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=config_file.parent,
    )
    if done.returncode != 0:
        raise SystemExit(f"{engine} build of {config_file} failed:\n{done.stdout}{done.stderr}")


def site_files(site_dir: Path) -> dict[str, bytes]:
    """Every file of a built site, the engine's generator line blanked."""
    return {
        path.relative_to(site_dir).as_posix(): _GENERATOR.sub(b"", path.read_bytes())
        for path in sorted(site_dir.rglob("*"))
        if path.is_file()
    }


def compare(name: str, config_file: Path, scratch: Path) -> Result:
    built = {}
    for engine in ENGINES:
        site_dir = scratch / f"{name}-{engine}"
        build(engine, config_file, site_dir)
        built[engine] = site_files(site_dir)
    first, *others = built.values()
    differing = sorted(
        path for other in others for path in set(first) | set(other) if first.get(path) != other.get(path)
    )
    pages = sum(1 for path in first if path.endswith(".html"))
    return Result(name, len(first), pages, differing)


def seed_config(scratch: Path) -> Path:
    """The configuration ``troubledocs build ../shared/seed`` generates."""
    from troubledocs.mkdocs_adapter.generated_config import default_config, write_config, write_home_page
    from troubledocs.repository.model import Repository

    folder = scratch / "seed-config"
    folder.mkdir()
    repository = Repository.open(SEED)
    config = default_config(repository, scratch / "unused", home=write_home_page(repository, folder))
    return write_config(config, folder)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="troubledocs-engines-") as folder:
        scratch = Path(folder)
        sites = [("project", REPO / "mkdocs.yml")]
        if SEED.is_dir():
            sites.append(("seed", seed_config(scratch)))
        else:
            print(f"seed: skipped ({SEED} is absent)")  # noqa: T201 - the script's own output
        results = [compare(name, config, scratch) for name, config in sites]
    versions = yaml.safe_dump(
        {engine: _version(engine) for engine in ENGINES}, default_flow_style=True
    ).strip()
    print(f"engines: {versions}")  # noqa: T201
    print(f"{'site':<10} {'files':>6} {'pages':>6}  differing")  # noqa: T201
    for result in results:
        shown = ", ".join(result.differing[:5]) or "none"
        print(f"{result.site:<10} {result.files:>6} {result.pages:>6}  {shown}")  # noqa: T201
    return 1 if any(result.differing for result in results) else 0


def _version(engine: str) -> str:
    from importlib.metadata import version

    return version(engine)


if __name__ == "__main__":
    sys.exit(main())
