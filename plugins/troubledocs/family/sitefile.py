"""The site file of a multi-repository site: its title and its repositories, in order, with their titles.

.. code-block:: yaml

    title: Containers on IBM Cloud
    repositories:
      - path: ../openshift            # relative to this file
        title: Red Hat OpenShift on IBM Cloud   # optional: the toc.yaml label, else the folder's name
      - path: ../containers
        name: kubernetes              # optional: the folder in the site (default: the repository's folder name)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
import re

import yaml

from troubledocs.family.shard import Member
from troubledocs.mkdocs_adapter.generated_config import site_name
from troubledocs.repository.model import Repository
from troubledocs.yaml_safe import load_yaml

DEFAULT_TITLE = "Documentation"
#: A site folder name: one path segment a URL needs no escaping for.
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class SiteFileError(ValueError):
    """A site file that cannot be used; the message says what is wrong."""


@dataclass(frozen=True)
class SitePlan:
    title: str
    repositories: list[Member]


def repository(path: Path, name: str | None = None, title: str | None = None) -> Member:
    """A repository of the site, its name and title defaulting to the folder's name and its TOC label."""
    path = path.resolve()
    name = name or path.name
    if not _NAME.match(name):
        raise SiteFileError(f"'{name}' cannot name a folder of the site (letters, digits, '.', '_', '-')")
    if not path.is_dir():
        raise SiteFileError(f"repository '{path}' is not a folder")
    return Member(name, path, title or site_name(Repository.open(path)))


def plan(paths: list[Path], title: str | None = None) -> SitePlan:
    """The site of the repositories ``paths``, in this order."""
    return SitePlan(title or DEFAULT_TITLE, [repository(path) for path in paths])


def read_site_file(path: Path) -> SitePlan:
    """The site a site file describes (see the module notes)."""
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise SiteFileError(f"cannot read the site file '{path}': {error}") from error
    entries = data.get("repositories") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise SiteFileError(f"the site file '{path}' lists no 'repositories'")
    repositories = []
    for entry in entries:
        if isinstance(entry, str):
            entry = {"path": entry}
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            raise SiteFileError(f"'{path}': each repository needs a 'path' ({entry!r})")
        name, title = entry.get("name"), entry.get("title")
        repositories.append(
            repository(
                path.parent / entry["path"],
                str(name) if name is not None else None,
                str(title) if title is not None else None,
            )
        )
    title = data.get("title")
    return SitePlan(str(title) if title else DEFAULT_TITLE, repositories)
