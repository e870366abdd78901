"""Small builders for venue tests: treatments from the shared factories (pamper/tests/factories.py); venues,
services and staff made through venues.actions, the path these tests are about."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pamper.catalog.models import Treatment
from pamper.tests.factories import CategoryFactory, TreatmentFactory
from pamper.venues import actions
from pamper.venues.models import Service, Staff, Venue


def treatment(slug: str = "gel-manicure", *, category: str = "nails", **fields: Any) -> Treatment:
    defaults: dict[str, Any] = {
        "name": slug.replace("-", " ").capitalize(), "summary": f"About {slug}.",
        "session_minutes": 45, "price_from": Decimal("20"), "price_to": Decimal("40"),
    }
    defaults.update(fields)
    cat = CategoryFactory(slug=category, name=category.replace("-", " ").title())
    return TreatmentFactory(slug=slug, category=cat, **defaults)


def venue(name: str = "Studio Test", *, country: str = "GB", city: str = "London", **fields: Any) -> Venue:
    defaults: dict[str, Any] = {
        "kind": "salon", "address": "1 High Street", "postcode": "N1 1AA", "latitude": 51.5, "longitude": -0.12,
    }
    defaults.update(fields)
    return actions.create_venue(name=name, country=country, city=city, **defaults)


def service(venue: Venue, t: Treatment, *, price: str = "45", minutes: int = 45, **fields: Any) -> Service:
    return actions.save_service(venue=venue, treatment=t, name=fields.pop("name", t.name), price=price,
                                duration_minutes=minutes, **fields)


def staff(venue: Venue, name: str, *, services: list[Service], title: str = "Stylist", **fields: Any) -> Staff:
    return actions.save_staff(venue=venue, name=name, title=title, services=services, **fields)


def t(hours: int, minutes: int = 0) -> dt.time:
    return dt.time(hours, minutes)
