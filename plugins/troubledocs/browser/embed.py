"""The file:// option: the runtime embedded in classic scripts.

Browsers refuse module workers, ES module imports and ``fetch`` on ``file://`` pages, but still run
classic ``<script src>`` tags. So the widget loads two classic scripts lazily (on focus or paste)
that set ``globalThis.troubleshooterEmbed``: the worker's and Pyodide's JavaScript as source text, the
binaries as base64. It then starts a classic worker from a Blob of that source and feeds it the
binaries. Pyodide's ES module is rewritten into a classic script by :func:`classic_asm`.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
import json

RUNTIME_SCRIPT = "embed-runtime.js"
INDEX_SCRIPT = "embed-index.js"

_EXPORT = "export default _createPyodideModule;"
_IMPORT_META = "import.meta.url"
# Every import.meta.url of the module resolves files next to it; the worker answers those fetches.
_BASE_EXPRESSION = "(self.troubleshooterPyodideBase || self.location.href)"


def classic_asm(asm_module: str) -> str:
    """``pyodide.asm.mjs`` as a classic script defining ``self._createPyodideModule``.

    Raises ``ValueError`` when the module does not have the expected shape (another Pyodide release).
    """
    if asm_module.count(_EXPORT) != 1 or "import.meta" not in asm_module:
        raise ValueError("pyodide.asm.mjs does not have the shape the file:// embedding expects")
    classic = asm_module.replace(_EXPORT, "self._createPyodideModule = _createPyodideModule;")
    classic = classic.replace(_IMPORT_META, _BASE_EXPRESSION)
    if "import.meta" in classic:
        raise ValueError("pyodide.asm.mjs uses import.meta in a way the file:// embedding does not handle")
    return classic


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def runtime_script(runtime: Mapping[str, bytes], worker_source: str, archive: bytes) -> bytes:
    """The classic script holding the worker, Pyodide (classic loader + module) and the matcher."""
    payload = {
        "worker": worker_source,
        "asm": classic_asm(runtime["pyodide.asm.mjs"].decode("utf-8")),
        "loader": runtime["pyodide.js"].decode("utf-8"),
        "wasm": _b64(runtime["pyodide.asm.wasm"]),
        "stdlib": _b64(runtime["python_stdlib.zip"]),
        "archive": _b64(archive),
    }
    body = json.dumps(payload, ensure_ascii=True, separators=(",", ":"))
    return f"globalThis.troubleshooterEmbed = Object.assign(globalThis.troubleshooterEmbed || {{}}, {body});\n".encode()


def index_script(index_gz: bytes) -> bytes:
    """The classic script holding the troubleshooting index file (gzip) as base64."""
    return (
        "globalThis.troubleshooterEmbed = Object.assign(globalThis.troubleshooterEmbed || {}, "
        f'{{index: "{_b64(index_gz)}"}});\n'
    ).encode()
