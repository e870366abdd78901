"""Cross-site request forgery: a POST without the CSRF token changes nothing, on every route.

A signed-in browser (the owner's and the customer's sessions) posts to every
route of the site, its arguments filled from the world, with no CSRF token:
pages answer 403, and so does the JSON API when the session cookie (not a
bearer token) is what signs the request in. Nothing in the database changes.
The same form with the token goes through (the check is not a blanket refusal).
"""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from pamper.accounts.models import ApiToken
from pamper.venues.models import Staff

from .crawl import changed, snapshot, urls_for
from .world import World

pytestmark = pytest.mark.django_db
# API operations anyone may call: they do not act as the session's user. Stripe's webhook is proven by its
# signature, not a session: unsigned, it answers 400 and changes nothing (the snapshot below checks that).
PUBLIC_API = {"/api/v1/auth/register", "/api/v1/auth/token", "/api/v1/payments/stripe/webhook"}


def browser(world: World, who: str) -> HttpClient:
    client = HttpClient(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(getattr(world, who))
    return client


@pytest.mark.parametrize("who", ["owner", "customer"])
def test_every_post_without_the_token_is_refused_and_changes_nothing(world: World, who: str) -> None:
    filled, _ = urls_for(world)
    client = browser(world, who)
    before = snapshot()
    accepted = []
    for _, url in filled:
        if url.startswith("/api/"):
            response = client.post(url, "{}", content_type="application/json")
        else:
            response = client.post(url, {"name": "Forged", "text": "Forged", "reason": "Forged"})
        public = url in PUBLIC_API  # no session involved: a 4xx for the empty body is right
        if response.status_code not in (403, 405) and not (public and 400 <= response.status_code < 500):
            accepted.append(f"POST {url}: {response.status_code}")
        elif response.status_code == 403 and response.get("Content-Type", "").startswith("application/json"):
            assert response.json()["code"] == "csrf_failed", url
    assert not accepted, "answered without a CSRF token:\n" + "\n".join(accepted)
    assert not changed(before, snapshot())


def test_the_same_form_with_its_token_goes_through(world: World) -> None:
    client = browser(world, "owner")
    url = f"/partner/{world.venue.pk}/staff/{world.staff.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    token = page.context["csrf_token"]
    form = page.context["form"]
    data = {**{k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list | tuple)},
            "name": "Grace Hopper", "csrfmiddlewaretoken": str(token)}
    data["services"] = [str(s.pk) for s in world.staff.services.all()]
    response = client.post(url, data)
    assert response.status_code in (200, 302), response.content[:500]
    assert Staff.objects.get(pk=world.staff.pk).name == "Grace Hopper"


def test_the_api_with_a_session_accepts_the_csrf_header(world: World) -> None:
    client = browser(world, "owner")
    client.get("/")  # the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(f"/api/v1/partner/venues/{world.venue.pk}/staff", {"name": "Session Made", "title": "Nurse"},
                           content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code in (200, 201), response.content


def test_a_bearer_token_needs_no_csrf_token(world: World) -> None:
    _, raw = ApiToken.issue(world.owner)
    client = HttpClient(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = client.post(f"/api/v1/partner/venues/{world.venue.pk}/staff", {"name": "Bearer Made", "title": "Nurse"},
                           content_type="application/json")
    assert response.status_code in (200, 201), response.content
