"""The repository boundary: a build reads nothing outside its source folder, whatever a symlink says.

A symlink inside the source folder that resolves inside it is followed (a shared image, a renamed page); one that
leads out of it (``passwd.md -> /etc/passwd``, ``shared -> ../other-repo``) or round a loop (``again -> ..``) is
not: the file is left out, and the symlink responsible is reported once (``TD013``).
"""

from __future__ import annotations

from dataclasses import dataclass
import os
from pathlib import Path


@dataclass(frozen=True)
class Refusal:
    """Why a path is not read: the symlink responsible (relative to the root) and what is wrong with it."""

    link: str
    reason: str


def refusal(root: Path, path: Path) -> Refusal | None:
    """Whether ``path`` (a path under ``root``, symlinks not resolved) must not be read, and why; ``None`` when
    every symlink on the way resolves inside ``root`` without going round a loop."""
    try:
        parts = path.relative_to(root).parts
        real_root = root.resolve()
    except ValueError:
        return Refusal(path.as_posix(), "is outside the repository")
    except (OSError, RuntimeError):
        return None
    if ".." in parts:  # ``{{../x.md}}``: outside whatever the links say
        return Refusal("/".join(parts), "is outside the repository")
    current = root
    for part in parts:
        current = current / part
        if not current.is_symlink():
            continue
        link = current.relative_to(root).as_posix()
        try:
            # Not strict: a link to nothing inside the repository is the reader's business (TD012).
            target = current.resolve()
        except (OSError, RuntimeError):  # Python < 3.13 reports a loop with RuntimeError
            return Refusal(link, "is a symlink loop")
        if target != real_root and real_root not in target.parents:
            return Refusal(link, f"points outside the repository ('{target}')")
        parent = current.parent.resolve()
        if target.is_dir() and (target == parent or target in parent.parents):
            return Refusal(link, "is a symlink loop (it points to a folder that contains it)")
    return None


def inside_file(root: Path, name: str) -> Path | None:
    """``root / name`` when it is a file that :func:`refusal` lets a build read, else ``None``."""
    path = root / name
    return path if path.is_file() and refusal(root, path) is None else None


def refused_folder_links(root: Path) -> list[Refusal]:
    """The symlinked folders under ``root`` that :func:`refusal` refuses (found without following any link).

    MkDocs walks ``docs_dir`` following every link before a plugin can drop a file: a folder linked to ``/`` is
    the whole disk, and two loops in one folder make the walk exponential, so a build refuses such a source."""
    found: list[Refusal] = []
    for folder, dirs, _names in os.walk(root):
        for name in dirs:
            path = Path(folder) / name
            refused = refusal(root, path) if path.is_symlink() else None
            if refused is not None:
                found.append(refused)
    return found
