"""Who may treat, enforced on every path: availability, booking (API, front desk), moves; on both databases.

A representative sample of the pure matrix (clinical/tests/test_who_may_treat.py) through the database:
each credential set of the demo clinic, a lapse around a booking's day, an unknown country.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured

from pamper.bookings import actions as booking_actions
from pamper.bookings import hooks
from pamper.bookings.models import Source, Status
from pamper.bookings.tests import helpers as h
from pamper.clinical.models import Questionnaire, QuestionnaireResponse
from pamper.errors import Refusal
from pamper.tests.factories import BookingFactory, client_of

from .. import checks
from ..actions import record_prescription
from ..models import Credential, Kind
from . import helpers as ph
from .helpers import NOW

DAY = "2026-05-05"  # Tuesday
AT = "2026-05-05T10:00:00+01:00"


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def clinic(db, frozen) -> ph.Clinic:  # type: ignore[no-untyped-def]
    return ph.clinic()


def _slots(client, c: ph.Clinic, service, first: str = DAY, last: str = DAY, **extra) -> list[dict]:  # type: ignore[no-untyped-def]
    params = {"services": str(service.id), "from": first, "to": last, **extra}
    response = client.get(f"/api/v1/venues/{c.venue.id}/availability", params)
    assert response.status_code == 200, response.content
    return response.json()["slots"]


def _book(client, c: ph.Clinic, customer, start: str = AT, **extra):  # type: ignore[no-untyped-def]
    body = {"venue_id": c.venue.id, "services": [c.injections.id], "start": start, **extra}
    return client.post("/api/v1/bookings", json.dumps(body), content_type="application/json", **h.bearer(customer))


_prescribed = ph.prescribed


def test_anyone_means_anyone_qualified(client, clinic) -> None:
    offered = {s for slot in _slots(client, clinic, clinic.injections) for s in slot["staff_ids"]}
    assert offered == {clinic.doctor.id, clinic.nurse.id, clinic.aesthetic.id}
    assert _slots(client, clinic, clinic.injections, staff=clinic.therapist.id) == []
    facial = {s for slot in _slots(client, clinic, clinic.facial) for s in slot["staff_ids"]}
    assert clinic.therapist.id in facial  # an unrestricted treatment is not narrowed


def test_availability_reads_credentials_once_only_for_restricted_treatments(client, clinic,
                                                                            django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(3):
        _slots(client, clinic, clinic.facial, last="2026-05-30")
    with django_assert_max_num_queries(4):
        _slots(client, clinic, clinic.injections, last="2026-05-30")


def test_booking_an_unqualified_practitioner_is_refused_on_the_api(client, clinic) -> None:
    customer = h.customer()
    _prescribed(clinic, customer)
    response = _book(client, clinic, customer, staff_id=clinic.therapist.id)
    assert response.status_code == 422 and response.json()["code"] == "practitioner_not_qualified"
    response = _book(client, clinic, customer)
    assert response.status_code == 201, response.content
    assert response.json()["items"][0]["staff_id"] != clinic.therapist.id


def test_prescription_only_needs_a_prescribers_prescription(client, clinic) -> None:
    customer = h.customer()
    response = _book(client, clinic, customer)
    assert response.status_code == 422 and response.json()["code"] == "prescriber_consultation_required"
    with pytest.raises(Refusal) as caught:  # the aesthetic practitioner cannot prescribe
        visit = BookingFactory(customer=customer, service=clinic.facial, staff=clinic.aesthetic,
                               start=NOW - dt.timedelta(days=1))
        record_prescription(venue=clinic.venue, client=client_of(customer, clinic.venue), treatment=clinic.botox,
                            prescriber=clinic.aesthetic, consultation=visit, by=clinic.owner, now=NOW)
    assert caught.value.code == "prescriber_required"
    with pytest.raises(Refusal) as caught:  # the prescriber never saw this client
        record_prescription(venue=clinic.venue, client=client_of(customer, clinic.venue), treatment=clinic.botox,
                            prescriber=clinic.nurse, consultation=visit, by=clinic.owner, now=NOW)
    assert caught.value.code == "consultation_required"
    _prescribed(clinic, customer)
    assert _book(client, clinic, customer).status_code == 201


def test_a_declared_minor_is_refused_before_anything_else(client, clinic) -> None:
    customer = h.customer()
    form = Questionnaire.objects.create(treatment=clinic.botox, version=1, questions=[
        {"slug": "under-18", "kind": "yesno", "label": "Under 18", "question": "Are you under 18?"}])
    QuestionnaireResponse.objects.create(client=client_of(customer, clinic.venue), questionnaire=form,
                                         answers={"under-18": True}, flagged=True, review_status="needs_review")
    response = _book(client, clinic, customer)
    assert response.status_code == 422 and response.json()["code"] == "customer_too_young"


def test_the_front_desk_cannot_book_an_unqualified_practitioner(clinic) -> None:
    customer = h.customer()
    _prescribed(clinic, customer)
    start = dt.datetime.fromisoformat(AT)
    with pytest.raises(Refusal) as caught:
        booking_actions.book_visit(venue=clinic.venue, services=[clinic.injections], start=start, customer=customer,
                                   staff=clinic.therapist, source=Source.PARTNER, now=NOW)
    assert caught.value.code == "practitioner_not_qualified"
    booked = booking_actions.book_visit(venue=clinic.venue, services=[clinic.injections], start=start,
                                        customer=customer, staff=clinic.aesthetic, source=Source.PARTNER, now=NOW)
    assert booked.status in (Status.CONFIRMED, Status.PENDING)


def test_a_credential_lapsing_before_the_day_counts_as_missing(client, db, frozen) -> None:
    lapse = dt.date(2026, 5, 6)
    c = ph.clinic(doctor_until=lapse)
    customer = h.customer()
    _prescribed(c, customer)
    days = {slot["start"][:10] for slot in _slots(client, c, c.injections, first="2026-05-05", last="2026-05-08",
                                                   staff=c.doctor.id)}
    assert days == {"2026-05-05", "2026-05-06"}
    refused = _book(client, c, customer, start="2026-05-07T10:00:00+01:00", staff_id=c.doctor.id)
    assert refused.status_code == 422 and refused.json()["code"] == "practitioner_not_qualified"
    booked = _book(client, c, customer, start="2026-05-06T10:00:00+01:00", staff_id=c.doctor.id)
    assert booked.status_code == 201
    booking = booking_actions.Booking.objects.get(pk=booked.json()["id"])
    with pytest.raises(Refusal) as caught:  # moving it past the lapse with the same doctor
        booking_actions.reschedule_booking(booking=booking, start=dt.datetime.fromisoformat("2026-05-07T10:00+01:00"),
                                           by_venue=True, now=NOW)
    assert caught.value.code == "practitioner_not_qualified"
    moved = booking_actions.reschedule_booking(booking=booking, keep_staff=False, by_venue=True, now=NOW,
                                               start=dt.datetime.fromisoformat("2026-05-07T10:00+01:00"))
    assert moved.items.get().staff_id != c.doctor.id


def test_supervision_counts_only_while_the_supervisor_is_registered(client, clinic) -> None:
    assert _slots(client, clinic, clinic.injections, staff=clinic.aesthetic.id)
    Credential.objects.filter(staff=clinic.nurse, kind=Kind.REGISTRATION).update(verified_at=None)
    assert _slots(client, clinic, clinic.injections, staff=clinic.aesthetic.id) == []


def test_unverified_credentials_do_not_count(client, clinic) -> None:
    Credential.objects.filter(staff=clinic.doctor, kind=Kind.INSURANCE).update(verified_at=None)
    assert _slots(client, clinic, clinic.injections, staff=clinic.doctor.id) == []


def test_an_unknown_country_gets_the_strictest_rule(client, db, frozen) -> None:
    c = ph.clinic(country="DE")
    offered = {s for slot in _slots(client, c, c.injections) for s in slot["staff_ids"]}
    assert offered == {c.doctor.id}  # doctors only, as in France, the strictest known rule


def test_france_reserves_injections_to_doctors(client, db, frozen) -> None:
    c = ph.clinic(country="FR")
    offered = {s for slot in _slots(client, c, c.injections) for s in slot["staff_ids"]}
    assert offered == {c.doctor.id}


def test_without_the_staff_filter_nothing_is_offered(client, clinic) -> None:
    hooks.unregister_staff_filter(checks.qualified_staff)
    try:
        with pytest.raises(ImproperlyConfigured):
            client.get(f"/api/v1/venues/{clinic.venue.id}/availability",
                       {"services": str(clinic.facial.id), "from": DAY, "to": DAY})
    finally:
        hooks.register_staff_filter(checks.qualified_staff)


def _hold_page(client, c: ph.Clinic, customer, staff=None):  # type: ignore[no-untyped-def]
    client.force_login(customer)
    data = {"service": [c.injections.id], "start": AT, "staff": staff.id if staff else ""}
    return client.post(f"/venues/{c.venue.slug}/book/hold/", data)


def test_the_booking_page_shows_each_refusal_with_its_status(client, clinic) -> None:
    customer = h.customer()
    refused = _hold_page(client, clinic, customer)
    assert refused.status_code == 422 and "prescription-only medicine" in refused.content.decode()
    _prescribed(clinic, customer)
    refused = _hold_page(client, clinic, customer, clinic.therapist)
    assert refused.status_code == 422 and "not qualified to perform" in refused.content.decode()
    assert _hold_page(client, clinic, customer, clinic.nurse).status_code == 302
