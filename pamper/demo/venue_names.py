"""Venue names and slugs no other venue has, settled in index order once the venues are drawn.

The generator (generate.py) draws each venue's first name from a random
generator of the venue's own (generate.name_rng), so it can draw venues in any
order and in several processes. Whether that name is taken by an earlier
venue is only known in index order: the Namer walks the drafts that way, takes
the next names from the same generator when a name is taken (as a second shop
of a name gets another), then tells the venue apart by its area or a number
('London Hair Rooms Islington'), and gives each a slug no other venue has
(-2, -3 ... after the name and city). A generator that has itself drawn the
same first name for an earlier venue knows it taken, and draws the next names
itself (in a worker, beside the others) instead of leaving that to the Namer.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from pamper.venues.actions import slug_base
from pamper.venues.models import Venue

from . import locale
from .places import City
from .writer import COLUMNS

REDRAWS = 5
NAME, SLUG, EMAIL = (COLUMNS[Venue].index(column) for column in ("name", "slug", "email"))


@dataclass(slots=True)
class VenueDraft:
    """A venue's row with its name, slug and e-mail still None, and what settling them needs."""

    index: int
    row: tuple
    name: str  # the first name drawn
    slug_base: str  # of that name
    city: City
    kind: str
    lang: str
    redraws: tuple[str, ...] = ()  # the next REDRAWS names, drawn by the generator when it knew the first taken


@dataclass(slots=True)
class Chunk:
    """What a generator returns for a run of venues: their drafts in order, the weekly schedules it met first
    (when its sink does not write them), and the rows it wrote per table."""

    drafts: list[VenueDraft]
    weeks: list[tuple[int, tuple]]
    written: dict[str, int]


class Namer:
    """Settles drafts into venue rows, in index order."""

    def __init__(self, *, name_rng: Callable[[int], random.Random], taken_names: set[str],
                 taken_slugs: set[str]) -> None:
        self.name_rng, self.taken_names, self.taken_slugs = name_rng, taken_names, taken_slugs

    def row(self, draft: VenueDraft) -> tuple:
        name, base = draft.name, draft.slug_base
        if name.casefold() in self.taken_names:
            name = self.another_name(draft)
            base = slug_base(name, draft.city.name)
        self.taken_names.add(name.casefold())
        slug = self.slug(base)
        row = list(draft.row)
        row[NAME], row[SLUG], row[EMAIL] = name, slug, f"hello@{slug[:40].strip('-')}.example.com"
        return tuple(row)

    def another_name(self, draft: VenueDraft) -> str:
        """The first of the venue's next names not taken, else the last told apart by its area or a number."""
        names = draft.redraws or redraw(self.name_rng(draft.index), draft)
        for name in names:
            if name.casefold() not in self.taken_names:
                return name
        first, name, n = names[-1], names[-1], 1
        while name.casefold() in self.taken_names:
            n += 1
            district = draft.city.district
            name = f"{first} {district}" if n == 2 and district else f"{first} {n}"
        return name

    def slug(self, base: str) -> str:
        slug, n = base, 1
        while slug in self.taken_slugs:
            n += 1
            slug = f"{base}-{n}"
        self.taken_slugs.add(slug)
        return slug


def next_names(rng: random.Random, city: City, kind: str, lang: str) -> tuple[str, ...]:
    """The REDRAWS names a venue's name generator gives next (after the first, already drawn from `rng`)."""
    return tuple(locale.venue_name(rng, city, kind, lang) for _ in range(REDRAWS))


def redraw(rng: random.Random, draft: VenueDraft) -> tuple[str, ...]:
    """The REDRAWS names the venue's name generator gives after its first (`rng` fresh from name_rng)."""
    locale.venue_name(rng, draft.city, draft.kind, draft.lang)  # the draft's own name, drawn again
    return next_names(rng, draft.city, draft.kind, draft.lang)
