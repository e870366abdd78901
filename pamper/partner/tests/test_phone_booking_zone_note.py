"""The phone-booking form names the venue's zone inside a sentence that reads naturally in every language: the
French note read "Heures en heure britannique" (the zone's CLDR name is already "heure britannique")."""

from __future__ import annotations

import pytest
from django.test import Client as Browser

from .factories import Salon

pytestmark = pytest.mark.django_db

NOTES = {
    "": "Times are in British Time.",
    "/fr": "Horaires indiqués en heure britannique.",
    "/de": "Alle Uhrzeiten gelten in der Zeitzone „Britische Zeit“.",
    "/es": "Las horas indicadas corresponden a la hora británica.",
    "/it": "Gli orari seguono il fuso orario della struttura (Ora del Regno Unito).",
    "/nl": "Alle tijden zijn weergegeven in Britse tijd.",
    "/pt": "As horas indicadas seguem o fuso horário do estabelecimento (Hora britânica).",
}


def test_the_french_phone_booking_form_names_the_zone_in_a_sentence(client: Browser, rose: Salon) -> None:
    client.force_login(rose.reception)
    page = client.get(f"/fr/partner/{rose.venue.pk}/bookings/new/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Horaires indiqués en heure britannique." in html
    assert "Heures en heure" not in html


@pytest.mark.parametrize("prefix", NOTES)
def test_every_language_names_the_zone_in_a_sentence(client: Browser, rose: Salon, prefix: str) -> None:
    client.force_login(rose.reception)
    html = client.get(f"{prefix}/partner/{rose.venue.pk}/bookings/new/", HTTP_HX_REQUEST="true").content.decode()
    assert NOTES[prefix] in html


@pytest.mark.parametrize(("prefix", "note"), [
    ("/fr", "Horaires indiqués en heure britannique."),  # was "Horaires en heure britannique"
    ("/it", "Fuso orario: Ora del Regno Unito."),  # was "Orari in Ora del Regno Unito"
    ("/pt", "Fuso horário: Hora britânica."),  # was "Horários em Hora britânica"
])
def test_the_calendar_and_hours_notes_name_the_zone_as_well(client: Browser, rose: Salon, prefix: str,
                                                            note: str) -> None:
    client.force_login(rose.owner)
    calendar = client.get(f"{prefix}/partner/{rose.venue.pk}/calendar/?date=2026-05-05").content.decode()
    hours = client.get(f"{prefix}/partner/{rose.venue.pk}/hours/").content.decode()
    assert note in calendar and note[:-1] in hours
