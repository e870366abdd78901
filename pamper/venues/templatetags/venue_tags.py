"""Template filters for venue pages: money, durations, distances in the venue's units."""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import get_language, gettext

from pamper.lib.money import format_money

from ..queries import favourite_ids

register = template.Library()


@register.filter
def money(amount: Decimal, currency: str) -> str:
    """'£45', '€37.50'; a zero price reads 'Free' (in the active language)."""
    if amount is None:
        return ""
    return gettext("Free") if amount == 0 else _money(amount, currency, get_language())


@functools.lru_cache(maxsize=4096)
def _money(amount: Decimal, currency: str, language: str | None) -> str:
    """format_money, remembered: a menu repeats a few prices, and Babel writing one is the dearest step of a row."""
    return format_money(amount, currency, language)


@register.filter
def minutes(value: int) -> str:
    """'45 min', '1 hr', '1 hr 30 min' ('1 Std. 30 Min.' in German)."""
    return _minutes(int(value), get_language())


@functools.lru_cache(maxsize=1024)
def _minutes(value: int, language: str | None) -> str:
    hours, rest = divmod(value, 60)
    if not hours:
        return gettext("%(minutes)s min") % {"minutes": rest}
    if not rest:
        return gettext("%(hours)s hr") % {"hours": hours}
    return gettext("%(hours)s hr %(minutes)s min") % {"hours": hours, "minutes": rest}


@register.inclusion_tag("venues/_favourite.html", takes_context=True)
def favourite_button(context: template.Context, venue: Any) -> dict[str, Any]:
    """The heart that keeps or drops a venue (signed-in people only). The request's favourites are read once."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or not getattr(user, "is_authenticated", False):
        return {"show": False}
    if not hasattr(request, "_favourite_ids"):
        request._favourite_ids = favourite_ids(user)
    return {"show": True, "venue": venue, "kept": venue.id in request._favourite_ids,
            "next": request.get_full_path(), "csrf_token": context.get("csrf_token")}
