"""Issue 18, point 7: every result card shows its next free slot, or that there is none in the venue's horizon,
from the first sweep after the index is rebuilt (what `make run`'s demo load does), and again minutes after any
venue change."""

from __future__ import annotations

import datetime as dt

import pytest

from pamper.bookings import nextfree, tasks
from pamper.lib import clock
from pamper.search.models import SearchRow
from pamper.venues import actions as venue_actions
from pamper.venues.models import Service

pytestmark = pytest.mark.usefixtures("london")


def cards(client) -> list[str]:  # type: ignore[no-untyped-def]
    html = client.get("/search/", {"q": "mesotherapy", "near": "London"}).content.decode()
    # Each card up to the end of its "next free" line.
    return [part.split('class="small search-next">', 1)[1].split("</p>", 1)[0] if "search-next" in part else ""
            for part in html.split('<li class="card search-result"')[1:]]


def test_after_a_rebuild_one_sweep_gives_every_card_its_next_free_or_none(client, london):
    assert SearchRow.objects.filter(next_checked_at__isnull=True).count() == SearchRow.objects.count()
    tasks.refresh_next_available.call()
    assert not SearchRow.objects.filter(next_checked_at__isnull=True).exists()
    shown = cards(client)
    assert len(shown) == 4  # those within the default radius
    for card in shown:  # the factory venues have no staff yet: nobody to book, said plainly
        assert "No free time in the next 60 days" in card and "See availability" not in card


def test_a_new_practitioner_shows_a_next_free_slot_once_the_change_commits(client, london,
                                                                        django_capture_on_commit_callbacks):
    tasks.refresh_next_available.call()
    soho = london["Soho Skin"]
    with django_capture_on_commit_callbacks(execute=True):
        ada = venue_actions.save_staff(venue=soho, name="Ada", services=Service.objects.filter(venue=soho))
        week = [(day, dt.time(9), dt.time(18)) for day in range(7)]
        venue_actions.set_opening_hours(venue=soho, hours=week)
        venue_actions.set_shifts(staff=ada, shifts=week)
    card = cards(client)[0]  # Soho Skin, the nearest
    assert "Next free:" in card and "No free time" not in card
    assert SearchRow.objects.filter(venue=soho, next_available__isnull=False).exists()


def test_the_sweep_visits_rows_never_checked_first_then_the_oldest(london):
    now = clock.now()
    first = nextfree.stale_venues(now, 100)
    assert set(first) == set(SearchRow.objects.values_list("venue_id", flat=True))
    nextfree.refresh_many(first, now)
    assert nextfree.stale_venues(now, 100) == []  # all fresh
    later = now + dt.timedelta(minutes=nextfree.RECHECK_MINUTES + 1)
    assert set(nextfree.stale_venues(later, 100)) == set(first)  # time alone makes them due again


def test_a_treatment_offered_only_offline_is_checked_too(london):
    soho = london["Soho Skin"]
    Service.objects.filter(venue=soho, name="Anti-wrinkle, one area").update(online_bookable=False)
    nextfree.refresh_venue(soho.id, clock.now())
    assert not SearchRow.objects.filter(venue=soho, next_checked_at__isnull=True).exists()
    assert soho.id not in nextfree.stale_venues(clock.now(), 100)
