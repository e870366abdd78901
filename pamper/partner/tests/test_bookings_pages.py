"""Front-desk bookings from the calendar: phone and walk-in, move, cancel with a reason, attended, no-show."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client as Browser

from pamper.bookings.models import Booking, BookingItem, Source, Status
from pamper.venues.models import Client

from . import factories
from .factories import Salon, utc

pytestmark = pytest.mark.django_db


def desk(browser: Browser, person) -> Browser:  # type: ignore[no-untyped-def]
    browser.force_login(person)
    return browser


def phone_booking(browser: Browser, s: Salon, **fields: str):  # type: ignore[no-untyped-def]
    data = {"name": "Priya Phone", "phone": "07700 900123", "service": s.facial.pk, "staff": s.ben.pk,
            "date": "2026-05-05", "time": "11:00", "notes": "Prefers a quiet room", **fields}
    return browser.post(f"/partner/{s.venue.pk}/bookings/new/", data)


def test_reception_books_a_phone_client_through_the_booking_guard(client: Browser, rose: Salon) -> None:
    response = phone_booking(desk(client, rose.reception), rose)
    assert response.status_code == 302 and "date=2026-05-05" in response["Location"]
    booking = Booking.objects.get(client__name="Priya Phone")
    assert booking.source == Source.PARTNER and booking.status == Status.CONFIRMED
    assert booking.start == utc(2026, 5, 5, 10, 0)  # 11:00 London (BST)
    assert booking.items.get().staff == rose.ben
    page = client.get(response["Location"]).content.decode()
    assert "Priya Phone" in page and "11:00–12:00" in page


def test_a_known_client_is_shown_by_phone_and_picked_not_duplicated(client: Browser, rose: Salon) -> None:
    shown = phone_booking(desk(client, rose.reception), rose, name="Clara again", phone=rose.client.phone)
    assert shown.status_code == 200 and f'name="pick" value="{rose.client.pk}"' in shown.content.decode()
    assert not Booking.objects.exists()
    phone_booking(client, rose, name="Clara again", phone=rose.client.phone, pick=str(rose.client.pk))
    assert Client.objects.filter(venue=rose.venue).count() == 1
    assert Booking.objects.get().client == rose.client


def test_double_booking_is_refused_with_nearby_times_and_writes_nothing(client: Browser, rose: Salon) -> None:
    factories.book(rose, utc(2026, 5, 5, 10, 0), staff=rose.ben)
    response = phone_booking(desk(client, rose.reception), rose, time="11:30")
    html = response.content.decode()
    assert response.status_code == 409
    assert "just been taken" in html and "Nearest free times" in html
    assert Booking.objects.count() == 1 and not Client.objects.filter(name="Priya Phone").exists()


def test_venue_side_ignores_notice_but_not_working_hours(client: Browser, rose: Salon) -> None:
    # 08:30 local is 30 minutes from now (inside online notice) and fine from the desk at 10:00.
    ok = phone_booking(desk(client, rose.reception), rose, time="10:00")
    assert ok.status_code == 302
    late = phone_booking(client, rose, time="19:00", phone="07700 900999", name="Late Larry")
    assert late.status_code == 422 and "works at that time" in late.content.decode()


def test_a_time_skipped_by_the_clock_change_is_refused(client: Browser, db, frozen) -> None:  # type: ignore[no-untyped-def]
    salon = factories.salon("Night", hours=("00:00", "04:00"))
    # 28 March 2027: the next spring-forward inside the window a visit may start in (pamper.lib.dates.VISIT).
    response = phone_booking(desk(client, salon.reception), salon, date="2027-03-28", time="01:30")
    assert response.status_code == 400 and "does not exist" in response.content.decode()


def test_htmx_booking_answers_with_the_panel_and_refreshes_the_calendar(client: Browser, rose: Salon) -> None:
    response = desk(client, rose.reception).post(
        f"/partner/{rose.venue.pk}/bookings/new/",
        {"name": "Hx Client", "phone": "07700 900711",
         "service": rose.facial.pk, "date": "2026-05-05", "time": "15:00"},
        HTTP_HX_REQUEST="true", HTTP_HX_TARGET="panel",
    )
    assert response.status_code == 200 and response["HX-Trigger"] == "booking-changed"
    html = response.content.decode()
    assert "Booked Hx Client" in html and "<nav" not in html


def test_the_new_booking_page_of_its_own_posts_plainly_and_leads_back_to_the_calendar(client: Browser,
                                                                                      rose: Salon) -> None:
    """Opened as a page (a click before the scripts ran, or a link opened apart), the form posted with htmx and
    its answer replaced the page's panel: the owner was left on a page with no calendar. Now it is a plain form
    whose booking ends on the calendar of its day, with a way back."""
    html = desk(client, rose.reception).get(f"/partner/{rose.venue.pk}/bookings/new/?date=2026-05-07").content.decode()
    form = html[html.index('id="booking-form"') - 200:html.index('id="booking-form"')]
    assert "hx-post" not in form
    assert f'href="/partner/{rose.venue.pk}/calendar/?date=2026-05-07&amp;view=day"' in html
    panel = client.get(f"/partner/{rose.venue.pk}/bookings/new/?date=2026-05-07", HTTP_HX_REQUEST="true").content
    assert b"hx-post" in panel and b"data-close-panel" in panel
    assert phone_booking(client, rose)["Location"].endswith("date=2026-05-05&view=day")


def test_move_a_booking_to_another_time_and_person(client: Browser, rose: Salon) -> None:
    booking = factories.book(rose, utc(2026, 5, 5, 10, 0), staff=rose.ana)
    response = desk(client, rose.reception).post(
        f"/partner/{rose.venue.pk}/bookings/{booking.pk}/move/",
        {"date": "2026-05-06", "time": "15:00", "staff": rose.ben.pk}
    )
    assert response.status_code == 302 and "date=2026-05-06" in response["Location"]
    booking.refresh_from_db()
    assert booking.start == utc(2026, 5, 6, 14, 0)
    assert booking.items.get().staff == rose.ben


def test_moving_onto_a_taken_time_is_a_conflict_and_keeps_the_booking(client: Browser, rose: Salon) -> None:
    first = factories.book(rose, utc(2026, 5, 5, 10, 0), staff=rose.ana)
    factories.book(rose, utc(2026, 5, 5, 11, 0), staff=rose.ana)
    response = desk(client, rose.reception).post(
        f"/partner/{rose.venue.pk}/bookings/{first.pk}/move/",
        {"date": "2026-05-05", "time": "11:30", "staff": rose.ana.pk}
    )
    assert response.status_code == 409
    first.refresh_from_db()
    assert first.start == utc(2026, 5, 5, 10, 0) and first.items.get().active


def test_cancel_needs_a_reason_and_frees_the_time(client: Browser, rose: Salon) -> None:
    booking = factories.book(rose, utc(2026, 5, 5, 10, 0), staff=rose.ana)
    url = f"/partner/{rose.venue.pk}/bookings/{booking.pk}/cancel/"
    missing = desk(client, rose.reception).post(url, {"reason": ""})
    assert missing.status_code == 400
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
    done = client.post(url, {"reason": "Therapist unwell"})
    assert done.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED and booking.cancel_reason == "Therapist unwell"
    assert booking.cancelled_by == rose.reception
    assert not BookingItem.objects.filter(booking=booking, active=True).exists()


def test_attended_only_once_the_visit_has_started(client: Browser, rose: Salon, frozen) -> None:  # type: ignore[no-untyped-def]
    booking = factories.book(rose, utc(2026, 5, 5, 10, 0), staff=rose.ana)
    url = f"/partner/{rose.venue.pk}/bookings/{booking.pk}/attended/"
    early = desk(client, rose.reception).post(url)
    assert early.status_code == 422
    frozen.move_to(utc(2026, 5, 5, 10, 5))
    assert client.post(url).status_code == 302
    booking.refresh_from_db()
    assert booking.status == Status.ATTENDED


def test_a_practitioner_marks_their_own_visits_only(client: Browser, rose: Salon) -> None:
    own = factories.book(rose, utc(2026, 5, 5, 8, 0), staff=rose.ana, now=utc(2026, 5, 5, 7, 0))
    other = factories.book(rose, utc(2026, 5, 5, 9, 0), staff=rose.ben)
    with time_machine.travel(utc(2026, 5, 5, 11, 0), tick=False):
        desk(client, rose.practitioner)
        assert client.post(f"/partner/{rose.venue.pk}/bookings/{own.pk}/attended/").status_code == 302
        assert client.post(f"/partner/{rose.venue.pk}/bookings/{other.pk}/attended/").status_code == 403
    other.refresh_from_db()
    assert other.status == Status.CONFIRMED


def test_practitioners_cannot_book_move_or_cancel(client: Browser, rose: Salon) -> None:
    booking = factories.book(rose, utc(2026, 5, 5, 10, 0), staff=rose.ana)
    desk(client, rose.practitioner)
    assert phone_booking(client, rose).status_code == 403
    assert client.post(f"/partner/{rose.venue.pk}/bookings/{booking.pk}/move/",
                       {"date": "2026-05-06", "time": "10:00"}).status_code == 403
    assert client.post(f"/partner/{rose.venue.pk}/bookings/{booking.pk}/cancel/", {"reason": "x"}).status_code == 403
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED and booking.start == utc(2026, 5, 5, 10, 0)


def test_booking_panel_shows_local_time_and_actions(client: Browser, rose: Salon) -> None:
    booking = factories.book(rose, utc(2026, 5, 5, 10, 0), staff=rose.ana)
    html = desk(client, rose.reception).get(f"/partner/{rose.venue.pk}/bookings/{booking.pk}/").content.decode()
    assert "Tue 5 May 2026, 11:00" in html
    assert "Move booking" in html and "Cancel booking" in html
    assert "£45" in html


def test_client_history_lists_visits_with_cancel_reasons(client: Browser, rose: Salon) -> None:
    booking = factories.book(rose, utc(2026, 5, 5, 10, 0), staff=rose.ana)
    factories.book(rose, utc(2026, 5, 6, 10, 0), staff=rose.ben)
    desk(client, rose.reception).post(f"/partner/{rose.venue.pk}/bookings/{booking.pk}/cancel/",
                                      {"reason": "Flooded salon"})
    html = client.get(f"/partner/{rose.venue.pk}/clients/{rose.client.pk}/").content.decode()
    assert "Flooded salon" in html and "Cancelled" in html
    assert "Rose Facial with Ben Rose" in html and "Wed 6 May 2026, 11:00" in html


def test_a_time_the_clocks_repeat_is_asked_about_then_booked_at_the_pass_chosen(  # type: ignore[no-untyped-def]
        client: Browser, db, frozen) -> None:
    """01:30 on 25 October 2026 happens twice in London (BST, then GMT). The desk's booking took the first pass
    without a word, so a client booked for the second 01:30 was expected an hour early."""
    salon = factories.salon("Owl", hours=("00:00", "23:45"))
    asked = phone_booking(desk(client, salon.reception), salon, date="2026-10-25", time="01:30")
    page = asked.content.decode()
    assert asked.status_code == 400 and "happens twice: choose which one" in page
    assert "01:30 BST, before the clocks go back" in page and "01:30 GMT, after the clocks go back" in page
    assert not Booking.objects.exists()
    second = phone_booking(client, salon, date="2026-10-25", time="01:30", clock_pass="second")
    assert second.status_code == 302
    assert Booking.objects.get().start == utc(2026, 10, 25, 1, 30)
    first = phone_booking(client, salon, date="2026-10-25", time="01:30", clock_pass="first", staff=salon.ana.pk,
                          phone="07700 900124", name="Early Edna")
    assert first.status_code == 302
    assert Booking.objects.order_by("pk").last().start == utc(2026, 10, 25, 0, 30)
    plain = phone_booking(client, salon, date="2026-10-26", time="01:30", clock_pass="second", phone="07700 900125",
                          name="Monday Mo")  # an ordinary night: the choice means nothing
    assert plain.status_code == 302 and Booking.objects.order_by("pk").last().start == utc(2026, 10, 26, 1, 30)


def test_moving_into_a_repeated_time_asks_which_one(client: Browser, db, frozen) -> None:  # type: ignore[no-untyped-def]
    salon = factories.salon("Lark", hours=("00:00", "23:45"))
    booking = factories.book(salon, utc(2026, 10, 20, 10, 0), staff=salon.ana)
    url = f"/partner/{salon.venue.pk}/bookings/{booking.pk}/move/"
    asked = desk(client, salon.reception).post(url, {"date": "2026-10-25", "time": "01:15"})
    assert asked.status_code in (400, 422) and "happens twice" in asked.content.decode()
    moved = client.post(url, {"date": "2026-10-25", "time": "01:15", "clock_pass": "second"})
    assert moved.status_code == 302
    booking.refresh_from_db()
    assert booking.start == utc(2026, 10, 25, 1, 15)
