"""JSON API for search: GET /search, and GET /places for autocomplete.

Also the catalogue's GET /treatments?q= (treatment autocomplete): it ranks
with this app's matcher, and catalog stands below search, so it is served here.

The availability filters read each offering's first free slot, kept on the
search row by the booking engine, so they are approximations:
- within_days=N: the first free slot is within N days (exact);
- available_on=D: the first free slot falls on or before D, local date (a
  venue free earlier is usually still free on D; the venue page shows the
  true grid);
- time_of_day: the first free slot is in the morning (before 12:00), the
  afternoon (12:00-17:00) or the evening (from 17:00), venue local time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema

from pamper.catalog.api import MAX_QUERY_LENGTH, TreatmentSummaryOut
from pamper.catalog.models import Category, Treatment
from pamper.errors import ErrorOut, Refusal
from pamper.lib import clock

from . import places, queries, suggest
from .params import SearchParams, problems
from .present import place_out, search_json, understood_json
from .understand import ranked_treatment_ids

router = Router(tags=["search"])


class SuggestionOut(Schema):
    kind: str = Field(description="treatment, group (several treatments under one word) or place.")
    label: str = Field(description="What to show.")
    value: str = Field(description="What to put in the box: searching it finds what the suggestion names.")
    detail: str = Field("", description="A second line: the treatment's name or category, a group's treatments.")
    slug: str = Field("", description="The treatment's or group's slug.")
    country: str = Field("", description="A place's country (ISO 3166-1 alpha-2).")
    lat: float | None = None
    lng: float | None = None


class TreatmentRefOut(Schema):
    slug: str
    name: str


class PlaceOut(Schema):
    name: str
    country: str = Field(description="ISO 3166-1 alpha-2; empty for a point at sea.")
    lat: float
    lng: float
    label: str = Field(description="Name and country, for display.")
    timezone: str


class ServiceOut(Schema):
    id: int
    name: str
    price: str = Field(description="Decimal amount as a string.", examples=["85.00"])
    currency: str
    duration_minutes: int
    variant: str
    online_bookable: bool


class VenueOut(Schema):
    id: int
    slug: str
    name: str
    kind: str
    address: str
    city: str
    postcode: str
    country: str
    lat: float
    lng: float
    rating: float | None = Field(description="Average rating 1-5; null before the first review.")
    review_count: int
    timezone: str
    url: str


class ScoreOut(Schema):
    rating: float
    distance: float
    price: float
    availability: float
    variant: float
    total: float


class ResultOut(Schema):
    venue: VenueOut
    distance_km: float = Field(description="Great-circle distance from the searched point.")
    services: list[ServiceOut] = Field(description="The venue's services for the treatment, cheapest first.")
    next_available: dt.datetime | None = Field(description="First free slot (UTC); null when unknown or none.")
    score: ScoreOut | None = Field(None, description="The recommended score's parts (explain=1 only).")


class GroupOut(Schema):
    slug: str
    name: str
    treatments: list[TreatmentRefOut]


class UnderstoodOut(Schema):
    what: str = Field(description="The words read as the treatment.")
    where: str | None = Field(description="The words read as the place (from near, or out of q).")
    near_me: bool = Field(description="q asked for somewhere near the visitor: give lat and lng.")
    treatment: TreatmentRefOut | None
    group: GroupOut | None = Field(description="A word meaning several treatments ('nails'): all are searched.")
    everything: bool = Field(description="No treatment asked for: venues of every kind near the place.")
    place: PlaceOut | None


class SearchOut(Schema):
    treatment: TreatmentRefOut | None = Field(description="The treatment searched; null for a group or a place alone.")
    understood: UnderstoodOut
    understood_as: str = Field(examples=["Showing Mesotherapy for 'mesotherepy'"])
    variant: str | None = Field(description="A variant the text asked for; venues offering it rank first.")
    alternatives: list[TreatmentRefOut] = Field(description="Other treatments the text could mean.")
    place: PlaceOut
    radius_km: float
    sort: str
    results: list[ResultOut]
    next_cursor: str | None = Field(description="Pass as cursor for the next page; null on the last page.")


def _problem(outcome: queries.SearchOutcome) -> Refusal:
    problem = outcome.problem
    assert problem is not None
    if problem.code == "treatment_not_found":
        suggestions = [{"slug": t.slug, "name": t.name} for t in problem.suggestions]
    elif problem.code == "place_not_found":
        suggestions = [place_out(p) for p in problem.suggestions]
    else:
        suggestions = []
    if problem.code == "bad_cursor":
        return Refusal(400, problem.code, problem.message)
    return Refusal(422, problem.code, problem.message, suggestions=suggestions, understood=understood_json(outcome))


# Tagged and named as the catalogue's operation it has always been (clients see no change); served here because
# it ranks with this app's matcher.
@router.get(
    "/treatments",
    response={200: list[TreatmentSummaryOut], 422: ErrorOut},
    summary="List treatments, optionally matching a text and a category",
    tags=["catalog"],
    operation_id="pamper_catalog_api_list_treatments",
)
def list_treatments(
    request: HttpRequest,
    q: str = Query("", max_length=MAX_QUERY_LENGTH, description="Words to match in names, synonyms and conditions."),
    category: str = Query("", max_length=60, description="A category slug, e.g. hair-removal."),
) -> list[Treatment]:
    """Treatments in catalogue order (category, then name), or best match first when q is given."""
    rows = Treatment.objects.select_related("category").order_by("category__position", "name")
    if category:
        if not Category.objects.filter(slug=category).exists():
            raise Refusal(422, "invalid", gettext("category: no category called %(repr)s.") % {"repr": repr(category)},
                           errors=[{"field": "category", "message": "unknown category"}])
        rows = rows.filter(category__slug=category)
    if not q.strip():
        return list(rows)
    # Prefixes for autocomplete, typos, synonyms and concerns.
    by_id = {t.id: t for t in rows}
    return [by_id[i] for i in ranked_treatment_ids(q) if i in by_id]


@router.get("/search", response={200: SearchOut, 400: ErrorOut, 422: ErrorOut},
            summary="Venues offering a treatment near a place")
def search(request: HttpRequest, params: Query[SearchParams]) -> HttpResponse:
    """Free text for what (typos, synonyms, concerns and words for several treatments understood, in seven
    languages) and where (a town, a postcode or lat/lng); with no place given, q may hold both ("botox london").

    `understood` says how the text was read. 422 with the error shape for bad parameters, for text that
    names no treatment (with `suggestions`), for a treatment with no place (`place_needed`, with
    `understood`: ask the visitor where) and for an unknown place (with `suggestions`); 400 bad_cursor
    for a cursor this server did not make for these parameters (tampered, or reused with another radius,
    place, sort or filter).
    """
    found = problems(params)
    if found:
        errors = [{"field": f, "message": m} for f, m in found]
        raise Refusal(422, "invalid", f"{found[0][0]}: {found[0][1]}", errors=errors)
    outcome = queries.find(params, clock.now())
    if outcome.problem:
        raise _problem(outcome)
    return HttpResponse(search_json(outcome, params), content_type="application/json")


@router.get("/places", response={200: list[PlaceOut], 422: ErrorOut}, summary="Autocomplete for towns and cities")
def list_places(
    request: HttpRequest,
    q: str = Query(..., min_length=1, max_length=100, description="The start of a town's name, in any language."),
    limit: int = Query(8, ge=1, le=20),
) -> list[dict[str, Any]]:
    """Towns whose name or alternative name starts with q, most populous first (typos get near misses)."""
    return [place_out(p) for p in places.autocomplete(q, limit)]


@router.get("/suggest", response={200: list[SuggestionOut], 422: ErrorOut},
            summary="Autocomplete for the search box: what or where")
def suggest_terms(
    request: HttpRequest,
    q: str = Query(..., min_length=1, max_length=100, description="What has been typed so far."),
    kind: Literal["what", "where"] = Query("what", description="Suggest treatments (what) or places (where)."),
    limit: int = Query(8, ge=1, le=20),
) -> list[dict[str, Any]]:
    """In the visitor's language (Accept-Language): group words and treatments for what, towns and postcodes
    (served countries first) for where. Answers from memory, no database query."""
    return suggest.what(q, limit) if kind == "what" else suggest.where(q, limit)
