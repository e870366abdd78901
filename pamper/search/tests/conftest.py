"""Search test fixtures: a fresh matcher per test and the London venues (the real catalogue is the root
`catalogue` fixture)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pamper.catalog.models import Treatment
from pamper.search import index, queries, understand
from pamper.tests.factories import ServiceFactory, VenueFactory
from pamper.tests.snapshot import replayed
from pamper.venues.models import Venue


@pytest.fixture(autouse=True)
def _fresh_search_caches() -> None:
    understand.reset()
    queries.medians.clear()


@pytest.fixture
def london(catalogue):  # type: ignore[no-untyped-def]
    """Mesotherapy and anti-wrinkle venues around central London, one in Paris; the index built.

    Returns {name: venue}. 'Soho Skin' (0.9 km from the centre) is the
    nearest; 'Camden Clinic' (4 km) offers needle-free mesotherapy; 'Far
    Away' is 30 km out; 'Botox Only' offers no mesotherapy. Built once per worker, then copied back
    (pamper/tests/snapshot.py).
    """
    return replayed("london", _build_london)


SPOTS = {
    "Soho Skin": (51.5136, -0.1365, "clinic", [("Mesotherapy", "120", "")]),
    "Camden Clinic": (51.5390, -0.1426, "clinic",
                      [("Mesotherapy", "150", ""), ("Needle-free mesotherapy", "160", "needle-free")]),
    "Brixton Beauty": (51.4613, -0.1156, "salon", [("Mesotherapy", "90", "")]),
    "Greenwich Glow": (51.4826, -0.0077, "spa", [("Mesotherapy", "200", "")]),
    "Far Away": (51.7500, -0.3400, "clinic", [("Mesotherapy", "80", "")]),
    "Botox Only": (51.5100, -0.1300, "clinic", []),
    "Paris Peau": (48.8600, 2.3500, "clinic", [("Mésothérapie", "110", "")]),
}


def _build_london() -> dict[str, Venue]:
    meso = Treatment.objects.get(slug="mesotherapy")
    botox = Treatment.objects.get(slug="anti-wrinkle-injections")
    venues = {}
    for name, (lat, lng, kind, services) in SPOTS.items():
        paris = name.startswith("Paris")
        venue = VenueFactory(name=name, latitude=lat, longitude=lng, kind=kind, city="Paris" if paris else "London",
                             country="FR" if paris else "GB", timezone="Europe/Paris" if paris else "Europe/London",
                             currency="EUR" if paris else "GBP")
        for service_name, price, variant in services:
            ServiceFactory(venue=venue, treatment=meso, name=service_name, price=Decimal(price), variant=variant)
        ServiceFactory(venue=venue, treatment=botox, name="Anti-wrinkle, one area", price=Decimal("180"))
        venues[name] = venue
    index.rebuild_index()
    return venues
