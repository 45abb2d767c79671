"""The engine never imports the web layer (DESIGN.md: data and imports flow one way)."""

import ast
from pathlib import Path

import tracing

FORBIDDEN = {"dash", "flask", "flask_login", "flask_wtf", "flask_limiter", "dashboard", "werkzeug"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_tracing_never_imports_the_web_layer():
    root = Path(tracing.__file__).parent
    offenders = {str(p.relative_to(root)): _imports(p) & FORBIDDEN for p in root.rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}
    assert len(offenders) > 20  # the walk really saw the package
