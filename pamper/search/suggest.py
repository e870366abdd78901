"""Autocomplete for the search box: what (treatments, groups of treatments) and where (towns, postcodes).

No SQL against the database (the matcher is in memory; the place index and postcodes come from their local
read-only file), well under 20 ms a call
(bench/bench_suggest.py measures it). Each suggestion has a `label` to show and a `value` to put in the
box: searching the value finds what the suggestion named.
"""

from __future__ import annotations

from typing import Any

from . import places, postcodes, understand
from .meaning import language_now


def what(text: str, limit: int = 8, language: str | None = None) -> list[dict[str, Any]]:
    """Groups first when a word of theirs starts with the text ('nai' -> Nails), then treatments."""
    language = (language or language_now())[:2]
    found = understand.catalogue()
    out: list[dict[str, Any]] = []
    for group, word in found.suggest_groups(text, limit=2, language=language):
        out.append({"kind": "group", "slug": group.slug, "label": group.label(language), "value": word,
                    "detail": ", ".join(t.name for t in group.treatments[:4])})
    for hit in found.suggest(text, limit=limit, language=language):
        name = hit.treatment.name
        shown = hit.label if hit.kind in ("name", "synonym") else name
        out.append({"kind": "treatment", "slug": hit.treatment.slug, "label": shown, "value": shown,
                    "detail": name if shown.casefold() != name.casefold() else hit.treatment.category})
    return out[:limit]


def where(text: str, limit: int = 8, language: str | None = None) -> list[dict[str, Any]]:
    """A postcode's town first, then towns whose name starts with the text (served countries first)."""
    prefer = places.country_for_language(language or language_now())
    index = places.index()
    found = [index.postcode(text, None, prefer)] if postcodes.looks_like_postcode(text) else []
    towns = [a.place for a in found if a and a.place] + index.autocomplete(text, limit)
    out, seen = [], set()
    for place in towns:
        label = index.label(place)
        if label not in seen:
            seen.add(label)
            out.append({"kind": "place", "label": label, "value": text.strip() if place is towns[0] and found
                        else label, "country": place.country, "lat": place.lat, "lng": place.lng})
    return out[:limit]
