"""Issue 18, point 10: small things that cost trust, each checked on its page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from pamper.bookings.tests import helpers as bh
from pamper.errors import Refusal
from pamper.tests.factories import BookingFactory, ServiceFactory, client_of
from pamper.venues import actions as venue_actions
from pamper.venues.models import Closure

from .factories import Salon

pytestmark = pytest.mark.django_db


def test_a_shift_ending_before_it_starts_says_so_without_a_constraint_name(client: Client, rose: Salon) -> None:
    client.force_login(rose.owner)
    page = client.post(f"/partner/{rose.venue.pk}/staff/{rose.ana.pk}/shifts/new/",
                       {"weekday": "2", "start": "17:00", "end": "09:00"})
    html = page.content.decode()
    assert page.status_code == 400 and "A shift must end after it starts" in html
    assert "shift_starts_before_end" not in html and "Constraint" not in html
    with pytest.raises(Refusal) as refused:  # the same rule from the model, for any other writer
        venue_actions.add_shift(staff=rose.ana, weekday=2, start=dt.time(17), end=dt.time(9))
    assert "shift_starts_before_end" not in str(refused.value.extra) + refused.value.message


def test_day_chips_say_closed_or_not_working_instead_of_full(client: Client, rose: Salon) -> None:
    Closure.objects.create(venue=rose.venue, start_date=dt.date(2026, 5, 7), end_date=dt.date(2026, 5, 7))
    # Ana works every day; ask for her on the closure day and on a normal one.
    page = client.get(f"/venues/{rose.venue.slug}/book/", {"service": rose.facial.pk, "staff": rose.ana.pk})
    html = page.content.decode()
    thursday = html.split('value="2026-05-07"', 1)[1].split("</label>", 1)[0]
    assert "closed" in thursday and "full" not in thursday
    rose.ana.shifts.filter(weekday=4).delete()  # Ana no longer works Fridays
    html = client.get(f"/venues/{rose.venue.slug}/book/",
                      {"service": rose.facial.pk, "staff": rose.ana.pk}).content.decode()
    friday = html.split('value="2026-05-08"', 1)[1].split("</label>", 1)[0]
    assert "not working" in friday and "full" not in friday


def test_a_hair_salon_visit_is_no_part_of_the_health_record(client: Client, rose: Salon) -> None:
    customer = bh.customer()
    BookingFactory(client=client_of(customer, rose.venue), customer=customer, service=rose.facial, staff=rose.ben,
                   start=bh.utc(2026, 5, 1, 10), status="attended")
    client.force_login(customer)
    html = client.get("/account/health/").content.decode()
    assert rose.venue.name not in html


def test_a_variant_in_the_service_name_is_not_repeated(client: Client, rose: Salon) -> None:
    ServiceFactory(venue=rose.venue, treatment=rose.facial.treatment, name="Facial (needle-free)",
                   variant="needle-free")
    client.force_login(rose.owner)
    html = client.get(f"/partner/{rose.venue.pk}/services/").content.decode()
    table = html.split("<table", 1)[1]  # the notice above it names the service too: nobody performs it yet
    assert "Facial (needle-free)" in table and table.count("(needle-free)") == 1
