"""Whole-repository builds of ../shared/corpus through the command line, one test per repository.

Each build runs ``troubledocs build SRC -o SITE --strict`` and checks:

* every warning is ``path:LINE: [CODE] message`` and its code is one this repository's source is known to cause
  (the causes are listed below: typos and malformed markup in the pages, topics and images that are not in the
  repository); any other warning fails;
* the visible text of every page holds no literal ``{:``, ``{{site.data`` or ``{{../`` outside code;
* every word of each page's source prose is in the page's output (a conservation percentage over the corpus);
* no page loses what word conservation cannot see (``textcheck.fidelity``): no reuse placeholder for a file the
  repository has, no table shown as a paragraph of pipes, no content hidden under every interface choice, and no
  built HTML file loads anything from another host;
* on openshift, the topic links the site summary reports as unresolved are exactly the known broken ones.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
import json
from pathlib import Path
import re
import subprocess
import sys

import pytest
from troubledocs.keywords import KeywordMap
from troubledocs.mkdocs_adapter.generated_config import write_home_page
from troubledocs.repository.index import index_folder
from troubledocs.repository.model import Repository as SourceRepository
from troubledocs.textcheck import fidelity, literal_leftovers, source_words, visible_words

from tests.conftest import shared_path
from troubleshooter.model import SITE_INDEX_PATH, index_text

pytestmark = pytest.mark.corpus

#: Warning codes the sources themselves cause, with the cause (shown when a test fails).
SOURCE_CAUSES = {
    "TD001": "front matter that is not valid YAML (nl/pt/BR pages)",
    "TD101": "keyword that no keyword file defines",
    "TD201": "unknown attribute name in the page (typos such as {: scree}, {: tsRemedy}, {: Go})",
    "TD202": 'malformed attribute inside an attribute list ({: caption="…". caption-side=…})',
    "TD203": "attribute list separated from its block by a blank line",
    "TD204": "not an attribute list (an unclosed caption quote), or almost one ({:: note}, {: #id without its brace,"
    " {: tsResovle}, {: ts_symptoms}: a name one slip from a defined one)",
    "TD205": 'invalid attribute-list definition ({:table: .aria-labeledby="caption"})',
    "TD301": "the page uses the same id twice",
    "TD401": "HTML element never closed (<ul>, <table>)",
    "TD402": "HTML end tag that closes nothing (</p>, </li>)",
    "TD405": 'malformed HTML attribute (<table summary-"input>)',
    "TD404": "attribute list after plain text, not after an element",
    "TD406": "table row with more cells than its header",
    "TD407": "blank line inside a pipe table",
    "TD501": "code fence never closed",
    "TD602": "link to a topic id that no page of the repository has",
    "TD603": "link to a file that is not in the repository (glossary-term ids such as x2284708)",
    "TD604": "link to an anchor that the target page does not have",
    "TD605": "image file not in the repository (the corpus copies carry few or no images)",
    "TD606": "TOC entry naming a page the repository does not have",
    "TD601": "two pages share one H1 topic id",
    "TD608": "include of a file from another doc set ({{../cli/…}}), shown as a placeholder",
}

#: openshift's topic links that no page of the repository can satisfy (the topics live elsewhere or are gone).
OPENSHIFT_MISSING_TOPICS = {
    "access-public",
    "access-private-vpc",
    "uninstall-ibmcloud-cli",
    "best-practices",
    "ts-ingress-operator-degraded",
    "ts-storage-file-addon-cm",
}


@dataclass(frozen=True)
class Repository:
    name: str
    codes: frozenset[str]
    #: Minimum share of source prose words found in the output (the target is 100 %).
    conservation: float = 0.999


REPOSITORIES = [
    Repository(
        "openshift",
        frozenset(
            {
                "TD201",
                "TD202",
                "TD204",
                "TD301",
                "TD406",
                "TD501",
                "TD602",
                "TD603",
                "TD604",
                "TD605",
                "TD608",
            }
        ),
    ),
    # A partial copy: links and TOC entries to the ~300 pages that were not copied are expected.
    Repository(
        "containers",
        frozenset(
            {
                "TD201",
                "TD203",
                "TD204",
                "TD301",
                "TD404",
                "TD406",
                "TD407",
                "TD501",
                "TD601",
                "TD602",
                "TD604",
                "TD605",
                "TD606",
            }
        ),
    ),
    # The 2018 repository with translations under nl/: legacy relative links, pages missing from the legacy TOC.
    Repository(
        "containers-2018",
        frozenset(
            {
                "TD001",
                "TD101",
                "TD201",
                "TD202",
                "TD203",
                "TD204",
                "TD205",
                "TD301",
                "TD401",
                "TD402",
                "TD404",
                "TD405",
                "TD406",
                "TD407",
                "TD501",
                "TD601",
                "TD603",
                "TD604",
                "TD605",
                "TD606",
            }
        ),
    ),
    # Include segments, root-relative includes, current callouts, keyref.yaml, images.
    Repository(
        "cloud-logs",
        frozenset({"TD101", "TD201", "TD202", "TD204", "TD301", "TD501", "TD604", "TD605", "TD606"}),
    ),
    # Language tags, interface sections, images.
    Repository(
        "secrets-manager",
        frozenset({"TD101", "TD201", "TD203", "TD204", "TD406", "TD501", "TD602"}),
    ),
    # Tutorial front matter, {: step}, {: related}; the copy carries no images.
    Repository("solution-tutorials", frozenset({"TD101", "TD201", "TD605"})),
]

_DIAGNOSTIC = re.compile(r"(?P<path>\S+?)(?::(?P<line>\d+))?: \[(?P<code>TD\d+)\] (?P<message>.*)$")
_WARNING = re.compile(r"^(WARNING|ERROR)\s+-\s+(?:troubledocs: )?(?P<text>.*)$")
_LINK_SUMMARY = re.compile(r"topic links: (\d+) resolved, (\d+) unresolved")
_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.DOTALL)


@dataclass
class Build:
    returncode: int
    log: str
    site: Path
    warnings: list[str] = field(default_factory=list)


def build(src: Path, site: Path) -> Build:
    done = subprocess.run(
        # Not --strict: a failed strict build leaves no site to check (the output folder keeps its previous
        # contents); every warning is checked against its source cause below instead.
        [sys.executable, "-m", "troubledocs", "build", str(src), "-o", str(site)],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    log = done.stdout + done.stderr
    result = Build(done.returncode, log, site)
    for line in log.splitlines():
        found = _WARNING.match(line.strip())
        if found:
            result.warnings.append(found.group("text"))
    return result


def output_page(site: Path, page: str, landing: str) -> Path:
    if page == landing:
        return site / "index.html"
    folder, _, name = page.rpartition("/")
    stem = name[:-3]
    html_name = "index.html" if stem in ("index", "README") else f"{stem}.html"
    return site / folder / html_name if folder else site / html_name


def published_pages(src: Path, scratch: Path) -> tuple[list[str], str]:
    """The pages the build publishes (no fragments, no repository README), and its landing page."""
    repository = SourceRepository.open(src)
    if write_home_page(repository, scratch) is not None:  # the command's own decision
        repository.added_pages = ("index.md",)
    context = repository.context()
    return sorted(p for p in repository.pages if p not in set(context.unpublished)), context.landing


def article_html(page_html: str) -> str:
    """The page's content (Material's ``<article>``), without the theme around it."""
    found = _ARTICLE.search(page_html)
    return found.group(1) if found else page_html


def check_index_contract(src: Path, site: Path) -> None:
    """``troubledocs index SRC`` and the index inside the site ``troubledocs build SRC`` wrote are the same index,
    field for field: both read the repository through one :class:`SourceRepository` and render with its renderer."""
    cli_index = index_folder(src)
    site_index = json.loads(index_text((site / SITE_INDEX_PATH).read_bytes()))
    differing = [
        (ours, theirs)
        for ours, theirs in zip(cli_index["entries"], site_index["entries"], strict=False)
        if ours != theirs
    ]
    assert not differing, f"{len(differing)} entries differ, the first: {differing[0]}"
    assert len(cli_index["entries"]) == len(site_index["entries"])
    assert cli_index == site_index
    print(f"  index contract: {len(cli_index['entries'])} entries, the same in the CLI index and the site")


@pytest.mark.parametrize("repo", REPOSITORIES, ids=lambda r: r.name)
def test_corpus_builds(repo: Repository, tmp_path: Path) -> None:
    src = shared_path("corpus", repo.name)
    result = build(src, tmp_path / "site")
    unexpected = []
    codes: Counter[str] = Counter()
    for warning in result.warnings:
        found = _DIAGNOSTIC.search(warning)
        if found is None or found.group("code") not in repo.codes:
            unexpected.append(warning)
            continue
        codes[found.group("code")] += 1
        if repo.name == "openshift" and found.group("code") == "TD602":
            topic = re.search(r"topic id '([^']+)'", found.group("message"))
            assert topic and topic.group(1) in OPENSHIFT_MISSING_TOPICS, warning
    print(f"\n{repo.name}: {len(result.warnings)} warnings, by code and cause:")
    for code, count in sorted(codes.items()):
        print(f"  {code} ×{count}: {SOURCE_CAUSES.get(code, '?')}")
    assert not unexpected, "warnings the source does not explain:\n" + "\n".join(unexpected[:40])
    assert result.returncode == 0, result.log[-3000:]

    keywords = KeywordMap.for_source(src)
    # A malformed attribute list ({: #what-is-it?}) is shown as the text it is, with a TD204 warning.
    kept_as_text = {
        found.group("path").split(f"{repo.name}/", 1)[-1]
        for warning in result.warnings
        if (found := _DIAGNOSTIC.search(warning)) and found.group("code") == "TD204"
    }
    leaks: list[str] = []
    lost: list[str] = []
    checked: set[Path] = set()
    total = kept = 0
    # Fragments (conref.md, _include-segments/) and the repository's README are never published themselves.
    pages, landing = published_pages(src, tmp_path)
    for page in pages:
        out = output_page(result.site, page, landing)
        assert out.is_file(), f"{page} was not built ({out})"
        page_html = out.read_text(encoding="utf-8")
        article = article_html(page_html)
        checked.add(out)
        lost.extend(f"{page}: {problem}" for problem in fidelity(page_html, src).problems())
        if page not in kept_as_text:
            leaks.extend(f"{page}: {bad!r}" for bad in literal_leftovers(article))
        wanted = source_words((src / page).read_text(encoding="utf-8", errors="replace"), keywords)
        got = visible_words(article)
        total += sum(wanted.values())
        kept += sum(min(count, got[word]) for word, count in wanted.items())
    share = kept / total if total else 1.0
    print(f"  word conservation: {kept}/{total} = {share:.4%} over {len(pages)} pages")
    assert not leaks, "literal dialect in visible text:\n" + "\n".join(leaks[:40])
    assert not lost, "lost although the words are there:\n" + "\n".join(lost[:40])
    # The theme's own pages (404.html …) must not load anything from another host either.
    others = [
        f
        for f in result.site.rglob("*.html")
        if f not in checked and f.relative_to(result.site).parts[0] != "assets"
    ]
    external = [
        f"{f.relative_to(result.site)}: {item}"
        for f in others
        for item in fidelity(f.read_text(encoding="utf-8", errors="replace")).external
    ]
    assert not external, "resources from another host:\n" + "\n".join(external[:40])
    assert share >= repo.conservation

    check_index_contract(src, result.site)

    summary = _LINK_SUMMARY.search(result.log)
    assert summary, "the build reports no link summary"
    resolved, unresolved = int(summary.group(1)), int(summary.group(2))
    print(f"  topic links: {resolved} resolved, {unresolved} unresolved")
    if repo.name == "openshift":
        assert resolved > 8000
        assert unresolved == codes["TD602"]
