"""`{% gift_cards_on_sale venue as on_sale %}`: whether the venue page offers its gift cards (Stripe is set up and
the venue's currency is one gift cards are sold in), so the page never links to a form that would refuse."""

from __future__ import annotations

from typing import Any

from django import template

from pamper.payments import gateway, gifts

register = template.Library()


@register.simple_tag
def gift_cards_on_sale(venue: Any) -> bool:
    return gateway.configured() and (venue.currency or "").upper() in gifts.CURRENCIES
