"""The search page's form (search/_form.html), rendered once per language rather than once per page.

The form's words and addresses depend on the language only; what differs between two searches is the values in
the boxes, the hidden country, whether the filters box opens and which options are selected. The template is
rendered once per (language, script prefix) with a `PamperForm...` placeholder in each of those places, and every
page fills them in, in one pass (a value typed into a box is never read as a placeholder), escaped as the template
escaped them. The selects' options are made here too (select_options), in one pass.
"""

from __future__ import annotations

import contextlib
import functools
import re
from typing import Any

from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from pamper.lib.geo import KM_PER_MILE, format_distance, km_to_miles
from pamper.venues.models import VenueKind

from .params import DEFAULT_RADIUS_KM

TEMPLATE = "search/_form.html"
PLACEHOLDER = re.compile(r"PamperForm([A-Za-z]+)")
# Placeholder -> the form value shown in that box.
BOXES = {"Q": "q", "Near": "near", "Lat": "lat", "Lng": "lng", "PriceMin": "price_min", "PriceMax": "price_max",
         "AvailableOn": "available_on"}
# Any of these set opens the "Sort and filter" box.
FILTERS = ("sort", "price_min", "price_max", "min_rating", "kind", "within_days", "available_on", "time_of_day")

KM_CHOICES = (2, 5, 10, 25, 50, 100)
MILE_CHOICES = (1, 3, 5, 10, 25, 50)
# The wider searches offered when nothing is found: round numbers in the reader's unit.
WIDER_KM = (25, 50, 100)
WIDER_MILES = (15, 30, 60)
# gettext_lazy by its own name: makemessages (xgettext) finds only the names it knows, and an alias such as
# `_lazy` left these labels out of the catalogues, so every language read them in English.
SORT_LABELS = (("recommended", gettext_lazy("Recommended")), ("distance", gettext_lazy("Nearest")),
               ("rating", gettext_lazy("Top rated")), ("price", gettext_lazy("Lowest price")))
RATING_CHOICES = (("", gettext_lazy("Any rating")), ("3", gettext_lazy("3+ stars")),
                  ("4", gettext_lazy("4+ stars")), ("4.5", gettext_lazy("4.5+ stars")))
KIND_CHOICES = (("", gettext_lazy("Any kind of venue")), *VenueKind.choices)
WITHIN_CHOICES = (("", gettext_lazy("Any time")), ("1", gettext_lazy("Within a day")),
                  ("3", gettext_lazy("Within 3 days")), ("7", gettext_lazy("Within a week")),
                  ("14", gettext_lazy("Within 2 weeks")))
TIME_CHOICES = (("", gettext_lazy("Any time of day")), ("morning", gettext_lazy("Morning")),
                ("afternoon", gettext_lazy("Afternoon")), ("evening", gettext_lazy("Evening")))
# The filter selects whose options never change (their labels do, by language), and the parameter each sets.
FIXED_CHOICES = {"sort": SORT_LABELS, "rating": RATING_CHOICES, "kind": KIND_CHOICES, "within": WITHIN_CHOICES,
                 "time": TIME_CHOICES}
FIXED_SELECTS = {"sort": "sort", "rating": "min_rating", "kind": "kind", "within": "within_days", "time": "time_of_day"}


@functools.lru_cache(maxsize=32)  # (language, script prefix): a handful in practice
def _template(language: str | None, script_prefix: str) -> str:
    return get_template(TEMPLATE).render({})


def option_tags(pairs: Any, current: str | None) -> SafeString:
    """<option>s for (value, label) pairs, the one whose value is `current` selected."""
    return format_html_join("", '<option value="{}"{}>{}</option>',
                            ((value, " selected" if value == current else "", label) for value, label in pairs))


def selected(pairs: Any, value: str | None) -> str | None:
    """`value` when it is one of the choices' values, else None (nothing is selected either way)."""
    return value if any(v == value for v, _label in pairs) else None


def render_form(form: dict[str, str], options: dict[str, str]) -> SafeString:
    """The search form with the search's values in its boxes and `options` ({"sort": "<option>..."}) in its
    selects."""
    country = form.get("country")
    values = {key: escape(form.get(name) or "") for key, name in BOXES.items()}
    values.update({
        "Country": format_html('<input type="hidden" name="country" value="{}" data-search-country>', country)
        if country else "",
        "Open": " open" if any(form.get(name) for name in FILTERS) else "",
        "Sort": options["sort"], "Radius": options["radius"], "Rating": options["rating"], "Kind": options["kind"],
        "Within": options["within"], "Time": options["time"],
    })
    html = _template(get_language(), get_script_prefix())
    return mark_safe(PLACEHOLDER.sub(lambda m: values[m.group(1)], html))  # noqa: S308 (every value escaped)


def radius_label(km: float, miles: bool) -> str:
    """A search radius as people say it: whole miles in the UK ('within 6 mi', not '6.2 mi'), else as distances are."""
    return f"{max(1, round(km_to_miles(km)))} mi" if miles else format_distance(km, miles)


def mile_value(miles: int) -> str:
    """A radius of whole miles as the form and links carry it (kilometres, three decimals)."""
    return f"{miles * KM_PER_MILE:.3f}"


def wider(radius_km: float, miles: bool) -> list[tuple[str, str]]:
    """(label, radius_km value) of the wider searches to offer: round miles in the UK, else round kilometres."""
    values = [mile_value(m) for m in WIDER_MILES] if miles else [str(k) for k in WIDER_KM]
    return [(radius_label(float(v), miles), v) for v in values if float(v) > radius_km]


def _choices(data: dict[str, str], uk: bool) -> dict[str, Any]:
    """Options for the filter selects; the radius is offered in miles for UK searches."""
    current = data.get("radius_km", "")
    radius = [(mile_value(m), f"{m} mi") for m in MILE_CHOICES] if uk else [(str(k), f"{k} km") for k in KM_CHOICES]
    values = {v for v, _ in radius}
    if current and current not in values:
        with contextlib.suppress(ValueError):
            radius.append((current, radius_label(float(current), uk)))
    if not current:
        current = f"{DEFAULT_RADIUS_KM:g}"
        if current not in values:
            radius.append((current, radius_label(DEFAULT_RADIUS_KM, uk)))
    radius.sort(key=lambda choice: float(choice[0]))  # nearest first, the default and an unusual radius in place
    return {"radius": radius, "radius_current": current, "sort": SORT_LABELS, "rating": RATING_CHOICES,
            "kind": KIND_CHOICES, "within": WITHIN_CHOICES, "time": TIME_CHOICES}


def select_options(data: dict[str, str], form: dict[str, str], uk: bool) -> dict[str, str]:
    """The filter selects' <option>s for a search's `data` and `form` values, made in one pass (a template loop
    with a test per option cost more than the search): the option matching the form's value is selected;
    distances read 'within 5 mi'. The selects with a fixed list are remembered per language and selected value."""
    choices, language = _choices(data, uk), get_language()
    return {
        "radius": _radius_options(tuple(choices["radius"]), choices["radius_current"], language),
        **{select: _fixed_options(select, selected(FIXED_CHOICES[select], form.get(field)), language)
           for select, field in FIXED_SELECTS.items()},
    }


@functools.lru_cache(maxsize=256)  # the radius choices differ by country (miles) and an unusual radius asked for
def _radius_options(choices: tuple[tuple[str, str], ...], current: str, language: str) -> str:
    within = _("within %(label)s")  # the words {% blocktranslate %}within {{ label }}{% endblocktranslate %} used
    radius = [(value, mark_safe(within % {"label": escape(label)})) for value, label in choices]  # noqa: S308
    return option_tags(radius, current)


@functools.lru_cache(maxsize=256)  # a few options per select and language
def _fixed_options(select: str, current: str | None, language: str) -> str:
    return option_tags(FIXED_CHOICES[select], current)
