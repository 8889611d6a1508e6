"""A shard: one repository of a multi-repository site, built on its own.

A shard is a folder holding ``site/`` (the repository built as a site of its own: pages, search index,
troubleshooter index) and ``shard.json``: its name and title, the topic ids and anchors of its pages (what links
from the other repositories resolve to), and the key of its inputs (its files, the troubledocs that built it, the
keyword files, the sibling repositories it includes from). Shards can be built anywhere (a CI job per repository)
and assembled by :mod:`troubledocs.family.link`; a shard whose key matches its inputs is reused as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
import hashlib
from importlib import metadata
import json
from pathlib import Path
import posixpath
from typing import Any

from troubledocs.mdit.reuse import REFERENCE
from troubledocs.repository.model import list_files

SHARD_FORMAT = "troubledocs-shard"
SHARD_VERSION = 1
MANIFEST = "shard.json"
SITE = "site"


@dataclass(frozen=True)
class Member:
    """One repository of the site: its folder in the site (``name``), its source and its section title."""

    name: str
    path: Path
    title: str


@dataclass(frozen=True)
class Shard:
    """A built shard (see the module notes)."""

    folder: Path
    name: str
    title: str
    key: str
    subcollections: list[str]
    #: Topic id -> page URL (relative to the shard's site).
    topics: dict[str, str]
    #: Page URL -> the ids in it.
    anchors: dict[str, list[str]]
    home: str

    @property
    def site(self) -> Path:
        return self.folder / SITE

    @cached_property
    def pages_by_stem(self) -> dict[str, str]:
        """Page URL by file name without extension (the first of a name): what a TOC's ``include`` of a file
        names when the page's topic id differs."""
        found: dict[str, str] = {}
        for url in sorted(self.anchors):
            found.setdefault(posixpath.splitext(posixpath.basename(url))[0], url)
        return found

    @classmethod
    def load(cls, folder: Path) -> Shard:
        """Read ``folder/shard.json``; :class:`ValueError` when it is not a shard of this format."""
        try:
            data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ValueError(f"{folder} is not a shard ({MANIFEST}: {error})") from error
        if data.get("format") != SHARD_FORMAT or data.get("version") != SHARD_VERSION:
            raise ValueError(f"{folder} is a shard of another troubledocs version: build it again")
        return cls(
            folder,
            str(data["name"]),
            str(data["title"]),
            str(data["key"]),
            [str(sub) for sub in data["subcollections"]],
            dict(data["topics"]),
            dict(data["anchors"]),
            str(data["home"]),
        )


def finish_manifest(folder: Path, repository: Member, key: str) -> Shard:
    """Add the shard's name, title and key to the manifest the build wrote."""
    path = folder / MANIFEST
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    data.update(
        format=SHARD_FORMAT, version=SHARD_VERSION, name=repository.name, title=repository.title, key=key
    )
    path.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
    return Shard.load(folder)


def siblings_included(root: Path, names: set[str]) -> set[tuple[str, str]]:
    """The files of the repositories ``names`` that the pages under ``root`` include (``{{../NAME/file.md}}``),
    as ``(NAME, path in it)``."""
    found: set[tuple[str, str]] = set()
    for uri in list_files(root):
        if not uri.endswith(".md"):
            continue
        text = (root / uri).read_text(encoding="utf-8", errors="replace")
        # The reuse pass's own grammar: the includes it would substitute (a sibling's when the path leaves).
        for file in (m.group("file") for m in REFERENCE.finditer(text) if m.group("file")):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(uri), file))
            name, _, rest = target.removeprefix("../").partition("/")
            if target.startswith("../") and name in names and rest:
                found.add((name, rest))
    return found


def files_digest(root: Path) -> str:
    """A digest of every file under ``root`` (names and bytes, hidden ones skipped as the build skips them, and
    Python's bytecode caches)."""
    digest = hashlib.sha256()
    for uri in list_files(root):
        if "__pycache__/" in uri:
            continue
        digest.update(uri.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256((root / uri).read_bytes()).digest())
    return digest.hexdigest()


def tool_digest() -> str:
    """A digest of the troubledocs that builds (its own files) and of the MkDocs and theme versions it uses."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    digest.update(files_digest(package).encode())
    for name in ("mkdocs", "mkdocs-material"):
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(name.encode())
    return digest.hexdigest()


def shard_key(repository: Member, files: str, keywords: list[Path], sibling_digests: dict[str, str]) -> str:
    """The key of a shard's inputs (``files``: the :func:`files_digest` of the repository; ``sibling_digests``:
    of each file it includes from a sibling, by name): equal keys, equal shards."""
    digest = hashlib.sha256()
    digest.update(f"{SHARD_VERSION}\0{repository.name}\0{repository.title}\0".encode())
    digest.update(tool_digest().encode())
    digest.update(files.encode())
    for keyword_file in keywords:
        digest.update(hashlib.sha256(keyword_file.read_bytes()).digest())
    for name in sorted(sibling_digests):
        digest.update(f"{name}\0{sibling_digests[name]}".encode())
    return digest.hexdigest()


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "absent"


def inputs_key(repository: Member, keywords: list[Path], siblings: dict[str, Path]) -> str:
    """:func:`shard_key` of ``repository`` built beside ``siblings`` (by name): only the files it includes from
    them count."""
    sibling_digests = {
        f"{name}/{path}": _file_digest(siblings[name] / path)
        for name, path in siblings_included(repository.path, set(siblings))
    }
    return shard_key(repository, files_digest(repository.path), keywords, sibling_digests)


def cached_shard(folder: Path, key: str) -> Shard | None:
    """The shard in ``folder`` when it was built from inputs with this ``key``."""
    try:
        shard = Shard.load(folder)
    except (ValueError, KeyError, TypeError):
        return None
    return shard if shard.key == key and shard.site.is_dir() else None
