"""Search results write a price with its currency's decimals, as every API answer does (lib.money.money_str): a
yen clinic's mesotherapy is "12000", not "12000.00"; rows stored before say so too once migrated."""

from __future__ import annotations

import json
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps

from pamper.catalog.models import Treatment
from pamper.search import index
from pamper.search.models import SearchRow
from pamper.tests.factories import ServiceFactory, VenueFactory

pytestmark = pytest.mark.django_db


def tokyo_and_london() -> tuple[int, int]:
    meso = Treatment.objects.get(slug="mesotherapy")
    tokyo = VenueFactory(name="Ginza Skin", latitude=35.6717, longitude=139.7650, city="Tokyo", country="JP",
                         timezone="Asia/Tokyo", currency="JPY")
    ServiceFactory(venue=tokyo, treatment=meso, name="Mesotherapy", price=Decimal("12000.00"), currency="JPY")
    london = VenueFactory(name="Soho Skin", latitude=51.5136, longitude=-0.1365)
    ServiceFactory(venue=london, treatment=meso, name="Mesotherapy", price=Decimal("120"), currency="GBP")
    index.reindex_venue(tokyo.pk)
    index.reindex_venue(london.pk)
    return tokyo.pk, london.pk


def prices(client, lat: str, lng: str) -> list[str]:  # type: ignore[no-untyped-def]
    answer = client.get("/api/v1/search", {"q": "mesotherapy", "lat": lat, "lng": lng})
    assert answer.status_code == 200, answer.content
    return [s["price"] for r in answer.json()["results"] for s in r["services"]]


def test_a_yen_price_is_whole_in_search_results(client, catalogue) -> None:  # type: ignore[no-untyped-def]
    tokyo_and_london()
    assert prices(client, "35.67", "139.76") == ["12000"]
    assert prices(client, "51.51", "-0.13") == ["120.00"]


def test_rows_stored_with_yen_decimals_are_rewritten(catalogue) -> None:  # type: ignore[no-untyped-def]
    tokyo, london = tokyo_and_london()
    for pk, price in ((tokyo, "12000.00"), (london, "120.00")):  # as the index wrote them before
        row = SearchRow.objects.get(venue_id=pk)
        services = json.loads(row.services)
        services[0]["price"] = price
        SearchRow.objects.filter(pk=row.pk).update(services=json.dumps(services))
    import_module("pamper.search.migrations.0010_stored_prices_with_their_currencys_decimals").rewrite_prices(
        apps, None)
    assert json.loads(SearchRow.objects.get(venue_id=tokyo).services)[0]["price"] == "12000"
    assert json.loads(SearchRow.objects.get(venue_id=london).services)[0]["price"] == "120.00"
