"""Imports flow one way (DESIGN.md): the engine never imports the web layer, the pure packages never the store."""

import ast
from pathlib import Path

import tracing

FORBIDDEN = {"dash", "flask", "flask_login", "flask_wtf", "flask_limiter", "dashboard", "werkzeug"}
PURE = ("model", "scoring", "flow", "labels", "market", "profiles", "figures")
STORE_SIDE = ("tracing.store", "tracing.investigate", "tracing.sources", "sqlalchemy", "alembic", "requests")
ROOT = Path(tracing.__file__).parent


def _modules(text: str, package: str) -> set[str]:
    """Every module ``text`` (a module of ``package``) imports, by full dotted name, relative imports resolved."""
    found = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            parts = package.split(".")
            base = ".".join([*parts[: len(parts) - node.level + 1], node.module or ""] if node.level else [node.module])
            found |= {base.strip(".")} | {f"{base.strip('.')}.{alias.name}" for alias in node.names}
    return found


def _imports_of(path: Path) -> set[str]:
    return _modules(path.read_text(), ".".join(("tracing", *path.relative_to(ROOT).parent.parts)))


def _store_side(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.startswith(STORE_SIDE))


def test_tracing_never_imports_the_web_layer():
    offenders = {
        str(p.relative_to(ROOT)): {m.split(".")[0] for m in _imports_of(p)} & FORBIDDEN for p in ROOT.rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}
    assert len(offenders) > 20  # the walk really saw the package


def test_the_pure_packages_never_import_the_store_or_the_sources():
    files = [p for n in PURE for p in [*(ROOT / n).rglob("*.py"), ROOT / f"{n}.py"] if p.is_file()]
    offenders = {str(p.relative_to(ROOT)): _store_side(_imports_of(p)) for p in files}
    assert {k: v for k, v in offenders.items() if v} == {}
    assert len(files) > 20 and any(p.parent.name == "flow" for p in files)


def test_the_check_sees_absolute_and_relative_imports_of_the_store():
    assert _store_side(_modules("from tracing.store import Store", "tracing.flow")) == [
        "tracing.store",
        "tracing.store.Store",
    ]
    assert _store_side(_modules("from ..store import Store", "tracing.flow")) == [
        "tracing.store",
        "tracing.store.Store",
    ]
    assert _store_side(_modules("import requests\nfrom .tracer import trace", "tracing.flow")) == ["requests"]
