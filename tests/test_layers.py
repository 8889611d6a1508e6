"""The package's layers (AGENTS.md, "Module map") hold: each part imports only what the map allows.

The imports are read from the source with :mod:`ast` (module level and inside functions alike), so a lazy
import counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "plugins" / "troubledocs"
MATCHER = ROOT / "troubleshooter"

#: Subpackages of ``troubledocs`` by layer; top-level modules, ``mdit/`` and ``extract/`` are layer 1.
LAYER = {"repository": 2, "browser": 3, "mkdocs_adapter": 4, "material": 4, "family": 5, "commands": 5}
ENGINES = ("mkdocs", "material", "properdocs")


def imports(path: Path) -> set[str]:
    """Every module ``path`` imports, as a dotted name."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def layer_of(module: str) -> int:
    """The layer of a ``troubledocs.…`` module."""
    parts = module.split(".")
    return LAYER.get(parts[1], 1) if len(parts) > 1 else 1


def sources(root: Path) -> list[Path]:
    return sorted(root.rglob("*.py"))


@pytest.mark.parametrize("path", sources(PACKAGE), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_module_imports_only_its_own_layer_and_those_below(path: Path) -> None:
    relative = path.relative_to(PACKAGE).with_suffix("")
    own = layer_of(".".join(("troubledocs", *relative.parts)))
    above = sorted(m for m in imports(path) if m.startswith("troubledocs.") and layer_of(m) > own)
    assert not above, f"layer {own} module imports a higher layer: {above}"
    engines = sorted(m for m in imports(path) if m.split(".")[0] in ENGINES)
    if own < 4:
        assert not engines, f"layer {own} module imports MkDocs or Material: {engines}"


@pytest.mark.parametrize("path", sources(MATCHER), ids=lambda p: str(p.relative_to(MATCHER)))
def test_the_matcher_imports_nothing_of_the_renderer(path: Path) -> None:
    assert not [m for m in imports(path) if m.split(".")[0] in ("troubledocs", *ENGINES)]


def test_the_layer_table_names_every_subpackage() -> None:
    """A new subpackage gets a layer here (and a place in AGENTS.md's module map)."""
    subpackages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert subpackages == {*LAYER, "mdit", "extract"}
