"""The layout's rules, read from the code's own imports: each app owns one concern and the arrows between apps run one
way; the project package only gathers the apps in urls.py; no module is longer than a newcomer can read."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ["core", "outbox", "consultations", "submissions", "pages", "publications", "analysis", "archive"]
# Which apps each app may import. Everything may use core and the outbox; nothing imports archive.
ALLOWED = {
    "core": set(),
    "outbox": set(),
    "consultations": {"core", "outbox"},
    "submissions": {"core", "outbox", "consultations"},
    "pages": {"core", "outbox", "consultations"},
    "publications": {"core", "outbox", "pages"},
    "analysis": {"core", "outbox", "consultations", "submissions"},
    "archive": {"core", "outbox", "consultations", "submissions", "pages", "publications", "analysis"},
}


def python_files(folder):
    return [
        path
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts and "__pycache__" not in path.parts
    ]


def imported_modules(path):
    """Every module a file imports, relative imports resolved against its own package."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def app_of(module):
    top = module.split(".")[0]
    return top if top in APPS else None


@pytest.mark.parametrize("app", [app for app in APPS if (ROOT / app).is_dir()])
def test_an_app_imports_only_the_apps_below_it(app):
    wrong = []
    for path in python_files(app):
        for module in imported_modules(path):
            other = app_of(module)
            if other and other != app and other not in ALLOWED[app]:
                wrong.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not wrong, "\n".join(sorted(set(wrong)))


def test_the_project_package_imports_apps_only_in_urls():
    wrong = []
    for path in python_files("review_site"):
        if path.name == "urls.py":
            continue
        wrong += [f"{path.relative_to(ROOT)} imports {m}" for m in imported_modules(path) if app_of(m)]
    assert not wrong, "\n".join(wrong)


def module_graph(app):
    """Module -> the modules of the same app it imports at module level (imports inside functions are lazy)."""
    graph = {}
    for path in python_files(app):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        tree = ast.parse(path.read_text())
        package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
        targets = set()
        for node in tree.body:  # top level only
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    module = ".".join([*base, node.module] if node.module else base)
                else:
                    module = node.module or ""
                for alias in node.names:
                    targets.add(f"{module}.{alias.name}")
                targets.add(module)
            elif isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
        graph[name] = targets
    modules = set(graph)
    return {name: {t for t in targets if t in modules and t != name} for name, targets in graph.items()}


@pytest.mark.parametrize("app", [app for app in APPS if (ROOT / app).is_dir()])
def test_no_import_cycle_between_modules_of_an_app(app):
    graph = module_graph(app)
    state, cycles = {}, []

    def visit(node, trail):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append(" -> ".join([*trail[trail.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not cycles, "\n".join(cycles)


def test_no_python_file_outside_migrations_and_tests_is_over_400_lines():
    long = []
    for folder in [*APPS, "review_site", "bench"]:
        if (ROOT / folder).is_dir():
            for path in python_files(folder):
                lines = len(path.read_text().splitlines())
                if lines > 400:
                    long.append(f"{path.relative_to(ROOT)}: {lines} lines")
    assert not long, "\n".join(long)
