"""The customer's rights over their health data: download everything, erase everything.

export_archive() builds a zip: health-record.json (every clinical record at
every venue, decrypted, plus the bookings) and the photos as image files.
erase_health_data() destroys the health records and photo files, cancels
upcoming bookings and anonymises the bookings and the venues' client records,
so the venues keep their takings and diary history with no person attached.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext

from pamper.accounts.models import User
from pamper.bookings.actions import anonymise_bookings, cancel_booking
from pamper.bookings.models import CHANGEABLE, Booking, CancelCause, Status
from pamper.clinical import access, photos, present
from pamper.clinical.models import (
    AccessLog,
    Consent,
    Consultation,
    Course,
    PathwayOverride,
    ProgressPhoto,
    QuestionnaireResponse,
)

README = """Your Pamper health data
=======================

health-record.json holds, for every venue that has treated you or that you
filled a form for: your medical questionnaires and answers, signed consents,
consultations and patch-test results, courses and sessions (with the
practitioner's notes and your check-ins), the list of your progress photos and
the overrides practitioners recorded. It also lists your bookings.

photos/ holds the progress photos themselves, one folder per venue.

Generated {when} (UTC).
"""


def _bookings(user: User) -> list[dict[str, Any]]:
    rows = Booking.objects.filter(customer=user).select_related("venue").prefetch_related("items__service")
    return [
        {"id": b.pk, "venue": b.venue.name, "status": b.status, "start": b.start.isoformat(),
         "end": b.end.isoformat(), "services": [i.service.name for i in b.items.all()],
         "total_price": str(b.total_price), "currency": b.currency, "notes": b.notes}
        for b in rows
    ]


def export_archive(*, user: User, now: dt.datetime) -> bytes:
    """The zip of everything; every client record exported is logged."""
    clients = list(access.customer_clients(user))
    payload = {
        "generated_at": now.isoformat(),
        "account": {"email": user.email, "name": user.get_full_name(), "phone": getattr(user, "phone", "")},
        "venues": [present.client_record(c) for c in clients],
        "bookings": _bookings(user),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README.format(when=now.strftime("%Y-%m-%d %H:%M")))
        archive.writestr("health-record.json", json.dumps(payload, indent=2, ensure_ascii=False))
        for client in clients:
            for photo in client.progress_photos.all():
                try:
                    data = photos.load(photo.storage_name)
                except FileNotFoundError:
                    continue
                name = (f"photos/{client.venue.slug}/{photo.taken_at:%Y-%m-%d}-{photo.pk}-{photo.angle}"
                        f".{photo.extension}")
                archive.writestr(name, data)
            access.log_read(user=user, role=access.CUSTOMER, venue=client.venue, client=client,
                            record_type="export", record_id=client.pk, now=now, action=AccessLog.Action.EXPORT)
    return buffer.getvalue()


def erase_health_data(*, user: User, now: dt.datetime) -> dict[str, int]:
    """Destroy the user's health data and photos, cancel upcoming bookings, anonymise the rest.

    The account itself stays (signing in still works); returns counts of what was removed.
    """
    with transaction.atomic():
        clients = list(access.customer_clients(user).select_for_update())
        names = list(ProgressPhoto.objects.filter(client__in=clients).values_list("storage_name", flat=True))
        counts = {
            "questionnaires": QuestionnaireResponse.objects.filter(client__in=clients).delete()[0],
            "consents": Consent.objects.filter(client__in=clients).delete()[0],
            "consultations": Consultation.objects.filter(client__in=clients).delete()[0],
            "courses": Course.objects.filter(client__in=clients).delete()[0],
            "overrides": PathwayOverride.objects.filter(client__in=clients).delete()[0],
            "photos": ProgressPhoto.objects.filter(client__in=clients).delete()[0],
        }
        counts["bookings_cancelled"] = _cancel_upcoming(user, clients, now)
        counts["bookings_anonymised"] = anonymise_bookings(customer=user, clients=clients)
        for client in clients:
            AccessLog.objects.create(user=None, role=access.CUSTOMER, venue=client.venue, client=None,
                                     record_type="erasure", record_id=client.pk, action=AccessLog.Action.ERASE, at=now)
            with translation.override(client.venue.message_language):  # read by the venue's people
                client.name = gettext("Erased client %(number)s") % {"number": client.pk}
            client.email, client.phone = "", ""
            client.notes, client.user = "", None
            client.save(update_fields=["name", "email", "phone", "notes", "user"])
        AccessLog.objects.filter(client__in=clients).update(client=None)
        transaction.on_commit(lambda: [photos.destroy(n) for n in names])
    return counts


def account_closing(sender: Any, *, user: User, now: dt.datetime, **kwargs: Any) -> None:
    """accounts.hooks.account_closing (connected in ClinicalConfig.ready): the person closes their account, so their
    health data goes exactly as /account/health/erase takes it, inside the closing transaction."""
    erase_health_data(user=user, now=now)


def _cancel_upcoming(user: User, clients: list[Any], now: dt.datetime) -> int:
    """Cancel the upcoming bookings through the booking engine (the venue is told the time is free, search
    refreshed, dependants go with their consultation). Returns how many were cancelled."""
    upcoming = list(Booking.objects.filter(
        Q(customer=user) | Q(client__in=clients), status__in=list(CHANGEABLE), start__gt=now
    ).values_list("pk", flat=True))
    for booking in Booking.objects.filter(pk__in=upcoming).order_by("start", "pk"):
        # not gone with its consultation
        if Booking.objects.filter(pk=booking.pk, status__in=list(CHANGEABLE)).exists():
            cancel_booking(booking=booking, by_venue=True, reason=CancelCause.CUSTOMER_ERASED, now=now)
    return Booking.objects.filter(pk__in=upcoming, status=Status.CANCELLED).count()
