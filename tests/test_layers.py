"""The layers import one way only, and the Bot Framework SDK stays inside bot/teams/."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = {"app", "settings", "panel", "storage", "bot", "cards", "cli"}
# Which of our own top-level packages each layer may import.
ALLOWED: dict[str, set[str]] = {
    "panel": {"panel"},
    "cards": {"cards", "panel"},
    "storage": {"storage", "panel"},
    "bot": {"bot", "panel", "cards"},
}
BOT_FRAMEWORK = {"botbuilder", "botframework", "msrest"}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_layer_imports_only_what_it_may(package: str) -> None:
    wrong = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in python_files(package)
        for name in imports_of(path) & OURS
        if name not in ALLOWED[package]
    }
    assert not wrong, sorted(wrong)


def test_panel_imports_only_the_standard_library() -> None:
    wrong = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in python_files("panel")
        for name in imports_of(path)
        if name not in sys.stdlib_module_names and name not in {"panel", "__future__"}
    }
    assert not wrong, sorted(wrong)


def test_the_bot_framework_sdk_is_imported_only_in_bot_teams() -> None:
    """botbuilder is archived: its defects are fenced in one folder, so moving to another SDK is a
    one-folder change. The flows, views and replies are plain Python."""
    everywhere = [
        p for p in ROOT.rglob("*.py") if not {".venv", ".venv-infra", "node_modules", "tests"} & set(p.parts)
    ]
    wrong = [
        str(path.relative_to(ROOT))
        for path in everywhere
        if imports_of(path) & BOT_FRAMEWORK and path.relative_to(ROOT).parts[:2] != ("bot", "teams")
    ]
    assert not wrong, wrong
    assert python_files("panel"), "the layer test must look at real files"
    assert any(imports_of(p) & BOT_FRAMEWORK for p in python_files("bot/teams")), (
        "the test must see SDK imports"
    )


def modules_imported(path: Path, package: str) -> set[str]:
    """The modules of `package` a file imports (type-checking imports included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(package + "."):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith(package + ".")}
    return found


@pytest.mark.parametrize("package", ["storage", "bot"])
def test_a_package_reads_one_way_with_no_import_circles(package: str) -> None:
    graph = {
        f"{package}." + ".".join(p.relative_to(ROOT / package).with_suffix("").parts): modules_imported(
            p, package
        )
        for p in python_files(package)
    }
    state: dict[str, int] = {}

    def visit(module: str, path: list[str]) -> list[str] | None:
        if state.get(module) == 1:
            return path[path.index(module) :] + [module]
        if state.get(module) == 2 or module not in graph:
            return None
        state[module] = 1
        for imported in sorted(graph[module]):
            if (cycle := visit(imported, [*path, module])) is not None:
                return cycle
        state[module] = 2
        return None

    cycles = [c for m in sorted(graph) if (c := visit(m, [])) is not None]
    assert not cycles, cycles[0]
