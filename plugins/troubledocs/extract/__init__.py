"""Troubleshooting entries from the renderer's final token stream (see :mod:`troubledocs.extract.walk`).

| module | what |
| --- | --- |
| ``entry`` | :class:`Entry`, one section as the index stores it |
| ``walk`` | the token walk, :func:`extract_entries`; :func:`may_mark`, whether a page can have troubleshooting marks |
| ``tables`` | pipe and HTML tables as rows of cells |
| ``errors`` | whether a block reads like an error, a command, a configuration or a message |
| ``inline`` | plain text and links of inline tokens |
"""

from troubledocs.extract.entry import Entry
from troubledocs.extract.inline import inline_text, topic_of
from troubledocs.extract.walk import extract_entries, may_mark
from troubleshooter.wording import looks_like_error

__all__ = ["Entry", "extract_entries", "inline_text", "looks_like_error", "may_mark", "topic_of"]
