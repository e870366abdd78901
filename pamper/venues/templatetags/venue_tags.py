"""Template filters for venue pages: money, durations, distances in the venue's units."""

from __future__ import annotations

from decimal import Decimal

from django import template

from pamper.lib.money import format_money

register = template.Library()


@register.filter
def money(amount: Decimal, currency: str) -> str:
    """'£45', '€37.50'; a zero price reads 'Free'."""
    if amount is None:
        return ""
    return "Free" if amount == 0 else format_money(amount, currency)


@register.filter
def minutes(value: int) -> str:
    """'45 min', '1 hr', '1 hr 30 min'."""
    hours, rest = divmod(int(value), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} hr" + (f" {rest} min" if rest else "")
