"""What Stripe.js and Stripe do in the payments tests: pay an intent with a test card at localstripe, and deliver
an event signed as Stripe signs it (t=..., v1=HMAC-SHA256 of "t.payload" with the webhook secret)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

import requests

from pamper.payments import gateway

from .conftest import WEBHOOK_SECRET


def card_method(base: str, number: str = "4242424242424242") -> str:
    """A PaymentMethod for a test card, created at localstripe as Stripe.js would (the card never meets Pamper)."""
    answer = requests.post(f"{base}/v1/payment_methods", auth=("sk_test_pamper", ""), timeout=5, data={
        "type": "card", "card[number]": number, "card[exp_month]": "12", "card[exp_year]": "2030",
        "card[cvc]": "123"})
    answer.raise_for_status()
    return str(answer.json()["id"])


def pay(base: str, intent_id: str, number: str = "4242424242424242") -> Any:
    """Pay a PaymentIntent with a test card; returns the intent as Stripe then reports it."""
    method = card_method(base, number)
    return gateway.pay_with_method(intent_id=intent_id, payment_method=method, key=f"test-{intent_id}")


def keep_card(base: str, payment: dict[str, Any], number: str = "4242424242424242") -> Any:
    """Give a card to a booking's SetupIntent with the publishable key, as Stripe.js's confirmCardSetup does (the
    card never meets Pamper); returns Stripe's answer."""
    return requests.post(f"{base}/v1/setup_intents/{payment['intent_id']}/confirm", timeout=5, data=json.dumps({
        "key": "pk_test_pamper", "client_secret": payment["client_secret"], "payment_method_data": {
            "type": "card", "card": {"number": number, "exp_month": "12", "exp_year": "2030", "cvc": "123"}}})).json()


def signed(event: dict[str, Any], secret: str = WEBHOOK_SECRET, at: int | None = None) -> tuple[bytes, str]:
    payload = json.dumps(event).encode()
    stamp = int(time.time()) if at is None else at
    mac = hmac.new(secret.encode(), f"{stamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return payload, f"t={stamp},v1={mac}"


def event(kind: str, obj: Any, event_id: str) -> dict[str, Any]:
    return {"id": event_id, "object": "event", "type": kind, "created": int(time.time()), "livemode": False,
            "data": {"object": json.loads(json.dumps(gateway.plain(obj)))},
            "api_version": "2024-06-20", "pending_webhooks": 1, "request": {"id": None}}


def deliver(client, body: dict[str, Any], **kwargs: Any):  # type: ignore[no-untyped-def]
    payload, header = signed(body, **kwargs)
    return client.post("/api/v1/payments/stripe/webhook", payload, content_type="application/json",
                       HTTP_STRIPE_SIGNATURE=header)
