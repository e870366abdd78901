"""A price has no more decimals than its currency: yen, won and forint are whole amounts.

A venue in yen could price a service at ¥1050.50 (through the partner API, the service form or the action) and set
a fixed deposit of ¥500.50; the payment then charged ¥1051 (rounded to whole yen) for a price the menu showed as
¥1050.50. The rule is the model's (Service.clean, PaymentPolicy.clean), so every way in refuses the same way, in
the owner's language; a refund typed with yen decimals is refused, not rounded up.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from pamper.accounts.models import Role
from pamper.bookings.tests import helpers as h
from pamper.errors import Refusal
from pamper.payments.forms import parse_amount
from pamper.payments.models import PaymentPolicy
from pamper.tests.factories import member
from pamper.venues.actions import save_service
from pamper.venues.models import Service, Venue

pytestmark = pytest.mark.django_db

WHOLE = "Amounts in JPY are whole numbers: leave out the decimals."


def in_yen(shop: h.Shop) -> Venue:
    Venue.objects.filter(pk=shop.venue.pk).update(currency="JPY")
    Service.objects.filter(venue=shop.venue).update(currency="JPY", price=Decimal(4500))
    shop.venue.refresh_from_db()
    return shop.venue


def api(client, user, method: str, path: str, body: dict, **headers: str):  # type: ignore[no-untyped-def]
    return client.generic(method, f"/api/v1/partner/venues{path}", json.dumps(body), content_type="application/json",
                          **h.bearer(user), **headers)


def test_the_partner_api_refuses_a_yen_price_with_decimals(client, shop) -> None:  # type: ignore[no-untyped-def]
    venue, owner = in_yen(shop), member(shop.venue, Role.OWNER)
    body = {"treatment_id": shop.cut.treatment_id, "name": "Peel", "price": "1050.50", "duration_minutes": 40}
    refused = api(client, owner, "POST", f"/{venue.pk}/services", body)
    assert refused.status_code == 422, refused.content
    assert refused.json()["errors"] == [{"field": "price", "message": WHOLE}]
    assert not Service.objects.filter(name="Peel").exists()
    german = api(client, owner, "POST", f"/{venue.pk}/services", body, HTTP_ACCEPT_LANGUAGE="de")
    assert german.status_code == 422 and "JPY" in german.json()["message"] and WHOLE not in german.json()["message"]

    made = api(client, owner, "POST", f"/{venue.pk}/services", body | {"price": "1050"})
    assert made.status_code == 201, made.content
    changed = api(client, owner, "PATCH", f"/{venue.pk}/services/{made.json()['id']}", {"price": "999.9"})
    assert changed.status_code == 422
    assert Service.objects.get(pk=made.json()["id"]).price == Decimal(1050)


def test_the_service_form_refuses_a_yen_price_with_decimals(client, shop) -> None:  # type: ignore[no-untyped-def]
    venue = in_yen(shop)
    client.force_login(member(venue, Role.OWNER))
    form = {"treatment": shop.cut.treatment_id, "kind": "treatment", "name": "Deluxe Facial", "price": "7250.50",
            "duration_minutes": "90", "buffer_before": "0", "buffer_after": "0", "online_bookable": "on",
            "is_active": "on", "position": "1", "staff": [shop.anna.pk]}
    refused = client.post(f"/partner/{venue.pk}/services/new/", form)
    assert refused.status_code == 400
    assert WHOLE in refused.content.decode()
    assert not Service.objects.filter(name="Deluxe Facial").exists()
    assert client.post(f"/partner/{venue.pk}/services/new/", form | {"price": "7250.00"}).status_code == 302
    assert Service.objects.get(name="Deluxe Facial").price == Decimal(7250)


@pytest.mark.parametrize(("currency", "price"), [("JPY", "10.50"), ("KRW", "0.5"), ("HUF", "1999.99"),
                                                 ("GBP", "10.555")])
def test_the_action_refuses_more_decimals_than_the_currency_has(shop, currency, price) -> None:  # type: ignore[no-untyped-def]
    Venue.objects.filter(pk=shop.venue.pk).update(currency=currency)
    shop.venue.refresh_from_db()
    with pytest.raises(Refusal) as refused:
        save_service(venue=shop.venue, treatment=shop.cut.treatment, name="Peel", price=price, duration_minutes=30)
    assert (refused.value.status, refused.value.code) == (422, "invalid")
    assert [e["field"] for e in refused.value.extra["errors"]] == ["price"]
    assert not Service.objects.filter(name="Peel").exists()  # never rounded into a price nobody wrote


def test_a_fixed_yen_deposit_with_decimals_is_refused_but_a_percentage_may_have_them(client, shop) -> None:  # type: ignore[no-untyped-def]
    venue, owner = in_yen(shop), member(shop.venue, Role.OWNER)
    body = {"mode": "deposit", "deposit_kind": "fixed", "deposit_value": "500.50", "free_cancel_hours": 48}
    refused = api(client, owner, "PUT", f"/{venue.pk}/payment-policy", body)
    assert refused.status_code == 422, refused.content
    assert refused.json()["errors"] == [{"field": "deposit_value", "message": WHOLE}]
    assert not PaymentPolicy.objects.filter(venue=venue).exists()
    assert api(client, owner, "PUT", f"/{venue.pk}/payment-policy",
               body | {"deposit_kind": "percent", "deposit_value": "12.5"}).status_code == 200

    client.force_login(owner)
    page = client.post(f"/partner/{venue.pk}/policies/payments/", {
        "mode": "deposit", "deposit_kind": "fixed", "deposit_value": "500.50", "free_cancel_hours": "48",
        "late_fee_kind": "percent", "late_fee_value": "0", "no_show_fee_kind": "percent", "no_show_fee_value": "0"})
    assert page.status_code == 400 and WHOLE in page.content.decode()
    assert PaymentPolicy.objects.get(venue=venue).deposit_value == Decimal("12.5")


def test_a_refund_is_typed_in_the_currencys_own_units() -> None:
    assert parse_amount("10", "JPY") == 10 and parse_amount("10.00", "JPY") == 10
    assert parse_amount("10.50", "GBP") == 1050 and parse_amount("1999", "HUF") == 199900
    for amount, currency in (("10.50", "JPY"), ("1999.5", "HUF")):
        with pytest.raises(Refusal) as refused:
            parse_amount(amount, currency)
        assert refused.value.code == "invalid_amount" and "whole numbers" in refused.value.message
