"""Partner API: who may treat. A venue's practitioner credentials, recorded by the owner or a manager and
verified by the owner (the platform's operator verifies in the admin). Mounted inside partner.api's router.

A certificate may come along as base64 (PDF, PNG or JPEG, at most 5 MB); it is stored encrypted.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from pamper.bookings.workspace import Perm, Workspace, api_workspace
from pamper.catalog.models import Treatment
from pamper.errors import Refusal
from pamper.lib.dates import CredentialDate
from pamper.lib.fields import Id, Input
from pamper.practitioners import actions
from pamper.practitioners.models import Credential, Kind, Profession
from pamper.venues.models import Staff

router = Router(tags=["partner"])

P = "/partner/venues/{venue_id}/credentials"


class CredentialOut(Schema):
    id: int
    staff_id: int
    kind: str
    profession: str
    body: str
    number: str
    treatment: str | None
    supervisor_id: int | None
    valid_until: dt.date | None
    verified: bool
    verified_at: dt.datetime | None
    has_certificate: bool


class CredentialIn(Input):
    staff_id: Id
    kind: str = Field(max_length=14, description="One of " + ", ".join(Kind.values) + ".")
    profession: str = Field("", max_length=20, description="For a registration: one of "
                            + ", ".join(Profession.values) + ".")
    body: str = Field("", max_length=80)
    number: str = Field("", max_length=40)
    treatment: str | None = Field(None, max_length=80, description="A catalogue treatment slug.")
    supervisor_id: Id | None = None
    valid_until: CredentialDate | None = Field(None, description="The last day it counts.")
    certificate_base64: str | None = Field(None, max_length=7_000_000)


def credential_out(c: Credential) -> dict[str, Any]:
    return {"id": c.pk, "staff_id": c.staff_id, "kind": c.kind, "profession": c.profession, "body": c.body,
            "number": c.number, "treatment": c.treatment.slug if c.treatment_id else None,
            "supervisor_id": c.supervisor_id, "valid_until": c.valid_until, "verified": c.verified,
            "verified_at": c.verified_at, "has_certificate": bool(c.certificate_name)}


def _rows(ws: Workspace) -> Any:
    return Credential.objects.filter(venue=ws.venue).select_related("treatment").order_by("staff_id", "id")


def _values(ws: Workspace, data: CredentialIn) -> dict[str, Any]:
    staff = Staff.objects.filter(venue=ws.venue)
    certificate = None
    if data.certificate_base64:
        try:
            certificate = base64.b64decode(data.certificate_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise Refusal(422, "certificate_type", _("The certificate is not valid base64."),
                          field="certificate_base64") from exc
    treatment = Treatment.objects.filter(slug=data.treatment).first() if data.treatment else None
    if data.treatment and treatment is None:
        raise Refusal(422, "unknown_treatment", _("No such treatment in the catalogue."), field="treatment")
    supervisor = staff.filter(pk=data.supervisor_id).first() if data.supervisor_id else None
    return {"staff": get_object_or_404(staff, pk=data.staff_id), "kind": data.kind, "profession": data.profession,
            "body": data.body, "number": data.number, "treatment": treatment, "supervisor": supervisor,
            "valid_until": data.valid_until, "certificate": certificate}


@router.get(P, response=list[CredentialOut], summary="The practitioners' credentials (who may treat)")
def list_credentials(request: HttpRequest, venue_id: Id) -> list[dict[str, Any]]:
    return [credential_out(c) for c in _rows(api_workspace(request, venue_id, Perm.SETUP))]


@router.post(P, response={201: CredentialOut}, summary="Record a credential (unverified until the owner verifies)")
def create_credential(request: HttpRequest, venue_id: Id, data: CredentialIn) -> Status:
    ws = api_workspace(request, venue_id, Perm.SETUP)
    credential = actions.record_credential(venue=ws.venue, by=ws.user, **_values(ws, data))
    return Status(201, credential_out(credential))


@router.post(P + "/{credential_id}/verify", response=CredentialOut, summary="Verify a credential (owner only)")
def verify_credential(request: HttpRequest, venue_id: Id, credential_id: Id) -> dict[str, Any]:
    ws = api_workspace(request, venue_id, Perm.SETUP)
    credential = get_object_or_404(_rows(ws), pk=credential_id)
    return credential_out(actions.verify_credential(credential=credential, by=ws.user))


@router.delete(P + "/{credential_id}", response={204: None}, summary="Remove a credential")
def delete_credential(request: HttpRequest, venue_id: Id, credential_id: Id) -> Status:
    ws = api_workspace(request, venue_id, Perm.SETUP)
    actions.remove_credential(credential=get_object_or_404(_rows(ws), pk=credential_id), by=ws.user)
    return Status(204, None)
