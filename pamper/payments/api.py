"""The payments API: Stripe's webhook (`POST /api/v1/payments/stripe/webhook`)."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Router

from pamper.errors import ErrorOut, Refusal
from pamper.lib.http import json_response

from . import gateway, webhook

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


__all__ = ["router"]
