"""Material's instant navigation wherever the site is served (it keeps the troubleshooter's runtime across pages).

Material follows a link without reloading the page only when its ``sitemap.xml`` lists the link's address as an
absolute URL of the same port and path. MkDocs writes the sitemap from ``site_url``: without it the sitemap is
empty, and a site served on another port or under another folder never matches. The polyfill :data:`POLYFILL`
(loaded before the theme's bundle) gives the theme a sitemap made from :data:`PAGES`, the build's pages as
site-relative URLs, under where the site is really served. From ``file://`` the theme skips instant navigation
in a way that ends its ``document$`` before the page loads (so search and the troubleshooter never start): the
polyfill takes the feature out of the theme's configuration there.
"""

from __future__ import annotations

from collections.abc import Iterable
import json

#: Site-relative paths of the polyfill (in ``extra.polyfills``) and of the list of pages it reads.
POLYFILL = "assets/site/instant-navigation.js"
PAGES = "assets/site/pages.json"


def pages_json(urls: Iterable[str]) -> bytes:
    """The content of :data:`PAGES`: the site-relative URL of every page (``""`` is the home page)."""
    return json.dumps(sorted(set(urls)), separators=(",", ":")).encode()
