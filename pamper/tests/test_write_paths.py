"""Issue 14, point 3: views, API handlers, forms and template tags make no model writes.

Writes go through an app's actions (`pamper/<app>/actions.py`), which own the
transaction, keep search in step and tell notifications. This test reads the
source of every adapter module with `ast` and fails on any call of a write
method: `.save(`, `.create(`, `.update(`, `.delete(`, `bulk_create`,
`bulk_update`, `get_or_create`, `update_or_create` (and the user manager's
`create_user` / `create_superuser`). A ModelForm's
`form.save()` in a view counts too: hand the cleaned data to an action.

Adapters are: every views.py, views/*.py, *_views.py, api*.py, *_api.py,
forms.py and templatetags module, and every module of the partner app (the
venue workspace is presentation only). Two things look like writes and are
not: a route decorator (`@router.delete(...)`) and `.update()` on a dict the
function built itself.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]  # the pamper package
WRITES = frozenset({"save", "create", "update", "delete", "bulk_create", "bulk_update", "get_or_create",
                    "update_or_create", "create_user", "create_superuser"})
# (module path under pamper/, the call's source) -> why it is not a domain write. Keep it empty if you can.
ALLOWED: dict[tuple[str, str], str] = {}


def _is_adapter(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    if "tests" in parts or "migrations" in parts or parts[0] == "demo":
        return False
    name = path.stem
    return (
        parts[0] == "partner"
        or "views" in parts[:-1] or "templatetags" in parts[:-1]
        or name in {"views", "forms"} or name.endswith("_views")
        or name.startswith("api") or name.endswith("_api")
    )


def adapter_modules() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if _is_adapter(p))


def _dict_names(function: ast.AST) -> set[str]:
    """Names the function binds to a dict it builds (a display, a comprehension, dict(...)) or annotates as dict."""
    names = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and _builds_dict(node.value):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and (
            _builds_dict(node.value) or ast.unparse(node.annotation).startswith("dict")
        ):
            names.add(node.target.id)
    return names


def _builds_dict(value: ast.AST | None) -> bool:
    return isinstance(value, ast.Dict | ast.DictComp) or (
        isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "dict"
    )


def _decorators(tree: ast.AST) -> set[int]:
    return {id(d) for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            for d in node.decorator_list}


def write_calls(source: str) -> list[tuple[int, str]]:
    """(line, call source) of every write call in `source`, route decorators and dict updates left out."""
    tree = ast.parse(source)
    routes = _decorators(tree)
    found = []
    scopes = [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef))]
    for scope in scopes:
        dicts = _dict_names(scope)
        body = scope.body if scope is tree else [scope]
        for node in (n for top in body for n in ast.walk(top)):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITES):
                continue
            if id(node) in routes:
                continue
            receiver = node.func.value
            if node.func.attr == "update" and isinstance(receiver, ast.Name) and receiver.id in dicts:
                continue
            found.append((node.lineno, ast.unparse(node.func)))
    return sorted(set(found))


def test_the_walk_finds_the_adapters() -> None:
    names = {str(p.relative_to(ROOT)) for p in adapter_modules()}
    assert {"partner/views/setup.py", "partner/api_venue_setup.py", "partner/forms.py", "partner/queries.py",
            "clinical/staff_views.py", "clinical/staff_api.py", "accounts/views.py", "bookings/api.py",
            "reviews/templatetags/reviews.py", "views.py"} <= names
    assert not any("tests/" in n or n.startswith("demo/") or "migrations/" in n for n in names)


@pytest.mark.parametrize("source, expected", [
    ("def v(form):\n    form.save()\n", [(2, "form.save")]),
    ("def v(pk):\n    Venue.objects.filter(pk=pk).update(require_two_factor=True)\n",
     [(2, "Venue.objects.filter(pk=pk).update")]),
    ("def v(staff):\n    Shift.objects.create(staff=staff)\n    staff.shifts.all().delete()\n",
     [(2, "Shift.objects.create"), (3, "staff.shifts.all().delete")]),
    ("def v(rows):\n    Row.objects.bulk_create(rows)\n    Row.objects.get_or_create(a=1)\n",
     [(2, "Row.objects.bulk_create"), (3, "Row.objects.get_or_create")]),
    ("def v(data):\n    User.objects.create_user(email=data.email)\n", [(2, "User.objects.create_user")]),
    ("@router.delete('/x')\ndef v():\n    context = {}\n    context.update(a=1)\n    data: dict = "
     "{}\n    data.update(b=2)\n", []),
    ("def v(context):\n    context.update(a=1)\n", [(2, "context.update")]),  # not built here: could be a queryset
])
def test_the_walk_tells_writes_from_look_alikes(source: str, expected: list[tuple[int, str]]) -> None:
    assert write_calls(source) == expected


@pytest.mark.parametrize("path", adapter_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_adapters_make_no_model_writes(path: Path) -> None:
    where = str(path.relative_to(ROOT))
    calls = [(line, call) for line, call in write_calls(path.read_text()) if (where, call) not in ALLOWED]
    assert not calls, (f"{where} writes outside an action: "
                       + ", ".join(f"line {line}: {call}(...)" for line, call in calls)
                       + ". Move the write into the app's actions.py and call that.")
