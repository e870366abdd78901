"""Recording and verifying credentials (workspace, partner API, admin), the venue page and guide, the audit log,
and the expiry sweep (30/7-day notices, lapses flagged for reassignment)."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterator

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from pamper.accounts.models import Role
from pamper.bookings import actions as booking_actions
from pamper.bookings.tests import helpers as h
from pamper.catalog.loader import load_catalogue
from pamper.tests.factories import member
from pamper.venues.models import AuditEntry

from ..actions import read_certificate
from ..expiry import flag_lapsed, send_expiry_notices
from ..models import Credential, Kind, Reassignment
from . import helpers as ph
from .helpers import NOW

PDF = b"%PDF-1.4 a training certificate"


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def clinic(db, frozen) -> ph.Clinic:  # type: ignore[no-untyped-def]
    return ph.clinic()


def _api(client, user, method: str, path: str, body: dict | None = None):  # type: ignore[no-untyped-def]
    call = getattr(client, method)
    if body is None:
        return call(f"/api/v1/partner/venues/{path}", **h.bearer(user))
    return call(f"/api/v1/partner/venues/{path}", json.dumps(body), content_type="application/json",
                **h.bearer(user))


def test_owner_records_and_verifies_on_the_api_and_it_is_audited(client, clinic) -> None:
    newcomer = h.staff(clinic.venue, [clinic.injections], name="Noor")
    v = clinic.venue.pk
    body = {"staff_id": newcomer.pk, "kind": "registration", "profession": "nurse", "body": "NMC", "number": "99X1"}
    created = _api(client, clinic.owner, "post", f"{v}/credentials", body)
    assert created.status_code == 201 and created.json()["verified"] is False
    verified = _api(client, clinic.owner, "post", f"{v}/credentials/{created.json()['id']}/verify")
    assert verified.status_code == 200 and verified.json()["verified"] is True
    cert = {"staff_id": newcomer.pk, "kind": "training", "treatment": "anti-wrinkle-injections", "body": "Academy",
            "certificate_base64": base64.b64encode(PDF).decode()}
    training = _api(client, clinic.owner, "post", f"{v}/credentials", cert)
    assert training.status_code == 201 and training.json()["has_certificate"]
    row = Credential.objects.get(pk=training.json()["id"])
    assert read_certificate(row) == PDF
    actions = list(AuditEntry.objects.filter(venue=clinic.venue, object_type="credential",
                                             object_id__in=[row.pk, created.json()["id"]]).values_list("action",
                                                                                                         flat=True))
    assert sorted(actions) == ["credential_recorded", "credential_recorded", "credential_verified"]
    listed = _api(client, clinic.owner, "get", f"{v}/credentials").json()
    assert {c["staff_id"] for c in listed} >= {newcomer.pk, clinic.doctor.pk}


@pytest.mark.parametrize(("body", "code"), [
    ({"kind": "registration", "profession": "nurse", "body": "NMC"}, "registration_incomplete"),
    ({"kind": "training"}, "treatment_required"),
    ({"kind": "supervision", "treatment": "anti-wrinkle-injections"}, "supervisor_required"),
    ({"kind": "insurance", "body": "X"}, "expiry_required"),
    ({"kind": "training", "treatment": "anti-wrinkle-injections", "certificate_base64": "bm90IGEgZmlsZQ=="},
     "certificate_type"),
    ({"kind": "training", "treatment": "no-such-thing"}, "unknown_treatment"),
])
def test_incomplete_credentials_are_422(client, clinic, body, code) -> None:
    response = _api(client, clinic.owner, "post", f"{clinic.venue.pk}/credentials",
                    {"staff_id": clinic.therapist.pk, **body})
    assert response.status_code == 422 and response.json()["code"] == code


def test_a_manager_records_but_only_the_owner_verifies(client, clinic) -> None:
    manager = member(clinic.venue, Role.MANAGER)
    body = {"staff_id": clinic.therapist.pk, "kind": "registration", "profession": "nurse", "body": "NMC",
            "number": "1"}
    created = _api(client, manager, "post", f"{clinic.venue.pk}/credentials", body)
    assert created.status_code == 201
    refused = _api(client, manager, "post", f"{clinic.venue.pk}/credentials/{created.json()['id']}/verify")
    assert refused.status_code == 403
    outsider = ph.clinic()
    assert _api(client, outsider.owner, "get", f"{clinic.venue.pk}/credentials").status_code == 404


def test_owner_adds_and_verifies_in_the_workspace_and_the_practitioner_becomes_bookable(client, clinic) -> None:
    client.force_login(clinic.owner)
    url = reverse("partner:credentials", args=[clinic.venue.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Sky" in page.content.decode()
    response = client.post(url, {"staff": clinic.therapist.pk, "kind": "registration", "profession": "nurse",
                                 "body": "NMC", "number": "77B"})
    assert response.status_code == 302
    bad = client.post(url, {"staff": clinic.therapist.pk, "kind": "registration", "profession": "nurse"})
    assert bad.status_code == 400 and "the register" in bad.content.decode()
    added = Credential.objects.get(staff=clinic.therapist, kind=Kind.REGISTRATION)
    slots = {"services": str(clinic.injections.id), "from": "2026-05-05", "to": "2026-05-05",
             "staff": clinic.therapist.id}
    assert client.get(f"/api/v1/venues/{clinic.venue.id}/availability", slots).json()["slots"] == []
    client.post(reverse("partner:credential_verify", args=[clinic.venue.pk, added.pk]))
    assert client.get(f"/api/v1/venues/{clinic.venue.id}/availability", slots).json()["slots"]


def test_the_venue_page_shows_verified_registrations(client, clinic) -> None:
    page = client.get(clinic.venue.get_absolute_url()).content.decode()
    assert "Nurse, NMC registered, verified" in page and "Doctor, GMC registered, verified" in page


def test_the_guide_shows_who_may_give_it_per_country(client, db) -> None:
    load_catalogue()
    page = client.get(reverse("catalog:detail", args=["anti-wrinkle-injections"])).content.decode()
    assert "Who may give it" in page and "France" in page and "strictest known rule" in page
    assert "Not given to anyone under 18" in page
    facial = client.get(reverse("catalog:detail", args=["facial"])).content.decode()
    assert "Who may give it" not in facial


def _booked_then_lapsing(c: ph.Clinic, lapse: dt.date, hour: int, staff=None):  # type: ignore[no-untyped-def]
    """A booking the day after `lapse` with the doctor, made while their registration had no end."""
    customer = h.customer()
    ph.prescribed(c, customer)
    at = dt.datetime.combine(lapse + dt.timedelta(days=1), dt.time(hour), tzinfo=c.venue.tz)
    return booking_actions.book_visit(venue=c.venue, services=[c.injections], start=at, customer=customer,
                                      staff=staff or c.doctor, now=NOW)


def test_expiry_notices_30_and_7_days_ahead_list_the_affected_bookings(clinic, mailoutbox,
                                                                        django_capture_on_commit_callbacks) -> None:
    lapse = NOW.date() + dt.timedelta(days=30)
    _booked_then_lapsing(clinic, lapse, 10)
    Credential.objects.filter(staff=clinic.doctor, kind=Kind.REGISTRATION).update(valid_until=lapse)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_expiry_notices(now=NOW) == 1
        assert send_expiry_notices(now=NOW) == 0  # once
    assert len(mailoutbox) == 1 and "ends in 30 days" in mailoutbox[0].subject
    assert "Anti-wrinkle injections" in mailoutbox[0].body and mailoutbox[0].to == [clinic.owner.email]
    with django_capture_on_commit_callbacks(execute=True):
        assert send_expiry_notices(now=NOW + dt.timedelta(days=23)) == 1
    assert "ends in 7 days" in mailoutbox[1].subject


def test_the_workspace_lists_what_ends_soon_and_what_needs_a_new_practitioner(client, clinic) -> None:
    lapse = NOW.date() + dt.timedelta(days=10)
    _booked_then_lapsing(clinic, lapse, 10)
    Credential.objects.filter(staff=clinic.doctor, kind=Kind.INSURANCE).update(valid_until=lapse)
    client.force_login(clinic.owner)
    page = client.get(reverse("partner:credentials", args=[clinic.venue.pk])).content.decode()
    assert "Ending soon" in page and "in 10 days" in page and "1 booked treatment after that day" in page


def test_a_lapse_flags_bookings_and_tells_the_customer_only_when_nobody_can_take_them(
        clinic, django_capture_on_commit_callbacks) -> None:
    lapse = NOW.date() + dt.timedelta(days=2)
    someone_free = _booked_then_lapsing(clinic, lapse, 10)
    nobody_free = _booked_then_lapsing(clinic, lapse, 14)
    for other in (clinic.nurse, clinic.aesthetic):  # everyone else qualified is busy at 14:00
        _booked_then_lapsing(clinic, lapse, 14, staff=other)
    Credential.objects.filter(staff=clinic.doctor, kind=Kind.REGISTRATION).update(valid_until=lapse)
    mail.outbox.clear()
    later = NOW + dt.timedelta(days=3)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert flag_lapsed(now=later) == 2
        assert flag_lapsed(now=later) == 0  # once
    flags = {r.booking_id: r for r in Reassignment.objects.all()}
    assert set(flags) == {someone_free.pk, nobody_free.pk}
    assert flags[someone_free.pk].someone_free and not flags[someone_free.pk].customer_told
    assert flags[nobody_free.pk].customer_told and not flags[nobody_free.pk].someone_free
    assert [m.to for m in mail.outbox] == [[nobody_free.customer.email]]
    assert "needs a new practitioner" in mail.outbox[0].subject


def test_a_lapse_is_flagged_from_the_venues_midnight_not_utcs(clinic) -> None:
    """00:30 on 7 May in London is 23:30 on 6 May in UTC: a registration valid until 6 May has lapsed there. The
    sweep read UTC's date and flagged the bookings only an hour later (up to 14 hours east of London)."""
    lapse = NOW.date() + dt.timedelta(days=2)
    _booked_then_lapsing(clinic, lapse, 10)
    Credential.objects.filter(staff=clinic.doctor, kind=Kind.REGISTRATION).update(valid_until=lapse)
    just_after_midnight = dt.datetime.combine(lapse + dt.timedelta(days=1), dt.time(0, 30),
                                              tzinfo=clinic.venue.tz).astimezone(dt.UTC)  # as clock.now() gives it
    before_midnight = just_after_midnight - dt.timedelta(hours=1)
    with time_machine.travel(before_midnight, tick=False):
        assert flag_lapsed(now=before_midnight) == 0  # still valid all that day at the venue
    with time_machine.travel(just_after_midnight, tick=False):
        assert flag_lapsed(now=just_after_midnight) == 1


def test_the_operator_verifies_in_the_admin_and_it_is_audited(client, clinic) -> None:
    operator = h.customer()
    operator.is_staff = operator.is_superuser = True
    operator.save()
    row = ph.credential(clinic, clinic.therapist, Kind.REGISTRATION, verify=False, profession="nurse", body="NMC",
                        number="55C")
    client.force_login(operator)
    response = client.post(reverse("admin:practitioners_credential_changelist"),
                           {"action": "verify", "_selected_action": [row.pk]})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.verified and row.verified_role == "operator"
    entry = AuditEntry.objects.get(object_type="credential", object_id=row.pk, action="credential_verified")
    assert entry.actor == operator and entry.actor_role == "operator"


def test_a_flagged_booking_leaves_the_list_once_given_to_someone_qualified(client, clinic) -> None:
    lapse = NOW.date() + dt.timedelta(days=2)
    booking = _booked_then_lapsing(clinic, lapse, 10)
    Credential.objects.filter(staff=clinic.doctor, kind=Kind.REGISTRATION).update(valid_until=lapse)
    later = NOW + dt.timedelta(days=3)
    with time_machine.travel(later, tick=False):
        assert flag_lapsed(now=later) == 1
        client.force_login(clinic.owner)
        url = reverse("partner:credentials", args=[clinic.venue.pk])
        assert "need a new practitioner" in client.get(url).content.decode()
        booking_actions.reschedule_booking(booking=booking, start=booking.start, staff=clinic.nurse, by_venue=True,
                                           now=later)
        assert "need a new practitioner" not in client.get(url).content.decode()
