// Web Workers for pages opened from file://, loaded in the page's <head> before the theme's scripts.
//
// Chromium refuses `new Worker(url)` for a file: URL, and a worker cannot importScripts one either, but it does
// run a worker made from a Blob, and a page still loads classic <script src> files. So on file:// pages this
// replaces `Worker`: for a script of the site (Material's search worker), it loads `NAME.embedded.js`, which the
// build writes next to `NAME.js` and which holds that script's source as a string, then starts a real worker from
// a Blob of it; messages posted before then are queued. Every other URL (the troubleshooter's own Blob worker)
// goes to the browser's Worker unchanged. The code runs in a real worker, off the page's main thread (unlike an
// <iframe> posing as a worker).

(() => {
  "use strict";

  if (location.protocol !== "file:" || typeof Worker !== "function") return;

  const NativeWorker = Worker;
  // Filled by the `*.embedded.js` scripts: worker source by the URL of the script that holds it.
  const sources = (globalThis.troubledocsWorkerSources = globalThis.troubledocsWorkerSources || {});

  function embeddedSource(workerUrl) {
    const script = document.createElement("script");
    const url = new URL(workerUrl);
    url.search = ""; // a version query (?v=…) is not part of the file's name
    script.src = url.href.replace(/\.js$/, ".embedded.js");
    const src = script.src; // as the browser resolves it, like document.currentScript.src
    if (src in sources) return Promise.resolve(sources[src]);
    return new Promise((resolve, reject) => {
      script.onload = () =>
        src in sources ? resolve(sources[src]) : reject(new Error(`${src} holds no worker source`));
      script.onerror = () => reject(new Error(`could not load ${src}`));
      document.head.append(script);
    });
  }

  class FileWorker extends EventTarget {
    #worker = null;
    #queue = [];
    #terminated = false;

    constructor(url, options) {
      super();
      this.onmessage = null;
      this.onmessageerror = null;
      this.onerror = null;
      embeddedSource(url).then(
        (source) => this.#start(source, options),
        (error) => this.#emit(new ErrorEvent("error", { message: error.message, error })),
      );
    }

    #start(source, options) {
      if (this.#terminated) return;
      const blobUrl = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
      const worker = new NativeWorker(blobUrl, options);
      worker.addEventListener("message", (event) => this.#emit(new MessageEvent("message", event)));
      worker.addEventListener("messageerror", (event) => this.#emit(new MessageEvent("messageerror", event)));
      worker.addEventListener("error", (event) => this.#emit(new ErrorEvent("error", event)));
      this.#worker = worker;
      for (const args of this.#queue) worker.postMessage(...args);
      this.#queue = [];
    }

    #emit(event) {
      const handler = this[`on${event.type}`];
      if (typeof handler === "function") handler.call(this, event);
      this.dispatchEvent(event);
    }

    postMessage(...args) {
      if (this.#worker) this.#worker.postMessage(...args);
      else this.#queue.push(args);
    }

    terminate() {
      this.#terminated = true;
      if (this.#worker) this.#worker.terminate();
    }
  }

  function FileUrlWorker(url, options) {
    const absolute = new URL(url, location.href).href;
    return absolute.startsWith("file:") ? new FileWorker(absolute, options) : new NativeWorker(url, options);
  }
  FileUrlWorker.prototype = NativeWorker.prototype;
  globalThis.Worker = FileUrlWorker;
})();
