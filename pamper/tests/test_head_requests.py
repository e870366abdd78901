"""HEAD is answered wherever GET is (RFC 9110: every general-purpose server supports both).

ninja answered HEAD with 405 on every API path ('Allow: GET' for a GET path), and the calendar feeds, a booking's
.ics and the venue pictures took GET alone: a monitor, a link checker or a calendar client asking HEAD first was
refused. The API routes answer HEAD as their GET (pamper.api.PamperAPI._get_urls); those pages use require_safe.
"""

from __future__ import annotations

import pytest
from django.test import Client

from pamper.accounts.models import ApiToken
from pamper.notifications.models import CalendarFeed
from pamper.tests.world import World

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/v1/treatments", "/api/v1/openapi.json", "/api/v1/auth/me",
                                  "/api/v1/search?q=mesotherapy&near=London", "/api/v1/venues/999999"])
def test_an_api_path_answers_head_as_its_get(path: str) -> None:
    client = Client()
    got, head = client.get(path), client.head(path)
    assert head.status_code == got.status_code != 405, (path, head.status_code, got.status_code)
    assert head["Content-Type"] == got["Content-Type"] and head.content == b""


def test_head_on_a_path_without_get_is_still_405() -> None:
    assert Client().head("/api/v1/auth/token").status_code == 405


def test_calendar_files_and_pictures_answer_head(world: World) -> None:
    _, raw = CalendarFeed.issue(user=world.customer, scope="customer")
    assert Client().head(f"/calendar/{raw}.ics").status_code == 200
    customer = Client()
    customer.force_login(world.customer)
    assert customer.head("/bookings/999999/calendar.ics").status_code == 404  # not 405: no such booking of theirs
    assert Client().head("/photos/999999/480.webp").status_code == 404
    _, token = ApiToken.issue(world.customer)
    assert Client(HTTP_AUTHORIZATION=f"Bearer {token}").head("/api/v1/auth/me").status_code == 200


@pytest.mark.parametrize("path", ["/accounts/notifications/", "/account/health/erase/", "/bookings/999999/review/"])
def test_a_page_with_a_form_answers_head_as_its_get(world: World, path: str) -> None:
    """Pages that take GET and POST (a form) answer HEAD too: before, require_http_methods(["GET", "POST"]) said 405."""
    customer = Client()
    customer.force_login(world.customer)
    got, head = customer.get(path), customer.head(path)
    assert head.status_code == got.status_code != 405, (path, head.status_code, got.status_code)
    assert head.content == b""


def test_no_view_lists_get_without_head() -> None:
    """Every method list that takes GET takes HEAD as well (pamper.lib.methods.require_form_page, or Django's
    require_safe): a source walk, so a new form page cannot refuse HEAD again."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    found = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == \
                    "require_http_methods" and node.args and isinstance(node.args[0], ast.List):
                methods = {getattr(e, "value", None) for e in node.args[0].elts}
                if "GET" in methods and "HEAD" not in methods:
                    found.append(f"{path.relative_to(root)}:{node.lineno}")
    assert found == []
