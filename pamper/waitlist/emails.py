"""The offer email: a time opened, held for the customer until the offer expires."""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from pamper.lib import formats
from pamper.lib.headers import one_line
from pamper.lib.languages import message_language

from .models import Entry, Offer

logger = logging.getLogger(__name__)


def when_label(instant: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    """'Tue 5 May, 10:00 BST': the venue's local time, its zone by abbreviation (no zone id shown to people)."""
    return formats.short_when(instant, zone)


def send_offer(offer_id: int) -> bool:
    """Email the customer their offer (after the offer's transaction commits). Returns whether it was sent;
    a failure is logged (the offer stays on their waitlist page)."""
    offer = Offer.objects.select_related("entry__customer", "entry__service", "booking__venue").get(pk=offer_id)
    venue, customer = offer.booking.venue, offer.entry.customer
    # In the customer's language (else the venue's), not whichever was active where the time was handed out.
    with translation.override(message_language(customer.language, venue.language, venue.country)):
        context = {
            "offer": offer, "venue": venue, "service": offer.entry.service, "name": customer.name,
            "when": when_label(offer.start, venue.tz), "until": when_label(offer.expires_at, venue.tz),
            "link": settings.SITE_URL + reverse("waitlist:offer", args=[offer.pk]),
        }
        subject = one_line(_("A time opened at %(venue)s: %(when)s") % {"venue": venue.name, "when": context["when"]})
        body = render_to_string("waitlist/offer_email.txt", context)
    try:
        send_mail(subject, body, None, [customer.email])
    except Exception:
        logger.exception("could not send waitlist offer %s", offer_id)
        return False
    return True


def send_held_back(entry_id: int, start: dt.datetime) -> bool:
    """Email the customer that the time opened at `start` went to the next person because they already keep too
    many visits waiting to confirm or pay (entry.held_back), in their language. Returns whether it was sent; a
    failure is logged (their waitlist page says it too)."""
    entry = Entry.objects.select_related("customer", "service", "venue").get(pk=entry_id)
    venue, customer = entry.venue, entry.customer
    with translation.override(message_language(customer.language, venue.language, venue.country)):
        context = {"venue": venue, "service": entry.service, "name": customer.name,
                   "when": when_label(start, venue.tz), "link": settings.SITE_URL + reverse("waitlist:mine")}
        subject = one_line(_("A time opened at %(venue)s, but we could not hold it for you") % {"venue": venue.name})
        body = render_to_string("waitlist/held_back_email.txt", context)
    try:
        send_mail(subject, body, None, [customer.email])
    except Exception:
        logger.exception("could not tell waitlist entry %s why it was passed over", entry_id)
        return False
    return True
