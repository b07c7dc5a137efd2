"""The layer contract of core/ (imported as ``kaderwerk``), checked on every import statement.

Three layers, each a folder: ``domain`` (the kader model, beslisregels, judging, proofs),
``sources`` (files, schemas, loading, the catalog, the plugin manager) and ``commands`` (the CLI
and everything it prints or writes). A layer imports only itself and the layers below it;
the public modules at the top (``api``, ``hookspecs``, ``testing``) may import any layer, and
no layer imports them except the contract of hooks, ``hookspecs``, which has no imports.
Builtin plugins import only ``kaderwerk.api`` (tests/test_plugins.py). Imports inside
functions count as much as those at the top: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import ROOT

CORE = ROOT / "core"
LAYERS = ("domain", "sources", "commands")  # bottom to top
TOP = {"api", "hookspecs", "testing", "__init__", "__main__"}
MAY_IMPORT = {
    "domain": {"domain", "__init__"},
    "sources": {"domain", "sources", "hookspecs", "__init__"},
    "commands": {"domain", "sources", "commands", "hookspecs", "__init__"},
}


def _layer(module: str) -> str | None:
    """The layer (or top-level public module) a ``kaderwerk...`` module belongs to."""
    parts = module.split(".")
    if parts[0] != "kaderwerk":
        return None
    if len(parts) == 1 or parts[1].startswith("__"):
        return "__init__"  # the package itself, e.g. kaderwerk.__version__
    return parts[1]


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every kaderwerk import in ``path``, ``from kaderwerk import x`` as
    ``kaderwerk.x``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "kaderwerk":
                found += [(node.lineno, f"kaderwerk.{a.name}") for a in node.names]
            elif node.module.startswith("kaderwerk."):
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("kaderwerk")]
    return found


def _modules() -> list[tuple[str, Path]]:
    return [(p.parent.name if p.parent != CORE else "top", p) for p in sorted(CORE.rglob("*.py"))]


def test_core_is_layered_in_folders() -> None:
    """Every module of core/ is in a layer's folder or one of the public top-level modules."""
    for where, path in _modules():
        if where == "top":
            assert path.stem in TOP, f"{path.relative_to(ROOT)}: put it in a layer's folder"
        else:
            assert where in LAYERS, f"{path.relative_to(ROOT)}: not a layer"


@pytest.mark.parametrize("layer", LAYERS)
def test_layer_imports_only_itself_and_below(layer: str) -> None:
    problems = []
    for where, path in _modules():
        if where != layer:
            continue
        for line, module in _imports(path):
            target = _layer(module)
            if target is not None and target not in MAY_IMPORT[layer]:
                problems.append(f"{path.relative_to(ROOT)}:{line}: {layer} imports {module}")
    assert not problems, "\n".join(problems)


def test_the_contract_can_fail(tmp_path) -> None:
    """The check sees an upward import, also one inside a function."""
    bad = tmp_path / "m.py"
    bad.write_text("def f():\n    from kaderwerk.commands.cli import main\n", encoding="utf-8")
    assert [(_layer(m), n) for n, m in _imports(bad)] == [("commands", 2)]
    assert "commands" not in MAY_IMPORT["domain"] | MAY_IMPORT["sources"]


def test_private_modules_are_not_imported_across_layers() -> None:
    """A leading underscore module is used only inside its own layer."""
    problems = []
    for where, path in _modules():
        for line, module in _imports(path):
            parts = module.split(".")
            if len(parts) >= 3 and parts[2].startswith("_") and parts[1] != where:
                problems.append(f"{path.relative_to(ROOT)}:{line}: imports private {module}")
    assert not problems, "\n".join(problems)
