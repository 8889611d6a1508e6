// troubledocs: Material's instant navigation (`navigation.instant`) wherever the site is opened. Loaded
// before the theme's bundle.
//
// Over http(s): the theme follows only the links its sitemap.xml lists, read as absolute URLs whose port and
// path must be those of the page. MkDocs writes them from `site_url`: without one the sitemap is empty (every
// click then reloads the page), and a site served elsewhere than `site_url` (another port, another folder)
// never matches. The theme gets a sitemap made from the build's list of pages (pages.json, site-relative URLs)
// under where the site really is.
//
// From file://: the theme skips instant navigation there, but in a way that ends its `document$` before the
// page has loaded, so nothing that waits for the page (search, the troubleshooter) ever starts. The feature is
// taken out of the theme's configuration as the theme reads it.
(() => {
  "use strict";
  if (location.protocol === "file:") {
    const parse = JSON.parse;
    JSON.parse = function (text, reviver) {
      const value = parse.call(this, text, reviver);
      // The theme's configuration (#__config): the first parsed object with its base URL and feature list.
      if (value && typeof value.base === "string" && Array.isArray(value.features)) {
        JSON.parse = parse;
        value.features = value.features.filter((name) => !name.startsWith("navigation.instant"));
      }
      return value;
    };
    document.addEventListener("DOMContentLoaded", () => (JSON.parse = parse), { once: true });
    return;
  }
  const root = new URL("../../", document.currentScript.src);
  const pages = new URL("pages.json", document.currentScript.src);
  const sitemap = new URL("sitemap.xml", root).href;
  let made = null;

  const escapeXml = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;");

  // The sitemap's text, made once.
  function madeSitemap() {
    made ??= fetch(pages)
      .then((response) => (response.ok ? response.json() : Promise.reject(new Error(response.statusText))))
      .then((urls) => {
        const entries = urls.map((url) => `<url><loc>${escapeXml(new URL(url, root).href)}</loc></url>`);
        return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset>${entries.join("")}</urlset>`;
      });
    return made;
  }

  // The theme reads the sitemap with an XMLHttpRequest (response type "blob"): that request still goes to the
  // site's sitemap.xml (a `blob:` address would need a Content-Security-Policy exception), and its response is
  // the sitemap made here.
  const open = XMLHttpRequest.prototype.open;
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.troubledocsSitemap = new URL(url, location.href).href === sitemap;
    return open.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (body) {
    if (!this.troubledocsSitemap) return send.call(this, body);
    // Without the list the theme reads the site's own sitemap (and reloads pages as before).
    madeSitemap().then(
      (xml) => {
        const made = new Blob([xml], { type: "text/xml" });
        Object.defineProperty(this, "response", { get: () => made });
        send.call(this, body);
      },
      () => send.call(this, body),
    );
  };
})();
