"""The person's copy of everything Pamper holds about them (data portability): one zip.

`export_archive` asks every section registered through `hooks.register_export_section` (each app that keeps
something about a person writes its own, so accounts imports none of them) and writes README.txt,
pamper-data.json (one key per section) and the files the sections add (progress photos). The account's own
section is here. Secrets stay out everywhere: no password hash, token hash, two-factor key or gift-card code.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

from django.http import HttpResponse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import hooks
from .hooks import iso
from .models import Invitation, User

README = """Your Pamper data
================

pamper-data.json holds everything Pamper keeps about you, one part per kind:
account (your details, venue roles, API tokens and two-factor devices by name,
invitations), venues (your client record at each venue, favourites, staff
profiles), bookings, health (questionnaires and answers, consents,
consultations and patch tests, courses and sessions, photos listed, overrides,
and the log of who read your health records), payments (payments, refunds,
fees, gift cards bought and received), reviews (with the venues' replies),
notifications (email settings, calendar feeds, emails sent to you), waitlist
and practitioners (prescriptions; credentials if you work at a venue).

Secrets are left out: passwords, tokens, two-factor keys and gift-card codes
(only their last characters are shown).

photos/ holds your progress photos, one folder per venue.

Generated {when} (UTC).
"""


def export_archive(*, user: User, now: dt.datetime) -> bytes:
    """The zip of everything Pamper holds about `user`; ImproperlyConfigured when a required section is missing.

    Sections that log what they read (health records) do so as they are collected.
    """
    sections = hooks.export_sections()
    payload: dict[str, Any] = {"generated_at": now.isoformat()}
    files: dict[str, bytes] = {}
    for section in sections:
        part = section.collect(user=user, now=now)
        payload[section.name] = part.data
        files.update(part.files)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README.format(when=now.strftime("%Y-%m-%d %H:%M")))
        archive.writestr("pamper-data.json", json.dumps(payload, indent=2, ensure_ascii=False, default=str))
        for name, data in sorted(files.items()):
            archive.writestr(name, data)
    return buffer.getvalue()


def archive_response(data: bytes) -> HttpResponse:
    """The archive as a download, never kept by a cache on the way."""
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="pamper-data.zip"'
    response["Cache-Control"] = "private, no-store"
    return response



def account_section(*, user: User, now: dt.datetime) -> hooks.ExportPart:
    """The account itself: details, venue roles, API tokens and two-factor devices (names only), invitations."""
    return hooks.ExportPart({
        "email": user.email, "email_confirmed": user.email_confirmed, "name": user.name, "phone": user.phone,
        "language": user.language,
        "joined": iso(user.date_joined), "last_sign_in": iso(user.last_login), "active": user.is_active,
        "closed_at": iso(user.closed_at),
        "memberships": [{"venue": m.venue.name, "role": m.role, "since": iso(m.created_at)}
                        for m in user.memberships.select_related("venue").order_by("created_at", "pk")],
        "api_tokens": [{"name": t.name, "starts": t.prefix, "created": iso(t.created_at),
                        "last_used": iso(t.last_used_at), "revoked": iso(t.revoked_at),
                        "two_factor": t.two_factor}
                       for t in user.api_tokens.order_by("created_at", "pk")],
        "two_factor_devices": [{"kind": kind, "name": d.name, "confirmed": d.confirmed}
                               for kind, model in (("authenticator", TOTPDevice), ("recovery_codes", StaticDevice))
                               for d in model.objects.filter(user=user).order_by("pk")],
        "invitations": _invitations(user),
    })


def _invitations(user: User) -> list[dict[str, Any]]:
    """Invitations to join a venue sent to the person's address or accepted by them, and those they sent."""
    received = Invitation.objects.filter(email__iexact=user.email) | Invitation.objects.filter(accepted_by=user)
    rows = [{"direction": "received", "venue": i.venue.name, "role": i.role, "sent": iso(i.created_at),
             "accepted": iso(i.accepted_at), "revoked": iso(i.revoked_at)}
            for i in received.select_related("venue").distinct().order_by("created_at", "pk")]
    rows += [{"direction": "sent", "venue": i.venue.name, "to": i.email, "role": i.role, "sent": iso(i.created_at),
              "accepted": iso(i.accepted_at), "revoked": iso(i.revoked_at)}
             for i in Invitation.objects.filter(invited_by=user).select_related("venue").order_by("created_at", "pk")]
    return rows


def register() -> None:
    """Connected in AccountsConfig.ready."""
    hooks.register_export_section(
        "account", account_section,
        covers=("accounts.User", "accounts.Membership", "accounts.ApiToken", "accounts.Invitation",
                "otp_totp.TOTPDevice", "otp_static.StaticDevice"),
        leaves_out=(hooks.left_out(
            "admin.LogEntry",
            "The platform operators' own history of edits made in the Django admin; it records their "
            "work, not anything kept about a customer."),),
    )
