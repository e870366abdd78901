"""Browser journey: a customer reviews an attended visit, the venue replies, the rating shows in search."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from pamper.lib import clock

from . import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user) -> None:  # type: ignore[no-untyped-def]
    """Put a real session for user into the browser (the login form is the accounts app's journey)."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def search_url(treatment_name: str) -> str | None:
    """The search page for the treatment around the test venue, when the search app is installed."""
    try:
        from pamper.search.index import reindex_venue  # noqa: F401

        return reverse("search:search") + f"?q={treatment_name.replace(' ', '+')}&lat=51.5&lng=-0.12"
    except (ImportError, NoReverseMatch):
        return None


def test_review_reply_and_rating_in_search(page, live_server) -> None:  # type: ignore[no-untyped-def]
    venue, treatment = f.venue(name="Rose Rooms", slug="rose-rooms"), f.treatment(name="Gel manicure")
    service, staff = f.service(venue, treatment), f.staff(venue, name="Maria Lopez")
    customer, owner = f.user(name="Ana Rossi"), f.member(venue, name="Olivia Owner")
    start = clock.now() - dt.timedelta(days=2)
    booking = f.booking(customer, service, staff, start=start)
    url = search_url(treatment.name)
    if url:
        from pamper.search.index import reindex_venue

        reindex_venue(venue.pk)

    # The customer writes the review from their past booking.
    sign_in(page, live_server, customer)
    page.goto(f"{live_server.url}/bookings/{booking.pk}/review/")
    page.get_by_role("heading", name="Review your visit to Rose Rooms").wait_for()
    page.locator('input[name="overall"][value="5"]').check()
    page.get_by_text("Rate the details too").click()
    page.locator('input[name="cleanliness"][value="4"]').check()
    page.get_by_label("Your review").fill("Maria was careful and quick. <b>Loved it</b>")
    page.get_by_role("button", name="Publish review").click()
    page.wait_for_url(re.compile(r"/venues/rose-rooms/reviews/$"))
    review = page.locator(".review").first
    assert "Maria was careful and quick. <b>Loved it</b>" in review.inner_text()  # markup shown as typed
    assert page.locator(".review-average-number").inner_text() == "5.00"

    # The owner replies on the venue's reviews page.
    sign_in(page, live_server, owner)
    page.goto(f"{live_server.url}/venues/rose-rooms/reviews/")
    page.get_by_label("Reply as Rose Rooms").fill("Thank you Ana, see you soon!")
    page.get_by_role("button", name="Publish reply").click()
    page.locator(".review-reply").wait_for()
    assert "Thank you Ana, see you soon!" in page.locator(".review-reply").inner_text()
    assert page.get_by_role("button", name="Publish reply").count() == 0  # only once

    # Anyone sees the rating: in search when it exists, and on the reviews page.
    page.context.clear_cookies()
    if url:
        page.goto(live_server.url + url, wait_until="domcontentloaded", timeout=90_000)
        result = page.locator(".search-result", has_text="Rose Rooms")
        result.wait_for()
        assert "★ 5" in result.inner_text() and "1 review" in result.inner_text()
    page.goto(f"{live_server.url}/venues/rose-rooms/reviews/")
    assert "from 1 verified review" in page.locator(".review-summary").inner_text()
