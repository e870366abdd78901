"""The partner API's venue settings: a venue's details and booking policies, read by any member and changed by its
owner or manager, under the same rules as the workspace's Settings and Policies pages. Before, the API could
change services, staff, shifts and hours but not the venue itself (its currency, phone, policies, listing)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client as Browser

from pamper.search.models import SearchRow
from pamper.venues.models import OpeningHours, Service

from .factories import Salon
from .test_api import Api

pytestmark = pytest.mark.django_db


def _url(salon: Salon) -> str:
    return f"/venues/{salon.venue.pk}/settings"


def test_any_member_reads_the_settings_and_only_owners_and_managers_change_them(client: Browser, rose: Salon,
                                                                                iris: Salon) -> None:
    read = Api(client, rose.reception)("GET", _url(rose))
    assert read.status_code == 200
    body = read.json()
    assert (body["name"], body["currency"], body["timezone"], body["slot_minutes"]) == (
        "Rose Studio", "GBP", "Europe/London", rose.venue.slot_minutes)
    for person in (rose.reception, rose.practitioner):
        refused = Api(client, person)("PATCH", _url(rose), {"phone": "020 7946 0001"})
        assert refused.status_code == 403, refused.content
    assert Api(client, iris.owner)("GET", _url(rose)).status_code == 404  # another venue's: not even there
    changed = Api(client, rose.manager)("PATCH", _url(rose), {
        "phone": "020 7946 0001", "description": "  Facials and peels.  ", "cancel_notice_hours": 48,
        "slot_minutes": 30, "auto_confirm": False})
    assert changed.status_code == 200, changed.content
    rose.venue.refresh_from_db()
    assert (rose.venue.phone, rose.venue.description, rose.venue.cancel_notice_hours, rose.venue.slot_minutes,
            rose.venue.auto_confirm) == ("020 7946 0001", "Facials and peels.", 48, 30, False)
    assert rose.venue.name == "Rose Studio"  # not sent, not changed


def test_bad_values_are_refused_by_field_and_change_nothing(client: Browser, rose: Salon) -> None:
    owner = Api(client, rose.owner)
    before = owner("GET", _url(rose)).json()
    for body, field in (({"country": "XX"}, "country"), ({"currency": "XYZ"}, "currency"),
                        ({"timezone": "Mars/Olympus"}, "timezone"), ({"slot_minutes": 7}, "slot_minutes"),
                        ({"horizon_days": 0}, "horizon_days"), ({"latitude": 91}, "latitude"),
                        ({"name": "   "}, "name"), ({"email": "not-an-address"}, "email"),
                        ({"colour": "pink"}, "colour")):
        answer = owner("PATCH", _url(rose), body)
        assert answer.status_code == 422, (body, answer.content)
        assert field in answer.content.decode(), (body, answer.content)
    assert owner("GET", _url(rose)).json() == before


def test_a_currency_switch_moves_the_prices_or_is_refused_naming_those_it_cannot_hold(client: Browser,
                                                                                      rose: Salon) -> None:
    owner = Api(client, rose.owner)
    switched = owner("PATCH", _url(rose), {"currency": "EUR"})
    assert switched.status_code == 200 and switched.json()["currency"] == "EUR"
    assert set(Service.objects.filter(venue=rose.venue).values_list("currency", flat=True)) == {"EUR"}
    Service.objects.filter(pk=rose.facial.pk).update(price=Decimal("45.50"))
    refused = owner("PATCH", _url(rose), {"currency": "JPY", "phone": "020 7946 0002"})
    assert refused.status_code == 422 and refused.json()["code"] == "prices_too_precise"
    assert refused.json()["prices"] == [{"what": "Rose Facial", "amount": "45.50"}]
    rose.venue.refresh_from_db()
    assert (rose.venue.currency, rose.venue.phone) == ("EUR", rose.venue.phone)  # nothing of the request changed
    assert rose.venue.phone != "020 7946 0002"


def test_listing_needs_opening_hours_and_search_follows(client: Browser, rose: Salon) -> None:
    owner = Api(client, rose.owner)
    assert owner("PATCH", _url(rose), {"is_published": False}).json()["is_published"] is False
    assert not SearchRow.objects.filter(venue=rose.venue).exists()
    OpeningHours.objects.filter(venue=rose.venue).delete()
    refused = owner("PATCH", _url(rose), {"is_published": True, "name": "Rose Rooms"})
    assert refused.status_code == 422 and refused.json()["code"] == "hours_required"
    rose.venue.refresh_from_db()
    assert (rose.venue.is_published, rose.venue.name) == (False, "Rose Studio")  # both or neither
