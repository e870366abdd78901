"""The customer's rights over their health data: download everything, erase everything.

health_section() is the health part of the person's export (accounts.export.export_archive): every clinical
record at every venue, decrypted, the photos as image files, and the log of who read them.
erase_health_data() destroys the health records and photo files, cancels
upcoming bookings and anonymises the bookings and the venues' client records,
so the venues keep their takings and diary history with no person attached.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext

from pamper.accounts.actions import rename_in_admin_history
from pamper.accounts.hooks import ExportPart, register_export_section
from pamper.accounts.models import User
from pamper.bookings.actions import cancel_booking
from pamper.bookings.erasure import anonymise_bookings
from pamper.bookings.models import CHANGEABLE, Booking, CancelCause, Status
from pamper.clinical import access, hooks, photos, present
from pamper.clinical.models import (
    AccessLog,
    Consent,
    Consultation,
    Course,
    PathwayOverride,
    ProgressPhoto,
    QuestionnaireResponse,
)


def health_section(*, user: User, now: dt.datetime) -> ExportPart:
    """The health part of the person's export (accounts.export): every clinical record at every venue, decrypted,
    the progress photos as files, and every read of their records (who, when, what); each record exported is
    logged as read."""
    clients = list(access.customer_clients(user))
    files: dict[str, bytes] = {}
    for client in clients:
        for photo in client.progress_photos.all():
            try:
                files[f"photos/{client.venue.slug}/{photo.taken_at:%Y-%m-%d}-{photo.pk}-{photo.angle}"
                      f".{photo.extension}"] = photos.load(photo.storage_name)
            except FileNotFoundError:
                continue
    reads = AccessLog.objects.filter(client__in=clients).select_related("user", "venue").order_by("-at", "-id")
    data = {"venues": [present.client_record(c) for c in clients],
            "access_log": [present.access_entry(r) for r in reads]}
    for client in clients:
        access.log_read(user=user, role=access.CUSTOMER, venue=client.venue, client=client,
                        record_type="export", record_id=client.pk, now=now, action=AccessLog.Action.EXPORT)
    return ExportPart(data, files)


def register_export() -> None:
    """Connected in ClinicalConfig.ready."""
    register_export_section("health", health_section, covers=(
        "clinical.QuestionnaireResponse", "clinical.Consent", "clinical.Consultation", "clinical.PathwayOverride",
        "clinical.Course", "clinical.TreatmentSession", "clinical.ProgressPhoto", "clinical.AccessLog"))


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
        for _, erased in hooks.health_data_erasing.send(sender=User, clients=clients, now=now):
            counts.update(erased or {})  # the apps above that hold health data too (prescriptions)
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
            rename_in_admin_history(client, client.name)
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
