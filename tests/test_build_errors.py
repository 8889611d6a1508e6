"""Broken input at the level of the build: one clear message with the path (and line), the rest of the site builds,
and ``--strict`` turns the message into a failing exit code.

Every case builds a small folder through the CLI (``troubledocs build SRC -o SITE [--strict]``) holding one bad
input beside a good page.
"""

from __future__ import annotations

from collections.abc import Callable
import os
from pathlib import Path
import re

from bs4 import BeautifulSoup
import pytest
from troubledocs.cli import main
from troubledocs.renderer import Renderer
from troubledocs.repository.prerender import MIN_PAGES

GOOD = "# Good page\n\nThis page is fine.\n"

BadInput = Callable[[Path], object]


def write(root: Path, name: str, data: str | bytes) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def source(tmp_path: Path, bad: BadInput) -> Path:
    src = tmp_path / "src"
    write(src, "index.md", GOOD)
    bad(src)
    return src


def build(src: Path, site: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, str]:
    code = main(["build", str(src), "-o", str(site), *options])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def article_text(page: Path) -> str:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    found = soup.select_one("article")
    assert found is not None, f"no <article> in {page}"
    return " ".join(found.get_text(" ").split())


def invalid_utf8(src: Path) -> None:
    write(src, "x.md", b"# Latin-1 page\n\nFirst line.\nCaf\xe9 au lait \xff here.\nLast line kept.\n")


def bad_front_matter(src: Path) -> None:
    write(
        src,
        "x.md",
        "---\ntitle: colons: in: a value\nkeywords: a\n---\n\n# Front matter page\n\nBody text kept.\n",
    )


def dangling_link(src: Path) -> None:
    (src / "x.md").symlink_to(src / "gone.md")


def binary_file(src: Path) -> None:
    write(src, "x.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)


def toc_with_missing_files(src: Path) -> None:
    write(
        src,
        "toc.yaml",
        "toc:\n  properties:\n    label: Service\n  entries:\n  - navgroup:\n      id: learn\n      topics:\n"
        "      - index.md\n      - missing.md\n      - topic: sub/gone.md\n        navtitle: Gone\n",
    )


# (how to break the source, what the message must match, the page that is built anyway and what it shows)
CASES: dict[str, tuple[BadInput, str, str, str]] = {
    "invalid UTF-8": (
        invalid_utf8,
        r"x\.md:4: \[TD010\] invalid UTF-8 \(byte 0xe9\)",
        "x.html",
        "Caf\ufffd au lait \ufffd here. Last line kept.",
    ),
    "front matter": (
        bad_front_matter,
        r"x\.md:2: \[TD001\] invalid YAML front matter",
        "x.html",
        "Body text kept.",
    ),
    "unreadable file": (
        dangling_link,
        r"x\.md: \[TD012\] cannot read the file: No such file or directory",
        "x.html",
        "could not be built",
    ),
    "binary file": (binary_file, r"x\.md: \[TD011\] not a text file", "x.html", "could not be built"),
    "toc.yaml": (
        toc_with_missing_files,
        r"toc\.yaml:9: \[TD606\] topic 'missing\.md'.*\n.*toc\.yaml:10: \[TD606\] topic 'sub/gone\.md'",
        "index.html",
        "This page is fine.",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_input_warns_and_the_site_builds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    bad, message, page, shown = CASES[case]
    src = source(tmp_path, bad)
    code, err = build(src, tmp_path / "site", capsys)
    assert code == 0, err
    assert re.search(message, err), err
    assert len(re.findall(r"\[TD0(?:01|1\d)\]", err)) <= 1, "one message per problem"
    assert "This page is fine." in article_text(tmp_path / "site" / "index.html")
    assert shown in article_text(tmp_path / "site" / page)


@pytest.mark.parametrize("case", CASES)
def test_strict_fails_on_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    bad, message, _page, _shown = CASES[case]
    code, err = build(source(tmp_path, bad), tmp_path / "site", capsys, "--strict")
    assert code == 1
    assert re.search(message, err), err


def test_a_folder_named_like_a_page_is_not_a_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = source(tmp_path, lambda root: write(root / "x.md", "inner.md", "# Inner\n"))
    code, err = build(src, tmp_path / "site", capsys, "--strict")
    assert code == 0, err
    assert "Inner" in article_text(tmp_path / "site" / "x.md" / "inner.html")


@pytest.mark.skipif(
    os.geteuid() == 0, reason="root reads a file whatever its mode (the dangling link case covers it)"
)
def test_a_file_without_read_permission(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = source(tmp_path, lambda root: write(root, "x.md", "# Secret\n").chmod(0))
    code, err = build(src, tmp_path / "site", capsys)
    assert code == 0
    assert re.search(r"x\.md: \[TD012\] cannot read the file: Permission denied", err), err


def test_missing_keyword_file_is_one_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = source(tmp_path, lambda root: None)
    missing = tmp_path / "missing.yaml"
    code, err = build(src, tmp_path / "site", capsys, "--keywords", str(missing))
    assert code == 1
    assert err.strip().splitlines() == [f"troubledocs build: error: keyword file '{missing}' does not exist"]
    assert not (tmp_path / "site").exists()


# With enough pages, they are rendered up front in worker processes: a failure there must end the same way.
@pytest.mark.parametrize("others", [0, MIN_PAGES], ids=["rendered on demand", "rendered up front"])
def test_a_page_whose_rendering_fails_becomes_an_error_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, others: int
) -> None:
    real = Renderer.render

    def render(self: Renderer, text: str, path: str) -> object:
        if path == "boom.md":
            raise RuntimeError("the renderer broke on purpose")
        return real(self, text, path)

    monkeypatch.setattr(Renderer, "render", render)
    src = source(tmp_path, lambda root: write(root, "boom.md", "# Boom\n\nText.\n"))
    for number in range(others):
        write(src, f"page-{number}.md", f"# Page {number}\n")
    code, err = build(src, tmp_path / "site", capsys)
    assert code == 0, err
    assert re.search(
        r"boom\.md: \[TD901\] rendering failed: RuntimeError\('the renderer broke on purpose'\)", err
    )
    shown = article_text(tmp_path / "site" / "boom.html")
    assert "could not be built" in shown
    assert "the renderer broke on purpose" in shown
    assert "boom.md" in shown
    assert "This page is fine." in article_text(tmp_path / "site" / "index.html")
    code, err = build(src, tmp_path / "site", capsys, "--strict")
    assert code == 1


def test_a_600_kb_page_builds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    section = (
        "## Error {n}\n{{: #error-{n}}}\n\nThe service returned `E{n:05d}: quota exceeded` for "
        "**cluster-{n}**; see [the other page](index.md).\n\n| Key | Value |\n| --- | --- |\n| id | {n} |\n\n"
        "```\nkubectl get pods -n ns-{n}\n```\n{{: pre}}\n\n"
    )
    text = "# A very long page\n\n" + "".join(section.format(n=n) for n in range(3000))
    assert len(text.encode()) > 600_000
    src = source(tmp_path, lambda root: write(root, "big.md", text))
    code, err = build(src, tmp_path / "site", capsys, "--strict")
    assert code == 0, err
    shown = article_text(tmp_path / "site" / "big.html")
    assert "E02999: quota exceeded" in shown
