"""The generator's shape: a core that knows no output format, builders on top of it, and the
commands on top of both. The imports are read from the source (every import, also those
inside functions), so that a shortcut from the core to a builder, or a cycle, fails here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

GENERATOR = Path(__file__).resolve().parent.parent / "generator"
LAYERS = {"core": 0, "builders": 1}
"""Each folder's layer; the modules directly in ``generator/`` (the commands) are layer 2.
A module may import only from its own layer and those below."""


def _modules() -> dict[str, Path]:
    return {".".join(("generator", *path.relative_to(GENERATOR).with_suffix("").parts))
            .removesuffix(".__init__"): path
            for path in GENERATOR.rglob("*.py")}


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The generator's modules that a file imports, wherever in the file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        else:
            continue
        found |= {name for name in names if name in modules}
    # ``from generator.core import x`` names the package and its module: keep the module
    return {name for name in found if not any(other.startswith(name + ".") for other in found)}


def _layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS.get(parts[1], 2) if len(parts) > 2 else 2


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(path, set(modules)) - {name} for name, path in modules.items()}


def test_the_core_imports_no_builder_and_builders_no_command() -> None:
    wrong = sorted(f"{module} imports {imported}"
                   for module, imported_ in _graph().items() for imported in imported_
                   if _layer(imported) > _layer(module))
    assert not wrong, wrong


def test_no_module_imports_itself_through_others() -> None:
    graph = _graph()
    cycles = []
    state: dict[str, int] = {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = 1
        for imported in sorted(graph[module]):
            if state.get(imported) == 1:
                cycles.append(" → ".join(trail[trail.index(imported):] + [module, imported])
                              if imported in trail else f"{module} → {imported}")
            elif imported not in state:
                visit(imported, trail + [module])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [])
    assert not cycles, cycles


def test_the_core_and_builders_are_folders_of_their_own() -> None:
    graph = _graph()
    assert {_layer(module) for module in graph} == {0, 1, 2}
    assert all(not any(part in ("weasyprint", "mkdocs", "material", "icalendar")
                       for part in ast.dump(ast.parse(path.read_text())).split("'"))
               for path in (GENERATOR / "core").rglob("*.py")), \
        "the core imports an output library"


PAGE_PATH = re.compile(r"\b(coaches|participants)/|\bdownloads/[a-z{]|\b(index|downloads|tags|"
                       r"whats-new|year-plan|schedule)\.(md|html)\b(?!\.j2)")
"""How a page or PDF address looks when spelled out: a folder of the site's pages, a file
under downloads/, or one of the site's own page names."""


def test_only_the_routes_module_spells_a_page_path() -> None:
    """Every address of a page or PDF comes from ``generator/builders/routes.py``: the code and
    the templates ask it, so that moving a page is one change."""
    root = GENERATOR.parent
    sources = [*GENERATOR.rglob("*.py"), *(root / "templates").rglob("*.j2"),
               *(root / "templates").rglob("*.html")]
    found = [f"{path.relative_to(root)}:{number}: {line.strip()[:100]}"
             for path in sources if path.name != "routes.py"
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if PAGE_PATH.search(line)]
    assert not found, "\n".join(found)


def test_only_the_engine_adapter_imports_the_site_engine() -> None:
    """MkDocs and Material are imported in one module, so that leaving them (for ProperDocs
    or Zensical) changes one module; the live preview uses no engine's internals."""
    adapter = GENERATOR / "builders" / "engines" / "mkdocs_material.py"
    importers = set()
    for path in GENERATOR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            else:
                continue
            if any(name.split(".")[0] in ("mkdocs", "material") for name in names):
                importers.add(path)
    assert importers == {adapter}
