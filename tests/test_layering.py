"""Apps depend one way: accounts <- nursery <- children <- learning_stories <- keyworker <- transitions.

A lower app never imports a higher one, so each can be read and tested without those above it.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["accounts", "nursery", "children", "learning_stories", "keyworker", "transitions", "demo"]


def imported_apps(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & set(LAYERS)


@pytest.mark.parametrize("app", LAYERS)
def test_app_imports_only_itself_and_apps_below_it(app):
    allowed = set(LAYERS[: LAYERS.index(app) + 1])
    offences = {
        str(path.relative_to(ROOT)): sorted(imported_apps(path) - allowed)
        for path in (ROOT / app).rglob("*.py")
        if imported_apps(path) - allowed
    }
    assert not offences, f"{app} imports apps above it: {offences}"
