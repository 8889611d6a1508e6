"""Permalink anchors on headings (MkDocs-free)."""

from __future__ import annotations

import pytest
from troubledocs.mkdocs_adapter.permalinks import with_permalinks


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            '<h2 id="a">Title <code>x</code></h2>',
            '<h2 id="a">Title <code>x</code><a class="headerlink" href="#a" title="Permanent link">&para;</a></h2>',
        ),
        (
            '<h3 class="c" id="b&amp;c" data-x="1">\nT</h3>',
            (
                '<h3 class="c" id="b&amp;c" data-x="1">\nT<a class="headerlink" href="#b&amp;c" '
                'title="Permanent link">&para;</a></h3>'
            ),
        ),
        ("<h2>No id</h2>", "<h2>No id</h2>"),
        ('<h2 data-id="x">Not an id</h2>', '<h2 data-id="x">Not an id</h2>'),
        (
            '<h2 id="a">T<a class="headerlink" href="#a">&para;</a></h2>',
            '<h2 id="a">T<a class="headerlink" href="#a">&para;</a></h2>',
        ),
    ],
)
def test_headings_with_an_id_get_a_permalink(page: str, expected: str) -> None:
    assert with_permalinks(page) == expected
