"""Stripe's webhook events, each handled once (StripeEvent), each handler idempotent and order-proof.

Handlers read the object in the event and apply it through `actions`, whose
ledger rows are unique per Stripe object and whose payment states only move
forward: an event delivered twice, late, or after a later one changes nothing
twice and undoes nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction

from . import actions, gateway, queries
from .models import REFUNDED_AT_STRIPE, StripeEvent

logger = logging.getLogger(__name__)

HANDLED = frozenset({"payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.requires_action",
                     "payment_intent.canceled", "charge.refunded", "setup_intent.succeeded"})


def handle(event: Any) -> str:
    """Apply one verified event. Returns "handled", "duplicate" (seen before) or "ignored" (a type not used)."""
    event = gateway.plain(event)
    if StripeEvent.objects.filter(event_id=event["id"]).exists():
        return "duplicate"
    kind = event["type"]
    obj = event["data"]["object"]
    if kind not in HANDLED:
        return "ignored"
    if kind.startswith("payment_intent."):
        actions.apply_payment_intent(obj)
    elif kind == "setup_intent.succeeded":
        actions.apply_setup_intent(obj)
    elif kind == "charge.refunded":
        _charge_refunded(obj)
    try:
        with transaction.atomic():
            StripeEvent.objects.create(event_id=event["id"], type=kind)
    except IntegrityError:  # the same event handled at the same moment by another worker: harmless, see above
        return "duplicate"
    return "handled"


def _charge_refunded(charge: Any) -> None:
    """Refunds made at Stripe (ours, or from Stripe's dashboard) go in the ledger once each, whether of the
    booking's own charge or of a fee charged later."""
    payment = queries.payment_for_intent(charge.get("payment_intent") or "")
    if payment is None:
        return
    for refund in (charge.get("refunds") or {}).get("data", []):
        if refund.get("status", "succeeded") == "succeeded":
            actions.record_refund(refund=refund, payment=payment, reason=REFUNDED_AT_STRIPE)
