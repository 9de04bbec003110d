"""The data flow the README states, checked on the source: no module imports an app that sits
above its own.

core ← accounts ← schools ← programs ← monitoring ← roadmaps ← expertise ← forecasts ← dashboards ←
reports, with notices above forecasts and api above dashboards beside them, and demo and config on
top (they may import everything).
Migrations are left out: Django writes their imports. A model looked up by name
(`apps.get_model("programs", "Program")`) reaches its app as an import does, and is checked the
same way; the few that must reach up are listed with their reason.
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

# Models looked up by name against the flow, each with why it cannot be otherwise.
REACHING_UP = {
    ("core/access.py", "schools"): "a person's reach is read from their memberships, and every "
    "app's access rule asks it; the rule is the one thing core knows of the schools",
    # Accounts sit below every app (each records its events through accounts.audit), yet a
    # person's account is about where they work and what they may do: these read it by name.
    ("accounts/models.py", "schools"): "an audit event names the organization whose "
    "territory's coordinators see it, and a coordinator's list is read from memberships",
    ("accounts/second_factor.py", "programs"): "who must give a second factor: the staff of a "
    "program's owner or operator",
    ("accounts/second_factor.py", "schools"): "who must give a second factor: coordinators, "
    "read from memberships",
    ("accounts/second_factor_views.py", "schools"): "a coordinator resets the factor of people "
    "of the organizations of their territory",
    ("accounts/personal_data.py", "programs"): "a person's data lists and ends their "
    "appointments as curator",
    ("accounts/personal_data.py", "notices"): "deactivating a person ends their pending "
    "invitations and calendar feeds",
    ("accounts/oidc.py", "notices"): "a sign-in through the identity provider links only an "
    "account that came through an invitation its person accepted",
}


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
        elif _is_get_model(node):
            names = [node.args[0].value]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & known
    return found - {app}


def _is_get_model(node):
    """`apps.get_model("app", "Model")` or `apps.get_model("app.Model")` with a literal name."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get_model"
        and bool(node.args)
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    )


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
                if (str(path.relative_to(ROOT)), other) not in REACHING_UP:
                    wrong.append(f"{path.relative_to(ROOT)} imports {other}")
    assert wrong == []


def test_every_model_looked_up_against_the_flow_is_still_needed():
    for (module, other), _ in REACHING_UP.items():
        app = module.split("/")[0]
        assert other in imported_apps(ROOT / module, app) - MAY_IMPORT[app], module


def test_the_check_sees_an_import_against_the_flow(tmp_path):
    module = tmp_path / "models.py"
    module.write_text("from roadmaps.models import RoadmapItem\nfrom .forms import X\n")
    assert imported_apps(module, "monitoring") == {"roadmaps"}


def test_the_check_sees_a_model_looked_up_against_the_flow(tmp_path):
    module = tmp_path / "filters.py"
    module.write_text(
        "from django.apps import apps\n"
        "Program = apps.get_model('programs', 'Program')\n"
        "Item = apps.get_model('roadmaps.RoadmapItem')\n"
        "Mine = apps.get_model('schools', 'Organization')\n"
    )
    assert imported_apps(module, "schools") == {"programs", "roadmaps"}


def module_imports():
    """{module: the project's modules it imports}, anywhere in it (a function's import too)."""
    names = {}
    for app in [*MAY_IMPORT, *TOP]:
        for path in modules(app):
            parts = path.relative_to(ROOT).with_suffix("").parts
            names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph = {}
    for name, path in names.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                continue
            for target in targets:
                while target and target not in names:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    found.add(target)
                    break
        graph[name] = found
    return graph


def test_no_import_cycle():
    """A worker imports forms and services, never views; models of one app that need each other
    at call time reach each other through their relations. No module is imported back by what
    it imports, however far round."""
    graph = module_imports()
    cycles = []
    for start in graph:
        seen, stack = set(), [(start, [start])]
        while stack:
            name, trail = stack.pop()
            for other in graph[name]:
                if other == start:
                    cycles.append(" → ".join([*trail, start]))
                elif other not in seen and other > start:
                    seen.add(other)
                    stack.append((other, [*trail, other]))
    assert cycles == []


def built_chapter():
    """The README's «How it is built» chapter, and in it the tree: {entry: its text}, an entry
    being a line of the first code block that starts with «name/» and the lines under it."""
    readme = (ROOT / "README.md").read_text()
    chapter = readme.split("\n## How it is built\n", 1)[1].split("\n## ", 1)[0]
    tree = chapter.split("```\n", 2)[1]
    entries, name = {}, None
    for line in tree.splitlines():
        if line and not line[0].isspace():
            name = line.split()[0]
            entries[name] = ""
        if name:
            entries[name] += " " + " ".join(line.split())
    return chapter, entries


def holds_code(folder):
    """A folder holds code of its own: a module besides an empty `__init__.py`."""
    return any(path.name != "__init__.py" or path.stat().st_size for path in folder.glob("*.py"))


def test_the_readme_names_every_app_and_every_package_of_an_app_where_it_stands():
    _chapter, entries = built_chapter()
    missing = []
    for top in sorted(p for p in ROOT.iterdir() if (p / "__init__.py").exists()):
        entry = entries.get(f"{top.name}/")
        if entry is None:
            missing.append(f"{top.name}/")
            continue
        for folder in sorted(p for p in top.rglob("*") if p.is_dir()):
            parts = folder.relative_to(top).parts
            if {"migrations", "__pycache__"} & set(parts) or not holds_code(folder):
                continue
            if top.name == "tests" and parts[0] in {*MAY_IMPORT, *TOP}:
                continue  # «a folder per app»
            if f"{'/'.join(parts)}/" not in entry:
                missing.append(f"{top.name}/{'/'.join(parts)}/")
    assert missing == []


def test_the_readme_names_every_module_of_core():
    _chapter, entries = built_chapter()
    named = entries["core/"]
    modules = [p.name for p in sorted((ROOT / "core").glob("*.py"))]
    assert [m for m in modules if m not in ("__init__.py", "apps.py") and m not in named] == []
