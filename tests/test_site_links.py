"""Topic-id links, legacy relative links, translations and the anchor check."""

from __future__ import annotations

from pathlib import Path
import re

from troubledocs.renderer import Renderer
from troubledocs.repository.links import LinkResolver
from troubledocs.repository.topics import TopicMap, scan_topics, topic_heading_id

from tests.conftest import shared_path

PAGE = """---
subcollection: demo
---

```md
# Not a heading
{: #fake}
```

# Access credentials
{: #access-creds}
{: support}

Text.
"""


def make_topics() -> TopicMap:
    topics = TopicMap()
    topics.add("access-apikey.md", PAGE)
    topics.add("sub/other.md", "# Other\n{: #other-topic}\n")
    topics.add("legacy.md", "# Legacy page\n")
    topics.add("nl/de/legacy.md", "# Alte Seite\n")
    topics.add("nl/de/sub/other.md", "# Andere\n{: #other-topic}\n")
    return topics


def test_h1_id_skips_front_matter_and_code() -> None:
    assert topic_heading_id(PAGE) == ("access-creds", 10)
    assert topic_heading_id("# No id\n\nText\n") is None


def test_a_page_without_an_h1_takes_its_topic_from_its_first_heading() -> None:
    # Troubleshooting pages of current repositories start at ``##``; IBM links them by that heading's id.
    page = "---\nsubcollection: demo\n---\n\n```\n## not this\n{: #code}\n```\n\n## Why does it fail?\n{: #ts-fail}\n"
    assert topic_heading_id(page) == ("ts-fail", 10)
    assert topic_heading_id(f"# Title\n{{: #page}}\n\n{page}") == ("page", 1)
    topics = TopicMap()
    topics.add("ts-fail.md", page)
    assert LinkResolver(topics)("/docs/demo?topic=demo-ts-fail", "other.md", 1) == "ts-fail.md"


def test_topic_links_resolve_to_the_page_with_that_h1_id() -> None:
    links = LinkResolver(make_topics())
    assert links.subcollections == {"demo"}
    assert links("/docs/demo?topic=demo-access-creds", "sub/other.md", 3) == "../access-apikey.md"
    assert links("/docs/demo?topic=demo-other-topic#x", "access-apikey.md", 4) == "sub/other.md#x"
    assert (
        links("https://cloud.ibm.com/docs/demo?topic=demo-access-creds&interface=cli#s", "legacy.md", 5)
        == "access-apikey.md?interface=cli#s"
    )
    assert links("/docs/demo?topic=demo-other-topic", "nl/de/legacy.md", 6) == "sub/other.md"
    assert links.stats.topic_resolved == 4
    assert links.diagnostics == []


def test_other_doc_sets_become_cloud_links_and_unknown_topics_warn() -> None:
    links = LinkResolver(make_topics())
    assert (
        links("/docs/account?topic=account-x#y", "legacy.md", 2)
        == "https://cloud.ibm.com/docs/account?topic=account-x#y"
    )
    assert (
        links("/docs/demo?topic=demo-gone", "legacy.md", 7)
        == "https://cloud.ibm.com/docs/demo?topic=demo-gone"
    )
    assert [str(d) for d in links.take_diagnostics()] == [
        "legacy.md:7: [TD602] no page of this repository has the topic id 'gone' (/docs/demo?topic=demo-gone)"
    ]
    assert links.take_diagnostics() == []
    assert links.stats.other_doc_sets == 1


def test_relative_legacy_links_and_translations() -> None:
    links = LinkResolver(make_topics(), files={"images/a.png"})
    assert links("legacy.html#top", "access-apikey.md", 1) == "legacy.md#top"
    assert links("sub/other.html", "legacy.md", 1) == "sub/other.md"
    # A translation links to its sibling translation, or to the source page when there is none.
    assert links("sub/other.html", "nl/de/legacy.md", 1) == "sub/other.md"
    assert links("access-apikey.html", "nl/de/legacy.md", 1) == "../../access-apikey.md"
    assert links("../services/Registry/index.html", "legacy.md", 1) == (
        "https://cloud.ibm.com/docs/services/Registry/index.html"
    )
    assert links("images/a.png", "legacy.md", 2) == "images/a.png"
    assert links("images/b.png", "legacy.md", 3) == ""  # missing: shown as its alt text
    assert links("nothere.html", "legacy.md", 4) == "nothere.html"
    assert [(d.code, d.line) for d in links.diagnostics] == [("TD605", 3), ("TD603", 4)]


def test_root_relative_files_come_from_the_repository() -> None:
    links = LinkResolver(make_topics(), files={"images/arch.svg", "downloads/tool.zip"})
    assert links("/images/arch.svg", "sub/other.md", 2) == "../images/arch.svg"
    assert links("/images/arch.svg", "legacy.md", 2) == "images/arch.svg"
    assert links("/downloads/tool.zip", "nl/de/sub/other.md", 2) == "../../../downloads/tool.zip"
    # A missing root-relative image is reported and shown as its alt text, never fetched from cloud.ibm.com.
    assert links("/images/gone.png", "legacy.md", 5) == ""
    assert [str(d) for d in links.take_diagnostics()] == [
        "legacy.md:5: [TD605] image '/images/gone.png' does not exist in the repository"
    ]
    # Other root-relative paths are pages of cloud.ibm.com (a link, never a resource the page loads).
    assert links("/catalog/services/x", "legacy.md", 6) == "https://cloud.ibm.com/catalog/services/x"


def test_translated_links_prefer_the_translation() -> None:
    links = LinkResolver(make_topics())
    assert links("../legacy.html", "nl/de/sub/other.md", 1) == "../legacy.md"


def test_anchor_check_runs_after_rendering() -> None:
    links = LinkResolver(make_topics())
    links("/docs/demo?topic=demo-access-creds#here", "legacy.md", 3)
    links("#self", "legacy.md", 4)
    links("#gone", "legacy.md", 5)
    found = links.check_anchors({"access-apikey.md": {"access-creds", "here"}, "legacy.md": {"self"}})
    assert [str(d) for d in found] == ["legacy.md:5: [TD604] #gone is not an id in this page"]
    assert (links.stats.anchors_checked, links.stats.anchors_missing) == (3, 1)


def test_raw_html_forms() -> None:
    assert LinkResolver.unresolved_form("/docs/demo?topic=demo-x")
    assert LinkResolver.unresolved_form("cs_app.html#x")
    assert not LinkResolver.unresolved_form("https://example.com/a.html")
    assert not LinkResolver.unresolved_form("../other.md#x")
    assert LinkResolver.unresolved_form("/images/arch.svg")
    assert not LinkResolver.unresolved_form("/catalog")
    assert not LinkResolver.unresolved_form("//cdn.example.com/a.png")


def test_every_openshift_topic_link_target_is_known() -> None:
    root = shared_path("corpus", "openshift")
    topics = scan_topics(root, [p.name for p in root.glob("*.md")])
    assert len(topics.by_id) == 511
    differing = [t for t in topics.by_id.values() if t.topic_id != t.src_path[:-3]]
    assert len(differing) == 274
    assert topics.find("access-creds") == "access-apikey.md"


H1_FORMS = [
    ("# Setup\n{: #setup}\n\nText.\n", "setup"),
    ("# Setup\n\n{: #setup}\n\nText.\n", "setup"),
    ("# Setup\n\n\n{: #setup}\n{: .intro}\n", "setup"),
    ("# Setup\n{: #first}\n\n{: #second}\n\nText.\n", "second"),
    ("# Setup\n{: .intro}\n\n{: #setup}\n", "setup"),
    # An attribute line that a block follows directly belongs to that block: the H1 keeps its slug ("setup").
    ("# Setup\n\n{: #para}\nText.\n", None),
    ("# Setup\n\n{: #para}\n\n\n", "para"),
]


def test_h1_id_agrees_with_the_renderer() -> None:
    """The pre-scan finds the id the renderer puts on the H1, also across a blank line."""
    renderer = Renderer()
    for source, expected in H1_FORMS:
        found = topic_heading_id(source)
        assert (found[0] if found else None) == expected, source
        heading = re.search(r"<h1[^>]*>", renderer.render(source, "x.md").html)
        assert heading is not None
        ident = re.search(r'id="([^"]*)"', heading.group(0))
        assert (ident.group(1) if ident else None) == (expected or "setup"), source


def test_topic_link_to_an_id_after_a_blank_line(tmp_path: Path) -> None:
    (tmp_path / "setup.md").write_text("---\nsubcollection: demo\n---\n\n# Set up\n\n{: #setup}\n\nText.\n")
    (tmp_path / "other.md").write_text("# Other\n{: #other}\n\nSee [setup](/docs/demo?topic=demo-setup).\n")
    topics = scan_topics(tmp_path, ["setup.md", "other.md"])
    links = LinkResolver(topics)
    assert links("/docs/demo?topic=demo-setup", "other.md", 4) == "setup.md"
    assert links.diagnostics == []


SITEMAP = """# Site map
{: #sitemap}

## Troubleshooting image pulls
{: #sitemap_image_pulls}

[Why do image pulls fail?](/docs/demo?topic=demo-ts-app-image-pull#ts-app-image-pull)
"""


def test_topics_the_site_map_lists_are_published_elsewhere() -> None:
    """IBM's generated site map lists the doc set's topics, those the TOC includes from other repositories too:
    a link to one of them goes to its published page; a topic that nobody lists is still a broken link."""
    topics = TopicMap()
    topics.add("sitemap.md", SITEMAP)
    topics.add("a.md", "# A\n{: #a}\n")
    assert topics.published == {("demo", "ts-app-image-pull")}
    links = LinkResolver(topics, {"demo"}, own_subcollection="demo")
    published = "https://cloud.ibm.com/docs/demo?topic=demo-ts-app-image-pull"
    assert links("/docs/demo?topic=demo-ts-app-image-pull", "a.md", 3) == published
    assert links.stats.other_repositories == 1
    assert links.diagnostics == []
    links("/docs/demo?topic=demo-gone", "a.md", 4)
    assert [d.code for d in links.take_diagnostics()] == ["TD602"]
    # Only the site map's links count: the same link on another page does not make a topic published.
    topics.add("b.md", "# B\n{: #b}\n\n[x](/docs/demo?topic=demo-elsewhere)\n")
    assert ("demo", "elsewhere") not in topics.published
