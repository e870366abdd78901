"""The calendar in the browser's eyes: local times, columns per staff, bookings, holds, breaks, time off."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from pamper.bookings import actions as booking_actions
from pamper.venues.models import TimeOff

from . import factories
from .factories import Salon, utc

pytestmark = pytest.mark.django_db


def signed_in(client: Client, person) -> Client:  # type: ignore[no-untyped-def]
    client.force_login(person)
    return client


def test_day_view_shows_each_staff_column_and_bookings_in_local_time(client: Client, rose: Salon) -> None:
    # 10:00 London on 5 May is 09:00 UTC (BST).
    factories.book(rose, utc(2026, 5, 5, 9, 0), staff=rose.ana)
    page = signed_in(client, rose.reception).get(f"/partner/{rose.venue.pk}/calendar/?date=2026-05-05")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ana Rose" in html and "Ben Rose" in html
    assert "10:00–11:00" in html and "Clara Rose" in html and "Rose Facial" in html
    assert "Times in British Time" in html and "Europe/London" not in html  # the zone named for people


def test_breaks_time_off_and_holds_are_drawn(client: Client, rose: Salon) -> None:
    TimeOff.objects.create(staff=rose.ben, start=utc(2026, 5, 5, 12, 0), end=utc(2026, 5, 5, 14, 0), reason="Dentist")
    customer = factories.user("held@example.com", "Hana Held")
    booking_actions.hold_visit(venue=rose.venue, services=[rose.facial], start=utc(2026, 5, 5, 14, 0),
                               customer=customer, staff=rose.ana)
    html = signed_in(client, rose.owner).get(f"/partner/{rose.venue.pk}/calendar/?date=2026-05-05").content.decode()
    assert "cal-break" in html  # Ana's 13:00-14:00 gap between shifts
    assert "Dentist" in html and "13:00–15:00" in html  # time off shown in London time
    assert "Held: Hana Held" in html and "cal-hold" in html
    # A German owner reads the calendar's own words in German (they were English: "Time off", "Held: ...").
    german = client.get(f"/de/partner/{rose.venue.pk}/calendar/?date=2026-05-05").content.decode()
    assert "Reserviert: Hana Held" in german and "Held:" not in german
    assert "Abwesenheit" in german and "Time off" not in german


def test_week_view_lists_days_with_working_hours(client: Client, rose: Salon) -> None:
    factories.book(rose, utc(2026, 5, 7, 13, 0), staff=rose.ben)
    html = signed_in(client,
                     rose.owner).get(f"/partner/{rose.venue.pk}/calendar/?date=2026-05-05&view=week").content.decode()
    assert "Mon 4 May" in html and "Sun 10 May" in html
    assert "14:00–15:00" in html  # the Thursday booking, local time
    assert "09:00–13:00" in html and "14:00–18:00" in html  # Ana's shifts


def test_htmx_navigation_gets_the_grid_alone(client: Client, rose: Salon) -> None:
    response = signed_in(client, rose.owner).get(
        f"/partner/{rose.venue.pk}/calendar/?date=2026-05-06", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="calendar"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith("<section id=\"calendar\"")
    assert "Wednesday, 6 May 2026" in html and "<nav" not in html


def test_a_malformed_date_is_a_400(client: Client, rose: Salon) -> None:
    response = signed_in(client, rose.owner).get(f"/partner/{rose.venue.pk}/calendar/?date=2026-13-45")
    assert response.status_code == 400


def test_autumn_clock_change_day_shows_the_repeated_hour_twice(client: Client, db, frozen) -> None:  # type: ignore[no-untyped-def]
    salon = factories.salon("Fall", hours=("00:00", "04:00"))
    html = signed_in(client, salon.owner).get(f"/partner/{salon.venue.pk}/calendar/?date=2026-10-25").content.decode()
    # 01:00-02:00 happens first in BST, then again in GMT.
    assert "01:00 BST" in html and "01:00 GMT" in html


def test_spring_clock_change_day_skips_the_missing_hour(client: Client, db, frozen) -> None:  # type: ignore[no-untyped-def]
    salon = factories.salon("Spring", hours=("00:00", "04:00"))
    html = signed_in(client, salon.owner).get(f"/partner/{salon.venue.pk}/calendar/?date=2026-03-29").content.decode()
    assert "00:30 GMT" in html and "02:00 BST" in html
    assert "01:30" not in html


def test_calendar_of_a_venue_you_do_not_belong_to_is_404(client: Client, rose: Salon, iris: Salon) -> None:
    response = signed_in(client, rose.owner).get(f"/partner/{iris.venue.pk}/calendar/")
    assert response.status_code == 404
    assert "Iris" not in response.content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client: Client, rose: Salon) -> None:
    response = client.get(f"/partner/{rose.venue.pk}/calendar/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_calendar_uses_a_fixed_number_of_queries(client: Client, rose: Salon, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for hour in (9, 11, 13, 15):
        factories.book(rose, utc(2026, 5, 5, hour, 0), staff=rose.ben)
    signed_in(client, rose.owner)
    with django_assert_max_num_queries(14):
        client.get(f"/partner/{rose.venue.pk}/calendar/?date=2026-05-05&view=week")
    assert dt.date(2026, 5, 5)


def test_a_closure_without_a_reason_says_closed_once_in_day_and_week(client: Client, rose: Salon) -> None:
    """A closure with no reason read "Rose is closed this day: Closed." (and "closed · Closed" in the week), the
    word written in English whatever the owner's language; with a reason, the reason is shown."""
    from pamper.venues.models import Closure

    Closure.objects.create(venue=rose.venue, start_date=dt.date(2026, 5, 5), end_date=dt.date(2026, 5, 5))
    Closure.objects.create(venue=rose.venue, start_date=dt.date(2026, 5, 6), end_date=dt.date(2026, 5, 6),
                           reason="Flooded")
    browser = signed_in(client, rose.owner)
    day = browser.get(f"/partner/{rose.venue.pk}/calendar/?date=2026-05-05").content.decode()
    assert f"{rose.venue.name} is closed this day." in day and "Closed" not in day
    assert f"{rose.venue.name} is closed this day: Flooded." in browser.get(
        f"/partner/{rose.venue.pk}/calendar/?date=2026-05-06").content.decode()
    week = browser.get(f"/partner/{rose.venue.pk}/calendar/?date=2026-05-04&view=week&layout=list").content.decode()
    assert week.count('<span class="badge bad">closed</span>') >= 2 and "Closed" not in week
