"""The troubleshooter's site files without a browser: runtime verification, the matcher archive, the embedding."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
from pathlib import Path
import tarfile

import pytest
from troubledocs.browser import embed, pyodide_dist
from troubledocs.browser.archive import matcher_archive, package_dir
from troubledocs.browser.pyodide_dist import (
    RUNTIME_SHA256,
    PyodideUnavailableError,
    link_or_copy,
    runtime_files,
    runtime_paths,
)
from troubledocs.browser.site_files import (
    ASSETS_DIR,
    BrowserOptions,
    LinkedFile,
    extra_javascript,
    index_files,
    site_files,
    with_widget,
)

from troubleshooter.model import SITE_INDEX_PATH


def fake_runtime(folder: Path, names: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_bytes(b"not the pinned file")


def test_a_tampered_file_is_refused(tmp_path: Path) -> None:
    fake_runtime(tmp_path, list(RUNTIME_SHA256))
    with pytest.raises(PyodideUnavailableError, match=r"pyodide\.mjs: SHA-256 .* does not match the pinned"):
        runtime_files(tmp_path)


def test_a_pyodide_dir_missing_files_names_them(tmp_path: Path) -> None:
    fake_runtime(tmp_path, ["pyodide.mjs"])
    with pytest.raises(PyodideUnavailableError, match=r"lacks pyodide\.asm\.mjs, pyodide\.asm\.wasm"):
        runtime_files(tmp_path)


def test_no_npm_and_no_cache_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(pyodide_dist.CACHE_ENV, str(tmp_path / "empty-cache"))
    monkeypatch.setattr(pyodide_dist.shutil, "which", lambda name: None)
    with pytest.raises(PyodideUnavailableError, match=r"npm is not installed.*pyodide_dir"):
        runtime_files()


def test_a_cached_file_is_verified_again_only_once_it_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv(pyodide_dist.CACHE_ENV, str(cache))
    folder = pyodide_dist.cache_dir()
    pins = {}
    for name in pyodide_dist.ALL_SHA256:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(f"runtime file {name}".encode())
        pins[name] = hashlib.sha256((folder / name).read_bytes()).hexdigest()
    monkeypatch.setattr(pyodide_dist, "ALL_SHA256", pins)
    monkeypatch.setattr(pyodide_dist, "RUNTIME_SHA256", {n: pins[n] for n in pyodide_dist.RUNTIME_SHA256})
    expected = {name: folder / name for name in pyodide_dist.RUNTIME_SHA256}
    assert runtime_paths() == expected
    hashed: list[bytes] = []
    real = pyodide_dist._sha256
    monkeypatch.setattr(pyodide_dist, "_sha256", lambda data: hashed.append(data) or real(data))
    assert runtime_paths() == expected and hashed == []
    # The classic loader was not verified yet: only asking for it reads the files.
    assert pyodide_dist.CLASSIC_LOADER in runtime_paths(classic_loader=True) and hashed
    hashed.clear()
    (folder / "pyodide.asm.wasm").write_bytes(b"runtime file tampered")
    with pytest.raises(PyodideUnavailableError, match=r"pyodide\.asm\.wasm: SHA-256 .* does not match"):
        runtime_paths()


def test_the_cached_runtime_matches_the_pins() -> None:
    if (
        not (pyodide_dist.cache_dir() / "pyodide.asm.wasm").exists()
        and pyodide_dist.shutil.which("npm") is None
    ):
        pytest.skip("neither the Pyodide cache nor npm is available")
    files = runtime_files(classic_loader=True)
    assert sorted(files) == sorted([*RUNTIME_SHA256, "pyodide.js"])


def test_the_archive_holds_the_matcher_package_and_is_reproducible() -> None:
    first, second = matcher_archive(), matcher_archive()
    assert first == second
    with tarfile.open(fileobj=io.BytesIO(first), mode="r:gz") as archive:
        names = archive.getnames()
    shipped = sorted(
        f"troubleshooter/{p.relative_to(package_dir()).as_posix()}" for p in package_dir().rglob("*.py")
    )
    assert shipped and set(shipped) <= set(names)
    assert "troubleshooter/__init__.py" in names
    assert not [name for name in names if "__pycache__" in name]


def test_site_files_ship_the_runtime_unless_a_url_is_given(tmp_path: Path) -> None:
    if (
        not (pyodide_dist.cache_dir() / "pyodide.asm.wasm").exists()
        and pyodide_dist.shutil.which("npm") is None
    ):
        pytest.skip("neither the Pyodide cache nor npm is available")
    shipped = {f.dest_uri for f in site_files(BrowserOptions())}
    assert f"{ASSETS_DIR}/pyodide/pyodide.asm.wasm" in shipped
    assert f"{ASSETS_DIR}/worker.mjs" in shipped
    assert not [uri for uri in shipped if uri.endswith("pyodide-lock.json")]
    remote = site_files(BrowserOptions(pyodide_url="https://cdn.example/pyodide/v314.0.7/full/"))
    assert not [f for f in remote if "/pyodide/" in f.dest_uri]
    config = next(f for f in remote if f.dest_uri.endswith("config.js")).data.decode()
    assert '"pyodideUrl": "https://cdn.example/pyodide/v314.0.7/full/"' in config
    assert [uri.rsplit("/", 1)[-1] for uri in extra_javascript()] == ["config.js", "widget.js"]


def test_classic_asm_rewrites_the_module_and_refuses_other_shapes() -> None:
    module = (
        "var a=import.meta.url;async function _createPyodideModule(){}export default _createPyodideModule;"
    )
    classic = embed.classic_asm(module)
    assert "export" not in classic and "import.meta" not in classic
    assert "self._createPyodideModule = _createPyodideModule;" in classic
    with pytest.raises(ValueError, match="shape"):
        embed.classic_asm("export const x = 1;")


def test_the_embedded_runtime_round_trips() -> None:
    runtime = {
        "pyodide.asm.mjs": b"let u=import.meta.url;export default _createPyodideModule;",
        "pyodide.js": b"var loadPyodide;",
        "pyodide.asm.wasm": b"\x00asm\x01",
        "python_stdlib.zip": b"PK\x03\x04",
    }
    script = embed.runtime_script(runtime, "/* worker */", b"\x1f\x8b archive").decode()
    prefix = "globalThis.troubleshooterEmbed = Object.assign(globalThis.troubleshooterEmbed || {}, "
    assert script.startswith(prefix)
    payload = json.loads(script[len(prefix) : script.rindex(");")])
    assert base64.b64decode(payload["wasm"]) == b"\x00asm\x01"
    assert base64.b64decode(payload["archive"]) == b"\x1f\x8b archive"
    assert payload["worker"] == "/* worker */"
    packed = gzip.compress('{"entries": ["caf\u00e9 \u2028"]}'.encode(), mtime=0)
    index = index_files(BrowserOptions(embed_runtime=True), packed)
    assert [f.dest_uri for f in index] == [SITE_INDEX_PATH, "assets/troubleshooter/embed-index.js"]
    assert index[0].data == packed
    literal = index[1].data.decode("ascii")
    assert base64.b64decode(json.loads(literal[literal.index("index: ") + 7 : literal.rindex("}")])) == packed


def test_the_widget_goes_after_the_first_heading() -> None:
    page = '<h1 id="t">Title</h1><p>Text</p>'
    assert with_widget(page).startswith(
        '<h1 id="t">Title</h1><div class="troubleshooter" data-troubleshooter'
    )
    assert with_widget("<p>No heading</p>").startswith('<div class="troubleshooter"')


def test_the_runtime_is_linked_into_the_site_not_copied(tmp_path: Path) -> None:
    source = tmp_path / "cache" / "pyodide.asm.wasm"
    source.parent.mkdir()
    source.write_bytes(b"\0asm runtime")
    dest = tmp_path / "site" / "assets" / "pyodide.asm.wasm"
    link_or_copy(source, dest)
    assert dest.samefile(source)
    link_or_copy(source, dest)  # a second build into the same site: nothing to do
    assert dest.samefile(source)
    dest.unlink()
    dest.write_bytes(b"an older file")
    link_or_copy(source, dest)
    assert dest.read_bytes() == b"\0asm runtime"


def test_site_files_link_the_cached_runtime() -> None:
    if not (pyodide_dist.cache_dir() / "pyodide.asm.wasm").exists():
        pytest.skip("the Pyodide runtime is not cached")
    linked = {f.dest_uri: f.source for f in site_files(BrowserOptions()) if isinstance(f, LinkedFile)}
    assert linked[f"{ASSETS_DIR}/pyodide/pyodide.asm.wasm"] == pyodide_dist.cache_dir() / "pyodide.asm.wasm"
    assert sorted(path.name for path in linked.values()) == sorted(RUNTIME_SHA256)
