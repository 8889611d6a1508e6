"""The link step of a multi-repository site: shards (:mod:`troubledocs.family.shard`) assembled into one site.

Each shard's site becomes a top-level folder of the site (its own navigation), its files hard links to the
shard's (copies on another file system). Then:

* links between the repositories: a link a shard left pointing at the published docs (``cloud.ibm.com/docs/SUB``)
  goes to the page here when SUB is the subcollection of a shard of the site and that shard has the topic (pages
  holding such links are written anew, never through the link into the shard);
* one troubleshooter index over all the shards (each section with its product), one search index over all the
  pages: the same file in every shard's folder (hard links), with URLs that work from any of them
  (``../NAME/page.html``);
* a landing page listing the products.

Links to repositories outside the site keep going to their published pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import gzip
import html
from importlib import resources
import json
import os
from pathlib import Path
import posixpath
import re
import shutil
from typing import Any
from urllib.parse import parse_qs

from troubledocs.family.shard import Shard
from troubledocs.material.compressed_search import COMPRESSED_INDEX
from troubledocs.repository.index import index_bytes, index_document, index_tables
from troubleshooter.model import SITE_INDEX_PATH, index_text

#: An href to the published docs, as the build writes it (attribute-escaped).
_DOCS_HREF = re.compile(
    r'href="https://cloud\.ibm\.com/docs/(?P<sub>[\w.-]+)(?P<path>/[^"?#]*)?(?:\?(?P<query>[^"#]*))?'
    r'(?:#(?P<fragment>[^"]*))?"'
)
LANDING_PAGE = "index.html"
LANDING_STYLE = "family.css"


@dataclass
class LinkReport:
    """What the link step did."""

    pages: int = 0
    #: Links between the site's repositories made local.
    resolved: int = 0
    #: Links to a repository of the site naming a topic it lacks (they keep going to the published page), as
    #: ``(page, href)``.
    unresolved: list[tuple[str, str]] = field(default_factory=list)
    #: Links made local whose anchor the target page lacks, as ``(page, href)``.
    missing_anchors: list[tuple[str, str]] = field(default_factory=list)
    troubleshooting_sections: int = 0

    def summary(self) -> str:
        return (
            f"{self.pages} pages; links between the repositories: {self.resolved} resolved, "
            f"{len(self.unresolved)} to topics no repository has, {len(self.missing_anchors)} to missing anchors; "
            f"{self.troubleshooting_sections} troubleshooting sections in one index"
        )


def link_site(shards: list[Shard], out: Path, title: str) -> LinkReport:
    """Assemble ``shards`` (in this order) into the site ``out`` (emptied first)."""
    names = [shard.name for shard in shards]
    if len(set(names)) != len(names):
        raise ValueError(f"two repositories share a folder name: {', '.join(names)}")
    _empty(out)
    report = LinkReport()
    by_sub: dict[str, list[Shard]] = {}
    for shard in shards:
        _link_tree(shard.site, out / shard.name)
        # A TOC's ``include: ../NAME/file.md`` names the repository's folder, usually its subcollection too.
        for sub in dict.fromkeys([*shard.subcollections, shard.name]):
            by_sub.setdefault(sub, []).append(shard)
    for shard in shards:
        _rewrite_links(shard, out, by_sub, report)
    _write_index(shards, out, report)
    _write_search(shards, out)
    (out / LANDING_PAGE).write_text(landing_page(shards, title), encoding="utf-8")
    (out / LANDING_STYLE).write_bytes(
        resources.files("troubledocs").joinpath("assets", "family", LANDING_STYLE).read_bytes()
    )
    return report


def _empty(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for child in out.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def _link_tree(source: Path, dest: Path) -> None:
    for folder, _, names in os.walk(source):
        target = dest / Path(folder).relative_to(source)
        target.mkdir(parents=True, exist_ok=True)
        for name in names:
            try:
                os.link(Path(folder) / name, target / name)
            except OSError:  # another file system
                shutil.copyfile(Path(folder) / name, target / name)


def _replace(path: Path, data: bytes) -> None:
    """Write ``path`` as a file of its own (it may be a hard link into a shard, which must stay as it is)."""
    path.unlink(missing_ok=True)
    path.write_bytes(data)


def _rewrite_links(shard: Shard, out: Path, by_sub: dict[str, list[Shard]], report: LinkReport) -> None:
    for page in shard.anchors:
        report.pages += 1
        path = out / shard.name / page
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            continue
        if "https://cloud.ibm.com/docs/" not in text:
            continue
        where = f"{shard.name}/{page}"
        up = "../" * where.count("/")

        def local(match: re.Match[str], where: str = where, up: str = up) -> str:
            href = html.unescape(match.group(0)[len('href="') : -1])
            target = _resolve(match, by_sub)
            if target is None:
                if match.group("sub") in by_sub:
                    report.unresolved.append((where, href))
                return match.group(0)
            owner, url, fragment = target
            report.resolved += 1
            if fragment and fragment not in owner.anchors.get(url, ()):
                report.missing_anchors.append((where, href))
            local_url = f"{up}{owner.name}/{url}" + (f"#{fragment}" if fragment else "")
            return f'href="{html.escape(local_url)}"'

        rewritten = _DOCS_HREF.sub(local, text)
        if rewritten != text:
            _replace(path, rewritten.encode("utf-8"))


def _resolve(match: re.Match[str], by_sub: dict[str, list[Shard]]) -> tuple[Shard, str, str] | None:
    """The shard, page URL and anchor a published-docs link names, when a shard of the site has it."""
    sub = match.group("sub")
    rest = (match.group("path") or "").strip("/")
    query = parse_qs(html.unescape(match.group("query") or ""))
    fragment = html.unescape(match.group("fragment") or "")
    topic = query.get("topic", [""])[0].removeprefix(f"{sub}-")
    for shard in by_sub.get(sub, []):
        if topic:
            url = shard.topics.get(topic) or shard.pages_by_stem.get(topic)
        elif not rest:
            url = shard.home
        else:  # the legacy form /docs/SUB/page.html
            url = posixpath.splitext(rest)[0] + ".html"
            url = url if url in shard.anchors else None
        if url is not None:
            return shard, url, fragment
    return None


def _write_index(shards: list[Shard], out: Path, report: LinkReport) -> None:
    """One troubleshooter index over every shard, in each shard's folder."""
    records: list[dict[str, Any]] = []
    present = []
    for shard in shards:
        path = out / shard.name / SITE_INDEX_PATH
        if not path.is_file():
            continue  # built without the troubleshooter
        present.append(path)
        document = json.loads(index_text(path.read_bytes()))
        for record in document["entries"]:
            record["url"] = f"../{shard.name}/{record['url']}"
            record["product"] = shard.title
            records.append(record)
    report.troubleshooting_sections = len(records)
    if not present:
        return
    data = index_bytes(index_document(records, index_tables(records)), compress=True)
    _replace(present[0], data)
    for path in present[1:]:
        path.unlink()
        os.link(present[0], path)


def _write_search(shards: list[Shard], out: Path) -> None:
    """One search index over every page, in each shard's folder (Material's index, compressed)."""
    indexes = [out / shard.name / COMPRESSED_INDEX for shard in shards]
    present = [(shard, path) for shard, path in zip(shards, indexes, strict=True) if path.is_file()]
    if not present:
        return
    merged: dict[str, Any] | None = None
    for shard, path in present:
        data = json.loads(gzip.decompress(path.read_bytes()))
        for doc in data.get("docs", []):
            doc["location"] = f"../{shard.name}/{doc['location']}"
        if merged is None:
            merged = data
        else:
            merged["docs"].extend(data.get("docs", []))
    text = json.dumps(merged, ensure_ascii=False, separators=(",", ":"))
    first = present[0][1]
    _replace(first, gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0))
    for _, path in present[1:]:
        path.unlink()
        os.link(first, path)


def landing_page(shards: list[Shard], title: str) -> str:
    """The site's root page: the products, each linking to its home page."""
    items = "\n".join(
        f'<li><a href="{html.escape(shard.name)}/{html.escape(shard.home)}">{html.escape(shard.title)}</a></li>'
        for shard in shards
    )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<link rel="stylesheet" href="{LANDING_STYLE}">
</head>
<body class="td-family">
<main>
<h1>{html.escape(title)}</h1>
<p>Each product has its own navigation; the search and the troubleshooter on any page cover them all.</p>
<ul class="td-family__products">
{items}
</ul>
</main>
</body>
</html>
"""
