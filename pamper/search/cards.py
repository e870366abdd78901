"""The search page's result cards: each result's sentences and markup, made here so the template's loop only prints.

The loop runs for every result of a page, and a translation tag or a failed lookup there costs more than the whole
query; so each row comes with its card's markup either side of the cover and the favourite button (`head`, `body`),
every value escaped as search/search.html escaped it. The words every card repeats are translated once per language
(and variant), and the sentences whose inputs repeat (prices, ratings, review counts, first free slots, the kind of
venue) are remembered per language: a page then looks them up instead of asking gettext and Babel again.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import zoneinfo
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from pamper.lib import clock
from pamper.lib.geo import format_distance
from pamper.lib.locales import format_number
from pamper.lib.money import format_money
from pamper.venues.models import VenueKind

from . import queries

KIND_LABELS = dict(VenueKind.choices)


def rows(results: list[queries.Result], miles: bool, variant_label: str) -> list[dict[str, Any]]:
    """One dict a result: its sentences, its card's markup (`head`, `body`) and what the map reads (`url`,
    `price`, `distance`)."""
    language = get_language()
    words = card_words(variant_label, language)
    viewer = clock.viewer_zone.get()
    return [_with_card(_row(r, miles, words, language, viewer), words) for r in results]


@functools.lru_cache(maxsize=256)
def card_words(variant_label: str, language: str | None) -> Mapping[str, str]:
    """The words every result repeats in `language` (the active one: it is the key), unescaped as
    {% translate %} prints a catalogue's text, and 'from %(price)s' to fill in. Read-only: it is shared."""
    words = {"new": _("New"), "no_reviews": _("no reviews yet"), "see_venue": _("See the venue"),
             "see_availability": _("See availability"),
             "offers_variant": _("Offers %(variant_label)s") % {"variant_label": escape(variant_label)}}
    safe = {key: mark_safe(text) for key, text in words.items()}  # noqa: S308 (our catalogue; the label escaped)
    return MappingProxyType({**safe, "from_price": _("from %(price)s")})


def _row(result: queries.Result, miles: bool, words: Mapping[str, str], language: str | None,
         viewer: zoneinfo.ZoneInfo | None) -> dict[str, Any]:
    venue = result.venue
    row = {
        "venue": venue,
        "venue_id": venue.id,  # for covers_for and photo_of: a key, not an attribute lookup
        "venue_id_text": str(venue.id),  # printed as text: a number would go through number formatting
        "url": venue.url,
        "kind": _kind(venue.kind, language),
        "distance": format_distance(result.distance_km, miles),
        "price": words["from_price"] % {"price": _money(result.price_from, result.currency, language)},
        "rating": _rating(venue.rating, language) if venue.rating is not None else None,
        "reviews": _reviews(venue.review_count, language),
        "services": [
            {"name": s["name"], "price": _money(Decimal(s["price"]), s["currency"], language),
             "minutes": s["duration_minutes"], "variant": s["variant"] if s["variant"] and s["variant"] not in
             s["name"].lower() else ""}
            for s in result.services
        ],
        "next": None,
        "none_free": None,
        "offers_variant": result.offers_variant,
    }
    if result.next_available:
        row["next"] = _next_free(result.next_available, venue.timezone, language, viewer)
    elif result.next_checked and result.horizon_days:
        row["none_free"] = _none_free(result.horizon_days, language)
    return row


def _e(value: Any) -> str:
    """A value as format_html writes it: safe text as it is, anything else HTML-escaped."""
    return value if isinstance(value, SafeData) else html.escape(str(value))


def _with_card(row: dict[str, Any], words: Mapping[str, str]) -> dict[str, Any]:
    """The row with its card's markup either side of the favourite button (`head`, `body`): the template prints
    them around the cover and the button."""
    venue, url = row["venue"], _e(row["url"])
    if row["rating"]:
        rating = f'<span class="rating">★ {_e(row["rating"])}</span> {_e(row["reviews"])}'
    else:
        rating = f'<span class="badge">{_e(words["new"])}</span> {_e(words["no_reviews"])}'
    if row["next"]:
        next_free = _e(row["next"])
    elif row["none_free"]:
        next_free = f'{_e(row["none_free"])} · <a href="{url}">{_e(words["see_venue"])}</a>'
    else:
        next_free = f'<a href="{url}">{_e(words["see_availability"])}</a>'
    services = "".join(_service(s) for s in row["services"])
    offers = f' <span class="badge ok">{_e(words["offers_variant"])}</span>' if row["offers_variant"] else ""
    row["head"] = SafeString(f'<div class="row spread">\n<h2 class="search-venue"><a href="{url}">'
                             f'{_e(venue.name)}</a></h2>')
    row["body"] = SafeString(
        f'\n<span class="price">{_e(row["price"])}</span>\n</div>\n'
        f'<p class="small muted">{_e(row["kind"])} · {_e(venue.address)}, {_e(venue.city)} · '
        f'<span class="search-distance">{_e(row["distance"])}</span></p>\n'
        f'<p class="small">\n{rating}{offers}\n</p>\n<ul class="search-services small">\n{services}\n</ul>\n'
        f'<p class="small search-next">{next_free}</p>')
    return row


def _service(service: dict[str, Any]) -> str:
    variant = f' <span class="badge">{_e(service["variant"])}</span>' if service["variant"] else ""
    return (f'<li>{_e(service["name"])}{variant} · <span class="price">{_e(service["price"])}</span> · '
            f'{_e(service["minutes"])} min</li>')


@functools.lru_cache(maxsize=4096)
def _money(amount: Decimal, currency: str, language: str | None) -> str:
    """format_money, remembered: a page shows a few dozen prices from a short list, and writing one with Babel
    was the dearest step of a result's row."""
    return format_money(amount, currency, language)


@functools.lru_cache(maxsize=1024)
def _rating(value: Decimal | float, language: str | None) -> str:
    """A venue's rating as the language writes it ('4.5', '4,5'), remembered: ratings repeat."""
    return format_number(value, 1, language)


@functools.lru_cache(maxsize=256)
def _kind(kind: str, language: str | None) -> str:
    """'Salon', 'Institut de beauté': the kind of venue in `language` (the active one: it is the key)."""
    return str(KIND_LABELS.get(kind) or capfirst(kind))


@functools.lru_cache(maxsize=4096)
def _reviews(count: int, language: str | None) -> SafeString:
    """'(4 reviews)' in `language` (the active one: it is the key)."""
    return mark_safe(ngettext("(%(counter)s review)", "(%(counter)s reviews)", count)  # noqa: S308 (a number)
                     % {"counter": count})


@functools.lru_cache(maxsize=4096)
def _next_free(instant: dt.datetime, zone: str, language: str | None, viewer: zoneinfo.ZoneInfo | None) -> SafeString:
    """'Next free: Tue 3 Mar 2026, 14:30' in `language` (the active one: it is the key), remembered: the results'
    first free slots fall on the same few grid times."""
    when = clock.format_local(instant, zone, language, viewer)
    return mark_safe(_("Next free: %(row_next)s") % {"row_next": escape(when)})  # noqa: S308 (escaped)


@functools.lru_cache(maxsize=256)
def _none_free(days: int, language: str | None) -> SafeString:
    return mark_safe(ngettext(  # noqa: S308 (a number)
        "No free time in the next day", "No free time in the next %(days)s days", days) % {"days": days})
