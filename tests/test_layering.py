"""Apps depend one way: core <- accounts <- nursery <- children <- learning_stories <- keyworker <- transitions
<- privacy.

A lower app never imports a higher one, so each can be read and tested without those above it. ``core`` holds
the helpers every app shares and imports no app; ``config`` (settings, Celery, WSGI) imports none but in
``urls.py``, which mounts them all.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = [
    "core",
    "accounts",
    "nursery",
    "children",
    "learning_stories",
    "keyworker",
    "messaging",
    "transitions",
    "privacy",
    "retention",
    "demo",
]


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


def test_config_imports_no_app_except_in_its_url_map():
    offences = {
        str(path.relative_to(ROOT)): sorted(imported_apps(path))
        for path in (ROOT / "config").rglob("*.py")
        if path.name != "urls.py" and imported_apps(path)
    }
    assert not offences, f"config imports apps: {offences}"
