"""A customer the booking engine refuses for keeping too many visits waiting (409 too_many_waiting) is told so.

The offer run took every 409 for "taken a moment ago": it tried each free time in turn for that customer (each
refused for the same reason), said nothing to them, and did it again on every minute's sweep. Their own unfinished
checkouts are about them, not the time: the time goes to the next in line at once, the entry says why on their
waitlist page, and they get one email saying so (not one a minute).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from pamper.bookings import actions as booking_actions
from pamper.bookings.models import Booking, Status
from pamper.tests.factories import BookingFactory
from pamper.tests.world import NOW, World, at
from pamper.waitlist import actions
from pamper.waitlist.models import Entry, EntryStatus, Offer, OfferStatus

from .helpers import entry, fill_day, free_it

pytestmark = pytest.mark.django_db


def keeps_five_waiting(world: World, customer) -> None:  # type: ignore[no-untyped-def]
    """`customer` has as many checkouts held as one person may keep (bare rows, no diary time taken)."""
    for hour in range(booking_actions.MAX_WAITING):
        BookingFactory(service=world.facial_service, customer=customer, start=at(20, 9 + hour), status=Status.HELD,
                       hold_expires_at=NOW + dt.timedelta(minutes=10))


def test_a_customer_with_too_many_visits_waiting_is_told_why(world: World, django_capture_on_commit_callbacks,
                                                              monkeypatch):
    booked = fill_day(world)
    keeps_five_waiting(world, world.customer)
    first, second = entry(world, world.customer), entry(world, world.owner)
    tried: list[int] = []
    hold = booking_actions.hold_visit

    def counted(**kwargs):  # type: ignore[no-untyped-def]
        tried.append(kwargs["customer"].pk)
        return hold(**kwargs)

    monkeypatch.setattr(booking_actions, "hold_visit", counted)
    with django_capture_on_commit_callbacks(execute=True):
        free_it(booked)
    assert tried.count(world.customer.pk) == 1  # once: their limit is not the time's, no other time is tried
    assert Offer.objects.get().entry == second  # the time went on to the next in line
    waiting = Entry.objects.get(pk=first.pk)
    assert waiting.status == EntryStatus.WAITING and waiting.held_back == "too_many_waiting"
    told = [m for m in mail.outbox if m.to == [world.customer.email]]
    assert len(told) == 1 and "could not hold it for you" in told[0].subject
    assert "Wed 4 Mar, 10:00 GMT" in told[0].body and "waiting for you to confirm or pay" in told[0].body
    assert not [m for m in mail.outbox if m.to == [world.customer.email] and "A time opened at" in m.subject
                and "could not" not in m.subject]

    page = world.browser("customer").get("/waitlist/")
    assert page.status_code == 200
    assert "waiting for you to confirm or pay" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):  # the next minute's sweep: no second email
        actions.decline_offer(offer=Offer.objects.get())
    assert len([m for m in mail.outbox if m.to == [world.customer.email]]) == 1
    assert Entry.objects.get(pk=first.pk).held_back == "too_many_waiting"


def test_once_a_place_frees_the_customer_is_offered_the_next_time(world: World, django_capture_on_commit_callbacks):
    booked = fill_day(world)
    keeps_five_waiting(world, world.customer)
    first = entry(world, world.customer)
    with django_capture_on_commit_callbacks(execute=True):
        free_it(booked)
    assert not Offer.objects.exists()
    Booking.objects.filter(customer=world.customer, status=Status.HELD).update(status=Status.EXPIRED)
    with django_capture_on_commit_callbacks(execute=True):
        offers = actions.offer_freed_times(venue_id=world.venue.pk, now=NOW)
    assert [o.entry_id for o in offers] == [first.pk] and offers[0].status == OfferStatus.OPEN
    assert Entry.objects.get(pk=first.pk).held_back == ""
