"""Practitioners' section of the person's export (accounts.hooks.register_export_section, connected in
PractitionersConfig.ready): the prescriptions written for them, and, for someone who works at a venue, the
credentials kept on their staff profiles (the certificate file itself stays with the venue)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pamper.accounts import hooks
from pamper.accounts.hooks import iso

from .models import Credential, Prescription


def section(*, user: Any, now: dt.datetime) -> hooks.ExportPart:
    prescriptions = (Prescription.objects.filter(client__user=user).select_related("venue", "treatment", "prescriber")
                     .order_by("issued_on", "pk"))
    credentials = (Credential.objects.filter(staff__user=user).select_related("venue", "treatment")
                   .order_by("created_at", "pk"))
    return hooks.ExportPart({
        "prescriptions": [{"venue": p.venue.name, "treatment": p.treatment.name, "prescriber": p.prescriber.name,
                           "consultation_booking_id": p.consultation_id, "issued_on": iso(p.issued_on),
                           "valid_until": iso(p.valid_until)} for p in prescriptions],
        "credentials": [{"venue": c.venue.name, "kind": c.kind, "profession": c.profession, "body": c.body,
                         "number": c.number, "treatment": c.treatment.name if c.treatment else None,
                         "valid_until": iso(c.valid_until),
                         "verified_at": iso(c.verified_at)}
                        for c in credentials],
    })


def register() -> None:
    hooks.register_export_section(
        "practitioners", section, covers=("practitioners.Prescription", "practitioners.Credential"),
        leaves_out=(hooks.left_out(
            "practitioners.Reassignment",
            "A venue's to-do note that a booking needs another practitioner; the booking itself is "
            "exported."),),
    )
