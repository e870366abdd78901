"""Emails are written in the recipient's language: their account's, else the venue's (real SMTP on loopback)."""

from __future__ import annotations

import pytest
import time_machine

from pamper.lib.formats import day

from .helpers import book, calendar_of, html_of, text_of, utc

pytestmark = pytest.mark.django_db
NBSP, NNBSP = "\xa0", "\u202f"


def plain(text: str) -> str:
    return text.replace(NBSP, " ").replace(NNBSP, " ")


@time_machine.travel(utc(2026, 6, 1, 9, 0), tick=False)
def test_a_customer_who_chose_french_gets_the_confirmation_in_french(smtp, world, django_capture_on_commit_callbacks):
    world.customer.language = "fr"
    world.customer.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        book(world, utc(2026, 6, 10, 13, 30))

    [mail] = smtp.inbox.to(world.customer.email)
    assert mail["Subject"].strip() == (f"Réservation confirmée : {world.venue.name} le mer. 10 juin 2026, "
                                       "14:30 (heure britannique)")
    assert f"Votre réservation chez {world.venue.name} est confirmée." in plain(text_of(mail))
    assert '<html lang="fr">' in html_of(mail)
    for body in (plain(text_of(mail)), plain(html_of(mail))):
        assert "Votre réservation chez" in body and "est confirmée." in body
        assert "85 £GB" in body  # French writes the amount first, pounds as £GB
        assert "Booking confirmed" not in body
    [event] = calendar_of(mail).walk("VEVENT")
    assert " chez " in str(event["SUMMARY"])


@time_machine.travel(utc(2026, 6, 1, 9, 0), tick=False)
def test_without_an_account_language_the_venues_language_is_used(smtp, world, django_capture_on_commit_callbacks):
    world.venue.language = "de"
    world.venue.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        book(world, utc(2026, 6, 10, 13, 30))

    [mail] = smtp.inbox.to(world.customer.email)
    assert mail["Subject"].strip().startswith(f"Buchung bestätigt: {world.venue.name} am Mi., 10. Juni 2026, 14:30")
    assert f"Ihre Buchung bei {world.venue.name} ist bestätigt." in text_of(mail)
    assert day(utc(2026, 6, 10, 13, 30), "weekday", "de") == "Mi., 10. Juni 2026"


@pytest.mark.django_db
def test_the_profile_stores_the_language_of_emails(client, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.customer)
    response = client.post("/accounts/profile/", {"name": "Nora", "phone": "", "language": "it"})
    assert response.status_code == 302
    world.customer.refresh_from_db()
    assert world.customer.language == "it"
    response = client.post("/accounts/profile/", {"name": "Nora", "phone": "", "language": "xx"})
    assert response.status_code == 400
    world.customer.refresh_from_db()
    assert world.customer.language == "it"
