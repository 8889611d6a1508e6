"""Keyword maps: default data, keyref.yaml, --keywords files, and the substitution pass."""

from __future__ import annotations

from pathlib import Path

import pytest
from troubledocs.keywords import MAX_VALUE, KeywordFileError, KeywordMap


def test_default_keywords_decode_entities() -> None:
    keywords = KeywordMap.load()
    assert keywords.get("openshiftlong") == "Red Hat® OpenShift® on IBM Cloud®"
    assert keywords.get("attribute-definition-list") is None
    assert KeywordMap.load(default=False).values == {}


def test_keyword_files_merge_later_wins(tmp_path: Path) -> None:
    (tmp_path / "keyref.yaml").write_text(
        "keyword:\n  cloud_notm: Own Cloud\n  mine: A &amp; B\n", encoding="utf-8"
    )
    extra = tmp_path / "extra.yaml"
    extra.write_text("mine: Override\n", encoding="utf-8")
    keywords = KeywordMap.for_source(tmp_path, [extra])
    assert keywords.get("cloud_notm") == "Own Cloud"
    assert keywords.get("mine") == "Override"
    assert keywords.get("IBM_notm") == "IBM"
    assert KeywordMap.for_source(tmp_path).get("mine") == "A & B"


def test_bad_keyword_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(KeywordFileError, match=r"bad\.yaml"):
        KeywordMap.load(files=[bad])
    with pytest.raises(KeywordFileError, match=r"missing\.yaml"):
        KeywordMap.load(files=[tmp_path / "missing.yaml"])


def test_substitution_keeps_lines_and_reports_them() -> None:
    keywords = KeywordMap({"a": "Alpha"})
    result = keywords.substitute(
        "x\n{{site.data.keyword.a}}\n{{site.data.keyword.b}}\n", "p.md", first_line=10
    )
    assert result.text == 'x\nAlpha\n<span class="td-missing-keyword" title="Unknown keyword">b</span>\n'
    assert [(d.line, d.code) for d in result.diagnostics] == [(12, "TD101")]


def test_keywords_in_keyword_values_expand_and_cycles_warn_where_used() -> None:
    keywords = KeywordMap(
        {
            "full": "{{site.data.keyword.short}} Service",
            "short": "IBM",
            "self": "x {{site.data.keyword.self}}",
            "ping": "{{site.data.keyword.pong}}",
            "pong": "{{site.data.keyword.ping}}",
        }
    )
    assert keywords.values["full"] == "IBM Service"
    assert keywords.unresolved == {"self", "ping", "pong"}
    result = keywords.substitute("A {{site.data.keyword.full}}\nB {{site.data.keyword.ping}}", "p.md", 5)
    assert result.text.startswith("A IBM Service\nB {{site.data.keyword.pong}}")
    assert [(d.line, d.code) for d in result.diagnostics] == [(6, "TD102")]


def test_keyword_values_cannot_expand_without_bound() -> None:
    laughs = {f"l{i}": f"{{{{site.data.keyword.l{i + 1}}}}}" * 10 for i in range(9)}
    keywords = KeywordMap({**laughs, "l9": "lol"})
    assert max(len(value) for value in keywords.values.values()) <= MAX_VALUE
    assert keywords.unresolved


def test_notm_siblings_are_inferred_both_ways_and_never_replace_a_value(tmp_path: Path) -> None:
    (tmp_path / "keyref.yaml").write_text(
        "keyword:\n  widget_full: IBM® Widget™ Service\n  gadget_notm: Gadget\n  own: Mine\n  own_notm: Kept\n"
        "  empty:\n  blank: ''\n",
        encoding="utf-8",
    )
    keywords = KeywordMap.for_source(tmp_path, default=False)
    assert keywords.get("widget_full_notm") == "IBM Widget Service"
    assert keywords.get("gadget") == "Gadget"
    assert keywords.get("own_notm") == "Kept"
    assert keywords.sources["widget_full_notm"] == "inferred from widget_full"
    assert keywords.sources["own"] == str(tmp_path / "keyref.yaml")
    assert [(i.rule, i.names) for i in keywords.inferences] == [
        ("X_notm is X without its ®/™/℠ marks", ("widget_full_notm",)),
        ("X is X_notm (shown without trademark marks)", ("gadget",)),
    ]
    # Empty values define nothing (an unfilled skeleton must not blank the name out).
    assert (
        keywords.get("empty") is None and keywords.get("blank") is None and keywords.get("blank_notm") is None
    )
    assert KeywordMap.load(default=False, files=[tmp_path / "keyref.yaml"], infer=False).get("gadget") is None


def test_the_notm_rule_holds_on_the_built_in_data() -> None:
    """The rule is what the public keyword file does: X_notm is X without marks for nearly every pair."""
    built_in = KeywordMap.load(infer=False).values
    pairs = [(name, name[:-5]) for name in built_in if name.endswith("_notm") and name[:-5] in built_in]
    inferred = KeywordMap({name[:-5]: built_in[name[:-5]] for name, _ in pairs})
    inferred.infer()
    agree = sum(inferred.get(notm) == built_in[notm] for notm, _ in pairs)
    assert len(pairs) > 100
    assert agree >= 0.98 * len(pairs)


def test_an_unknown_name_in_a_tag_left_open_on_an_earlier_line_stays_bare() -> None:
    # The markup of an unknown name would close the tag and turn the text before it into attribute text.
    keywords = KeywordMap({})
    open_tag = keywords.substitute(
        "<p title=\nwords {{site.data.keyword.nope}} here\n\n{{site.data.keyword.nope}}"
    )
    assert open_tag.text.split("\n")[:2] == ["<p title=", "words nope here"]
    assert "td-missing-keyword" in open_tag.text.split("\n")[3]  # a blank line ends the tag
    closed = keywords.substitute('<p title="x">\nwords {{site.data.keyword.nope}}').text
    assert "td-missing-keyword" in closed
    # A '>' inside a quoted value does not end the tag; the markup's quote would end the value.
    quoted = keywords.substitute('<table summary=">{{site.data.keyword.nope}}').text
    assert quoted == '<table summary=">nope'
    assert "td-missing-keyword" in keywords.substitute("<p title=x>y {{site.data.keyword.nope}}").text
