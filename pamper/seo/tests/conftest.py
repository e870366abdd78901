"""Landing-page fixtures: the real catalogue and venues in London, Manchester, Leeds and Paris, indexed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache

from pamper.catalog.models import Treatment
from pamper.search import index, queries, understand
from pamper.tests.factories import ServiceFactory, VenueFactory
from pamper.tests.snapshot import replayed
from pamper.tests.world import real_catalogue
from pamper.venues.models import Venue

# name: (city, lat, lng, kind, [(treatment slug, price)])
SPOTS = {
    "Soho Skin": ("London", 51.5136, -0.1365, "clinic", [("mesotherapy", "120"), ("anti-wrinkle-injections", "180")]),
    "Camden Clinic": ("London", 51.5390, -0.1426, "clinic", [("mesotherapy", "150"), ("microneedling", "200")]),
    "Brixton Beauty": ("London", 51.4613, -0.1156, "salon", [("mesotherapy", "90"), ("gel-manicure", "30")]),
    "Northern Quarter Skin": ("Manchester", 53.4840, -2.2360, "clinic", [("mesotherapy", "100")]),
    "Leeds Nails": ("Leeds", 53.7990, -1.5450, "salon", [("gel-manicure", "25"), ("manicure", "18")]),
    "Paris Peau": ("Paris", 48.8600, 2.3500, "clinic", [("mesotherapy", "110")]),
}


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    understand.reset()
    queries.medians.clear()
    cache.clear()  # landing entries and versions of an earlier test's rows


def build_towns() -> dict[str, Venue]:
    """{name: venue} for SPOTS, the search index built; every venue open 09:00-18:00."""
    real_catalogue()
    treatments = {t.slug: t for t in Treatment.objects.all()}
    venues = {}
    for name, (city, lat, lng, kind, offers) in SPOTS.items():
        paris = city == "Paris"
        venue = VenueFactory(name=name, city=city, latitude=lat, longitude=lng, kind=kind,
                             country="FR" if paris else "GB", timezone="Europe/Paris" if paris else "Europe/London",
                             currency="EUR" if paris else "GBP", hours=("09:00", "18:00"),
                             description=f"{name}, a {kind} in {city}.")
        for slug, price in offers:
            ServiceFactory(venue=venue, treatment=treatments[slug], price=Decimal(price))
        venues[name] = venue
    index.rebuild_index()
    return venues


@pytest.fixture
def towns_world(db, frozen) -> dict[str, Venue]:  # type: ignore[no-untyped-def]
    """build_towns() with the clock stopped at the shared world's now (built once per worker, then copied back:
    pamper/tests/snapshot.py)."""
    return replayed("towns", build_towns)
