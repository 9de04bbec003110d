"""The data flow the README states, checked on the source: no module imports an app that sits
above its own.

core ← accounts ← schools ← programs ← monitoring ← roadmaps ← expertise ← forecasts ← dashboards ←
reports, with notices above forecasts and api above dashboards beside them, and demo and config on
top (they may import everything).
Migrations are left out: Django writes their imports.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What each app may import, besides itself.
MAY_IMPORT = {
    "core": set(),
    # Accounts, sessions, the second factor and the audit trail: every app records its events
    # through accounts.audit, so accounts reads the domain only through the app registry.
    "accounts": {"core"},
    "schools": {"core", "accounts"},
    "programs": {"core", "accounts", "schools"},
    "monitoring": {"core", "accounts", "schools", "programs"},
    "roadmaps": {"core", "accounts", "schools", "programs", "monitoring"},
    "expertise": {"core", "accounts", "schools", "programs", "monitoring", "roadmaps"},
    "forecasts": {"core", "accounts", "schools", "programs", "monitoring", "roadmaps", "expertise"},
    "dashboards": {
        "core",
        "accounts",
        "schools",
        "programs",
        "monitoring",
        "roadmaps",
        "expertise",
        "forecasts",
    },
    "reports": {
        "core",
        "accounts",
        "schools",
        "programs",
        "monitoring",
        "roadmaps",
        "expertise",
        "forecasts",
        "dashboards",
    },
    "notices": {
        "core",
        "accounts",
        "schools",
        "programs",
        "monitoring",
        "roadmaps",
        "expertise",
        "forecasts",
    },
    "api": {
        "core",
        "accounts",
        "schools",
        "programs",
        "monitoring",
        "roadmaps",
        "expertise",
        "forecasts",
        "dashboards",
    },
}
TOP = {"demo", "config"}


def apps():
    return sorted(p.parent.name for p in ROOT.glob("*/apps.py"))


def imported_apps(path, app):
    """The project's apps a module imports, relative imports resolved."""
    known = set(MAY_IMPORT) | TOP
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [app] if node.level else [node.module or ""]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & known
    return found - {app}


def modules(app):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def test_every_app_has_its_place_in_the_data_flow():
    assert set(apps()) <= set(MAY_IMPORT) | TOP, (
        "a new app needs its place in MAY_IMPORT (and in the README's data flow)"
    )


def test_no_module_imports_an_app_above_its_own():
    wrong = []
    for app, allowed in MAY_IMPORT.items():
        for path in modules(app):
            for other in sorted(imported_apps(path, app) - allowed):
                wrong.append(f"{path.relative_to(ROOT)} imports {other}")
    assert wrong == []


def test_the_check_sees_an_import_against_the_flow(tmp_path):
    module = tmp_path / "models.py"
    module.write_text("from roadmaps.models import RoadmapItem\nfrom .forms import X\n")
    assert imported_apps(module, "monitoring") == {"roadmaps"}
