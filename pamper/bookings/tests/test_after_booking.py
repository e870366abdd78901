"""Issue 18, point 12: after booking, add it to a calendar, find the way, book again, keep favourite venues."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pamper.bookings import actions, attendance
from pamper.bookings.models import Booking, Status
from pamper.tests.browser import DESKTOP, PHONE, check_page, sign_in
from pamper.venues.favourites import Favourite

from . import helpers as h

NEXT_WEEK_10 = h.utc(2026, 5, 11, 9)


@pytest.mark.django_db
def test_the_booking_offers_a_calendar_file_and_directions(client, shop):
    customer = h.customer()
    booking = actions.book_visit(venue=shop.venue, services=[shop.cut], start=NEXT_WEEK_10, customer=customer)
    client.force_login(customer)
    page = client.get(f"/bookings/{booking.pk}/").content.decode()
    assert f'href="/bookings/{booking.pk}/calendar.ics"' in page
    assert "https://www.google.com/maps/dir/?api=1&amp;destination=51.500000,-0.120000" in page
    assert f"/bookings/{booking.pk}/calendar.ics" in client.get("/bookings/").content.decode()
    ics = client.get(f"/bookings/{booking.pk}/calendar.ics")
    body = ics.content.decode()
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    assert "METHOD:PUBLISH" in body and "DTSTART:20260511T090000Z" in body
    assert shop.cut.name in body and shop.venue.name in body
    client.force_login(h.customer())
    assert client.get(f"/bookings/{booking.pk}/calendar.ics").status_code == 404
    assert client.get("/bookings/99999999999999999999/calendar.ics").status_code == 404


@pytest.mark.django_db
def test_a_past_visit_offers_book_again_with_the_same_services(client, shop, frozen):
    customer = h.customer()
    booking = actions.book_visit(venue=shop.venue, services=[shop.cut, shop.colour], start=h.utc(2026, 5, 4, 9),
                                 customer=customer)
    frozen.move_to(h.utc(2026, 5, 4, 12))
    attendance.mark_attended(booking=booking)
    client.force_login(customer)
    expected = f"/venues/{shop.venue.slug}/book/?service={shop.cut.pk}&amp;service={shop.colour.pk}"
    assert expected in client.get("/bookings/").content.decode()
    assert expected in client.get(f"/bookings/{booking.pk}/").content.decode()
    assert Booking.objects.get(pk=booking.pk).status == Status.ATTENDED


@pytest.mark.django_db
def test_favourites_are_kept_and_dropped_from_the_heart(client, shop):
    customer = h.customer()
    client.force_login(customer)
    url = f"/venues/{shop.venue.slug}/favourite/"
    assert 'aria-pressed="false"' in client.get(f"/venues/{shop.venue.slug}/").content.decode()
    kept = client.post(url, {"favourite": "1", "next": "https://evil.example/"})
    assert kept.status_code == 302 and kept["Location"] == f"/venues/{shop.venue.slug}/"
    assert Favourite.objects.filter(user=customer, venue=shop.venue).exists()
    assert client.post(url, {"favourite": "1"}).status_code == 302  # twice is still one
    assert Favourite.objects.count() == 1
    assert 'aria-pressed="true"' in client.get(f"/venues/{shop.venue.slug}/").content.decode()
    listed = client.get("/account/favourites/").content.decode()
    assert shop.venue.name in listed and f"/venues/{shop.venue.slug}/book/" in listed
    client.post(url, {"favourite": "0", "next": "/account/favourites/"})
    assert not Favourite.objects.exists()
    client.logout()
    assert client.post(url, {"favourite": "1"}).status_code == 302 and not Favourite.objects.exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_after_booking_in_the_browser(live_server, page, frozen):
    shop = h.shop()
    customer = h.customer()
    booking = actions.book_visit(venue=shop.venue, services=[shop.cut], start=NEXT_WEEK_10, customer=customer)
    sign_in(page, live_server.url, customer)
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.goto(f"{live_server.url}/bookings/{booking.pk}/")
        expect(page.locator("#after-booking").get_by_role("link", name="Add to calendar")).to_be_visible()
        expect(page.locator("#after-booking").get_by_role("link", name="Directions")).to_be_visible()
        check_page(page, f"after-booking-detail-{name}")
        page.goto(f"{live_server.url}/venues/{shop.venue.slug}/")
        heart = page.locator(".favourite")
        heart.click()
        expect(page.locator(".favourite")).to_have_attribute("aria-pressed", "true")
        page.goto(f"{live_server.url}/account/favourites/")
        expect(page.locator("#favourites")).to_contain_text(shop.venue.name)
        check_page(page, f"after-booking-favourites-{name}")
        page.locator(".favourite").click()  # drop it again for the next viewport
        expect(page.locator("#favourites")).not_to_contain_text(shop.venue.name)
