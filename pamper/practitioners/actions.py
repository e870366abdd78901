"""Writes on credentials and prescriptions. Every change goes in the venue's audit log (venues.AuditEntry).

Owners (and managers) record credentials; the venue's owner, or the platform's operator, verifies them. A
training certificate's file is stored encrypted (clinical's keys) through Django's storage API. The expiry
notices and the lapse sweep are in `expiry.py`.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from pamper.accounts.models import Membership, Role, User
from pamper.bookings.models import Booking, BookingItem
from pamper.catalog.models import Treatment
from pamper.clinical import crypto
from pamper.errors import Refusal
from pamper.lib import clock
from pamper.venues.models import AuditEntry, Client, Staff, Venue

from .models import Credential, Kind, Prescription, Profession
from .queries import EMPTY, credentials_of

MAX_CERTIFICATE = 5 * 1024 * 1024
CERTIFICATE_TYPES = {b"%PDF-": "application/pdf", b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
PRESCRIPTION_DAYS = 90  # how long a recorded prescription covers treatments, unless the prescriber says less


def _role(by: User | None, venue_id: int) -> str:
    """'operator' for a platform superuser, else the member's role at the venue ('' for none)."""
    if by is None:
        return ""
    if by.is_superuser:
        return "operator"
    role = Membership.objects.filter(user=by, venue_id=venue_id).values_list("role", flat=True).first()
    return role or ""


def _audit(credential: Credential | Prescription, action: str, by: User | None, role: str, changes: dict[str, Any],
           now: dt.datetime, reason: str = "") -> None:
    AuditEntry.objects.create(venue_id=credential.venue_id, actor=by, actor_role=role or "system", action=action,
                              object_type=type(credential).__name__.lower(), object_id=credential.pk,
                              changes=changes, reason=reason or action.replace("_", " "), at=now)


def _snapshot(c: Credential) -> dict[str, Any]:
    return {"staff": c.staff_id, "kind": c.kind, "profession": c.profession, "body": c.body, "number": c.number,
            "treatment": c.treatment.slug if c.treatment_id else "", "supervisor": c.supervisor_id,
            "valid_until": c.valid_until.isoformat() if c.valid_until else None, "verified": c.verified,
            "certificate": bool(c.certificate_name)}


def _certificate(data: bytes) -> tuple[str, str]:
    """Store an uploaded certificate encrypted; returns (storage name, content type). Refusal 422 otherwise."""
    if len(data) > MAX_CERTIFICATE:
        raise Refusal(422, "certificate_too_large", _("A certificate may be at most 5 MB."), field="certificate")
    kind = next((t for magic, t in CERTIFICATE_TYPES.items() if data.startswith(magic)), None)
    if kind is None:
        raise Refusal(422, "certificate_type", _("Upload the certificate as a PDF, PNG or JPEG file."),
                      field="certificate")
    name = secrets.token_hex(20)
    default_storage.save(f"credentials/{name}.fernet", ContentFile(crypto.encrypt(data)))
    return name, kind


def read_certificate(credential: Credential) -> bytes:
    """The decrypted certificate file (FileNotFoundError when there is none)."""
    if not credential.certificate_name.isalnum():
        raise FileNotFoundError(credential.pk)
    with default_storage.open(f"credentials/{credential.certificate_name}.fernet", "rb") as handle:
        return crypto.decrypt(handle.read())


def _validate(venue: Venue, staff: Staff, fields: dict[str, Any]) -> None:
    kind = fields["kind"]
    if kind not in Kind.values:
        raise Refusal(422, "invalid_kind", _("Choose what kind of credential this is."), field="kind")
    if staff.venue_id != venue.id:
        raise Refusal(404, "unknown_staff", _("No such staff member here."))
    if kind == Kind.REGISTRATION and (fields.get("profession") not in Profession.values or not fields.get("body")
                                      or not fields.get("number")):
        raise Refusal(422, "registration_incomplete",
                      _("A registration needs the profession, the register (e.g. NMC) and the number."),
                      field="number")
    if kind in (Kind.TRAINING, Kind.SUPERVISION) and fields.get("treatment") is None:
        raise Refusal(422, "treatment_required", _("Say which treatment it covers."), field="treatment")
    supervisor = fields.get("supervisor")
    if kind == Kind.SUPERVISION and (supervisor is None or supervisor.venue_id != venue.id or supervisor == staff):
        raise Refusal(422, "supervisor_required",
                      _("Name the registered professional of this venue who supervises."), field="supervisor")
    if kind == Kind.INSURANCE and fields.get("valid_until") is None:
        raise Refusal(422, "expiry_required", _("Give the day the insurance ends."), field="valid_until")


def record_credential(*, venue: Venue, staff: Staff, by: User | None, kind: str, profession: str = "",
                      body: str = "", number: str = "", treatment: Treatment | None = None,
                      supervisor: Staff | None = None, valid_until: dt.date | None = None,
                      certificate: bytes | None = None, now: dt.datetime | None = None) -> Credential:
    """Record one credential of `staff` (unverified). Refusal 403 unless the owner, a manager or the operator;
    422 with the field at fault for what is incomplete."""
    now = now or clock.now()
    role = _role(by, venue.id)
    if role not in ("owner", "manager", "operator"):
        raise Refusal(403, "forbidden", _("Only the venue's owner or a manager records credentials."))
    fields = {"kind": kind, "profession": profession if kind == Kind.REGISTRATION else "",
              "body": body.strip()[:80], "number": number.strip()[:40], "treatment": treatment,
              "supervisor": supervisor if kind == Kind.SUPERVISION else None, "valid_until": valid_until}
    _validate(venue, staff, fields)
    with transaction.atomic():
        credential = Credential(venue=venue, staff=staff, created_at=now, **fields)
        if certificate:
            credential.certificate_name, credential.certificate_type = _certificate(certificate)
        credential.save()
        _audit(credential, "credential_recorded", by, role, {"after": _snapshot(credential)}, now)
    return credential


def verify_credential(*, credential: Credential, by: User | None, now: dt.datetime | None = None) -> Credential:
    """Mark the credential verified (checked against its register). Only the venue's owner or the operator:
    Refusal 403 otherwise. Verifying twice changes nothing."""
    now = now or clock.now()
    role = _role(by, credential.venue_id)
    if role not in (Role.OWNER.value, "operator"):
        raise Refusal(403, "owner_required", _("Only the venue's owner or the platform's operator verifies."))
    if credential.verified_at is not None:
        return credential
    with transaction.atomic():
        credential.verified_at, credential.verified_by, credential.verified_role = now, by, role
        credential.save(update_fields=["verified_at", "verified_by", "verified_role"])
        _audit(credential, "credential_verified", by, role, {"after": _snapshot(credential)}, now)
    return credential


def remove_credential(*, credential: Credential, by: User | None, reason: str = "",
                      now: dt.datetime | None = None) -> None:
    """Delete a credential (its file too). Refusal 403 unless the owner, a manager or the operator; 409 while it
    names a supervisor others rely on is fine: supervisions are the supervised person's own rows."""
    now = now or clock.now()
    role = _role(by, credential.venue_id)
    if role not in ("owner", "manager", "operator"):
        raise Refusal(403, "forbidden", _("Only the venue's owner or a manager removes credentials."))
    with transaction.atomic():
        _audit(credential, "credential_removed", by, role, {"before": _snapshot(credential)}, now, reason)
        name = credential.certificate_name
        credential.delete()
        if name:
            transaction.on_commit(lambda: default_storage.delete(f"credentials/{name}.fernet"))


def record_prescription(*, venue: Venue, client: Client, treatment: Treatment, prescriber: Staff,
                        consultation: Booking, by: User | None, valid_days: int = PRESCRIPTION_DAYS,
                        now: dt.datetime | None = None) -> Prescription:
    """Record a prescription for one client after their consultation with `prescriber`.

    Refusal 422 prescriber_required unless the prescriber holds verified prescribing rights and a
    registration on the day, 422 consultation_required unless `consultation` is this client's visit at the
    venue with a step by the prescriber that has started.
    """
    now = now or clock.now()
    day = now.astimezone(venue.tz).date()
    if prescriber.venue_id != venue.id or client.venue_id != venue.id or consultation.venue_id != venue.id:
        raise Refusal(404, "not_found", _("No such client, staff member or visit here."))
    if not credentials_of(venue.id).get(prescriber.id, EMPTY).is_prescriber_on(day):
        raise Refusal(422, "prescriber_required",
                      _("%(name)s has no verified prescribing rights today.") % {"name": prescriber.name},
                      field="prescriber")
    face_to_face = BookingItem.objects.filter(booking=consultation, staff=prescriber, start__lte=now).exists()
    if consultation.client_id != client.id or not face_to_face:
        raise Refusal(422, "consultation_required",
                      _("The prescriber must have seen the client in a consultation at the venue first."),
                      field="consultation")
    with transaction.atomic():
        row = Prescription.objects.create(
            venue=venue, client=client, treatment=treatment, prescriber=prescriber, consultation=consultation,
            issued_on=day, valid_until=day + dt.timedelta(days=max(1, min(valid_days, 365))), recorded_by=by,
            created_at=now)
        _audit(row, "prescription_recorded", by, _role(by, venue.id),
               {"client": client.id, "treatment": treatment.slug, "prescriber": prescriber.id}, now)
    return row


def audit_admin_change(*, credential: Credential, by: User | None, created: bool = False,
                       now: dt.datetime | None = None) -> None:
    """The operator added or edited a credential in the admin: the venue's audit log says so."""
    _audit(credential, "credential_recorded" if created else "credential_changed", by, "operator",
           {"after": _snapshot(credential)}, now or clock.now())


def erase_prescriptions(sender: object, *, clients: list[Client], **kwargs: object) -> dict[str, int]:
    """clinical.hooks.health_data_erasing: the person erases their health data, so their prescriptions go with
    their questionnaires and consultations (the venue's audit log keeps that one was recorded, by whom, when)."""
    return {"prescriptions": Prescription.objects.filter(client__in=clients).delete()[0]}
