"""The payments API: Stripe's webhook (`POST /api/v1/payments/stripe/webhook`), buying gift cards and paying a
booking with one."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Field, Router, Schema
from pydantic import EmailStr

from pamper.accounts.auth import bearer
from pamper.bookings.models import Booking
from pamper.errors import ErrorOut, Refusal
from pamper.lib.fields import Input
from pamper.lib.http import json_response

from . import actions, gateway, gifts, rules, webhook

logger = logging.getLogger(__name__)
router = Router(tags=["payments"])


@router.post("/payments/stripe/webhook", response={200: dict, 400: ErrorOut}, include_in_schema=False)
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Stripe's events, signed with the webhook secret. 400 (and a log line) for an unsigned or wrongly signed
    body; 200 for a good one, handled once however often it is delivered."""
    try:
        event = gateway.verify_event(request.body, request.headers.get("Stripe-Signature", ""))
    except ValueError as exc:
        logger.warning("stripe webhook refused: bad signature (%s)", exc)
        raise Refusal(400, "bad_signature", gettext("The Stripe signature is missing or wrong.")) from exc
    outcome = webhook.handle(event)
    return json_response({"received": True, "outcome": outcome}, status=200)



class GiftCardIn(Input):
    amount: str = Field(max_length=20, description="In the currency's units, 10 to 500.")
    currency: str = Field(max_length=3, description="GBP or EUR")
    recipient_email: EmailStr
    recipient_name: str = Field("", max_length=120)
    message: str = Field("", max_length=300)


class GiftCardOut(Schema):
    intent_id: str
    client_secret: str
    amount: str
    currency: str
    expires_at: str


@router.post("/payments/gift-cards", auth=bearer, response={201: GiftCardOut, 409: ErrorOut, 422: ErrorOut},
             summary="Buy a gift card: pay the PaymentIntent with Stripe.js; the code is emailed once paid")
def buy_gift_card(request: HttpRequest, data: GiftCardIn) -> HttpResponse:
    buyer = request.auth  # type: ignore[attr-defined]
    card, secret = gifts.buy_gift_card(amount=data.amount, currency=data.currency, buyer_email=buyer.email,
                                       recipient_email=str(data.recipient_email), recipient_name=data.recipient_name,
                                       message=data.message)
    return json_response({"intent_id": card.intent_id, "client_secret": secret,
                          "amount": rules.major_str(card.initial, card.currency), "currency": card.currency,
                          "expires_at": card.expires_at.isoformat()}, status=201)


class RedeemIn(Input):
    code: str = Field(max_length=40)


class RedeemOut(Schema):
    redeemed: str
    left_to_pay: str
    status: str


@router.post("/payments/bookings/{booking_id}/gift-card", auth=bearer,
             response={200: RedeemOut, 404: ErrorOut, 409: ErrorOut, 410: ErrorOut, 422: ErrorOut},
             summary="Pay what one of my bookings asks now with a gift card, in full or in part")
def redeem_gift_card(request: HttpRequest, booking_id: Annotated[int, Field(ge=1, le=2**63 - 1)],
                     data: RedeemIn) -> dict[str, Any]:
    mine = Booking.objects.for_customer(request.auth)  # type: ignore[attr-defined]
    booking = mine.select_related("venue").filter(pk=booking_id).first()
    if booking is None:
        raise Refusal(404, "not_found", gettext("No such booking."))
    return actions.pay_with_gift_card(booking=booking, code=data.code)


__all__ = ["router"]
