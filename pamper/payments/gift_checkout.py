"""Paying for a gift card in the page, as a booking is paid: Stripe.js keeps the card (a SetupIntent), the server
pays the card's PaymentIntent with it, Stripe.js runs 3-D Secure when the bank asks, the server checks."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from pamper.accounts.models import User
from pamper.errors import Refusal

from . import actions, gateway, gifts
from .models import GiftCard


def buy(*, user: User, venue: Any, amount: str, recipient_email: str, recipient_name: str,
        message: str) -> GiftCard:
    """A gift card for `venue` bought by `user` (their Stripe customer pays), waiting for its payment."""
    card, _secret = gifts.buy_gift_card(
        amount=amount, currency=venue.currency, buyer_email=user.email, recipient_email=recipient_email,
        recipient_name=recipient_name, message=message, country=venue.country or "GB", venue=venue,
        customer=actions.customer_for(user))
    return card


def _customer(card: GiftCard) -> str:
    return str(gateway.plain(gateway.retrieve_payment_intent(card.intent_id)).get("customer") or "")


def card_setup_secret(*, card: GiftCard, attempt: int = 0) -> str:
    """The client secret of a fresh SetupIntent for Stripe.js, one per attempt (a declined card cancels it)."""
    if card.paid_at is not None:
        raise Refusal(409, "already_paid", _("This gift card is paid already."))
    made = gateway.create_setup_intent(customer=_customer(card), metadata={"gift_card": card.code},
                                       key=f"pamper-gift-setup-{card.pk}-{attempt}")
    return str(made.client_secret)


def use_card(*, card: GiftCard, setup_intent_id: str) -> dict[str, Any]:
    """The card Stripe.js kept pays the gift card. Returns {"state", "client_secret"} (the secret for 3-D Secure)."""
    seti = gateway.plain(gateway.retrieve_setup_intent(setup_intent_id))
    if (seti.get("metadata") or {}).get("gift_card") != card.code or seti["status"] != "succeeded":
        raise Refusal(422, "card_not_ready", _("The card was not accepted. Please enter it again."))
    intent = gateway.plain(gateway.pay_with_method(
        intent_id=card.intent_id, payment_method=str(seti["payment_method"]),
        key=f"pamper-gift-pay-{card.intent_id}-{setup_intent_id}"))
    actions.apply_payment_intent(intent)
    secret = str(intent["client_secret"]) if intent["status"] == "requires_action" else ""
    return {"state": intent["status"], "client_secret": secret}


def refresh(*, card: GiftCard) -> str:
    """Ask Stripe how the gift card's payment stands and apply it. Returns the PaymentIntent's status."""
    intent = gateway.retrieve_payment_intent(card.intent_id)
    actions.apply_payment_intent(intent)
    return str(intent["status"])
