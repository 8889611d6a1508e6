"""The Pyodide runtime: fetched from its npm release, checked against pinned SHA-256 sums, cached.

Only the four files a standard-library-only matcher needs are kept: the ES-module loader, the
Emscripten module, the WebAssembly binary and the zipped standard library. The lock file is not
shipped: the worker passes ``lockFileContents`` instead.

A site links the cached files (:func:`runtime_paths`); hashing their 13 MB again for every build would cost a
small build more than its search index, so the cache notes each file's size, modification time and inode when it
was verified (:data:`VERIFIED`) and verifies again only a file that changed since.
"""

from __future__ import annotations

from collections.abc import Mapping
import hashlib
import io
import json
import os
from pathlib import Path
import shutil
import subprocess
import tarfile
import tempfile

PYODIDE_VERSION = "314.0.7"

# Facts of the pinned release, written into the lock file the worker passes to loadPyodide.
PYODIDE_LOCK_INFO: Mapping[str, str] = {
    "abi_version": "2026_0",
    "arch": "wasm32",
    "platform": "emscripten_5_0_3",
    "python": "3.14.2",
}

RUNTIME_SHA256: Mapping[str, str] = {
    "pyodide.mjs": "6f1d60f7bf529beb300f0f47983c921d3982363640ba20af0e38efdddbc66109",
    "pyodide.asm.mjs": "f7cdc8ece80678ceb712f8e65ebe6d3a83203a180c399865f49612a051693635",
    "pyodide.asm.wasm": "cc36e3cab04fdfc9a63ff13eb52eae2b911bf46c025cc7b281f394bd3de1d5e6",
    "python_stdlib.zip": "fa1957e5777068fc4f7437f96d860ae2fbe9c19732ba06c84e004ec16dd7dd7a",
}

# The classic (UMD) loader is needed only by the file:// embedding, which cannot use modules.
CLASSIC_LOADER = "pyodide.js"
CLASSIC_LOADER_SHA256 = "3141b814715a72e59b51b1b18b9ceae5bf19f7c852417e431bb0a34feadf825c"

ALL_SHA256: Mapping[str, str] = {**RUNTIME_SHA256, CLASSIC_LOADER: CLASSIC_LOADER_SHA256}

CACHE_ENV = "TROUBLEDOCS_PYODIDE_CACHE"
#: In the cache folder: each file's pinned SHA-256 with its size, modification time and inode when verified.
VERIFIED = ".verified.json"


class PyodideUnavailableError(RuntimeError):
    """Raised when the runtime can be neither read from a local folder nor fetched with npm."""


def cache_dir(version: str = PYODIDE_VERSION) -> Path:
    """Where verified runtime files are kept: ``$TROUBLEDOCS_PYODIDE_CACHE`` or ``~/.cache/troubledocs``."""
    root = os.environ.get(CACHE_ENV)
    base = Path(root) if root else Path.home() / ".cache" / "troubledocs" / "pyodide"
    return base / version


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _verified(name: str, data: bytes, origin: str) -> bytes:
    expected = ALL_SHA256[name]
    actual = _sha256(data)
    if actual != expected:
        raise PyodideUnavailableError(
            f"{origin}/{name}: SHA-256 {actual} does not match the pinned {expected} "
            f"(pyodide {PYODIDE_VERSION}); use the pinned release"
        )
    return data


def _read_folder(folder: Path, names: list[str]) -> dict[str, bytes] | None:
    """Read and verify ``names`` from ``folder``; ``None`` when a file is missing."""
    if not all((folder / name).is_file() for name in names):
        return None
    return {name: _verified(name, (folder / name).read_bytes(), str(folder)) for name in names}


def _npm_pack(version: str) -> bytes:
    """Download the release tarball with ``npm pack`` (which checks the registry's integrity hash)."""
    npm = shutil.which("npm")
    if npm is None:
        raise PyodideUnavailableError(
            f"the Pyodide runtime {version} is not cached in {cache_dir(version)} and npm is not installed: "
            "install npm (Debian: apt-get install npm) or pass pyodide_dir=<folder with the npm package files>"
        )
    with tempfile.TemporaryDirectory(prefix="troubledocs-pyodide-") as tmp:
        result = subprocess.run(
            [npm, "pack", f"pyodide@{version}", "--pack-destination", tmp, "--silent"],
            capture_output=True,
            text=True,
            check=False,
            cwd=tmp,
        )
        tarballs = list(Path(tmp).glob("*.tgz"))
        if result.returncode != 0 or not tarballs:
            raise PyodideUnavailableError(
                f"npm pack pyodide@{version} failed (exit {result.returncode}): {result.stderr.strip()[-500:]}; "
                "check the network or pass pyodide_dir=<folder with the npm package files>"
            )
        return tarballs[0].read_bytes()


def _extract(tarball: bytes, names: list[str]) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for member in archive.getmembers():
            name = member.name.removeprefix("package/")
            if name in names and member.isfile():
                extracted = archive.extractfile(member)
                if extracted is not None:
                    found[name] = _verified(name, extracted.read(), "npm pyodide tarball")
    missing = sorted(set(names) - set(found))
    if missing:
        raise PyodideUnavailableError(f"the npm pyodide tarball lacks {', '.join(missing)}")
    return found


def _write_cache(folder: Path, files: Mapping[str, bytes]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        # Write then rename, so a concurrent build never reads a half-written file.
        partial = folder / f".{name}.partial-{os.getpid()}"
        partial.write_bytes(data)
        partial.replace(folder / name)


def runtime_files(pyodide_dir: Path | None = None, *, classic_loader: bool = False) -> dict[str, bytes]:
    """Return the verified runtime files, by file name.

    From ``pyodide_dir`` when given (an unpacked npm package or a copy of its files), else from the
    cache, else fetched with ``npm pack`` into the cache. Every file is checked against its pinned sum.
    """
    names = list(RUNTIME_SHA256)
    if classic_loader:
        names.append(CLASSIC_LOADER)
    if pyodide_dir is not None:
        files = _read_folder(pyodide_dir, names)
        if files is None:
            missing = [name for name in names if not (pyodide_dir / name).is_file()]
            raise PyodideUnavailableError(f"pyodide_dir {pyodide_dir} lacks {', '.join(missing)}")
        return files
    cached = _read_folder(cache_dir(), names)
    if cached is not None:
        return cached
    files = _extract(_npm_pack(PYODIDE_VERSION), list(ALL_SHA256))
    _write_cache(cache_dir(), files)
    return {name: files[name] for name in names}


def runtime_paths(pyodide_dir: Path | None = None, *, classic_loader: bool = False) -> dict[str, Path]:
    """The verified runtime files on disk, by file name (as :func:`runtime_files`, which fetches them into the
    cache when needed): a site links them instead of holding another copy of each. Cached files unchanged since
    they were verified are not read again."""
    names = [*RUNTIME_SHA256, *([CLASSIC_LOADER] if classic_loader else [])]
    if pyodide_dir is None and _verified_before(cache_dir(), names):
        return {name: cache_dir() / name for name in names}
    files = runtime_files(pyodide_dir, classic_loader=classic_loader)
    if pyodide_dir is not None:
        return {name: pyodide_dir / name for name in files}
    _note_verified(cache_dir(), names)
    return {name: cache_dir() / name for name in files}


def _stamps(folder: Path, names: list[str]) -> dict[str, list[object]] | None:
    """Each file's pinned SHA-256, size, modification time and inode; ``None`` when one is missing."""
    stamps: dict[str, list[object]] = {}
    for name in names:
        try:
            found = (folder / name).stat()
        except OSError:
            return None
        stamps[name] = [ALL_SHA256[name], found.st_size, found.st_mtime_ns, found.st_ino]
    return stamps


def _verified_before(folder: Path, names: list[str]) -> bool:
    """Whether every file of ``names`` in ``folder`` is as it was when it was last verified."""
    try:
        noted = json.loads((folder / VERIFIED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    stamps = _stamps(folder, names)
    return (
        stamps is not None and isinstance(noted, dict) and all(noted.get(n) == s for n, s in stamps.items())
    )


def _note_verified(folder: Path, names: list[str]) -> None:
    """Note the files of ``names`` in ``folder`` as verified (they just were)."""
    stamps = _stamps(folder, names)
    if stamps is None:
        return
    try:
        noted = json.loads((folder / VERIFIED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        noted = {}
    partial = folder / f".{VERIFIED}.partial-{os.getpid()}"
    try:
        partial.write_text(
            json.dumps({**(noted if isinstance(noted, dict) else {}), **stamps}), encoding="utf-8"
        )
        partial.replace(folder / VERIFIED)
    except OSError:  # a read-only cache: verify again next time
        partial.unlink(missing_ok=True)


def link_or_copy(source: Path, dest: Path) -> None:
    """Make ``dest`` a hard link to ``source`` (no copy when both are on one file system), else a copy."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists():
        if dest.samefile(source):
            return
        dest.unlink()
    try:
        os.link(source, dest)
    except OSError:  # another file system, or links not allowed
        shutil.copyfile(source, dest)
