"""Error answers to pages read as Pamper's pages, in the reader's language, never a blank or Django's own page:
a form address opened directly (405, which Django answers with no body), an expired form (a failed CSRF check),
a bad request and a refused permission. The API keeps its {"code", "message"} shape for all of them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest
from django.test import Client

from pamper import views
from pamper.tests.world import World

pytestmark = pytest.mark.django_db


def test_a_form_address_opened_directly_is_a_page_that_says_so(world: World) -> None:
    owner = world.browser("owner")
    response = owner.get(f"/partner/{world.venue.pk}/publish/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    text = response.content.decode()
    assert "only takes a form" in text and "Back to Pamper" in text
    assert response["Content-Type"].startswith("text/html")


def test_the_page_is_in_the_readers_language(world: World) -> None:
    owner = world.browser("owner")
    response = owner.get(f"/fr/partner/{world.venue.pk}/publish/")
    assert response.status_code == 405
    text = response.content.decode()
    assert "Retour à Pamper" in text and "only takes a form" not in text


def test_the_api_keeps_its_error_shape_for_the_same_status(world: World) -> None:
    response = world.api("customer").delete("/api/v1/search?q=facial&near=London")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_an_expired_form_explains_itself_instead_of_djangos_csrf_page(world: World) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.customer)
    response = browser.post("/fr/accounts/login/", {"email": "a@example.com", "password": "x"})
    assert response.status_code == 403
    text = response.content.decode()
    assert "CSRF verification failed" not in text
    assert "formulaire" in text  # the French sentence about the form that expired
    api = browser.post("/api/v1/bookings", {}, content_type="application/json")
    assert api.status_code == 403 and api.json()["code"] == "csrf_failed"


@pytest.mark.parametrize(("handler", "exception", "status"), [
    (views.bad_request, SuspiciousOperation("bad"), 400),
    (views.permission_denied, PermissionDenied(), 403),
])
def test_a_bad_request_and_a_refused_permission_are_pages(rf, handler, exception, status) -> None:  # type: ignore[no-untyped-def]
    request: HttpRequest = rf.get("/venues/")
    response = handler(request, exception)
    assert response.status_code == status
    text = response.content.decode()
    assert "Back to Pamper" in text and "<h1>" in text
    api = handler(rf.get("/api/v1/me"), exception)
    assert api.status_code == status and api["Content-Type"].startswith("application/json")
