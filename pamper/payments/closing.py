"""Payments' part in closing an account (accounts.hooks.account_closing, through receivers.account_closing)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from pamper.accounts.actions import closed_email

from .models import GiftCard


def forget_gift_addresses(*, user: Any) -> int:
    """The person closes their account: the gift cards they bought or received stop carrying their address (and,
    received, the name the buyer gave them); the closed account's address stands in, which delivers nothing.

    Cards are matched to people by address (statements, the export), so a new account made with the same address
    must not find the old account's cards. The cards themselves stay: their codes keep their balance, and the
    ledger and Stripe point at them. Call before the account row is scrubbed. Returns how many cards changed."""
    email, closed = user.email, closed_email(user.pk)
    with transaction.atomic():
        bought = GiftCard.objects.filter(buyer_email__iexact=email).update(buyer_email=closed)
        received = GiftCard.objects.filter(recipient_email__iexact=email).update(recipient_email=closed,
                                                                                 recipient_name="")
    return bought + received
