"""The waitlist's emails: a time opened and held for the customer until the offer expires, or passed on to the next
person and why."""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from pamper.accounts.models import User
from pamper.lib import formats
from pamper.lib.headers import one_line
from pamper.lib.languages import message_language
from pamper.venues.models import Venue

from .models import Entry, Offer

logger = logging.getLogger(__name__)


def when_label(instant: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    """'Tue 5 May, 10:00 BST': the venue's local time, its zone by abbreviation (no zone id shown to people)."""
    return formats.short_when(instant, zone)


def _mail(customer: User, venue: Venue, write: Callable[[], tuple[str, str]], failure: str) -> bool:
    """Send the customer the (subject, body) that `write` gives, written in their language (else the venue's), not
    whichever was active where the time was handed out. Returns whether it was sent; a failure is logged. Nothing
    goes to an address its account has not confirmed (the offer still shows on their waitlist page)."""
    if not customer.email_confirmed:
        return False
    with translation.override(message_language(customer.language, venue.language, venue.country)):
        subject, body = write()
    try:
        send_mail(one_line(subject), body, None, [customer.email])
    except Exception:
        logger.exception(failure)
        return False
    return True


def send_offer(offer_id: int) -> bool:
    """Email the customer their offer (after the offer's transaction commits). Returns whether it was sent;
    a failure is logged (the offer stays on their waitlist page)."""
    offer = Offer.objects.select_related("entry__customer", "entry__service", "booking__venue").get(pk=offer_id)
    venue = offer.booking.venue

    def write() -> tuple[str, str]:
        when = when_label(offer.start, venue.tz)
        context = {"offer": offer, "venue": venue, "service": offer.entry.service, "name": offer.entry.customer.name,
                   "when": when, "until": when_label(offer.expires_at, venue.tz),
                   "link": settings.SITE_URL + reverse("waitlist:offer", args=[offer.pk])}
        return (_("A time opened at %(venue)s: %(when)s") % {"venue": venue.name, "when": when},
                render_to_string("waitlist/offer_email.txt", context))

    return _mail(offer.entry.customer, venue, write, f"could not send waitlist offer {offer_id}")


def send_held_back(entry_id: int, start: dt.datetime) -> bool:
    """Email the customer that the time opened at `start` went to the next person because they already keep too
    many visits waiting to confirm or pay (entry.held_back), in their language. Returns whether it was sent; a
    failure is logged (their waitlist page says it too)."""
    entry = Entry.objects.select_related("customer", "service", "venue").get(pk=entry_id)
    venue = entry.venue

    def write() -> tuple[str, str]:
        context = {"venue": venue, "service": entry.service, "name": entry.customer.name,
                   "when": when_label(start, venue.tz), "link": settings.SITE_URL + reverse("waitlist:mine")}
        return (_("A time opened at %(venue)s, but we could not hold it for you") % {"venue": venue.name},
                render_to_string("waitlist/held_back_email.txt", context))

    return _mail(entry.customer, venue, write, f"could not tell waitlist entry {entry_id} why it was passed over")
