"""troubledocs: render IBM Cloud docs-flavored Markdown and index its troubleshooting sections.

The renderer never imports MkDocs; :mod:`troubledocs.mkdocs_adapter.plugin` is the only MkDocs adapter.
"""

from troubledocs.diagnostics import Diagnostic, Severity
from troubledocs.page import RenderedPage, TocEntry

__all__ = ["Diagnostic", "RenderedPage", "Severity", "TocEntry"]
