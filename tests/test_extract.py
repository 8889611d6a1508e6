"""Troubleshooting entries extracted from the real renderer's tokens, and the index built from them."""

from __future__ import annotations

import json
from pathlib import Path

from troubledocs.extract import Entry, extract_entries, looks_like_error, may_mark
from troubledocs.keywords import KeywordMap
from troubledocs.renderer import Renderer
from troubledocs.repository.index import (
    build_index,
    directory_url,
    file_url,
    index_folder,
    render_tree,
    troubleshooting_entries,
    write_index,
)
from troubledocs.repository.prerender import MIN_PAGES

from troubleshooter.model import INDEX_VERSION, index_text

RENDERER = Renderer()

MARKED = """---
content-type: troubleshoot
---

# Why can't I add worker nodes with an invalid VLAN ID?
{: #suspended}
{: support}

You can't add worker nodes. You see an error message similar to the following:
{: tsSymptoms}

```sh
SoftLayerAPIError(SoftLayer_Exception_Public): Could not obtain network VLAN with id #123456.
```
{: screen}

The worker pool still has the previous VLAN IDs in its metadata.
{: tsCauses}

Change the worker pool network metadata.
{: tsResolve}

1. Set the network of the zone.

    ```sh
    ibmcloud ks zone network-set --zone <zone> --cluster <cluster_name_or_ID> --private-vlan <private_vlan_ID>
    ```
    {: pre}

2. If you see this message, wait and retry.

    ```sh
    The worker pool is being updated: quota exceeded for order.
    ```
    {: screen}

## The `zone` is wrong
{: #wrong-zone}

Look up the zone first.
"""

TABLE = """# Why does my PVC remain pending?
{: #pvc_pending}

Your PVC remains in a `Pending` state.
{: tsSymptoms}

Many tasks can fail.
{: tsCauses}

Review the common error messages.
{: tsResolve}

| Error message | Description | Steps to resolve |
| --- | --- | --- |
| `can't get secret <secret_name>: not found` `secret type XXXX is wrong` | The secret is missing. | Create it. |
| `bucket auto-create must be enabled` | Auto create is off. | Turn it on. |
"""

GLOSSARY = """# Error message reference
{: #ts-error-glossary}

## Ingress codes
{: #codes}

| Error code | Severity | Description | Troubleshooting topic |
| --- | --- | --- | --- |
| `ERRADNF` | Error | The ALB deployment is not found. | [Why ERRADNF?](/docs/containers?topic=containers-suspended) |

| `NHC004` | Warning | Workers can not resolve VPE gateway hostnames. | [Why NHC004?](/docs/containers?topic=containers-nowhere) |
"""

CHECKLIST = """# Debugging clusters
{: #debug}

Run the checks below.

```sh
ibmcloud ks cluster get --cluster <cluster>
```
{: pre}

```sh
Error: the cluster master is unavailable (E0057)
```
{: screen}
"""


def _entries(text: str, path: str) -> dict[str, Entry]:
    return {e.anchor: e for e in extract_entries(RENDERER.render(text, path))}


def test_marked_section() -> None:
    entries = _entries(MARKED, "ts-vlan.md")
    entry = entries["suspended"]
    assert entry.marked and entry.level == 1
    assert entry.title == "Why can't I add worker nodes with an invalid VLAN ID?"
    assert entry.symptom.startswith("You can't add worker nodes.")
    assert entry.cause == "The worker pool still has the previous VLAN IDs in its metadata."
    assert entry.resolution.startswith(
        "Change the worker pool network metadata. Set the network of the zone."
    )
    assert entry.errors == [
        "SoftLayerAPIError(SoftLayer_Exception_Public): Could not obtain network VLAN with id #123456.",
        "The worker pool is being updated: quota exceeded for order.",
    ]
    assert entry.commands == [
        "ibmcloud ks zone network-set --zone <zone> --cluster <cluster_name_or_ID> --private-vlan <private_vlan_ID>"
    ]
    assert entries["wrong-zone"].title == "The zone is wrong"
    assert not entries["wrong-zone"].marked


STATES = """# Debugging worker nodes
{: #debug_worker_nodes}

Review the state of your worker nodes.

    <table>
    <thead><th>Worker node state</th><th>Description</th></thead>
    <tbody><tr><td>Provision_failed</td><td>Your worker node could not be provisioned.</td></tr></tbody>
    </table>

1. Check the state.

    | Worker node state | Description |
    | --- | --- |
    | `Reload_failed` | Your worker node could not be reloaded. |

| Symptom | Fix |
| --- | --- |
| The worker node is stuck in `Deploying`. | Reload it. |
"""


def test_only_error_columns_of_tables_are_errors() -> None:
    # A table of states (raw HTML indented as code, or a pipe table in a list) is context, not an error;
    # a column that names symptoms is one.
    entry = _entries(STATES, "ts-worker-debug.md")["debug_worker_nodes"]
    assert entry.errors == ["The worker node is stuck in Deploying."]
    assert "Provision_failed Your worker node could not be provisioned." in entry.body
    assert "Reload_failed Your worker node could not be reloaded." in entry.body
    assert "<t" not in entry.body


def test_error_table_rows() -> None:
    entry = _entries(TABLE, "ts-pvc.md")["pvc_pending"]
    assert entry.errors == [
        "can't get secret <secret_name>: not found",
        "secret type XXXX is wrong",
        "bucket auto-create must be enabled",
    ]
    assert "The secret is missing. Create it." in entry.resolution


def test_reference_rows_go_to_the_topic_they_link() -> None:
    pages = [RENDERER.render(MARKED, "ts-vlan.md"), RENDERER.render(GLOSSARY, "ts-error-glossary.md")]
    index = build_index(pages)
    by_anchor = {e["anchor"]: e for e in index["entries"]}
    assert "ERRADNF" in by_anchor["suspended"]["errors"]
    assert "The ALB deployment is not found." in by_anchor["suspended"]["errors"]
    # The row after the blank line still belongs to the table; its topic is unknown, so it stays here.
    assert by_anchor["codes"]["errors"] == ["NHC004", "Workers can not resolve VPE gateway hostnames."]


def test_pages_without_markers_and_other_pages() -> None:
    checklist = RENDERER.render(CHECKLIST, "ts-debug.md")
    entry = _entries(CHECKLIST, "ts-debug.md")["debug"]
    assert not entry.marked
    assert entry.errors == ["Error: the cluster master is unavailable (E0057)"]
    other = RENDERER.render(CHECKLIST, "getting-started.md")
    index = build_index([checklist, other])
    assert [e["page"] for e in index["entries"]] == ["ts-debug.md"]
    assert index["entries"][0]["marked"] is False


def test_html_table_with_breaks() -> None:
    html = """# Common issues
{: #common}

<table>
<thead><tr><th>Error message</th><th>Description and resolution</th></tr></thead>
<tbody>
<tr><td>Could not place order.<br><br>
Could not place order behind router 'router_name'.</td><td>Try another zone.</td></tr>
</tbody>
</table>
"""
    entry = _entries(html, "ts-common.md")["common"]
    assert entry.errors == ["Could not place order.", "Could not place order behind router 'router_name'."]


def test_error_wording() -> None:
    assert looks_like_error("Error from server (Forbidden): pods is forbidden")
    assert not looks_like_error("kubectl get pods -n kube-system")
    assert not looks_like_error("NAME   READY   STATUS\nweb-1  1/1     Running")


def test_a_command_with_many_options_is_read_in_one_pass() -> None:
    # A command line of many options that is not a command in the end (it is piped): before, each option could be
    # read two ways and this line took about 2**60 steps; the build of a repository with such examples stalled.
    options = " ".join(f"--flag-{n} value-{n}" for n in range(60))
    assert not looks_like_error(f"ibmcloud pi instance create {options}")
    assert not looks_like_error(f"ibmcloud pi instance create {options} | grep name")
    assert looks_like_error(f"ibmcloud pi instance create {options}\nError: instance quota exceeded")


def test_index_file_and_urls(tmp_path: Path) -> None:
    source = tmp_path / "docs"
    (source / "sub").mkdir(parents=True)
    (source / "ts-vlan.md").write_text(MARKED, encoding="utf-8")
    (source / "sub" / "ts-pvc.md").write_text(TABLE, encoding="utf-8")
    pages = render_tree(source, RENDERER.render)
    index = build_index(pages, url=file_url)
    assert index["format"] == "troubleshooter-index" and index["version"] == INDEX_VERSION
    assert {e["url"] for e in index["entries"]} >= {"ts-vlan.html#suspended", "sub/ts-pvc.html#pvc_pending"}
    assert directory_url("sub/ts-pvc.md", "a") == "sub/ts-pvc/#a"
    assert directory_url("index.md", "a") == "#a"
    size = write_index(index, tmp_path / "out" / "index.json")
    assert size == len((tmp_path / "out" / "index.json").read_bytes())
    # Build order, as MkDocs builds the pages: a folder's own pages before its sub-folders.
    assert json.loads((tmp_path / "out" / "index.json").read_text())["entries"][0]["page"] == "ts-vlan.md"
    # A name ending in .gz gets gzip with a zero timestamp: the same index, byte-identical on every write.
    packed = tmp_path / "out" / "index.json.gz"
    assert write_index(index, packed) < size
    first = packed.read_bytes()
    assert first[:2] == b"\x1f\x8b" and first[4:8] == b"\0\0\0\0"
    assert json.loads(index_text(first)) == json.loads((tmp_path / "out" / "index.json").read_text())
    write_index(build_index(render_tree(source, RENDERER.render), url=file_url), packed)
    assert packed.read_bytes() == first


def test_fallback_fills_only_toc_files(tmp_path: Path) -> None:
    main, fallback = tmp_path / "main", tmp_path / "fallback"
    main.mkdir()
    fallback.mkdir()
    toc = "toc:\n  entries:\n  - topic: ts-vlan.md\n  - topic: ts-pvc.md\n"
    (main / "toc.yaml").write_text(toc, encoding="utf-8")
    (main / "ts-vlan.md").write_text(MARKED, encoding="utf-8")
    (fallback / "ts-vlan.md").write_text(TABLE, encoding="utf-8")
    (fallback / "ts-pvc.md").write_text(TABLE, encoding="utf-8")
    (fallback / "ts-other.md").write_text(TABLE, encoding="utf-8")
    pages = {p.path: p for p in render_tree(main, RENDERER.render, fallback)}
    assert sorted(pages) == ["ts-pvc.md", "ts-vlan.md"]
    assert "suspended" in pages["ts-vlan.md"].anchors


def test_index_folder_renders_on_all_cores_what_one_process_would(tmp_path: Path) -> None:
    """``troubledocs index`` renders the pages in workers and takes back only their entries: the same index."""
    source = tmp_path / "docs"
    source.mkdir()
    for number in range(MIN_PAGES + 4):
        text = (MARKED if number % 2 else TABLE).replace("suspended", f"suspended-{number}")
        (source / f"ts-page-{number}.md").write_text(text, encoding="utf-8")
    (source / "guide.md").write_text("# Guide\n\nNothing to troubleshoot.\n", encoding="utf-8")
    one_process = build_index(render_tree(source, Renderer(KeywordMap.for_source(source)).render))
    assert index_folder(source) == one_process
    assert len(one_process["entries"]) >= MIN_PAGES


SYMPTOM_BLOCKS = """---
content-type: troubleshoot
---

# Why does my cluster stay pending?
{: #pending}

When you check the cluster, you see the following message:
{: tsSymptoms}

```txt
The cluster master is still being provisioned by the deploy job
```

> Deploy stopped: the master is still provisioning after 90 minutes

The console shows `Error: master unreachable from the worker` and `kubectl get pods` lists `my-pod`.

```sh
ibmcloud ks cluster get --cluster mycluster
```

The master could not be provisioned.
{: tsCauses}

> Note: wait an hour before you retry.
"""


def test_every_error_like_block_of_a_symptom_is_an_error_text() -> None:
    # A fence without {: screen}, a blockquote, a code span that reads like a message; not a command, nor a
    # quote or code span outside the symptom.
    (entry,) = extract_entries(RENDERER.render(SYMPTOM_BLOCKS, "ts-pending.md"))
    assert entry.errors == [
        "The cluster master is still being provisioned by the deploy job",
        "Deploy stopped: the master is still provisioning after 90 minutes",
        "Error: master unreachable from the worker",
    ]
    assert "Deploy stopped" not in entry.symptom and "master unreachable" in entry.symptom
    assert "wait an hour" in entry.cause


def test_reference_rows_follow_links_that_the_site_rewrote_to_files() -> None:
    # A site build resolves topic links to the files they name (``ts-vlan.md``): the row still goes there.
    glossary = GLOSSARY.replace("/docs/containers?topic=containers-suspended", "ts-vlan.md")
    pages = [RENDERER.render(MARKED, "ts-vlan.md"), RENDERER.render(glossary, "ts-error-glossary.md")]
    by_anchor = {e["anchor"]: e for e in build_index(pages)["entries"]}
    assert "ERRADNF" in by_anchor["suspended"]["errors"]
    assert "ERRADNF" not in by_anchor["codes"]["errors"]


CONTENTS = """# Troubleshooting registry issues
{: #ts-index}

## Troubleshooting pull and push errors
{: #pull-push}

Troubleshoot pull and push problems.

- [Why can't I push or pull an image?](/docs/registry?topic=registry-push-pull)
- [Why am I getting `Authorization required` errors?](/docs/registry?topic=registry-auth)
- [Why am I getting errors about my quota?](/docs/registry?topic=registry-quota)

## Why does the push stop at a layer?
{: #push-stops}

The push stops at one layer; see [pushing images](/docs/registry?topic=registry-push) for the limits.
"""


def test_a_list_of_links_to_other_topics_is_no_section() -> None:
    # A hub page's list of topics has no problem of its own: the topics it lists answer, not the list.
    entries = _entries(CONTENTS, "ts-index.md")
    assert "pull-push" not in entries
    assert "push-stops" in entries and "pushing images" in entries["push-stops"].body


TWO_WORD_MESSAGE = """# Why is the manifest unknown?
{: #manifest}
{: troubleshoot}

You pull an image and receive the error message `manifest unknown`, while `ImagePullBackOff` shows in the
pod's events and `docker pull` returns at once.
{: tsSymptoms}

The tag does not exist.
{: tsCauses}
"""


def test_a_code_span_of_two_words_with_error_wording_is_a_message() -> None:
    (entry,) = extract_entries(RENDERER.render(TWO_WORD_MESSAGE, "ts-manifest.md"))
    assert entry.errors == ["manifest unknown"]


PART_HEADINGS = """---
content-type: troubleshoot
---

# Troubleshooting gateway errors
{: #gateway-errors}

## Error 1016: Origin DNS error
{: #1016-error}

The gateway cannot resolve the origin's address.

### Error 1016 resolution
{: #1016-resolution}

Add an A record that points to the origin.

### Installing a lookup tool
{: #lookup-tool}

Install `dig` to check the record.

# Query fails while statistics update
{: #stats-update}

## What’s happening
{: #stats-happening}

The rewrite fails with an internal error.

## How to fix it
{: #stats-fix}

Collect the statistics again.
"""


def test_sub_headings_that_name_a_part_belong_to_their_section() -> None:
    # ``### Resolution`` under ``## Error 1016`` is the section's fix, not a section a reader looks for.
    entries = _entries(PART_HEADINGS, "ts-gateway.md")
    assert (
        "1016-resolution" not in entries and "stats-happening" not in entries and "stats-fix" not in entries
    )
    assert entries["1016-error"].resolution == "Add an A record that points to the origin."
    assert entries["1016-error"].marked
    assert entries["stats-update"].symptom == "The rewrite fails with an internal error."
    assert entries["stats-update"].resolution == "Collect the statistics again."
    # A sub-heading with a subject of its own is a section, even with a part word in it.
    assert entries["lookup-tool"].body == "Install dig to check the record."


def test_a_page_marked_only_by_sub_headings_that_name_parts_is_a_troubleshooting_page() -> None:
    # No name, front matter, troubleshooting classes or tables: its part sub-headings mark it, and the quick test
    # that spares most pages the extraction must not miss them.
    page = RENDERER.render(PART_HEADINGS.split("---\n", 2)[2], "gateway.md")
    assert may_mark(page.tokens)
    entries = troubleshooting_entries(page)
    assert entries is not None and entries[0].anchor == "1016-error" and entries[0].marked
    prose = RENDERER.render(CHECKLIST, "getting-started.md")
    assert not may_mark(prose.tokens) and troubleshooting_entries(prose) is None


SECTION_MARKS = """---
content-type: troubleshoot
---

# Audio formats
{: #formats}

The service accepts these formats.

## Ogg
{: #ogg}

Ogg with the Opus codec is the smallest.

## Return codes
{: #return-codes}
{: troubleshoot}

The connection closes with code 1011 when the service fails.

### Code 1006
{: #code-1006}

The connection closed abnormally; reconnect.

## Limits
{: #limits}

A request holds at most 100 MB of audio.
"""


def test_sections_marked_troubleshoot_are_the_entries_of_their_page() -> None:
    # ``{: troubleshoot}`` on a heading says which sections are troubleshooting topics: on a reference page that
    # carries ``content-type: troubleshoot`` for them, the other sections are no entries.
    entries = _entries(SECTION_MARKS, "audio.md")
    assert sorted(entries) == ["code-1006", "return-codes"]
    assert entries["return-codes"].marked
    # The same mark makes a page without front matter a troubleshooting page.
    page = RENDERER.render(SECTION_MARKS.split("---\n", 2)[2], "audio.md")
    assert may_mark(page.tokens)
    found = troubleshooting_entries(page)
    assert found is not None and [e.anchor for e in found] == ["return-codes", "code-1006"]


LISTED_MESSAGES = """---
lastupdated: "2026-03-04"
---

# Why is my gadget request refused?
{: #gadget-refused}
{: troubleshoot}

When you call the gadget service, you get one of these messages.

- `The gadget quota for this account is exhausted`, see [quotas](/docs/gadget?topic=gadget-quota).
- `Gadget name is invalid`
- `gadget-id`, the field that names the gadget.
- [Why is `Gadget access denied` shown?](/docs/gadget?topic=gadget-access)

The service checks each request.
{: tsCauses}
"""

QUOTA_TOPIC = """
## Why is my gadget quota exhausted?
{: #quota}
{: troubleshoot}

New gadgets are refused.
{: tsSymptoms}

You created many gadgets this month.
{: tsCauses}
"""


def test_messages_listed_with_links_to_topics_go_to_those_topics() -> None:
    # No ``{: tsSymptoms}``: the text before the first part lists the messages, each with the topic that explains
    # it; a message without a link, or a name, stays where it is.
    entries = _entries(LISTED_MESSAGES + QUOTA_TOPIC, "ts-gadget.md")
    assert entries["gadget-refused"].errors == []
    assert entries["gadget-refused"].referrals == [
        ("quota", "The gadget quota for this account is exhausted")
    ]
    page = RENDERER.render(LISTED_MESSAGES + QUOTA_TOPIC, "ts-gadget.md")
    records = {r["anchor"]: r for r in build_index([page])["entries"]}
    assert records["quota"]["errors"] == ["The gadget quota for this account is exhausted"]
    assert "errors" not in records["gadget-refused"]


QUOTED_WARNING = """# How do I clear gizmo warnings?
{: #gizmo}
{: troubleshoot}

The console shows a warning.
{: tsSymptoms}

`Gizmo health checks are suppressed until setup ends.`

`gizmo`

The warning is harmless.
{: tsCauses}
"""


def test_a_symptoms_paragraph_of_one_code_span_is_an_error_text() -> None:
    # Quoted as a paragraph of its own, as a fence would be, whatever its wording; a lone name is no message.
    (entry,) = extract_entries(RENDERER.render(QUOTED_WARNING, "ts-gizmo.md"))
    assert entry.errors == ["Gizmo health checks are suppressed until setup ends."]


DEEP_FENCES = """# Why is the sprocket webhook denied?
{: #deny}
{: troubleshoot}

A webhook can deny requests. The request fails with:

        ```sh
        admission webhook "sprocket.example.com" denied the request: version is not supported
        ```
        {: screen}

Update the webhook.
{: tsResolve}

1. Run the check.

        ```sh
        sprocket check --all
        ```
        {: pre}
"""


def test_a_fence_indented_too_deep_is_read_as_the_fence_it_was_meant_to_be() -> None:
    # Indented beyond its list item, a fence is an indented code block holding the fence's markup as text.
    (entry,) = extract_entries(RENDERER.render(DEEP_FENCES, "ts-deny.md"))
    assert entry.errors == [
        'admission webhook "sprocket.example.com" denied the request: version is not supported'
    ]
    assert entry.commands == ["sprocket check --all"]


TERMS = """# Why does the sprocket status show a warning?
{: #sprocket-warn}
{: troubleshoot}

The status shows a warning.
{: tsSymptoms}

Review the status column, which shows one of these errors.
{: tsResolve}

`Error upload_failed`
:   The upload did not finish. Retry it.

`namespace`
:   The namespace of the sprocket.
"""


def test_definition_terms_that_quote_a_message_are_error_texts() -> None:
    # A list of the messages a status shows, each defined by what it means: the section explains them all.
    (entry,) = extract_entries(RENDERER.render(TERMS, "ts-sprocket.md"))
    assert entry.errors == ["Error upload_failed"]
