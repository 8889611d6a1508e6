"""The options of the ``troubledocs`` MkDocs plugin (declarative only; see :mod:`troubledocs.mkdocs_adapter.plugin`)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


# MkDocs's ``__init_subclass__`` is unannotated.
class OptimizeConfig(base.Config):  # type: ignore[no-untyped-call]
    """``optimize:``: the speed-ups and site changes made for Material for MkDocs, each on by default. Each one
    switched off (or not checked against the installed Material/MkDocs, see :mod:`troubledocs.material.fingerprints`)
    leaves that part to Material's or MkDocs's own code; the pages are the same."""

    theme_nav = c.Type(bool, default=True)
    """Material's navigation partial written by Python (:mod:`troubledocs.material.theme_nav`)."""

    theme_pages = c.Type(bool, default=True)
    """The theme's page templates rendered by worker processes (:mod:`troubledocs.material.theme_pages`)."""

    material_search = c.Type(bool, default=True)
    """Search sections cut where the pages were rendered (:mod:`troubledocs.material.search_sections`)."""

    compressed_search = c.Type(bool, default=True)
    """The search index shipped gzip-compressed (:mod:`troubledocs.material.compressed_search`)."""

    file_search = c.Type(bool, default=True)
    """Search on pages opened from ``file://`` (:mod:`troubledocs.material.file_search`)."""

    csp = c.Type(bool, default=True)
    """Pages that work under a strict Content-Security-Policy (:mod:`troubledocs.material.csp`)."""

    lean = c.Type(bool, default=True)
    """Compact page markup, a plain-text search index, unused theme files removed (:mod:`troubledocs.material.lean`)."""

    theme_files = c.Type(bool, default=True)
    """The theme's static files listed without walking its hidden folders (:mod:`troubledocs.mkdocs_adapter.theme_env`)."""


# MkDocs's ``__init_subclass__`` is unannotated.
class TroubledocsConfig(base.Config):  # type: ignore[no-untyped-call]
    """``plugins: [troubledocs: {...}]`` in ``mkdocs.yml``. Relative paths are relative to ``mkdocs.yml``."""

    enabled = c.Type(bool, default=True)
    """Render pages with troubledocs. When false the plugin does nothing and MkDocs renders as usual."""

    keywords = c.ListOfItems(c.File(exists=True), default=[])
    """Keyword files (``keyword:`` YAML maps) for ``{{site.data.keyword.X}}``, applied after the built-in
    values and the ``keyref.yaml`` at the root of ``docs_dir``; a later file wins over an earlier one."""

    ignore = c.ListOfItems(c.Type(str), default=[])
    """Diagnostic codes not to report (``[TD606, TD605]``): a repository's known defects, so that ``--strict``
    stays usable on a partial checkout. They are still counted in the summary at the end of the build."""

    strict_keywords = c.Type(bool, default=True)
    """Report an unknown keyword as a warning (fails ``--strict``); when false it is only logged at INFO."""

    troubleshooter = c.Type(bool, default=True)
    """Index the troubleshooting sections and add the troubleshooter (widget, page and runtime) to the site."""

    pyodide_dir = c.Optional(c.Dir(exists=True))
    """A folder holding an unpacked Pyodide npm distribution to serve from the site, instead of the cached one."""

    pyodide_url = c.Optional(c.Type(str))
    """Load the Pyodide runtime from this URL (a folder holding ``pyodide.mjs``, e.g. a CDN) instead of shipping it
    in the site. Unset (the default): the runtime is served from the site's own files."""

    embed_runtime = c.Type(bool, default=False)
    """Also make the troubleshooter and the search work when the site is opened from ``file://`` (embeds the
    runtime files; writes the search index as a script)."""

    toc_file = c.Optional(c.Type(str))
    """The repository's navigation file, relative to ``docs_dir`` (IBM's ``toc.yaml``); unset: ``toc.yaml`` if
    present."""

    import_pages = c.DictOfItems(c.File(exists=False), default={})
    """Pages to add to the site without copying them into ``docs_dir``: destination path in the site's docs
    (``example/page.md``) to source file. A missing source gives a warning and a placeholder page."""

    siblings = c.DictOfItems(c.Dir(exists=True), default={})
    """The other repositories of a multi-repository build, by folder name: ``{{../NAME/file.md#id}}`` includes
    from them are resolved (otherwise they show a placeholder linking to the published page)."""

    manifest = c.Optional(c.Type(str))
    """Write the build's shard manifest (topic ids, pages and their anchors) to this JSON file, for the link step of
    a multi-repository site (see ``troubledocs link``)."""

    optimize = c.SubConfig(OptimizeConfig)
    """The Material-specific optimisations, each switchable (see :class:`OptimizeConfig`)."""
