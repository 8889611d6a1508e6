// The "Paste an error" widget: hydrates every [data-troubleshooter] element of the page, talks to the
// troubleshooter worker, and renders ranked sections. Pasted text only ever reaches the DOM through
// text nodes (textContent), never as HTML.
//
// Hooks (stable, documented): root [data-troubleshooter][data-state=idle|loading|ready|error],
// input [data-troubleshooter-input], each result [data-troubleshooter-result] (holds the section link),
// the no-match answer [data-troubleshooter-none]. A root with [data-troubleshooter-preload] boots when idle.

(() => {
  "use strict";

  // Material's instant navigation may evaluate this script again: keep the first copy (and its worker).
  if (globalThis.troubleshooterClient) return;

  const script = document.currentScript;
  const ASSETS = new URL(".", script.src);
  const SITE_ROOT = new URL("../../", ASSETS);
  const CONFIG = globalThis.troubleshooterConfig || {};
  const MAX_CHARS = CONFIG.maxChars || 20000;
  const DEBOUNCE_MS = 200;
  const TOP = 5;
  const EVIDENCE_CHARS = 400;
  const STAGES = {
    runtime: "Loading the Python runtime…",
    matcher: "Loading the matcher…",
    index: "Reading the troubleshooting index…",
  };
  const SERVE_HELP =
    "The troubleshooter cannot run from a file:// page: browsers refuse to start its worker there. " +
    "Serve this folder instead, for example with `python -m http.server` in the site folder, " +
    "then open http://localhost:8000/.";

  // ---- the worker, shared by every widget and kept across Material's instant navigation ----

  const client = {
    worker: null,
    state: "idle", // idle | loading | ready | error
    stage: null,
    error: null,
    nextId: 1,
    pending: new Map(),
    listeners: new Set(),

    notify() {
      for (const listener of this.listeners) listener();
    },

    setState(state, extra = {}) {
      Object.assign(this, { state }, extra);
      this.notify();
    },

    fail(message) {
      for (const { reject } of this.pending.values()) reject(new Error(message));
      this.pending.clear();
      this.setState("error", { error: message });
    },

    onMessage(message) {
      if (message.type === "progress") {
        this.setState("loading", { stage: message.stage });
      } else if (message.type === "ready") {
        performance.mark("troubleshooter:ready");
        this.setState("ready", { stage: null, bootMs: message.bootMs, stages: message.stages });
      } else if (message.type === "failed") {
        this.fail(message.message);
      } else if (message.type === "result" || message.type === "error") {
        const request = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (!request) return;
        if (message.type === "result") request.resolve(message.answer);
        else request.reject(new Error(message.message));
      }
    },

    async start() {
      const config = {
        pyodideUrl: new URL(CONFIG.pyodideUrl || "pyodide/", ASSETS).href,
        archiveUrl: new URL("troubleshooter.tar.gz", ASSETS).href,
        indexUrl: new URL(CONFIG.indexFile, ASSETS).href,
        lock: CONFIG.lock,
      };
      if (location.protocol === "file:") {
        if (!CONFIG.embedRuntime) throw new Error(SERVE_HELP);
        await loadScript(new URL("embed-runtime.js", ASSETS).href);
        await loadScript(new URL("embed-index.js", ASSETS).href);
        const embedded = globalThis.troubleshooterEmbed;
        this.worker = classicWorker(embedded, config.pyodideUrl);
        config.embedded = {
          wasm: embedded.wasm,
          stdlib: embedded.stdlib,
          archive: embedded.archive,
          index: embedded.index,
        };
      } else {
        this.worker = new Worker(new URL("worker.mjs", ASSETS), { type: "module" });
      }
      this.worker.addEventListener("message", (event) => this.onMessage(event.data));
      this.worker.addEventListener("error", (event) => {
        this.fail(`the troubleshooter worker failed: ${event.message || "it could not be started"}`);
      });
      this.worker.postMessage({ type: "init", config });
    },

    boot() {
      if (this.state !== "idle") return;
      performance.mark("troubleshooter:boot-start");
      this.setState("loading", { stage: "runtime" });
      this.start().catch((error) => this.fail(error.message || String(error)));
    },

    match(query) {
      this.boot();
      const id = this.nextId++;
      return new Promise((resolve, reject) => {
        if (this.state === "error") {
          reject(new Error(this.error));
          return;
        }
        this.pending.set(id, { resolve, reject });
        const send = () => this.worker.postMessage({ type: "match", id, query, top: TOP });
        if (this.worker) send();
        else this.whenStarted(send);
      });
    },

    // The worker is created asynchronously on file:// (scripts load first); queue until then.
    whenStarted(callback) {
      const check = () => {
        if (this.worker) {
          this.listeners.delete(check);
          callback();
        }
      };
      this.listeners.add(check);
    },
  };

  // Also read by the benchmark (boot stages); not an API.
  globalThis.troubleshooterClient = client;

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const element = document.createElement("script");
      element.src = src;
      element.onload = resolve;
      element.onerror = () => reject(new Error(`could not load ${src}`));
      document.head.append(element);
    });
  }

  // A classic worker made from the embedded sources. Pyodide refuses classic workers unless
  // importScripts fails, so the prelude makes it throw (nothing here needs it).
  function classicWorker(embedded, pyodideUrl) {
    const prelude =
      'self.importScripts = () => { throw new Error("importScripts is unavailable"); };\n' +
      `self.troubleshooterPyodideBase = ${JSON.stringify(pyodideUrl)};\n`;
    const blob = new Blob([prelude, embedded.asm, "\n", embedded.loader, "\n", embedded.worker], {
      type: "text/javascript",
    });
    return new Worker(URL.createObjectURL(blob));
  }

  // ---- rendering ----

  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value !== null && value !== undefined) node.setAttribute(name, value);
    }
    node.append(...children); // strings become text nodes
    return node;
  }

  // The evidence, with its matched spans marked; a long text is cut to a window around the first span.
  function highlighted(text, spans) {
    const node = el("blockquote", { class: "troubleshooter__evidence" });
    const sorted = [...spans].sort((a, b) => a[0] - b[0]);
    const from = text.length > EVIDENCE_CHARS && sorted.length ? Math.max(0, sorted[0][0] - 60) : 0;
    const to = Math.min(text.length, from + EVIDENCE_CHARS);
    if (from > 0) node.append("…");
    let at = from;
    for (const [start, end] of sorted) {
      if (start < at || start >= to) continue;
      node.append(text.slice(at, start), el("mark", {}, text.slice(start, Math.min(end, to))));
      at = Math.min(end, to);
    }
    node.append(text.slice(at, to));
    if (to < text.length) node.append("…");
    return node;
  }

  // Scores are comparable within one answer only, so confidence is shown relative to the best match.
  function confidence(match, best, confident) {
    const share = best > 0 ? match.score / best : 0;
    const level = confident && share > 0.999 ? "high" : share >= 0.6 ? "medium" : "low";
    return `confidence ${level} (score ${match.score.toFixed(1)})`;
  }

  function sectionUrl(match) {
    return new URL(match.url, SITE_ROOT).href;
  }

  function renderMatch(match, rank, answer) {
    const item = el("li", { class: "troubleshooter__result", "data-troubleshooter-result": "" });
    const link = el("a", { class: "troubleshooter__link", href: sectionUrl(match) }, match.title);
    const meta = el(
      "span",
      { class: "troubleshooter__meta" },
      `${match.page} · ${confidence(match, answer.matches[0].score, answer.confident)}`,
    );
    item.append(el("div", { class: "troubleshooter__heading" }, `${rank}. `, link, " ", meta));
    if (match.evidence && match.evidence.text) {
      item.append(highlighted(match.evidence.text, match.evidence.spans || []));
    }
    const captures = Object.entries(match.captures || {});
    if (captures.length) {
      const list = el("dl", { class: "troubleshooter__captures" });
      for (const [name, value] of captures) list.append(el("dt", {}, name), el("dd", {}, String(value)));
      item.append(el("div", { class: "troubleshooter__captures-title" }, "From your paste:"), list);
    }
    return item;
  }

  function renderAnswer(widget, answer) {
    const results = widget.results;
    results.replaceChildren();
    widget.notice.textContent = [widget.capNotice, answer.notice].filter(Boolean).join(" ");
    if (!answer.matches.length) {
      results.append(
        el(
          "p",
          { class: "troubleshooter__none", "data-troubleshooter-none": "" },
          "No matching section: no troubleshooting entry of these docs fits this error. " +
            "Try pasting the exact error line, or search the docs.",
        ),
      );
      return;
    }
    if (!answer.confident) {
      results.append(
        el("p", { class: "troubleshooter__unsure" }, "No confident match; these sections come closest:"),
      );
    }
    const list = el("ol", { class: "troubleshooter__list" });
    answer.matches.forEach((match, index) => list.append(renderMatch(match, index + 1, answer)));
    results.append(list);
    performance.mark("troubleshooter:answer");
  }

  function renderState(widget) {
    const root = widget.root;
    root.dataset.state = client.state;
    widget.progress.hidden = client.state !== "loading";
    if (client.state === "loading") {
      widget.status.textContent = STAGES[client.stage] || STAGES.runtime;
    } else if (client.state === "error") {
      widget.status.textContent = `The troubleshooter could not start: ${client.error}`;
    } else if (client.state === "ready" && !widget.input.value.trim()) {
      widget.status.textContent = "Ready: paste an error message.";
    } else if (client.state === "idle") {
      widget.status.textContent =
        "Paste an error message or log lines; it is matched in your browser and sent nowhere.";
    } else {
      widget.status.textContent = "";
    }
  }

  // ---- one widget ----

  function hydrate(root) {
    if (root.dataset.troubleshooterHydrated) return;
    root.dataset.troubleshooterHydrated = "true";
    root.classList.add("troubleshooter"); // for a bare <div data-troubleshooter> placed by an author
    const id = `troubleshooter-${Math.random().toString(36).slice(2, 8)}`;
    const input = el("textarea", {
      id,
      class: "troubleshooter__input md-input",
      rows: "4",
      spellcheck: "false",
      autocomplete: "off",
      maxlength: String(MAX_CHARS),
      placeholder: "Paste an error message, a log excerpt or a command's output…",
      "data-troubleshooter-input": "",
      "aria-describedby": `${id}-status`,
    });
    const widget = {
      root,
      input,
      status: el("p", { class: "troubleshooter__status", id: `${id}-status`, role: "status" }),
      progress: el("progress", { class: "troubleshooter__progress", "aria-label": "Loading" }),
      notice: el("p", { class: "troubleshooter__notice", "aria-live": "polite" }),
      results: el("div", { class: "troubleshooter__results", "aria-live": "polite" }),
      capNotice: "",
      whole: "", // the whole of a paste too long for the box
      latest: 0,
      timer: null,
    };
    root.replaceChildren(
      el("label", { class: "troubleshooter__label", for: id }, "Paste an error"),
      input,
      widget.status,
      widget.progress,
      widget.notice,
      widget.results,
    );

    const run = () => {
      clearTimeout(widget.timer);
      const query = widget.whole || input.value;
      const ticket = ++widget.latest;
      if (!query.trim()) {
        widget.results.replaceChildren();
        widget.notice.textContent = "";
        renderState(widget);
        return;
      }
      client.match(query).then(
        (answer) => {
          if (ticket === widget.latest) renderAnswer(widget, answer);
        },
        (error) => {
          if (ticket === widget.latest) widget.notice.textContent = `Matching failed: ${error.message}`;
        },
      );
    };
    const schedule = () => {
      clearTimeout(widget.timer);
      widget.timer = setTimeout(run, DEBOUNCE_MS);
    };

    input.addEventListener("focus", () => client.boot());
    input.addEventListener("paste", (event) => {
      const text = event.clipboardData ? event.clipboardData.getData("text/plain") : null;
      client.boot();
      if (text === null) return;
      // Insert the paste ourselves, capped, so a huge paste never reaches the textarea whole; the worker
      // still matches all of it (the matcher picks its error lines from anywhere in it).
      event.preventDefault();
      const room = MAX_CHARS - (input.value.length - (input.selectionEnd - input.selectionStart));
      const kept = text.slice(0, Math.max(0, room));
      const [before, after] = [input.value.slice(0, input.selectionStart), input.value.slice(input.selectionEnd)];
      widget.whole = kept.length < text.length ? before + text + after : "";
      widget.capNotice =
        kept.length < text.length
          ? `Your paste had ${text.length.toLocaleString()} characters; the box shows the first ` +
            `${kept.length.toLocaleString()}, the troubleshooter reads all of it.`
          : "";
      input.setRangeText(kept, input.selectionStart, input.selectionEnd, "end");
      run();
    });
    input.addEventListener("input", (event) => {
      if (event.inputType !== "insertFromPaste") [widget.capNotice, widget.whole] = ["", ""];
      schedule();
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && input.value) {
        input.value = "";
        widget.whole = "";
        run();
      }
    });

    const listener = () => {
      if (!root.isConnected) {
        client.listeners.delete(listener);
        return;
      }
      renderState(widget);
    };
    client.listeners.add(listener);
    renderState(widget);
    // The dedicated page exists to paste into: start the runtime once the page is idle.
    if (root.hasAttribute("data-troubleshooter-preload")) {
      const idle = globalThis.requestIdleCallback || ((callback) => setTimeout(callback, 1000));
      idle(() => client.boot(), { timeout: 3000 });
    }
  }

  function hydrateAll() {
    document.querySelectorAll("[data-troubleshooter]").forEach(hydrate);
  }

  // Material's instant navigation swaps the page without reloading scripts: document$ emits per page.
  if (globalThis.document$ && typeof globalThis.document$.subscribe === "function") {
    globalThis.document$.subscribe(hydrateAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", hydrateAll);
  } else {
    hydrateAll();
  }
})();
