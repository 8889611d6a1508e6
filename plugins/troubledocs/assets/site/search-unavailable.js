
// This site was built without search from file:// pages (the search index above is empty): say so in the
// search box instead of answering every query with "no match". Material loads this file only on file:// pages.
(() => {
  "use strict";

  const MESSAGE =
    "Search does not work when this site is opened from a file. Serve the site folder instead (for example " +
    "`python -m http.server` in it, then open http://localhost:8000/), or build the site with the troubledocs " +
    "option `embed_runtime: true`.";

  for (const input of document.querySelectorAll("[data-md-component=search-query]")) {
    input.disabled = true;
    input.placeholder = "Search needs a web server";
    input.title = MESSAGE;
  }
  for (const meta of document.querySelectorAll(".md-search-result__meta")) meta.textContent = MESSAGE;
})();
