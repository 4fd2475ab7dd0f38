"""The layers of DESIGN §1, checked on the source: no import cycles anywhere (function-level
imports included), core free of typer, rich and cli, cli free of sqlite3, and Typer's private
API in one module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {"core": "limitlab.core", "cli": "limitlab.cli"}


def _modules() -> dict[str, Path]:
    found = {}
    for folder, package in PACKAGES.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = path.relative_to(ROOT / folder).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join((package, *parts))] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Every module `name` imports, anywhere in its body, as absolute names."""
    is_package = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            out.add(module)
            out.update(f"{module}.{alias.name}" for alias in node.names)
    return out


IMPORTS = {name: _imports(name, path) for name, path in MODULES.items()}


def _graph() -> dict[str, set[str]]:
    return {
        name: {m for m in found if m in MODULES and m != name} for name, found in IMPORTS.items()
    }


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles() -> None:
    assert _cycles(_graph()) == []


def test_the_cycle_check_can_fail() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c"]]


def _importing(prefixes: tuple[str, ...], where: str) -> dict[str, list[str]]:
    return {
        name: sorted(m for m in found if m.split(".")[0] in prefixes or m.startswith(prefixes))
        for name, found in IMPORTS.items()
        if name.startswith(where)
        and any(m.split(".")[0] in prefixes or m.startswith(prefixes) for m in found)
    }


def test_core_imports_no_typer_rich_or_cli() -> None:
    assert _importing(("typer", "rich", "click", "limitlab.cli"), "limitlab.core") == {}


def test_core_makes_no_words() -> None:
    """Data first, words last: core returns codes and raw parameters, and only the CLI reads
    the message catalogue (which still lives in core until it moves to the CLI)."""
    users = _importing(("limitlab.core.messages",), "limitlab.core")
    assert {name: found for name, found in users.items() if name != "limitlab.core.messages"} == {}


def test_cli_never_imports_sqlite3() -> None:
    assert _importing(("sqlite3",), "limitlab.cli") == {}


def test_only_the_service_imports_both_the_engine_and_the_store() -> None:
    both = {
        name
        for name, found in IMPORTS.items()
        if name.startswith("limitlab.core")
        and {"limitlab.core.engine", "limitlab.core.store"} <= found
    }
    assert both <= {"limitlab.core.service"}


def test_only_the_session_reaches_the_store_from_the_cli() -> None:
    """cli/ reads through cli/session.py and writes through the service, nowhere else (the
    error funnel knows the store's one error, StoreError)."""
    users = {
        name
        for name, found in IMPORTS.items()
        if name.startswith("limitlab.cli") and "limitlab.core.store" in found
    }
    assert users <= {"limitlab.cli.session", "limitlab.cli.errors"}


@pytest.mark.parametrize("private", ["typer._", "click"])
def test_typers_private_api_is_used_in_one_module(private: str) -> None:
    users = {name for name, found in IMPORTS.items() if any(m.startswith(private) for m in found)}
    assert users <= {"limitlab.cli.typer_ext"}
