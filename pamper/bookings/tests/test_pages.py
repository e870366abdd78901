"""The booking pages with Django's test client: pick, sign in in-line, hold, confirm, my bookings, cancel, move."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from pamper.bookings import actions
from pamper.bookings.models import Booking, Status

from . import helpers as h

pytestmark = pytest.mark.django_db


def book_url(shop, *services):  # type: ignore[no-untyped-def]
    query = "&".join(f"service={s.id}" for s in services or [shop.cut])
    return f"/venues/{shop.venue.slug}/book/?{query}"


def hold_data(shop, start="2026-05-05T10:00:00+01:00", staff=""):  # type: ignore[no-untyped-def]
    return {"service": [shop.cut.id], "staff": staff, "start": start}


def test_the_picker_shows_free_times_in_local_time_with_the_zone(client, shop):
    page = client.get(book_url(shop)).content.decode()
    assert "British Time (BST)" in page and "Europe/London" not in page
    assert 'value="2026-05-04T09:00:00+01:00"' in page  # the first slot after an hour's notice
    assert ">09:00<" in page and ">17:00<" in page and ">17:15<" not in page
    assert "Cut and finish" in page and "Colour" in page


def test_changing_the_form_with_htmx_returns_the_picker_only(client, shop):
    response = client.get(book_url(shop, shop.cut, shop.colour) + "&day=2026-05-06&staff=" + str(shop.anna.id),
                          HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page and 'id="booking"' in page
    assert "Wednesday 6 May" in page
    assert "1 hr 30 min in all" in page
    # Ben does not colour, so only Anna is offered by name
    assert f'<option value="{shop.anna.id}" selected>Anna' in page and ">Ben<" not in page


def test_unknown_or_foreign_services_are_ignored_not_errors(client, shop):
    other = h.shop()
    response = client.get(f"/venues/{shop.venue.slug}/book/?service={other.cut.id}&service=abc&day=nonsense")
    assert response.status_code == 200
    assert client.get("/venues/no-such-venue/book/").status_code == 404


def test_a_visitor_signs_in_in_line_then_holds_confirms_and_sees_it(client, shop):
    customer = h.customer("casey@example.com")
    response = client.post(f"/venues/{shop.venue.slug}/book/hold/", hold_data(shop))
    assert response.status_code == 200 and "Almost there" in response.content.decode()
    assert not Booking.objects.exists()
    data = {**hold_data(shop), "mode": "signin", "in-email": "casey@example.com", "in-password": h.PASSWORD}
    response = client.post(f"/venues/{shop.venue.slug}/book/signin/", data)
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/bookings/{booking.pk}/checkout/"
    assert booking.status == Status.HELD and booking.customer == customer
    page = client.get(response["Location"]).content.decode()
    assert "Tue 5 May 2026, 10:00" in page and "data-hold-expires" in page
    response = client.post(f"/bookings/{booking.pk}/checkout/", {"notes": "Short at the back"})
    assert response.status_code == 302 and response["Location"] == f"/bookings/{booking.pk}/"
    booking.refresh_from_db()
    assert (booking.status, booking.notes, booking.hold_expires_at) == (Status.CONFIRMED, "Short at the back", None)
    detail = client.get(f"/bookings/{booking.pk}/").content.decode()
    assert "Tue 5 May 2026, 10:00" in detail and "Confirmed" in detail
    mine = client.get("/bookings/").content.decode()
    assert shop.venue.name in mine and "Cut and finish" in mine


def test_a_new_visitor_creates_an_account_in_line(client, shop):
    data = {**hold_data(shop), "mode": "signup", "up-email": "New.Person@Example.com", "up-name": "New Person",
            "up-password1": "a-long-new-pass-42", "up-password2": "a-long-new-pass-42"}
    response = client.post(f"/venues/{shop.venue.slug}/book/signin/", data)
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.customer.email == "new.person@example.com" and booking.client.name == "New Person"


def test_a_wrong_password_holds_nothing(client, shop):
    h.customer("casey@example.com")
    data = {**hold_data(shop), "mode": "signin", "in-email": "casey@example.com", "in-password": "wrong"}
    response = client.post(f"/venues/{shop.venue.slug}/book/signin/", data)
    assert response.status_code == 400
    assert "not right" in response.content.decode()
    assert not Booking.objects.exists()


def test_a_taken_time_shows_the_nearest_free_ones(client, shop):
    for who in (shop.anna, shop.ben):
        actions.book_visit(venue=shop.venue, services=[shop.cut], start=h.utc(2026, 5, 5, 9), customer=h.customer(),
                           staff=who)
    client.force_login(h.customer())
    response = client.post(f"/venues/{shop.venue.slug}/book/hold/", hold_data(shop))
    page = response.content.decode()
    assert response.status_code == 409
    assert "just been taken" in page and 'id="alternatives"' in page
    assert 'value="2026-05-05T11:00:00+01:00"' in page


def test_bad_hold_requests_are_400(client, shop):
    client.force_login(h.customer())
    for data in ({**hold_data(shop), "start": "next tuesday"}, {**hold_data(shop), "service": ["999999"]},
                 {"service": [shop.cut.id]}, {**hold_data(shop), "start": "2026-05-05T10:00:00"}):
        response = client.post(f"/venues/{shop.venue.slug}/book/hold/", data)
        assert response.status_code == 400, data
    assert not Booking.objects.exists()


def test_booking_pages_are_private(client, shop):
    booking = actions.book_visit(venue=shop.venue, services=[shop.cut], start=h.utc(2026, 5, 6, 9),
                                 customer=h.customer())
    client.force_login(h.customer())
    for url in (f"/bookings/{booking.pk}/", f"/bookings/{booking.pk}/checkout/", f"/bookings/{booking.pk}/reschedule/",
                "/bookings/99999999999999999999999/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/bookings/{booking.pk}/cancel/").status_code == 404
    assert booking.venue.name not in client.get("/bookings/").content.decode()
    client.logout()
    response = client.get("/bookings/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_cancel_from_my_bookings_and_the_notice_window(client, shop):
    customer = h.customer()
    later = actions.book_visit(venue=shop.venue, services=[shop.cut], start=h.utc(2026, 5, 8, 9), customer=customer)
    soon = actions.book_visit(venue=shop.venue, services=[shop.cut], start=h.utc(2026, 5, 4, 14), customer=customer)
    Booking.objects.filter(pk=soon.pk).update(created_at=h.utc(2026, 5, 1, 9))  # made days ago: no free-cancel grace
    client.force_login(customer)
    mine = client.get("/bookings/").content.decode()
    assert mine.count("Cancel booking") == 1 and "call the venue" in mine
    response = client.post(f"/bookings/{later.pk}/cancel/", {"reason": "Away"})
    assert response.status_code == 302
    later.refresh_from_db()
    assert later.status == Status.CANCELLED and later.cancel_reason == "Away"
    response = client.post(f"/bookings/{soon.pk}/cancel/", {"reason": ""})
    assert response.status_code == 422 and "notice to cancel online" in response.content.decode()
    soon.refresh_from_db()
    assert soon.status == Status.CONFIRMED


def test_the_pages_offer_a_change_exactly_as_long_as_the_action_allows_it(client, shop):
    """At the deadline itself (start minus the notice hours) the action still cancels, so the pages offer it."""
    shop.venue.cancel_notice_hours = 25
    shop.venue.save()
    customer = h.customer()
    booking = actions.book_visit(venue=shop.venue, services=[shop.cut], start=h.utc(2026, 5, 5, 8), customer=customer)
    client.force_login(customer)
    assert "Cancel booking" in client.get(f"/bookings/{booking.pk}/").content.decode()
    assert "Cancel booking" in client.get("/bookings/").content.decode()
    response = client.post(f"/bookings/{booking.pk}/cancel/", {"reason": ""})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED


def test_move_to_another_day_and_time(client, shop):
    customer = h.customer()
    booking = actions.book_visit(venue=shop.venue, services=[shop.cut], start=h.utc(2026, 5, 8, 9), customer=customer,
                                 staff=shop.ben)
    client.force_login(customer)
    page = client.get(f"/bookings/{booking.pk}/reschedule/?day=2026-05-09").content.decode()
    assert "Ben (as booked)" in page and 'value="2026-05-09T14:00:00+01:00"' in page
    asked = client.post(f"/bookings/{booking.pk}/reschedule/", {"start": "2026-05-09T14:00:00+01:00", "staff": "keep"})
    assert asked.status_code == 200 and "Fri 8 May 2026, 10:00" in asked.content.decode()  # from → to, asked first
    booking.refresh_from_db()
    assert booking.start == h.utc(2026, 5, 8, 9)  # not moved yet
    response = client.post(f"/bookings/{booking.pk}/reschedule/",
                           {"start": "2026-05-09T14:00:00+01:00", "staff": "keep", "confirmed": "1"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.start == h.utc(2026, 5, 9, 13) and booking.items.get().staff == shop.ben
    bad = client.post(f"/bookings/{booking.pk}/reschedule/",
                      {"start": "2026-05-09T03:00:00+01:00", "staff": "anyone", "confirmed": "1"})
    assert bad.status_code == 422 and "Nobody" in bad.content.decode()


def test_releasing_a_hold_frees_the_time(client, shop):
    customer = h.customer()
    held = actions.hold_visit(venue=shop.venue, services=[shop.cut], start=h.utc(2026, 5, 5, 9), customer=customer,
                              staff=shop.ben)
    client.force_login(customer)
    response = client.post(f"/bookings/{held.pk}/release/")
    assert response.status_code == 302 and re.search(r"/book/\?service=\d+", response["Location"])
    held.refresh_from_db()
    assert held.status == Status.CANCELLED and not held.items.get().active


def test_an_expired_hold_is_booked_again_when_still_free(client, shop, frozen):
    customer = h.customer()
    held = actions.hold_visit(venue=shop.venue, services=[shop.cut], start=h.utc(2026, 5, 5, 9), customer=customer,
                              staff=shop.ben)
    frozen.shift(dt.timedelta(minutes=15))
    client.force_login(customer)
    response = client.post(f"/bookings/{held.pk}/checkout/", {"notes": ""})
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == Status.EXPIRED
    fresh = Booking.objects.get(status=Status.CONFIRMED)
    assert fresh.start == held.start and fresh.items.get().staff == shop.ben


def test_the_admin_lists_bookings_read_only(client, shop):
    from pamper.accounts.models import User

    booking = actions.book_visit(venue=shop.venue, services=[shop.cut], start=h.utc(2026, 5, 6, 9),
                                 customer=h.customer())
    client.force_login(User.objects.create_superuser(email="root@example.com", password="x-admin-pass-1", name="Root"))
    listing = client.get("/admin/bookings/booking/?q=" + shop.venue.name)
    assert listing.status_code == 200 and shop.venue.name in listing.content.decode()
    page = client.get(f"/admin/bookings/booking/{booking.pk}/change/")
    assert page.status_code == 200 and "Cut and finish" in page.content.decode()
    assert client.get("/admin/bookings/booking/add/").status_code == 403


def test_the_booking_page_reads_the_chosen_treatments_once(client, shop):
    """The page leaves the treatments' guide text unread (Treatment.GUIDE_TEXT): nothing after may read a treatment
    row again (a deferred field touched is one more query per treatment)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as seen:
        page = client.get(book_url(shop, shop.cut, shop.colour))
    assert page.status_code == 200 and "Cut and finish" in page.content.decode()
    treatment_reads = [q["sql"] for q in seen.captured_queries if 'FROM "catalog_treatment"' in q["sql"]]
    assert len(treatment_reads) == 1, treatment_reads
