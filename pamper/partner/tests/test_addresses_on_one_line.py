"""A venue's address and city and a service's variant are stored on one line, like names.

They took a line break pasted from a document ('1 Rue Oberkampf\\r\\n2nd floor'), which the venue's page heading,
emails, calendar entries and CSV rows break on, while names had been folded since 0879892 (NameField). They are
NameFields now; migrations fold what was stored before, in them and in the names (venues 0012, accounts 0008,
payments 0004, search 0011).
"""

from __future__ import annotations

import datetime as dt
import json
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client as Browser

from pamper.accounts.models import ApiToken
from pamper.payments.models import GiftCard
from pamper.search import index
from pamper.search.models import SearchRow
from pamper.tests.factories import ResourceFactory
from pamper.venues import actions as venue_actions
from pamper.venues.models import Client, Resource, Service, Staff, Venue

from . import factories
from .factories import Salon

pytestmark = pytest.mark.django_db


def test_the_settings_page_and_the_action_store_an_address_on_one_line(client: Browser, rose: Salon) -> None:
    client.force_login(rose.owner)
    v = rose.venue
    saved = client.post(f"/partner/{v.pk}/settings/", {
        "name": v.name, "kind": v.kind, "description": "", "address": "4 Rue Oberkampf\r\n2nd floor",
        "city": "Paris\n", "postcode": v.postcode, "country": v.country, "latitude": str(v.latitude),
        "longitude": str(v.longitude), "timezone": v.timezone, "currency": v.currency, "phone": "", "email": ""})
    assert saved.status_code == 302, saved.content
    stored = Venue.objects.get(pk=v.pk)
    assert (stored.address, stored.city) == ("4 Rue Oberkampf 2nd floor", "Paris")
    venue_actions.update_venue(venue=stored, city="Saint-\u2028Denis")
    assert Venue.objects.get(pk=v.pk).city == "Saint- Denis"
    Venue.objects.filter(pk=v.pk).update(address="1 Rue\nde Rivoli")  # an update is folded too
    assert Venue.objects.get(pk=v.pk).address == "1 Rue de Rivoli"


def test_a_service_variant_is_stored_on_one_line(client: Browser, rose: Salon) -> None:
    made = client.post(f"/api/v1/partner/venues/{rose.venue.pk}/services", json.dumps({
        "treatment_id": rose.facial.treatment_id, "name": "Glow peel", "price": "65", "duration_minutes": 40,
        "variant": "needle\r\nfree"}), content_type="application/json", **factories.bearer(rose.owner))
    assert made.status_code == 201, made.content
    assert made.json()["variant"] == "needle free"
    assert Service.objects.get(pk=made.json()["id"]).variant == "needle free"
    changed = client.patch(f"/api/v1/partner/venues/{rose.venue.pk}/services/{made.json()['id']}",
                           json.dumps({"variant": "\tpen\n"}), content_type="application/json",
                           **factories.bearer(rose.owner))
    assert changed.status_code == 200 and changed.json()["variant"] == "pen"


def _store_raw(row, **values: str) -> None:  # type: ignore[no-untyped-def]
    """Write `values` past NameField's folding, as rows saved before it were."""
    columns = ", ".join(f"{name} = %s" for name in values)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {row._meta.db_table} SET {columns} WHERE id = %s", [*values.values(), row.pk])


def _migrate(name: str, function: str) -> None:
    getattr(import_module(name), function)(apps, None)


def test_names_and_addresses_stored_before_are_folded(rose: Salon) -> None:
    v = rose.venue
    Venue.objects.filter(pk=v.pk).update(is_published=True)
    room = ResourceFactory(venue=v, name="Room")
    card = GiftCard.objects.create(code="GIFT-ONE-LINE", currency="EUR", initial=5000, balance=5000,
                                   buyer_email="a@example.com", recipient_email="b@example.com",
                                   intent_id="pi_one_line", expires_at=dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    token = ApiToken.objects.create(user=rose.owner, name="ci", key_hash="f" * 64, prefix="ffff")
    _store_raw(v, name="Rose\r\nStudio", address="4 Rue Oberkampf\n2nd floor", city="Pa\u2028ris")
    _store_raw(rose.facial, name="Deluxe\tFacial", variant="needle\nfree")
    _store_raw(rose.ana, name="Ana\nBell")
    _store_raw(rose.client, name="Cleo\r\n Dupont")
    _store_raw(room, name="Room\n1")
    _store_raw(rose.owner, name="Olive\x0bOwner")
    _store_raw(token, name="ci\nbot")
    _store_raw(card, recipient_name="Sam\n\nLee")
    index.reindex_venue(v.pk)
    _store_raw(SearchRow.objects.filter(venue_id=v.pk).first(), venue_name="Rose\nStudio", city="Pa\nris")
    row = SearchRow.objects.filter(venue_id=v.pk).first()
    services = json.loads(row.services)
    services[0] |= {"name": "Deluxe\nFacial", "variant": "needle\u2028free"}
    _store_raw(row, services=json.dumps(services, ensure_ascii=False))

    _migrate("pamper.venues.migrations.0012_names_and_addresses_on_one_line", "fold_names")
    _migrate("pamper.accounts.migrations.0008_names_on_one_line", "fold_names")
    _migrate("pamper.payments.migrations.0004_gift_recipient_names_on_one_line", "fold_names")
    _migrate("pamper.search.migrations.0011_result_text_on_one_line", "fold_rows")

    venue = Venue.objects.get(pk=v.pk)
    assert (venue.name, venue.address, venue.city) == ("Rose Studio", "4 Rue Oberkampf 2nd floor", "Pa ris")
    facial = Service.objects.get(pk=rose.facial.pk)
    assert (facial.name, facial.variant) == ("Deluxe Facial", "needle free")
    assert Staff.objects.get(pk=rose.ana.pk).name == "Ana Bell"
    assert Client.objects.get(pk=rose.client.pk).name == "Cleo Dupont"
    assert Resource.objects.get(pk=room.pk).name == "Room 1"
    assert type(rose.owner).objects.get(pk=rose.owner.pk).name == "Olive Owner"
    assert ApiToken.objects.get(pk=token.pk).name == "ci bot"
    assert GiftCard.objects.get(pk=card.pk).recipient_name == "Sam Lee"
    row = SearchRow.objects.get(pk=row.pk)
    assert (row.venue_name, row.city) == ("Rose Studio", "Pa ris")
    assert json.loads(row.services)[0]["name"] == "Deluxe Facial"
    assert json.loads(row.services)[0]["variant"] == "needle free"


def test_a_postcode_and_a_staff_title_are_stored_on_one_line_and_old_ones_folded(client: Browser,
                                                                                  rose: Salon) -> None:
    """The postcode follows the address in emails and on the venue page, the title the name on the booking page:
    a line break pasted into either broke them as it did the address."""
    client.force_login(rose.owner)
    v = rose.venue
    saved = client.post(f"/partner/{v.pk}/settings/", {
        "name": v.name, "kind": v.kind, "description": "", "address": v.address, "city": v.city,
        "postcode": "75011\r\n", "country": v.country, "latitude": str(v.latitude), "longitude": str(v.longitude),
        "timezone": v.timezone, "currency": v.currency, "phone": "", "email": ""})
    assert saved.status_code in (200, 302)
    assert Venue.objects.get(pk=v.pk).postcode == "75011"
    Staff.objects.filter(pk=rose.ana.pk).update(title="Senior\nstylist")
    assert Staff.objects.get(pk=rose.ana.pk).title == "Senior stylist"

    _store_raw(v, postcode="750\n11")
    _store_raw(rose.ana, title="Lead\r\n colourist")
    _migrate("pamper.venues.migrations.0013_postcode_and_title_on_one_line", "fold")
    assert Venue.objects.get(pk=v.pk).postcode == "750 11"
    assert Staff.objects.get(pk=rose.ana.pk).title == "Lead colourist"
