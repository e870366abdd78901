"""Template filters for pamper/lib/formats.py, built into every template (settings.TEMPLATES "builtins").

    {{ price|money:currency }}          '£45', '70 €'
    {{ day|day }}  {{ day|day:"long" }}  '3 Mar 2026', 'Tuesday 3 March 2026' (styles: formats.DAY_STYLES)
    {{ start|when:venue.timezone }}     'Tue 3 Mar 2026, 14:30' (+ ' GMT' for a reader in another zone)
    {{ venue.timezone|zone_name }}      'British Time', 'CET': a zone as people name it, never its IANA id
    {{ start|local_time:venue.timezone }} '14:30' (+ ' GMT' for a reader in another zone, as |when)
    {{ shift.end|wall }}                '18:00', '24:00' for hours until midnight (walltime.END_OF_DAY)
    {{ value|number:1 }}                '4,5' in German
    {{ treatment.name|mid_sentence }}   'hair colour' inside a sentence; German keeps its nouns' capitals
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import get_language

from pamper.lib import clock, formats, walltime

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str) -> str:
    return "" if amount is None or amount == "" else formats.money(amount, currency)


@register.filter
def day(value: dt.date | dt.datetime | None, style: str = "medium") -> str:
    return formats.day(value, style) if value else ""


@register.filter
def when(instant: dt.datetime | None, tz: Any) -> str:
    return clock.format_local(instant, tz) if instant else ""


@register.filter
def seen(instant: dt.datetime | None) -> str:
    """An instant that belongs to no venue (an API token's last use, a calendar feed's last fetch) in the reader's
    own zone (their browser's), else in UTC and said so."""
    if not instant:
        return ""
    zone = clock.viewer_zone.get()
    return clock.format_local(instant, zone) if zone else f"{clock.format_local(instant, dt.UTC)} UTC"


@register.filter
def zone_name(tz: Any) -> str:
    return clock.zone_name(tz) if tz else ""


@register.filter
def local_time(instant: dt.datetime | None, tz: Any) -> str:
    return clock.format_clock(instant, tz) if instant else ""


@register.filter
def wall(value: dt.time | None) -> str:
    return walltime.text(value) if value is not None else ""


@register.filter
def number(value: Decimal | float | int | None, digits: int = 0) -> str:
    return "" if value is None or value == "" else formats.number(value, int(digits))


@register.filter
def mid_sentence(name: str) -> str:
    """A name as it reads inside a sentence of the active language: lower case ('48 hours for hair colour',
    'mésothérapie'), except in German, where a noun keeps its capital ('48 Stunden bei Haarfärbung')."""
    text = str(name or "")
    return text if (get_language() or "").startswith("de") else text.lower()
