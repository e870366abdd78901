"""Pamper gift cards: bought by card (a PaymentIntent), the code emailed to the recipient once paid, redeemed
against bookings in part or in full until it expires. The balance never goes below zero, however many people
redeem at once: each redemption is one guarded UPDATE (balance >= amount) and the table has a CHECK."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from pamper.bookings.models import Booking
from pamper.errors import Refusal
from pamper.lib import clock
from pamper.lib.headers import one_line

from . import gateway, queries, rules
from .models import CREDITED_BACK, Entry, GiftCard, GiftRedemption, LedgerEntry

logger = logging.getLogger(__name__)

CURRENCIES = ("GBP", "EUR")
MIN_AMOUNT, MAX_AMOUNT = Decimal(10), Decimal(500)
# How long a card lasts, by the buyer's country: never under 12 months; 5 years in Ireland (Consumer Protection
# (Gift Vouchers) Act 2019), 3 years in Germany (the general limitation period); 24 months elsewhere.
EXPIRY_MONTHS = {"IE": 60, "DE": 36}
DEFAULT_EXPIRY_MONTHS = 24
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def expiry(bought: dt.datetime, country: str) -> dt.datetime:
    """When a card bought at `bought` in `country` expires (whole months later, the same day or the month's last)."""
    months = max(12, EXPIRY_MONTHS.get(country.upper(), DEFAULT_EXPIRY_MONTHS))
    year, month = divmod(bought.month - 1 + months, 12)
    day = bought.day
    while True:
        try:
            return bought.replace(year=bought.year + year, month=month + 1, day=day)
        except ValueError:
            day -= 1


def new_code() -> str:
    groups = ["".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(4)]
    return "-".join(groups)


def normal_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def buy_gift_card(*, amount: str, currency: str, buyer_email: str, recipient_email: str, recipient_name: str = "",
                  message: str = "", country: str = "GB", venue: Any = None, customer: str = "",
                  now: dt.datetime | None = None) -> tuple[GiftCard, str]:
    """A gift card waiting for its payment, and the PaymentIntent's client secret for Stripe.js. With `venue`,
    the card is in the venue's currency and used there only.

    Refusal 422 invalid_amount / invalid_currency, 409 payments_off when Stripe is not configured.
    """
    now = now or clock.now()
    if not gateway.configured():
        raise Refusal(409, "payments_off", _("Gift cards cannot be bought here yet."))
    currency = currency.upper()
    if currency not in CURRENCIES:
        raise Refusal(422, "invalid_currency", _("Gift cards are sold in GBP or EUR."))
    try:
        value = rules.parse_money(amount)
    except ValueError as exc:
        raise Refusal(422, "invalid_amount", _("Give the amount as a number, e.g. 50.")) from exc
    if not MIN_AMOUNT <= value <= MAX_AMOUNT or value != value.quantize(Decimal("0.01")):
        raise Refusal(422, "invalid_amount", _("Choose an amount from 10 to 500."))
    minor = rules.to_minor(value, currency)
    code = new_code()
    intent = gateway.create_payment_intent(amount=minor, currency=currency, customer=customer,
                                           metadata={"gift_card": normal_code(code)}, key=f"pamper-gift-{code}")
    with transaction.atomic():
        card = GiftCard.objects.create(
            code=normal_code(code), venue=venue, currency=currency, initial=minor, balance=minor,
            buyer_email=buyer_email,
            recipient_email=recipient_email, recipient_name=recipient_name[:120], message=message[:300],
            intent_id=intent.id, expires_at=expiry(now, country))
    return card, str(intent.client_secret)


def apply_gift_payment(intent: dict[str, Any], *, now: dt.datetime | None = None) -> GiftCard | None:
    """The gift card's payment succeeded: it becomes usable (once) and the recipient gets the code by email."""
    card = GiftCard.objects.filter(intent_id=intent["id"]).first()
    if card is None or intent["status"] != "succeeded":
        return card
    now = now or clock.now()
    with transaction.atomic():
        fresh = GiftCard.objects.filter(pk=card.pk, paid_at__isnull=True).update(paid_at=now)
        if fresh:
            LedgerEntry.objects.create(kind=Entry.GIFT_SALE, amount=card.initial, currency=card.currency,
                                       stripe_id=intent["id"], gift_card=card)
            transaction.on_commit(lambda: _send_code(card.pk))
    card.refresh_from_db()
    return card


def _send_code(card_id: int) -> None:
    card = GiftCard.objects.select_related("venue").get(pk=card_id)
    context = {"book_url": _venue_url(card), "card": card,
               "code": "-".join(card.code[i:i + 4] for i in range(0, len(card.code), 4)),
               "amount": queries.money(card.initial, card.currency),
               "expires": card.expires_at.date().isoformat()}
    try:
        send_mail(one_line(_("A Pamper gift card for you")), render_to_string("payments/email/gift_card.txt", context),
                  None, [card.recipient_email])
    except OSError:
        logger.exception("could not send gift card %s", card_id)


def _venue_url(card: GiftCard) -> str:
    """The venue's page, as a full address for the email ('' for a Pamper-wide card)."""
    if card.venue is None:
        return ""
    return settings.SITE_URL.rstrip("/") + card.venue.get_absolute_url()


def redeem(*, code: str, amount: int, booking: Booking | None = None, now: dt.datetime | None = None) -> GiftRedemption:
    """Take `amount` minor units off the card with `code` in one guarded UPDATE; the balance never goes negative.

    Refusal 404 unknown_gift_card (also unpaid), 410 gift_card_expired, 409 insufficient_balance / other_venue /
    other_currency (a card pays only in its own currency), 422 invalid_amount.
    """
    now = now or clock.now()
    if amount <= 0:
        raise Refusal(422, "invalid_amount", _("Redeem more than nothing."))
    code = normal_code(code)
    usable = GiftCard.objects.filter(code=code, paid_at__isnull=False, expires_at__gt=now, balance__gte=amount)
    if booking is not None:
        usable = usable.filter(Q(venue__isnull=True) | Q(venue_id=booking.venue_id),
                               currency=booking.venue.currency.upper())
    with transaction.atomic():
        taken = usable.update(balance=F("balance") - amount)
        if not taken:
            raise why_not(code, now, booking)
        card = GiftCard.objects.get(code=code)
        used = GiftRedemption.objects.create(gift_card=card, booking=booking, amount=amount, created_at=now)
        LedgerEntry.objects.create(kind=Entry.GIFT_REDEMPTION, amount=amount, currency=card.currency,
                                   stripe_id=f"gift-redemption-{used.pk}", gift_card=card,
                                   venue_id=booking.venue_id if booking else None,
                                   booking_id=booking.pk if booking else None)
    return used


def why_not(code: str, now: dt.datetime, booking: Booking | None = None) -> Refusal:
    """Why the card with `code` cannot pay now: unknown (or unpaid), for another venue or in another currency,
    expired, or empty."""
    card = GiftCard.objects.select_related("venue").filter(code=code, paid_at__isnull=False).first()
    if card is None:
        return Refusal(404, "unknown_gift_card", _("No gift card has that code."))
    if booking is not None and card.venue_id is not None and card.venue_id != booking.venue_id:
        return Refusal(409, "other_venue", _("This gift card is for %(venue)s only.") % {"venue": card.venue.name})
    if booking is not None and card.currency != booking.venue.currency.upper():
        return Refusal(409, "other_currency", _("This gift card is in %(currency)s: it cannot pay a booking in "
                                                "another currency.") % {"currency": card.currency})
    if card.expires_at <= now:
        return Refusal(410, "gift_card_expired", _("This gift card has expired."))
    return Refusal(409, "insufficient_balance", _("This gift card has %(left)s left.") % {
        "left": queries.money(card.balance, card.currency)}, balance=rules.major_str(card.balance, card.currency))


def used_on(booking_id: int) -> tuple[int, int]:
    """(redeemed, credited back) on booking `booking_id` from its gift cards, both positive minor units."""
    amounts = list(GiftRedemption.objects.filter(booking_id=booking_id).values_list("amount", flat=True))
    return sum(a for a in amounts if a > 0), -sum(a for a in amounts if a < 0)


def credit_back(*, booking: Booking, amount: int, now: dt.datetime | None = None) -> int:
    """Put up to `amount` minor units the booking took from gift cards back on them, latest redemption first;
    each redemption is credited back once at most (its ledger row is keyed by the redemption). Returns the
    amount credited back."""
    now = now or clock.now()
    done = 0
    with transaction.atomic():
        rows = (GiftRedemption.objects.select_for_update(of=("self",)).select_related("gift_card")
                .filter(booking=booking, amount__gt=0))
        for used in rows.order_by("-id"):
            part = min(used.amount, amount - done)
            if part <= 0:
                break
            key = f"gift-credit-{used.pk}"
            if LedgerEntry.objects.filter(kind=Entry.GIFT_REDEMPTION, stripe_id=key).exists():
                continue
            GiftCard.objects.filter(pk=used.gift_card_id).update(balance=F("balance") + part)
            GiftRedemption.objects.create(gift_card=used.gift_card, booking=booking, amount=-part, created_at=now)
            LedgerEntry.objects.create(kind=Entry.GIFT_REDEMPTION, amount=-part, currency=used.gift_card.currency,
                                       stripe_id=key, gift_card=used.gift_card, venue_id=booking.venue_id,
                                       booking_id=booking.pk, reason=CREDITED_BACK)
            done += part
    return done
