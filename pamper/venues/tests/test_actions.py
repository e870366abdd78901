"""venues.actions: defaults, validation that changes nothing, scoping to the venue, search index in step."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from pamper.accounts.models import Membership, User
from pamper.errors import Refusal
from pamper.venues import actions
from pamper.venues.models import OpeningHours, Service, Venue

from . import factories as f

pytestmark = pytest.mark.django_db


def test_create_venue_takes_zone_and_currency_from_the_country_and_makes_the_owner_a_member():
    owner = User.objects.create_user(email="o@example.com", password="x" * 12)
    venue = f.venue("Salon Luna", country="ES", city="Madrid", owner=owner)
    assert (venue.timezone, venue.currency, venue.slug) == ("Europe/Madrid", "EUR", "salon-luna-madrid")
    assert Membership.objects.get(user=owner, venue=venue).role == "owner"
    assert f.venue("Salon Luna", country="ES", city="Madrid").slug == "salon-luna-madrid-2"


def test_canary_islands_keep_their_own_zone():
    venue = f.venue("Spa Atlántico", country="ES", city="Las Palmas", timezone="Atlantic/Canary")
    assert venue.timezone == "Atlantic/Canary" and venue.currency == "EUR"


@pytest.mark.parametrize(
    "fields",
    [
        {"timezone": "Mars/Olympus"},
        {"country": "US"},  # no default currency or zone: must be given
        {"latitude": 123.0},
        {"kind": "casino"},
        {"name": "x" * 200},
        {"colour": "pink"},
    ],
)
def test_bad_venue_input_is_refused_and_nothing_is_saved(fields):
    with pytest.raises(Refusal):
        f.venue(**{"name": "Bad", **fields})
    assert not Venue.objects.exists()


def test_save_service_prices_in_the_venue_currency_and_never_rounds_a_price_nobody_wrote():
    venue = f.venue("Kapsalon Zon", country="NL", city="Amsterdam")
    with pytest.raises(Refusal):  # a third decimal is refused (pamper/payments/tests/test_whole_unit_prices.py)
        f.service(venue, f.treatment(), price="19.999")
    service = f.service(venue, f.treatment(), price="19.9")
    assert service.currency == "EUR" and service.price == Decimal("19.90")
    updated = actions.save_service(venue=venue, service=service, treatment=service.treatment, name="Gel nails",
                                   price=25, duration_minutes=50)
    assert (updated.pk, updated.name, updated.price) == (service.pk, "Gel nails", Decimal("25.00"))


@pytest.mark.parametrize(("price", "minutes"), [("-5", 45), ("abc", 45), ("10", 0), ("10", 10_000)])
def test_bad_service_input_is_refused(price, minutes):
    venue = f.venue()
    with pytest.raises(Refusal):
        f.service(venue, f.treatment(), price=price, minutes=minutes)
    assert not Service.objects.exists()


def test_a_venue_cannot_use_another_venues_staff_or_services():
    mine, theirs = f.venue("Mine"), f.venue("Theirs")
    their_service = f.service(theirs, f.treatment())
    their_staff = f.staff(theirs, "Someone Else", services=[their_service])
    with pytest.raises(Refusal):
        f.service(mine, f.treatment(), staff=[their_staff])
    with pytest.raises(Refusal):
        f.staff(mine, "New Hire", services=[their_service])
    with pytest.raises(Refusal):
        actions.save_service(venue=mine, service=their_service, treatment=their_service.treatment, name="Stolen",
                             price="1", duration_minutes=30)
    their_service.refresh_from_db()
    assert their_service.name != "Stolen" and not mine.staff.exists()


def test_opening_hours_allow_several_intervals_a_day_but_not_overlaps():
    venue = f.venue()
    actions.set_opening_hours(venue=venue, hours=[(2, f.t(14), f.t(18)), (2, f.t(9), f.t(13))])
    assert [(h.opens, h.closes) for h in venue.opening_hours.all()] == [(f.t(9), f.t(13)), (f.t(14), f.t(18))]
    for bad in ([(2, f.t(9), f.t(13)), (2, f.t(12), f.t(18))], [(1, f.t(18), f.t(9))], [(7, f.t(9), f.t(10))]):
        with pytest.raises(Refusal):
            actions.set_opening_hours(venue=venue, hours=bad)
    assert OpeningHours.objects.filter(venue=venue).count() == 2  # unchanged


def test_shifts_replace_the_week_and_time_off_needs_aware_times():
    venue = f.venue()
    member = f.staff(venue, "Ana", services=[])
    actions.set_shifts(staff=member, shifts=[(0, f.t(9), f.t(13)), (0, f.t(14), f.t(17))])
    actions.set_shifts(staff=member, shifts=[(1, f.t(10), f.t(16))])
    assert [(s.weekday, s.start) for s in member.shifts.all()] == [(1, f.t(10))]
    with pytest.raises(Refusal):
        actions.add_time_off(staff=member, start=dt.datetime(2026, 5, 1, 9), end=dt.datetime(2026, 5, 1, 17))
    start = dt.datetime(2026, 5, 1, 8, tzinfo=dt.UTC)
    with pytest.raises(Refusal):
        actions.add_time_off(staff=member, start=start, end=start)
    assert actions.add_time_off(staff=member, start=start, end=start + dt.timedelta(hours=8)).reason == ""


def test_closures_must_end_on_or_after_their_first_day():
    venue = f.venue()
    with pytest.raises(Refusal):
        actions.add_closure(venue=venue, start_date=dt.date(2026, 5, 2), end_date=dt.date(2026, 5, 1))
    assert not venue.closures.exists()


def test_writes_reindex_the_venue_inside_their_transaction(monkeypatch):
    calls: list[tuple[int, bool]] = []
    index = pytest.importorskip("pamper.search.index")
    monkeypatch.setattr(index, "reindex_venue", lambda venue_id: calls.append((venue_id, connection.in_atomic_block)))
    venue = f.venue()
    service = f.service(venue, f.treatment())
    actions.deactivate_service(service=service)
    actions.set_opening_hours(venue=venue, hours=[(0, f.t(9), f.t(17))])
    actions.update_venue(venue=venue, name="Renamed")
    assert calls == [(venue.id, True)] * 5
