"""A venue pricing in a currency Pamper takes no payments in is booked and paid at the venue, never a 500.

The venue settings offer every country's currency (about 150), the payments know the minor units of 17. A venue
in dirhams (AED) with a deposit policy, on a site with Stripe keys, answered every booking with a 500: 'Unknown
currency' while quoting the deposit. Such a visit now asks nothing up front, as with payments off.
"""

from __future__ import annotations

import json

import pytest

from pamper.bookings.tests import helpers as h
from pamper.payments import rules
from pamper.venues.models import Service, Venue

from .conftest import deposit_policy

pytestmark = pytest.mark.django_db


def test_a_currency_without_payments_is_paid_at_the_venue(client, shop, settings):  # type: ignore[no-untyped-def]
    settings.STRIPE_SECRET_KEY, settings.STRIPE_PUBLISHABLE_KEY = "sk_test_pamper", "pk_test_pamper"
    Venue.objects.filter(pk=shop.venue.pk).update(currency="AED")
    Service.objects.filter(venue=shop.venue).update(currency="AED")
    deposit_policy(shop.venue)
    body = {"venue_id": shop.venue.id, "services": [shop.cut.id], "start": "2026-05-08T10:00:00+01:00"}
    response = client.post("/api/v1/bookings", json.dumps(body), content_type="application/json",
                           **h.bearer(h.customer()))
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "confirmed" and response.json().get("payment") is None
    assert response.json()["currency"] == "AED"


def test_pamper_takes_payments_only_in_currencies_it_knows() -> None:
    assert rules.takes("GBP") and rules.takes("eur") and rules.takes("JPY")
    assert not rules.takes("AED") and not rules.takes("")


def test_the_policies_page_tells_the_owner_clients_pay_at_the_venue(world) -> None:  # type: ignore[no-untyped-def]
    owner, venue = world.browser("owner"), world.venue
    assert 'id="no-card-payments"' not in owner.get(f"/partner/{venue.pk}/policies/").content.decode()
    Venue.objects.filter(pk=venue.pk).update(currency="AED")
    page = owner.get(f"/de/partner/{venue.pk}/policies/").content.decode()
    assert 'id="no-card-payments"' in page and "Pamper nimmt keine Kartenzahlungen in AED entgegen" in page
