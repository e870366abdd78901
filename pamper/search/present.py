"""JSON forms of search answers: places, one result, and the whole page of GET /api/v1/search."""

from __future__ import annotations

from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from . import places
from .params import SearchParams
from .queries import Result, SearchOutcome

_JSON = DjangoJSONEncoder()  # one encoder for every answer: json.dumps(cls=...) would build one per result


def place_out(place: places.Place) -> dict[str, Any]:
    """A place with its display label (name and country)."""
    label = places.index().label(place) if place.country else place.name
    return {"name": place.name, "country": place.country, "lat": place.lat, "lng": place.lng, "label": label,
            "timezone": place.timezone}


def _result_json(result: Result) -> str:
    """One result as JSON; the services are the row's stored JSON, spliced in as they are."""
    venue = result.venue
    head = _JSON.encode({
        "venue": {
            "id": venue.id, "slug": venue.slug, "name": venue.name, "kind": venue.kind, "address": venue.address,
            "city": venue.city, "postcode": venue.postcode, "country": venue.country, "lat": venue.lat,
            "lng": venue.lng, "rating": venue.rating, "review_count": venue.review_count, "timezone": venue.timezone,
            "url": venue.url,
        },
        "distance_km": round(result.distance_km, 3),
        "next_available": result.next_available,
        "score": result.score.as_dict() if result.score else None,
    })
    return f'{head[:-1]},"services":{result.services_json}}}'


def understood_json(outcome: SearchOutcome) -> dict[str, Any]:
    """What the text was read as: the treatment words and place words, the treatment or group found, and
    the place (the same for a page of results and for a search that still needs a place)."""
    meant, wanted = outcome.understanding, outcome.intent
    group = meant.group
    answer = outcome.place.place if outcome.place else None
    return {
        "what": meant.query,
        "where": wanted.where if wanted else outcome.params.near,
        "near_me": bool(wanted and wanted.near_me),
        "treatment": {"slug": meant.treatment.slug, "name": meant.treatment.name} if meant.treatment else None,
        "group": {"slug": group.slug, "name": group.name,
                  "treatments": [{"slug": t.slug, "name": t.name} for t in group.treatments]} if group else None,
        "everything": bool(wanted and wanted.everything),
        "place": place_out(answer) if answer else None,
    }


def search_json(outcome: SearchOutcome, params: SearchParams) -> str:
    """The answer to GET /search as JSON text, in the SearchOut shape (pamper.search.api documents it)."""
    meant, place = outcome.understanding, outcome.place.place  # type: ignore[union-attr]
    # Built to the SearchOut shape (the schema documents it; tests check it) and
    # serialised directly: validating twenty results again would cost more than
    # the query, and each result's services are already JSON on its row.
    body = {
        "treatment": {"slug": meant.treatment.slug, "name": meant.treatment.name} if meant.treatment else None,
        "understood": understood_json(outcome),
        "understood_as": meant.understood_as or "",
        "variant": meant.variant,
        "alternatives": [{"slug": t.slug, "name": t.name} for t in meant.alternatives],
        "place": place_out(place),  # type: ignore[arg-type]
        "radius_km": params.radius_km,
        "sort": params.sort,
        "next_cursor": outcome.next_cursor,
    }
    head = _JSON.encode(body)
    listed = ",".join(_result_json(r) for r in outcome.results)
    return f'{head[:-1]},"results":[{listed}]}}'
