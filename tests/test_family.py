"""Multi-repository sites: shards built and reused, links and includes between repositories resolved, one search
and one troubleshooter index over all (``troubledocs build REPO… / --site``, ``shard``, ``link``)."""

from __future__ import annotations

import argparse
import gzip
import importlib
import json
from pathlib import Path
import re
import shlex

from bs4 import BeautifulSoup
import pytest
from troubledocs.cli import SUBCOMMANDS, main
from troubledocs.family.shard import Shard
import yaml

from tests.conftest import shared_path
from troubleshooter import Matcher
from troubleshooter.model import SITE_INDEX_PATH, index_text

TS_PAGE = """# Troubleshooting {name}
{{: #ts-{name}}}

## Why does the {name} agent stop with an error?
{{: #ts-{name}-agent}}
{{: troubleshoot}}

What's happening
:   The {name} agent stops and prints `Error: {error}`.
{{: tsSymptoms}}

Why it's happening
:   The {name} configuration is wrong.
{{: tsCauses}}

How to fix it
:   Fix the {name} configuration.
{{: tsResolve}}
"""


def make_repository(root: Path, name: str, other: str) -> Path:
    repo = root / name
    repo.mkdir(parents=True)
    (repo / "toc.yaml").write_text(
        f"toc:\n  properties:\n    subcollection: {name}\n    label: Product {name.upper()}\n"
        f"  entries:\n  - index.md\n  - about.md\n  - ts-agent.md\n  - include: ../{other}/about.md\n",
        encoding="utf-8",
    )
    (repo / "index.md").write_text(f"# {name} home\n{{: #{name}-home}}\n\nWelcome.\n", encoding="utf-8")
    (repo / "about.md").write_text(
        f"# About {name}\n{{: #about-{name}}}\n\n"
        f"See [the other agent](/docs/{other}?topic={other}-ts-{other}#ts-{other}-agent), "
        f"[its home](/docs/{other}), [a gone page](/docs/{other}?topic={other}-gone) "
        "and [VPC](/docs/vpc?topic=vpc-about).\n\n"
        f"{{{{../{other}/about.md#shared-{other}}}}}\n\n"
        f"Words of {name} to share.\n{{: #shared-{name}}}\n",
        encoding="utf-8",
    )
    (repo / "ts-agent.md").write_text(
        TS_PAGE.format(name=name, error=f"{name} collector cannot reach endpoint"), encoding="utf-8"
    )
    return repo


@pytest.fixture
def family(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Two repositories that link to and include from each other, and a site file naming them."""
    alpha = make_repository(tmp_path / "src", "alpha", "beta")
    beta = make_repository(tmp_path / "src", "beta", "alpha")
    site_file = tmp_path / "site.yaml"
    site_file.write_text(
        "title: Family\nrepositories:\n  - path: src/beta\n    title: Beta Cloud\n  - src/alpha\n",
        encoding="utf-8",
    )
    return alpha, beta, site_file


def hrefs(page: Path) -> list[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article")
    assert article is not None
    return [str(a["href"]) for a in article.select("a[href]")]


def test_a_site_file_builds_one_site_of_the_repositories(
    family: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, site_file = family
    site, shards = tmp_path / "site", tmp_path / "shards"
    assert main(["build", "--site", str(site_file), "-o", str(site), "--shards", str(shards), "-q"]) == 0
    # Each repository a top-level section (in the site file's order, with its title), a landing page.
    landing = (site / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', landing) == [
        ("beta/index.html", "Beta Cloud"),
        ("alpha/index.html", "Product ALPHA"),
    ]
    # Links to the other repository are local; to a topic it lacks, or to a doc set outside, published.
    links = hrefs(site / "alpha" / "about.html")
    assert "../beta/ts-agent.html#ts-beta-agent" in links
    assert "../beta/index.html" in links
    assert "https://cloud.ibm.com/docs/beta?topic=beta-gone" in links
    assert "https://cloud.ibm.com/docs/vpc?topic=vpc-about" in links
    # The TOC's include of the other repository's page is in the navigation, local.
    assert 'href="../beta/about.html"' in (site / "alpha" / "index.html").read_text(encoding="utf-8")
    # The include from the other repository is resolved.
    assert "Words of beta to share." in (site / "alpha" / "about.html").read_text(encoding="utf-8")
    # One troubleshooter index, the same in every section, each section with its product.
    index = (site / "alpha" / SITE_INDEX_PATH).read_bytes()
    assert index == (site / "beta" / SITE_INDEX_PATH).read_bytes()
    matcher = Matcher.from_json(index_text(index))
    assert matcher.products == ["Beta Cloud", "Product ALPHA"]
    answer = matcher.match("Error: beta collector cannot reach endpoint").to_dict()
    assert answer["matches"][0]["url"] == "../beta/ts-agent.html#ts-beta-agent"
    assert answer["matches"][0]["product"] == "Beta Cloud"
    only_alpha = matcher.match("Error: beta collector cannot reach endpoint", product="Product ALPHA")
    assert {m.section.product for m in only_alpha.matches} <= {"Product ALPHA"}
    # The command line answers from the same index, given the whole site.
    build_log = capsys.readouterr().err
    assert main(["match", "--site", str(site), "--json", "Error: beta collector cannot reach endpoint"]) == 0
    assert json.loads(capsys.readouterr().out)["matches"][0]["url"] == "../beta/ts-agent.html#ts-beta-agent"
    # One search over every page.
    search = json.loads(gzip.decompress((site / "beta" / "search" / "search_index.json.gz").read_bytes()))
    locations = {doc["location"].split("#")[0] for doc in search["docs"]}
    assert {"../alpha/about.html", "../beta/about.html"} <= locations
    assert "linked in" in build_log


def test_unchanged_repositories_reuse_their_shards(
    family: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    alpha, beta, _ = family
    site, shards = tmp_path / "site", tmp_path / "shards"
    command = ["build", str(alpha), str(beta), "-o", str(site), "--shards", str(shards), "-q"]
    assert main(command) == 0
    built = {name: Shard.load(shards / name).key for name in ("alpha", "beta")}
    capsys.readouterr()
    assert main(command) == 0
    assert capsys.readouterr().out.count("is up to date") == 2
    # A page of beta changes: beta is built again, and alpha too, which includes from beta's about.md.
    (beta / "about.md").write_text(
        (beta / "about.md").read_text(encoding="utf-8").replace("Words of beta", "New words of beta"),
        encoding="utf-8",
    )
    assert main(command) == 0
    assert Shard.load(shards / "alpha").key != built["alpha"]
    assert Shard.load(shards / "beta").key != built["beta"]
    assert "New words of beta" in (site / "alpha" / "about.html").read_text(encoding="utf-8")
    # A page of alpha changes: beta does not include from alpha's ts page, so its shard stays.
    (alpha / "ts-agent.md").write_text(
        (alpha / "ts-agent.md").read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8"
    )
    capsys.readouterr()
    assert main(command) == 0
    out = capsys.readouterr().out
    assert f"beta: shard {shards / 'beta'} is up to date" in out and "alpha: shard" not in out


def test_shards_built_apart_link_into_one_site(family: tuple[Path, Path, Path], tmp_path: Path) -> None:
    """What a CI matrix does: one job per repository, then one link job."""
    alpha, beta, _ = family
    for repo, other in ((alpha, beta), (beta, alpha)):
        command = ["shard", str(repo), "-o", str(tmp_path / "out" / repo.name), "-q"]
        assert main([*command, "--sibling", f"{other.name}={other}"]) == 0
    site = tmp_path / "site"
    shards = [str(tmp_path / "out" / name) for name in ("alpha", "beta")]
    assert main(["link", *shards, "-o", str(site), "--title", "Both"]) == 0
    assert "../alpha/ts-agent.html#ts-alpha-agent" in hrefs(site / "beta" / "about.html")
    # The shard's own files are left as they were (the site's rewritten pages are files of their own).
    assert "https://cloud.ibm.com/docs/alpha?topic=alpha-ts-alpha" in (
        tmp_path / "out" / "beta" / "site" / "about.html"
    ).read_text(encoding="utf-8")


def test_bad_input_is_one_line(
    family: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    alpha, _, site_file = family
    assert main(["build", "--site", str(site_file), str(alpha), "-o", str(tmp_path / "s")]) == 1
    assert "either in the site file or on the command line" in capsys.readouterr().err
    assert main(["link", str(alpha), "-o", str(tmp_path / "s")]) == 1
    assert "is not a shard" in capsys.readouterr().err


#: A published-docs link: its subcollection and topic.
_PUBLISHED = re.compile(r'href="https://cloud\.ibm\.com/docs/([\w.-]+)\?(?:[^"#]*&amp;)?topic=([\w.:-]+)')


def test_the_shared_repositories_build_into_one_site(tmp_path: Path) -> None:
    """No link between the six repositories is left to the published docs when a repository of the site has its
    topic."""
    corpus = shared_path("corpus")
    repos = sorted(p for p in corpus.iterdir() if p.is_dir() and any(p.glob("*.md")))
    assert len(repos) >= 6
    site, shards_dir = tmp_path / "site", tmp_path / "shards"
    assert main(["build", *map(str, repos), "-o", str(site), "--shards", str(shards_dir), "-q"]) == 0
    shards = [Shard.load(shards_dir / repo.name) for repo in repos]
    topics: dict[str, set[str]] = {}
    for shard in shards:
        for sub in shard.subcollections:
            topics.setdefault(sub, set()).update(shard.topics)
    left = []
    for shard in shards:
        for page in shard.anchors:
            text = (site / shard.name / page).read_text(encoding="utf-8")
            for sub, topic in _PUBLISHED.findall(text):
                if topic.removeprefix(f"{sub}-") in topics.get(sub, set()):
                    left.append(f"{shard.name}/{page}: {sub} {topic}")
    assert not left, "\n".join(left[:20])
    # Links between different repositories were made local, and the index spans every product.
    cross = sum(
        len(
            re.findall(
                r'href="\.\./(?!' + re.escape(shard.name) + r"/)[\w.-]+/",
                (site / shard.name / page).read_text(encoding="utf-8"),
            )
        )
        for shard in shards
        for page in shard.anchors
    )
    assert cross > 0
    matcher = Matcher.from_json(index_text((site / shards[0].name / SITE_INDEX_PATH).read_bytes()))
    assert len(matcher.products) >= 4


def test_the_ci_example_uses_the_command_line_as_it_is() -> None:
    """Every troubledocs command of docs/ci-example.yml parses (its shell variables replaced by values)."""
    example = Path(__file__).resolve().parent.parent / "docs" / "ci-example.yml"
    workflow = yaml.safe_load(example.read_text(encoding="utf-8"))
    parser = argparse.ArgumentParser(prog="troubledocs")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in SUBCOMMANDS:
        importlib.import_module(f"troubledocs.commands.{name}").add_parser(sub)
    commands = [
        line.strip()
        for job in workflow["jobs"].values()
        for step in job["steps"]
        for line in str(step.get("run", "")).splitlines()
        if line.strip().startswith("troubledocs ")
    ]
    assert [command.split()[1] for command in commands] == ["shard", "link"]
    values = {
        "${{ matrix.repository }}": "openshift",
        "$siblings": "--sibling containers=repos/containers",
        "$shards": "shards/shard-openshift shards/shard-containers",
        '"$SITE_TITLE"': "Title",
    }
    for command in commands:
        for variable, value in values.items():
            command = command.replace(variable, value)
        assert "$" not in command, command
        args = parser.parse_args(shlex.split(command)[1:])
        assert args.output is not None


def test_the_site_is_replaced_only_once_linked_and_never_a_foreign_folder(
    family: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As a single repository's build: the site is linked beside ``SITE`` and replaces it when done; a folder
    troubledocs did not build is kept unless ``--force``; a failed build leaves the previous site."""
    from troubledocs.commands.build import MARKER

    alpha, beta, _ = family
    with (alpha / "index.md").open("a", encoding="utf-8") as page:
        page.write("\nThe {{site.data.keyword.nope}} keyword is unknown.\n")
    site = tmp_path / "out" / "site"
    site.mkdir(parents=True)
    (site / "thesis.tex").write_text("years of work", encoding="utf-8")
    command = ["build", str(alpha), str(beta), "-o", str(site), "-q"]
    assert main([*command, "--shards", str(tmp_path / "shards")]) == 1
    assert "--force" in capsys.readouterr().err
    assert (site / "thesis.tex").read_text(encoding="utf-8") == "years of work"
    assert main([*command, "--shards", str(tmp_path / "shards"), "--force"]) == 0
    assert (site / MARKER).is_file() and (site / "alpha" / "about.html").is_file()
    assert not (site / "thesis.tex").exists()
    before = (site / "alpha" / "about.html").read_bytes()
    # A warning under --strict fails the build (fresh shards: cached ones are not built again).
    assert main([*command, "--shards", str(tmp_path / "strict"), "--strict"]) == 1
    assert (site / "alpha" / "about.html").read_bytes() == before
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]  # no build folder left behind
    # --ignore silences the warning's code: the strict build passes.
    capsys.readouterr()
    ignored = [*command, "--shards", str(tmp_path / "ignored"), "--strict", "--ignore", "TD101"]
    assert main(ignored) == 0
    assert "TD101" not in capsys.readouterr().err
    assert main([*command, "--ignore", "602"]) == 1
    assert "diagnostic code" in capsys.readouterr().err
