"""The admin cannot put a venue's services in another currency than the venue's: before, a venue's currency
changed in the admin left its services (and their bookings) in the old one, and a service's own currency could be
set to anything there. The venue's settings page is the one place a currency changes (it checks the prices)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client as HttpClient

from pamper.accounts.models import User
from pamper.tests.factories import VenueFactory
from pamper.tests.world import World
from pamper.venues.models import Service, Venue

pytestmark = pytest.mark.django_db


def operator() -> HttpClient:
    user = User.objects.create_superuser(email="operator@example.com", password=None)
    browser = HttpClient()
    browser.force_login(user)
    return browser


def service_form(venue: Venue, service: Service, **changes: Any) -> dict[str, Any]:
    return {"venue": venue.pk, "treatment": service.treatment_id, "kind": service.kind, "name": service.name,
            "description": "", "variant": "", "price": str(service.price), "duration_minutes": 30,
            "buffer_before": 0, "buffer_after": 0, "resource": "", "online_bookable": "on", "is_active": "on",
            "position": 0, **changes}


def test_a_service_keeps_its_venues_currency_whatever_the_admin_form_says(world: World) -> None:
    service, admin = world.facial_service, operator()
    answer = admin.post(f"/admin/venues/service/{service.pk}/change/", service_form(world.venue, service,
                                                                                    currency="EUR"))
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert Service.objects.get(pk=service.pk).currency == world.venue.currency == "GBP"


def test_a_service_added_in_the_admin_takes_its_venues_currency_and_its_decimals(world: World) -> None:
    tokyo = VenueFactory(name="Tokyo Nails", slug="tokyo-nails", currency="JPY", timezone="Asia/Tokyo")
    admin, model = operator(), world.facial_service
    refused = admin.post("/admin/venues/service/add/", service_form(tokyo, model, price="1050.50", currency="GBP"))
    assert refused.status_code == 200 and not Service.objects.filter(venue=tokyo).exists()
    added = admin.post("/admin/venues/service/add/", service_form(tokyo, model, price="1050", currency="GBP"))
    assert added.status_code == 302, added.content.decode()[:2000]
    assert Service.objects.get(venue=tokyo).price == Decimal("1050")
    assert Service.objects.get(venue=tokyo).currency == "JPY"


def test_the_venue_change_page_shows_the_currency_without_a_field_for_it(world: World) -> None:
    admin = operator()
    page = admin.get(f"/admin/venues/venue/{world.venue.pk}/change/").content.decode()
    assert 'name="currency"' not in page and "GBP" in page
    assert 'name="currency"' in admin.get("/admin/venues/venue/add/").content.decode()  # chosen when added
