// troubledocs: Material's instant navigation follows only the links its sitemap.xml lists, read as absolute
// URLs whose port and path must be those of the page. MkDocs writes them from `site_url`: without one the
// sitemap is empty (every click then reloads the page), and a site served elsewhere than `site_url` (another
// port, another folder) never matches. This polyfill, loaded before the theme's bundle, hands the theme a
// sitemap made from the build's list of pages (pages.json, site-relative URLs) under where the site really is.
(() => {
  "use strict";
  if (location.protocol === "file:") return; // the theme keeps plain page loads there
  const root = new URL("../../", document.currentScript.src);
  const pages = new URL("pages.json", document.currentScript.src);
  const sitemap = new URL("sitemap.xml", root).href;
  let made = null;

  const escapeXml = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;");

  // The sitemap as a blob: URL, made once.
  function madeSitemap() {
    made ??= fetch(pages)
      .then((response) => (response.ok ? response.json() : Promise.reject(new Error(response.statusText))))
      .then((urls) => {
        const entries = urls.map((url) => `<url><loc>${escapeXml(new URL(url, root).href)}</loc></url>`);
        const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset>${entries.join("")}</urlset>`;
        return URL.createObjectURL(new Blob([xml], { type: "text/xml" }));
      });
    return made;
  }

  const open = XMLHttpRequest.prototype.open;
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.troubledocsSitemap = new URL(url, location.href).href === sitemap ? [method, ...rest] : null;
    return open.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (body) {
    const request = this.troubledocsSitemap;
    if (!request) return send.call(this, body);
    // Without the list the theme reads the site's own sitemap (and reloads pages as before).
    madeSitemap().then(
      (blob) => {
        open.call(this, request[0], blob, ...request.slice(1));
        send.call(this, body);
      },
      () => send.call(this, body),
    );
  };
})();
