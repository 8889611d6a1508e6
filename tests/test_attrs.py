"""The attribute-list grammar and ALD resolution (``troubledocs.attrs``), without markdown-it."""

from __future__ import annotations

import pytest
from troubledocs.attrs import (
    AttrList,
    AttrResolver,
    parse_ald_definition,
    parse_attr_list,
    read_attr_line,
    repaired_attr_line,
)


def test_parse_attr_list_forms() -> None:
    parsed = parse_attr_list("{: #id .a.b k=\"v w\" j='x' n=bare pre tag-vpc}")
    assert parsed == AttrList(
        id="id", classes=["a", "b"], pairs=[("k", "v w"), ("j", "x"), ("n", "bare")], names=["pre", "tag-vpc"]
    )
    assert parse_attr_list(".only") == AttrList(classes=["only"])
    assert parse_attr_list("{: #cluster-autoscaler-1.1.0}") == AttrList(id="cluster-autoscaler-1.1.0")


@pytest.mark.parametrize("text", ['{: "oops}', "{::comment}", "{:/x}", "not braces {", "{: a} trailing"])
def test_parse_attr_list_rejects(text: str) -> None:
    assert parse_attr_list(text) is None


def test_parse_ald_definition() -> None:
    assert parse_ald_definition('{:external: target="_blank" .external}') == (
        "external",
        AttrList(classes=["external"], pairs=[("target", "_blank")]),
    )
    assert parse_ald_definition('{:table: .aria-labeledby="caption"}') is None
    assert parse_ald_definition("{: note}") is None


def test_resolver_kramdown_precedence() -> None:
    resolver = AttrResolver()
    resolver.define("one", AttrList(id="one", classes=["oneClass"], pairs=[("one", "oneValue")]))
    resolver.define("nested", AttrList(classes=["n"], names=["one"]))
    resolved = resolver.resolve(
        AttrList(id="local", classes=["x"], pairs=[("one", "alt")], names=["nested", "typo"])
    )
    assert resolved.id == "local"
    assert resolved.classes == ["oneClass", "n", "x"]
    assert resolved.attrs == {"one": "alt"}
    assert resolved.unknown == ["typo"]


def test_standard_names_resolve() -> None:
    resolver = AttrResolver()
    assert resolver.resolve(AttrList(names=["support"])).attrs == {"data-reuse": "support"}
    assert resolver.resolve(AttrList(names=["tag-whatever"])).classes == ["tag-whatever"]
    assert resolver.resolve(AttrList(names=["external"])).attrs == {"target": "_blank"}


def test_read_attr_line_says_whether_the_line_was_repaired() -> None:
    written = read_attr_line("{: .a}{: #b}")
    assert written.repaired is None and written.attrs is not None and written.attrs.id == "b"
    repaired = read_attr_line("{: #setup")
    assert repaired.repaired == "{: #setup}" and repaired.attrs is not None and repaired.attrs.id == "setup"
    assert read_attr_line('{: "oops}') == (None, None)


@pytest.mark.parametrize(
    ("line", "meant"),
    [
        # A key typed for the one beside it: ``@`` for ``#``, ``-`` for ``=`` before a quoted value.
        ("{: @whats_next}", "{: #whats_next}"),
        ('{: toc-services-"log-analysis"}', '{: toc-services="log-analysis"}'),
        ("{: .note @setup", "{: .note #setup}"),
        # No repair where the list would still hold a token of no attribute form: the text after a mistyped brace.
        ("{: term| | Field | Value |", None),
        ("{: term= <strong>failed</strong> | Field |", None),
        # An ``@`` inside a token, or a hyphen before no quote, is no typo of these.
        ("{: a@b}", None),
        ("{: toc-services-vpc", "{: toc-services-vpc}"),
    ],
)
def test_almost_lists_are_read_as_meant_only_when_the_whole_list_reads(line: str, meant: str | None) -> None:
    assert repaired_attr_line(line) == meant
