"""Issue 18, point 11: a freed time goes to the first waiting customer the booking engine lets have it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from pamper.bookings.models import Booking, BookingItem, Status
from pamper.errors import Refusal
from pamper.tests.world import NOW, World, at
from pamper.venues import actions as venue_actions
from pamper.venues.models import TimeOff
from pamper.waitlist import actions, tasks
from pamper.waitlist.models import Entry, EntryStatus, Offer, OfferStatus, PartOfDay

from .helpers import DAY, entry, fill_day, free_it, passed_hair_test

pytestmark = pytest.mark.django_db


def test_a_cancellation_offers_the_time_to_the_first_in_line_by_email(world: World, django_capture_on_commit_callbacks):
    booked = fill_day(world)
    first = actions.join_waitlist(customer=world.customer, venue=world.venue, service=world.facial_service,
                                  first_day=DAY, last_day=DAY)
    second = entry(world, world.owner)
    with django_capture_on_commit_callbacks(execute=True):
        free_it(booked)
    offer = Offer.objects.get()
    assert offer.entry == first and offer.status == OfferStatus.OPEN
    assert offer.booking.status == Status.HELD and offer.booking.start == at(4, 10)
    assert offer.expires_at == NOW + dt.timedelta(minutes=actions.OFFER_MINUTES)
    assert Entry.objects.get(pk=second.pk).status == EntryStatus.WAITING
    sent = [m for m in mail.outbox if "A time opened" in m.subject]
    assert len(sent) == 1 and sent[0].to == [world.customer.email]
    assert f"/waitlist/offers/{offer.pk}/" in sent[0].body and "Wed 4 Mar, 10:00 GMT" in sent[0].body
    assert "Europe/London" not in sent[0].body
    actions.accept_offer(offer=offer)
    assert Booking.objects.get(pk=offer.booking_id).status in (Status.CONFIRMED, Status.PENDING)
    assert Entry.objects.get(pk=first.pk).status == EntryStatus.BOOKED


def test_an_expired_offer_goes_to_the_next_customer_and_never_double_books(world: World,
                                                                          django_capture_on_commit_callbacks):
    booked = fill_day(world)
    first, second = entry(world, world.customer), entry(world, world.owner)
    with django_capture_on_commit_callbacks(execute=True):
        free_it(booked)
    assert Offer.objects.get().entry == first
    with time_machine.travel(NOW + dt.timedelta(minutes=actions.OFFER_MINUTES + 1), tick=False):
        assert tasks.sweep_waitlist.call() == 1
    expired, fresh = Offer.objects.order_by("id")
    assert expired.status == OfferStatus.EXPIRED and fresh.entry == second and fresh.status == OfferStatus.OPEN
    assert Entry.objects.get(pk=first.pk).status == EntryStatus.WAITING  # still waiting, for another time
    assert BookingItem.objects.filter(active=True, start=at(4, 10)).count() == 1


def test_declining_passes_the_time_on_and_the_customer_keeps_waiting(world: World,
                                                                     django_capture_on_commit_callbacks):
    booked = fill_day(world)
    first, second = entry(world, world.customer), entry(world, world.owner)
    with django_capture_on_commit_callbacks(execute=True):
        free_it(booked)
    with django_capture_on_commit_callbacks(execute=True):
        actions.decline_offer(offer=Offer.objects.get())
    assert Offer.objects.get(entry=second).status == OfferStatus.OPEN
    assert Entry.objects.get(pk=first.pk).status == EntryStatus.WAITING
    with pytest.raises(Refusal) as refused:
        actions.accept_offer(offer=Offer.objects.get(entry=first))
    assert refused.value.code == "offer_gone"


def test_the_pathway_decides_who_is_eligible(world: World, django_capture_on_commit_callbacks):
    """Hair colour needs a valid patch test 48 hours ahead: the first in line has none and is passed over."""
    booked = fill_day(world)
    untested = entry(world, world.customer, world.hair_service)
    passed_hair_test(world, world.other_customer)
    tested = entry(world, world.other_customer, world.hair_service)
    with django_capture_on_commit_callbacks(execute=True):
        free_it(booked)
    offer = Offer.objects.get()
    assert offer.entry == tested
    assert Entry.objects.get(pk=untested.pk).status == EntryStatus.WAITING


def test_a_new_shift_offers_its_times(world: World, django_capture_on_commit_callbacks):
    fill_day(world)
    waiting = entry(world, world.customer, part_of_day=PartOfDay.EVENING)
    with django_capture_on_commit_callbacks(execute=True):
        venue_actions.remove_time_off(time_off=TimeOff.objects.get(start=at(4, 11, 30)))
    offer = Offer.objects.get()
    assert offer.entry == waiting and offer.start.hour >= 17  # the evening, as asked


def test_joining_refuses_when_a_suitable_time_is_free_already_and_checks_its_input(world: World):
    with pytest.raises(Refusal) as refused:
        actions.join_waitlist(customer=world.customer, venue=world.venue, service=world.facial_service,
                              first_day=DAY, last_day=DAY)
    assert refused.value.code == "free_now" and refused.value.extra["start"].startswith("2026-03-04T")
    with pytest.raises(Refusal) as refused:
        actions.join_waitlist(customer=world.customer, venue=world.venue, service=world.facial_service,
                              first_day=DAY, last_day=DAY - dt.timedelta(days=1))
    assert refused.value.extra["field"] == "last_day"
    with pytest.raises(Refusal) as refused:
        actions.join_waitlist(customer=world.customer, venue=world.other_venue, service=world.facial_service,
                              first_day=DAY, last_day=DAY)
    assert refused.value.code == "unknown_service"


def test_the_offer_email_is_in_the_customers_language_whatever_language_the_sweep_runs_in(
        world: World, django_capture_on_commit_callbacks):
    """The offer is written in the customer's language (else the venue's), as every other email: it was written in
    whatever language was active when the freed time was handed out (a French owner's page, the task worker's
    English)."""
    from django.utils import translation

    world.customer.language = "de"
    world.customer.save(update_fields=["language"])
    booked = fill_day(world)
    actions.join_waitlist(customer=world.customer, venue=world.venue, service=world.facial_service,
                          first_day=DAY, last_day=DAY)
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        free_it(booked)
    [sent] = [m for m in mail.outbox if m.to == [world.customer.email]]
    assert sent.subject.startswith("Eine Zeit ist frei geworden bei"), sent.subject
    assert "Mi., 4. März, 10:00 GMT" in sent.body, sent.body


def test_a_customer_whose_address_is_not_confirmed_is_passed_over_and_keeps_their_place(
        world: World, django_capture_on_commit_callbacks):
    """The offer is an email, which Pamper does not send to an unconfirmed address: the time would have been held
    for someone who never hears of it, while the next person waited."""
    booked = fill_day(world)
    first, second = entry(world, world.customer), entry(world, world.owner)
    world.customer.email_confirmed = False
    world.customer.save(update_fields=["email_confirmed"])
    with django_capture_on_commit_callbacks(execute=True):
        free_it(booked)
    assert Offer.objects.get().entry == second
    assert Entry.objects.get(pk=first.pk).status == EntryStatus.WAITING
    assert [m.to for m in mail.outbox if "A time opened" in m.subject] == [[world.owner.email]]
