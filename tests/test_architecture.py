"""The shape of the code, checked: layers import inward only, SQL lives in the read floor and
the store, no import circles, and rooms of human size.

Each rule is a function over a package folder, so every rule is also shown to catch a
violation in a small package written to a temporary folder (the tests at the end).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "coprod_me"

# What each layer may import from the package (besides itself).
ALLOWED = {
    "model": set(),
    "store": {"model"},
    "spreadsheets": {"model"},
    "risks": {"model"},
    "reports": {"model"},
    # the read floor builds the read models that risks/ and reports/ declare
    "queries": {"model", "store", "risks", "reports"},
    "services": {"model", "queries", "store", "spreadsheets", "risks", "reports", "paths"},
    "gui": {"services", "model", "paths", "__init__"},
    "commands": {"services", "model", "paths", "__init__"},
    "cli": {"commands", "services", "model", "paths", "__init__"},
    "paths": set(),
}
# Statement builders and statement execution: only the read floor and the store use them
# (and the entities, which declare indexes).
SQL_NAMES = {"select", "text", "insert", "update", "delete", "func", "col", "and_", "or_",
             "case", "exists", "literal", "literal_column", "bindparam", "tuple_", "union",
             "union_all", "not_", "distinct", "cast", "true", "false", "null"}
SQL_CALLS = {"exec", "execute", "exec_driver_sql", "scalars", "scalar"}
SQL_HOMES = ("queries", "store")
MAX_MODULE, MAX_CLASS, MAX_FUNCTION = 700, 450, 100


def _modules(package: Path) -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(package.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _layer(package: Path, path: Path) -> str:
    rel = path.relative_to(package)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _dotted(package: Path, path: Path) -> str:
    parts = [package.name, *path.relative_to(package).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(package: Path, path: Path, node: ast.AST) -> list[str]:
    """The module an import statement imports from (``from a.b import c``: ``a.b``), relative
    imports resolved; for ``import a.b``, each module named."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:
        here = _dotted(package, path).split(".")
        if path.name != "__init__.py":
            here = here[:-1]
        base = ".".join(here[: len(here) - node.level + 1] + ([base] if base else []))
    return [base]


def _depends_on(package: Path, path: Path, node: ast.AST, modules: set[str]) -> set[str]:
    """The package's modules an import statement loads: ``from a import b`` loads the
    module ``a.b`` when there is one, else the names ``b`` of module ``a``."""
    if isinstance(node, ast.ImportFrom):
        base = _imported(package, path, node)[0]
        return {f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                for a in node.names} & modules
    return set(_imported(package, path, node)) & modules


def upward_imports(package: Path) -> list[str]:
    wrong = []
    for path, tree in _modules(package):
        layer = _layer(package, path)
        if layer in ("__main__", "__init__") or "migrations" in path.parts:
            continue
        for node in ast.walk(tree):
            for module in _imported(package, path, node):
                top = module.split(".")[0]
                where = f"{path.relative_to(package)}:{node.lineno}"
                qt = top in ("PySide6", "shiboken6") or module.startswith("matplotlib.backends")
                if qt and layer != "gui":
                    wrong.append(f"{where} imports Qt ({module})")
                if top in ("sqlalchemy", "sqlmodel") and layer == "gui":
                    wrong.append(f"{where} (gui) imports the ORM ({module})")
                if not module.startswith(f"{package.name}."):
                    continue
                target = module.split(".")[1]
                if target != layer and target not in ALLOWED.get(layer, set()):
                    wrong.append(f"{where} ({layer}) imports {module}")
    return wrong


def sql_outside_its_floor(package: Path) -> list[str]:
    wrong = []
    for path, tree in _modules(package):
        rel = path.relative_to(package)
        if rel.parts[0] in SQL_HOMES or rel.parts[:2] in (("model", "entities.py"),
                                                          ("model", "entities")):
            continue
        for node in ast.walk(tree):
            where = f"{rel}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in (
                    "sqlalchemy", "sqlmodel"):
                names = sorted(a.name for a in node.names if a.name in SQL_NAMES)
                if names:
                    wrong.append(f"{where} imports {', '.join(names)} from {node.module}")
            elif isinstance(node, ast.Import):
                wrong += [f"{where} imports {a.name}" for a in node.names
                          if a.name in ("sqlalchemy", "sqlmodel")]
            elif (rel.parts[0] != "gui" and isinstance(node, ast.Call)  # Qt's dialog.exec()
                  and isinstance(node.func, ast.Attribute) and node.func.attr in SQL_CALLS):
                wrong.append(f"{where} runs a statement (.{node.func.attr})")
    return wrong


def import_circles(package: Path) -> list[str]:
    """Circles in the graph of module imports, lazy ones (inside functions) included."""
    modules = {_dotted(package, p): p for p in package.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        targets: set[str] = set()
        for node in ast.walk(tree):
            targets |= _depends_on(package, path, node, set(modules))
        graph[name] = targets - {name}
    # Tarjan's strongly connected components, iteratively
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    circles.append(" <-> ".join(sorted(component)))
    return circles


def oversized(package: Path) -> list[str]:
    wrong = []
    for path, tree in _modules(package):
        rel = path.relative_to(package)
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE:
            wrong.append(f"{rel}: {lines} lines (at most {MAX_MODULE})")
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                limit, what = MAX_CLASS, "class"
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                limit, what = MAX_FUNCTION, "function"
            else:
                continue
            n = (node.end_lineno or node.lineno) - node.lineno + 1
            if n > limit:
                wrong.append(f"{rel}:{node.lineno} {what} {node.name}: {n} lines "
                             f"(at most {limit})")
    return wrong


# ------------------------------------------------------------------------------ the rules


def test_layers_import_inward_only_and_only_gui_imports_qt():
    wrong = upward_imports(PACKAGE)
    assert not wrong, "upward or sideways imports:\n" + "\n".join(wrong)


def test_sql_is_written_only_in_the_read_floor_and_the_store():
    wrong = sql_outside_its_floor(PACKAGE)
    assert not wrong, "SQL outside queries/ and store/:\n" + "\n".join(wrong)


def test_no_module_imports_itself_round_a_circle():
    circles = import_circles(PACKAGE)
    assert not circles, "import circles:\n" + "\n".join(circles)


def test_modules_classes_and_functions_are_of_human_size():
    wrong = oversized(PACKAGE)
    assert not wrong, "too long:\n" + "\n".join(wrong)


# ------------------------------------------------------- each rule catches what it names


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "coprod_me"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_the_layer_rule_catches_an_upward_import_and_qt_below_the_gui(tmp_path: Path):
    pkg = _package(tmp_path, {
        "model/entities.py": "from coprod_me.services import Services\n",
        "services/x.py": "from PySide6.QtCore import QObject\n",
        "gui/y.py": "from sqlalchemy.orm import configure_mappers\n",
        "commands/z.py": "from coprod_me.cli import emit\n",
        "queries/fine.py": "from coprod_me.risks.snapshot import Point\n"})
    assert upward_imports(pkg) == [
        "commands/z.py:1 (commands) imports coprod_me.cli",
        "gui/y.py:1 (gui) imports the ORM (sqlalchemy.orm)",
        "model/entities.py:1 (model) imports coprod_me.services",
        "services/x.py:1 imports Qt (PySide6.QtCore)"]


def test_the_sql_rule_catches_statements_in_a_service(tmp_path: Path):
    pkg = _package(tmp_path, {
        "services/x.py": "from sqlmodel import Session, select\nimport sqlalchemy as sa\n"
                         "def f(s):\n    return s.exec(select(1))\n",
        "queries/fine.py": "from sqlmodel import select\ndef g(s):\n    return s.exec(1)\n",
        "gui/dialog.py": "def h(d):\n    return d.exec()\n"})
    assert sql_outside_its_floor(pkg) == [
        "services/x.py:1 imports select from sqlmodel",
        "services/x.py:2 imports sqlalchemy",
        "services/x.py:4 runs a statement (.exec)"]


def test_the_circle_rule_catches_a_lazy_circle(tmp_path: Path):
    pkg = _package(tmp_path, {
        "risks/engine.py": "from coprod_me.risks import equity\n",
        "risks/equity.py": "def f():\n    from coprod_me.risks.engine import run\n",
        "risks/kit.py": "X = 1\n"})
    assert import_circles(pkg) == ["coprod_me.risks.engine <-> coprod_me.risks.equity"]


def test_the_size_rule_catches_a_long_function(tmp_path: Path):
    body = "".join(f"    x{i} = {i}\n" for i in range(100))
    pkg = _package(tmp_path, {"services/x.py": f"def long():\n{body}"})
    assert oversized(pkg) == ["services/x.py:1 function long: 101 lines (at most 100)"]


def test_a_submodule_named_from_its_package_is_no_circle(tmp_path: Path):
    """``from coprod_me.model import enums`` loads the module ``enums``; a package whose
    ``__init__`` lazily imports a child is not thereby in a circle with it."""
    pkg = _package(tmp_path, {
        "model/__init__.py": "def __getattr__(name):\n    from coprod_me.model import entities\n",
        "model/entities.py": "from coprod_me.model import enums as E\n",
        "model/enums.py": "X = 1\n"})
    assert import_circles(pkg) == []
