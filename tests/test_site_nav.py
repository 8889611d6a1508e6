"""Navigation from IBM's toc.yaml and the legacy toc file (plain nav lists; no MkDocs involved)."""

from __future__ import annotations

from pathlib import Path

from troubledocs.repository.nav import (
    OTHER_TOPICS,
    NavItem,
    add_unlisted,
    first_page,
    identify_included,
    read_legacy_toc,
    read_toc_yaml,
)

from tests.conftest import shared_path

TOC_YAML = """
toc:
  properties:
    subcollection: demo
    label: Demo service
  entries:
  - navgroup:
      id: learn
      topics:
      - topic: getting-started.md
        navtitle: Getting started
      - topicgroup:
          label: Plan {{kw}}
          topics:
          - plan.md
          - link:
              label: Outside
              href: https://example.com/x
          - links:
            - link:
                label: Other doc set
                href: /docs/account?topic=account-x
          - missing.md
      - include: ../account/status-bps.md
        navtitle: Account status
  - navgroup:
      id: help
      topics:
      - include: ../cli/reference/ibmcloud/uninstall_cli.md
      - topicgroup:
          label: Empty
          topics:
          - gone.md
"""


def test_toc_yaml_becomes_a_nav() -> None:
    pages = {"getting-started.md", "plan.md", "extra.md"}
    nav = read_toc_yaml(TOC_YAML, pages, lambda t: t.replace("{{kw}}", "Demo"))
    assert nav.title == "Demo service"
    assert nav.subcollection == "demo"
    assert nav.nav == [
        {
            "Learn": [
                {"Getting started": "getting-started.md"},
                {
                    "Plan Demo": [
                        "plan.md",
                        {"Outside": "https://example.com/x"},
                        {"Other doc set": "https://cloud.ibm.com/docs/account?topic=account-x"},
                    ]
                },
                {"Account status": "https://cloud.ibm.com/docs/account?topic=account-status-bps"},
            ]
        },
        {"Help": [{"Uninstall cli": "https://cloud.ibm.com/docs/cli?topic=cli-uninstall_cli"}]},
    ]
    # Entries for pages the repository lacks are skipped with one warning each; empty groups disappear.
    assert [(d.code, d.message.split("'")[1]) for d in nav.diagnostics] == [
        ("TD606", "missing.md"),
        ("TD606", "gone.md"),
    ]
    add_unlisted(nav, pages)
    assert nav.nav[-1] == {OTHER_TOPICS: ["extra.md"]}


def test_broken_toc_yaml_is_a_diagnostic_not_a_crash() -> None:
    nav = read_toc_yaml("toc: [unclosed", set())
    assert nav.nav == []
    assert nav.diagnostics[0].code == "TD607"


LEGACY = """{:navgroup: .navgroup}
{:topicgroup: .topicgroup}

{: .toc subcollection="demo" href="/docs/demo/index.html"}
Demo Service

    {: .navgroup id="learn"}
    index.md

    {: .topicgroup}
    About
        why.md
        tech.md
    {: .navgroup-end}

    {: .navgroup id="reference"}
    ref.md
        [Deprecated things](old.html)
            [Old part](old.html#part)
            [Registry](../services/Registry/index.html)
        [Kept page](kept.html)
    {: .navgroup-end}
"""


def test_legacy_toc_becomes_a_nav() -> None:
    pages = {"index.md", "why.md", "tech.md", "ref.md", "kept.md"}
    nav = read_legacy_toc(LEGACY, pages)
    assert nav.title == "Demo Service"
    assert nav.subcollection == "demo"
    assert nav.nav == [
        {"Learn": ["index.md", {"About": ["why.md", "tech.md"]}]},
        {
            "Reference": [
                "ref.md",
                {"Registry": "https://cloud.ibm.com/docs/services/Registry/index.html"},
                {"Kept page": "kept.md"},
            ]
        },
    ]
    assert [d.line for d in nav.diagnostics] == [18, 19]
    assert all(d.code == "TD606" for d in nav.diagnostics)


def test_openshift_toc_lists_every_page() -> None:
    root = shared_path("corpus", "openshift")
    pages = {p.name for p in Path(root).glob("*.md")}
    nav = read_toc_yaml((root / "toc.yaml").read_text(encoding="utf-8"), pages)
    assert nav.diagnostics == []
    assert pages - nav.listed == {"README.md", "SOURCE.md"}
    assert [next(iter(group)) for group in nav.nav] == ["Learn", "Tutorials", "How to", "Reference", "Help"]


def test_first_page_in_reading_order() -> None:
    nav: list[NavItem] = [
        {"Links": [{"Out": "https://example.com"}]},
        {"Group": [{"Deep": ["b.md"]}, "a.md"]},
    ]
    assert first_page(nav) == "b.md"
    assert first_page([{"Out": "https://example.com"}]) == ""


def test_toc_yaml_values_that_are_not_text_warn_at_their_line() -> None:
    text = """toc:
  entries:
  - topic: a.md
    navtitle: 1.30
  - topic: b.md
    navtitle: true
  - topic: c.md
    navtitle: 2024-01-02
  - topic: d.md
    navtitle: [x, y]
  - topicgroup:
      label: {x: y}
      topics:
      - e.md
"""
    nav = read_toc_yaml(text, {"a.md", "b.md", "c.md", "d.md", "e.md"})
    assert nav.nav == [{"1.3": "a.md"}, {"True": "b.md"}, {"2024-01-02": "c.md"}, "d.md", {"": ["e.md"]}]
    assert [(d.line, d.code) for d in nav.diagnostics] == [
        (3, "TD607"),
        (5, "TD607"),
        (7, "TD607"),
        (9, "TD607"),
        (14, "TD607"),
    ]


def test_toc_yaml_link_schemes_are_an_allow_list() -> None:
    text = """toc:
  entries:
  - link:
      label: Run
      href: "javascript:alert(1)"
  - link:
      label: Page
      href: "data:text/html,<script>alert(1)</script>"
  - link:
      label: Quote
      href: 'https://example.com/a" onmouseover="alert(1)'
"""
    nav = read_toc_yaml(text, set())
    assert nav.nav == [{"Quote": "https://example.com/a%22%20onmouseover=%22alert(1)"}]
    assert [(d.line, d.code) for d in nav.diagnostics] == [(5, "TD403"), (8, "TD403")]


def test_toc_yaml_aliases_are_refused_at_their_line() -> None:
    bomb = "toc:\n  properties:\n    label: &a [x, x]\n  entries:\n  - topicgroup:\n      label: [*a, *a]\n"
    nav = read_toc_yaml(bomb, set())
    assert nav.nav == []
    assert [(d.line, d.code) for d in nav.diagnostics] == [(6, "TD607")]
    assert "alias" in nav.diagnostics[0].message


GROUP_LINKS = """
toc:
  properties:
    subcollection: demo
  entries:
  - topicgroup:
      label: Alerts
      topics:
      - alerts.md
      links:
      - link:
          label: Custom email domains
          href: https://example.com/blog
  - topicgroup:
      label: API reference
      links:
      - link:
          label: Demo API
          href: https://{DomainName}/apidocs/demo
      - link:
          label: Catalog
          href: /catalog
  - topic: /docs/account?topic=account-status
    navtitle: Account status
  - include: ../cli/reference/uninstall_cli.md
"""


def test_topicgroup_links_and_topics_of_other_repositories() -> None:
    """A topic group's ``links:`` are kept after its topics (a group may hold only links), and topics of other
    repositories link to their published pages without a warning."""
    nav = read_toc_yaml(GROUP_LINKS, {"alerts.md"})
    assert nav.nav == [
        {"Alerts": ["alerts.md", {"Custom email domains": "https://example.com/blog"}]},
        {
            "API reference": [
                {"Demo API": "https://cloud.ibm.com/apidocs/demo"},
                {"Catalog": "https://cloud.ibm.com/catalog"},
            ]
        },
        {"Account status": "https://cloud.ibm.com/docs/account?topic=account-status"},
        {"Uninstall cli": "https://cloud.ibm.com/docs/cli?topic=cli-uninstall_cli"},
    ]
    assert nav.diagnostics == []
    assert [(topic.written, topic.stem) for topic in nav.included] == [
        ("/docs/account?topic=account-status", "status"),
        ("../cli/reference/uninstall_cli.md", "uninstall_cli"),
    ]
    status, uninstall = nav.included
    # The real ids are in the other repositories: an id with the file name's words may be the topic's.
    assert status.may_carry("status")
    assert not status.may_carry("status-page")
    assert uninstall.may_carry("uninstall-cli")
    assert uninstall.may_carry("uninstall-ibmcloud-cli")
    assert not uninstall.may_carry("install-cli")


def test_topics_of_other_repositories_may_leave_out_the_kind_of_topic() -> None:
    """IBM's file names often start with the kind of topic, which the id leaves out: ``reference-key-protect.md``
    may carry ``key-protect``, not another part of its name."""
    nav = read_toc_yaml(
        "toc:\n  properties:\n    subcollection: demo\n  entries:\n  - a.md\n"
        "  - include: ../shared-docs/reference-key-protect.md\n",
        {"a.md"},
    )
    (reference,) = nav.included
    assert reference.may_carry("key-protect")
    assert reference.may_carry("reference-key-protect-integration")
    assert not reference.may_carry("protect")
    assert not reference.may_carry("reference-key")


SITE_MAP_TOC = """
toc:
  properties:
    subcollection: demo
  entries:
  - a.md
  - include: ../cli/uninstall_cli.md
  - include: ../account/status-bps.md
    navtitle: Account status
  - b.md
  - include: ../other/not-in-the-site-map.md
"""


def test_topics_of_other_repositories_take_id_and_title_from_the_site_map() -> None:
    """IBM's site map lists the doc set's topics in TOC order: an included topic is the entry after the page
    before it; the TOC's navtitle wins over the site map's title; an entry that is a local page is no match."""
    nav = read_toc_yaml(SITE_MAP_TOC, {"a.md", "b.md"})
    site_map = [
        ("demo", "a", "A"),
        ("demo", "uninstall-ibmcloud-cli", "Uninstalling the CLI"),
        ("demo", "best-practices", "Monitoring status best practices"),
        ("demo", "b", "B"),
    ]
    identify_included(nav, site_map, {"a.md": "a", "b.md": "b"})
    assert [(topic.topic_id, topic.item) for topic in nav.included] == [
        (
            "uninstall-ibmcloud-cli",
            {"Uninstalling the CLI": "https://cloud.ibm.com/docs/cli?topic=cli-uninstall-ibmcloud-cli"},
        ),
        (
            "best-practices",
            {"Account status": "https://cloud.ibm.com/docs/account?topic=account-best-practices"},
        ),
        ("", {"Not in the site map": "https://cloud.ibm.com/docs/other?topic=other-not-in-the-site-map"}),
    ]
    assert nav.nav[1] == {
        "Uninstalling the CLI": "https://cloud.ibm.com/docs/cli?topic=cli-uninstall-ibmcloud-cli"
    }
    assert nav.included[1].may_carry("best-practices")
    assert not nav.included[1].may_carry("status-bps")
