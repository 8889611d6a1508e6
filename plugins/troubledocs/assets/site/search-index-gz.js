// The build puts this before Material's search worker and calls it with the path of the compressed index,
// relative to the worker's own URL (see troubledocs.material.compressed_search).
//
// The site ships Material's search index gzip-compressed; search/search_index.json keeps its config and no
// documents. The page still fetches that small file and posts it to this worker in its setup message. Here, before
// Material's handler sees that message, the documents are fetched, decompressed and parsed: in the worker, off the
// page's main thread. Messages that arrive meanwhile (queries) wait their turn. If the documents cannot be loaded,
// the setup goes through as it is (a search with no results) and the console says why.
((indexPath) => {
  "use strict";

  const SETUP = 0; // Material's message type for the setup message, which carries the index

  async function documents() {
    const response = await fetch(new URL(indexPath, self.location.href));
    if (!response.ok) throw new Error(`${response.url}: HTTP ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    // A server that sent the file with Content-Encoding: gzip has already decompressed it.
    const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
    const stream = new Blob([bytes]).stream();
    const text = await new Response(gzipped ? stream.pipeThrough(new DecompressionStream("gzip")) : stream).text();
    const docs = JSON.parse(text).docs;
    if (!Array.isArray(docs)) throw new Error(`${response.url} holds no documents`);
    return docs;
  }

  async function withDocuments(message) {
    try {
      return { ...message, data: { ...message.data, docs: await documents() } };
    } catch (error) {
      console.warn(`Search: could not load the documents of the index ${indexPath}:`, error);
      return message;
    }
  }

  function needsDocuments(message) {
    const docs = message && message.type === SETUP && message.data ? message.data.docs : null;
    return Array.isArray(docs) && docs.length === 0;
  }

  const listen = self.addEventListener.bind(self);
  self.addEventListener = (type, listener, options) => {
    if (type !== "message") return listen(type, listener, options);
    const deliver = (data) => {
      const event = new MessageEvent("message", { data });
      return typeof listener === "function" ? listener.call(self, event) : listener.handleEvent(event);
    };
    let turn = Promise.resolve();
    return listen(
      "message",
      (event) => {
        const ready = needsDocuments(event.data) ? withDocuments(event.data) : event.data;
        // A listener that throws is reported like any worker error, and later messages still get through.
        turn = turn
          .then(() => ready)
          .then(deliver)
          .catch((error) => setTimeout(() => { throw error; }));
      },
      options,
    );
  };
})
