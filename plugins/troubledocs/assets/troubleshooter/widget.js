// The "Paste an error" widget: hydrates every [data-troubleshooter] element of the page, talks to the
// troubleshooter worker, and renders ranked sections. Pasted text only ever reaches the DOM through
// text nodes (textContent), never as HTML.
//
// Hooks (stable, documented): root [data-troubleshooter][data-state=idle|loading|ready|error],
// input [data-troubleshooter-input], each result [data-troubleshooter-result] (holds the section link),
// the answer states: the results [data-troubleshooter-verdict=confident|unsure|none], the "possibly related"
// links [data-troubleshooter-related], [data-troubleshooter-unsure], the no-match answer
// [data-troubleshooter-none]. A root with [data-troubleshooter-preload] boots when the page is idle; any other
// once it scrolls into view.
//
// Each step on the page's main thread sets a User Timing mark troubleshooter:<step> (see "The page stays
// responsive" in docs/guide-troubleshooter.md).

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
  const SLICE_CHARS = 1 << 20;
  const TOP = 5;
  // At most this many "possibly related" links.
  const RELATED = 3;
  const IDLE_TEXT = "Paste an error message or log lines; it is matched in your browser and sent nowhere.";
  const EVIDENCE_CHARS = 400;
  const STAGES = {
    runtime: "Loading the Python runtime…",
    matcher: "Loading the matcher…",
    index: "Reading the troubleshooting index…",
  };
  const SERVE_HELP =
    "it cannot run from a file:// page, where browsers refuse to start its worker. " +
    "Serve the site folder instead, for example with `python -m http.server` in it, " +
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
    products: [], // the products of an index over several repositories
    fontsWarm: false,

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
      mark(message.type);
      if (message.type === "progress") {
        this.setState("loading", { stage: message.stage });
      } else if (message.type === "ready") {
        this.setState("ready", {
          stage: null,
          bootMs: message.bootMs,
          stages: message.stages,
          products: message.products || [],
        });
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
      let worker;
      if (location.protocol === "file:") {
        if (!CONFIG.embedRuntime) throw new Error(SERVE_HELP);
        await loadScript(new URL("embed-runtime.js", ASSETS).href);
        await loadScript(new URL("embed-index.js", ASSETS).href);
        const embedded = globalThis.troubleshooterEmbed;
        worker = classicWorker(embedded, config.pyodideUrl);
        this.listen(worker);
        for (const name of ["wasm", "stdlib", "archive", "index"]) {
          await postInSlices(worker, embedded[name], (text) => ({ type: "embedded", name, text }));
        }
        config.embedded = true;
      } else {
        worker = new Worker(new URL("worker.mjs", ASSETS), { type: "module" });
        this.listen(worker);
      }
      worker.postMessage({ type: "init", config });
      this.worker = worker; // only now may requests follow
    },

    listen(worker) {
      worker.addEventListener("message", (event) => this.onMessage(event.data));
      worker.addEventListener("error", (event) => {
        this.fail(`the troubleshooter worker failed: ${event.message || "it could not be started"}`);
      });
    },

    boot() {
      if (this.state !== "idle") return;
      mark("boot-start");
      this.setState("loading", { stage: "runtime" });
      this.start().catch((error) => this.fail(error.message || String(error)));
    },

    match(query, product) {
      this.boot();
      const id = this.nextId++;
      return new Promise((resolve, reject) => {
        if (this.state === "error") {
          reject(new Error(this.error));
          return;
        }
        this.pending.set(id, { resolve, reject });
        const send = () => this.send(id, query, product);
        if (this.worker) send();
        else this.whenStarted(send);
      });
    },

    send(id, query, product) {
      postInSlices(this.worker, query, (slice, more) =>
        more
          ? { type: "match", id, query: slice, more }
          : { type: "match", id, query: slice, top: TOP, product },
      );
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

  // A User Timing mark at each step the widget takes on the page's main thread, so that a profile (and
  // the benchmark and tests) can tell the widget's frames from the theme's.
  function mark(step) {
    performance.mark(`troubleshooter:${step}`);
  }

  // Post a long text in slices of SLICE_CHARS, each in a task of its own: copying a 10 MB paste for
  // postMessage in one go held the main thread 15 ms (hundreds on a loaded machine). ``message(slice, more)``
  // makes each message (``more`` is false for the last); the worker joins the slices.
  async function postInSlices(worker, text, message) {
    let at = 0;
    for (; typeof text === "string" && text.length - at > SLICE_CHARS; at += SLICE_CHARS) {
      worker.postMessage(message(text.slice(at, at + SLICE_CHARS), true));
      await new Promise((resolve) => setTimeout(resolve));
    }
    worker.postMessage(message(at ? text.slice(at) : text, false));
  }

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

  // The matcher's own confidence decides what the reader is told: an answer, sections that are possibly
  // related, or nothing. Scores are comparable within one answer only and are not shown.
  function verdict(answer) {
    if (answer.confident && answer.matches.length) return "confident";
    if (answer.confidence > 0 && answer.matches.length) return "unsure";
    return "none";
  }

  // A captured value worth showing: a placeholder name made of words, and a value that starts and ends with
  // a letter or digit (not a fragment of a version or an exit code, such as "_64/" or "(28").
  function meaningful(name, value) {
    return /^[A-Za-z][A-Za-z_ -]*[A-Za-z]$/.test(name) && /^[\p{L}\p{N}](?:.*[\p{L}\p{N}])?$/su.test(value);
  }

  function sectionUrl(match) {
    return new URL(match.url, SITE_ROOT).href;
  }

  // "on the page Page title" when it differs from the section's: readers know pages by title, not by file name
  // (an index without page titles shows none).
  function where(match) {
    const page = match.page_title;
    return page && page !== match.title ? `on the page ${page}` : "";
  }

  function renderMatch(match) {
    const item = el("li", { class: "troubleshooter__result", "data-troubleshooter-result": "" });
    const link = el("a", { class: "troubleshooter__link", href: sectionUrl(match) }, match.title);
    item.append(el("div", { class: "troubleshooter__heading" }, link));
    const meta = [match.product, where(match)].filter(Boolean).join(" · ");
    if (meta) item.append(el("div", { class: "troubleshooter__meta" }, meta));
    if (match.fix) {
      item.append(
        el("p", { class: "troubleshooter__fix" }, el("strong", {}, "How to fix it: "), match.fix),
      );
    }
    if (match.evidence && match.evidence.text) {
      item.append(
        el("div", { class: "troubleshooter__captures-title" }, "The documented message:"),
        highlighted(match.evidence.text, match.evidence.spans || []),
      );
    }
    const captures = Object.entries(match.captures || {}).filter(([name, value]) =>
      meaningful(name, String(value)),
    );
    if (captures.length) {
      const list = el("dl", { class: "troubleshooter__captures" });
      for (const [name, value] of captures) {
        list.append(el("dt", {}, name.replace(/_/g, " ")), el("dd", {}, String(value)));
      }
      item.append(el("div", { class: "troubleshooter__captures-title" }, "From your paste:"), list);
    }
    return item;
  }

  // A quieter list: links only, labelled as possibly related.
  function renderRelated(matches) {
    const list = el("ul", { class: "troubleshooter__related", "aria-label": "Possibly related sections" });
    for (const match of matches) {
      const page = where(match);
      list.append(
        el(
          "li",
          { "data-troubleshooter-related": "" },
          el("a", { href: sectionUrl(match) }, match.title),
          page ? ` (${page})` : "",
        ),
      );
    }
    return el("div", {}, el("p", { class: "troubleshooter__related-title" }, "Possibly related:"), list);
  }

  function renderAnswer(widget, answer) {
    const results = widget.results;
    results.replaceChildren();
    widget.notice.textContent = [widget.capNotice, answer.notice].filter(Boolean).join(" ");
    widget.verdict = verdict(answer);
    results.dataset.troubleshooterVerdict = widget.verdict;
    if (widget.verdict === "confident") {
      results.append(el("ol", { class: "troubleshooter__list" }, renderMatch(answer.matches[0])));
      const others = answer.matches.slice(1, 1 + RELATED);
      if (others.length) results.append(renderRelated(others));
    } else if (widget.verdict === "unsure") {
      results.append(
        el(
          "p",
          { class: "troubleshooter__unsure", "data-troubleshooter-unsure": "" },
          "No confident match: no troubleshooting section of these docs clearly describes this error.",
        ),
        renderRelated(answer.matches.slice(0, RELATED)),
      );
    } else {
      results.append(
        el(
          "p",
          { class: "troubleshooter__none", "data-troubleshooter-none": "" },
          "Nothing in these docs matches this error. Try pasting the exact error line, or search the docs.",
        ),
      );
    }
    renderState(widget);
    mark("answer");
  }

  const VERDICTS = {
    confident: "Found the section that describes this error.",
    unsure: "No confident match.",
    none: "No match in these docs.",
  };

  // An index over several products (a multi-repository site): the reader may keep to one.
  function renderFilter(widget) {
    const filter = widget.filter;
    if (client.products.length < 2 || filter.options.length) return;
    filter.append(el("option", { value: "" }, "All products"));
    for (const product of client.products) filter.append(el("option", { value: product }, product));
    widget.filterLabel.hidden = false;
  }

  function renderState(widget) {
    const root = widget.root;
    renderFilter(widget);
    root.dataset.state = client.state;
    widget.progress.hidden = client.state !== "loading";
    const status = widget.status;
    if (client.state === "error") {
      status.textContent = `The troubleshooter could not start: ${client.error}`;
    } else if (widget.verdict && widget.input.value.trim()) {
      status.textContent = VERDICTS[widget.verdict];
    } else if (client.state === "loading") {
      status.textContent = STAGES[client.stage] || STAGES.runtime;
    } else if (widget.cleared) {
      status.textContent = "Cleared. Press Ctrl+Z (⌘Z) to bring your paste back.";
    } else if (client.state === "ready") {
      status.textContent = "Ready: paste an error message.";
    } else {
      status.textContent = IDLE_TEXT;
    }
  }

  // ---- the main thread's share: small steps, each in a task of its own ----

  // ``callback`` once the page is idle (at the latest after ``timeout`` ms): after the frame that the task
  // now running belongs to, so the widget's work never lengthens the theme's.
  function whenIdle(callback, timeout) {
    if (globalThis.requestIdleCallback) requestIdleCallback(() => callback(), { timeout });
    else setTimeout(callback, 200);
  }

  function afterLoad(callback) {
    if (document.readyState === "complete") callback();
    else addEventListener("load", () => callback(), { once: true });
  }

  // The first answer of a page draws text in sizes and weights the page has not used yet, and Chromium on
  // Linux looks each new one up synchronously with the browser process (10–40 ms of the answer's frame on a
  // loaded machine). Drawing a hidden sample answer while the page is idle, one part per frame, moves those
  // look-ups out of the reader's way (after the page's load, so as not to add to its first layouts); the
  // browser keeps them for the rest of the visit.
  const SAMPLE = {
    title: "Sample section",
    url: "#",
    page_title: "Sample page",
    product: "Product",
    fix: "Sample fix.",
    evidence: { text: "sample error: value", spans: [[14, 19]] },
    captures: { name: "value" },
  };

  function warmFonts(root) {
    if (client.fontsWarm) return;
    client.fontsWarm = true;
    const box = el("div", { class: "troubleshooter__fonts", "aria-hidden": "true", inert: "" });
    root.append(box);
    // The parts of an answer (not its list item, which tests and styles know as a result); the "possibly
    // related" links use the meta line's font.
    const parts = [...renderMatch(SAMPLE).children];
    const next = () =>
      whenIdle(() => {
        mark("fonts");
        const part = parts.shift();
        if (part) {
          box.append(part);
          next();
        } else {
          box.remove();
        }
      }, 1000);
    next();
  }

  // ---- one widget ----

  // The box, its label, status line and progress bar: a built page serves them (so the widget takes its size
  // before any script runs); a bare <div data-troubleshooter> placed by an author gets them here.
  function skeleton(root) {
    const existing = root.querySelector("[data-troubleshooter-input]");
    if (existing) {
      return {
        input: existing,
        status: root.querySelector(".troubleshooter__status"),
        progress: root.querySelector(".troubleshooter__progress"),
      };
    }
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
    const status = el("p", { class: "troubleshooter__status", id: `${id}-status`, role: "status" });
    const progress = el("progress", { class: "troubleshooter__progress", "aria-label": "Loading", hidden: "" });
    const label = el("label", { class: "troubleshooter__label", for: id }, "Paste an error");
    root.prepend(label, input, status, progress);
    return { input, status, progress };
  }

  // A skip link to the first box of the page, next to the theme's own "Skip to content".
  function addSkipLink(input) {
    if (document.querySelector("[data-troubleshooter-skip]")) return;
    const link = el(
      "a",
      { class: "md-skip troubleshooter__skip", href: `#${input.id}`, "data-troubleshooter-skip": "" },
      "Skip to the troubleshooter",
    );
    // Instant navigation would take the click as a move to an anchor, which scrolls but leaves the focus.
    link.addEventListener("click", (event) => {
      event.preventDefault();
      event.stopPropagation();
      input.focus();
    });
    const themeSkip = document.querySelector(".md-skip");
    if (themeSkip) themeSkip.after(link);
    else document.body.prepend(link);
  }

  // Start the runtime before the reader pastes: once the page is idle for the dedicated page, once the box
  // scrolls into view (then idle) elsewhere. The worker does the work; the page's main thread only starts it.
  function bootWhenIdle(root) {
    const start = () => {
      whenIdle(() => client.boot(), 2000);
      afterLoad(() => warmFonts(root));
    };
    if (root.hasAttribute("data-troubleshooter-preload") || !globalThis.IntersectionObserver) {
      start();
      return;
    }
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        observer.disconnect();
        start();
      }
    });
    observer.observe(root);
  }

  function hydrate(root) {
    if (root.dataset.troubleshooterHydrated) return;
    mark("hydrate");
    root.dataset.troubleshooterHydrated = "true";
    root.classList.add("troubleshooter"); // for a bare <div data-troubleshooter> placed by an author
    const { input, status, progress } = skeleton(root);
    const widget = {
      root,
      input,
      status,
      progress,
      notice: el("p", { class: "troubleshooter__notice", "aria-live": "polite" }),
      results: el("div", { class: "troubleshooter__results", "aria-live": "polite" }),
      filter: el("select", { class: "troubleshooter__filter", "data-troubleshooter-filter": "" }),
      capNotice: "",
      whole: "", // the whole of a paste too long for the box
      verdict: null,
      cleared: false,
      latest: 0,
      timer: null,
    };
    widget.filterLabel = el("label", { class: "troubleshooter__filter-label" }, "Product ", widget.filter);
    widget.filterLabel.hidden = true;
    progress.after(widget.filterLabel, widget.notice, widget.results);

    const run = () => {
      mark("query");
      clearTimeout(widget.timer);
      const query = widget.whole || input.value;
      const ticket = ++widget.latest;
      widget.verdict = null;
      if (!query.trim()) {
        widget.results.replaceChildren();
        widget.notice.textContent = "";
        renderState(widget);
        return;
      }
      widget.cleared = false;
      renderState(widget);
      client.match(query, widget.filter.value).then(
        (answer) => {
          if (ticket === widget.latest) renderAnswer(widget, answer);
        },
        (error) => {
          // A runtime that could not start is already told by the status line.
          if (ticket === widget.latest && client.state !== "error") {
            widget.notice.textContent = `Matching failed: ${error.message}`;
          }
        },
      );
    };
    const schedule = () => {
      clearTimeout(widget.timer);
      widget.timer = setTimeout(run, DEBOUNCE_MS);
    };

    input.addEventListener("focus", () => client.boot());
    widget.filter.addEventListener("change", () => run());
    input.addEventListener("paste", (event) => {
      mark("paste");
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
    // Escape clears the box as an edit of the browser's own, so Ctrl+Z brings the paste back.
    input.addEventListener("keydown", (event) => {
      if (event.key !== "Escape" || !input.value) return;
      input.select();
      if (document.execCommand("delete")) {
        widget.cleared = true;
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
    if (input.value.trim()) run(); // typed before the script ran
    bootWhenIdle(root);
  }

  function hydrateAll() {
    // After instant navigation the skip link may point at the previous page's box.
    const skip = document.querySelector("[data-troubleshooter-skip]");
    if (skip) skip.remove();
    document.querySelectorAll("[data-troubleshooter]").forEach(hydrate);
    const first = document.querySelector("[data-troubleshooter-input]");
    if (first) addSkipLink(first);
  }

  // Material's instant navigation swaps the page without reloading scripts: document$ emits per page.
  // Hydration waits for the page to be idle: the theme emits document$ from its own long page task.
  const hydrateSoon = () => whenIdle(hydrateAll, 500);
  if (globalThis.document$ && typeof globalThis.document$.subscribe === "function") {
    globalThis.document$.subscribe(hydrateSoon);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", hydrateSoon);
  } else {
    hydrateSoon();
  }
})();
