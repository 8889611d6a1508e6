"""The theme's environments (:mod:`troubledocs.mkdocs_adapter.theme_env`): the static files MkDocs takes from the
theme are the same with the ``theme_files`` listing as with Jinja's own, for Material and for a theme folder with
hidden files; every other listing is Jinja's; every environment the theme makes shares the compiled templates."""

from __future__ import annotations

from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
import pytest
from troubledocs.mkdocs_adapter import theme_env
import yaml


def _config(root: Path, custom_dir: Path | None = None) -> MkDocsConfig:
    (root / "docs").mkdir(exist_ok=True)
    theme: dict[str, object] = {"name": "material"}
    if custom_dir is not None:
        theme["custom_dir"] = str(custom_dir)
    file = root / "mkdocs.yml"
    file.write_text(yaml.safe_dump({"site_name": "T", "docs_dir": "docs", "theme": theme}), encoding="utf-8")
    return load_config(str(file))


def _theme_files(config: MkDocsConfig) -> list[tuple[str, str]]:
    files = Files([])
    files.add_files_from_theme(config.theme.get_env(), config)
    return [(file.src_uri, str(file.abs_src_path)) for file in files]


def _write(root: Path, names: list[str]) -> None:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x", encoding="utf-8")


@pytest.mark.parametrize("with_custom_dir", [False, True])
def test_the_theme_files_are_those_mkdocs_lists_itself(tmp_path: Path, with_custom_dir: bool) -> None:
    custom = tmp_path / "overrides"
    _write(
        custom,
        [
            "extra.css",
            ".hidden.css",
            ".folder/inside.js",
            "sub/.hidden.js",
            "sub/deep/.folder/inside.css",
            "sub/deep/shown.js",
            "sub/page.html",
            "README.md",
            "assets/javascripts/bundle.js",
        ],
    )
    config = _config(tmp_path, custom if with_custom_dir else None)
    own = _theme_files(config)
    theme_env.list_visible_files(config.theme)
    listed = _theme_files(config)
    assert listed == own
    names = [name for name, _ in listed]
    assert any(name.startswith("assets/javascripts/bundle.") for name in names)
    if with_custom_dir:
        assert {"extra.css", "sub/deep/shown.js", "assets/javascripts/bundle.js"} <= set(names)


def test_other_listings_are_jinja_own(tmp_path: Path) -> None:
    _write(tmp_path / "overrides", [".folder/a.html", "b.html"])
    config = _config(tmp_path, tmp_path / "overrides")
    own_env = config.theme.get_env()
    theme_env.list_visible_files(config.theme)
    env = config.theme.get_env()
    assert env.list_templates(extensions=["html"]) == own_env.list_templates(extensions=["html"])
    assert ".folder/a.html" in env.list_templates(filter_func=lambda name: name.endswith(".html"))
    assert env.list_templates() == own_env.list_templates()


def test_every_environment_of_the_theme_shares_the_compiled_templates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    config = _config(tmp_path)
    assert config.theme.get_env().bytecode_cache is None
    theme_env.share_compiled_templates(config.theme)
    theme_env.share_compiled_templates(config.theme)
    theme_env.list_visible_files(config.theme)
    env = config.theme.get_env()
    assert isinstance(env.bytecode_cache, FileSystemBytecodeCache)
    env.get_template("partials/language.html")
    assert list((tmp_path / "cache" / "troubledocs" / "templates").iterdir())
