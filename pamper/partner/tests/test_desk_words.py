"""The workspace says durations and missing contact details in the owner's language, not in English bits spliced
into a German page ('60 min', 'no phone', 'no email')."""

from __future__ import annotations

import pytest
from django.test import Client as Browser

from pamper.venues.models import Client

from .factories import Salon

pytestmark = pytest.mark.django_db


def test_the_services_list_says_durations_in_german(client: Browser, rose: Salon) -> None:
    client.force_login(rose.owner)
    page = client.get(f"/de/partner/{rose.venue.pk}/services/").content.decode()
    assert "60 Min." in page or "1 Std." in page
    assert "60 min<" not in page and "60 min " not in page


def test_a_client_on_file_without_phone_or_email_is_said_so_in_german(client: Browser, rose: Salon) -> None:
    Client.objects.create(venue=rose.venue, name="Priya Ohne")
    client.force_login(rose.reception)
    page = client.post(f"/de/partner/{rose.venue.pk}/bookings/new/", {
        "name": "Priya Ohne", "service": rose.facial.pk, "staff": rose.ben.pk, "date": "2026-05-05", "time": "11:00",
    }).content.decode()
    assert 'name="pick"' in page
    assert "no phone" not in page and "no email" not in page
    assert "keine Telefonnummer" in page and "keine E-Mail" in page
