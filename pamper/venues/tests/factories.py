"""Small builders for venue tests: a category, treatments and a venue made through venues.actions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pamper.catalog.models import Category, Treatment
from pamper.venues import actions
from pamper.venues.models import Service, Staff, Venue


def treatment(slug: str = "gel-manicure", *, category: str = "nails", **fields: Any) -> Treatment:
    cat, _ = Category.objects.get_or_create(slug=category, defaults={"name": category.replace("-", " ").title()})
    defaults: dict[str, Any] = {
        "name": slug.replace("-", " ").capitalize(), "category": cat, "summary": f"About {slug}.",
        "session_minutes": 45, "price_from": Decimal("20"), "price_to": Decimal("40"),
    }
    defaults.update(fields)
    row, _ = Treatment.objects.update_or_create(slug=slug, defaults=defaults)
    return row


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
