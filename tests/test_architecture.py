"""Imports point inward only: gui -> services -> {store, spreadsheets, risks, reports} -> model."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "coprod_me"
# What each layer may import from the package (besides itself).
ALLOWED = {
    "model": set(),
    "store": {"model"},
    "spreadsheets": {"model"},
    "risks": {"model"},
    "reports": {"model"},
    "queries": {"model", "store", "risks", "reports"},
    "services": {"model", "queries", "store", "spreadsheets", "risks", "reports", "paths"},
    "gui": {"services", "model", "paths", "__init__"},
    "cli": {"services", "model", "paths", "__init__", "commands"},
    "commands": {"cli", "services", "model", "paths"},
    "paths": set(),
}


def _layer(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
    return out


def test_layers_import_inward_only_and_only_gui_imports_qt():
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        layer = _layer(path)
        if layer in ("__main__", "__init__", "migrations"):
            continue
        for line, module in _imports(path):
            if module.split(".")[0] in ("PySide6", "matplotlib.backends") and layer != "gui":
                wrong.append(f"{path.relative_to(PACKAGE)}:{line} imports Qt ({module})")
            if not module.startswith("coprod_me."):
                continue
            target = module.split(".")[1]
            if target != layer and target not in ALLOWED.get(layer, set()):
                wrong.append(f"{path.relative_to(PACKAGE)}:{line} ({layer}) imports {module}")
    assert not wrong, "upward or sideways imports:\n" + "\n".join(wrong)


def test_the_rule_catches_an_upward_import(tmp_path):
    bad = PACKAGE / "model" / "_tmp_upward_import_probe.py"
    bad.write_text("from coprod_me.services import Services\n")
    try:
        try:
            test_layers_import_inward_only_and_only_gui_imports_qt()
        except AssertionError as exc:
            assert "_tmp_upward_import_probe.py:1 (model) imports coprod_me.services" in str(exc)
        else:
            raise AssertionError("an upward import went unnoticed")
    finally:
        bad.unlink()
