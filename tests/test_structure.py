"""The code's layout keeps its promises (README: "How the code is laid out"):
dependencies go one way, who may do what is asked of rules.py, states change
through their workflow's table, and templates name states through the enums."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Each app may import the apps of lower layers, never those above or beside it
# (accounts and notifications, the platform every service uses, excepted: the
# outbox sends accounts' emails and records in accounts' audit log).
LAYERS = [
    {"core"},
    {"accounts", "notifications"},
    {"awards", "courses"},
    {"judging", "accreditation"},
    {"leaders"},
    {"pages", "devtools"},
]
SIBLINGS_ALLOWED = {frozenset({"accounts", "notifications"})}
APPS = {app for layer in LAYERS for app in layer}
ALLOWED = {
    "judging": {"awards"},
    "accreditation": {"courses"},
    "leaders": {"courses", "accreditation"},
}


def _layer(app: str) -> int:
    return next(number for number, layer in enumerate(LAYERS) if app in layer)


def _python_files(folder: str):
    for path in sorted((ROOT / folder).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def _imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    modules = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.append(node.module)
    return {module.split(".")[0] for module in modules} & (APPS | {"config"})


def _allowed(app: str, other: str) -> bool:
    if other == app:
        return True
    if other == "config":
        return False
    if _layer(other) < _layer(app):
        # Between the service layers, only the declared dependencies.
        return _layer(other) <= 1 or other in ALLOWED.get(app, set()) or _layer(app) == len(LAYERS) - 1
    return frozenset({app, other}) in SIBLINGS_ALLOWED


def test_dependencies_go_one_way():
    wrong = [
        f"{path.relative_to(ROOT)} imports {other}"
        for app in sorted(APPS)
        for path in _python_files(app)
        for other in sorted(_imported_apps(path))
        if not _allowed(app, other)
    ]
    assert wrong == []


def test_config_holds_settings_urls_celery_and_wsgi_only():
    assert sorted(p.name for p in (ROOT / "config").glob("*.py")) == [
        "__init__.py",
        "celery.py",
        "settings.py",
        "settings_test.py",
        "urls.py",
        "wsgi.py",
    ]
    assert [str(p.relative_to(ROOT)) for p in _python_files("config") if _imported_apps(p) - {"config"}] == []


ROLE_CHECK = re.compile(r"has_site_role\(|\.is_staff\b|\.is_superuser\b|\bchair_id\s*[!=]=")
# Where roles are defined, granted and taken away: not where they are asked.
ROLES_HOME = {
    "accounts/models.py",  # User.has_site_role itself
    "accounts/rules.py",
    "accounts/backends.py",  # the Django admin's own staff check
    "accounts/admin.py",
    "accounts/demo.py",  # creating the demo administrator
    "pages/privacy.py",  # deleting an account takes its flags away
    "judging/domain/panels.py",  # the chair is part of a panel's data (set_chair, removing a member)
}


def test_who_may_do_what_is_asked_of_rules_py_only():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for app in sorted(APPS - {"devtools"})
        for path in _python_files(app)
        if path.name != "rules.py" and str(path.relative_to(ROOT)) not in ROLES_HOME
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if ROLE_CHECK.search(line)
    ]
    assert found == []


def test_domain_functions_refuse_through_rules_not_by_hand():
    """`raise PermissionDenied` only in core.permissions (require, require_that)."""
    found = [
        str(path.relative_to(ROOT))
        for app in sorted(APPS - {"core"})
        for path in _python_files(app)
        if (path.name in {"domain.py", "credentials.py"} or "domain" in path.parts)
        and "raise PermissionDenied" in path.read_text()
    ]
    assert found == []


STATE_WRITE = re.compile(r"\.state\s*=[^=]|update\(\s*state\s*=")


@pytest.mark.parametrize("app", sorted(APPS - {"core", "devtools", "pages"}))
def test_states_change_only_through_their_workflow(app):
    """core.states.move / move_all check each move against the app's table;
    demo data (demo.py) builds its records in the states it shows. The outbox
    claims rows with conditional updates (notifications.sending)."""
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _python_files(app)
        if path.name != "demo.py" and not (app == "notifications" and path.name in {"sending.py", "domain.py"})
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if STATE_WRITE.search(line)
    ]
    assert found == []


STATE_LITERAL = re.compile(r"""\.state\s*(==|!=|in|not in)\s*["']""")


def test_templates_name_states_through_enums():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "templates").rglob("*"))
        if path.is_file()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if STATE_LITERAL.search(line)
    ]
    assert found == []


MAX_TEST_MODULE_LINES = 400


def test_test_modules_stay_under_400_lines():
    """Test modules (and their helpers) stay readable: split a long one by its sections."""
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if (lines := len(path.read_text().splitlines())) > MAX_TEST_MODULE_LINES
    }
    assert too_long == {}, f"Over {MAX_TEST_MODULE_LINES} lines, split by section: " + ", ".join(
        f"{path} ({lines})" for path, lines in too_long.items()
    )
