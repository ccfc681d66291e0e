"""The code limits the team keeps (issue 12), checked on the source so they stay true.

- no import circle between modules of ``workbench/`` (imports inside functions count;
  imports only for type checkers do not);
- no module uses a private (``_name``) name of another module: neither by importing it
  nor as an attribute of something defined elsewhere (``store._conn``, ``tables._seen``);
- no file in ``workbench/`` over 800 lines, no function over 80.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "workbench"
MAX_FILE_LINES = 800
MAX_FUNCTION_LINES = 80


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


SOURCES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
TREES = {
    name: ast.parse(path.read_text(encoding="utf-8"), filename=str(path)) for name, path in SOURCES.items()
}


def _type_checking_only(tree: ast.Module) -> set[int]:
    """Ids of import nodes inside ``if TYPE_CHECKING:`` blocks."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            out |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return out


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module if SOURCES[module].name == "__init__.py" else module.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def imports(module: str) -> list[tuple[str, str | None, int]]:
    """``(imported module, name or None, line)`` for every workbench import of ``module``."""
    tree = TREES[module]
    skip = _type_checking_only(tree)
    out = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            out += [(a.name, None, node.lineno) for a in node.names if a.name.split(".")[0] == "workbench"]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node)
            if target.split(".")[0] != "workbench":
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                out.append((sub, None, node.lineno) if sub in SOURCES else (target, alias.name, node.lineno))
    return out


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {m: set() for m in SOURCES}
    for module in SOURCES:
        for target, _, _ in imports(module):
            while target not in SOURCES and "." in target:
                target = target.rpartition(".")[0]
            if target != module and not module.startswith(target + "."):
                edges[module].add(target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_there_is_no_import_circle_inside_workbench():
    assert cycles(graph()) == []


def test_the_circle_finder_finds_a_circle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def _private(name: str) -> bool:
    return name.startswith("_") and not name.endswith("_")


def _defined_names(tree: ast.Module) -> set[str]:
    """Every name a module defines: functions, classes, attributes it assigns."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            out.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            out.add(node.id)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            out.add(node.target.id)
        elif isinstance(node, ast.arg):
            out.add(node.arg)
    return out


def private_uses(module: str) -> list[str]:
    tree = TREES[module]
    found = [f"line {line}: imports {name!r} from {target}" for target, name, line in imports(module)
             if name is not None and _private(name)]
    own = _defined_names(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr) and node.attr not in own:
            found.append(f"line {node.lineno}: uses {ast.unparse(node)!r}, defined in another module")
    return found


@pytest.mark.parametrize("module", sorted(SOURCES))
def test_no_module_uses_a_private_name_of_another(module):
    assert private_uses(module) == []


def test_the_private_name_finder_finds_both_kinds():
    TREES["workbench._probe"] = ast.parse(
        "from workbench.tables import _seen\nimport workbench.tables as t\nt._order([])\n")
    SOURCES["workbench._probe"] = PACKAGE / "_probe.py"
    try:
        assert private_uses("workbench._probe") == [
            "line 1: imports '_seen' from workbench.tables",
            "line 3: uses 't._order', defined in another module",
        ]
    finally:
        del TREES["workbench._probe"], SOURCES["workbench._probe"]


def function_lengths(tree: ast.Module) -> list[tuple[str, int]]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            out.append((node.name, node.end_lineno - first + 1))
    return out


@pytest.mark.parametrize("module", sorted(SOURCES))
def test_no_file_over_800_lines_and_no_function_over_80(module):
    lines = len(SOURCES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_FILE_LINES, f"{SOURCES[module]} has {lines} lines"
    long = [(name, n) for name, n in function_lengths(TREES[module]) if n > MAX_FUNCTION_LINES]
    assert long == [], f"functions over {MAX_FUNCTION_LINES} lines in {SOURCES[module]}"
