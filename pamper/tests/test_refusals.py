"""One refusal type (pamper.errors.Refusal), raised by every action, translated once for pages and once for the API.

A Refusal that leaves a page view is the page's answer with the refusal's status and sentence (a fragment for
htmx), never a 500; every `raise` in an app's actions module raises a Refusal; a venue's field errors keep
the API's message and say which field.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest
from django.test import Client

from pamper.accounts.two_factor import TwoFactorRequired
from pamper.errors import Refusal
from pamper.venues.tests import factories as f

APPS = Path(__file__).resolve().parents[1]


@pytest.mark.urls("pamper.tests.refusal_urls")
def test_a_refusal_that_leaves_a_page_is_its_status_and_sentence_not_a_500(db) -> None:  # type: ignore[no-untyped-def]
    page = Client().get("/test-refusal/")
    body = page.content.decode()
    assert page.status_code == 409
    assert "That time has just been taken." in body and "<html" in body


@pytest.mark.urls("pamper.tests.refusal_urls")
def test_an_htmx_request_gets_the_refusal_as_a_fragment(db) -> None:  # type: ignore[no-untyped-def]
    page = Client().get("/test-refusal/", HTTP_HX_REQUEST="true")
    body = page.content.decode()
    assert page.status_code == 409
    assert "That time has just been taken." in body and "<html" not in body


def _action_modules() -> list[str]:
    found = sorted(APPS.glob("*/actions.py")) + sorted(APPS.glob("*/actions/*.py"))
    names = [".".join(p.relative_to(APPS.parent).with_suffix("").parts) for p in found]
    return [name.removesuffix(".__init__") for name in names]  # a package's __init__ is the package itself


def _raised(module_name: str) -> list[tuple[int, object]]:
    """(line, the thing raised) for every `raise Name(...)` / `raise a.b.Name(...)` in the module, resolved by name."""
    module = importlib.import_module(module_name)
    found = []
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if not isinstance(node, ast.Raise) or not isinstance(node.exc, ast.Call):
            continue
        parts, func = [], node.exc.func
        while isinstance(func, ast.Attribute):
            parts.insert(0, func.attr)
            func = func.value
        if not isinstance(func, ast.Name):
            continue
        target: object = getattr(module, func.id, None)
        for part in parts:
            target = getattr(target, part, None)
        found.append((node.lineno, target))
    return found


def test_every_action_refuses_with_refusal_only() -> None:
    """The adapters know one type: an action raising another exception class would pass them by (a 500).

    The one other is TwoFactorRequired, not a refusal but a challenge (as a sign-in redirect is): give the
    second factor and the same request succeeds. Pages send it to the code step, the API answers 403.
    """
    modules = _action_modules()
    assert "pamper.venues.actions" in modules and "pamper.accounts.actions" in modules
    others = [
        f"{name}:{line} raises {target.__name__}"  # type: ignore[attr-defined]
        for name in modules
        for line, target in _raised(name)
        if isinstance(target, type) and issubclass(target, BaseException)
        and not issubclass(target, Refusal | TwoFactorRequired)
    ]
    assert others == []


def test_a_venue_field_error_is_a_422_naming_the_field(db) -> None:  # type: ignore[no-untyped-def]
    venue = f.venue()
    with pytest.raises(Refusal) as refused:
        f.service(venue, f.treatment(), price="-5")
    assert (refused.value.status, refused.value.code) == (422, "invalid")
    assert refused.value.message == "price: A price cannot be negative."
    assert refused.value.extra["errors"] == [{"field": "price", "message": "A price cannot be negative."}]


def test_a_model_check_failure_is_a_422_with_every_field(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Refusal) as refused:
        f.venue(timezone="Mars/Olympus", latitude=123.0)
    fields = {e["field"] for e in refused.value.extra["errors"]}
    assert refused.value.status == 422 and {"timezone", "latitude"} <= fields
    assert refused.value.message.split(":")[0] in fields
