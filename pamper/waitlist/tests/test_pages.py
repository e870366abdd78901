"""Issue 18, point 11: the waitlist pages (join, my waitlist, an offer) and the owner's list for a day."""

from __future__ import annotations

import pytest

from pamper.bookings.models import Status
from pamper.tests.world import World
from pamper.waitlist.models import Entry, EntryStatus, Offer, OfferStatus

from .helpers import DAY, entry, fill_day, free_it

pytestmark = pytest.mark.django_db


def join_form(world: World, **extra: str) -> dict[str, str]:
    return {"service": str(world.facial_service.pk), "staff": "", "first_day": DAY.isoformat(),
            "last_day": DAY.isoformat(), "part_of_day": "any", **extra}


def test_joining_from_the_page_then_leaving(world: World) -> None:
    fill_day(world)
    browser = world.browser("customer")
    page = browser.get(f"/venues/{world.venue.slug}/waitlist/?service={world.facial_service.pk}")
    assert page.status_code == 200 and b"Tell me when a time opens" in page.content
    done = browser.post(f"/venues/{world.venue.slug}/waitlist/", join_form(world), follow=True)
    assert b"You are on the waitlist" in done.content and world.venue.name.encode() in done.content
    joined = Entry.objects.get(customer=world.customer)
    assert browser.post(f"/waitlist/{joined.pk}/leave/").status_code == 302
    assert Entry.objects.get(pk=joined.pk).status == EntryStatus.LEFT


def test_a_refused_join_keeps_the_input_and_says_why(world: World) -> None:
    browser = world.browser("customer")
    free = browser.post(f"/venues/{world.venue.slug}/waitlist/", join_form(world))
    assert free.status_code == 422 and b"is free now" in free.content and b'id="book-free"' in free.content
    backwards = browser.post(f"/venues/{world.venue.slug}/waitlist/", join_form(world, last_day="2026-03-03"))
    assert backwards.status_code == 422 and b"The last day comes before the first" in backwards.content
    assert b'value="2026-03-04"' in backwards.content  # the input is kept
    garbage = browser.post(f"/venues/{world.venue.slug}/waitlist/", join_form(world, service="x", first_day="soon"))
    assert garbage.status_code == 422 and not Entry.objects.exists()


def test_days_the_venue_would_not_book_are_refused_as_booking_refuses_them(world: World) -> None:
    """Now is Monday 2 March, 08:00 in London; the clinic books from an hour ahead to 90 days ahead. An entry past
    the horizon waited for times no one could book, one for a day passed or inside the notice for none at all."""
    fill_day(world)
    world.venue.min_notice_minutes = 2 * 24 * 60
    world.venue.save(update_fields=["min_notice_minutes"])
    browser = world.browser("customer")
    url = f"/venues/{world.venue.slug}/waitlist/"
    form = browser.get(url).content.decode()  # offered from the first day it books, not today
    assert 'name="first_day" value="2026-03-04"' in form, form
    beyond = browser.post(url, join_form(world, first_day="2026-05-30", last_day="2026-06-01"))  # the last: 31 May
    assert beyond.status_code == 422 and b"takes bookings up to 90 days ahead" in beyond.content
    past = browser.post(url, join_form(world, first_day="2026-03-01"))
    assert past.status_code == 422 and b"Those days have passed" in past.content
    soon = browser.post(url, join_form(world, first_day="2026-03-03"))
    assert soon.status_code == 422 and b"takes online bookings at least 2 days ahead" in soon.content
    german = browser.post(f"/de{url}", join_form(world, first_day="2026-06-02", last_day="2026-06-02"))
    assert german.status_code == 422 and b"Buchungen" in german.content
    assert not Entry.objects.exists()
    within = browser.post(url, join_form(world, first_day="2026-05-31", last_day="2026-05-31"))
    assert within.status_code == 302 and Entry.objects.get().last_day.isoformat() == "2026-05-31"  # a closed Sunday


def test_answering_an_offer_on_its_page(world: World, django_capture_on_commit_callbacks) -> None:
    booked = fill_day(world)
    entry(world, world.customer)
    with django_capture_on_commit_callbacks(execute=True):
        free_it(booked)
    offer = Offer.objects.get()
    browser = world.browser("customer")
    mine = browser.get("/waitlist/")
    assert b"A time is held for you: Wed 4 Mar, 10:00 GMT" in mine.content
    page = browser.get(f"/waitlist/offers/{offer.pk}/")
    assert b"Book this time" in page.content and b"Europe/London" not in page.content
    assert world.browser("other_customer").get(f"/waitlist/offers/{offer.pk}/").status_code == 404
    assert browser.get("/waitlist/offers/99999999999999999999/").status_code == 404
    accepted = browser.post(f"/waitlist/offers/{offer.pk}/accept/")
    assert accepted.status_code == 302 and accepted["Location"].endswith(f"/bookings/{offer.booking_id}/")
    assert Offer.objects.get().status == OfferStatus.ACCEPTED
    assert offer.booking.__class__.objects.get(pk=offer.booking_id).status in (Status.CONFIRMED, Status.PENDING)
    again = browser.post(f"/waitlist/offers/{offer.pk}/decline/")
    assert again.status_code == 409


def test_the_owner_sees_the_days_waitlist_in_the_calendar(world: World) -> None:
    fill_day(world)
    entry(world, world.customer)
    page = world.browser("owner").get(f"/partner/{world.venue.pk}/calendar/?date={DAY.isoformat()}&view=day")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Waitlist for this day" in text and world.customer.name in text and "Facial" in text
    other_day = world.browser("owner").get(f"/partner/{world.venue.pk}/calendar/?date=2026-03-05&view=day")
    assert b"Nobody is waiting for a time this day" in other_day.content
