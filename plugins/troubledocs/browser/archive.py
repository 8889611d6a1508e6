"""The matcher shipped to the browser: a gzipped tar of the ``troubleshooter`` package.

The worker hands it to ``pyodide.unpackArchive(buffer, "gztar")``, which unpacks into the
interpreter's working directory (on ``sys.path``), so no micropip and no wheel index are needed.
The archive is built from the installed package's own files and is byte-for-byte reproducible.
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path
import tarfile

ARCHIVE_NAME = "troubleshooter.tar.gz"
PACKAGE = "troubleshooter"
_SHIPPED_SUFFIXES = (".py", ".typed", ".json")


def package_dir() -> Path:
    """The folder of the importable ``troubleshooter`` package."""
    import troubleshooter

    return Path(troubleshooter.__file__).resolve().parent


def _shipped(folder: Path) -> list[Path]:
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file() and path.name.endswith(_SHIPPED_SUFFIXES) and "__pycache__" not in path.parts
    )


def matcher_archive(folder: Path | None = None) -> bytes:
    """Return the ``.tar.gz`` holding ``troubleshooter/…`` (fixed mtimes and owners, sorted entries)."""
    root = folder or package_dir()
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for path in _shipped(root):
            data = path.read_bytes()
            info = tarfile.TarInfo(f"{PACKAGE}/{path.relative_to(root).as_posix()}")
            info.size = len(data)
            info.mode = 0o644
            archive.addfile(info, io.BytesIO(data))
    return gzip.compress(raw.getvalue(), compresslevel=9, mtime=0)
