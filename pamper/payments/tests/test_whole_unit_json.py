"""Money in the API has as many decimals as its currency: ¥1050 is "1050", £45 is "45.00".

The prices of a venue in yen were whole (cb701a0), yet every API answer wrote them "1050.00": the services, the
bookings, the deposit asked for, the payment policy's fixed amounts. Every answer now writes money through one
helper, pamper.lib.money.money_str(amount, currency); the search results' stored services are in
pamper/search/tests/test_whole_unit_prices.py.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from pamper.accounts.models import Role
from pamper.bookings import export
from pamper.bookings.tests import helpers as h
from pamper.lib.money import money_str
from pamper.payments import rules
from pamper.tests.factories import member
from pamper.venues.models import Service, Venue

from .conftest import deposit_policy

pytestmark = pytest.mark.django_db


def in_yen(shop: h.Shop, currency: str = "JPY") -> Venue:
    Venue.objects.filter(pk=shop.venue.pk).update(currency=currency)
    Service.objects.filter(pk=shop.cut.pk).update(currency=currency, price=Decimal("1050.00"))
    Service.objects.filter(pk=shop.colour.pk).update(currency=currency, price=Decimal("3000"))
    shop.venue.refresh_from_db()
    return shop.venue


@pytest.mark.parametrize(("amount", "currency", "shown"), [
    (Decimal("1050.00"), "JPY", "1050"), (Decimal("1E+3"), "KRW", "1000"), (Decimal(1999), "HUF", "1999"),
    (Decimal(45), "GBP", "45.00"), (Decimal("37.5"), "EUR", "37.50"), (Decimal("12.345"), "GBP", "12.35"),
    (Decimal("12.35"), "BHD", "12.350"), (Decimal("0.00"), "JPY", "0"),
    (Decimal("105.50"), "HUF", "105.50"),  # a share Stripe charges in hundredths of a forint keeps them
])
def test_money_is_written_with_its_currencys_decimals(amount: Decimal, currency: str, shown: str) -> None:
    assert money_str(amount, currency) == shown


def test_minor_units_are_written_the_same_way() -> None:
    assert rules.major_str(105000, "HUF") == "1050" and rules.major_str(1050, "JPY") == "1050"
    assert rules.major_str(4500, "GBP") == "45.00" and rules.major_str(10550, "HUF") == "105.50"


def test_a_yen_venue_its_services_and_bookings_have_whole_prices(client, shop) -> None:  # type: ignore[no-untyped-def]
    venue = in_yen(shop)
    detail = client.get(f"/api/v1/venues/{venue.pk}").json()
    assert {s["name"]: s["price"] for s in detail["services"]} == {"Cut and finish": "1050", "Colour": "3000"}

    owner = member(venue, Role.OWNER)
    services = client.get(f"/api/v1/partner/venues/{venue.pk}/services", **h.bearer(owner)).json()
    assert sorted(s["price"] for s in services) == ["1050", "3000"]

    body = {"venue_id": venue.pk, "services": [shop.cut.pk, shop.colour.pk], "start": "2026-05-05T10:00:00+01:00"}
    booked = client.post("/api/v1/bookings", json.dumps(body), content_type="application/json",
                         **h.bearer(h.customer()))
    assert booked.status_code == 201, booked.content
    assert booked.json()["total_price"] == "4050" and booked.json()["currency"] == "JPY"
    assert [i["price"] for i in booked.json()["items"]] == ["1050", "3000"]
    diary = client.get(f"/api/v1/partner/venues/{venue.pk}/bookings/{booked.json()['id']}", **h.bearer(owner))
    assert diary.status_code == 200, diary.content
    assert diary.json()["total_price"] == "4050"


@pytest.mark.parametrize("currency", ["JPY", "HUF"])  # Stripe counts forints in hundredths, people in forints
def test_a_whole_unit_deposit_and_fixed_policy_are_whole(client, shop, stripe_on, currency) -> None:  # type: ignore[no-untyped-def]
    venue = in_yen(shop, currency)
    deposit_policy(venue, deposit_kind="fixed", deposit_value=Decimal("500.00"))
    body = {"venue_id": venue.pk, "services": [shop.cut.pk], "start": "2026-05-08T10:00:00+01:00"}
    booked = client.post("/api/v1/bookings", json.dumps(body), content_type="application/json",
                         **h.bearer(h.customer()))
    assert booked.status_code == 201, booked.content
    assert booked.json()["payment"]["amount"] == "500"

    owner = member(venue, Role.OWNER)
    policy = client.get(f"/api/v1/partner/venues/{venue.pk}/payment-policy", **h.bearer(owner)).json()
    assert policy["deposit_value"] == "500" and policy["no_show_fee_value"] == "50.00"  # a percentage, as stored


def test_a_pound_booking_keeps_its_pence(client, shop) -> None:  # type: ignore[no-untyped-def]
    body = {"venue_id": shop.venue.pk, "services": [shop.cut.pk], "start": "2026-05-05T10:00:00+01:00"}
    booked = client.post("/api/v1/bookings", json.dumps(body), content_type="application/json",
                         **h.bearer(h.customer()))
    assert booked.json()["total_price"] == "45.00" and booked.json()["items"][0]["price"] == "45.00"


def test_the_persons_export_writes_yen_bookings_whole(client, shop) -> None:  # type: ignore[no-untyped-def]
    venue, customer = in_yen(shop), h.customer()
    body = {"venue_id": venue.pk, "services": [shop.cut.pk], "start": "2026-05-05T10:00:00+01:00"}
    booked = client.post("/api/v1/bookings", json.dumps(body), content_type="application/json",
                         **h.bearer(customer))
    assert booked.status_code == 201, booked.content
    [row] = export.section(user=customer, now=h.utc(2026, 5, 4, 8)).data
    assert row["total_price"] == "1050" and row["services"][0]["price"] == "1050"
