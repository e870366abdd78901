"""Writes of payments: start a booking's payment, apply what Stripe reports, refund, charge a fee.

Stripe is called outside database transactions (a slow answer never holds a
lock) and with idempotency keys built from Pamper's ids. What Stripe reports
is applied idempotently: the ledger has one row per (kind, Stripe object), and
a payment's state only moves forward (a late "failed" never undoes "paid").
Booking status is written by bookings only (`bookings.paying`).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from pamper.accounts.models import User
from pamper.bookings import paying
from pamper.bookings.models import Booking, Status
from pamper.errors import Refusal, invalid_fields
from pamper.lib import clock
from pamper.lib.headers import one_line

from . import gateway, gifts, queries, rules
from .models import (
    PAID_AFTER_EXPIRY,
    BookingPayment,
    Entry,
    GiftCard,
    GiftRedemption,
    LedgerEntry,
    PaymentPolicy,
    PaymentState,
    StripeCustomer,
)

logger = logging.getLogger(__name__)

FINAL = {PaymentState.SUCCEEDED, PaymentState.CARD_SAVED, PaymentState.REFUNDED}


def customer_for(user: User) -> str:
    """The user's Stripe customer id, made on first use (idempotent by the user's id)."""
    found = StripeCustomer.objects.filter(user=user).values_list("customer_id", flat=True).first()
    if found:
        return found
    made = gateway.create_customer(email=user.email, name=user.name or user.email, key=f"pamper-customer-{user.pk}")
    try:
        with transaction.atomic():
            StripeCustomer.objects.create(user=user, customer_id=made)
    except IntegrityError:  # made at the same moment by another request: same idempotency key, same customer
        pass
    return made


def forget_cards(*, user: User) -> int:
    """The person closes their account: the cards they kept with Stripe are detached there (and the Stripe customer
    deleted), and this site forgets the customer and every kept card's reference on their bookings' payments, so
    nothing can be charged to them any more (the amounts, states and ledger stay: they are the venues' accounts).
    Returns how many cards Stripe detached. Refusal 502 when Stripe does not answer (the caller's transaction then
    rolls back)."""
    with transaction.atomic():
        found = StripeCustomer.objects.select_for_update().filter(user=user).first()
        if found is None:
            return 0
        BookingPayment.objects.filter(customer_id=found.customer_id).exclude(payment_method_id="").update(
            payment_method_id="")
        found.delete()
        return gateway.forget_customer(found.customer_id) if gateway.configured() else 0


def start_booking_payment(*, booking: Booking, now: dt.datetime | None = None) -> dict[str, Any]:
    """Copy the terms onto the booking and create its PaymentIntent (deposit, prepayment) or SetupIntent (card
    on file). Returns the API's `payment` object. Calling it again returns the same intent."""
    now = now or clock.now()
    items = [i.service for i in booking.items.select_related("service").order_by("position")]
    q = queries.quote_for(booking.venue, items)
    if q is None or not q.needs_stripe:
        raise Refusal(409, "no_payment_needed", _("This visit is paid at the venue."))
    payment, _made = BookingPayment.objects.get_or_create(booking=booking, defaults={
        "venue": booking.venue, "kind": q.kind, "currency": q.currency, "price": q.price, "due_now": q.due_now,
        "late_cancel_fee": q.late_cancel_fee, "no_show_fee": q.no_show_fee,
        "free_cancel_hours": q.free_cancel_hours, "accepted_at": now})
    customer = customer_for(booking.customer) if booking.customer else ""
    metadata = {"booking": str(booking.pk), "venue": str(booking.venue_id)}
    key = f"pamper-booking-{booking.pk}-{payment.kind}"
    if payment.kind == rules.CARD_ON_FILE:
        intent = gateway.create_setup_intent(customer=customer, metadata=metadata, key=key)
    else:
        intent = gateway.create_payment_intent(amount=payment.due_now, currency=payment.currency, customer=customer,
                                               metadata=metadata, key=key)
    BookingPayment.objects.filter(pk=payment.pk).update(intent_id=intent.id, customer_id=customer)
    return {"provider": "stripe", "intent_id": intent.id, "client_secret": intent.client_secret,
            "amount": rules.major_str(payment.due_now, payment.currency), "currency": payment.currency,
            "kind": payment.kind, "publishable_key": settings.STRIPE_PUBLISHABLE_KEY}


def _set_state(payment: BookingPayment, state: str, **fields: Any) -> bool:
    """Move the payment to `state` unless it already reached a final one. Returns whether it moved."""
    if payment.state in FINAL and state != PaymentState.REFUNDED:
        return False
    BookingPayment.objects.filter(pk=payment.pk).update(state=state, **fields)
    payment.state = state
    return True


def _ledger(**values: Any) -> bool:
    """Append one ledger row; False when Stripe's object is already in (a replayed event)."""
    try:
        with transaction.atomic():
            LedgerEntry.objects.create(**values)
    except IntegrityError:
        return False
    return True


def apply_payment_intent(intent: Any, *, now: dt.datetime | None = None) -> BookingPayment | None:
    """Apply a PaymentIntent's status as Stripe reports it (webhook, or the page after Stripe.js).

    Succeeded: the charge goes in the ledger once and the booking is confirmed; when its hold had run out,
    the payment is refunded at once and the customer told. Failed or needing action: noted, the hold stays
    until it runs out. Returns the booking's payment (None for an intent Pamper does not know).
    """
    now = now or clock.now()
    intent = gateway.plain(intent)
    payment = BookingPayment.objects.select_related("booking").filter(intent_id=intent["id"]).first()
    if payment is None:
        gifts.apply_gift_payment(intent, now=now)  # a gift card bought, or an intent Pamper does not know
        return None
    status = intent["status"]
    if status == "succeeded":
        _ledger(kind=Entry.CHARGE, amount=int(intent["amount"]), currency=payment.currency, stripe_id=intent["id"],
                venue_id=payment.venue_id, booking_id=payment.booking_id)
        method = str(intent.get("payment_method") or "")
        _set_state(payment, PaymentState.SUCCEEDED, payment_method_id=method, **_card(method))
        booking = paying.confirm_payment(booking_id=payment.booking_id, now=now)
        if booking.status in (Status.EXPIRED, Status.CANCELLED):
            _refund_late(payment, booking)
    elif status == "requires_action":
        _set_state(payment, PaymentState.ACTION)
    elif status == "requires_payment_method" and intent.get("last_payment_error"):
        _set_state(payment, PaymentState.FAILED)
    elif status == "canceled":
        _set_state(payment, PaymentState.CANCELED)
    return payment


def apply_setup_intent(intent: Any, *, now: dt.datetime | None = None) -> BookingPayment | None:
    """A card kept on file (SetupIntent succeeded): the booking is confirmed; the card's brand and last four kept."""
    intent = gateway.plain(intent)
    payment = BookingPayment.objects.filter(intent_id=intent["id"]).first()
    if payment is None or intent["status"] != "succeeded":
        return payment
    method = str(intent.get("payment_method") or "")
    _set_state(payment, PaymentState.CARD_SAVED, payment_method_id=method, **_card(method))
    booking = paying.confirm_payment(booking_id=payment.booking_id, now=now or clock.now())
    if booking.status in (Status.EXPIRED, Status.CANCELLED):
        _set_state(payment, PaymentState.CANCELED)
    return payment


def _card(method: str) -> dict[str, str]:
    if not method:
        return {}
    brand, last4 = gateway.card_of(method)
    return {"card_brand": brand[:20], "card_last4": last4[:4]}


def record_refund(*, refund: Any, payment: BookingPayment, reason: str = "", actor: User | None = None) -> bool:
    """One refund Stripe made, in the ledger once (from our call or from charge.refunded)."""
    refund = gateway.plain(refund)
    return _ledger(kind=Entry.REFUND, amount=-int(refund["amount"]), currency=payment.currency,
                   stripe_id=refund["id"], venue_id=payment.venue_id, booking_id=payment.booking_id,
                   reason=reason[:300], actor=actor)


def refund_card(*, payment: BookingPayment, amount: int, key: str, reason: str, actor: User | None = None) -> int:
    """Give back `amount` minor units of what the booking paid by card, each refund in the ledger. The money may
    sit on more than one PaymentIntent (the deposit, then a fee charged off-session on an intent of its own): the
    newest gives back first, each at most what Stripe still holds of it. Returns the amount refunded."""
    intents = queries.charged_intents(payment.booking_id)
    left = amount
    for intent_id, took in intents:
        held = took if len(intents) == 1 else took - gateway.refunded_of(intent_id)  # one intent: the ledger says
        part = min(left, held)
        if part > 0:
            made = gateway.refund(intent_id=intent_id, amount=part, metadata={"booking": str(payment.booking_id)},
                                  key=f"{key}-{intent_id}")
            record_refund(refund=made, payment=payment, reason=reason, actor=actor)
            left -= part
    return amount - left


def _refund_late(payment: BookingPayment, booking: Booking) -> None:
    """The payment came after the slot was let go: refund all of it at once and tell the customer."""
    paid, refunded = queries.paid_and_refunded(payment.booking_id)
    amount = rules.refundable(paid, refunded)
    if amount <= 0:
        return
    refund_card(payment=payment, amount=amount, key=f"pamper-late-{payment.intent_id}", reason=PAID_AFTER_EXPIRY)
    _set_state(payment, PaymentState.REFUNDED)
    transaction.on_commit(lambda: _tell_late_refund(booking.pk, amount, payment.currency))


def _tell_late_refund(booking_id: int, amount: int, currency: str) -> None:
    booking = Booking.objects.select_related("venue", "customer").get(pk=booking_id)
    if booking.customer is None or not booking.customer.email_confirmed:  # the booking page says it too
        return
    with clock.for_any_reader():  # an email: the time names its zone
        when = clock.format_local(booking.start, booking.venue.tz)
    context = {"booking": booking, "amount": queries.money(amount, currency), "when": when}
    try:
        send_mail(one_line(_("Your payment to %(venue)s was refunded") % {"venue": booking.venue.name}),
                  render_to_string("payments/email/late_refund.txt", context), None, [booking.customer.email])
    except OSError:
        logger.exception("could not tell booking %s's customer about the late refund", booking_id)


# --- the payment page (Stripe.js collects the card; the server confirms) ----------------------------------------


def _payment_of(booking: Booking) -> BookingPayment:
    payment = BookingPayment.objects.filter(booking=booking).first()
    if payment is None or not payment.intent_id:
        raise Refusal(409, "no_payment", _("This booking has no payment to make."))
    return payment


def card_setup_secret(*, booking: Booking, attempt: int = 0) -> str:
    """The client secret of the SetupIntent Stripe.js gives the card to: the booking's own (card on file), or a
    fresh one per attempt for a deposit or prepayment (a declined card cancels its SetupIntent)."""
    payment = _payment_of(booking)
    if payment.kind == rules.CARD_ON_FILE:
        return str(gateway.retrieve_setup_intent(payment.intent_id).client_secret)
    metadata = {"booking": str(booking.pk), "for": payment.intent_id}
    made = gateway.create_setup_intent(customer=payment.customer_id, metadata=metadata,
                                       key=f"pamper-card-{booking.pk}-{attempt}")
    return str(made.client_secret)


def use_card(*, booking: Booking, setup_intent_id: str, now: dt.datetime | None = None) -> dict[str, Any]:
    """The card Stripe.js kept (a succeeded SetupIntent of this booking) pays the booking's PaymentIntent on the
    server, or is the card on file. Returns {"state", "client_secret"} (the secret when 3-D Secure must run)."""
    payment = _payment_of(booking)
    seti = gateway.plain(gateway.retrieve_setup_intent(setup_intent_id))
    if (seti.get("metadata") or {}).get("booking") != str(booking.pk) or seti["status"] != "succeeded":
        raise Refusal(422, "card_not_ready", _("The card was not accepted. Please enter it again."))
    if payment.kind == rules.CARD_ON_FILE:
        apply_setup_intent(seti, now=now)
        payment.refresh_from_db()
        return {"state": payment.state, "client_secret": ""}
    intent = gateway.plain(gateway.pay_with_method(
        intent_id=payment.intent_id, payment_method=str(seti["payment_method"]),
        key=f"pamper-pay-{payment.intent_id}-{setup_intent_id}"))
    apply_payment_intent(intent, now=now)
    secret = str(intent["client_secret"]) if intent["status"] == "requires_action" else ""
    return {"state": intent["status"], "client_secret": secret}


def refresh_payment(*, booking: Booking, now: dt.datetime | None = None) -> str:
    """Ask Stripe how the booking's payment stands and apply it (after Stripe.js's 3-D Secure step; the webhook
    brings the same news, whichever comes first). Returns the PaymentIntent's status."""
    payment = _payment_of(booking)
    if payment.kind == rules.CARD_ON_FILE:
        seti = gateway.retrieve_setup_intent(payment.intent_id)
        apply_setup_intent(seti, now=now)
        return str(seti["status"])
    intent = gateway.retrieve_payment_intent(payment.intent_id)
    apply_payment_intent(intent, now=now)
    return str(intent["status"])


# --- the venue's side: refunds, fees, the policy ----------------------------------------------------------------------


def _paid_payment(booking: Booking) -> BookingPayment:
    payment = BookingPayment.objects.select_related("booking").filter(booking=booking).first()
    if payment is None:
        raise Refusal(409, "no_payment", _("Nothing was paid online for this booking."))
    return payment


def refund_by_venue(*, booking: Booking, amount: int, reason: str, actor: User) -> int:
    """The venue refunds `amount` minor units of what the booking paid, with a reason (logged in the ledger).

    Refusal 422 reason_required / invalid_amount (more than is left to refund), 409 no_payment.
    """
    reason = reason.strip()[:300]
    if not reason:
        raise Refusal(422, "reason_required", _("Say why you refund: the client will read it."))
    payment = _paid_payment(booking)
    if amount <= 0:
        raise Refusal(422, "invalid_amount", _("Give an amount above zero."))
    paid, refunded = queries.paid_and_refunded(booking.pk)
    try:
        rules.clamp_refund(amount, paid=paid, refunded=refunded)
    except ValueError as exc:
        left = queries.money(rules.refundable(paid, refunded), payment.currency)
        raise Refusal(422, "invalid_amount", _("You can refund at most %(left)s.") % {"left": left}) from exc
    done = refund_card(payment=payment, amount=amount, key=f"pamper-venue-refund-{booking.pk}-{refunded}-{amount}",
                       reason=reason, actor=actor)
    if refunded + done >= paid:
        _set_state(payment, PaymentState.REFUNDED)
    return done


def set_policy(*, venue: Any, values: dict[str, Any], service: Any = None) -> PaymentPolicy:
    """Set the venue's policy (or one service's override) to `values` (PaymentPolicy fields). Refusal 422 invalid
    (PaymentPolicy.clean: a fixed amount with more decimals than the venue's currency), nothing changed."""
    try:
        PaymentPolicy(venue=venue, service=service, **values).clean()
    except ValidationError as exc:
        raise invalid_fields(exc.message_dict) from exc
    with transaction.atomic():
        policy, _made = PaymentPolicy.objects.update_or_create(venue=venue, service=service, defaults=values)
    return policy


def pay_with_gift_card(*, booking: Booking, code: str, now: dt.datetime | None = None) -> dict[str, Any]:
    """A gift card pays what a booking asks now, in full (the booking is confirmed, the card charge dropped) or
    in part (the card is then asked for the rest). Refusal as gifts.redeem, 409 nothing_to_pay."""
    now = now or clock.now()
    payment = _payment_of(booking)
    if booking.status != Status.PENDING_PAYMENT or payment.kind == rules.CARD_ON_FILE or payment.state in FINAL:
        raise Refusal(409, "nothing_to_pay", _("This booking has nothing left to pay now."))
    used = sum(GiftRedemption.objects.filter(booking=booking).values_list("amount", flat=True))
    left = payment.due_now - used
    card = GiftCard.objects.filter(code=gifts.normal_code(code), paid_at__isnull=False, expires_at__gt=now).first()
    usable = card is not None and card.venue_id in (None, booking.venue_id) and card.currency == payment.currency
    amount = min(card.balance, left) if card is not None and usable else 0
    if amount <= 0:
        raise gifts.why_not(gifts.normal_code(code), now, booking)
    gifts.redeem(code=code, amount=amount, booking=booking, now=now)
    if amount == left:
        _set_state(payment, PaymentState.SUCCEEDED)
        gateway.cancel_payment_intent(payment.intent_id)
        booking = paying.confirm_payment(booking_id=booking.pk, now=now)
    else:
        gateway.set_amount(payment.intent_id, left - amount, key=f"pamper-gift-rest-{booking.pk}-{used + amount}")
    return {"redeemed": rules.major_str(amount, payment.currency),
            "left_to_pay": rules.major_str(left - amount, payment.currency), "status": booking.status}
