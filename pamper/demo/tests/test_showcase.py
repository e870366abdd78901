"""The demo is a showcase of the rules, not a contradiction of them (issue 18, point 10): venue names are not
repeated, a London address's street and postcode district belong together, and no demo booking of a clinical
treatment breaks its pathway, as the booking engine's own check (clinical.pathway.check_visit) sees it."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from pamper.accounts.models import User
from pamper.bookings import nextfree
from pamper.bookings.models import Booking, NextFreeCheck
from pamper.catalog.models import Category, Contraindication, Treatment
from pamper.clinical.models import (
    ConsentText,
    Consultation,
    ProgressPhoto,
    Questionnaire,
    QuestionnaireResponse,
    TreatmentSession,
)
from pamper.clinical.pathway import check_visit
from pamper.demo.locale_data import LONDON_STREET_DISTRICTS
from pamper.demo.management.commands import seed as seed_command
from pamper.demo.reset import delete_all_venues
from pamper.demo.reviews import DEMO_REVIEWER_DOMAIN
from pamper.errors import Refusal
from pamper.search.models import SearchRow
from pamper.venues.models import Venue

pytestmark = pytest.mark.django_db
LONG_AGO = dt.timedelta(days=3650)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[None]:
    """150 venues with their demo reviews (the visits behind them), as `pamper seed` writes them."""
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(seed_command, "add_covers", lambda *a, **kw: 0)
        call_command("seed", "--demo", "--venues", "150", "--seed", "1", stdout=StringIO())
    yield
    with django_db_blocker.unblock():
        delete_all_venues()
        User.objects.filter(email__endswith="example.com").delete()
        User.objects.filter(email__endswith="@" + DEMO_REVIEWER_DOMAIN).delete()  # the demo reviewers
        # The seed loaded the whole catalogue: later tests build their own (the home page lists it).
        ConsentText.objects.all().delete()
        Questionnaire.objects.all().delete()
        Treatment.objects.all().delete()
        Category.objects.all().delete()
        Contraindication.objects.all().delete()


def test_no_two_demo_venues_share_a_name(demo) -> None:  # type: ignore[no-untyped-def]
    names = Counter(name.casefold() for name in Venue.objects.values_list("name", flat=True))
    assert [name for name, n in names.items() if n > 1] == []


def test_a_london_street_has_a_postcode_of_its_own_district(demo) -> None:  # type: ignore[no-untyped-def]
    checked = 0
    for address, postcode in Venue.objects.filter(city="London").values_list("address", "postcode"):
        street = address.split(" ", 1)[1].split(",")[0]
        if street in LONDON_STREET_DISTRICTS:
            assert postcode.split()[0] in LONDON_STREET_DISTRICTS[street], (address, postcode)
            checked += 1
    assert checked > 5


def test_no_demo_booking_breaks_the_clinical_pathway(demo) -> None:  # type: ignore[no-untyped-def]
    bookings = Booking.objects.select_related("venue", "client").prefetch_related("items__service__treatment")
    broken, clinical, seen = [], 0, 0
    for booking in bookings.order_by("start"):
        items = sorted(booking.items.all(), key=lambda i: i.start)
        seen += 1
        if not any(i.service.treatment.has_pathway for i in items):
            continue
        clinical += 1
        try:
            with transaction.atomic():
                # As when it was booked: the session recorded for this very visit (afterwards) is not another
                # session of the course; moved out of the way inside a savepoint that is rolled back.
                TreatmentSession.objects.filter(booking=booking).update(performed_at=booking.start - LONG_AGO)
                check_visit(customer=booking.client, venue=booking.venue, services=[i.service for i in items],
                            start=booking.start, now=booking.created_at - dt.timedelta(seconds=1), booking=booking)
                transaction.set_rollback(True)
        except Refusal as refusal:
            broken.append((booking.venue.name, booking.client.name, items[0].service.name, refusal.code))
    assert seen > 100  # the walk saw the demo's visits
    assert broken == [], f"{len(broken)} of {clinical} clinical bookings break the pathway: {broken[:5]}"


def test_the_demo_customer_has_walked_the_mesotherapy_pathway(demo) -> None:  # type: ignore[no-untyped-def]
    clinic = Venue.objects.get(slug="pamper-demo-clinic")
    customer = User.objects.get(email="customer@example.com")
    client = clinic.clients.get(user=customer)
    meso = [b for b in Booking.objects.filter(venue=clinic, customer=customer).order_by("start")
            if any(i.service.treatment.slug == "mesotherapy" for i in b.items.all())]
    consultation, *sessions = meso
    assert consultation.items.get().service.kind == "consultation" and len(sessions) >= 2
    history = QuestionnaireResponse.objects.get(client=client)
    assert history.submitted_at < consultation.start  # the medical history before the consultation
    test = Consultation.objects.get(client=client)
    assert test.outcome == "passed" and sessions[0].start - test.applied_at >= dt.timedelta(hours=24)
    interval = dt.timedelta(days=sessions[0].items.get().service.treatment.course_interval_days or 0)
    assert all(b.start - a.start >= interval for a, b in itertools.pairwise(sessions))
    done = TreatmentSession.objects.filter(course__client=client)
    assert done.count() >= 2 and all("aftercare" in s.notes for s in done)
    assert ProgressPhoto.objects.filter(client=client).count() == done.count()


def test_the_seed_finds_the_same_next_free_slots_as_the_bookings_engine(demo) -> None:  # type: ignore[no-untyped-def]
    """The seed writes its venues' first free slots a chunk at a time (nextfree.refresh_venues); the sweep's
    refresh_venue, venue by venue, writes the same values on the same rows."""
    now = dt.datetime(2031, 3, 4, 9, 7, tzinfo=dt.UTC)
    venue_ids = list(Venue.objects.filter(is_published=True).order_by("id").values_list("id", flat=True)[:40])
    fields = ("venue_id", "treatment_id", "next_available", "next_local_date", "next_local_minute",
              "next_checked_at", "next_horizon_days", "next_stale_at")
    rows = SearchRow.objects.filter(venue_id__in=venue_ids).order_by("venue_id", "treatment_id")
    checks = NextFreeCheck.objects.filter(venue_id__in=venue_ids)
    with transaction.atomic():
        written = nextfree.refresh_venues(venue_ids, now)
        bulk = list(rows.values_list(*fields))
        assert set(checks.values_list("checked_at", flat=True)) == {now} and checks.count() == len(venue_ids)
        transaction.set_rollback(True)
    with transaction.atomic():
        for venue_id in venue_ids:
            nextfree.refresh_venue(venue_id, now)
        assert list(rows.values_list(*fields)) == bulk
        transaction.set_rollback(True)
    assert sum(1 for row in bulk if row[2] is not None) > len(bulk) // 2
    # Years later most slots moved, so those rows were written; a row whose answer did not change was left alone.
    assert 40 < written == sum(1 for row in bulk if row[5] == now) <= len(bulk)


@pytest.mark.parametrize(("query", "near", "fewest"), [
    ("mesotherapy", "Manchester", 3), ("cellulite", "Manchester", 3), ("mesotherapy", "London", 3),
    ("cellulite", "Paris", 2), ("mesotherapy", "Berlin", 2),
])
def test_the_searches_a_newcomer_tries_first_find_venues_to_compare(demo, client, query, near,  # type: ignore[no-untyped-def]
                                                                    fewest) -> None:
    answer = client.get("/api/v1/search", {"q": query, "near": near})
    assert answer.status_code == 200, answer.content
    results = answer.json()["results"]
    assert len(results) >= fewest, [r["venue"]["name"] for r in results]
    assert all(r["next_available"] for r in results[:fewest]), results[:fewest]  # each with a time to book
