// The troubleshooter's Web Worker: boots Pyodide once, unpacks the matcher, answers queries.
//
// Protocol (page -> worker):
//   {type: "embedded", name, text}    file:// only, before init: a slice of the embedded file `name`
//                                     (wasm, stdlib, archive or index; base64), in order
//   {type: "init", config}            config: {pyodideUrl, archiveUrl, indexUrl, lock, embedded?}; with
//                                     embedded: true, the files come from the slices sent before
//   {type: "match", id, query, top}
//   {type: "match", id, query, more: true}   the first slices of a long query, in order; the message
//                                     without `more` carries the last slice, top and product
// Protocol (worker -> page):
//   {type: "progress", stage}         stage: "runtime" | "matcher" | "index"
//   {type: "ready", bootMs}
//   {type: "result", id, answer}      answer: troubleshooter's Answer.to_dict()
//   {type: "error", id, message}      this request failed (id is null when the message had none); the
//                                     worker keeps answering
//   {type: "failed", message}         the boot failed: no request will be answered
//
// This file is loaded as a module worker over http(s). For file:// pages the widget runs the same
// source in a classic Blob worker, after Pyodide's classic loader, so it has no static import/export.

"use strict";

const PY_SETUP = `
import json as _json
from troubleshooter import Matcher as _Matcher
from troubleshooter.model import index_text as _index_text

def _troubleshooter_make(index_file):
    global _troubleshooter_products
    matcher = _Matcher.from_json(_index_text(index_file.to_bytes()))
    _troubleshooter_products = _json.dumps(matcher.products)

    def answer(query, top, product):
        return _json.dumps(matcher.match(query, top=int(top), product=product or None).to_dict())

    return answer
`;

let booting = null;
let answer = null;
// The slices received so far of each query sent in several messages, by request id.
const slices = new Map();
// The slices of each embedded file received so far, by name.
const embeddedSlices = {};

function post(message) {
  self.postMessage(message);
}

function base64Bytes(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// file://: serve the embedded binaries to Pyodide's own fetches, which the browser would refuse.
function serveEmbedded(embedded) {
  const files = {
    "pyodide.asm.wasm": [embedded.wasm, "application/wasm"],
    "python_stdlib.zip": [embedded.stdlib, "application/zip"],
  };
  const realFetch = self.fetch.bind(self);
  self.fetch = async (resource, options) => {
    const url = String(resource instanceof Request ? resource.url : resource);
    for (const [name, [data, type]] of Object.entries(files)) {
      if (url.endsWith(name)) {
        return new Response(base64Bytes(data), { headers: { "Content-Type": type } });
      }
    }
    return realFetch(resource, options);
  };
}

async function fetchOk(url, kind) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${kind} ${url}: HTTP ${response.status}`);
  return response;
}

// Pyodide never settles loadPyodide when pyodide.asm.wasm cannot be fetched (it logs and waits), so the
// worker watches the runtime's own requests and reports a failed one as the boot's failure.
let bootFailed = false;

function failBoot(message) {
  if (bootFailed || answer) return;
  bootFailed = true;
  post({ type: "failed", message: `the Python runtime failed to load: ${message}` });
}

function watchRuntimeFetches(base) {
  const realFetch = self.fetch.bind(self);
  self.fetch = async (resource, options) => {
    const url = String(resource instanceof Request ? resource.url : resource);
    try {
      const response = await realFetch(resource, options);
      if (!response.ok && url.startsWith(base)) failBoot(`${url}: HTTP ${response.status}`);
      return response;
    } catch (error) {
      if (url.startsWith(base)) failBoot(`${url}: ${describe(error)}`);
      throw error;
    }
  };
}

async function loadRuntime(config) {
  const options = { indexURL: config.pyodideUrl, lockFileContents: config.lock };
  watchRuntimeFetches(config.pyodideUrl);
  if (config.embedded) {
    serveEmbedded(config.embedded);
    options.createPyodideModule = self._createPyodideModule;
    return self.loadPyodide(options);
  }
  const loader = await import(new URL("pyodide.mjs", config.pyodideUrl).href);
  return loader.loadPyodide(options);
}

async function boot(config) {
  const started = performance.now();
  const stages = {};
  const mark = (name) => {
    stages[name] = Math.round(performance.now() - started);
  };
  post({ type: "progress", stage: "runtime" });
  // The matcher and the index download while the runtime compiles.
  const archive = config.embedded
    ? Promise.resolve(base64Bytes(config.embedded.archive))
    : fetchOk(config.archiveUrl, "matcher archive").then(async (r) => new Uint8Array(await r.arrayBuffer()));
  // The index file is gzip-compressed JSON; Python decompresses it (a server that sent it with
  // Content-Encoding: gzip has already done so, which Python tells apart).
  const indexFile = config.embedded
    ? Promise.resolve(base64Bytes(config.embedded.index))
    : fetchOk(config.indexUrl, "troubleshooting index").then(async (r) => new Uint8Array(await r.arrayBuffer()));
  archive.catch(() => {}); // awaited below; this only avoids an "unhandled rejection" while booting
  indexFile.catch(() => {});
  const pyodide = await loadRuntime(config);
  mark("runtime");
  post({ type: "progress", stage: "matcher" });
  pyodide.unpackArchive(await archive, "gztar");
  pyodide.runPython(PY_SETUP);
  mark("matcher");
  post({ type: "progress", stage: "index" });
  answer = pyodide.globals.get("_troubleshooter_make")(await indexFile);
  const products = JSON.parse(pyodide.globals.get("_troubleshooter_products"));
  mark("index");
  post({ type: "ready", bootMs: performance.now() - started, stages, products });
}

function describe(error) {
  return error && error.message ? error.message : String(error);
}

// The query of a match request: the message's own, or the slices that came before it joined with it.
function wholeQuery(message) {
  const before = slices.get(message.id);
  if (!before) return message.query;
  slices.delete(message.id);
  const parts = [...before, message.query];
  if (!parts.every((part) => typeof part === "string")) throw new TypeError("a query sent in slices must be text");
  return parts.join("");
}

async function handle(message) {
  if (message === null || typeof message !== "object") {
    post({ type: "error", id: null, message: `malformed message: ${typeof message}` });
    return;
  }
  if (message.type === "embedded") {
    (embeddedSlices[message.name] ||= []).push(message.text);
    return;
  }
  if (message.type === "init") {
    if (!booting) {
      const config = message.config;
      if (config.embedded === true) {
        config.embedded = Object.fromEntries(
          Object.entries(embeddedSlices).map(([name, parts]) => [name, parts.join("")]),
        );
      }
      booting = boot(config).catch((error) => {
        post({ type: "failed", message: describe(error) });
        throw error;
      });
      booting.catch(() => {}); // reported above; each later match reports it again
    }
    return;
  }
  if (message.type === "match" && message.more) {
    if (!slices.has(message.id)) slices.set(message.id, []);
    slices.get(message.id).push(message.query);
    return;
  }
  if (message.type === "match") {
    try {
      if (!booting) throw new Error("the worker was asked to match before init");
      await booting;
      const answerJson = answer(wholeQuery(message), message.top || 5, message.product || "");
      post({ type: "result", id: message.id, answer: JSON.parse(answerJson) });
    } catch (error) {
      post({ type: "error", id: message.id, message: describe(error) });
    }
    return;
  }
  post({ type: "error", id: message.id ?? null, message: `unknown message type ${message.type}` });
}

self.addEventListener("message", (event) => {
  handle(event.data);
});
