"""Keyword maps: default data, keyref.yaml, --keywords files, and the substitution pass."""

from __future__ import annotations

from pathlib import Path

import pytest
from troubledocs.keywords import MAX_VALUE, KeywordFileError, KeywordMap


def test_default_keywords_decode_entities() -> None:
    keywords = KeywordMap.load()
    assert keywords.get("openshiftlong") == "Red Hat® OpenShift® on IBM Cloud™"
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
