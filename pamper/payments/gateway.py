"""Stripe, through its official SDK: the only module that talks to it.

Every call that creates or moves money carries an idempotency key built from
Pamper's own ids, so a retry (ours, or the SDK's on a network error) never
charges or refunds twice. `STRIPE_API_BASE` points the SDK at a local server
(localstripe) in tests and the demo. Without keys, `configured()` is False and
nothing here is called: every venue is then pay-at-venue.
"""

from __future__ import annotations

import logging
from functools import cache, lru_cache
from types import ModuleType
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from pamper.errors import Refusal

logger = logging.getLogger(__name__)


@cache
def _sdk() -> ModuleType:
    import stripe  # noqa: PLC0415 - imported on first use: the SDK is about 20 MB in every process that loads it

    return stripe


class _LazySDK:
    """`stripe`, imported when a payment first needs it: a web process that never takes a payment (and a site
    without Stripe keys) does not carry it."""

    def __getattr__(self, name: str) -> Any:
        return getattr(_sdk(), name)


stripe = _LazySDK()


def configured() -> bool:
    """True when Stripe keys are set (payments are on)."""
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY)


@lru_cache(maxsize=4)
def _client(key: str, base: str) -> stripe.StripeClient:
    addresses = {"api": base} if base else None
    return stripe.StripeClient(key, base_addresses=addresses, max_network_retries=2)  # type: ignore[arg-type]


def client() -> stripe.StripeClient:
    return _client(settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE)


def _unavailable(exc: stripe.StripeError) -> Refusal:
    logger.warning("stripe call failed: %s", exc)
    return Refusal(502, "payment_provider_error", _("The card payment service did not answer. Please try again."))


def _declined(exc: stripe.CardError) -> Refusal:
    return Refusal(402, "card_declined", _("The card was declined: %(reason)s") % {"reason": exc.user_message or ""})


def create_customer(*, email: str, name: str, key: str) -> str:
    """A Stripe customer for a Pamper user; returns its id."""
    try:
        found = client().v1.customers.create(params={"email": email, "name": name},
                                             options={"idempotency_key": key})
    except stripe.StripeError as exc:
        raise _unavailable(exc) from exc
    return str(found.id)


def create_payment_intent(*, amount: int, currency: str, customer: str, metadata: dict[str, str],
                          key: str) -> Any:
    """A PaymentIntent for `amount` minor units; Stripe.js (or the server, with a saved method) confirms it."""
    params: dict[str, Any] = {"amount": amount, "currency": currency.lower(), "metadata": metadata,
                              "payment_method_types": ["card"]}
    if customer:  # a gift card's buyer may have no account
        params["customer"] = customer
    try:
        return client().v1.payment_intents.create(params=params, options={"idempotency_key": key})  # type: ignore[arg-type]
    except stripe.StripeError as exc:
        raise _unavailable(exc) from exc


def create_setup_intent(*, customer: str, metadata: dict[str, str], key: str) -> Any:
    """A SetupIntent keeping a card for later off-session charges (a no-show fee)."""
    params = {"customer": customer, "usage": "off_session", "metadata": metadata, "payment_method_types": ["card"]}
    try:
        return client().v1.setup_intents.create(params=params, options={"idempotency_key": key})  # type: ignore[arg-type]
    except stripe.StripeError as exc:
        raise _unavailable(exc) from exc


def retrieve_payment_intent(intent_id: str) -> Any:
    try:
        return client().v1.payment_intents.retrieve(intent_id)
    except stripe.StripeError as exc:
        raise _unavailable(exc) from exc


def retrieve_setup_intent(intent_id: str) -> Any:
    try:
        return client().v1.setup_intents.retrieve(intent_id)
    except stripe.StripeError as exc:
        raise _unavailable(exc) from exc


def card_of(payment_method_id: str) -> tuple[str, str]:
    """(brand, last four) of a saved card: all Pamper keeps about it."""
    try:
        method = client().v1.payment_methods.retrieve(payment_method_id)
    except stripe.StripeError as exc:
        raise _unavailable(exc) from exc
    card = getattr(method, "card", None)
    return (str(getattr(card, "brand", "") or ""), str(getattr(card, "last4", "") or ""))


def pay_with_method(*, intent_id: str, payment_method: str, key: str) -> Any:
    """Confirm a PaymentIntent on the server with a card the customer just gave through Stripe.js
    (SetupIntent): answers succeeded, requires_action (Stripe.js then runs 3-D Secure) or a 402 refusal."""
    try:
        client().v1.payment_intents.update(intent_id, params={"payment_method": payment_method},
                                           options={"idempotency_key": f"{key}-attach-{payment_method}"})
        return client().v1.payment_intents.confirm(intent_id, options={"idempotency_key": f"{key}-confirm"})
    except stripe.CardError as exc:
        raise _declined(exc) from exc
    except stripe.StripeError as exc:
        raise _unavailable(exc) from exc


def charge_off_session(*, amount: int, currency: str, customer: str, payment_method: str,
                       metadata: dict[str, str], key: str) -> Any:
    """Charge a kept card without the customer present (a fee they accepted when booking)."""
    params: dict[str, Any] = {"amount": amount, "currency": currency.lower(), "customer": customer,
                              "payment_method": payment_method, "confirm": True, "off_session": True,
                              "metadata": metadata}
    try:
        return client().v1.payment_intents.create(params=params, options={"idempotency_key": key})  # type: ignore[arg-type]
    except stripe.CardError as exc:
        raise _declined(exc) from exc
    except stripe.StripeError as exc:
        raise _unavailable(exc) from exc


def refund(*, intent_id: str, amount: int, metadata: dict[str, str], key: str) -> Any:
    """Refund `amount` minor units of a PaymentIntent's charge."""
    params = {"payment_intent": intent_id, "amount": amount, "metadata": metadata}
    try:
        return client().v1.refunds.create(params=params, options={"idempotency_key": key})  # type: ignore[arg-type]
    except stripe.StripeError as exc:
        raise _unavailable(exc) from exc


def refunds_of(intent_id: str) -> list[Any]:
    try:
        return list(client().v1.refunds.list(params={"payment_intent": intent_id, "limit": 100}).data)
    except stripe.StripeError as exc:
        raise _unavailable(exc) from exc


def refunded_of(intent_id: str) -> int:
    """What Stripe has refunded (or is refunding) of a PaymentIntent, in minor units."""
    return sum(int(r["amount"]) for r in map(plain, refunds_of(intent_id))
               if r.get("status", "succeeded") in ("succeeded", "pending"))


def forget_customer(customer: str) -> int:
    """Detach every card kept for a Stripe customer, then delete the customer (its email and name go from Stripe
    too). Returns how many cards were detached; a customer Stripe no longer knows counts as done. Refusal 502
    when Stripe does not answer."""
    try:
        cards = list(client().v1.payment_methods.list(params={"customer": customer, "type": "card", "limit": 100}).data)
        for card in cards:
            client().v1.payment_methods.detach(card.id)
        client().v1.customers.delete(customer)
    except stripe.InvalidRequestError as exc:
        if getattr(exc, "http_status", None) == 404:
            return 0
        raise _unavailable(exc) from exc
    except stripe.StripeError as exc:
        raise _unavailable(exc) from exc
    return len(cards)


def cancel_payment_intent(intent_id: str) -> None:
    """Stop an unpaid PaymentIntent (its hold ran out); one already paid or cancelled is left as it is."""
    try:
        client().v1.payment_intents.cancel(intent_id)
    except stripe.StripeError as exc:
        logger.info("payment intent %s not cancelled: %s", intent_id, exc)


def verify_event(payload: bytes, signature: str) -> Any:
    """The event in a webhook body, when Stripe's signature over it is right; ValueError otherwise."""
    if not settings.STRIPE_WEBHOOK_SECRET or not signature:
        raise ValueError("unsigned")
    try:
        return stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)
    except (stripe.SignatureVerificationError, ValueError) as exc:
        raise ValueError(str(exc)) from exc


def plain(obj: Any) -> dict[str, Any]:
    """A Stripe object (or an event's payload) as a plain dict, read the same way whatever delivered it."""
    return obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)


def charge_id_of(intent: Any) -> str:
    """The id of a PaymentIntent's charge (Stripe gives an id; localstripe the charge itself)."""
    latest = plain(intent).get("latest_charge")
    if latest is None:
        return ""
    return str(latest if isinstance(latest, str) else latest["id"])


def set_amount(intent_id: str, amount: int, key: str) -> None:
    """Change what an unpaid PaymentIntent asks (a gift card paid part of it)."""
    try:
        client().v1.payment_intents.update(intent_id, params={"amount": amount}, options={"idempotency_key": key})
    except stripe.StripeError as exc:
        raise _unavailable(exc) from exc
