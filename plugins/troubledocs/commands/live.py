"""The server behind ``troubledocs serve``: MkDocs's live-reloading server, with a builder that builds again only
the pages a save changed (:mod:`troubledocs.mkdocs_adapter.rebuild`) and the whole site for any other change."""

from __future__ import annotations

import logging
from pathlib import Path
import time
from typing import Any
from urllib.parse import urlsplit

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer, _serve_url

from troubledocs.mkdocs_adapter.plugin import TroubledocsPlugin
from troubledocs.repository.model import list_files

log = logging.getLogger("mkdocs.commands.serve")

#: Modification time and size of each file under the docs folder.
Snapshot = dict[str, tuple[int, int]]


def snapshot(root: Path) -> Snapshot:
    """What tells a saved file from an untouched one, for every file under ``root``."""
    found: Snapshot = {}
    for uri in list_files(root):
        try:
            stat = (root / uri).stat()
        except OSError:
            continue
        found[uri] = (stat.st_mtime_ns, stat.st_size)
    return found


class Builder:
    """Build the site in full the first time and after any change but saved pages, which it builds alone."""

    def __init__(self, config_file: str, site_dir: Path, overrides: dict[str, Any]) -> None:
        self._arguments: dict[str, Any] = {"config_file": config_file, "site_dir": str(site_dir), **overrides}
        self.config = self._load()
        self.serve_url = ""
        self._built: MkDocsConfig | None = None
        self._snapshot: Snapshot = {}

    def _load(self) -> MkDocsConfig:
        return load_config(**self._arguments)

    def __call__(self) -> None:
        if self._built is not None and self._rebuild_pages(self._built):
            return
        config = self.config if self._built is None else self._load()
        config.site_url = self.serve_url
        self._snapshot = snapshot(Path(config.docs_dir))
        self._built = None
        build(config, serve_url=self.serve_url)
        self._built = config

    def _rebuild_pages(self, config: MkDocsConfig) -> bool:
        """Build only the saved pages (and their includers); False when the change needs a full build."""
        plugin = config.plugins.get("troubledocs")
        now = snapshot(Path(config.docs_dir))
        changed = {
            uri for uri in now.keys() | self._snapshot.keys() if now.get(uri) != self._snapshot.get(uri)
        }
        if not isinstance(plugin, TroubledocsPlugin) or not changed:
            return False  # a file outside the docs folder (keywords, configuration)
        started = time.monotonic()
        try:
            done = plugin.rebuild_pages(config, changed)
            if done is None:
                return False
            plugin.after_rebuild(config)
        except Exception as error:  # noqa: BLE001 -- the full build reports it properly
            log.debug(f"rebuilding {sorted(changed)} alone failed ({error!r}): building the whole site")
            return False
        self._snapshot = now
        log.info(f"Rebuilt {', '.join(done)} in {time.monotonic() - started:.2f} seconds")
        return True


def serve(config_file: str, site_dir: Path, *, livereload: bool = True, **overrides: Any) -> None:
    """Build into ``site_dir`` (the caller removes it) and serve it until interrupted, as ``mkdocs serve`` does."""
    builder = Builder(config_file, site_dir, overrides)
    config = builder.config
    config.plugins.on_startup(command="serve", dirty=False)
    host, port = config.dev_addr
    mount_path = urlsplit(config.site_url or "/").path
    builder.serve_url = _serve_url(host, port, mount_path)
    server = LiveReloadServer(
        builder=builder, host=host, port=port, root=str(site_dir), mount_path=mount_path
    )

    def error_page(code: int) -> bytes | None:
        page = site_dir / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    server.error_handler = error_page
    try:
        builder()
        if livereload:
            server.watch(config.docs_dir)
            if config.config_file_path:
                server.watch(config.config_file_path)
            server = config.plugins.on_serve(server, config=config, builder=builder)
            for item in config.watch:
                server.watch(item)
        try:
            server.serve()  # type: ignore[no-untyped-call]
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            server.shutdown()
    finally:
        config.plugins.on_shutdown()
