"""In Chromium: planted payloads never run (no alert dialog, no CSP violation) and the API docs work under the CSP."""

from __future__ import annotations

import pytest

from .world import World

PAGES = ["/venues/hostile-clinic/", "/venues/hostile-clinic/reviews/", "/search/?q=facial&near=London"]
OWNER_PAGES = ["/partner/{venue}/calendar/?date=2026-03-05", "/partner/{venue}/clients/",
               "/partner/clinical/{venue}/clients/{client}/"]


def watch(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Dialogs opened and console errors (CSP violations are console errors) seen by the page."""
    seen: list[str] = []
    page.on("dialog", lambda d: (seen.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("console", lambda m: seen.append(f"console: {m.text}") if m.type == "error" else None)
    return seen


def sign_in(page, live_server, world: World) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    client = Client()
    client.force_login(world.owner)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_planted_payloads_never_run_in_the_browser(live_server, page, world: World, planted) -> None:  # type: ignore[no-untyped-def]
    seen = watch(page)
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())  # offline: no tiles
    for path in PAGES:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    sign_in(page, live_server, world)
    for path in OWNER_PAGES:
        page.goto(live_server.url + path.format(venue=world.venue.pk, client=world.client.pk))
        page.wait_for_load_state("networkidle")
    problems = [s for s in seen if "dialog" in s or "Content Security Policy" in s]
    assert not problems, problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_api_docs_render_under_the_content_security_policy(live_server, page) -> None:  # type: ignore[no-untyped-def]
    seen = watch(page)
    page.goto(f"{live_server.url}/api/v1/docs")
    page.locator(".opblock").first.wait_for(timeout=15000)
    assert page.locator(".opblock").count() > 20
    assert not [s for s in seen if "Content Security Policy" in s], seen
