"""What a search asks for, read from its parameters: the treatment words, the place, or both in one box.

Pure (the in-memory matcher and place index, no SQL). The page and the API read the same intent:
- a place given (near, or lat and lng): `q` is all treatment words; no `q` means every treatment there;
- no place given: `q` is split into what and where (search/onebox.py): "botox london", "massage paris";
- a treatment and no place at all: `needs_place` (the page shows the guide and asks where; the API says
  what it understood), never a bare error.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import onebox, places, understand
from .meaning import Understanding, language_now
from .params import SearchParams


@dataclass(frozen=True)
class Intent:
    understanding: Understanding
    where: str | None  # the place text to resolve (from `near` or out of `q`); None with lat/lng or no place
    has_point: bool = False  # lat and lng were given
    split: bool = False  # the place came out of `q`
    near_me: bool = False  # `q` ended in "near me" or its kin
    everything: bool = False  # no treatment asked for: venues of every kind near the place

    @property
    def needs_place(self) -> bool:
        return not self.has_point and not self.where

    @property
    def treatment_ids(self) -> tuple[int, ...]:
        """The treatments to search: the understood one(s), or every treatment for a place-only search."""
        if self.everything:
            return tuple(sorted(understand.catalogue().treatments))
        return self.understanding.treatment_ids


def read(params: SearchParams, language: str | None = None) -> Intent:
    """The intent of these parameters in the visitor's language (the active one when None)."""
    language = (language or language_now())[:2]
    text = (params.q or "").strip()
    has_point = params.lat is not None and params.lng is not None
    near = (params.near or "").strip() or None
    if near or has_point:
        return Intent(understand.understand(text, language), near, has_point, everything=not text)
    box = onebox.split(text, understand.catalogue(), places.index(), language,
                       places.country_for_language(language))
    meant = understand.understand(box.what, language)
    return Intent(meant, box.where, False, split=box.where is not None, near_me=box.near_me,
                  everything=not box.what and box.where is not None)
