"""The shape of `cocrea.money`: no import circles, nothing imported from higher rooms, and no
long module without its reason.

Read from the source with `ast` (nothing is imported): every `import` and `from … import`,
at the top of a module or inside a function (a function-level import that only dodges a
circle is still a circle), with relative imports resolved. A package's ``__init__`` is a
module of its own: importing ``a.b`` counts as using ``a.b``, not ``a``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import cocrea.money

ROOT = Path(cocrea.money.__file__).parent
PACKAGE = "cocrea.money"
# The rooms above money (they import it, or sit above the rooms that do): money imports none.
HIGHER = (
    "cocrea.plans",
    "cocrea.participation",
    "cocrea.events",
    "cocrea.evaluation",
    "cocrea.notifications",
    "cocrea.search",
    "cocrea.opendata",
    "cocrea.web",
    "cocrea.cli",
)
MAX_LINES = 600
# A module may be longer than MAX_LINES if the first line of its docstring starts with this
# and gives the reason (e.g. "Long because it is one table of checks, each beside its SQL.").
LONG_REASON = "Long because"


def _module_name(path: Path) -> str:
    parts = [PACKAGE, *path.relative_to(ROOT).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(ROOT.rglob("*.py")) if "migrations" not in p.parts}


def _is_package(name: str) -> bool:
    return MODULES.get(name, Path()).name == "__init__.py"


def _imports(name: str, path: Path) -> set[str]:
    """Every module `name` imports (money's own resolved to the module named, others as
    written), top-level and function-level alike."""
    found = set()
    base = name if _is_package(name) else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = base.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                module = ".".join([*anchor, node.module] if node.module else anchor)
            else:
                module = node.module or ""
            # `from pkg import mod` imports the module pkg.mod; `from mod import name`, mod.
            submodules = {f"{module}.{alias.name}" for alias in node.names}
            named = submodules & MODULES.keys()
            found.update(named or {module})
            if named != submodules and named:
                found.add(module)
    return found


GRAPH = {name: {m for m in _imports(name, path) if m in MODULES} for name, path in MODULES.items()}


def _cycles() -> list[list[str]]:
    """The import circles, one shortest circle per strongly connected group (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(GRAPH[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                group.append(top)
                if top == node:
                    break
            if len(group) > 1 or node in GRAPH[node]:
                groups.append(sorted(group))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    return groups


def test_the_graph_sees_money_modules():
    assert f"{PACKAGE}.models" in MODULES
    assert any(GRAPH.values()), "the reader found no imports between money's modules"


def test_no_import_circles_inside_money():
    assert _cycles() == []


def test_money_imports_no_higher_room():
    upward = sorted(
        (name, imported)
        for name, path in MODULES.items()
        for imported in _imports(name, path)
        if any(imported == room or imported.startswith(f"{room}.") for room in HIGHER)
    )
    assert upward == []


def _first_docstring_line(path: Path) -> str:
    doc = ast.get_docstring(ast.parse(path.read_text())) or ""
    return doc.strip().splitlines()[0] if doc.strip() else ""


def test_no_long_module_without_its_reason():
    long = sorted(
        f"{path.relative_to(ROOT)} ({lines} lines)"
        for path in ROOT.rglob("*.py")
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
        and not _first_docstring_line(path).startswith(LONG_REASON)
    )
    assert long == []
