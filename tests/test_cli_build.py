"""``troubledocs build``: the seed page through the CLI and through the plugin, exit codes, the generated config."""

from __future__ import annotations

from collections.abc import Callable
import io
import json
import logging
import os
from pathlib import Path
import re
import subprocess
import sys

from bs4 import BeautifulSoup, Tag
from mkdocs.commands.build import build
from mkdocs.config import load_config
import pytest
from troubledocs.cli import main
from troubledocs.mkdocs_adapter.generated_config import default_config, site_name
from troubledocs.progress import Progress
from troubledocs.repository.model import Repository
import yaml

from troubleshooter.model import SITE_INDEX_PATH, index_text

SEED = "cs_troubleshoot_clusters.md"
PART_LABELS = {
    "td-ts-symptoms": "What's happening",
    "td-ts-causes": "Why it's happening",
    "td-ts-resolve": "How to fix it",
}
_HEADING_ID = re.compile(r"^#{1,6} .*\n\{: #([\w-]+)\}", re.MULTILINE)


# -- what the seed's source says (the expectations are read from it, not written down) -----------------------


def troubleshooting_ids(source: str) -> list[str]:
    """Ids of the H2 sections that mark all three troubleshooting parts."""
    ids = []
    for section in re.split(r"^(?=## )", source, flags=re.MULTILINE)[1:]:
        found = _HEADING_ID.match(section)
        if found and all(f"{{: {name}}}" in section for name in ("tsSymptoms", "tsCauses", "tsResolve")):
            ids.append(found.group(1))
    return ids


def error_table_source(source: str) -> str:
    start = source.index("<caption>Common error messages</caption>")
    return source[start : source.index("</table>", start)]


# -- what the built page shows ---------------------------------------------------------------------------------


def article(html_file: Path) -> Tag:
    found = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser").select_one("article")
    assert found is not None, f"no <article> in {html_file}"
    return found


def sections(page: Tag) -> dict[str, list[Tag]]:
    """The elements under each H2, by the H2's id."""
    result: dict[str, list[Tag]] = {}
    current: list[Tag] | None = None
    for element in page.find_all(recursive=True):
        if element.name == "h2":
            current = result.setdefault(str(element.get("id")), [])
        elif current is not None:
            current.append(element)
    return result


def visible_text_outside_code(page: Tag) -> str:
    copy = BeautifulSoup(str(page), "html.parser")
    for code in copy.find_all(["pre", "code"]):
        code.decompose()
    return copy.get_text(" ")


def check_seed_page(html_file: Path, source: str) -> None:
    """Everything the seed page must show, whichever route built it."""
    page = article(html_file)

    # The troubleshooting sections, each with its three labelled parts.
    expected = troubleshooting_ids(source)
    assert len(expected) == 8
    complete = []
    for heading_id, elements in sections(page).items():
        parts = {
            name: element
            for element in elements
            for name in PART_LABELS
            if element.name == "section" and name in (element.get("class") or [])
        }
        if len(parts) == 3:
            for name, part in parts.items():
                label = part.select_one(".td-ts-label")
                assert label is not None and label.get_text(strip=True) == PART_LABELS[name], heading_id
                assert len(part.get_text(strip=True)) > len(PART_LABELS[name]), f"{heading_id}: empty {name}"
            complete.append(heading_id)
    assert complete == expected

    # The "Common error messages" table: every row, every link.
    caption = page.find("caption", string="Common error messages")
    assert caption is not None
    table = caption.find_parent("table")
    assert table is not None
    table_source = error_table_source(source)
    rows = [row for row in table.find_all("tr") if row.find("td")]
    assert len(rows) == table_source.count("<tr>") == 8
    links = table.find_all("a")
    assert len(links) == len(re.findall(r"\]\(", table_source))
    ids = {str(element["id"]) for element in page.find_all(id=True)}
    for link in links:
        href = str(link["href"])
        assert ".md" not in href, href
        if href.startswith("#"):
            assert href[1:] in ids, href

    # Every heading id of the source, on a heading.
    heading_ids = {str(h["id"]) for h in page.find_all(re.compile(r"^h[1-6]$")) if h.get("id")}
    assert set(_HEADING_ID.findall(source)) <= heading_ids

    # No dialect syntax left in the text a reader sees.
    text = visible_text_outside_code(page)
    assert "{:" not in text
    assert "{{" not in text


# -- the seed page through the CLI and through the plugin -----------------------------------------------------


def test_seed_through_cli(seed_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``troubledocs build ../shared/seed`` renders the seed page completely, with no unknown keyword."""
    site = tmp_path / "site"
    assert main(["build", str(seed_dir), "-o", str(site)]) == 0
    err = capsys.readouterr().err
    assert "TD101" not in err
    assert "Traceback" not in err
    source = (seed_dir / SEED).read_text(encoding="utf-8")
    check_seed_page(site / SEED.replace(".md", ".html"), source)
    assert json.loads(index_text((site / SITE_INDEX_PATH).read_bytes()))["entries"]


def test_seed_through_plugin(seed_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The same page imported into a mkdocs.yml site with ``import_pages`` renders the same way."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n\n[Example](example/worker-nodes.md)\n", "utf-8")
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(
        yaml.safe_dump(
            {
                "site_name": "Seed",
                "use_directory_urls": False,
                "theme": {"name": "material", "font": False},
                "plugins": [
                    "search",
                    {
                        "troubledocs": {
                            "troubleshooter": False,
                            "import_pages": {"example/worker-nodes.md": str(seed_dir / SEED)},
                        }
                    },
                ],
            }
        ),
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING):
        build(load_config(str(config_file)))
    assert not [r for r in caplog.records if "TD101" in r.getMessage()]
    source = (seed_dir / SEED).read_text(encoding="utf-8")
    check_seed_page(tmp_path / "site" / "example" / "worker-nodes.html", source)


# -- exit codes and messages -----------------------------------------------------------------------------------


def write_pages(root: Path, pages: dict[str, str]) -> Path:
    for name, text in pages.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_strict_fails_on_a_warning_and_names_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown keyword fails ``--strict`` (exit 1) and the output points at ``x.md:LINE``."""
    src = write_pages(
        tmp_path / "src", {"x.md": "---\ntitle: X\n---\n\n# X\n\nOn {{site.data.keyword.nope}}.\n"}
    )
    assert main(["build", str(src), "-o", str(tmp_path / "site"), "--strict"]) == 1
    err = capsys.readouterr().err
    assert re.search(r"x\.md:7: \[TD101\] unknown keyword 'nope'", err), err
    assert "Traceback" not in err


def test_warnings_without_strict_still_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without ``--strict`` the same page builds (exit 0), and the warning is still shown."""
    src = write_pages(tmp_path / "src", {"x.md": "# X\n\nOn {{site.data.keyword.nope}}.\n"})
    assert main(["build", str(src), "-o", str(tmp_path / "site")]) == 0
    assert "x.md:3: [TD101]" in capsys.readouterr().err
    assert (tmp_path / "site" / "x.html").is_file()


def test_repository_files_do_not_break_the_build(tmp_path: Path) -> None:
    """A clone's non-page files are tolerated, and nothing is written into SRC."""
    src = write_pages(
        tmp_path / "src",
        {
            "index.md": "# Home\n\nSee [the other page](sub/other.md).\n",
            "sub/other.md": "# Other\n\nUses {{site.data.keyword.product}}.\n",
            "SOURCE.md": "# Where this comes from\n",
            "MANIFEST.tsv": "path\tcommit\nindex.md\tabc\n",
            "toc.yaml": "toc:\n  properties:\n    label: My Service\n",
            "keyref.yaml": "keyword:\n  product: My Product\n",
            ".build.yaml": "reuse: []\n",
        },
    )
    before = sorted((p.relative_to(src), p.stat().st_mtime_ns) for p in src.rglob("*"))
    site = tmp_path / "site"
    assert main(["build", str(src), "-o", str(site), "--strict"]) == 0
    assert sorted((p.relative_to(src), p.stat().st_mtime_ns) for p in src.rglob("*")) == before
    other = article(site / "sub" / "other.html")
    assert "My Product" in other.get_text()
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    header = home.select_one(".md-header__topic .md-ellipsis")
    assert header is not None and header.get_text(strip=True) == "My Service"
    assert not (site / "keyref.yaml").exists()


@pytest.mark.parametrize(
    ("make_args", "message"),
    [
        (lambda tmp: ["build", str(tmp / "absent"), "-o", str(tmp / "site")], "does not exist"),
        (lambda tmp: ["build", str(tmp / "src" / "x.md"), "-o", str(tmp / "site")], "is not a folder"),
        (lambda tmp: ["build", str(tmp / "src"), "-o", str(tmp / "src" / "site")], "outside the source"),
        (
            lambda tmp: [
                "build",
                str(tmp / "src"),
                "-o",
                str(tmp / "site"),
                "--keywords",
                str(tmp / "k.yml"),
            ],
            "keyword file",
        ),
        (lambda tmp: ["build", str(tmp / "src"), "-o", str(tmp / "taken.txt")], "is not a folder"),
        (lambda tmp: ["serve", str(tmp / "absent")], "does not exist"),
    ],
)
def test_bad_input_is_one_clear_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make_args: Callable[[Path], list[str]],
    message: str,
) -> None:
    """Bad arguments give exit 1 and a one-line error, never a traceback."""
    write_pages(tmp_path / "src", {"x.md": "# X\n"})
    write_pages(tmp_path, {"taken.txt": "not a folder\n"})
    assert main(make_args(tmp_path)) == 1
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_unreadable_keyword_file_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A keyword file that is not a map stops the build with its name, not a traceback."""
    src = write_pages(tmp_path / "src", {"x.md": "# X\n"})
    bad = write_pages(tmp_path, {"bad.yml": "- a\n- list\n"}) / "bad.yml"
    assert main(["build", str(src), "-o", str(tmp_path / "site"), "--keywords", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.yml" in err
    assert "Traceback" not in err


def test_keywords_option_wins_over_keyref(tmp_path: Path) -> None:
    """``--keywords FILE`` is applied after ``SRC/keyref.yaml``."""
    src = write_pages(
        tmp_path / "src",
        {"x.md": "# X\n\nOn {{site.data.keyword.product}}.\n", "keyref.yaml": "keyword: {product: Old}\n"},
    )
    extra = write_pages(tmp_path, {"new.yml": "keyword: {product: New}\n"}) / "new.yml"
    assert main(["build", str(src), "-o", str(tmp_path / "site"), "--keywords", str(extra), "--strict"]) == 0
    assert "On New." in article(tmp_path / "site" / "x.html").get_text()


def test_folder_without_home_page_gets_one(tmp_path: Path) -> None:
    """A folder with neither index.md nor README.md still has a page at the site's root; SRC stays untouched."""
    src = write_pages(tmp_path / "my-service", {"ts-a.md": "# A\n", "ts-b.md": "# B\n"})
    assert main(["build", str(src), "-o", str(tmp_path / "site"), "--strict"]) == 0
    home = article(tmp_path / "site" / "index.html")
    heading = home.find("h1")
    assert heading is not None and heading.get_text(strip=True) == "my service¶"  # with its permalink
    assert sorted(p.name for p in src.iterdir()) == ["ts-a.md", "ts-b.md"]


def test_config_file_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``-f mkdocs.yml`` builds SRC with the user's configuration; one without the plugin is refused."""
    src = write_pages(tmp_path / "src", {"x.md": "# X\n\nOn {{site.data.keyword.cloud_notm}}.\n"})
    mine = write_pages(
        tmp_path / "conf",
        {
            "mkdocs.yml": "site_name: Mine\ntheme: {name: material, font: false}\n"
            "plugins: [{troubledocs: {troubleshooter: false}}]\n",
            "plain.yml": "site_name: Plain\n",
        },
    )
    site = tmp_path / "site"
    assert main(["build", str(src), "-o", str(site), "-f", str(mine / "mkdocs.yml"), "--strict"]) == 0
    assert "On IBM Cloud." in article(site / "x" / "index.html").get_text()  # the default directory URLs
    assert main(["build", str(src), "-o", str(site), "-f", str(mine / "plain.yml")]) == 1
    assert "does not list the troubledocs plugin" in capsys.readouterr().err


# -- the generated configuration and the progress report --------------------------------------------------------


def test_site_name_sources(tmp_path: Path) -> None:
    """toc.yaml's label, else the H1 of index.md, else the folder's name (never a README's title)."""
    src = write_pages(tmp_path / "my-docs", {"a.md": "# A\n", "README.md": "# Source files\n"})
    assert site_name(Repository.open(src)) == "my docs"
    write_pages(src, {"index.md": "# Read me first\n{: #readme}\n"})
    assert site_name(Repository.open(src)) == "Read me first"
    write_pages(src, {"toc.yaml": "toc:\n  properties:\n    label: Kubernetes service\n"})
    assert site_name(Repository.open(src)) == "Kubernetes service"


def test_default_config_is_valid_and_offline(tmp_path: Path) -> None:
    """The generated configuration validates in MkDocs, uses no web fonts and points outside SRC."""
    src = write_pages(tmp_path / "src", {"index.md": "# Home\n"})
    settings = default_config(Repository.open(src), tmp_path / "site", strict=True)
    assert settings["theme"]["font"] is False
    # Instant navigation keeps the troubleshooter's runtime between pages; the theme turns it off on file://.
    assert "navigation.instant" in settings["theme"]["features"]
    config_file = tmp_path / "scratch" / "mkdocs.yml"
    config_file.parent.mkdir()
    config_file.write_text(yaml.safe_dump(settings), encoding="utf-8")
    config = load_config(str(config_file))
    assert config.docs_dir == str(src)
    assert config.strict is True
    assert "troubledocs" in config.plugins


def test_progress_counts_when_not_a_terminal() -> None:
    """Off a terminal, progress is a plain line per hundred pages and one at the end; small builds are silent."""
    stream = io.StringIO()
    progress = Progress(stream, threshold=20)
    progress.start(250)
    for _ in range(250):
        progress.advance()
    progress.finish()
    assert stream.getvalue().splitlines() == [
        "troubledocs: rendered 100/250 pages",
        "troubledocs: rendered 200/250 pages",
        "troubledocs: rendered 250/250 pages",
    ]
    quiet = io.StringIO()
    small = Progress(quiet, threshold=20)
    small.start(5)
    for _ in range(5):
        small.advance()
    small.finish()
    assert quiet.getvalue() == ""


def test_progress_bar_on_a_terminal() -> None:
    """On a terminal, the bar redraws in place and ends on its own line."""

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    progress = Progress(stream, threshold=2)
    progress.start(3)
    for _ in range(3):
        progress.advance()
    progress.finish()
    out = stream.getvalue()
    assert "\r" in out
    assert out.endswith("3/3 pages\n")
    assert "\n" not in out[:-1]


def test_images_come_from_the_site_or_show_their_alt_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Root-relative and relative images load the site's copy; a missing one shows its alt text and warns with
    its line; an image or frame on another host (Markdown or raw HTML) is never loaded."""
    src = write_pages(
        tmp_path / "src",
        {
            "index.md": "# Home\n",
            "guide/setup.md": (
                "# Setup\n\n![Architecture](/images/arch.svg)\n\n![Flow](../images/arch.svg)\n\n"
                '<p><img src="/images/arch.svg" alt="Raw"></p>\n\n'
                "![Missing diagram](/images/gone.svg)\n\n"
                '<img src="https://example.org/logo.png" alt="Partner logo">\n\n'
                '<iframe src="https://video.example.com/embed/1" title="Product tour"></iframe>\n'
            ),
        },
    )
    (src / "images").mkdir()
    (src / "images" / "arch.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    assert main(["build", str(src), "-o", str(tmp_path / "site")]) == 0
    assert re.search(r"setup\.md:9: \[TD605\] image '/images/gone\.svg'", capsys.readouterr().err)
    page = article(tmp_path / "site" / "guide" / "setup.html")
    assert [img["src"] for img in page.find_all("img")] == ["../images/arch.svg"] * 3
    assert (tmp_path / "site" / "images" / "arch.svg").is_file()
    shown = [span.get_text() for span in page.select(".td-unavailable-image")]
    assert shown == ["Missing diagram", "Partner logo"]
    assert page.find("iframe") is None
    assert [(a.get_text(), a["href"]) for a in page.select("a.td-remote-media")] == [
        ("Product tour", "https://video.example.com/embed/1")
    ]


def test_a_command_imports_only_its_own_module() -> None:
    """``troubledocs build`` starts without the other commands' modules (the matcher's command line, the
    multi-repository link step): every build pays for what its process imports."""
    script = (
        "import sys\n"
        "from troubledocs.cli import main\n"
        "try:\n"
        "    main(['build', '--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('troubledocs.commands.', 'troubledocs.family'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert (
        done.stdout.strip().splitlines()[-1] == "['troubledocs.commands.build', 'troubledocs.commands.site']"
    )


def test_the_program_flushes_its_output_and_exits_with_its_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``troubledocs`` (``cli.run``) ends without tearing the interpreter down: what it printed still arrives
    whole through a pipe, and its exit code is the command's."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "index.md").write_text(
        "".join(f"# Page\n\nUses {{{{site.data.keyword.name_{n}}}}}.\n" for n in range(300)), encoding="utf-8"
    )
    assert main(["keywords", str(src)]) == 0
    expected = capsys.readouterr().out
    # Buffered, as a program's output into a pipe is by default.
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    done = subprocess.run(
        [sys.executable, "-m", "troubledocs", "keywords", str(src)],
        capture_output=True,
        text=True,
        check=False,
        env=environment,
    )
    assert done.returncode == 0 and done.stdout == expected and "300 keywords used" in done.stdout
    failed = subprocess.run(
        [
            sys.executable,
            "-m",
            "troubledocs",
            "build",
            str(tmp_path / "missing"),
            "-o",
            str(tmp_path / "site"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert failed.returncode == 1 and "does not exist" in failed.stderr
