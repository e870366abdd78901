"""The search page's form (search/_form.html), rendered once per language rather than once per page.

The form's words and addresses depend on the language only; what differs between two searches is the values in
the boxes, the hidden country, whether the filters box opens and which options are selected. The template is
rendered once per (language, script prefix) with a `PamperForm...` placeholder in each of those places, and every
page fills them in, in one pass (a value typed into a box is never read as a placeholder), escaped as the template
escaped them. The selects' options are made by the view (search.views._options).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

TEMPLATE = "search/_form.html"
PLACEHOLDER = re.compile(r"PamperForm([A-Za-z]+)")
# Placeholder -> the form value shown in that box.
BOXES = {"Q": "q", "Near": "near", "Lat": "lat", "Lng": "lng", "PriceMin": "price_min", "PriceMax": "price_max",
         "AvailableOn": "available_on"}
# Any of these set opens the "Sort and filter" box.
FILTERS = ("sort", "price_min", "price_max", "min_rating", "kind", "within_days", "available_on", "time_of_day")


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
