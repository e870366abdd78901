"""The search page: a form, the results list and a map; htmx swaps the list in place.

The page reads the same parameters as GET /api/v1/search, so its URL (pushed
by htmx on every change) is the search itself and can be shared.
"""

from __future__ import annotations

import functools
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from pydantic import ValidationError

from pamper.catalog.models import Treatment
from pamper.lib import clock, schema_messages
from pamper.lib.locales import locale_for
from pamper.lib.meta import breadcrumbs, page_meta

from . import cards, places, queries
from .params import SearchParams, problems
from .views_form import radius_label, render_form, select_options, wider

# What people search for most, in the reader's words (each understood by the search in that language).
POPULAR = (gettext_lazy("Mesotherapy"), gettext_lazy("Botox"), gettext_lazy("Gel nails"), gettext_lazy("Balayage"),
           gettext_lazy("Brazilian wax"), gettext_lazy("Massage"), gettext_lazy("Facial"), gettext_lazy("Lash lift"))
# The search form's labels, to name a parameter in an error as the page names its box.
FIELD_LABELS = {"q": gettext_lazy("What"), "near": gettext_lazy("Where"), "radius_km": gettext_lazy("Distance"),
                "price_min": gettext_lazy("Price from"), "price_max": gettext_lazy("Price up to"),
                "min_rating": gettext_lazy("Rating"), "kind": gettext_lazy("Venue"), "sort": gettext_lazy("Sort by"),
                "within_days": gettext_lazy("Free slot"), "available_on": gettext_lazy("Free by"),
                "time_of_day": gettext_lazy("Time of day")}


def search_page(request: HttpRequest) -> HttpResponse:
    """GET /search/: the intro with no text, a page of results, or a clear message and suggestions."""
    data = {k: v for k, v in request.GET.items() if v.strip()}
    context: dict[str, Any] = {"form": data, "popular": POPULAR}
    status = 200
    if data.get("q") or data.get("near") or (data.get("lat") and data.get("lng")):  # as the API reads a search
        context.update(_run(data))
        status = context.pop("status")
    outcome = context.get("outcome")
    if outcome and outcome.intent and outcome.intent.split:  # "botox london": the boxes show what was understood
        context["form"] = {**data, "q": outcome.understanding.query, "near": outcome.intent.where or ""}
    miles = outcome.uses_miles if outcome and outcome.place else _looks_uk(data)
    context["miles"] = miles
    if not request.htmx:  # the form and the head are outside the swapped list
        context["search_form"] = render_form(context["form"], select_options(data, context["form"], miles))
    # A search result is not a page to index: its landing page (/treatments/<what>/in/<where>/) is.
        trail = [(_("Home"), reverse("venues:home")), (_("Search"), reverse("search:search"))]
        context["meta"] = page_meta(request, _("Search"), _("Search treatments and venues near you."),
                                    noindex=bool(data), path=reverse("search:search"), jsonld=[breadcrumbs(trail)])
    template = "search/search.html#results" if request.htmx else "search/search.html"
    return render(request, template, context, status=status)


def _field(loc: tuple[Any, ...]) -> str:
    """The form's label for a parameter ('Distance' for radius_km), else its name."""
    name = ".".join(str(p) for p in loc) or "search"
    return str(FIELD_LABELS.get(name, name))


def _run(data: dict[str, str]) -> dict[str, Any]:
    try:
        params = SearchParams.model_validate(data)
    except ValidationError as exc:  # the box to correct and what it needs, in the reader's language
        errors = [f"{_field(e['loc'])}: {schema_messages.say(e)}" for e in exc.errors()]
        return {"errors": errors, "status": 400}
    found = problems(params)
    if found:
        return {"errors": [f"{_field((f,))}: {m}" for f, m in found], "status": 400}
    outcome = queries.find(params, clock.now(), page_number=_page_number(data), count=True)
    context = {"outcome": outcome, "status": 200}
    if outcome.problem and outcome.problem.code == "place_needed":
        context["ask_where"] = _ask_where(outcome, data)
        context["understood_as"] = outcome.understanding.understood_as
        return context  # 200: a question, not an error
    if outcome.problem:
        context["status"] = 400 if outcome.problem.code == "bad_cursor" else 422
        context["problem"] = _problem_links(outcome, data)
        return context
    context.update(_page(outcome, data))
    return context


def _ask_where(outcome: queries.SearchOutcome, data: dict[str, str]) -> dict[str, Any]:
    """A treatment (or group) with no place: its summary and guide link, or the group's treatments."""
    meant = outcome.understanding
    if meant.group is not None:
        return {"name": meant.group.name, "chips": [(t.name, _link(data, q=t.name)) for t in meant.group.treatments]}
    treatment = Treatment.objects.filter(pk=meant.treatment.id).only("slug", "name", "summary").first()
    if treatment is None:
        return {"name": meant.treatment.name}
    return {"name": treatment.name, "summary": treatment.summary, "url": treatment.get_absolute_url()}


def _page_number(data: dict[str, str]) -> int:
    """The page asked for (?page=3), 1 when none or nonsense; past MAX_PAGE_WALK the walk stops there."""
    try:
        return max(1, min(int(data.get("page", "1")), queries.MAX_PAGE_WALK))
    except ValueError:
        return 1


def _link(data: dict[str, str], **changes: Any) -> str:
    """The search page in the active language (/search/?..., /fr/search/?...) with the form's values, the changes
    applied and the page (cursor, number) dropped unless given."""
    merged = {**{k: v for k, v in data.items() if k not in ("cursor", "page")}, **changes}
    return _search_path(get_language(), get_script_prefix()) + "?" + urlencode(
        {k: v for k, v in merged.items() if v not in (None, "")})


@functools.lru_cache(maxsize=64)
def _search_path(language: str | None, prefix: str) -> str:
    """/search/, /fr/search/ ...: the search page's path in a language under a script prefix (the cache's key),
    reversed once rather than for each of a page's dozen links."""
    return reverse("search:search")


def _place_label(place: places.Place, as_typed: str = "") -> str:
    """'London, United Kingdom' ('Londres, Royaume-Uni', 'London, Vereinigtes Königreich'): the place index names
    towns and countries in English; a reader in another language reads the country in theirs (Babel's territory
    names) and the town as places.local_name gives it."""
    label = places.index().label(place)
    if not place.country or get_language() == "en":
        return label
    locale = locale_for()
    country = locale.territories.get(place.country.upper()) or places.index().country_names.get(place.country)
    town = places.local_name(place.name, place.timezone, locale, as_typed)
    return f"{town}, {country}" if country else town


def _problem_links(outcome: queries.SearchOutcome, data: dict[str, str]) -> dict[str, Any]:
    problem = outcome.problem
    assert problem is not None
    if problem.code == "treatment_not_found":
        links = [(t.name, _link(data, q=t.name)) for t in problem.suggestions]
    elif problem.code == "place_not_found":
        links = [(_place_label(p), _link(data, near=p.name, country=p.country, lat=None, lng=None))
                 for p in problem.suggestions]
    else:
        links = [(_("Start again from the first page"), _link(data))]
    looks_like_postcode = problem.code == "place_not_found" and any(ch.isdigit() for ch in data.get("near", ""))
    return {"code": problem.code, "message": problem.message, "links": links, "postcode_hint": looks_like_postcode,
            "lead": _("Did you mean:") if problem.near_misses else _("Popular treatments:")}


def _subject(outcome: queries.SearchOutcome, data: dict[str, str]) -> dict[str, Any]:
    """What the page searched for: one treatment, a group (with a chip per treatment to narrow), or everything."""
    meant = outcome.understanding
    if meant.group is not None:
        return {"group": meant.group, "subject_name": meant.group.name, "understood_as": meant.understood_as,
                "chips": [(t.name, _link(data, q=t.name)) for t in meant.group.treatments]}
    if meant.treatment is None:
        return {"everything": True, "subject_name": _("treatments"), "understood_as": _("Venues of every kind")}
    return {"treatment": meant.treatment, "subject_name": meant.treatment.name, "understood_as": meant.understood_as,
            "treatment_url": _treatment_path(meant.treatment.slug, get_language(), get_script_prefix())}


@functools.lru_cache(maxsize=1024)
def _treatment_path(slug: str, language: str | None, prefix: str) -> str:
    """A treatment's guide (/treatments/botox/, /fr/treatments/botox/ ...) in a language under a script prefix
    (the cache's key): the catalogue's slugs are a short list."""
    return reverse("catalog:detail", args=[slug])


def _page(outcome: queries.SearchOutcome, data: dict[str, str]) -> dict[str, Any]:
    meant, answer = outcome.understanding, outcome.place
    assert answer is not None and answer.place is not None
    if outcome.intent and outcome.intent.split:  # "botox london": the next search links keep both parts
        data = {**data, "q": meant.query, "near": outcome.intent.where or ""}
    miles, params = outcome.uses_miles, outcome.params
    variant_label = meant.variant or params.variant or ""
    rows = cards.rows(outcome.results, miles, variant_label)
    return {
        **_subject(outcome, data),
        "alternatives": [(t.name, _link(data, q=t.name)) for t in meant.alternatives],
        "place_label": _place_label(answer.place, answer.as_typed)
        if answer.place.country and not answer.from_coordinates
        else answer.place.name.removeprefix("near "),  # 'near Leeds' (from coordinates): the page says 'near'
        "place_corrected": answer.corrected,
        "place_alternatives": _place_alternatives(answer, data),
        "rows": rows,
        "radius_label": radius_label(params.radius_km, miles),
        "next_link": _link(data, cursor=outcome.next_cursor, page=outcome.page + 1) if outcome.next_cursor else None,
        "first_link": _link(data) if params.cursor or outcome.page > 1 else None,
        "pager": _pager(outcome, data),
        "wider": [(label, _link(data, radius_km=value)) for label, value in wider(params.radius_km, miles)],
        "filtered": any(data.get(k) for k in ("price_min", "price_max", "min_rating", "kind", "variant",
                                                "available_on", "within_days", "time_of_day")),
        "unfiltered_link": _link({k: v for k, v in data.items()
                                  if k in ("q", "near", "lat", "lng", "country", "radius_km", "sort")}),
        "map_data": {
            "center": [answer.place.lat, answer.place.lng],
            "radius_km": params.radius_km,
            "markers": [{"lat": r.venue.lat, "lng": r.venue.lng, "name": r.venue.name, "url": row["url"],
                         "label": f"{row['price']} · {row['distance']}"} for r,
                         row in zip(outcome.results, rows, strict=True)],
        },
        "variant_label": variant_label,
        "words": cards.card_words(variant_label, get_language()),
    }


def _pager(outcome: queries.SearchOutcome, data: dict[str, str]) -> dict[str, Any]:
    """The result count and the page links: Previous, numbers around this page (first and last too), Next.

    Next follows the cursor (one query); a number or Previous asks for ?page=N, reached by walking the keyset
    from the first page, so numbers are offered only up to queries.MAX_PAGE_WALK. Every link keeps the search.
    """
    limit, number = outcome.params.limit, outcome.page
    rows = outcome.total_rows or 0
    pages = max(number, -(-rows // limit)) if rows else number
    if outcome.next_cursor is None:
        pages = number  # the walk stopped here: nothing follows, whatever the count said a moment ago
    reachable = min(pages, queries.MAX_PAGE_WALK)

    def url(n: int) -> str:
        if n == number + 1 and outcome.next_cursor:
            return _link(data, cursor=outcome.next_cursor, page=n)
        return _link(data, page=n if n > 1 else None)

    shown = sorted({1, reachable, *range(max(1, number - 2), min(reachable, number + 2) + 1)})
    links: list[dict[str, Any]] = []
    for n in shown:
        if links and n > links[-1]["number"] + 1:
            links.append({"gap": True, "number": n - 1})
        links.append({"number": n, "url": url(n), "current": n == number})
    return {
        "venues": outcome.total_venues or 0, "page": number, "pages": pages, "links": links if pages > 1 else [],
        "previous": url(number - 1) if number > 1 else None, "next": url(number + 1) if outcome.next_cursor else None,
    }


def _place_alternatives(answer: places.PlaceAnswer, data: dict[str, str]) -> list[tuple[str, str]]:
    """Other places of the same name, one per country (the most populous), at most three."""
    seen, links = {answer.place.country if answer.place else ""}, []
    for place in answer.alternatives:
        if place.country not in seen and len(links) < 3:
            seen.add(place.country)
            links.append((_place_label(place), _link(data, near=place.name, country=place.country)))
    return links


def _looks_uk(data: dict[str, str]) -> bool:
    """True when the place named in the form is in the UK (so the radius reads in miles)."""
    near = data.get("near", "")
    if data.get("country", "").upper() == "GB":
        return True
    if not near:
        return False
    answer = places.resolve(near, data.get("country", "").upper() or None)
    return bool(answer.place and answer.place.country == "GB")
