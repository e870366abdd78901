"""The next free slot on search rows: computed per offering, kept in step with bookings and by the sweeps."""

from __future__ import annotations

import datetime as dt

import pytest

from pamper.bookings import actions, nextfree, tasks
from pamper.bookings.models import NextFreeCheck, Status
from pamper.search.index import reindex_venue
from pamper.search.models import SearchRow
from pamper.venues.models import Closure

from . import helpers as h

pytestmark = pytest.mark.django_db(transaction=True)


def row(shop, service):  # type: ignore[no-untyped-def]
    return SearchRow.objects.get(venue=shop.venue, treatment=service.treatment)


@pytest.fixture
def indexed(frozen):  # type: ignore[no-untyped-def]
    shop = h.shop()
    ben_only = h.staff(shop.venue, [shop.cut], name="Solo")  # a third stylist for cuts
    reindex_venue(shop.venue.id)
    shop.extra["solo"] = ben_only
    return shop


def test_next_free_slot_follows_notice_and_bookings(indexed):
    shop = indexed
    now = h.utc(2026, 5, 4, 7)
    assert nextfree.first_slots(shop.venue, {1: [shop.colour]}, now) == {1: h.utc(2026, 5, 4, 8)}  # 09:00 BST
    for _ in range(2):  # colour is Anna's only: book her 09:00-10:00 and 10:00-11:00
        actions.book_visit(venue=shop.venue, services=[shop.colour, shop.colour], start=h.utc(2026, 5, 4, 8 + _),
                           customer=h.customer())
    visits = {1: [shop.colour], 2: [shop.cut, shop.colour]}
    # colour alone at 11:00; a cut with Ben at 10:00 BST, then colour at 11:00
    assert nextfree.first_slots(shop.venue, visits, now) == {1: h.utc(2026, 5, 4, 10), 2: h.utc(2026, 5, 4, 9)}


def test_a_booking_refreshes_the_search_row_after_commit(indexed):
    shop = indexed
    nextfree.refresh_venue(shop.venue.id, h.utc(2026, 5, 4, 7))
    assert row(shop, shop.colour).next_available == h.utc(2026, 5, 4, 8)
    booking = actions.book_visit(venue=shop.venue, services=[shop.colour], start=h.utc(2026, 5, 4, 8),
                                 customer=h.customer())
    current = row(shop, shop.colour)
    assert current.next_available == h.utc(2026, 5, 4, 8, 30)  # Anna is free again after the 30-minute colour
    assert current.next_local_date == dt.date(2026, 5, 4) and current.next_local_minute == 9 * 60 + 30
    actions.cancel_booking(booking=booking, by_venue=True, reason="Stylist ill")
    assert row(shop, shop.colour).next_available == h.utc(2026, 5, 4, 8)


def test_a_fully_booked_offering_shows_none(indexed):
    shop = indexed
    Closure.objects.create(venue=shop.venue, start_date=dt.date(2026, 5, 1), end_date=dt.date(2026, 12, 31))
    nextfree.refresh_venue(shop.venue.id, h.utc(2026, 5, 4, 7))
    assert row(shop, shop.cut).next_available is None


def test_the_sweep_refreshes_rows_whose_slot_has_passed(indexed, frozen):
    shop = indexed
    SearchRow.objects.filter(venue=shop.venue).update(next_available=h.utc(2026, 5, 1, 9))
    tasks.refresh_next_available.call()
    assert row(shop, shop.cut).next_available == h.utc(2026, 5, 4, 8)
    assert row(shop, shop.colour).next_available == h.utc(2026, 5, 4, 8)


def test_the_hold_sweep_frees_expired_holds(indexed, frozen):
    shop = indexed
    held = actions.hold_visit(venue=shop.venue, services=[shop.colour], start=h.utc(2026, 5, 4, 8),
                              customer=h.customer())
    assert row(shop, shop.colour).next_available == h.utc(2026, 5, 4, 8, 30)
    frozen.shift(dt.timedelta(minutes=11))
    assert tasks.expire_holds.call() == 1
    held.refresh_from_db()
    assert held.status == Status.EXPIRED and not held.items.get().active
    assert row(shop, shop.colour).next_available == h.utc(2026, 5, 4, 8, 15)  # notice from 07:11 UTC, next grid time


def test_a_burst_of_bookings_queues_one_deferred_refresh(indexed, settings):
    from django.core.cache import cache
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    cache.clear()
    shop = indexed
    for hour in (8, 9, 10):
        actions.book_visit(venue=shop.venue, services=[shop.cut], start=h.utc(2026, 5, 5, hour), customer=h.customer())
    # This venue's refreshes only: in a full run on PostgreSQL a task row written by an earlier test's worker
    # process or live server after that test's flush was counted here too (3 instead of 1).
    refreshes = [r for r in DBTaskResult.objects.filter(
        task_path="pamper.bookings.nextfree.refresh_venue_next_available") if r.args_kwargs["args"] == [shop.venue.id]]
    assert len(refreshes) == 1
    assert refreshes[0].run_after == h.utc(2026, 5, 4, 7, 0, 2)


def test_a_shown_slot_is_swept_again_once_inside_the_notice_not_while_it_is_merely_near(indexed):
    """Before, every row whose slot was within two hours was taken again every minute, so the sweep spent its whole
    budget recomputing slots still bookable and the rows checked longest ago waited."""
    shop = indexed
    venue = shop.venue
    venue.min_notice_minutes = 15
    venue.save(update_fields=["min_notice_minutes"])
    now = h.utc(2026, 5, 4, 7)
    nextfree.refresh_venue(venue.id, now)
    shown = row(shop, shop.colour)
    assert shown.next_available == h.utc(2026, 5, 4, 8)  # 09:00 in London, when the salon opens
    assert shown.next_stale_at == h.utc(2026, 5, 4, 7, 45)
    assert venue.id not in nextfree.stale_venues(h.utc(2026, 5, 4, 7, 5), 10)  # an hour off, bookable
    nextfree.refresh_venue(venue.id, h.utc(2026, 5, 4, 7, 40))  # (rechecked within RECHECK_MINUTES)
    assert venue.id not in nextfree.stale_venues(h.utc(2026, 5, 4, 7, 44), 10)
    assert venue.id in nextfree.stale_venues(h.utc(2026, 5, 4, 7, 45), 10)  # inside the notice: not bookable


def test_a_row_with_no_slot_waits_for_the_periodic_recheck(indexed):
    shop = indexed
    Closure.objects.create(venue=shop.venue, start_date=dt.date(2026, 5, 1), end_date=dt.date(2026, 12, 31))
    now = h.utc(2026, 5, 4, 7)
    nextfree.refresh_venue(shop.venue.id, now)
    assert row(shop, shop.cut).next_stale_at is None
    assert shop.venue.id not in nextfree.stale_venues(now + dt.timedelta(minutes=nextfree.RECHECK_MINUTES - 1), 10)
    assert shop.venue.id in nextfree.stale_venues(now + dt.timedelta(minutes=nextfree.RECHECK_MINUTES + 1), 10)


def test_the_sweep_refreshes_venues_together_and_one_broken_venue_stops_no_other(frozen, caplog):
    shops = [h.shop() for _ in range(3)]
    for shop in shops:
        reindex_venue(shop.venue.id)
    broken = shops[1].venue
    type(broken).objects.filter(pk=broken.pk).update(timezone="Mars/Olympus_Mons")  # no such zone: it raises
    now = h.utc(2026, 5, 4, 7)
    written = nextfree.refresh_many([s.venue.id for s in shops], now)
    assert written == 4  # two rows (cut, colour) of each sound venue
    for shop in (shops[0], shops[2]):
        assert row(shop, shop.colour).next_available == h.utc(2026, 5, 4, 8)  # 09:00 BST, Anna's first
        assert row(shop, shop.cut).next_checked_at == now
    assert row(shops[1], shops[1].cut).next_checked_at is None
    assert f"next free slot refresh failed for venue {broken.pk}" in caplog.text


def test_a_recheck_that_finds_the_same_slots_rewrites_no_search_row(indexed):
    shop = indexed
    first = h.utc(2026, 5, 4, 5)  # 06:00 BST: the first slots (09:00) stay the same for the next hours
    assert nextfree.refresh_venue(shop.venue.id, first) == 2  # cut and colour, computed for the first time
    before = list(SearchRow.objects.filter(venue=shop.venue).order_by("id").values())
    later = first + dt.timedelta(minutes=nextfree.RECHECK_MINUTES + 1)
    assert shop.venue.id in nextfree.stale_venues(later, 10)  # due for its hourly recheck
    assert nextfree.refresh_many([shop.venue.id], later) == 0  # the same first slots: no row rewritten
    assert list(SearchRow.objects.filter(venue=shop.venue).order_by("id").values()) == before
    assert shop.venue.id not in nextfree.stale_venues(later + dt.timedelta(minutes=1), 10)  # but checked again
    assert NextFreeCheck.objects.get(venue=shop.venue).checked_at == later
    # A booking that moves a first slot rewrites that row only.
    actions.book_visit(venue=shop.venue, services=[shop.colour], start=h.utc(2026, 5, 4, 8), customer=h.customer())
    assert row(shop, shop.colour).next_available == h.utc(2026, 5, 4, 8, 30)
    assert row(shop, shop.cut).next_checked_at == first
