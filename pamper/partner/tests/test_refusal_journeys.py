"""In Chromium, desktop and 390 px: the desk's "New booking" on a clash shows the 409's message in the panel with
focus on it, keeps what was typed, and offers only nearest free times that are still to come."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from playwright.sync_api import Page, expect

from pamper.bookings.models import Booking
from pamper.tests.browser import DESKTOP, PHONE, check_page, sign_in
from pamper.venues.models import Shift

from . import factories

LONDON = zoneinfo.ZoneInfo("Europe/London")


def _clash_start(now: dt.datetime) -> dt.datetime:
    """A quarter of an hour ago on today's local date (or just after midnight): Wendy is in Ana's chair then."""
    local = now.astimezone(LONDON).replace(second=0, microsecond=0)
    midnight = dt.datetime.combine(local.date(), dt.time(0), tzinfo=LONDON)
    latest = dt.datetime.combine(local.date(), dt.time(22, 30), tzinfo=LONDON)
    return min(max(local - dt.timedelta(minutes=15), midnight), latest)


def _parse(label: str, year: int) -> dt.datetime:
    """'Tue 5 May, 10:00' (the panel's local time) as an aware London instant."""
    return dt.datetime.strptime(f"{label} {year}", "%a %d %b, %H:%M %Y").replace(tzinfo=LONDON)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_clash_on_new_booking_shows_its_message_keeps_the_input_and_offers_no_past_time(
        page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    s = factories.salon("Clash", hours=("00:00", "23:59"))
    Shift.objects.filter(staff=s.ben).delete()
    start = _clash_start(dt.datetime.now(tz=dt.UTC))
    factories.book(s, start, staff=s.ana)
    sign_in(page, live_server.url, s.owner)

    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.goto(f"{live_server.url}/partner/{s.venue.pk}/calendar/?date={start.date().isoformat()}")
        page.locator("#new-booking").click()
        form = page.locator("#booking-form")
        form.get_by_label("Client name").fill("Petra Phone")
        form.get_by_label("Phone").fill("07700 900555")
        form.get_by_label("Service").select_option(label="Clash Facial (60 min, £45)")
        form.get_by_label("With").select_option(label="Ana Clash")
        form.get_by_label("Date").fill(start.date().isoformat())
        form.get_by_label("Time").fill(f"{start:%H:%M}")
        form.get_by_role("button", name="Book").click()

        alert = page.locator("#panel [role=alert]")
        expect(alert).to_contain_text("just been taken")
        expect(alert).to_be_focused()
        expect(page.locator("#booking-form").get_by_label("Client name")).to_have_value("Petra Phone")
        offered = alert.locator("[data-alternative]").all_inner_texts()
        now = dt.datetime.now(tz=LONDON)
        assert offered, "the 409 offers the nearest free times"
        assert all(_parse(label, start.year) >= now.replace(second=0, microsecond=0) for label in offered), offered
        check_page(page, f"partner-new-booking-clash-{name}")
    assert Booking.objects.filter(venue=s.venue).count() == 1
