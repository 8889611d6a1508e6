"""What the browser tests and ``bench/browser.py`` share: building a site, serving it, Chromium, pasting.

Chromium is Debian's ``/usr/bin/chromium`` driven by Playwright's Python package (never ``playwright install``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
import json
from pathlib import Path
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
from typing import Any
from urllib.parse import urlsplit

from troubledocs.material.compressed_search import read_search_index
import yaml

from troubleshooter.model import SITE_INDEX_PATH, index_text

PLACEHOLDER = re.compile(r"<([A-Za-z][\w ./-]*)>")
NUMBER = re.compile(r"\b\d{3,}\b")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    # Belt and braces: no host name but the local server resolves, whatever a page asks for.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
SEARCH_QUERY = "[data-md-component=search-query]"
SEARCH_RESULT_LINK = "a.md-search-result__link"
WIDGET = "[data-troubleshooter]"
INPUT = "[data-troubleshooter-input]"
RESULT = "[data-troubleshooter-result]"
NONE = "[data-troubleshooter-none]"
UNSURE = "[data-troubleshooter-unsure]"
RELATED = "[data-troubleshooter-related]"
ANSWERED = f"{RESULT}, {NONE}, {UNSURE}"

# Paste ``text`` into the widget's box as a reader would (replacing what is there), through a real
# ClipboardEvent, so the widget's paste handler (boot, cap, immediate match) runs.
PASTE_JS = """
(text) => {
  const input = document.querySelector('[data-troubleshooter-input]');
  input.focus();
  input.select();
  const data = new DataTransfer();
  data.setData('text/plain', text);
  input.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
  return performance.now();
}
"""

# Paste ``text`` as a reader does (focus, then the paste in a task of its own) and wait in the page for the
# widget's answer, so that no polling from the test shares the page's frames. Resolves to the paste's and the
# answer's times once the answer's frame has been drawn and reported.
PASTE_AND_WAIT_JS = """
async ([text, timeoutMs]) => {
  const input = document.querySelector('[data-troubleshooter-input]');
  input.focus();
  input.select();
  await new Promise((resolve) => setTimeout(resolve, 100));
  const answered = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
    new PerformanceObserver((list, observer) => {
      const answer = list.getEntries().find((entry) => entry.name === 'troubleshooter:answer');
      if (!answer) return;
      clearTimeout(timer);
      observer.disconnect();
      resolve(answer.startTime);
    }).observe({type: 'mark'});
  });
  const data = new DataTransfer();
  data.setData('text/plain', text);
  const pasted = performance.now();
  input.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
  const answer = await answered;
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 300)));
  return {pasted, answered: answer};
}
"""

# An init script: the page's long animation frames (over 50 ms of tasks and rendering between two frames,
# with the scripts that ran in them), long tasks and layout shifts, from the first script on.
FRAMES_JS = """
window.__frames = [];
new PerformanceObserver((list) => window.__frames.push(...list.getEntries()))
  .observe({type: "long-animation-frame", buffered: true});
window.__longTasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__longTasks.push([entry.startTime, entry.duration]);
}).observe({type: "longtask", buffered: true});
window.__shift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
}).observe({type: "layout-shift", buffered: true});
"""

# The long animation frames recorded by FRAMES_JS that end after ``since``. ``widget`` is true for a frame in
# which the troubleshooter ran: one of its scripts (over 5 ms, which the browser attributes) or one of its
# ``troubleshooter:*`` marks, set at each step it takes on the main thread. ``share`` is the widget's part of
# such a frame: its length without the scripts (over 5 ms) of other files that ran in it, such as the theme's
# (a script without a file, such as a test's own, stays in: it may have dispatched the widget's event); the
# rendering counts with the widget, so a layout that its DOM change caused is the widget's. ``blocking`` is the
# browser's blockingDuration: how much longer than 50 ms each task of the frame (the rendering with the last)
# kept the main thread, added up; unlike the length, it leaves out the waits between tasks.
FRAMES_READ_JS = """
(since) => {
  const ours = (url) => url.includes('/assets/troubleshooter/');
  const marks = performance.getEntriesByType('mark').filter((m) => m.name.startsWith('troubleshooter:'));
  return window.__frames.filter((f) => f.startTime + f.duration >= since).map((f) => {
    const end = f.startTime + f.duration;
    const steps = marks.filter((m) => m.startTime >= f.startTime && m.startTime <= end).map((m) => m.name);
    const others = f.scripts
      .filter((s) => s.sourceURL && !ours(s.sourceURL))
      .reduce((sum, s) => sum + s.duration, 0);
    const scripts = f.scripts.map((s) =>
      `${s.invoker} ${s.sourceURL.split('/').pop()}:${s.sourceFunctionName} ${Math.round(s.duration)} ms`);
    return {
      start: f.startTime,
      duration: f.duration,
      render: f.renderStart ? end - f.renderStart : 0,
      widget: steps.length > 0 || f.scripts.some((s) => ours(s.sourceURL)),
      share: f.duration - others,
      blocking: f.blockingDuration,
      steps,
      scripts,
    };
  });
}
"""


def concrete(error: str, salt: int) -> str:
    """``error`` as a reader would see it: placeholders filled in, long numbers changed, log noise around."""
    filled = PLACEHOLDER.sub(
        lambda m: f"{re.sub(r'[^a-z]+', '-', m.group(1).lower()).strip('-')}-{salt}7f3a", error
    )
    filled = NUMBER.sub(lambda m: str(int(m.group(0)) + 1000 + salt), filled)
    return f"2026-11-24T23:41:0{salt % 10}Z ERROR request-id=4f1c{salt}e9 {filled}\n  (retrying in 5s)"


#: axe-core, the accessibility checker, from its npm release (fetched once into the cache, like Pyodide).
AXE_VERSION = "4.14.1"


def axe_source() -> str:
    """``axe.min.js`` of :data:`AXE_VERSION`: from ``~/.cache/troubledocs/axe-core``, else ``npm pack`` (which
    checks the registry's integrity hash) into that cache. Raises ``RuntimeError`` when neither works."""
    cached = Path.home() / ".cache" / "troubledocs" / "axe-core" / AXE_VERSION / "axe.min.js"
    if not cached.is_file():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError(f"axe-core {AXE_VERSION} is not cached in {cached.parent} and npm is absent")
        with tempfile.TemporaryDirectory(prefix="troubledocs-axe-") as tmp:
            subprocess.run(
                [npm, "pack", f"axe-core@{AXE_VERSION}", "--silent"], cwd=tmp, check=True, capture_output=True
            )
            with tarfile.open(next(Path(tmp).glob("*.tgz"))) as archive:
                member = archive.extractfile("package/axe.min.js")
                if member is None:
                    raise RuntimeError("the axe-core tarball has no axe.min.js")
                cached.parent.mkdir(parents=True, exist_ok=True)
                cached.write_bytes(member.read())
    return cached.read_text(encoding="utf-8")


def index_entries(site: Path) -> list[dict[str, Any]]:
    """The entries of the troubleshooter index of the built site ``site``."""
    entries: list[dict[str, Any]] = json.loads(index_text((site / SITE_INDEX_PATH).read_bytes()))["entries"]
    return entries


def error_anchors(site: Path) -> dict[str, set[str]]:
    """Each error message of the built site's index, with the anchors of the sections it belongs to."""
    errors: dict[str, set[str]] = {}
    for entry in index_entries(site):
        for error in entry.get("errors", []):
            errors.setdefault(error, set()).add(entry["anchor"])
    return errors


def a_section(site: Path, page: str) -> dict[str, Any]:
    """The section of ``page`` (``name.html``) with the longest title in the built site's search index."""
    data = json.loads(read_search_index(site) or "{}")
    sections = [doc for doc in data["docs"] if doc["location"].startswith(f"{page}#")]
    assert sections, f"{page} has no sections in the search index"
    section: dict[str, Any] = max(sections, key=lambda doc: len(doc["title"]))
    return section


def search(tab: Tab, text: str) -> list[str]:
    """Type ``text`` into Material's search box; return the results as ``page.html#anchor`` (no highlight query)."""
    page = tab.page
    page.locator(SEARCH_QUERY).click()
    page.keyboard.type(text)
    page.wait_for_selector(SEARCH_RESULT_LINK, timeout=30_000)
    links = [urlsplit(link.get_attribute("href") or "") for link in page.locator(SEARCH_RESULT_LINK).all()]
    return [f"{link.path.rsplit('/', 1)[-1]}#{link.fragment}" for link in links]


def build_site(src: Path, out: Path, *, embed_runtime: bool = False) -> Path:
    """Build ``src`` into ``out`` with ``troubledocs build``; for ``embed_runtime``, with ``mkdocs build``
    and the same configuration plus that plugin option.

    Raises ``RuntimeError`` with the build's output when it fails.
    """
    if not embed_runtime:
        command = [sys.executable, "-m", "troubledocs", "build", str(src), "-o", str(out)]
    else:
        from troubledocs.mkdocs_adapter.generated_config import default_config
        from troubledocs.repository.model import Repository

        config = default_config(Repository.open(src), out)
        for plugin in config["plugins"]:
            if isinstance(plugin, dict) and "troubledocs" in plugin:
                plugin["troubledocs"]["embed_runtime"] = True
        out.parent.mkdir(parents=True, exist_ok=True)
        config_file = out.parent / f"{out.name}.mkdocs.yml"
        config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
        command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config_file)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}{result.stderr}"
        )
    return out


class _Handler(SimpleHTTPRequestHandler):
    """The standard library's file server, silent, counting the bytes of the files it sends; it adds the
    server's extra response headers and keeps what is POSTed to it (a Content-Security-Policy's reports)."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        server: LocalServer = self.server  # type: ignore[assignment]
        for name, value in server.headers.items():
            self.send_header(name, value)
        if server.gzip_encoding and self.path.split("?")[0].endswith(".gz"):
            self.send_header("Content-Encoding", "gzip")
        super().end_headers()

    def do_POST(self) -> None:
        server: LocalServer = self.server  # type: ignore[assignment]
        server.posted.append((self.path, self.rfile.read(int(self.headers.get("Content-Length") or 0))))
        self.send_response(204)
        self.end_headers()

    def copyfile(self, source: Any, outputfile: Any) -> None:
        start = source.tell()
        super().copyfile(source, outputfile)
        server: LocalServer = self.server  # type: ignore[assignment]
        server.bytes_sent += source.tell() - start


class LocalServer(ThreadingHTTPServer):
    bytes_sent = 0
    #: Sent with every response.
    headers: dict[str, str]
    #: Send ``.gz`` files with ``Content-Encoding: gzip`` (as Apache's ``AddEncoding gzip .gz`` does), so that
    #: the browser decompresses them before the page sees them.
    gzip_encoding = False
    #: (path, body) of each POST request, in arrival order.
    posted: list[tuple[str, bytes]]

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A page left before its files arrived (the next page loaded) resets the connection: no traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(
    folder: Path, headers: dict[str, str] | None = None, *, gzip_encoding: bool = False
) -> Iterator[LocalServer]:
    """Serve ``folder`` on 127.0.0.1 (a free port) with the standard library's server, adding ``headers``
    (and with ``gzip_encoding``, ``Content-Encoding: gzip`` for ``.gz`` files)."""
    server = LocalServer(("127.0.0.1", 0), partial(_Handler, directory=str(folder)))
    server.headers = headers or {}
    server.gzip_encoding = gzip_encoding
    server.posted = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def launch(playwright: Any) -> Any:
    """Debian's Chromium, headless."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def launch_profile(playwright: Any, profile: Path) -> Any:
    """Debian's Chromium with a fresh on-disk profile: a real HTTP cache, unlike incognito contexts (whose
    in-memory cache does not keep a 9.6 MB file), so a reload is a true warm load."""
    return playwright.chromium.launch_persistent_context(
        str(profile), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
    )


class NetworkGuard:
    """Records every request of a browser context that is not to ``origin`` (or the page's own
    ``blob:``/``data:``/``file:`` URLs), and with ``block`` aborts it; keeps the URLs that were served too.

    Routing turns off the browser's HTTP cache, so warm-load measurements pass ``block=False`` and rely on
    ``--host-resolver-rules`` (no outside host resolves) to keep requests in.
    """

    LOCAL_SCHEMES = ("blob:", "data:", "file:")

    def __init__(self, context: Any, origin: str | None, *, block: bool = True) -> None:
        self.origin = origin
        self.outside: list[str] = []
        self.inside: list[str] = []
        if block:
            context.route("**/*", self._route)
        context.on("request", self._seen)

    def _local(self, url: str) -> bool:
        return url.startswith(self.LOCAL_SCHEMES) or (
            self.origin is not None and (url == self.origin or url.startswith(self.origin + "/"))
        )

    def _seen(self, request: Any) -> None:
        (self.inside if self._local(request.url) else self.outside).append(request.url)

    def _route(self, route: Any) -> None:
        if self._local(route.request.url):
            route.continue_()
        else:
            route.abort("blockedbyclient")


class Tab:
    """A page in a fresh browser context, with its network guard and the page's errors."""

    def __init__(
        self,
        browser: Any,
        origin: str | None,
        *,
        tolerate: str | None = None,
        block: bool = True,
        context: Any = None,
        **context_options: Any,
    ) -> None:
        """A new incognito context of ``browser``, or ``context`` (a persistent profile, which has a disk cache)."""
        self.context = context if context is not None else browser.new_context(**context_options)
        #: A page error containing this text is not the troubleshooter's and is not reported.
        self.tolerate = tolerate
        self.guard = NetworkGuard(self.context, origin, block=block)
        self.page = self.context.pages[0] if self.context.pages else self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", self._error)

    def _error(self, error: Any) -> None:
        if self.tolerate is None or self.tolerate not in str(error):
            self.errors.append(str(error))

    def paste(self, text: str) -> None:
        self.page.evaluate(PASTE_JS, text)

    def answer(self, text: str, timeout: float = 90_000) -> Any:
        """Paste ``text`` and wait until the widget shows an answer for it; return the widget."""
        widget = self.page.locator(WIDGET).first
        # Clear the previous answer, so the wait below sees this paste's answer.
        widget.evaluate("(root) => root.querySelector('.troubleshooter__results').replaceChildren()")
        self.paste(text)
        self.page.wait_for_selector(ANSWERED, timeout=timeout)
        return widget

    def close(self) -> None:
        self.context.close()
        assert not self.guard.outside, f"requests outside the site: {self.guard.outside}"
        assert not self.errors, f"page errors: {self.errors}"


# The XSS oracle of a built page (tests/browser/test_hostile.py, bench/fuzz.py).
#: Installed before any page script: an alert() the page runs is recorded, not shown.
RECORD_JS = "window.__ran = []; window.alert = (what) => window.__ran.push(String(what));"
#: What the DOM would run on a reader's click or hover: event handlers, ``javascript:`` in an attribute a browser
#: reads as a URL (in a ``title`` it is inert text).
LEFT_IN_DOM_JS = """() => {
  const urls = new Set(["href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "cite"]);
  const found = [];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const value = attribute.value.replace(/[\\u0000-\\u0020]/g, "").toLowerCase();
      if (attribute.name.startsWith("on") || (urls.has(attribute.name) && value.startsWith("javascript:"))) {
        found.push(`<${element.localName} ${attribute.name}="${attribute.value}">`);
      }
    }
  }
  return found;
}"""


class ScriptWatch:
    """What authored script a page of ``tab`` runs: ``alert()`` calls, dialogs of any frame, and event handlers or
    ``javascript:`` URLs left in the DOM (every hostile payload calls ``alert()``)."""

    def __init__(self, tab: Tab) -> None:
        self.tab = tab
        self.dialogs: list[str] = []
        tab.context.add_init_script(RECORD_JS)
        tab.page.on("dialog", self._dismiss)

    def _dismiss(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def load(self, url: str) -> list[str]:
        """Load ``url`` and say what ran or would run there (empty: nothing)."""
        self.tab.page.goto(url, wait_until="load")
        self.tab.page.wait_for_timeout(200)  # frames and late handlers (an image's onerror) get their turn
        found = [*self.tab.page.evaluate("() => window.__ran"), *self.tab.page.evaluate(LEFT_IN_DOM_JS)]
        found += self.dialogs
        self.dialogs.clear()
        return found
