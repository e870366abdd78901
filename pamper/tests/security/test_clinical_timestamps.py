"""Issue 13, point 8, as a property: random clinical times never make a record outside what it records.

For random (applied, read) times around a consultation booking (and at the edges of the calendar),
with or without a late-entry reason: every accepted patch test lies inside its consultation booking
(applied no earlier than it starts), is read after it was applied, and lies in no future; a late one
has its reason in the audit log. Every refused one is a 422 and changed nothing. The same for
sessions and their booking.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pamper.bookings.models import Booking, Status
from pamper.clinical import actions, timing
from pamper.clinical.models import Consultation, TreatmentSession
from pamper.clinical.tests.planting import _consultation_booking
from pamper.errors import Refusal
from pamper.tests.factories import BookingFactory
from pamper.tests.world import NOW, World, at, build_world
from pamper.venues.models import AuditEntry, Client

pytestmark = pytest.mark.django_db

EDGES = [dt.datetime(1, 1, 1, tzinfo=dt.UTC), dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.UTC)]
ZONES = st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=14)), dt.timezone(dt.timedelta(hours=-12))])


def instants() -> st.SearchStrategy[dt.datetime]:
    """Near the booking and now (minutes either way, over weeks), anywhere in the calendar, or at its edges."""
    near = st.integers(-60 * 24 * 20, 60 * 24 * 20).map(lambda m: at(1, 10) + dt.timedelta(minutes=m))
    anywhere = st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30), timezones=ZONES)
    return st.one_of(near, near, anywhere, st.sampled_from(EDGES))


REASONS = st.sampled_from(["", "   ", "Entered from the paper notes."])


@pytest.fixture
def setting(db, frozen) -> tuple[World, Client, Booking, Booking]:  # type: ignore[no-untyped-def]
    world = build_world()
    client = world.client_of(world.customer)
    Client.objects.filter(pk=client.pk).update(created_at=NOW - dt.timedelta(days=10))
    client.refresh_from_db()
    actions.sign_consent(user=world.customer, client=client, treatment=world.meso, version=None,
                         typed_name="Customer Person", now=NOW)
    consultation = _consultation_booking(world, client, at(1, 10))  # 10:00-10:30, the day before now
    waiting = BookingFactory(client=client, customer=world.customer, depends_on=consultation,
                             service=world.meso_service,
                             staff=world.staff, status=Status.AWAITING_PATCH_TEST, start=at(3, 10))  # until 10:20, 150
    return world, client, consultation, waiting


def _snapshot() -> tuple[object, ...]:
    return (tuple(Consultation.objects.values_list("pk", "applied_at", "read_at", "outcome")),
            tuple(TreatmentSession.objects.values_list("pk", "performed_at")),
            tuple(Booking.objects.order_by("pk").values_list("pk", "status")), AuditEntry.objects.count())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(applied=st.one_of(st.none(), instants()), read=instants(), reason=REASONS, loose=st.booleans(),
       outcome=st.sampled_from(["passed", "reaction"]))
def test_every_accepted_patch_test_lies_inside_its_booking_and_every_refused_one_changes_nothing(
    setting: tuple[World, Client, Booking, Booking], applied: dt.datetime | None, read: dt.datetime, reason: str,
    loose: bool, outcome: str,
) -> None:
    world, client, consultation, _waiting = setting
    with transaction.atomic():
        before = _snapshot()
        target = {"client": client, "applied_at": applied or at(1, 10, 30)} if loose else {"booking": consultation}
        try:
            result = actions.record_patch_test(by=world.practitioner, venue=world.venue, treatment=world.meso,
                                               outcome=outcome, read_at=read, now=NOW, late_reason=reason,
                                               **({"applied_at": applied} if not loose else {}), **target)
        except Refusal as refused:
            assert refused.status == 422, refused.code
            assert _snapshot() == before
        else:
            saved = Consultation.objects.get(pk=result.consultation.pk)
            earliest = client.created_at if loose else at(1, 10)
            assert earliest <= saved.applied_at <= saved.read_at <= NOW + timing.CLOCK_SKEW
            late = saved.read_at < NOW - timing.LATE_AFTER
            entries = AuditEntry.objects.filter(action="late_entry", object_id=saved.pk)
            assert entries.count() == (1 if late else 0)
            assert not late or entries.get().reason == reason.strip()
        transaction.set_rollback(True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(performed=st.one_of(st.none(), instants()), reason=REASONS, with_booking=st.booleans())
def test_every_accepted_session_lies_inside_its_booking_and_every_refused_one_changes_nothing(
    setting: tuple[World, Client, Booking, Booking], performed: dt.datetime | None, reason: str, with_booking: bool,
) -> None:
    world, client, consultation, _waiting = setting
    with transaction.atomic():
        before = _snapshot()
        booking = consultation if with_booking else None
        try:
            session = actions.record_session(by=world.practitioner, client=client, treatment=world.meso,
                                             performed_at=performed, booking=booking, late_reason=reason, now=NOW)
        except Refusal as refused:
            assert refused.status == 422, refused.code
            assert _snapshot() == before
        else:
            start, end = (consultation.start, consultation.end) if with_booking else (client.created_at, NOW)
            assert start <= session.performed_at <= min(end, NOW + timing.CLOCK_SKEW)
            late = session.performed_at < NOW - timing.LATE_AFTER
            assert AuditEntry.objects.filter(action="late_entry", object_id=session.pk).count() == (1 if late else 0)
        transaction.set_rollback(True)
