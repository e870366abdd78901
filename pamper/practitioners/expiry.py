"""Credentials running out: the owner is told 30 and 7 days ahead (email; the workspace shows the same list),
with the future bookings each affects; once one lapses, those bookings are flagged for reassignment, and the
customer is told only when nobody qualified is free to take their visit.

Both sweeps are idempotent (a notice is keyed by the valid_until it was about), so the scheduler may run
them every minute. `now` is passed in; the day is each venue's local day.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pamper.accounts.models import Membership, Role
from pamper.bookings import availability as av
from pamper.bookings.localtime import to_minute, to_minute_ceil
from pamper.bookings.models import Booking, BookingItem
from pamper.bookings.schedule import load_schedule, spec_of
from pamper.lib import formats
from pamper.lib.clock import for_any_reader, format_local
from pamper.lib.headers import one_line
from pamper.lib.languages import message_language

from .models import Credential, Reassignment
from .queries import affected_items

logger = logging.getLogger(__name__)
NOTICE_DAYS = (30, 7)


def _today(credential: Credential, now: dt.datetime) -> dt.date:
    return now.astimezone(credential.venue.tz).date()


def _tell_owner(credential: Credential, days: int, items: list[BookingItem]) -> None:
    """Email each owner of the venue in their own language (else the venue's), the visits at the venue's time."""
    venue = credential.venue
    link = settings.SITE_URL + reverse("partner:credentials", args=[venue.pk])
    owners = Membership.objects.filter(venue_id=venue.pk, role=Role.OWNER).values_list("user__email", "user__language")
    for email, language in owners:
        with translation.override(message_language(language, venue.language, venue.country)), for_any_reader():
            rows = [(format_local(i.start, venue.tz), i) for i in items]
            context = {"credential": credential, "venue": venue, "days": days, "rows": rows, "link": link,
                       "until": formats.day(credential.valid_until, "long")}
            subject = ngettext("%(name)s: %(what)s ends in %(days)s day", "%(name)s: %(what)s ends in %(days)s days",
                               days) % {"name": credential.staff.name, "what": credential.get_kind_display(),
                                        "days": days}
            send_mail(one_line(subject), render_to_string("practitioners/expiry_email.txt", context), None, [email])


def send_expiry_notices(*, now: dt.datetime) -> int:
    """Email the owners of each verified credential ending in 30 or 7 days (once each). Returns how many."""
    horizon = now.date() + dt.timedelta(days=max(NOTICE_DAYS) + 1)
    rows = (Credential.objects.filter(verified_at__isnull=False, valid_until__isnull=False,
                                      valid_until__gte=now.date() - dt.timedelta(days=1), valid_until__lte=horizon)
            .select_related("venue", "staff"))
    sent = 0
    for credential in rows:
        left = (credential.valid_until - _today(credential, now)).days
        for days, field in ((30, "notified_30"), (7, "notified_7")):
            if 0 <= left <= days and getattr(credential, field) != credential.valid_until and (
                    days == 7 or left > 7):
                items = affected_items(credential.staff, credential.valid_until)
                setattr(credential, field, credential.valid_until)
                credential.save(update_fields=[field])
                transaction.on_commit(lambda c=credential, d=left, i=items: _tell_owner(c, d, i))
                sent += 1
                break
    return sent


def _someone_free(booking: Booking, now: dt.datetime) -> bool:
    """True when someone qualified (the lapsed practitioner no longer is) could take the visit at its time."""
    items = list(booking.items.select_related("service").order_by("position"))
    day = booking.start.astimezone(booking.venue.tz).date()
    services = [i.service for i in items]
    schedule = load_schedule(booking.venue, {s.id for s in services}, day, day, now)
    for item in items:  # the visit's own items must not block its new practitioner
        spans = schedule.booked.get(item.staff_id, [])
        own = (to_minute(item.busy_start), to_minute_ceil(item.busy_end))
        if own in spans:
            spans.remove(own)
    return av.assign_at(schedule, [spec_of(s) for s in services], to_minute(booking.start)) is not None


def _tell_customer(reassignment_id: int) -> None:
    row = Reassignment.objects.select_related("booking__venue", "booking__customer").get(pk=reassignment_id)
    booking, venue = row.booking, row.booking.venue
    email = booking.customer.email if booking.customer else booking.client.email
    if not email:
        return
    language = booking.customer.language if booking.customer else None
    with translation.override(message_language(language, venue.language, venue.country)):
        context = {"booking": booking, "venue": venue, "when": formats.short_when(booking.start, venue.tz)}
        subject = _("Your visit to %(venue)s needs a new practitioner") % {"venue": venue.name}
        send_mail(one_line(subject), render_to_string("practitioners/reassign_email.txt", context), None, [email])


def flag_lapsed(*, now: dt.datetime) -> int:
    """Flag the future bookings of each verified credential that has just lapsed (once per valid_until).

    A booking is flagged only when its practitioner is no longer qualified for it (another credential may
    still cover them). Returns how many bookings were flagged.
    """
    flagged = 0
    # The venue's own date decides (below); east of UTC it is already tomorrow while UTC's is today, so the query
    # keeps what ended on UTC's date too.
    rows = (Credential.objects.filter(verified_at__isnull=False, valid_until__lte=now.date())
            .exclude(lapse_handled=F("valid_until")).select_related("venue", "staff"))
    for credential in rows:
        if credential.valid_until >= _today(credential, now):
            continue
        with transaction.atomic():
            for item in affected_items(credential.staff, credential.valid_until):
                flagged += _flag(item, credential, now)
            credential.lapse_handled = credential.valid_until
            credential.save(update_fields=["lapse_handled"])
    return flagged


def _flag(item: BookingItem, credential: Credential, now: dt.datetime) -> int:
    booking = item.booking
    day = booking.start.astimezone(booking.venue.tz).date()
    schedule = load_schedule(booking.venue, {item.service_id}, day, day, now)
    spans = schedule.qualified.get(item.service_id, {}).get(item.staff_id, [])
    if any(a <= to_minute(item.start) < b for a, b in spans):
        return 0  # still qualified through another credential
    free = _someone_free(booking, now)
    row, created = Reassignment.objects.get_or_create(
        booking=booking, staff=credential.staff,
        defaults={"venue": booking.venue, "credential_kind": credential.kind, "someone_free": free,
                  "customer_told": not free, "created_at": now})
    if created and not free:
        transaction.on_commit(lambda: _tell_customer(row.pk))
    return int(created)
