"""The import graph of credit_svc, read from the source (no module is run)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "credit_svc"


def module_name(path: Path) -> str:
    """Return the dotted name of a module file of the package."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, ast.Module]:
    """Return every module of the package, parsed."""
    return {
        module_name(path): ast.parse(path.read_text(), str(path))
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def _imported(tree: ast.Module) -> Iterator[str]:
    """Yield the modules a module imports: `from a import b` imports the
    module a.b when there is one, else a (absolute imports only: the
    package uses no relative ones)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                yield submodule if submodule in modules() else node.module


@cache
def graph() -> dict[str, frozenset[str]]:
    """Return, for each module, the package's modules it imports (at any
    depth of its code: functions' imports count too)."""
    known = modules().keys()
    return {
        name: frozenset(
            target for target in _imported(tree) if target in known and target != name
        )
        for name, tree in modules().items()
    }


def reachable(start: str) -> set[str]:
    """Return the modules a module imports directly or through others."""
    seen: set[str] = set()
    todo = list(graph()[start])
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(graph()[name])
    return seen


def cycles() -> list[list[str]]:
    """Return the import cycles: each set of modules that reach one another."""
    reach = {name: reachable(name) for name in graph()}
    groups = {
        tuple(sorted({name} | {o for o in reach[name] if name in reach[o]}))
        for name in reach
        if name in reach[name]
    }
    return sorted(list(group) for group in groups)


def part(name: str) -> str:
    """Return the part of the package a module belongs to (its first level)."""
    parts = name.split(".")
    return ".".join(parts[:2])
