"""A venue switching to a currency without decimals (yen) while some of its prices have them is refused.

The switch kept a £45.50 service and a £5.50 fixed deposit as ¥45.50 and ¥5.50, prices yen cannot have
(cb701a0), and the services even stayed in pounds while the venue said yen. The action now refuses (422
prices_too_precise, naming every price in the way, the settings page showing it beside the currency with what was
typed kept), and a switch that fits moves the services to the new currency with the venue.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from pamper.accounts.models import Role
from pamper.errors import Refusal
from pamper.tests.factories import member
from pamper.venues.actions import update_venue
from pamper.venues.models import Service, Venue

from .conftest import deposit_policy

pytestmark = pytest.mark.django_db


def details(venue: Venue, **changes: str) -> dict[str, str]:
    fields = {"name": venue.name, "kind": venue.kind, "description": venue.description, "address": venue.address,
              "city": venue.city, "postcode": venue.postcode, "country": venue.country,
              "latitude": str(venue.latitude), "longitude": str(venue.longitude), "timezone": venue.timezone,
              "currency": venue.currency, "phone": venue.phone, "email": venue.email}
    return fields | changes


def test_a_switch_to_yen_is_refused_while_prices_have_pence(shop) -> None:  # type: ignore[no-untyped-def]
    Service.objects.filter(pk=shop.cut.pk).update(price=Decimal("45.50"))
    deposit_policy(shop.venue, deposit_kind="fixed", deposit_value=Decimal("5.50"))
    deposit_policy(shop.venue, service=shop.colour, deposit_kind="fixed", deposit_value=Decimal("3.25"),
                   no_show_fee_kind="fixed", no_show_fee_value=Decimal("10"))
    with pytest.raises(Refusal) as refused:
        update_venue(venue=shop.venue, currency="JPY")
    assert (refused.value.status, refused.value.code) == (422, "prices_too_precise")
    assert refused.value.extra["field"] == "currency"
    assert refused.value.extra["prices"] == [
        {"what": "Cut and finish", "amount": "45.50"}, {"what": "Deposit", "amount": "5.50"},
        {"what": "Deposit for Colour", "amount": "3.25"}]
    assert "Cut and finish £45.50" in refused.value.message and "whole numbers" in refused.value.message
    assert Venue.objects.get(pk=shop.venue.pk).currency == "GBP"
    assert set(Service.objects.filter(venue=shop.venue).values_list("currency", flat=True)) == {"GBP"}


def test_a_switch_that_fits_moves_the_services_with_the_venue(shop) -> None:  # type: ignore[no-untyped-def]
    deposit_policy(shop.venue, deposit_kind="fixed", deposit_value=Decimal("500.00"))  # whole: fits yen
    update_venue(venue=shop.venue, currency="JPY")
    assert Venue.objects.get(pk=shop.venue.pk).currency == "JPY"
    assert set(Service.objects.filter(venue=shop.venue).values_list("currency", flat=True)) == {"JPY"}
    update_venue(venue=shop.venue, currency="EUR")  # yen fit every currency
    assert set(Service.objects.filter(venue=shop.venue).values_list("currency", flat=True)) == {"EUR"}


def test_the_settings_page_shows_the_refusal_beside_the_currency(client, shop) -> None:  # type: ignore[no-untyped-def]
    Service.objects.filter(pk=shop.cut.pk).update(price=Decimal("45.50"))
    client.force_login(member(shop.venue, Role.OWNER))
    page = client.post(f"/partner/{shop.venue.pk}/settings/", details(shop.venue, currency="JPY", city="Leeds"))
    assert page.status_code == 400
    form = page.context["form"]
    assert list(form.errors) == ["currency"] and "Cut and finish £45.50" in form.errors["currency"][0]
    assert form["currency"].value() == "JPY" and form["city"].value() == "Leeds"  # what was typed is kept
    assert "Cut and finish £45.50" in page.content.decode()
    assert Venue.objects.get(pk=shop.venue.pk).currency == "GBP"
    assert Venue.objects.get(pk=shop.venue.pk).city == "London"
    Service.objects.filter(pk=shop.cut.pk).update(price=Decimal("46"))
    saved = client.post(f"/partner/{shop.venue.pk}/settings/", details(shop.venue, currency="JPY"))
    assert saved.status_code == 302
    assert Service.objects.get(pk=shop.cut.pk).currency == "JPY"


def test_a_new_currency_with_decimals_takes_any_price(shop) -> None:  # type: ignore[no-untyped-def]
    Service.objects.filter(pk=shop.cut.pk).update(price=Decimal("45.50"))
    update_venue(venue=shop.venue, currency="EUR")
    assert Service.objects.get(pk=shop.cut.pk).currency == "EUR"


def test_the_settings_page_tells_the_owner_to_check_the_prices_after_a_switch(client, shop) -> None:  # type: ignore[no-untyped-def]
    """The numbers stay and the currency changes (no exchange rate sets a salon's prices): the owner is told so,
    once, and a save that keeps the currency says nothing of it."""
    client.force_login(member(shop.venue, Role.OWNER))
    kept = client.post(f"/partner/{shop.venue.pk}/settings/", details(shop.venue, city="Leeds"), follow=True)
    assert "check each price" not in kept.content.decode()
    switched = client.post(f"/partner/{shop.venue.pk}/settings/", details(Venue.objects.get(pk=shop.venue.pk),
                                                                           currency="EUR"), follow=True)
    page = switched.content.decode()
    assert "prices are now in EUR, with the same numbers as before: check each price" in page.replace("&#x27;", "'")
